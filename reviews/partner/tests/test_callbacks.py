"""``POST /api/v1/partners/buli2/callbacks/``: signed decisions from BULI2, through the API."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import DocumentTransition
from documents.status import DocumentStatus
from reviews.models import ManualReview, ReviewState
from reviews.partner.models import InboundEvent, OutboxEvent
from reviews.partner.tests.conftest import INBOUND_SECRET, decision_body, signed_headers
from reviews.services import review_decide

URL = "/api/v1/partners/buli2/callbacks/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def review(partner, open_review):
    return open_review()


def post(client, body: bytes, **headers):
    return client.post(URL, data=body, content_type="application/json", **headers)


def error_code(response) -> str:
    return response.json()["error"]["code"]


def assert_still_open(review) -> None:
    review.refresh_from_db()
    assert review.state == ReviewState.OPEN
    assert review.document.status == DocumentStatus.IN_REVIEW


def test_a_signed_decision_decides_the_case(client, review):
    body = decision_body(review.pk, "approved", task_id="buli2-77", notes="looks fine")

    response = post(client, body, **signed_headers(body))

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "applied"
    review.refresh_from_db()
    assert (review.state, review.decision, review.source) == ("decided", "approved", "partner")
    assert review.partner_task_id == "buli2-77"
    review.document.refresh_from_db()
    assert review.document.status == DocumentStatus.APPROVED
    assert InboundEvent.objects.get().outcome == "applied"
    # BULI2's own decision is not echoed back to it.
    assert not OutboxEvent.objects.filter(event_type="document.decided").exists()


def test_a_signature_made_with_another_secret_is_refused(client, review):
    body = decision_body(review.pk)

    response = post(client, body, **signed_headers(body, secret="not-the-buli2-secret-at-all"))

    assert response.status_code == 401
    assert error_code(response) == "invalid_signature"
    assert_still_open(review)


def test_a_one_byte_change_after_signing_is_refused(client, review):
    body = decision_body(review.pk, "rejected", reason_code="nik_invalid")
    headers = signed_headers(body)
    tampered = body.replace(b"rejected", b"approved").replace(b"nik_invalid", b"nik_invalie")

    response = post(client, tampered, **headers)

    assert response.status_code == 401
    assert_still_open(review)


def test_a_reserialised_body_is_refused(client, review):
    # Signing the parsed-and-dumped JSON instead of the raw bytes (the original's bug).
    body = decision_body(review.pk)
    headers = signed_headers(body)
    reserialised = json.dumps(json.loads(body), indent=2).encode()

    response = post(client, reserialised, **headers)

    assert response.status_code == 401
    assert_still_open(review)


@pytest.mark.parametrize("offset", [-301, 301, -86400 * 31])
def test_stale_and_future_timestamps_are_refused(client, review, offset):
    body = decision_body(review.pk)

    response = post(client, body, **signed_headers(body, timestamp=int(time.time()) + offset))

    assert response.status_code == 401
    assert error_code(response) == "webhook_timestamp_out_of_tolerance"
    assert_still_open(review)


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("HTTP_WEBHOOK_ID", None, "webhook_header_missing"),
        ("HTTP_WEBHOOK_TIMESTAMP", None, "webhook_header_missing"),
        ("HTTP_WEBHOOK_SIGNATURE", None, "webhook_header_missing"),
        ("HTTP_WEBHOOK_TIMESTAMP", "yesterday", "webhook_timestamp_invalid"),
        ("HTTP_WEBHOOK_TIMESTAMP", "9" * 40, "webhook_timestamp_invalid"),
        ("HTTP_WEBHOOK_SIGNATURE", "sha256=deadbeef", "webhook_signature_malformed"),
        ("HTTP_WEBHOOK_SIGNATURE", "v1,%%%notbase64", "webhook_signature_malformed"),
        ("HTTP_WEBHOOK_ID", "x" * 300, "webhook_id_invalid"),
    ],
)
def test_missing_or_garbage_headers_get_a_coded_400(client, review, header, value, code):
    body = decision_body(review.pk)
    headers = signed_headers(body)
    if value is None:
        del headers[header]
    else:
        headers[header] = value

    response = post(client, body, **headers)

    assert response.status_code == 400
    assert error_code(response) == code
    assert_still_open(review)


def test_no_headers_at_all_and_an_empty_body_get_a_coded_400(client, review):
    response = client.post(URL, data=b"", content_type="application/json")

    assert response.status_code == 400
    assert error_code(response) == "webhook_header_missing"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"\xff\xfe{not utf-8}", "invalid_body"),
        (b"{not json", "invalid_body"),
        (b"[1, 2]", "invalid_body"),
        (b'{"type": "review.decided"}', "invalid_request"),
        (b'{"type": "review.decided", "data": []}', "invalid_request"),
        (b'{"type": "something.else", "data": {}}', "invalid_request"),
        (
            b'{"type": "review.decided", "data": {"review_id": "nope", "decision": "approved"}}',
            "invalid_request",
        ),
    ],
)
def test_a_correctly_signed_but_malformed_body_gets_a_coded_400(client, review, body, code):
    response = post(client, body, **signed_headers(body))

    assert response.status_code == 400, response.content
    assert error_code(response) == code
    assert not InboundEvent.objects.exists()
    assert_still_open(review)


def test_a_wrong_decision_value_is_a_400(client, review):
    body = decision_body(review.pk, "maybe")

    response = post(client, body, **signed_headers(body))

    assert response.status_code == 400
    assert response.json()["error"]["details"]["fields"]["decision"]


def test_an_unknown_reason_code_is_a_400_and_not_recorded(client, review):
    body = decision_body(review.pk, "rejected", reason_code="because")

    response = post(client, body, **signed_headers(body))

    assert response.status_code == 400
    assert error_code(response) == "invalid_reason_code"
    assert not InboundEvent.objects.exists()
    assert_still_open(review)


@pytest.mark.parametrize(
    ("decision", "reason_code"),
    [
        ("approved", "nik_invalid"),  # a finding is not a reason to approve
        ("rejected", "verified"),  # nor is an approval reason one to reject
        ("resubmission", "nik_invalid"),  # the user cannot fix a bad NIK by retaking a photo
    ],
)
def test_a_reason_of_another_decision_is_a_400_and_not_recorded(
    client, review, decision, reason_code
):
    body = decision_body(review.pk, decision, reason_code=reason_code)

    response = post(client, body, **signed_headers(body))

    assert response.status_code == 400
    assert error_code(response) == "reason_not_for_decision"
    assert not InboundEvent.objects.exists()
    assert_still_open(review)


def test_an_approval_without_a_reason_is_verified_and_a_resubmission_rejects(
    client, partner, open_review
):
    approved, resubmit = open_review(), open_review()
    body = decision_body(approved.pk, "approved")
    assert post(client, body, **signed_headers(body, msg_id="msg_a")).status_code == 200
    body = decision_body(resubmit.pk, "resubmission", reason_code="image_blurry")
    assert post(client, body, **signed_headers(body, msg_id="msg_b")).status_code == 200

    approved.refresh_from_db()
    resubmit.refresh_from_db()
    assert (approved.decision, approved.reason_code) == ("approved", "verified")
    assert (resubmit.decision, resubmit.reason_code) == ("resubmission", "image_blurry")
    assert resubmit.document.status == DocumentStatus.REJECTED


def test_a_redelivery_even_resigned_answers_200_and_changes_nothing(client, review):
    body = decision_body(review.pk, "approved")
    first = post(client, body, **signed_headers(body, msg_id="msg_once"))
    assert first.status_code == 200
    transitions = DocumentTransition.objects.count()
    review.refresh_from_db()
    decided_at = review.decided_at

    # BULI2 retries later with a fresh timestamp and signature, and a different decision.
    later = decision_body(review.pk, "rejected", reason_code="nik_invalid")
    again = post(client, later, **signed_headers(later, msg_id="msg_once"))

    assert again.status_code == 200
    assert again.json() == {"status": "duplicate", "outcome": "applied"}
    review.refresh_from_db()
    assert (review.decision, review.decided_at) == ("approved", decided_at)
    assert DocumentTransition.objects.count() == transitions
    assert InboundEvent.objects.count() == 1


def test_a_decision_on_a_case_already_decided_answers_409_with_the_decision(client, review):
    review_decide(review_id=review.pk, decision="rejected", reason_code="nik_invalid", actor=None)
    body = decision_body(review.pk, "approved")

    response = post(client, body, **signed_headers(body, msg_id="msg_late"))

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "review_already_decided"
    assert error["details"] == {"state": "decided", "decision": "rejected"}
    review.refresh_from_db()
    assert review.decision == "rejected"
    # Its redelivery is quiet.
    again = post(client, body, **signed_headers(body, msg_id="msg_late"))
    assert again.status_code == 200
    assert again.json()["outcome"] == "conflict"


def test_an_unknown_review_is_a_404(client, partner):
    body = decision_body("7d3f1e6a-2b4c-4d8e-9f10-1a2b3c4d5e6f")

    response = post(client, body, **signed_headers(body))

    assert response.status_code == 404
    assert error_code(response) == "review_not_found"


def test_the_previous_secret_is_accepted_during_the_rotation_window(client, review, settings):
    settings.BULI2_SIGNATURE_SECRET = "buli2-new-secret-0123456789abcdefgh"
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS = INBOUND_SECRET
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT = (
        timezone.now() + timedelta(hours=1)
    ).isoformat()
    body = decision_body(review.pk)

    response = post(client, body, **signed_headers(body, secret=INBOUND_SECRET))

    assert response.status_code == 200


@pytest.mark.parametrize("expiry", ["past", ""])
def test_the_previous_secret_is_refused_after_or_without_an_expiry(
    client, review, settings, expiry
):
    settings.BULI2_SIGNATURE_SECRET = "buli2-new-secret-0123456789abcdefgh"
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS = INBOUND_SECRET
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT = (
        (timezone.now() - timedelta(seconds=1)).isoformat() if expiry else ""
    )
    body = decision_body(review.pk)

    response = post(client, body, **signed_headers(body, secret=INBOUND_SECRET))

    assert response.status_code == 401
    assert_still_open(review)


def test_without_a_secret_callbacks_fail_closed(client, review, settings):
    settings.BULI2_SIGNATURE_SECRET = ""
    body = decision_body(review.pk)

    response = post(client, body, **signed_headers(body))

    assert response.status_code == 503
    assert error_code(response) == "partner_not_configured"
    assert_still_open(review)


@pytest.mark.django_db(transaction=True)
def test_the_fake_buli2_sends_a_signed_callback_over_http(live_server, partner, open_review):
    review = open_review()

    response = partner.send_callback(
        live_server.url + URL, {"review_id": str(review.pk), "decision": "approved"}
    )

    assert response.status_code == 200, response.text
    assert ManualReview.objects.get(pk=review.pk).decision == "approved"
