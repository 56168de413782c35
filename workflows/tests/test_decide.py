"""The decision stage: verification's result and what must go with it (the review case, the
partner's row) commit together or not at all, with no signal receiver in between."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from documents.models import Document
from ocr_gpu.tasks import ocr_document
from reviews.models import ManualReview
from reviews.partner import services as partner_services
from reviews.partner.models import OutboxEvent
from verification.models import VerificationResult
from verification.tests.flow import card_bytes, ktp_fields, upload
from workflows.services import document_decide

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def read(auth_client, fields: dict[str, str]) -> str:
    document_id = upload(auth_client, card_bytes("ktp", fields), "ktp")
    assert ocr_document.apply(args=(document_id,)).get() == "done"
    return document_id


def refuse_outbox_rows(monkeypatch) -> None:
    def refuse(**_: object) -> None:
        raise DatabaseError("the outbox row could not be written")

    monkeypatch.setattr(partner_services, "outbox_enqueue", refuse)


def test_an_automatic_decision_commits_with_its_partner_row_or_not_at_all(
    auth_client, partner, monkeypatch
):
    document_id = read(auth_client, ktp_fields(14))

    with monkeypatch.context() as patched:
        refuse_outbox_rows(patched)
        with pytest.raises(DatabaseError):
            document_decide(document_id=document_id)
    assert Document.objects.get(pk=document_id).status == "processing"
    assert not VerificationResult.objects.filter(document_id=document_id).exists()

    result = document_decide(document_id=document_id)

    assert result.decision == "auto_approved"
    row = OutboxEvent.objects.get(document_id=document_id)
    assert row.event_type == "document.decided"
    assert (row.payload["data"]["decision"], row.payload["data"]["source"]) == (
        "auto_approved",
        "verification",
    )


def test_a_case_opens_with_its_escalation_row_or_not_at_all(auth_client, partner, monkeypatch):
    fields = ktp_fields(10)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    document_id = read(auth_client, dict(fields, jenis_kelamin=swapped))

    with monkeypatch.context() as patched:
        refuse_outbox_rows(patched)
        with pytest.raises(DatabaseError):
            document_decide(document_id=document_id)
    assert Document.objects.get(pk=document_id).status == "processing"
    assert not ManualReview.objects.filter(document_id=document_id).exists()

    result = document_decide(document_id=document_id)

    assert result.decision == "in_review"
    review = ManualReview.objects.get(document_id=document_id, state="open")
    row = OutboxEvent.objects.get(document_id=document_id)
    assert (row.event_type, row.review_id) == ("review.escalated", review.pk)
