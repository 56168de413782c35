"""The status machine, KYC derivation, enqueue-after-commit and the stuck-document sweep."""

from __future__ import annotations

import base64
import io
import json
from datetime import timedelta

import kombu.pools
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from documents.models import Document, DocumentTransition
from documents.selectors import kyc_status_from
from documents.services import IllegalTransition, document_submit, document_transition
from documents.status import TRANSITIONS, DocumentStatus
from documents.tests.factories import DocumentFactory
from filot.celery import app
from workflows.services import stuck_documents_sweep

S = DocumentStatus


def make_document(owner, status=S.QUEUED, **extra) -> Document:
    return DocumentFactory(owner=owner, status=status, **extra)


def queued_task_ids(redis_client, queue: str = "ocr_gpu") -> list[str]:
    """The document ids of the OCR messages waiting in the real Redis broker."""
    messages = [json.loads(raw) for raw in redis_client.lrange(queue, 0, -1)]
    return [json.loads(base64.b64decode(m["body"]))[0][0] for m in messages]


ALL = [s.value for s in S]
ALLOWED = [(a, b) for a in ALL for b in ALL if b in TRANSITIONS[a]]
FORBIDDEN = [(a, b) for a in ALL for b in ALL if b not in TRANSITIONS[a]]


@pytest.mark.django_db
class TestTransitionTable:
    @pytest.mark.parametrize(("source", "target"), ALLOWED)
    def test_allowed_move_is_made_once_and_recorded(self, user, source, target):
        document = make_document(user, status=source)

        assert document_transition(
            document_id=document.pk, source=source, target=target, actor=user, reason="t"
        )
        assert (
            not document_transition(
                document_id=document.pk, source=source, target=target, actor=user
            )
            or source == target
        )

        document.refresh_from_db()
        assert document.status == target
        record = DocumentTransition.objects.get(document=document)
        assert (record.from_status, record.to_status, record.actor, record.actor_label) == (
            source,
            target,
            user,
            f"user:{user.pk}",
        )

    @pytest.mark.parametrize(("source", "target"), FORBIDDEN)
    def test_illegal_move_raises_and_writes_nothing(self, user, source, target):
        document = make_document(user, status=source)

        with pytest.raises(IllegalTransition):
            document_transition(document_id=document.pk, source=source, target=target)

        document.refresh_from_db()
        assert document.status == source
        assert not DocumentTransition.objects.filter(document=document).exists()

    def test_move_from_a_status_the_document_has_left_does_nothing(self, user):
        document = make_document(user, status=S.PROCESSING)

        assert not document_transition(
            document_id=document.pk, source=S.QUEUED, target=S.PROCESSING
        )
        assert not DocumentTransition.objects.exists()

    def test_database_refuses_an_unknown_status(self, user):
        from django.db import IntegrityError

        with pytest.raises(IntegrityError), transaction.atomic():
            make_document(user, status="bogus")


@pytest.mark.parametrize(
    ("ktp", "npwp", "expected"),
    [
        (None, None, "unverified"),
        ("queued", None, "pending"),
        ("auto_approved", None, "pending"),
        ("auto_approved", "approved", "verified"),
        ("approved", "in_review", "in_review"),
        ("auto_approved", "auto_rejected", "rejected"),
        ("rejected", "approved", "rejected"),
        ("failed", "approved", "pending"),
    ],
)
def test_kyc_status_is_derived_from_latest_ktp_and_npwp(ktp, npwp, expected):
    assert kyc_status_from([ktp, npwp]) == expected


@pytest.mark.django_db
def test_kyc_status_uses_the_latest_document_of_each_type(auth_client, user):
    old_ktp = make_document(user, status=S.AUTO_REJECTED)
    Document.objects.filter(pk=old_ktp.pk).update(created_at=timezone.now() - timedelta(days=1))
    make_document(user, status=S.APPROVED)
    make_document(user, status=S.AUTO_APPROVED, doc_type="NPWP")

    assert auth_client.get("/api/v1/me/").json()["kyc_status"] == "verified"


@pytest.mark.django_db(transaction=True)
class TestEnqueueAfterCommit:
    def test_upload_publishes_the_ocr_task_once_after_commit(
        self, auth_client, jpeg_bytes, redis_client
    ):
        response = auth_client.post(
            "/api/v1/documents/",
            {"file": io.BytesIO(jpeg_bytes), "doc_type": "KTP"},
            format="multipart",
        )

        assert response.status_code == 202
        assert queued_task_ids(redis_client) == [str(response.json()["id"])]
        assert Document.objects.get(pk=response.json()["id"]).last_enqueued_at is not None

    def test_nothing_is_published_when_the_transaction_rolls_back(
        self, user, jpeg_bytes, redis_client
    ):
        with pytest.raises(RuntimeError), transaction.atomic():
            document_submit(
                owner=user, doc_type="KTP", upload=SimpleUploadedFile("a.jpg", jpeg_bytes)
            )
            assert queued_task_ids(redis_client) == []
            raise RuntimeError("abort")

        assert queued_task_ids(redis_client) == []
        assert not Document.objects.exists()

    def test_upload_still_answers_when_the_broker_is_down(self, auth_client, jpeg_bytes, settings):
        def use_broker(url: str) -> None:
            app.pool.force_close_all()
            app.conf.broker_url = url
            # The connection and producer pools keep the URL they were made with.
            app._pool = None
            app.amqp._producer_pool = None
            kombu.pools.reset()

        use_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1
        try:
            response = auth_client.post(
                "/api/v1/documents/",
                {"file": io.BytesIO(jpeg_bytes), "doc_type": "KTP"},
                format="multipart",
            )
        finally:
            use_broker(settings.CELERY_BROKER_URL)
        assert response.status_code == 202
        document = Document.objects.get(pk=response.json()["id"])
        assert (document.status, document.last_enqueued_at) == ("queued", None)


@pytest.mark.django_db(transaction=True)
class TestStuckDocumentSweep:
    def test_queued_document_whose_message_was_lost_is_published_again(
        self, user, redis_client, settings
    ):
        settings.STUCK_QUEUED_SECONDS = 60
        lost = make_document(user)
        fresh = make_document(user)
        Document.objects.filter(pk=lost.pk).update(
            status_changed_at=timezone.now() - timedelta(minutes=5)
        )

        counts = stuck_documents_sweep()

        assert counts["republished"] == 1
        assert queued_task_ids(redis_client) == [str(lost.pk)]
        assert stuck_documents_sweep()["republished"] == 0  # not again until the timeout passes
        assert fresh.pk not in {
            d.pk for d in Document.objects.filter(last_enqueued_at__isnull=False)
        }

    def test_processing_document_of_a_vanished_worker_is_requeued(
        self, user, redis_client, settings
    ):
        settings.STUCK_PROCESSING_SECONDS = 60
        stuck = make_document(user, status=S.PROCESSING, attempts=1)
        Document.objects.filter(pk=stuck.pk).update(
            status_changed_at=timezone.now() - timedelta(minutes=5)
        )

        assert stuck_documents_sweep()["recovered"] == 1

        stuck.refresh_from_db()
        assert (stuck.status, stuck.last_error_code) == ("queued", "worker_lost")
        assert queued_task_ids(redis_client) == [str(stuck.pk)]
        assert DocumentTransition.objects.filter(
            document=stuck, actor_label="system:sweeper"
        ).exists()

    def test_processing_document_with_attempts_spent_fails_with_reason(self, user, settings):
        settings.STUCK_PROCESSING_SECONDS = 60
        stuck = make_document(user, status=S.PROCESSING, attempts=settings.OCR_MAX_ATTEMPTS)
        Document.objects.filter(pk=stuck.pk).update(
            status_changed_at=timezone.now() - timedelta(minutes=5)
        )

        assert stuck_documents_sweep()["failed"] == 1
        stuck.refresh_from_db()
        assert (stuck.status, stuck.last_error_code) == ("failed", "attempts_exhausted")

    def test_sweep_is_scheduled_on_beat(self, settings):
        schedule = settings.CELERY_BEAT_SCHEDULE["sweep-stuck-documents"]
        assert schedule["task"] == "workflows.tasks.sweep_stuck_documents"

        assert app.amqp.router.route({}, schedule["task"])["queue"].name == "default"
        assert app.amqp.router.route({}, "ocr_gpu.tasks.ocr_document")["queue"].name == "ocr_gpu"
