"""Working manual reviews: claim the next case with a lease, release it, decide it.

Every decision goes through ``review_decide``: in one transaction it checks that the case is
still open (and, from the console, that the reviewer still holds the claim), moves the document
to ``approved`` or ``rejected``, closes the review, stores the reviewer's corrections and sends
``document_decided`` so the partner is told. A stale browser tab or a late partner callback
gets a clear error instead of overriding a decision made elsewhere.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from documents.services import document_transition
from documents.status import DocumentStatus
from filot.errors import Conflict, FilotError
from filot.models import User
from reviews.models import ManualReview, ReviewDecision, ReviewSource, ReviewState
from reviews.signals import document_decided

logger = logging.getLogger(__name__)
S = DocumentStatus


class ReviewNotOpen(Conflict):
    """The case was decided or cancelled meanwhile."""

    default_code = "review_not_open"


class ClaimLost(Conflict):
    """The reviewer's lease expired and someone else holds the case, or nobody claimed it."""

    default_code = "claim_lost"


class InvalidDecision(FilotError):
    default_code = "invalid_decision"


def _lease() -> timedelta:
    return timedelta(seconds=settings.REVIEW_CLAIM_SECONDS)


def _claimable(now: Any) -> Q:
    return Q(assignee__isnull=True) | Q(claim_expires_at__lte=now)


def review_claim_next(*, reviewer: User, doc_type: str | None = None) -> ManualReview | None:
    """Give ``reviewer`` the oldest open case nobody holds (or whose lease ran out).

    Two reviewers asking at once never get the same case: the row is locked with
    ``SKIP LOCKED`` and the claim is a conditional update. A reviewer who already holds a live
    claim gets that case back (and its lease renewed) instead of a second one.
    """
    now = timezone.now()
    with transaction.atomic():
        held = (
            ManualReview.objects.select_for_update()
            .filter(state=ReviewState.OPEN, assignee=reviewer, claim_expires_at__gt=now)
            .order_by("created_at")
            .first()
        )
        if held is not None:
            held.claim_expires_at = now + _lease()
            held.save(update_fields=["claim_expires_at", "updated_at"])
            return held
        candidates = ManualReview.objects.filter(state=ReviewState.OPEN).filter(_claimable(now))
        if doc_type:
            candidates = candidates.filter(document__doc_type=doc_type)
        review = (
            candidates.select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at")
            .first()
        )
        if review is None:
            return None
        review.assignee = reviewer
        review.claim_expires_at = now + _lease()
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
    logger.info("review claimed", extra={"review_id": str(review.pk), "reviewer": str(reviewer.pk)})
    return review


def review_claim(*, review_id: uuid.UUID | str, reviewer: User) -> ManualReview:
    """Claim one particular case (opened from the queue). Fails if someone else holds it."""
    now = timezone.now()
    with transaction.atomic():
        review = ManualReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.state != ReviewState.OPEN:
            raise ReviewNotOpen("This case is no longer open.", code="review_not_open")
        held_by_other = (
            review.assignee_id not in (None, reviewer.pk)
            and review.claim_expires_at is not None
            and review.claim_expires_at > now
        )
        if held_by_other:
            raise ClaimLost("Another reviewer is working on this case.", code="review_claimed")
        review.assignee = reviewer
        review.claim_expires_at = now + _lease()
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
    return review


def review_release(*, review_id: uuid.UUID | str, actor: User) -> ManualReview:
    """Give a case back to the queue: its holder may, and so may an admin (reassignment)."""
    with transaction.atomic():
        review = ManualReview.objects.select_for_update().get(pk=review_id)
        if review.assignee_id not in (None, actor.pk) and not actor.is_superuser:
            raise ClaimLost("Only the reviewer holding the case or an admin can release it.")
        review.assignee = None
        review.claim_expires_at = None
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
    return review


def review_decide(
    *,
    review_id: uuid.UUID | str,
    decision: str,
    reason_code: str,
    actor: User | None,
    source: str = ReviewSource.CONSOLE,
    notes: str = "",
    corrected_fields: dict[str, Any] | None = None,
    partner_reference: str = "",
) -> ManualReview:
    """Decide an open case: the document becomes ``approved`` or ``rejected``.

    From the console the reviewer must hold a live claim on the case (admins may decide any
    open case). From the partner no claim is needed. The first decision wins: deciding a case
    that is no longer open raises ``ReviewNotOpen`` carrying the existing decision.
    """
    from verification.reasons import REASONS

    if decision not in ReviewDecision.values:
        raise InvalidDecision("Decision must be approved or rejected.", code="invalid_decision")
    if reason_code and reason_code not in REASONS and reason_code != "verified":
        raise InvalidDecision("Unknown reason code.", code="invalid_reason_code")
    if decision == ReviewDecision.REJECTED and not reason_code:
        raise InvalidDecision("A rejection needs a reason code.", code="reason_required")
    now = timezone.now()
    with transaction.atomic():
        review = (
            ManualReview.objects.select_for_update()
            .select_related("document")
            .filter(pk=review_id)
            .first()
        )
        if review is None:
            raise ReviewNotOpen("This case does not exist.", code="review_not_found")
        if review.state != ReviewState.OPEN:
            raise ReviewNotOpen(
                "This case was already decided elsewhere; your decision was not applied.",
                code="review_already_decided",
                details={"state": review.state, "decision": review.decision},
            )
        if source == ReviewSource.CONSOLE and actor is not None and not actor.is_superuser:
            holds = (
                review.assignee_id == actor.pk
                and review.claim_expires_at is not None
                and review.claim_expires_at > now
            )
            if not holds:
                raise ClaimLost(
                    "Your claim on this case has expired or was taken over; claim it again.",
                    code="claim_expired",
                )
        target = S.APPROVED if decision == ReviewDecision.APPROVED else S.REJECTED
        moved = document_transition(
            document_id=review.document_id,
            source=S.IN_REVIEW,
            target=target,
            actor=actor,
            actor_label=f"system:{source}" if actor is None else None,
            reason=f"review {decision}: {reason_code or 'no reason given'}",
        )
        if not moved:
            raise ReviewNotOpen(
                "The document is no longer waiting for review.", code="document_not_in_review"
            )
        review.state = ReviewState.DECIDED
        review.decision = decision
        review.reason_code = reason_code
        review.notes = notes
        review.source = source
        review.decided_by = actor
        review.decided_at = now
        if corrected_fields:
            review.corrected_fields = {**review.corrected_fields, **corrected_fields}
        if partner_reference and not review.partner_task_id:
            review.partner_task_id = partner_reference
        review.save()
        document_decided.send(
            sender=ManualReview,
            document=review.document,
            decision=target,
            source=source,
            reason_codes=[reason_code] if reason_code else [],
            review=review,
        )
    logger.info(
        "review decided",
        extra={"review_id": str(review.pk), "decision": decision, "source": source},
    )
    return review
