"""/health, /health/live, /metrics, request ids and the error envelope."""

from __future__ import annotations

import logging

import pytest

from filot.logging import redact


@pytest.mark.django_db
class TestHealth:
    def test_all_dependencies_up(self, client):
        response = client.get("/health")

        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert set(body["checks"]) == {"database", "redis", "storage"}
        assert all(check["ok"] for check in body["checks"].values())

    def test_redis_down_is_503_naming_it_without_internals(self, client, settings):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

        response = client.get("/health")

        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "unavailable"
        assert body["checks"]["redis"] == {
            "ok": False,
            "error": "ConnectionError",
            "duration_ms": body["checks"]["redis"]["duration_ms"],
        }
        assert body["checks"]["database"]["ok"] is True

    def test_liveness_does_not_touch_dependencies(self, client, settings):
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        assert client.get("/health/live").json() == {"status": "ok"}


@pytest.mark.django_db
class TestMetrics:
    def test_metrics_are_prometheus_text(self, client):
        response = client.get("/metrics")
        assert response.status_code == 200
        assert b"django_http_requests_total" in response.content

    def test_metrics_can_be_switched_off(self, client, settings):
        settings.METRICS_ENABLED = False
        assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
class TestEnvelope:
    def test_unknown_api_route_is_json_404_with_request_id(self, client):
        response = client.get("/api/v1/nope/")
        assert response.status_code == 404
        body = response.json()
        assert body["error"]["code"] == "not_found"
        assert body["error"]["request_id"] == response["X-Request-ID"]

    def test_well_formed_incoming_request_id_is_kept(self, client):
        response = client.get("/health/live", HTTP_X_REQUEST_ID="trace-abc-12345")
        assert response["X-Request-ID"] == "trace-abc-12345"

    def test_malformed_incoming_request_id_is_replaced(self, client):
        response = client.get("/health/live", HTTP_X_REQUEST_ID="bad id\nwith newline")
        assert response["X-Request-ID"] != "bad id\nwith newline"
        assert len(response["X-Request-ID"]) == 32

    def test_profile_validation_error_has_field_details(self, auth_client):
        response = auth_client.patch("/api/v1/me/", {"phone": "call me maybe"}, format="json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_request"
        assert "phone" in response.json()["error"]["details"]["fields"]

    def test_profile_update_and_kyc_status(self, auth_client):
        response = auth_client.patch(
            "/api/v1/me/", {"display_name": "Budi", "phone": "+62 812 3456 7890"}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["display_name"] == "Budi"
        assert response.json()["kyc_status"] == "unverified"
        assert response.json()["roles"] == ["client"]


class TestRedaction:
    @pytest.mark.parametrize(
        ("text", "leak"),
        [
            ("nik=3204011708900001 saved", "3204011708900001"),
            ("npwp 01.234.567.8-901.000 ok", "01.234.567.8-901.000"),
            ("npwp 012345678901000", "012345678901000"),
            (
                "Authorization: Bearer abcdefghijklmnopqrstuvwxyz123",
                "abcdefghijklmnopqrstuvwxyz123",
            ),
            ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJzdWIiOiIxIn0"),
            ("password=hunter2hunter2", "hunter2hunter2"),
        ],
    )
    def test_personal_data_and_secrets_are_masked(self, text, leak):
        assert leak not in redact(text)

    def test_nik_keeps_its_last_four_digits(self):
        assert redact("NIK 3204011708900001") == "NIK ************0001"

    def test_configured_secrets_are_masked(self, settings):
        assert settings.SECRET_KEY not in redact(f"oops {settings.SECRET_KEY}")

    def test_log_lines_are_json_with_request_id_and_redacted(self, client, caplog, capsys):
        handler = logging.getLogger().handlers[0]
        record = logging.LogRecord(
            "filot.test", logging.INFO, __file__, 1, "nik %s", ("3204011708900001",), None
        )
        for f in handler.filters:
            f.filter(record)
        line = handler.format(record)
        assert '"message": "nik ************0001"' in line
        assert '"request_id"' in line
        assert "3204011708900001" not in line
