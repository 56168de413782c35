"""Review history beyond the console's own actions: opened and cancelled by verification, and a
lapsed claim recorded when the case is taken over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.models import Document
from documents.services import document_reprocess
from reviews.models import ManualReview, ReviewEvent
from reviews.services import review_claim, review_claim_next
from verification.tests.flow import card_bytes, ktp_fields, process, upload

pytestmark = pytest.mark.django_db


def _events(case: ManualReview) -> list[tuple[str, str]]:
    return list(
        ReviewEvent.objects.filter(review=case).values_list("kind", "actor_label").order_by("id")
    )


def _expire(case: ManualReview) -> None:
    ManualReview.objects.filter(pk=case.pk).update(
        claim_expires_at=timezone.now() - timedelta(seconds=1)
    )


def sex_swapped(seed: int) -> dict[str, str]:
    fields = ktp_fields(seed)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    return dict(fields, jenis_kelamin=swapped)


def test_verification_records_opening_and_cancelling_a_review(
    auth_client, client, reviewer, admin_user
):
    document_id = upload(auth_client, card_bytes("ktp", sex_swapped(35)), "ktp")
    assert process(document_id).decision == "in_review"
    first = ManualReview.objects.get(document_id=document_id, state="open")
    assert _events(first) == [("opened", "system:verification")]
    opened = ReviewEvent.objects.get(review=first)
    assert opened.actor_id is None
    assert "nik_sex" in opened.detail  # the reasons, never the card's values

    document_reprocess(document=Document.objects.get(pk=document_id), actor=admin_user)
    assert process(document_id).decision == "in_review"

    first.refresh_from_db()
    second = ManualReview.objects.get(document_id=document_id, state="open")
    assert first.state == "cancelled"
    assert _events(first) == [
        ("opened", "system:verification"),
        ("cancelled", "system:verification"),
    ]
    assert _events(second) == [("opened", "system:verification")]
    client.force_login(reviewer)
    html = client.get(reverse("admin:reviews_manualreview_case", args=[second.pk])).content.decode()
    history = html.split('id="review-events"', 1)[1].split("</table>", 1)[0]
    assert history.count("<td>Opened</td>") == 2
    assert history.count("<td>Cancelled</td>") == 1
    assert "superseded by verification attempt 2" in history


def test_claim_next_records_the_lapsed_claim_it_takes_over(
    client, make_case, reviewer, other_reviewer
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    _expire(case)

    assert review_claim_next(reviewer=other_reviewer) == case

    assert _events(case) == [
        ("claimed", f"user:{reviewer.pk}"),
        ("expired", "system:lease"),
        ("claimed", f"user:{other_reviewer.pk}"),
    ]
    expired = ReviewEvent.objects.get(review=case, kind="expired")
    assert expired.actor_id is None
    assert reviewer.email in expired.detail
    client.force_login(other_reviewer)
    html = client.get(reverse("admin:reviews_manualreview_case", args=[case.pk])).content.decode()
    assert "<td>Claim expired</td>" in html


def test_claiming_a_case_records_the_lapsed_claim_also_for_its_former_holder(
    make_case, reviewer, other_reviewer
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    _expire(case)
    review_claim(review_id=case.pk, reviewer=other_reviewer)
    _expire(case)
    review_claim(review_id=case.pk, reviewer=other_reviewer)  # back after the lease ran out

    assert [kind for kind, _ in _events(case)] == [
        "claimed",
        "expired",
        "claimed",
        "expired",
        "claimed",
    ]


def test_a_live_claim_renewed_or_picked_up_fresh_records_no_expiry(
    make_case, reviewer, other_reviewer
):
    held = make_case()
    fresh = make_case()
    review_claim(review_id=held.pk, reviewer=reviewer)
    review_claim(review_id=held.pk, reviewer=reviewer)  # renewal
    assert review_claim_next(reviewer=reviewer) == held  # the held case comes back
    assert review_claim_next(reviewer=other_reviewer) == fresh  # never claimed before

    assert _events(held) == [("claimed", f"user:{reviewer.pk}")]
    assert _events(fresh) == [("claimed", f"user:{other_reviewer.pk}")]
