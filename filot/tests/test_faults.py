"""Fault injection: Redis, PostgreSQL, the OCR worker and document storage fail under load.

Services that a test stops are private instances (``filot.testing.services``), never the
shared PostgreSQL and Redis the rest of the suite runs on. Every test ends with a
reconciliation: each accepted upload is one document with one file, processed once, and a
refused upload left neither a row nor an object behind.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import psycopg2
import pytest
import redis
import requests
from django.utils import timezone
from moto.server import ThreadedMotoServer

from conftest import bearer_for
from documents.models import Document, DocumentTransition
from documents.status import DocumentStatus
from filot.testing.services import (
    REPO_ROOT,
    PostgresCluster,
    RedisServer,
    WebServer,
    free_port,
    s3_storage,
    subprocess_env,
)
from filot.testing.worker import database_url_for_tests, wait_for
from ocr_gpu.models import OcrRun
from ocr_gpu.testing.cards import make_card
from verification.models import VerificationResult
from workflows.services import stuck_documents_sweep

pytestmark = pytest.mark.slow

S = DocumentStatus
URL = "/api/v1/documents/"
DECIDED = {S.AUTO_APPROVED, S.AUTO_REJECTED, S.IN_REVIEW}


def assert_error_envelope(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/json")
    assert "Traceback" not in response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"] and "request_id" in error and "details" in error
    return error


def assert_processed_once(document_id: str) -> Document:
    """One claim per attempt, one OCR output and one decision: nothing done twice."""
    document = Document.objects.get(pk=document_id)
    assert document.status in DECIDED, document.status
    assert document.attempts == 1
    started = DocumentTransition.objects.filter(document_id=document_id, to_status=S.PROCESSING)
    assert started.count() == 1
    assert OcrRun.objects.filter(document_id=document_id).count() == 1
    assert VerificationResult.objects.filter(document_id=document_id).count() == 1
    return document


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def web_servers(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[list[WebServer]]:
    servers: list[WebServer] = []
    yield servers
    for server in servers:
        server.stop()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for server in servers:
            print(f"--- {server.log_path.name} ---\n{server.log()[-6000:]}")


def upload(
    base_url: str, user: Any, data: bytes, *, key: str | None = None, timeout: float = 15
) -> requests.Response:
    headers = {"Authorization": bearer_for(user)}
    if key:
        headers["Idempotency-Key"] = key
    return requests.post(
        f"{base_url}{URL}",
        headers=headers,
        data={"doc_type": "KTP"},
        files={"file": ("card.jpg", data, "image/jpeg")},
        timeout=timeout,
    )


# 1. Redis (the broker) stops while a client uploads.


def test_upload_while_redis_is_down_is_accepted_and_finished_by_the_sweep(
    transactional_db, user, settings, private_redis, celery_worker_factory, web_servers, tmp_path
):
    settings.REDIS_URL = private_redis.url  # the worker's broker
    celery_worker_factory()
    env = {
        "DATABASE_URL": database_url_for_tests(),
        "REDIS_URL": private_redis.url,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    web = WebServer(env=env, log_path=tmp_path / "web.log").start()
    web_servers.append(web)
    first, _ = make_card("ktp", "clean", 1)
    second, _ = make_card("ktp", "clean", 7)

    def decided(document_id: str) -> bool:
        return Document.objects.get(pk=document_id).status in DECIDED

    # Given a web process whose broker and cache connections are open and in use,
    before = upload(web.base_url, user, first, key="redis-up-1")
    assert before.status_code == 202, before.text
    wait_for(lambda: decided(before.json()["id"]), timeout=90, what="the first document")

    # when Redis dies and a client uploads,
    private_redis.stop()
    started = time.monotonic()
    response = upload(web.base_url, user, second, key="redis-down-1")
    elapsed = time.monotonic() - started

    # then the upload is accepted at once and its row waits as the outbox.
    assert response.status_code == 202, response.text
    assert elapsed < 3, f"the upload took {elapsed:.1f}s with the broker down"
    document_id = response.json()["id"]
    document = Document.objects.get(pk=document_id)
    assert (document.status, document.last_enqueued_at) == (S.QUEUED, None)
    health = requests.get(f"{web.base_url}/health", timeout=15)
    assert health.status_code == 503
    assert health.json()["checks"]["redis"]["ok"] is False
    assert requests.get(f"{web.base_url}/health/live", timeout=5).status_code == 200

    # When Redis is back (empty: it kept nothing), the sweep publishes the row again.
    private_redis.start()
    sweep = subprocess.run(  # the beat's sweep, as an operator runs it
        [sys.executable, "manage.py", "recover_stuck_documents", "--older-than", "0"],
        env=subprocess_env(**env),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "republished 1" in sweep.stdout

    wait_for(lambda: decided(document_id), timeout=90, what="the republished document")
    assert Document.objects.filter(owner=user).count() == 2
    for accepted in (before.json()["id"], document_id):
        processed = assert_processed_once(accepted)
        assert Path(settings.MEDIA_ROOT, processed.storage_key).is_file()


# 2. PostgreSQL stops while the API is serving.


def _count_documents(url: str) -> int:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM documents")
        count: int = cursor.fetchone()[0]
    connection.close()
    return count


def test_database_down_is_a_json_503_and_the_api_recovers_when_it_returns(
    transactional_db, user, settings, web_servers, tmp_path
):
    cluster = PostgresCluster().init()
    try:
        cluster.copy_database(database_url_for_tests())  # schema and the user
        web = WebServer(
            env={
                "DATABASE_URL": cluster.url,
                "REDIS_URL": settings.REDIS_URL,
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            },
            log_path=tmp_path / "web.log",
        ).start()
        web_servers.append(web)
        auth = {"Authorization": bearer_for(user)}
        media = Path(settings.MEDIA_ROOT)
        data, _ = make_card("ktp", "clean", 2)
        assert requests.get(f"{web.base_url}{URL}", headers=auth, timeout=10).status_code == 200
        assert requests.get(f"{web.base_url}/health", timeout=10).status_code == 200

        cluster.stop()  # the server's persistent connection dies with it

        started = time.monotonic()
        listed = requests.get(f"{web.base_url}{URL}", headers=auth, timeout=15)
        assert time.monotonic() - started < 5
        assert_error_envelope(listed, 503, "database_unavailable")
        refused = upload(web.base_url, user, data, key="pg-down-1")
        assert_error_envelope(refused, 503, "database_unavailable")
        me = requests.get(f"{web.base_url}/api/v1/me/", headers=auth, timeout=15)
        assert_error_envelope(me, 503, "database_unavailable")
        health = requests.get(f"{web.base_url}/health", timeout=15)
        assert health.status_code == 503
        assert health.json()["checks"]["database"]["ok"] is False
        assert requests.get(f"{web.base_url}/health/live", timeout=5).status_code == 200

        cluster.start()

        assert requests.get(f"{web.base_url}{URL}", headers=auth, timeout=10).status_code == 200
        assert requests.get(f"{web.base_url}/health", timeout=10).status_code == 200
        accepted = upload(web.base_url, user, data, key="pg-down-1")
        assert accepted.status_code == 202, accepted.text
        assert upload(web.base_url, user, data, key="pg-down-1").status_code == 200  # replay
        assert _count_documents(cluster.url) == 1
        stored = [p for p in media.rglob("*") if p.is_file()]
        assert len(stored) == 1 and stored[0].name.startswith(accepted.json()["id"])
        assert "Traceback" not in web.log()
    finally:
        cluster.close()


# 3. A poison image crashes the OCR worker process every time it is read.


def crashing_tesseract(tmp_path: Path, poison: str) -> Path:
    """Real Tesseract, except that reading ``poison`` kills the worker process that asked,
    as a segfault in a native library would."""
    script = tmp_path / "poison-tesseract"
    script.write_text(
        f"#!{sys.executable}\n"
        "import glob, os, signal, subprocess, sys\n"
        "args = sys.argv[1:]\n"
        "code = subprocess.call(['tesseract', *args])\n"
        "if len(args) >= 2 and not args[0].startswith('-'):\n"
        "    words = []\n"
        "    for path in glob.glob(args[1] + '.*'):\n"
        "        with open(path, errors='replace') as handle:\n"
        "            words += [row.split('\\t')[-1] for row in handle.read().splitlines()[1:]]\n"
        f"    if {poison!r} in ''.join(words):\n"
        "        os.kill(os.getppid(), signal.SIGKILL)\n"
        "sys.exit(code)\n"
    )
    script.chmod(0o755)
    return script


def test_a_poison_image_fails_after_three_crashes_and_a_healthy_one_completes(
    auth_client, celery_worker_factory, tmp_path
):
    poison_data, poison_truth = make_card("ktp", "clean", 1)
    healthy_data, healthy_truth = make_card("ktp", "clean", 7)
    assert poison_truth["fields"]["nik"] != healthy_truth["fields"]["nik"]
    worker = celery_worker_factory(
        TESSERACT_BINDING="cli",  # the poison is planted in the binary's calls
        TESSERACT_CMD=str(crashing_tesseract(tmp_path, poison_truth["fields"]["nik"])),
        OCR_MAX_ATTEMPTS="3",
    )

    def post(data: bytes) -> str:
        response = auth_client.post(
            URL, {"file": io.BytesIO(data), "doc_type": "KTP"}, format="multipart"
        )
        assert response.status_code == 202, response.content
        return response.json()["id"]

    poison_id = post(poison_data)
    healthy_id = post(healthy_data)

    def crashed(times: int) -> bool:
        poison = Document.objects.get(pk=poison_id)
        return (
            worker.log().count("exited with 'signal 9") >= times
            and poison.status == S.PROCESSING
            and poison.attempts == times
        )

    wait_for(lambda: crashed(1), timeout=60, what="the first crash")
    wait_for(
        lambda: Document.objects.get(pk=healthy_id).status in DECIDED,
        timeout=180,  # a fresh worker process loads the OCR models first
        what="the healthy document beside the poison one",
    )
    later = timezone.now() + timedelta(hours=1)  # past STUCK_PROCESSING_SECONDS: as the beat
    for attempt in (2, 3):
        assert stuck_documents_sweep(now=later)["recovered"] == 1
        wait_for(lambda attempt=attempt: crashed(attempt), timeout=60, what=f"crash {attempt}")
    assert stuck_documents_sweep(now=later)["failed"] == 1
    assert worker.log().count("exited with 'signal 9") == 3

    poison = Document.objects.get(pk=poison_id)
    assert (poison.status, poison.attempts) == (S.FAILED, 3)
    assert poison.last_error_code == "attempts_exhausted"
    failed = poison.transitions.get(to_status=S.FAILED)
    assert "worker stopped answering" in failed.reason
    assert poison.transitions.filter(to_status=S.PROCESSING).count() == 3
    assert not OcrRun.objects.filter(document_id=poison_id).exists()
    body = auth_client.get(f"{URL}{poison_id}/").json()
    assert (body["status"], body["error"]["code"]) == ("failed", "attempts_exhausted")
    # The redelivered messages of the killed attempts found the document claimed: no 4th run.
    assert stuck_documents_sweep(now=later) == {
        "republished": 0,
        "recovered": 0,
        "failed": 0,
        "reverified": 0,
    }
    assert_processed_once(healthy_id)
    assert Document.objects.count() == 2


# 4. Document storage (S3 API) is unreachable during an upload.

BUCKET = "filot-fault-documents"


def test_storage_down_is_a_503_without_a_row_and_a_retry_makes_one_document(
    auth_client, settings, jpeg_bytes
):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing-secret",
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(endpoint, BUCKET)}

    def post() -> Any:
        return auth_client.post(
            URL,
            {"file": io.BytesIO(jpeg_bytes), "doc_type": "KTP"},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="storage-down-1",
        )

    def objects() -> list[str]:
        return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    try:
        server.stop()
        started = time.monotonic()
        refused = post()
        assert time.monotonic() - started < 5
        assert refused.status_code == 503
        assert "Traceback" not in refused.content.decode()
        assert refused.json()["error"]["code"] == "storage_unavailable"
        assert not Document.objects.exists()

        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()  # moto keeps its buckets in this process: the storage "comes back"
        assert objects() == []  # nothing was half-written while it was down

        accepted = post()
        assert accepted.status_code == 202, accepted.content
        replayed = post()
        assert replayed.status_code == 200
        assert replayed.json()["id"] == accepted.json()["id"]

        document = Document.objects.get()
        assert str(document.pk) == accepted.json()["id"]
        assert objects() == [document.storage_key]
    finally:
        with contextlib.suppress(Exception):  # moto may be the stopped one
            for key in objects():
                s3.delete_object(Bucket=BUCKET, Key=key)
            s3.delete_bucket(Bucket=BUCKET)
        server.stop()


# 5. The throttle cache (Redis) goes away.


def test_throttle_cache_down_keeps_the_api_serving(
    auth_client, settings, private_redis, jpeg_bytes, png_bytes
):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "uploads": "1000/hour",
        },
    }

    def post(data: bytes, key: str) -> Any:
        return auth_client.post(
            URL,
            {"file": io.BytesIO(data), "doc_type": "KTP"},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    cache = redis.Redis.from_url(private_redis.url)
    assert post(jpeg_bytes, "cache-1").status_code == 202
    assert cache.keys("*throttle*")  # the throttles do use this cache
    cache.close()

    private_redis.stop()
    started = time.monotonic()
    assert auth_client.get(URL).status_code == 200
    accepted = post(png_bytes, "cache-2")
    assert accepted.status_code == 202, accepted.content
    assert auth_client.get(f"{URL}{accepted.json()['id']}/").status_code == 200
    assert auth_client.get("/api/v1/me/").status_code == 200
    assert time.monotonic() - started < 5

    private_redis.start()
    assert auth_client.get(URL).json()["count"] == 2
    cache = redis.Redis.from_url(private_redis.url)
    assert cache.keys("*throttle*")  # rate limiting is back with its cache
    cache.close()
    assert Document.objects.count() == 2
    assert {d.idempotency_key for d in Document.objects.all()} == {"cache-1", "cache-2"}


def test_login_still_works_while_the_throttle_cache_is_down(
    api_client, make_user, settings, private_redis
):
    make_user(email="client@example.test", password="correct horse battery staple")
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
        }
    }
    private_redis.stop()

    response = api_client.post(
        "/api/v1/auth/token/",
        {"email": "client@example.test", "password": "correct horse battery staple"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["access"]
