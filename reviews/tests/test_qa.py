"""Blind QA of automatic decisions and blind second reviews: the share sampled, what the
reviewer does not see, what their decisions change (nothing but the measures), and the
measures: false-auto-decision rates and agreement."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from reviews.models import ManualReview, ReviewPurpose
from reviews.partner.models import OutboxEvent
from reviews.qa import (
    qa_cases_sample,
    qa_rates,
    sampled,
    second_review_agreement,
)
from reviews.services import (
    ClaimLost,
    ReviewNotOpen,
    review_claim,
    review_claim_next,
    review_decide,
    review_decide_with_corrections,
)

pytestmark = pytest.mark.django_db


def test_the_sample_is_the_configured_share_and_the_same_every_time():
    keys = [f"qa:{uuid.UUID(int=i)}" for i in range(20_000)]

    share = sum(sampled(key, 0.02) for key in keys) / len(keys)

    # Binomial sd of the share over 20 000 is 0.1 %: 0.5 % either side is five of them.
    assert 0.015 <= share <= 0.025
    assert [sampled(key, 0.02) for key in keys[:500]] == [sampled(key, 0.02) for key in keys[:500]]
    assert not any(sampled(key, 0.0) for key in keys[:100])
    assert all(sampled(key, 1.0) for key in keys[:100])


def test_sampling_opens_one_blind_case_per_sampled_automatic_decision(make_case, settings):
    approved = [make_case(decision="auto_approved", open_review=False) for _ in range(12)]
    rejected = [make_case(decision="auto_rejected", open_review=False) for _ in range(6)]
    in_review = make_case()  # a decision case already: never sampled
    results = approved + rejected
    expected = {r.pk for r in results if sampled(f"qa:{r.pk}", 0.5)}

    opened = qa_cases_sample(share=0.5)
    again = qa_cases_sample(share=0.5)

    assert {r.verification_result_id for r in opened} == expected
    assert again == []
    assert all(r.purpose == ReviewPurpose.QA and r.state == "open" for r in opened)
    assert not ManualReview.objects.filter(document=in_review.document, purpose="qa").exists()
    # The documents keep their automatic decision.
    for result in results:
        result.document.refresh_from_db()
        assert result.document.status == result.decision


def test_a_reprocessed_document_is_not_sampled(make_case):
    result = make_case(decision="auto_approved", open_review=False)
    type(result.document).objects.filter(pk=result.document.pk).update(status="queued")

    assert qa_cases_sample(share=1.0) == []


def test_a_qa_case_hides_the_machines_decision_and_its_verdict_changes_nothing(
    make_case, reviewer, console_client
):
    result = make_case(decision="auto_approved", open_review=False, score=93)
    [qa] = qa_cases_sample(share=1.0)
    ordinary = make_case(score=61)
    client = console_client(reviewer)

    queue = client.get(reverse("admin:reviews_manualreview_changelist")).content.decode()
    review_claim(review_id=qa.pk, reviewer=reviewer)
    page = client.get(reverse("admin:reviews_manualreview_case", args=[qa.pk])).content.decode()
    ordinary_page = client.get(
        reverse("admin:reviews_manualreview_case", args=[ordinary.pk])
    ).content.decode()

    assert "Blind QA case" in page
    assert "Auto-approved" not in page and "auto_approved" not in page
    assert 'id="score"' not in page and "thresholds: reject" not in page
    assert "Document status" not in page and 'id="attempts"' not in page
    assert 'id="score"' in ordinary_page and "Document status" in ordinary_page
    assert ">93<" not in queue and ">61<" in queue  # the queue hides a blind case's score
    scored = client.get(reverse("admin:reviews_manualreview_changelist") + "?score=top&state=all")
    assert str(qa.pk)[:8] not in scored.content.decode()

    outbox_before = OutboxEvent.objects.count()
    decided = review_decide(
        review_id=qa.pk, decision="rejected", reason_code="nik_invalid", actor=reviewer
    )

    result.document.refresh_from_db()
    assert decided.state == "decided" and decided.decision == "rejected"
    assert result.document.status == "auto_approved"
    assert OutboxEvent.objects.count() == outbox_before  # the partner is not told
    rates = qa_rates()
    assert (rates.false_auto_approvals.hits, rates.false_auto_approvals.n) == (1, 1)
    assert rates.false_auto_rejections.n == 0
    assert rates.disagreements[0]["review_id"] == str(qa.pk)


def test_the_partner_cannot_decide_a_blind_case(make_case):
    make_case(decision="auto_rejected", open_review=False)
    [qa] = qa_cases_sample(share=1.0)

    with pytest.raises(ReviewNotOpen) as refused:
        review_decide(
            review_id=qa.pk,
            decision="approved",
            reason_code="verified",
            actor=None,
            source="partner",
        )
    assert refused.value.code == "review_not_found"


def test_a_sampled_decision_gets_a_blind_second_review_by_someone_else(
    make_case, reviewer, other_reviewer, console_client, settings
):
    settings.SECOND_REVIEW_SHARE = 1.0
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)

    review_decide_with_corrections(
        review_id=case.pk,
        actor=reviewer,
        decision="rejected",
        reason_code="nik_sex_mismatch",
        notes="first reviewer's note",
        corrections={"nama": "BUDI CORRECTED"},
    )
    second = ManualReview.objects.get(checked_review=case)

    assert second.purpose == ReviewPurpose.SECOND and second.state == "open"
    assert review_claim_next(reviewer=reviewer) is None  # not their own decision
    with pytest.raises(ClaimLost) as refused:
        review_claim(review_id=second.pk, reviewer=reviewer)
    assert refused.value.code == "own_decision"
    assert review_claim_next(reviewer=other_reviewer).pk == second.pk
    page = (
        console_client(other_reviewer)
        .get(reverse("admin:reviews_manualreview_case", args=[second.pk]))
        .content.decode()
    )
    assert "Blind second review" in page
    assert "first reviewer&#x27;s note" not in page and "first reviewer" not in page
    assert "BUDI CORRECTED" not in page and reviewer.email not in page

    review_claim(review_id=second.pk, reviewer=other_reviewer)
    review_decide(
        review_id=second.pk,
        decision="rejected",
        reason_code="nik_sex_mismatch",
        actor=other_reviewer,
    )
    case.document.refresh_from_db()
    assert case.document.status == "rejected"
    assert not ManualReview.objects.filter(checked_review=second).exists()  # no third review


def test_agreement_is_cohens_kappa_on_the_decision_and_per_reason(
    make_case, reviewer, other_reviewer, settings
):
    """Four pairs: (approved verified, approved verified), (rejected nik_invalid, rejected
    nik_invalid), (approved verified, rejected nik_invalid), (rejected nik_invalid, rejected
    image_blurry). Decision: p_o = 3/4, first 2 approved 2 rejected, second 1 and 3:
    p_e = (2*1 + 2*3) / 16 = 0.5, kappa = 0.5. Reason nik_invalid: first yes in pairs 2 and 4,
    second yes in 2 and 3: p_o = 0.5, p_e = 0.5, kappa = 0."""
    pairs = [
        (("approved", "verified"), ("approved", "verified")),
        (("rejected", "nik_invalid"), ("rejected", "nik_invalid")),
        (("approved", "verified"), ("rejected", "nik_invalid")),
        (("rejected", "nik_invalid"), ("rejected", "image_blurry")),
    ]
    settings.SECOND_REVIEW_SHARE = 0.0  # the pairs are made by hand here
    for first, second in pairs:
        case = make_case()
        review_claim(review_id=case.pk, reviewer=reviewer)
        decided = review_decide(
            review_id=case.pk, decision=first[0], reason_code=first[1], actor=reviewer
        )
        check = ManualReview.objects.create(
            document=case.document,
            verification_result=case.verification_result,
            purpose="second",
            checked_review=decided,
        )
        review_claim(review_id=check.pk, reviewer=other_reviewer)
        review_decide(
            review_id=check.pk, decision=second[0], reason_code=second[1], actor=other_reviewer
        )

    agreement = second_review_agreement()

    assert agreement.pairs == 4
    assert agreement.decision_agreement == 0.75
    assert agreement.decision_kappa == 0.5
    by_code = {r.code: r for r in agreement.reasons}
    assert by_code["nik_invalid"].kappa == 0.0
    assert (by_code["nik_invalid"].first, by_code["nik_invalid"].second) == (2, 2)
    assert by_code["verified"].kappa == 0.5  # p_o 3/4, p_e 0.5 * 0.25 + 0.5 * 0.75
    assert by_code["image_blurry"].first == 0 and by_code["image_blurry"].kappa == 0.0
