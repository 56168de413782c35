"""The OCR task run by a real Celery worker process on PostgreSQL and Redis.

Each test starts ``celery -A filot worker`` (prefork, one child, as in production) against this
test's database and broker, uploads a generated card through the API and watches the document.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from documents.models import Document
from documents.status import DocumentStatus
from filot.testing.services import free_port
from filot.testing.worker import wait_for
from ocr_gpu.models import OcrRun
from ocr_gpu.testing.cards import make_card
from workflows.services import stuck_documents_sweep

pytestmark = pytest.mark.slow

URL = "/api/v1/documents/"
TERMINAL_OR_DECIDED = {
    DocumentStatus.AUTO_APPROVED,
    DocumentStatus.AUTO_REJECTED,
    DocumentStatus.IN_REVIEW,
}


def upload_card(client, doc_type: str = "ktp", seed: int = 1) -> tuple[str, dict]:
    data, truth = make_card(doc_type, "clean", seed)
    response = client.post(
        URL, {"file": io.BytesIO(data), "doc_type": doc_type.upper()}, format="multipart"
    )
    assert response.status_code == 202, response.content
    return response.json()["id"], truth


def fake_tesseract(tmp_path: Path, name: str, body: str) -> Path:
    """A ``tesseract`` stand-in: answers --version/--list-langs like the real one, then ``body``."""
    script = tmp_path / name
    script.write_text(
        f'#!/bin/sh\ncase "$1" in --version|--list-langs) exec tesseract "$@";; esac\n{body}\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


def document(document_id: str) -> Document:
    return Document.objects.get(pk=document_id)


def test_worker_reads_the_card_and_stores_its_text(auth_client, celery_worker_factory):
    celery_worker_factory()
    document_id, truth = upload_card(auth_client)

    run = wait_for(
        lambda: OcrRun.objects.filter(document_id=document_id).first(),
        timeout=90,
        what="the OCR output",
    )
    assert run.attempt == 1
    text = "\n".join(line["text"] for line in run.result["lines"])
    assert truth["fields"]["nik"] in text.replace(" ", "")
    assert run.result["quality"]["card_found"] is True
    assert set(run.result["timings_ms"]) >= {"load", "preprocess", "ocr"}
    words = [word for line in run.result["lines"] for word in line["words"]]
    assert words and all(len(word["box"]) == 4 for word in words)
    doc = document(document_id)
    assert doc.attempts == 1
    assert doc.status in {DocumentStatus.PROCESSING, *TERMINAL_OR_DECIDED}


def test_a_corrupt_file_that_slipped_past_intake_fails_at_once(
    auth_client, celery_worker_factory, settings
):
    document_id, _ = upload_card(auth_client)
    stored = Path(settings.MEDIA_ROOT) / document(document_id).storage_key
    stored.write_bytes(b"\xff\xd8\xff\xe0 this is no longer a picture")
    celery_worker_factory()

    wait_for(
        lambda: document(document_id).status == DocumentStatus.FAILED,
        timeout=60,
        what="the document to fail",
    )
    doc = document(document_id)
    assert doc.attempts == 1  # permanent: no retries
    assert doc.last_error_code == "image_unreadable"
    body = auth_client.get(f"{URL}{document_id}/").json()
    assert body["status"] == "failed"
    assert body["error"]["code"] == "image_unreadable"
    assert body["error"]["retryable"] is True  # the client is told to upload again
    assert "upload it again" in body["error"]["message"]


def test_a_storage_error_no_retry_can_mend_fails_the_document_at_once(
    auth_client, celery_worker_factory, settings
):
    # Given a stored upload the file store can never read back (a folder sits at its key)
    document_id, _ = upload_card(auth_client)
    stored = Path(settings.MEDIA_ROOT) / document(document_id).storage_key
    stored.unlink()
    stored.mkdir()
    celery_worker_factory()

    # When the worker takes it, then it fails on the first attempt, with its reason
    wait_for(
        lambda: document(document_id).status == DocumentStatus.FAILED,
        timeout=60,
        what="the document to fail",
    )
    doc = document(document_id)
    assert doc.attempts == 1  # not a named transient error: no retries with backoff
    assert doc.last_error_code == "internal_error"
    failed = doc.transitions.get(to_status=DocumentStatus.FAILED)
    assert failed.reason == "internal_error (IsADirectoryError)"
    body = auth_client.get(f"{URL}{document_id}/").json()
    assert (body["status"], body["error"]["code"]) == ("failed", "internal_error")


def test_an_unreachable_file_store_is_retried_with_backoff_until_attempts_run_out(
    auth_client, celery_worker_factory
):
    # Given a worker whose file store (S3 API) does not answer: nothing listens on its port
    document_id, _ = upload_card(auth_client)
    celery_worker_factory(
        CF_R2_BUCKET_NAME="filot-unreachable",
        CF_R2_ENDPOINT=f"http://127.0.0.1:{free_port()}",
        CF_R2_ACCESS_KEY_ID="test-access-key",
        CF_R2_SECRET_ACCESS_KEY="test-secret-key",
        CF_R2_CONNECT_TIMEOUT="1",
        OCR_MAX_ATTEMPTS="2",
    )

    # When the worker tries to read the upload, then the attempt is retried (a named
    # transient error), and the document fails only when the attempts are spent
    wait_for(
        lambda: document(document_id).status == DocumentStatus.FAILED,
        timeout=90,
        what="two attempts against the unreachable store",
    )
    doc = document(document_id)
    assert doc.attempts == 2
    assert doc.last_error_code == "storage_unavailable"
    reasons = list(doc.transitions.order_by("created_at").values_list("reason", flat=True))
    assert "retry after storage_unavailable" in reasons
    assert not OcrRun.objects.filter(document_id=document_id).exists()


def _processes_running(marker: str) -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if marker in line and "ps -eo" not in line]


def test_hung_tesseract_is_killed_each_attempt_and_the_document_fails_after_three(
    auth_client, celery_worker_factory, tmp_path
):
    marker = f"31{os.getpid()}7"
    hung = fake_tesseract(tmp_path, "hung-tesseract", f"exec sleep {marker}")
    celery_worker_factory(
        TESSERACT_BINDING="cli",
        TESSERACT_CMD=str(hung),
        OCR_SOFT_TIME_LIMIT="3",
        OCR_TIME_LIMIT="6",
        OCR_MAX_ATTEMPTS="3",
    )
    document_id, _ = upload_card(auth_client)

    wait_for(
        lambda: document(document_id).status == DocumentStatus.FAILED,
        timeout=120,
        what="three timed-out attempts",
    )
    doc = document(document_id)
    assert doc.attempts == 3
    assert doc.last_error_code == "ocr_timeout"
    reasons = list(doc.transitions.order_by("created_at").values_list("to_status", flat=True))
    assert reasons.count(DocumentStatus.PROCESSING) == 3
    assert not OcrRun.objects.filter(document_id=document_id).exists()
    assert _processes_running(marker) == []  # every hung Tesseract was killed
    body = auth_client.get(f"{URL}{document_id}/").json()
    assert (body["status"], body["error"]["code"]) == ("failed", "ocr_timeout")
    assert body["error"]["retryable"] is False  # not the client's fault: staff reprocess it


def test_a_worker_killed_mid_task_leaves_a_document_that_completes_later(
    auth_client, celery_worker_factory, tmp_path
):
    slow = fake_tesseract(tmp_path, "slow-tesseract", 'sleep 2; exec tesseract "$@"')
    first = celery_worker_factory(TESSERACT_BINDING="cli", TESSERACT_CMD=str(slow))
    document_id, truth = upload_card(auth_client, seed=7)
    wait_for(
        lambda: document(document_id).status == DocumentStatus.PROCESSING,
        timeout=60,
        interval=0.05,
        what="the first worker to take the document",
    )
    first.kill()
    assert document(document_id).status == DocumentStatus.PROCESSING
    assert not OcrRun.objects.filter(document_id=document_id).exists()

    celery_worker_factory()
    # The beat-scheduled sweeper finds documents whose worker stopped answering.
    counts = stuck_documents_sweep(now=timezone.now() + timedelta(hours=1))
    assert counts["recovered"] == 1

    run = wait_for(
        lambda: OcrRun.objects.filter(document_id=document_id).first(),
        timeout=90,
        what="the second worker to finish",
    )
    assert run.attempt == 2
    assert truth["fields"]["nik"] in "".join(line["text"] for line in run.result["lines"]).replace(
        " ", ""
    )
    assert document(document_id).attempts == 2
