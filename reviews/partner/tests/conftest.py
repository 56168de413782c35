"""Fixtures for the partner tests: a real fake BULI2 on loopback and reviewable documents."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from documents.models import Document
from documents.status import DocumentStatus
from documents.tests.factories import DocumentFactory
from reviews.models import ManualReview
from reviews.partner import signing
from reviews.partner.fake_server import FakeBuli2
from reviews.services import review_open
from verification.tests.factories import VerificationResultFactory

API_KEY = "test-buli2-api-key-0123456789"
OUTBOUND_SECRET = "whsec_" + base64.b64encode(b"filot-outbound-test-secret-32bytes!").decode()
INBOUND_SECRET = "buli2-inbound-test-secret-0123456789abcdef"
CALLBACK_URL = "https://filot.example.test/api/v1/partners/buli2/callbacks/"
NIK = "3201011501900001"


@pytest.fixture
def fake_buli2() -> Iterator[FakeBuli2]:
    fake = FakeBuli2(
        api_key=API_KEY, verify_secret=OUTBOUND_SECRET, callback_secret=INBOUND_SECRET
    ).start()
    yield fake
    fake.stop()


def partner_env(fake: FakeBuli2, **extra: str) -> dict[str, str]:
    """Settings as environment variables, for a worker process."""
    env = {
        "BULI2_API_URL": fake.url,
        "BULI2_API_KEY": API_KEY,
        "BULI2_OUTBOUND_SIGNATURE_SECRET": OUTBOUND_SECRET,
        "BULI2_SIGNATURE_SECRET": INBOUND_SECRET,
        "BULI2_CALLBACK_URL": CALLBACK_URL,
    }
    env.update(extra)
    return env


@pytest.fixture
def partner(settings: Any, fake_buli2: FakeBuli2) -> FakeBuli2:
    """This process talks to the fake BULI2, with short timings."""
    for name, value in partner_env(fake_buli2).items():
        setattr(settings, name, value)
    settings.BULI2_RETRY_BASE_SECONDS = 1.0
    settings.BULI2_RETRY_MAX_SECONDS = 10.0
    settings.BULI2_CONNECT_TIMEOUT = 1.0
    settings.BULI2_READ_TIMEOUT = 2.0
    return fake_buli2


@pytest.fixture
def make_document(user: Any) -> Callable[..., Document]:
    def _make(status: str = DocumentStatus.IN_REVIEW, doc_type: str = "KTP") -> Document:
        return DocumentFactory(owner=user, status=status, doc_type=doc_type)

    return _make


@pytest.fixture
def open_review(make_document: Callable[..., Document]) -> Callable[[], ManualReview]:
    """A document in review with its verification result, opened the way the decision does:
    the result, then ``review_open`` (the case and its partner row), in one transaction."""

    def _open() -> ManualReview:
        with transaction.atomic():
            document = make_document()
            result = VerificationResultFactory(
                document=document,
                fields={"nik": {"value": NIK, "raw": NIK, "confidence": 0.91, "box": None}},
                checks=[],
                quality={},
                score=62,
                score_breakdown={},
                reason_codes=["low_confidence"],
            )
            return review_open(document=document, result=result)

    return _open


def signed_headers(
    body: bytes,
    *,
    secret: str = INBOUND_SECRET,
    msg_id: str | None = None,
    timestamp: int | None = None,
) -> dict[str, str]:
    """Django test-client headers for a body signed the Standard Webhooks way."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = signing.sign_headers(signing.secret_key(secret), msg_id, timestamp, body)
    return {
        "HTTP_WEBHOOK_ID": headers["webhook-id"],
        "HTTP_WEBHOOK_TIMESTAMP": headers["webhook-timestamp"],
        "HTTP_WEBHOOK_SIGNATURE": headers["webhook-signature"],
    }


def decision_body(review_id: Any, decision: str = "approved", **data: Any) -> bytes:
    payload = {
        "type": "review.decided",
        "data": {"review_id": str(review_id), "decision": decision, **data},
    }
    return json.dumps(payload).encode()
