"""What an operator reads on /metrics: state from PostgreSQL and Redis, and event metrics summed
over several gunicorn processes."""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from documents.models import Document
from documents.status import DocumentStatus
from documents.tests.factories import DocumentFactory
from filot.metrics import HEARTBEAT_KEY
from filot.testing.services import WebServer
from filot.testing.worker import database_url_for_tests, wait_for
from reviews.models import ManualReview

S = DocumentStatus


def sample(body: str, name: str, **labels: str) -> float | None:
    """The value of one sample in a Prometheus text exposition (None when absent)."""
    for line in body.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        match = re.match(r"^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(3) or ""))
        if found == labels:
            return float(match.group(4))
    return None


def make_document(owner, status: str, doc_type: str = "KTP", **extra) -> Document:
    return DocumentFactory(owner=owner, status=status, doc_type=doc_type, **extra)


def test_state_of_documents_reviews_and_queues_is_read_at_scrape_time(
    api_client, user, redis_client, settings
):
    make_document(user, S.QUEUED)
    make_document(user, S.QUEUED)
    old = make_document(user, S.QUEUED, doc_type="NPWP")
    Document.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - timedelta(hours=1))
    in_review = make_document(user, S.IN_REVIEW)
    overdue = ManualReview.objects.create(document=in_review)
    ManualReview.objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.REVIEW_SLA_SECONDS + 60)
    )
    for n in range(3):
        redis_client.lpush("ocr_gpu", f"message {n}")
    redis_client.lpush("partner", "message")

    body = api_client.get("/metrics").content.decode()

    assert sample(body, "filot_documents", status="queued", doc_type="KTP") == 2
    assert sample(body, "filot_documents", status="queued", doc_type="NPWP") == 1
    assert sample(body, "filot_documents", status="in_review", doc_type="KTP") == 1
    assert sample(body, "filot_documents_oldest_waiting_seconds", status="queued") >= 3600
    assert sample(body, "filot_reviews", state="open") == 1
    assert sample(body, "filot_reviews", state="overdue") == 1
    assert sample(body, "filot_reviews", state="claimed") == 0
    assert sample(body, "filot_queue_depth", queue="ocr_gpu") == 3
    assert sample(body, "filot_queue_depth", queue="partner") == 1
    assert sample(body, "filot_queue_depth", queue="default") == 0


def test_a_refused_request_is_counted_by_error_code(api_client):
    before = (
        sample(
            api_client.get("/metrics").content.decode(),
            "filot_api_errors_total",
            code="not_authenticated",
            status="401",
        )
        or 0
    )
    for _ in range(3):
        assert api_client.get("/api/v1/me/").status_code == 401
    body = api_client.get("/metrics").content.decode()
    assert sample(body, "filot_api_errors_total", code="not_authenticated", status="401") == (
        before + 3
    )


def test_an_unreachable_redis_is_reported_not_fatal(api_client, settings, db):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = api_client.get("/metrics")
    assert response.status_code == 200
    body = response.content.decode()
    assert sample(body, "filot_state_scrape_errors", source="redis") == 1
    assert sample(body, "filot_documents_oldest_waiting_seconds", status="queued") == 0


@pytest.mark.slow
def test_a_worker_heartbeat_is_visible_per_queue(api_client, celery_worker_factory, redis_client):
    celery_worker_factory(queues="ocr_gpu,default")
    wait_for(
        lambda: redis_client.get(HEARTBEAT_KEY.format(queue="ocr_gpu")),
        timeout=30,
        what="a heartbeat",
    )
    body = api_client.get("/metrics").content.decode()
    assert sample(body, "filot_worker_heartbeat_age_seconds", queue="ocr_gpu") < 30
    assert sample(body, "filot_worker_heartbeat_age_seconds", queue="default") < 30
    assert sample(body, "filot_worker_heartbeat_age_seconds", queue="partner") is None


@pytest.mark.slow
def test_metrics_of_two_gunicorn_processes_are_summed(transactional_db, tmp_path, settings):
    metrics_dir = tmp_path / "metrics"
    server = WebServer(
        env={
            "DATABASE_URL": database_url_for_tests(),
            "REDIS_URL": settings.REDIS_URL,
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        },
        log_path=tmp_path / "gunicorn.log",
        workers=2,
    )
    base = server.base_url
    try:
        server.start()

        def up() -> bool:
            try:
                return requests.get(f"{base}/health/live", timeout=10).status_code == 200
            except (requests.ConnectionError, requests.Timeout):
                return False

        wait_for(up, timeout=30, what="gunicorn to answer")

        def writers() -> set[str]:
            return {p.name.rsplit("_", 1)[-1] for p in metrics_dir.glob("counter_*.db")}

        # Requests on parallel connections, in rounds, until both processes have answered some:
        # one after another, an idle process may win every accept() and the other count nothing.
        sent = 0
        deadline = time.monotonic() + 60
        with ThreadPoolExecutor(max_workers=8) as pool:
            while True:
                codes = list(
                    pool.map(
                        lambda _: requests.get(f"{base}/api/v1/me/", timeout=10).status_code,
                        range(16),
                    )
                )
                assert codes == [401] * 16
                sent += 16
                if len(writers()) >= 2 or time.monotonic() > deadline:
                    break
        assert len(writers()) >= 2, "both gunicorn processes should have counted"
        body = requests.get(f"{base}/metrics", timeout=5).text
        assert (
            sample(body, "filot_api_errors_total", code="not_authenticated", status="401") == sent
        )
    finally:
        server.stop()
