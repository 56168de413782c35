"""Receivers that turn review and decision signals into outbox rows.

The signals are sent inside the transaction that makes the change, so the outbox row commits
or rolls back with it. Nothing else happens here: delivery starts on commit.
"""

from __future__ import annotations

from typing import Any

from reviews.models import ReviewSource
from reviews.signals import document_decided, review_opened


def _on_review_opened(sender: Any, review: Any, **kwargs: Any) -> None:
    from reviews.partner.models import EventType
    from reviews.partner.payloads import escalation_data
    from reviews.partner.services import outbox_enqueue, partner_enabled

    if not partner_enabled():
        return
    outbox_enqueue(
        event_type=EventType.REVIEW_ESCALATED,
        data=escalation_data(review),
        review_id=review.pk,
        document_id=review.document_id,
    )


def _on_document_decided(
    sender: Any,
    document: Any,
    decision: str,
    source: str,
    reason_codes: list[str],
    review: Any = None,
    **kwargs: Any,
) -> None:
    from reviews.partner.models import EventType
    from reviews.partner.payloads import decision_data
    from reviews.partner.services import outbox_enqueue, partner_enabled

    # A decision BULI2 made itself is not echoed back to it.
    if not partner_enabled() or source == ReviewSource.PARTNER:
        return
    outbox_enqueue(
        event_type=EventType.DOCUMENT_DECIDED,
        data=decision_data(
            document=document,
            decision=decision,
            source=source,
            reason_codes=list(reason_codes or []),
            review=review,
        ),
        review_id=review.pk if review is not None else None,
        document_id=document.pk,
    )


def connect() -> None:
    review_opened.connect(_on_review_opened, dispatch_uid="partner-outbox-review-opened")
    document_decided.connect(_on_document_decided, dispatch_uid="partner-outbox-document-decided")
