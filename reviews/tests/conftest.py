"""Factories for the review console tests: cases built straight in the database, with a stored
image, so a queue of 100 costs no OCR. Flow tests that need real OCR use verification/tests/flow."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from conftest import card_like_image

_counter = itertools.count(1)


def nik_for(n: int) -> str:
    return f"3171{n:012d}"[-16:]


@pytest.fixture
def reviewer_group(db: None) -> Any:
    from reviews.services import reviewer_group_ensure

    return reviewer_group_ensure()


@pytest.fixture
def reviewer(make_user: Callable[..., Any], reviewer_group: Any) -> Any:
    from filot.models import Role

    return make_user(role=Role.REVIEWER)


@pytest.fixture
def other_reviewer(make_user: Callable[..., Any], reviewer_group: Any) -> Any:
    from filot.models import Role

    return make_user(role=Role.REVIEWER)


@pytest.fixture
def admin_user(make_user: Callable[..., Any], reviewer_group: Any) -> Any:
    from filot.models import Role

    return make_user(role=Role.ADMIN)


@pytest.fixture
def make_case(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """``make_case(owner=None, doc_type="KTP", score=60, image=bytes|None, ...)`` -> open review."""
    from documents.models import Document
    from documents.status import DocumentStatus
    from documents.storage import document_key, put_file
    from reviews.models import ManualReview
    from verification.models import VerificationResult

    def _make(
        *,
        owner: Any = None,
        doc_type: str = "KTP",
        score: int = 60,
        reason_codes: list[str] | None = None,
        image: bytes | None = None,
        size: tuple[int, int] = (1012, 638),
        quality: dict[str, Any] | None = None,
        fields: dict[str, Any] | None = None,
        checks: list[dict[str, Any]] | None = None,
        decision: str = "in_review",
        open_review: bool = True,
    ) -> Any:
        n = next(_counter)
        owner = owner or make_user()
        data = image if image is not None else card_like_image(*size)
        document_id = uuid.uuid4()
        key = document_key(owner_id=owner.pk, document_id=document_id, extension="jpg")
        put_file(key, data)
        document = Document.objects.create(
            id=document_id,
            owner=owner,
            doc_type=doc_type,
            storage_key=key,
            content_type="image/jpeg",
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            image_width=size[0],
            image_height=size[1],
            status=DocumentStatus.IN_REVIEW if decision == "in_review" else decision,
            attempts=1,
            attempt_seq=1,
        )
        result = VerificationResult.objects.create(
            document=document,
            attempt=1,
            engine="tesseract",
            preprocessing_backend="cpu",
            detected_type=doc_type.lower(),
            fields=fields
            if fields is not None
            else {
                "nik": {
                    "value": nik_for(n),
                    "raw": nik_for(n),
                    "confidence": 91.0,
                    "box": [300, 80, 400, 40],
                },
                "nama": {
                    "value": f"BUDI {n}",
                    "raw": f"BUDI {n}",
                    "confidence": 55.0,
                    "box": [300, 130, 300, 30],
                },
                "jenis_kelamin": {
                    "value": "LAKI-LAKI",
                    "raw": "LAKI-LAKI",
                    "confidence": 88.0,
                    "box": [300, 200, 200, 30],
                },
            },
            checks=checks
            if checks is not None
            else [
                {
                    "code": "nik_sex",
                    "status": "fail",
                    "weight": 10,
                    "message": "The sex encoded in the NIK differs.",
                    "reason": "nik_sex_mismatch",
                },
                {
                    "code": "duplicate_identity",
                    "status": "pass",
                    "weight": 10,
                    "message": "No other user has this identity number.",
                    "reason": None,
                },
            ],
            quality=quality
            if quality is not None
            else {"detection": "flat", "rotation": 0, "deskew_angle": 0.0, "sharpness": 300.0},
            score=score,
            score_breakdown={
                "components": {"identity": {"points": 40, "earned": 20, "checks": 3}},
                "raw_score": score,
                "caps": [],
            },
            decision=decision,
            reason_codes=reason_codes if reason_codes is not None else ["nik_sex_mismatch"],
            threshold_auto_approve=85,
            threshold_auto_reject=35,
        )
        if not open_review:
            return result
        return ManualReview.objects.create(document=document, verification_result=result)

    return _make


@pytest.fixture
def console_client(client: Any) -> Callable[[Any], Any]:
    def _login(user: Any) -> Any:
        client.force_login(user)
        return client

    return _login
