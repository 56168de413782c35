"""What the logs hold and how times are written: gunicorn's own lines pass the redaction filter
and name no query string; every time in the API and the logs is UTC in one form (``...Z``)."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
import requests

from filot.logging import JsonFormatter
from filot.testing.services import WebServer
from filot.testing.worker import database_url_for_tests, wait_for

NIK = "3201234567890123"
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.mark.slow
def test_gunicorn_log_lines_are_json_in_utc_and_never_hold_a_query_string(
    transactional_db, settings, tmp_path: Path
):
    server = WebServer(
        env={
            "DATABASE_URL": database_url_for_tests(),
            "REDIS_URL": settings.REDIS_URL,
            "DEBUG": "false",
        },
        log_path=tmp_path / "web.log",
    )
    try:
        server.start()

        def up() -> bool:
            try:
                return requests.get(f"{server.base_url}/health/live", timeout=10).ok
            except requests.RequestException:
                return False

        wait_for(up, timeout=30, what="gunicorn")
        # A reviewer's queue search by NIK, and a token someone put in a URL.
        requests.get(
            f"{server.base_url}/admin/reviews/manualreview/?q={NIK}",
            allow_redirects=False,
            timeout=10,
        )
        requests.get(f"{server.base_url}/api/v1/documents/?token=abc.def.ghi", timeout=10)
    finally:
        server.stop()

    log = server.log()
    assert NIK not in log and NIK[-4:] + "&" not in log
    assert "abc.def.ghi" not in log
    # Log lines are JSON; Python warnings at start-up are plain text and not log lines.
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "gunicorn.access"]
    assert any('"GET /admin/reviews/manualreview/ HTTP/1.1" 302' in a["message"] for a in access)
    assert any('"GET /api/v1/documents/ HTTP/1.1" 401' in a["message"] for a in access)
    assert {line["logger"] for line in lines} >= {"gunicorn.error", "gunicorn.access"}
    assert all(UTC_Z.match(line["time"]) for line in lines), lines[:3]


def test_application_log_time_is_utc():
    record = logging.LogRecord("filot", logging.INFO, __file__, 1, "hello", None, None)
    record.created = 1764558245.678  # 2025-12-01 03:04:05.678 UTC, 10:04 in Jakarta

    line = json.loads(JsonFormatter().format(record))

    assert line["time"] == "2025-12-01T03:04:05.678Z"


@pytest.mark.django_db
def test_api_times_are_utc(auth_client, jpeg_bytes):
    created = auth_client.post(
        "/api/v1/documents/", {"file": _file(jpeg_bytes), "doc_type": "KTP"}, format="multipart"
    ).json()
    detail = auth_client.get(f"/api/v1/documents/{created['id']}/").json()
    listed = auth_client.get("/api/v1/documents/").json()["results"][0]

    for body in (created, detail, listed):
        assert UTC_Z.match(body["created_at"]), body["created_at"]
        assert UTC_Z.match(body["updated_at"]), body["updated_at"]


def _file(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("card.jpg", data)
