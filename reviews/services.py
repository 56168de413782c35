"""Manual reviews: open a case, claim the next one with a lease, release it, decide it.

A case is opened by ``review_open`` in the transaction that records the verification result
that needs a person; where BULI2 is configured its outbox row (``review.escalated``) is written
in the same call. Every decision goes through ``review_decide``: in one transaction it checks
that the case is still open (and, from the console, that the reviewer still holds the claim),
moves the document to ``approved`` or ``rejected``, closes the review, stores the reviewer's
corrections and writes the partner's outbox row (``document.decided``). A stale browser tab or
a late partner callback gets a clear error instead of overriding a decision made elsewhere.

Blind QA cases and second reviews (``ReviewPurpose``, ``reviews.qa``) go through the same
claim and decision, but their decision only records the reviewer's judgement: the document
keeps its status and the partner is not told. Deciding a decision case may open its blind
second review in the same transaction.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from documents.models import Document
from documents.services import document_transition
from documents.status import DocumentStatus
from filot.errors import Conflict, FilotError
from filot.models import User
from reviews.events import review_event_record
from reviews.models import (
    FieldCorrection,
    ManualReview,
    ReviewDecision,
    ReviewEventKind,
    ReviewPurpose,
    ReviewSource,
    ReviewState,
)
from reviews.partner.services import partner_escalate, partner_tell_decision
from reviews.qa import second_review_open_if_sampled
from reviews.reasons import reason_problem, reasons_for
from reviews.staff import REVIEWER_PERMISSIONS as REVIEWER_PERMISSIONS
from reviews.staff import can_work_reviews as can_work_reviews
from reviews.staff import reviewer_create as reviewer_create
from reviews.staff import reviewer_group_ensure as reviewer_group_ensure
from reviews.staff import staff_access_record as staff_access_record
from verification.models import VerificationResult

# The ``as`` imports above are re-exported: the console, commands and tests reach the staff
# helpers (``reviews.staff``) through this module.
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


def lease_seconds() -> int:
    return int(settings.REVIEW_CLAIM_SECONDS)


def _lease() -> timedelta:
    return timedelta(seconds=lease_seconds())


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def claim_problem(
    review: ManualReview, actor: User, now: datetime, *, refused: str
) -> ClaimLost | None:
    """Why ``actor`` may not act on ``review`` as its holder (``None`` while they hold a live
    claim), in words that say who holds it. ``refused`` ends the message ("your decision was
    not applied")."""
    if review.held_by(actor, now):
        return None
    until = review.claim_expires_at
    holder = review.assignee
    if holder is not None and until is not None and review.held_by_other_than(actor, now):
        return ClaimLost(
            f"This case is held by {holder.email} until {_clock(until)}; {refused}.",
            code="held_by_other",
            details={"holder": holder.email, "until": until.isoformat()},
        )
    if holder is not None and holder.pk == actor.pk and until is not None:
        return ClaimLost(
            f"Your claim on this case ran out at {_clock(until)}; {refused}. "
            "Claim the case again to decide it.",
            code="claim_expired",
            details={"expired_at": until.isoformat()},
        )
    return ClaimLost(
        f"You do not hold this case; {refused}. Claim the case first.", code="claim_required"
    )


LEASE_ACTOR = "system:lease"


def _record_expired_claim(review: ManualReview, now: datetime) -> bool:
    """Before a new claim replaces a lapsed one: note that the previous lease ran out.

    Returns whether there was a lapsed claim. Lease expiry has no timer; it is recorded when
    somebody takes the case over (or its holder claims it again).
    """
    if review.assignee_id is None or review.claim_expires_at is None:
        return False
    if review.claim_is_live(now):
        return False
    previous = review.assignee
    review_event_record(
        review,
        "expired",
        None,
        f"claim of {previous.email if previous else 'a deleted user'} ran out at "
        f"{timezone.localtime(review.claim_expires_at):%Y-%m-%d %H:%M:%S}",
        label=LEASE_ACTOR,
    )
    return True


def _own_decision_checked(reviewer: User) -> Q:
    """Second reviews of the reviewer's own decisions: somebody else must give them."""
    return Q(purpose=ReviewPurpose.SECOND, checked_review__decided_by=reviewer)


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
            .filter(state=ReviewState.OPEN)
            .held_by(reviewer, now)
            .order_by("created_at")
            .first()
        )
        if held is not None:
            held.claim_expires_at = now + _lease()
            held.save(update_fields=["claim_expires_at", "updated_at"])
            return held
        candidates = (
            ManualReview.objects.filter(state=ReviewState.OPEN)
            .claimable(now)
            .exclude(_own_decision_checked(reviewer))
        )
        if doc_type:
            candidates = candidates.filter(document__doc_type=doc_type)
        review = (
            candidates.select_for_update(skip_locked=True, of=("self",))
            .order_by("created_at")
            .first()
        )
        if review is None:
            return None
        _record_expired_claim(review, now)
        review.assignee = reviewer
        review.claim_expires_at = now + _lease()
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
        review_event_record(review, "claimed", reviewer, "claim next")
    logger.info("review claimed", extra={"review_id": str(review.pk), "reviewer": str(reviewer.pk)})
    return review


def review_claim(*, review_id: uuid.UUID | str, reviewer: User) -> ManualReview:
    """Claim one particular case (opened from the queue). Fails if someone else holds it."""
    now = timezone.now()
    with transaction.atomic():
        review = ManualReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.state != ReviewState.OPEN:
            raise ReviewNotOpen("This case is no longer open.", code="review_not_open")
        if review.held_by_other_than(reviewer, now):
            raise ClaimLost("Another reviewer is working on this case.", code="review_claimed")
        if (
            ManualReview.objects.filter(pk=review.pk)
            .filter(_own_decision_checked(reviewer))
            .exists()
        ):
            raise ClaimLost(
                "This is a second review of your own decision: another reviewer must give it.",
                code="own_decision",
            )
        lapsed = _record_expired_claim(review, now)
        renewing = review.assignee_id == reviewer.pk and not lapsed
        review.assignee = reviewer
        review.claim_expires_at = now + _lease()
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
        if not renewing:
            review_event_record(review, "claimed", reviewer, "opened from the queue")
    return review


def review_extend_claim(*, review_id: uuid.UUID | str, reviewer: User) -> ManualReview:
    """Renew the lease of a reviewer who still holds a live claim (the console asks while the
    reviewer is active on the case). Never takes a case over: a lapsed or lost claim raises
    ``ClaimLost`` saying who holds the case now."""
    now = timezone.now()
    with transaction.atomic():
        review = ManualReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.state != ReviewState.OPEN:
            raise ReviewNotOpen("This case is no longer open.", code="review_not_open")
        lost = claim_problem(review, reviewer, now, refused="your claim was not extended")
        if lost is not None:
            raise lost
        review.claim_expires_at = now + _lease()
        review.save(update_fields=["claim_expires_at", "updated_at"])
    return review


def review_release(*, review_id: uuid.UUID | str, actor: User) -> ManualReview:
    """Give a case back to the queue: its holder may, and so may an admin (reassignment)."""
    with transaction.atomic():
        review = ManualReview.objects.select_for_update().get(pk=review_id)
        if review.assignee_id not in (None, actor.pk) and not actor.is_superuser:
            raise ClaimLost("Only the reviewer holding the case or an admin can release it.")
        previous = review.assignee
        review.assignee = None
        review.claim_expires_at = None
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
        if previous is not None:
            review_event_record(review, "released", actor, f"was held by {previous.email}")
    return review


OPENED_BY = "system:verification"


def review_open(*, document: Document, result: VerificationResult) -> ManualReview:
    """Open the case for a verification result that needs a person, in the caller's
    transaction (the one that records ``result``).

    A case still open from an earlier attempt of the document is cancelled as superseded. Both
    moves go into the cases' histories, and where BULI2 is configured the new case is given to
    it through the outbox (``review.escalated``), committed with the case.
    """
    with transaction.atomic():
        superseded = list(
            ManualReview.objects.select_for_update().filter(
                document=document, state=ReviewState.OPEN
            )
        )
        ManualReview.objects.filter(pk__in=[r.pk for r in superseded]).update(
            state=ReviewState.CANCELLED
        )
        for old in superseded:
            review_event_record(
                old,
                ReviewEventKind.CANCELLED,
                None,
                f"superseded by verification attempt {result.attempt}",
                label=OPENED_BY,
            )
        review = ManualReview.objects.create(document=document, verification_result=result)
        review_event_record(
            review,
            ReviewEventKind.OPENED,
            None,
            f"attempt {result.attempt}, score {result.score}: "
            f"{', '.join(result.reason_codes) or 'no findings'}",
            label=OPENED_BY,
        )
        partner_escalate(review=review)
    return review


def decision_problem(decision: str, reason_code: str) -> InvalidDecision | None:
    """Why ``decision`` with ``reason_code`` cannot be recorded (None when it can): a decision
    is approved, rejected or resubmission, and its reason one of the decision's own
    (``reviews.reasons.reasons_for``)."""
    if decision not in ReviewDecision.values:
        return InvalidDecision(
            "Decision must be approved, rejected or resubmission.", code="invalid_decision"
        )
    problem = reason_problem(decision, reason_code)
    if problem is not None:
        return InvalidDecision(
            problem[1],
            code=problem[0],
            details={"decision": decision, "allowed": list(reasons_for(decision))},
        )
    return None


def decided_status(decision: str) -> DocumentStatus:
    """The document's status after a reviewer's decision: a resubmission request rejects the
    document with a reason the user can fix."""
    return S.APPROVED if decision == ReviewDecision.APPROVED else S.REJECTED


def _review_to_decide(
    *, review_id: uuid.UUID | str, actor: User | None, source: str, now: datetime
) -> ManualReview:
    """The open case, locked, that ``actor`` may decide from ``source``; raises otherwise.

    From the console the reviewer must hold a live claim on the case (admins may decide any
    open case); from the partner no claim is needed.
    """
    review = (
        ManualReview.objects.select_for_update()
        .select_related("document")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise ReviewNotOpen("This case does not exist.", code="review_not_found")
    if review.document.erased_at is not None:
        raise ReviewNotOpen(
            "The document was erased at its owner's request; it can no longer be decided.",
            code="document_erased",
            details={"state": review.state},
        )
    if review.state != ReviewState.OPEN:
        raise ReviewNotOpen(
            "This case was already decided elsewhere; your decision was not applied.",
            code="review_already_decided",
            details={"state": review.state, "decision": review.decision},
        )
    if review.purpose != ReviewPurpose.DECISION and source != ReviewSource.CONSOLE:
        # Blind QA and second reviews are never escalated to the partner.
        raise ReviewNotOpen("This case does not exist.", code="review_not_found")
    if source == ReviewSource.CONSOLE and actor is not None and not actor.is_superuser:
        lost = claim_problem(review, actor, now, refused="your decision was not applied")
        if lost is not None:
            raise lost
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
    """Decide an open case: the document becomes ``approved`` or ``rejected`` (also for a
    resubmission request), the case is closed with the decision, and the partner's outbox row
    is written, all in one transaction. A blind QA or second review only records the
    reviewer's judgement (the document keeps its status, the partner is not told).

    The first decision wins: deciding a case that is no longer open raises ``ReviewNotOpen``
    carrying the existing decision. ``decision_problem`` and ``_review_to_decide`` say what
    else is refused.
    """
    invalid = decision_problem(decision, reason_code)
    if invalid is not None:
        raise invalid
    now = timezone.now()
    target = decided_status(decision)
    with transaction.atomic():
        review = _review_to_decide(review_id=review_id, actor=actor, source=source, now=now)
        deciding = review.purpose == ReviewPurpose.DECISION
        # Only a decision case moves its document; a QA or second review records a judgement.
        if deciding and not document_transition(
            document_id=review.document_id,
            source=S.IN_REVIEW,
            target=target,
            actor=actor,
            actor_label=f"system:{source}" if actor is None else None,
            reason=f"review {decision}: {reason_code}",
        ):
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
        review_event_record(
            review,
            ReviewEventKind.DECIDED,
            actor,
            f"{decision}: {reason_code}",
            label="" if actor is not None else f"system:{source}",
        )
        if deciding:
            partner_tell_decision(
                document=review.document,
                decision=target,
                source=source,
                reason_codes=[reason_code],
                review=review,
            )
            second_review_open_if_sampled(review=review)
    logger.info(
        "review decided",
        extra={
            "review_id": str(review.pk),
            "decision": decision,
            "source": source,
            "purpose": review.purpose,
        },
    )
    return review


def review_cancel_open(
    *, document_id: uuid.UUID | str, actor: User | None, detail: str
) -> list[ManualReview]:
    """Cancel the document's open review (inside the caller's transaction), with a history
    event; returns what was cancelled. A case being worked loses its claim with it."""
    open_reviews = list(
        ManualReview.objects.select_for_update().filter(
            document_id=document_id, state=ReviewState.OPEN
        )
    )
    for review in open_reviews:
        review.state = ReviewState.CANCELLED
        review.assignee = None
        review.claim_expires_at = None
        review.save(update_fields=["state", "assignee", "claim_expires_at", "updated_at"])
        review_event_record(review, "cancelled", actor, detail)
    return open_reviews


def review_reassign(*, review_id: uuid.UUID | str, actor: User, assignee: User) -> ManualReview:
    """An admin hands an open case to another reviewer with a fresh lease."""
    if not actor.is_superuser:
        raise ClaimLost("Only an admin can reassign a case.", code="reassign_forbidden")
    if not can_work_reviews(assignee):
        raise InvalidDecision("That user cannot work reviews.", code="invalid_assignee")
    with transaction.atomic():
        review = ManualReview.objects.select_for_update().filter(pk=review_id).first()
        if review is None or review.state != ReviewState.OPEN:
            raise ReviewNotOpen("This case is no longer open.", code="review_not_open")
        previous = review.assignee
        review.assignee = assignee
        review.claim_expires_at = timezone.now() + _lease()
        review.save(update_fields=["assignee", "claim_expires_at", "updated_at"])
        review_event_record(
            review,
            "reassigned",
            actor,
            f"{previous.email if previous else 'nobody'} -> {assignee.email}",
        )
    logger.info(
        "review reassigned",
        extra={"review_id": str(review.pk), "reviewer": str(assignee.pk), "by": str(actor.pk)},
    )
    return review


def review_decide_with_corrections(
    *,
    review_id: uuid.UUID | str,
    actor: User,
    decision: str,
    reason_code: str,
    notes: str = "",
    corrections: dict[str, str] | None = None,
) -> ManualReview:
    """A console decision: record each changed field as a ``FieldCorrection`` (old -> new,
    reviewer, time) and decide through ``review_decide`` with the new values in
    ``corrected_fields``, all in one transaction. Unchanged values are ignored."""
    with transaction.atomic():
        review = (
            ManualReview.objects.select_related("verification_result").filter(pk=review_id).first()
        )
        if review is None:
            raise ReviewNotOpen("This case does not exist.", code="review_not_found")
        extracted = review.verification_result.fields if review.verification_result else {}
        changed: dict[str, tuple[str, str]] = {}
        for name, new in (corrections or {}).items():
            # Values are one line: a new line typed into a field becomes a space.
            new_value = " ".join(new.split())
            current = review.corrected_fields.get(name)
            if current is None:
                current = (extracted.get(name) or {}).get("value") or ""
            if new_value != str(current):
                changed[name] = (str(current), new_value)
        decided = review_decide(
            review_id=review.pk,
            decision=decision,
            reason_code=reason_code,
            actor=actor,
            source=ReviewSource.CONSOLE,
            notes=notes,
            corrected_fields={name: new for name, (_, new) in changed.items()},
        )
        FieldCorrection.objects.bulk_create(
            FieldCorrection(
                review=decided,
                document_id=decided.document_id,
                field=name,
                old_value=old,
                new_value=new,
                reviewer=actor,
            )
            for name, (old, new) in sorted(changed.items())
        )
    return decided
