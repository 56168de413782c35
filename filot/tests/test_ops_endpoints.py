"""What /metrics and /health tell whom, and the warning about an uncounted proxy."""

from __future__ import annotations

import contextlib
import json
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command

from filot.middleware import FORWARDED_SEEN_KEY

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-" + "x" * 30


class TestMetricsToken:
    def test_with_a_token_only_its_bearer_reads_metrics(self, client, settings):
        settings.METRICS_TOKEN = TOKEN

        anonymous = client.get("/metrics")
        wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "y" * 44)
        right = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

        for refused in (anonymous, wrong):
            assert refused.status_code == 401
            assert refused.json()["error"]["code"] == "metrics_token_invalid"
            assert refused["WWW-Authenticate"].startswith("Bearer")
            assert b"filot_" not in refused.content
        assert right.status_code == 200
        assert b"django_http_requests_total" in right.content

    def test_production_without_a_token_keeps_metrics_closed(self, client, settings):
        settings.PRODUCTION = True
        settings.METRICS_TOKEN = ""

        assert client.get("/metrics").status_code == 404

    def test_development_without_a_token_serves_metrics(self, client, settings):
        settings.METRICS_TOKEN = ""
        assert client.get("/metrics").status_code == 200


class TestHealthDetails:
    def test_without_the_service_key_health_says_the_status_alone(self, client, settings):
        settings.HEALTH_DETAILS_PUBLIC = False

        response = client.get("/health")

        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_a_failing_dependency_is_named_only_for_the_service_key(self, client, settings):
        settings.HEALTH_DETAILS_PUBLIC = False
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        settings.SERVICE_INTERNAL_KEYS = ["s" * 40]

        anonymous = client.get("/health")
        wrong_key = client.get("/health", HTTP_X_SERVICE_KEY="t" * 40)
        keyed = client.get("/health", HTTP_X_SERVICE_KEY="s" * 40)

        assert anonymous.status_code == wrong_key.status_code == keyed.status_code == 503
        assert anonymous.json() == wrong_key.json() == {"status": "unavailable"}
        body = keyed.json()
        assert body["checks"]["redis"]["ok"] is False
        assert "details" in body

    def test_details_are_public_by_default_outside_production(self, client):
        assert set(client.get("/health").json()) == {"status", "checks", "details"}


class TestProxyWarning:
    def test_forwarded_requests_with_no_counted_proxy_are_reported(self, client, settings, caplog):
        settings.NUM_PROXIES = 0
        cache.delete(FORWARDED_SEEN_KEY)

        with caplog.at_level(logging.WARNING, logger="filot.access"):
            client.get("/health/live", HTTP_X_FORWARDED_FOR="198.51.100.7")
            client.get("/health/live", HTTP_X_FORWARDED_FOR="198.51.100.8")

        warnings = [r for r in caplog.records if "NUM_PROXIES is 0" in r.getMessage()]
        assert len(warnings) <= 1  # once per process, not per request
        assert cache.get(FORWARDED_SEEN_KEY)
        report = _config_report()
        assert any("NUM_PROXIES is 0" in warning for warning in report["warnings"])

    def test_no_warning_when_proxies_are_counted(self, client, settings):
        settings.NUM_PROXIES = 1
        cache.set(FORWARDED_SEEN_KEY, "2026-01-01T00:00:00Z")

        assert not any("NUM_PROXIES" in w for w in _config_report()["warnings"])


def _config_report() -> dict:
    from io import StringIO

    out = StringIO()
    # Development settings fail the production checks (exit 1); only the report matters.
    with contextlib.suppress(SystemExit):
        call_command("check_production_config", "--json", stdout=out)
    return json.loads(out.getvalue())
