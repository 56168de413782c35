"""Erasing a document that waits for a human: its review leaves the queue with a history event,
BULI2 is told to drop the case, and a decision arriving afterwards is refused with 409."""

from __future__ import annotations

import pytest

from conftest import bearer_for
from documents.status import DocumentStatus
from filot.metrics import exposition
from filot.models import Role
from reviews.models import ManualReview, ReviewEvent, ReviewState
from reviews.partner.models import InboundEvent, OutboxEvent
from reviews.partner.tests.conftest import decision_body, signed_headers
from reviews.selectors import queue_counts
from reviews.services import ReviewNotOpen, review_decide

pytestmark = pytest.mark.django_db
CALLBACKS = "/api/v1/partners/buli2/callbacks/"


def erase(api_client, review: ManualReview):
    api_client.credentials(HTTP_AUTHORIZATION=bearer_for(review.document.owner))
    return api_client.delete(f"/api/v1/documents/{review.document_id}/")


def open_reviews_metric() -> float:
    for line in exposition().decode().splitlines():
        if line.startswith('filot_reviews{state="open"}'):
            return float(line.split()[-1])
    raise AssertionError("filot_reviews{state=open} not exported")


def test_erasure_cancels_the_open_review_and_tells_the_partner(api_client, partner, open_review):
    review = open_review()
    assert open_reviews_metric() == 1

    response = erase(api_client, review)

    assert response.status_code == 204, response.content
    review.refresh_from_db()
    assert review.state == ReviewState.CANCELLED
    assert queue_counts()["open"] == 0
    assert open_reviews_metric() == 0
    event = ReviewEvent.objects.filter(review=review).latest("id")
    assert (event.kind, event.actor) == ("cancelled", review.document.owner)
    assert event.detail == "the document was erased by its owner"
    notice = OutboxEvent.objects.get(event_type="review.cancelled")
    assert notice.review_id == review.pk and notice.document_id == review.document_id
    assert notice.payload["data"] == {
        "review_id": str(review.pk),
        "document_id": str(review.document_id),
        "partner_task_id": None,
        "reason": "document_erased",
        "cancelled_at": notice.payload["data"]["cancelled_at"],
    }


def test_a_partner_decision_after_erasure_is_refused_with_409(
    api_client, client, partner, open_review
):
    review = open_review()
    assert erase(api_client, review).status_code == 204
    body = decision_body(review.pk, "approved", task_id="buli2-1")

    response = client.post(
        CALLBACKS, data=body, content_type="application/json", **signed_headers(body)
    )

    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "document_erased"
    review.document.refresh_from_db()
    assert review.document.status == DocumentStatus.IN_REVIEW  # never approved
    assert review.document.erased_at is not None
    assert InboundEvent.objects.get().outcome == "conflict"
    # A redelivery of the same event is a quiet duplicate.
    again = client.post(
        CALLBACKS,
        data=body,
        content_type="application/json",
        **signed_headers(body, msg_id=InboundEvent.objects.get().webhook_id),
    )
    assert again.status_code == 200 and again.json()["status"] == "duplicate"


def test_a_console_decision_after_erasure_is_refused(api_client, open_review, make_user):
    review = open_review()
    admin = make_user(role=Role.ADMIN)
    assert erase(api_client, review).status_code == 204

    with pytest.raises(ReviewNotOpen) as refused:
        review_decide(review_id=review.pk, decision="approved", reason_code="verified", actor=admin)

    assert refused.value.status_code == 409
    assert refused.value.code == "document_erased"


def test_erasure_cancels_a_blind_case_without_telling_the_partner(api_client, partner, open_review):
    review = open_review()
    ManualReview.objects.filter(pk=review.pk).update(purpose="qa")

    assert erase(api_client, review).status_code == 204

    review.refresh_from_db()
    assert review.state == ReviewState.CANCELLED
    assert not OutboxEvent.objects.filter(event_type="review.cancelled").exists()


def test_without_a_partner_erasure_still_cancels_the_review(api_client, settings, open_review):
    settings.BULI2_API_URL = ""
    review = open_review()

    assert erase(api_client, review).status_code == 204

    review.refresh_from_db()
    assert review.state == ReviewState.CANCELLED
    assert not OutboxEvent.objects.filter(event_type="review.cancelled").exists()
