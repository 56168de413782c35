"""Factories for the review console tests: cases built straight in the database, with a stored
image, so a queue of 100 costs no OCR. Flow tests that need real OCR use verification/tests/flow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import card_like_image
from documents.status import Outcome
from documents.tests.factories import DocumentFactory
from filot.models import Role
from reviews.services import reviewer_group_ensure
from reviews.tests.factories import ManualReviewFactory
from verification.tests.factories import VerificationResultFactory


@pytest.fixture
def reviewer_group(db: None) -> Any:
    return reviewer_group_ensure()


@pytest.fixture
def reviewer(make_user: Callable[..., Any], reviewer_group: Any) -> Any:
    return make_user(role=Role.REVIEWER)


@pytest.fixture
def other_reviewer(make_user: Callable[..., Any], reviewer_group: Any) -> Any:
    return make_user(role=Role.REVIEWER)


@pytest.fixture
def admin_user(make_user: Callable[..., Any], reviewer_group: Any) -> Any:
    return make_user(role=Role.ADMIN)


@pytest.fixture
def make_case(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``make_case(owner=None, doc_type="KTP", score=60, image=bytes|None, ...)`` -> an open
    review (``open_review=False``: the verification result alone), with a stored image, built
    by the factories. Left out, the result's fields, checks, quality and reasons are the
    factory's (a KTP with a failing NIK check)."""

    def _make(
        *,
        owner: Any = None,
        doc_type: str = "KTP",
        size: tuple[int, int] = (1012, 638),
        image: bytes | None = None,
        decision: str = "in_review",
        open_review: bool = True,
        **result: Any,
    ) -> Any:
        document = DocumentFactory(
            owner=owner or make_user(),
            doc_type=doc_type,
            size=size,
            image=image if image is not None else card_like_image(*size),
            status=Outcome(decision).status,
            attempts=1,
            attempt_seq=1,
        )
        chosen = {name: value for name, value in result.items() if value is not None}
        verified = VerificationResultFactory(document=document, decision=decision, **chosen)
        if not open_review:
            return verified
        return ManualReviewFactory(verification_result=verified)

    return _make


@pytest.fixture
def console_client(client: Any) -> Callable[[Any], Any]:
    def _login(user: Any) -> Any:
        client.force_login(user)
        return client

    return _login
