"""The BULI2 callback endpoint under arbitrary input (hypothesis).

Whatever arrives (any headers, any body bytes, unsigned, signed with another secret, or
correctly signed over arbitrary JSON and non-JSON), the answer is never a 5xx; a refusal is
the error envelope with a stable code, and changes nothing: no case decided, no row written.
The one designed exception: a correctly signed event for an unknown review is remembered
(``InboundEvent`` with outcome ``not_found``) so that its redelivery is a quiet 200.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reviews.models import ManualReview, ReviewState
from reviews.partner import signing
from reviews.partner.models import InboundEvent, InboundOutcome
from reviews.partner.tests.conftest import INBOUND_SECRET

URL = "/api/v1/partners/buli2/callbacks/"
pytestmark = pytest.mark.django_db

# Every code a refusal may carry. A new code is a contract change: add it here on purpose.
SIGNATURE_CODES = frozenset(
    {
        "webhook_header_missing",
        "webhook_id_invalid",
        "webhook_timestamp_invalid",
        "webhook_timestamp_out_of_tolerance",
        "webhook_signature_malformed",
        "invalid_signature",
    }
)
BODY_CODES = frozenset(
    {
        "invalid_body",
        "invalid_request",
        "invalid_decision",
        "invalid_reason_code",
        "reason_required",
        "review_not_found",
    }
)
HTTP_CODES = frozenset({"not_acceptable", "bad_request"})  # Accept or Host headers

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same cases on every run: CI failures reproduce
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Examples run per test and refusal codes seen, printed at the end of the module.
EXAMPLES: Counter[str] = Counter()
CODES: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report_example_counts() -> Iterator[None]:
    yield
    print(f"\ncallback fuzz examples: {dict(EXAMPLES)}\ncodes: {dict(CODES)}")


@pytest.fixture
def review(settings: Any, open_review: Callable[[], ManualReview]) -> ManualReview:
    settings.BULI2_SIGNATURE_SECRET = INBOUND_SECRET
    return open_review()


Snapshot = dict[str, Any]


def snapshot(review: ManualReview) -> Snapshot:
    """Row counts of every FiLot table, and the case and its document as they stand."""
    counts: Snapshot = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"filot", "documents", "verification", "reviews", "partner"}
    }
    fresh = ManualReview.objects.select_related("document").get(pk=review.pk)
    counts["review"] = (fresh.state, fresh.decision, fresh.decided_at, fresh.document.status)
    return counts


def post(client: Any, body: bytes, headers: dict[str, str], content_type: str) -> Any:
    return client.post(URL, data=body, content_type=content_type, headers=headers)


def assert_refused(response: Any, codes: frozenset[str]) -> str:
    assert 400 <= response.status_code < 500, (response.status_code, response.content)
    error = response.json()["error"]
    assert set(error) == {"code", "message", "details", "request_id"}
    assert error["code"] in codes, error
    assert error["message"]
    assert error["request_id"] == response["X-Request-ID"]
    CODES[error["code"]] += 1
    return str(error["code"])


# Header values as a WSGI server hands them over: latin-1 text.
header_values = st.text(st.characters(min_codepoint=0, max_codepoint=0xFF), max_size=80)
header_names = st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,24}\Z").filter(
    lambda name: name.lower() not in {"content-type", "content-length"}
)
webhook_names = st.sampled_from(
    ["webhook-id", "webhook-timestamp", "webhook-signature", "Webhook-Signature", "accept"]
)
content_types = st.sampled_from(
    ["application/json", "text/plain", "application/octet-stream", "application/x-www-form"]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
review_ids = st.uuids().map(str) | st.text(max_size=40) | st.integers()
# Shaped like a decision, wrong in any field; never for the open case (see ``review_ids``).
decision_payloads = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["review.decided", "review.opened", ""]) | json_values,
        "data": st.fixed_dictionaries(
            {
                "review_id": review_ids,
                "decision": st.sampled_from(["approved", "rejected", "maybe"]) | json_values,
            },
            optional={
                "reason_code": st.sampled_from(["nik_invalid", "because", ""]) | json_values,
                "notes": json_values,
                "task_id": json_values,
            },
        )
        | json_values,
    },
    optional={"timestamp": json_values},
)


@FUZZ
@given(
    headers=st.dictionaries(webhook_names | header_names, header_values, max_size=6),
    body=st.binary(max_size=512),
    content_type=content_types,
)
def test_unsigned_requests_are_refused_with_a_code_and_change_nothing(
    client: Any, review: ManualReview, headers: dict[str, str], body: bytes, content_type: str
) -> None:
    EXAMPLES["unsigned"] += 1
    before = snapshot(review)

    response = post(client, body, headers, content_type)

    assert_refused(response, SIGNATURE_CODES | HTTP_CODES)
    assert snapshot(review) == before


@FUZZ
@given(
    secret=st.text(min_size=1, max_size=64).filter(lambda s: s != INBOUND_SECRET),
    body=st.binary(max_size=512) | decision_payloads.map(lambda p: json.dumps(p).encode()),
    msg_id=st.from_regex(r"\Amsg_[A-Za-z0-9]{1,40}\Z"),
)
def test_a_signature_with_another_secret_is_a_401_and_changes_nothing(
    client: Any, review: ManualReview, secret: str, body: bytes, msg_id: str
) -> None:
    EXAMPLES["wrong_secret"] += 1
    before = snapshot(review)
    headers = signing.sign_headers(secret.encode(), msg_id, int(time.time()), body)

    response = post(client, body, headers, "application/json")

    assert response.status_code == 401
    assert assert_refused(response, SIGNATURE_CODES) == "invalid_signature"
    assert snapshot(review) == before


@FUZZ
@given(
    body=st.binary(max_size=512)
    | json_values.map(lambda v: json.dumps(v).encode())
    | decision_payloads.map(lambda p: json.dumps(p).encode()),
)
@example(body=b"[" * 100_000)  # nesting deeper than the JSON decoder's recursion limit
@example(body=b'{"type": "review.decided", "data": ' + b"[" * 100_000 + b"}")
@example(body=b"\xff\xfe{}")
@example(body=json.dumps({"type": "review.decided", "data": {"review_id": "x"}}).encode())
def test_a_correctly_signed_malformed_or_unknown_event_is_refused_and_changes_nothing(
    client: Any, review: ManualReview, body: bytes
) -> None:
    EXAMPLES["signed"] += 1
    before = snapshot(review)
    msg_id = f"msg_{uuid.uuid4().hex}"

    headers = signing.sign_headers(
        signing.secret_key(INBOUND_SECRET), msg_id, int(time.time()), body
    )

    response = post(client, body, headers, "application/json")

    code = assert_refused(response, BODY_CODES)
    after = snapshot(review)
    if code == "review_not_found":
        # Remembered on purpose, so that a redelivery is a quiet 200; nothing else changes.
        event = InboundEvent.objects.get(webhook_id=msg_id)
        assert event.outcome == InboundOutcome.NOT_FOUND
        assert str(event.review_id) != str(review.pk)
        before["partner.InboundEvent"] += 1
    assert after == before
    assert after["review"][0] == ReviewState.OPEN
