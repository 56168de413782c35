"""A PDF built to take minutes and gigabytes to draw is refused within seconds by a real
gunicorn, whose workers keep serving meanwhile."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings

from conftest import bearer_for
from documents.models import Document
from documents.tests.test_hostile_files import pdf_render_bomb
from filot.testing.services import WebServer
from filot.testing.worker import database_url_for_tests

pytestmark = pytest.mark.slow
URL = "/api/v1/documents/"


@pytest.fixture
def web(transactional_db: None, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    server = WebServer(
        env={
            "DATABASE_URL": database_url_for_tests(),
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DOCUMENT_PDF_RENDER_CPU_SECONDS": "3",
        },
        log_path=tmp_path / "web.log",
        workers=2,
    ).start()
    _until_both_workers_answer(server.base_url)
    yield server
    server.stop()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"--- web.log ---\n{server.log()[-6000:]}")


def _until_both_workers_answer(base_url: str) -> None:
    """Workers import the app after the port opens: wait until two concurrent requests (one
    per worker) are answered quickly."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with ThreadPoolExecutor(2) as pool:
            started = time.monotonic()
            answers = list(
                pool.map(lambda _: requests.get(f"{base_url}/health/live", timeout=60), range(2))
            )
        if all(a.status_code == 200 for a in answers) and time.monotonic() - started < 1:
            return
    raise AssertionError("gunicorn's workers did not start")


def test_render_bomb_is_refused_in_seconds_while_the_server_keeps_answering(web, user):
    bomb = pdf_render_bomb()
    assert len(bomb) < 200_000
    outcome: dict[str, Any] = {}
    auth = {"Authorization": bearer_for(user)}  # not in the thread: it writes a token row

    def upload() -> None:
        started = time.monotonic()
        try:
            outcome["response"] = requests.post(
                f"{web.base_url}{URL}",
                headers=auth,
                data={"doc_type": "KTP"},
                files={"file": ("card.pdf", bomb, "application/pdf")},
                timeout=30,
            )
        except requests.RequestException as exc:  # a killed worker drops the connection
            outcome["error"] = exc
        outcome["seconds"] = time.monotonic() - started

    uploading = threading.Thread(target=upload)
    uploading.start()
    time.sleep(0.5)  # the upload is being rendered now
    live_while_rendering = []
    while uploading.is_alive() and len(live_while_rendering) < 5:
        live = requests.get(f"{web.base_url}/health/live", timeout=3)
        live_while_rendering.append(live.status_code)
        time.sleep(0.2)
    uploading.join(timeout=40)

    assert live_while_rendering and set(live_while_rendering) == {200}
    assert "error" not in outcome, outcome.get("error")
    response = outcome["response"]
    assert response.status_code == 422, response.text[:300]
    assert response.json()["error"]["code"] == "pdf_too_complex"
    assert outcome["seconds"] < 15
    assert Document.objects.count() == 0
    # Neither worker was killed or timed out; both still serve.
    assert "WORKER TIMEOUT" not in web.log()
    for _ in range(4):
        assert requests.get(f"{web.base_url}/health/live", timeout=3).status_code == 200
