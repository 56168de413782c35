"""Blind quality checks of decisions, and what their outcomes say.

- **QA cases.** A share (``QA_SAMPLE_SHARE``, e.g. 2 %) of automatic decisions is also put in
  the review queue as a blind case: the reviewer decides the document without seeing what the
  machine decided. Their decisions measure the real false-auto-approval and
  false-auto-rejection rates. ``qa_cases_sample`` opens them; the beat task
  ``reviews.tasks.sample_qa_cases`` runs it every few minutes over the recent decisions.
- **Second reviews.** A share (``SECOND_REVIEW_SHARE``) of decided cases gets a second,
  blind review by another reviewer (``second_review_open_if_sampled``, inside the decision's
  transaction); agreement is Cohen's kappa, on the decision and per reason code.

Which decisions are sampled is fixed by a keyed hash of the case's id (``sampled``): users
cannot predict it, asking twice gives the same answer, and over many cases the share is the
configured one. Neither kind of case changes the document or reaches the partner.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from documents.models import Document
from filot.crypto import lookup_digest
from filot.stats import Proportion, cohen_kappa, wilson
from reviews.events import review_event_record
from reviews.models import ManualReview, ReviewDecision, ReviewPurpose, ReviewState
from verification.models import Outcome, VerificationResult

logger = logging.getLogger(__name__)
SAMPLER = "system:qa"
AUTOMATIC = (Outcome.AUTO_APPROVED, Outcome.AUTO_REJECTED)
HASH_DIGITS = 13  # 52 bits of the digest: a float's whole mantissa


def sampled(key: str, share: float) -> bool:
    """Whether the case named ``key`` falls in the sample of ``share`` (0-1)."""
    if share <= 0:
        return False
    if share >= 1:
        return True
    digest = lookup_digest(key, purpose="qa-sample")
    return bool(int(digest[:HASH_DIGITS], 16) / 16**HASH_DIGITS < share)


def qa_cases_sample(
    *, now: datetime | None = None, share: float | None = None, lookback: timedelta | None = None
) -> list[ManualReview]:
    """Open a blind QA case for each sampled automatic decision of the last ``lookback``.

    A decision qualifies while its document still stands as decided (not reprocessed or
    erased since) and has no open case. Running this again opens nothing twice (one QA case per
    result, a constraint). Returns the cases opened.
    """
    now = now or timezone.now()
    share = settings.QA_SAMPLE_SHARE if share is None else share
    lookback = lookback or timedelta(seconds=settings.QA_SAMPLE_LOOKBACK_SECONDS)
    if share <= 0:
        return []
    candidates = (
        VerificationResult.objects.filter(
            created_at__gte=now - lookback, created_at__lte=now, decision__in=AUTOMATIC
        )
        .exclude(reviews__purpose=ReviewPurpose.QA)
        .values_list("pk", "document_id", "attempt", "decision")
    )
    opened = []
    for result_id, document_id, attempt, decision in candidates.iterator(chunk_size=2000):
        if not sampled(f"qa:{result_id}", share):
            continue
        review = _open_qa_case(result_id, document_id, attempt, decision)
        if review is not None:
            opened.append(review)
    if opened:
        logger.info("qa cases opened", extra={"count": len(opened)})
    return opened


def _open_qa_case(result_id: Any, document_id: Any, attempt: int, decision: str) -> Any:
    try:
        with transaction.atomic():
            document = (
                Document.objects.select_for_update()
                .filter(
                    pk=document_id, attempt_seq=attempt, status=decision, erased_at__isnull=True
                )
                .first()
            )
            if document is None:
                return None
            if ManualReview.objects.filter(document=document, state=ReviewState.OPEN).exists():
                return None
            review = ManualReview.objects.create(
                document=document, verification_result_id=result_id, purpose=ReviewPurpose.QA
            )
            review_event_record(review, "opened", None, "blind QA sample", label=SAMPLER)
            return review
    except IntegrityError:  # another sampler run opened it first
        return None


def second_review_open_if_sampled(*, review: ManualReview) -> ManualReview | None:
    """Open the blind second review of ``review`` (just decided, inside its transaction) when
    it falls in ``SECOND_REVIEW_SHARE``."""
    if review.purpose != ReviewPurpose.DECISION or review.state != ReviewState.DECIDED:
        return None
    if not sampled(f"second:{review.pk}", settings.SECOND_REVIEW_SHARE):
        return None
    second = ManualReview.objects.create(
        document_id=review.document_id,
        verification_result_id=review.verification_result_id,
        purpose=ReviewPurpose.SECOND,
        checked_review=review,
    )
    review_event_record(second, "opened", None, "blind second review", label=SAMPLER)
    return second


# --- what the outcomes say ----------------------------------------------------------------


def _decided(purpose: str, since: datetime | None, doc_type: str | None) -> QuerySet[Any]:
    reviews = ManualReview.objects.filter(purpose=purpose, state=ReviewState.DECIDED)
    if since is not None:
        reviews = reviews.filter(decided_at__gte=since)
    if doc_type:
        reviews = reviews.filter(document__doc_type=doc_type)
    return reviews


@dataclass
class QaRates:
    false_auto_approvals: Proportion  # of QA'd auto-approvals, those a reviewer did not approve
    false_auto_rejections: Proportion  # of QA'd auto-rejections, those a reviewer approved
    open_cases: int
    disagreements: list[dict[str, Any]]  # the latest, newest first

    def to_dict(self) -> dict[str, Any]:
        return {
            "false_auto_approvals": self.false_auto_approvals.to_dict(),
            "false_auto_rejections": self.false_auto_rejections.to_dict(),
            "open_cases": self.open_cases,
            "disagreements": self.disagreements,
        }


def qa_rates(*, since: datetime | None = None, doc_type: str | None = None) -> QaRates:
    """The real false-auto-approval and false-auto-rejection rates, from decided QA cases.

    A reviewer's rejection and resubmission request both disagree with an auto-approval; only
    an approval disagrees with an auto-rejection.
    """
    rows = list(
        _decided(ReviewPurpose.QA, since, doc_type)
        .order_by("-decided_at")
        .values_list("pk", "verification_result__decision", "decision", "reason_code", "decided_at")
    )
    approved = [r for r in rows if r[1] == Outcome.AUTO_APPROVED]
    rejected = [r for r in rows if r[1] == Outcome.AUTO_REJECTED]
    wrong_approvals = [r for r in approved if r[2] != ReviewDecision.APPROVED]
    wrong_rejections = [r for r in rejected if r[2] == ReviewDecision.APPROVED]
    disagreements = sorted(wrong_approvals + wrong_rejections, key=lambda r: r[4], reverse=True)
    open_cases = ManualReview.objects.filter(purpose=ReviewPurpose.QA, state=ReviewState.OPEN)
    if doc_type:
        open_cases = open_cases.filter(document__doc_type=doc_type)
    return QaRates(
        false_auto_approvals=wilson(len(wrong_approvals), len(approved)),
        false_auto_rejections=wilson(len(wrong_rejections), len(rejected)),
        open_cases=open_cases.count(),
        disagreements=[
            {"review_id": str(r[0]), "machine": r[1], "reviewer": r[2], "reason": r[3]}
            for r in disagreements[:20]
        ],
    )


@dataclass
class ReasonAgreement:
    code: str
    first: int  # pairs whose first reviewer gave this reason
    second: int  # pairs whose second reviewer gave it
    both: int
    kappa: float | None  # None: undefined (no variation)


@dataclass
class Agreement:
    pairs: int
    decision_agreement: float | None  # share of pairs with the same decision
    decision_kappa: float | None
    reasons: list[ReasonAgreement]

    def to_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "decision_agreement": self.decision_agreement,
            "decision_kappa": self.decision_kappa,
            "reasons": [vars(r) for r in self.reasons],
        }


def second_review_agreement(
    *, since: datetime | None = None, doc_type: str | None = None
) -> Agreement:
    """Cohen's kappa between first and second reviewers: on the decision (approve, reject,
    resubmission) and, per reason code, on whether each gave that reason."""
    pairs = list(
        _decided(ReviewPurpose.SECOND, since, doc_type)
        .filter(checked_review__state=ReviewState.DECIDED)
        .values_list(
            "checked_review__decision", "checked_review__reason_code", "decision", "reason_code"
        )
    )
    first_decisions = [p[0] for p in pairs]
    second_decisions = [p[2] for p in pairs]
    codes = sorted({p[1] for p in pairs} | {p[3] for p in pairs})
    reasons = []
    for code in codes:
        first = [p[1] == code for p in pairs]
        second = [p[3] == code for p in pairs]
        reasons.append(
            ReasonAgreement(
                code=code,
                first=sum(first),
                second=sum(second),
                both=sum(a and b for a, b in zip(first, second, strict=True)),
                kappa=_rounded(cohen_kappa(first, second)),
            )
        )
    same = sum(a == b for a, b in zip(first_decisions, second_decisions, strict=True))
    return Agreement(
        pairs=len(pairs),
        decision_agreement=round(same / len(pairs), 4) if pairs else None,
        decision_kappa=_rounded(cohen_kappa(first_decisions, second_decisions)),
        reasons=reasons,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def human_decisions(result_ids: Iterable[Any] | None = None) -> dict[Any, str]:
    """result id -> what a person decided about it (``approved``, ``rejected`` or
    ``resubmission``): the decision case's outcome, else a blind QA case's. Second reviews do
    not count (they measure reviewers, not documents). Decisions from the partner count."""
    reviews = ManualReview.objects.filter(
        state=ReviewState.DECIDED,
        purpose__in=[ReviewPurpose.DECISION, ReviewPurpose.QA],
        verification_result__isnull=False,
    )
    if result_ids is not None:
        reviews = reviews.filter(verification_result_id__in=list(result_ids))
    found: dict[Any, str] = {}
    rows = reviews.order_by("decided_at").values_list(
        "verification_result_id", "purpose", "decision"
    )
    for result_id, purpose, decision in rows.iterator(chunk_size=5000):
        if purpose == ReviewPurpose.DECISION or result_id not in found:
            found[result_id] = str(decision)
    return found
