"""The answer to an upload describes the document as it is when the answer is sent: where
tasks run in-process (``make run``), that is after OCR and verification."""

from __future__ import annotations

import io

import pytest

from documents.models import Document
from filot.celery import app
from verification.tests.flow import card_bytes, ktp_fields

pytestmark = pytest.mark.slow


@pytest.fixture
def tasks_in_process():
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def test_upload_answer_shows_the_finished_document_when_tasks_run_in_process(
    transactional_db, auth_client, tasks_in_process
):
    response = auth_client.post(
        "/api/v1/documents/",
        {"file": io.BytesIO(card_bytes("ktp", ktp_fields(71))), "doc_type": "KTP"},
        format="multipart",
    )

    assert response.status_code == 202, response.content
    body = response.json()
    stored = Document.objects.get(pk=body["id"])
    assert stored.status != "queued"  # OCR and verification ran on commit
    assert body["status"] == stored.status
    assert body["verification"]["decision"] == stored.status
    assert body["attempts"] == stored.attempts == 1
