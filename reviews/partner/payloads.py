"""The bodies FiLot sends to BULI2 (Standard Webhooks style: ``{id, type, timestamp, data}``).

They carry the extracted fields BULI2's reviewers need, so they are personal data: never log
them. The callback URL comes from ``BULI2_CALLBACK_URL``, never from a request.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone

from documents.models import Document
from reviews.models import ManualReview
from verification.models import VerificationResult


def envelope(*, event_id: uuid.UUID, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "type": event_type,
        "timestamp": timezone.now().isoformat(),
        "data": data,
    }


def _latest_result(document: Document) -> VerificationResult | None:
    return (
        VerificationResult.objects.filter(document=document)
        .order_by("-attempt")
        .only("id", "score", "reason_codes", "fields", "attempt")
        .first()
    )


def escalation_data(review: ManualReview) -> dict[str, Any]:
    document = review.document
    result = review.verification_result or _latest_result(document)
    fields: dict[str, Any] = {}
    if result is not None:
        for name, field in (result.fields or {}).items():
            if isinstance(field, dict):
                fields[name] = {"value": field.get("value"), "confidence": field.get("confidence")}
    return {
        "review_id": str(review.pk),
        "document_id": str(document.pk),
        "user_id": str(document.owner_id),
        "doc_type": document.doc_type,
        "score": result.score if result is not None else None,
        "reason_codes": list(result.reason_codes) if result is not None else [],
        "fields": fields,
        "callback_url": settings.BULI2_CALLBACK_URL,
        "submitted_at": document.created_at.isoformat(),
        "opened_at": review.created_at.isoformat(),
    }


def cancellation_data(*, review: ManualReview, reason: str) -> dict[str, Any]:
    """A case BULI2 was given is withdrawn (``reason``: ``document_erased``). No personal data:
    the escalation carried it, and BULI2 should drop its copy."""
    return {
        "review_id": str(review.pk),
        "document_id": str(review.document_id),
        "partner_task_id": review.partner_task_id or None,
        "reason": reason,
        "cancelled_at": timezone.now().isoformat(),
    }


def decision_data(
    *,
    document: Document,
    decision: str,
    source: str,
    reason_codes: list[str],
    review: ManualReview | None,
) -> dict[str, Any]:
    result = (review.verification_result if review is not None else None) or _latest_result(
        document
    )
    return {
        "document_id": str(document.pk),
        "user_id": str(document.owner_id),
        "doc_type": document.doc_type,
        "review_id": str(review.pk) if review is not None else None,
        "partner_task_id": (review.partner_task_id or None) if review is not None else None,
        "decision": str(decision),
        # The reviewer's decision when a person decided: a resubmission request rejects the
        # document with a reason the user can fix.
        "review_decision": review.decision if review is not None else None,
        "source": str(source),
        "reason_codes": list(reason_codes),
        "score": result.score if result is not None else None,
        "decided_at": timezone.now().isoformat(),
    }
