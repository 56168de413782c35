"""Callbacks from BULI2: verify, record the event id once, apply the decision.

The first decision wins (``review_decide``): a decision for a case already decided elsewhere
is answered with 409 and the existing decision. A redelivered event (same ``webhook-id``,
even re-signed later) is answered 200 and changes nothing. Event ids are kept for
``BULI2_INBOUND_EVENT_RETENTION_DAYS`` (at least 30); older timestamps are refused anyway.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework import status

from filot.errors import FilotError
from reviews.models import ReviewDecision, ReviewSource
from reviews.partner import signing
from reviews.partner.models import InboundEvent, InboundOutcome
from reviews.reasons import DEFAULT_APPROVAL
from reviews.services import ReviewNotOpen, review_decide

logger = logging.getLogger(__name__)
DECISION_EVENT = "review.decided"


class WebhookRejected(FilotError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "invalid_signature"
    default_detail = "The webhook signature could not be verified."


class PartnerNotConfiguredError(FilotError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "partner_not_configured"
    default_detail = "Partner callbacks are not configured."


class ReviewNotFound(FilotError):
    status_code = status.HTTP_404_NOT_FOUND
    default_code = "review_not_found"
    default_detail = "No such review."


def verification_keys(*, now: float | None = None) -> list[bytes]:
    """The current BULI2 secret, plus the previous one until its rotation expiry."""
    keys: list[bytes] = []
    if settings.BULI2_SIGNATURE_SECRET:
        keys.append(signing.secret_key(settings.BULI2_SIGNATURE_SECRET))
    previous = settings.BULI2_SIGNATURE_SECRET_PREVIOUS
    expiry = parse_datetime(settings.BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT or "")
    current = now if now is not None else time.time()
    if previous and expiry is not None and expiry.tzinfo and current < expiry.timestamp():
        keys.append(signing.secret_key(previous))
    return keys


def callback_verify(*, headers: Mapping[str, str], body: bytes) -> signing.Verified:
    """Check the Standard Webhooks signature over the raw body; raises a coded 400/401/503."""
    keys = verification_keys()
    if not keys:  # fail closed: production refuses to start without it anyway
        raise PartnerNotConfiguredError()
    try:
        return signing.verify(
            headers,
            body,
            keys,
            now=time.time(),
            tolerance_seconds=settings.BULI2_WEBHOOK_TOLERANCE_SECONDS,
        )
    except signing.SignatureError as exc:
        logger.warning("partner callback refused", extra={"code": exc.code})
        raise WebhookRejected(str(exc), code=exc.code, status_code=exc.status) from exc


def partner_reason(decision: str, reason_code: str) -> str:
    """BULI2 may approve without a reason (``verified``); any reason it gives must be one of the
    decision's own, checked by ``review_decide`` as for the console."""
    if not reason_code and decision == ReviewDecision.APPROVED:
        return DEFAULT_APPROVAL
    return reason_code


def callback_receive(
    *, webhook_id: str, event_type: str, data: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Apply a verified ``review.decided`` event once. Returns (answer, replayed).

    Raises ``ReviewNotOpen`` (409, with the existing decision) when the case was decided
    elsewhere first, ``ReviewNotFound`` for an unknown review, ``InvalidDecision`` (400) for a
    reason that is not one of the decision's own.
    Conflicts and unknown reviews are recorded too, so their redelivery is a quiet 200.
    """
    review_id = uuid.UUID(str(data["review_id"]))
    failure: FilotError | None = None
    with transaction.atomic():
        event, created = InboundEvent.objects.get_or_create(
            webhook_id=webhook_id,
            defaults={
                "event_type": event_type,
                "review_id": review_id,
                "outcome": InboundOutcome.APPLIED,
            },
        )
        if not created:
            logger.info("partner callback replayed", extra={"webhook_id": webhook_id})
            return {"status": "duplicate", "outcome": event.outcome}, True
        try:
            review = review_decide(
                review_id=review_id,
                decision=data["decision"],
                reason_code=partner_reason(data["decision"], data.get("reason_code") or ""),
                actor=None,
                source=ReviewSource.PARTNER,
                notes=data.get("notes") or "",
                partner_reference=data.get("task_id") or "",
            )
        except ReviewNotOpen as exc:
            if exc.code == "review_not_found":
                event.outcome = InboundOutcome.NOT_FOUND
                failure = ReviewNotFound("No review has this id.", code="review_not_found")
            else:
                event.outcome = InboundOutcome.CONFLICT
                failure = exc
            event.save(update_fields=["outcome"])
    if failure is not None:
        logger.info(
            "partner callback not applied",
            extra={"webhook_id": webhook_id, "review_id": str(review_id), "code": failure.code},
        )
        raise failure
    logger.info(
        "partner callback applied",
        extra={"webhook_id": webhook_id, "review_id": str(review_id), "decision": review.decision},
    )
    return {
        "status": "applied",
        "review_id": str(review.pk),
        "decision": review.decision,
        "decided_at": (review.decided_at or timezone.now()).isoformat(),
    }, False
