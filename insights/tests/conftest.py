"""A history of decided documents, built straight in the database: each document's checks are
chosen so its score is easy to work out by hand, its stored decision is what the scoring
module makes of them (unless a test says otherwise), and a person's decision can be added as a
decided case or a decided blind QA case."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import card_like_image
from documents.tests.factories import DocumentFactory
from insights.whatif import stored_checks
from reviews.tests.conftest import (  # noqa: F401 (fixtures shared with the console's tests)
    admin_user,
    other_reviewer,
    reviewer,
    reviewer_group,
)
from reviews.tests.factories import ManualReviewFactory
from verification.scoring import decide
from verification.tests.factories import VerificationResultFactory

_counter = itertools.count(1)


def check(code: str, status: str) -> dict[str, Any]:
    reason = None if status == "pass" else f"{code}_reason"
    return {
        "code": code,
        "status": status,
        "weight": 1,
        "message": f"{code} {status}",
        "reason": reason,
    }


def checks(*, identity: str = "pass", fields: str = "pass", colour: str = "pass", **more: str):
    """Three components with one check each (validity 40, fields 20, quality 15 points), so a
    score is ``100 * earned / 75``: pass earns all, warn half, fail nothing. ``identity=None``
    leaves the identity check out (a result from before the identity gate)."""
    rows = [check("fields_confidence", fields), check("image_colour", colour)]
    if identity is not None:
        rows.insert(0, check("identity_verified", identity))
    rows += [check(code, status) for code, status in more.items()]
    return rows


@pytest.fixture
def make_decided(make_user: Callable[..., Any], reviewer: Any) -> Callable[..., Any]:  # noqa: F811
    """``make_decided(checks, human=None, qa=False, doc_type="KTP", stored=None, ...)`` -> the
    result of a document decided at 85 / 35. ``human``: what a person decided, on its decision
    case (``qa=True``: on a blind QA case of the automatic decision)."""

    def _make(
        rows: list[dict[str, Any]],
        *,
        human: str | None = None,
        reason: str = "",
        qa: bool = False,
        doc_type: str = "KTP",
        stored: str | None = None,
        fields: dict[str, Any] | None = None,
        decided_ago: timedelta = timedelta(hours=2),
        engine: str = "ppocr",
        reason_codes: list[str] | None = None,
    ) -> Any:
        n = next(_counter)
        owner = make_user()
        assessment = decide(stored_checks(rows), approve_at=85, reject_at=35)
        decision = stored or assessment.decision
        status = decision
        if human and not qa:
            assert decision == "in_review", "a decision case is for a document in review"
            status = "approved" if human == "approved" else "rejected"
        data = card_like_image(640, 400)
        document = DocumentFactory(
            owner=owner,
            doc_type=doc_type,
            image=data,
            size=(640, 400),
            sha256=hashlib.sha256(data + str(n).encode()).hexdigest(),
            status=status,
            attempts=1,
            attempt_seq=1,
        )
        result = VerificationResultFactory(
            document=document,
            engine=engine,
            fields=fields or {},
            checks=rows,
            quality={},
            score=assessment.score,
            score_breakdown=assessment.breakdown,
            decision=decision,
            reason_codes=assessment.reasons if reason_codes is None else reason_codes,
        )
        if human:
            ManualReviewFactory(
                verification_result=result,
                purpose="qa" if qa else "decision",
                state="decided",
                decision=human,
                reason_code=reason or ("verified" if human == "approved" else "nik_invalid"),
                source="console",
                decided_by=reviewer,
                decided_at=timezone.now() - decided_ago,
            )
        return result

    return _make
