"""Test data for verification results (factory_boy): a KTP read with a few fields, a failing
NIK check and a score between the thresholds, unless told otherwise."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from documents.status import Outcome
from documents.tests.factories import DocumentFactory
from verification.models import VerificationResult


def nik_for(n: int) -> str:
    return f"3171{n:012d}"[-16:]


def read_fields(n: int) -> dict[str, Any]:
    return {
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
    }


def sex_mismatch_checks() -> list[dict[str, Any]]:
    return [
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
    ]


class VerificationResultFactory(DjangoModelFactory[VerificationResult]):
    class Meta:
        model = VerificationResult

    class Params:
        n = factory.Sequence(lambda n: n + 1)

    document = factory.SubFactory(
        DocumentFactory,
        status=factory.LazyAttribute(lambda o: Outcome(o.factory_parent.decision).status),
        attempts=1,
        attempt_seq=1,
    )
    attempt = 1
    engine = "tesseract"
    preprocessing_backend = "cpu"
    detected_type = factory.LazyAttribute(lambda o: o.document.doc_type.lower())
    fields = factory.LazyAttribute(lambda o: read_fields(o.n))
    checks = factory.LazyFunction(sex_mismatch_checks)
    quality = factory.LazyFunction(
        lambda: {"detection": "flat", "rotation": 0, "deskew_angle": 0.0, "sharpness": 300.0}
    )
    score = 60
    score_breakdown = factory.LazyAttribute(
        lambda o: {
            "components": {"identity": {"points": 40, "earned": 20, "checks": 3}},
            "raw_score": o.score,
            "caps": [],
        }
    )
    decision = Outcome.IN_REVIEW
    reason_codes = factory.LazyFunction(lambda: ["nik_sex_mismatch"])
    threshold_auto_approve = 85
    threshold_auto_reject = 35
