"""Claims, leases, stale decisions and corrections, through the ``reviews`` services."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from documents.models import Document
from filot.models import Role
from filot.services import user_create
from reviews.models import FieldCorrection, ManualReview, ReviewEvent
from reviews.services import (
    ClaimLost,
    InvalidDecision,
    ReviewNotOpen,
    review_claim,
    review_claim_next,
    review_decide,
    review_decide_with_corrections,
    review_extend_claim,
    review_reassign,
    review_release,
)

pytestmark = pytest.mark.django_db


def _expire(review: ManualReview) -> None:
    ManualReview.objects.filter(pk=review.pk).update(
        claim_expires_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_racing_for_one_case_exactly_one_wins(make_case, reviewer, other_reviewer):
    case = make_case()
    barrier = threading.Barrier(2)
    won: list[Any] = []
    errors: list[BaseException] = []

    def claim(user: Any) -> None:
        try:
            barrier.wait(timeout=10)
            won.append(review_claim_next(reviewer=user))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (reviewer, other_reviewer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors
    winners = [review for review in won if review is not None]
    assert len(winners) == 1
    assert winners[0].pk == case.pk
    case.refresh_from_db()
    assert case.assignee_id == winners[0].assignee_id


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_deciding_one_case_at_once_one_decision_stands(make_case, admin_user):
    second_admin = user_create(
        email="second-admin@example.test", password="x" * 12, role=Role.ADMIN
    )
    case = make_case()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(user: Any, decision: str) -> None:
        try:
            barrier.wait(timeout=10)
            review_decide(
                review_id=case.pk,
                decision=decision,
                reason_code="verified" if decision == "approved" else "name_mismatch",
                actor=user,
            )
            outcomes.append("decided")
        except ReviewNotOpen:
            outcomes.append("stale")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(admin_user, "approved")),
        threading.Thread(target=decide, args=(second_admin, "rejected")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["decided", "stale"]
    assert Document.objects.get(pk=case.document_id).status in ("approved", "rejected")


def test_claim_next_gives_the_oldest_case_and_skips_held_ones(make_case, reviewer, other_reviewer):
    first, second = make_case(), make_case()

    assert review_claim_next(reviewer=reviewer).pk == first.pk
    assert review_claim_next(reviewer=other_reviewer).pk == second.pk
    assert review_claim_next(reviewer=reviewer).pk == first.pk  # its own live claim, renewed


def test_an_expired_lease_frees_the_case_for_someone_else(make_case, reviewer, other_reviewer):
    case = make_case()
    review_claim_next(reviewer=reviewer)
    _expire(case)

    taken = review_claim_next(reviewer=other_reviewer)

    assert taken is not None and taken.pk == case.pk
    assert taken.assignee_id == other_reviewer.pk


def test_deciding_after_the_lease_was_taken_over_is_refused(make_case, reviewer, other_reviewer):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    _expire(case)
    review_claim(review_id=case.pk, reviewer=other_reviewer)

    with pytest.raises(ClaimLost) as caught:
        review_decide_with_corrections(
            review_id=case.pk, actor=reviewer, decision="approved", reason_code="verified"
        )

    assert caught.value.code == "held_by_other"  # said with who holds it now
    assert other_reviewer.email in str(caught.value.detail)
    assert Document.objects.get(pk=case.document_id).status == "in_review"
    assert not FieldCorrection.objects.exists()


def test_a_stale_tab_cannot_decide_a_case_already_decided(make_case, reviewer, other_reviewer):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    review_decide_with_corrections(
        review_id=case.pk, actor=reviewer, decision="approved", reason_code="verified"
    )

    with pytest.raises(ReviewNotOpen) as caught:
        review_decide_with_corrections(
            review_id=case.pk,
            actor=reviewer,
            decision="rejected",
            reason_code="name_mismatch",
            notes="late",
        )

    assert caught.value.code == "review_already_decided"
    assert ManualReview.objects.get(pk=case.pk).decision == "approved"


def test_corrections_are_recorded_old_to_new_and_merged_into_the_review(make_case, reviewer):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    old_name = case.verification_result.fields["nama"]["value"]

    decided = review_decide_with_corrections(
        review_id=case.pk,
        actor=reviewer,
        decision="approved",
        reason_code="verified",
        corrections={"nama": "BUDI SANTOSO", "jenis_kelamin": "LAKI-LAKI"},  # second unchanged
    )

    assert decided.corrected_fields == {"nama": "BUDI SANTOSO"}
    (correction,) = FieldCorrection.objects.all()
    assert (correction.field, correction.old_value, correction.new_value) == (
        "nama",
        old_name,
        "BUDI SANTOSO",
    )
    assert correction.reviewer_id == reviewer.pk
    assert correction.created_at is not None
    assert Document.objects.get(pk=case.document_id).status == "approved"


def test_release_returns_the_case_and_only_its_holder_or_an_admin_may(
    make_case, reviewer, other_reviewer, admin_user
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)

    with pytest.raises(ClaimLost):
        review_release(review_id=case.pk, actor=other_reviewer)
    review_release(review_id=case.pk, actor=admin_user)

    case.refresh_from_db()
    assert case.assignee_id is None and case.claim_expires_at is None


def test_only_an_admin_reassigns_and_the_new_holder_can_decide(
    make_case, reviewer, other_reviewer, admin_user
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)

    with pytest.raises(ClaimLost):
        review_reassign(review_id=case.pk, actor=reviewer, assignee=other_reviewer)
    review_reassign(review_id=case.pk, actor=admin_user, assignee=other_reviewer)

    with pytest.raises(ClaimLost):
        review_decide(
            review_id=case.pk, decision="approved", reason_code="verified", actor=reviewer
        )
    review_decide(
        review_id=case.pk, decision="approved", reason_code="verified", actor=other_reviewer
    )
    assert ManualReview.objects.get(pk=case.pk).decided_by_id == other_reviewer.pk


def test_claims_releases_reassignments_and_decisions_are_kept_as_history(
    make_case, reviewer, other_reviewer, admin_user
):
    case = make_case()
    review_claim_next(reviewer=reviewer)
    review_release(review_id=case.pk, actor=reviewer)
    review_claim(review_id=case.pk, reviewer=other_reviewer)
    review_reassign(review_id=case.pk, actor=admin_user, assignee=reviewer)
    review_decide(review_id=case.pk, decision="approved", reason_code="verified", actor=reviewer)

    events = list(ReviewEvent.objects.filter(review=case).values_list("kind", "actor_id"))
    assert events == [
        ("claimed", reviewer.pk),
        ("released", reviewer.pk),
        ("claimed", other_reviewer.pk),
        ("reassigned", admin_user.pk),
        ("decided", reviewer.pk),
    ]


@pytest.mark.parametrize(
    ("decision", "reason_code", "code"),
    [
        ("approved", "image_blurry", "reason_not_for_decision"),
        ("approved", "", "reason_required"),
        ("rejected", "verified", "reason_not_for_decision"),
        ("rejected", "", "reason_required"),
        ("resubmission", "nik_sex_mismatch", "reason_not_for_decision"),
        ("resubmission", "because", "invalid_reason_code"),
    ],
)
def test_each_decision_takes_only_its_own_reasons(
    make_case, admin_user, decision, reason_code, code
):
    case = make_case()

    with pytest.raises(InvalidDecision) as caught:
        review_decide(
            review_id=case.pk, decision=decision, reason_code=reason_code, actor=admin_user
        )

    assert caught.value.code == code
    assert Document.objects.get(pk=case.document_id).status == "in_review"


def test_a_resubmission_rejects_the_document_with_its_retryable_reason(make_case, admin_user):
    case = make_case()

    decided = review_decide(
        review_id=case.pk, decision="resubmission", reason_code="image_glare", actor=admin_user
    )

    assert (decided.decision, decided.reason_code) == ("resubmission", "image_glare")
    assert Document.objects.get(pk=case.document_id).status == "rejected"


def test_the_lease_is_extended_only_for_its_live_holder(make_case, reviewer, other_reviewer):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    ManualReview.objects.filter(pk=case.pk).update(
        claim_expires_at=timezone.now() + timedelta(seconds=30)
    )

    extended = review_extend_claim(review_id=case.pk, reviewer=reviewer)
    with pytest.raises(ClaimLost) as by_other:
        review_extend_claim(review_id=case.pk, reviewer=other_reviewer)
    _expire(case)
    with pytest.raises(ClaimLost) as lapsed:
        review_extend_claim(review_id=case.pk, reviewer=reviewer)

    assert extended.claim_expires_at > timezone.now() + timedelta(minutes=10)
    assert by_other.value.code == "held_by_other"
    assert reviewer.email in str(by_other.value.detail)
    assert lapsed.value.code == "claim_expired"  # never silently re-claimed
