"""The three decisions end to end: API upload, a real Celery worker (queues ``ocr_gpu`` and
``default``), PostgreSQL and Redis, real Tesseract on generated cards. The worker reads the
thresholds from its environment, as a deployment would."""

from __future__ import annotations

import functools
import io

import pytest
from django.utils import timezone
from PIL import Image, ImageFilter

from documents.models import Document
from documents.status import DocumentStatus
from filot.testing.worker import wait_for
from ocr_gpu.pipeline import run_ocr
from ocr_gpu.testing.cards import make_card
from reviews.models import ManualReview
from verification.engine import Context, assess, parse
from verification.tests.flow import URL, card_bytes, ktp_fields, upload

pytestmark = pytest.mark.slow
S = DocumentStatus
DECIDED = {S.AUTO_APPROVED, S.AUTO_REJECTED, S.IN_REVIEW}


def decided(document_id: str, timeout: float = 90) -> Document:
    return wait_for(
        lambda: Document.objects.filter(pk=document_id, status__in=DECIDED).first(),
        timeout=timeout,
        what="a decision",
    )


def blurred(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data)).convert("RGB").filter(ImageFilter.GaussianBlur(6))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def sex_swapped(seed: int) -> dict[str, str]:
    fields = ktp_fields(seed)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    return dict(fields, jenis_kelamin=swapped)


def test_three_decisions_with_the_default_thresholds(auth_client, celery_worker_factory):
    celery_worker_factory()
    good = upload(auth_client, card_bytes("ktp", ktp_fields(31)), "ktp")
    unreadable = upload(auth_client, blurred(card_bytes("ktp", ktp_fields(32))), "ktp")
    tampered = upload(auth_client, card_bytes("ktp", sex_swapped(33)), "ktp")

    approved = auth_client.get(f"{URL}{decided(good).pk}/").json()
    assert approved["status"] == "auto_approved"
    assert approved["verification"]["score"] >= 85

    rejected = auth_client.get(f"{URL}{decided(unreadable).pk}/").json()
    assert rejected["status"] == "auto_rejected"
    assert rejected["verification"]["score"] <= 35
    retake = [r for r in rejected["verification"]["reasons"] if r["code"] == "image_blurry"]
    assert retake and retake[0]["retryable"] is True

    review = auth_client.get(f"{URL}{decided(tampered).pk}/").json()
    assert review["status"] == "in_review"
    assert (
        35 < review["verification"]["score"] < 85
        or "nik_sex_mismatch" in (review["verification"]["reason_codes"])
    )
    assert ManualReview.objects.filter(document_id=tampered, state="open").count() == 1
    assert not ManualReview.objects.filter(document_id__in=[good, unreadable]).exists()
    kyc = auth_client.get("/api/v1/me/").json()
    assert kyc["kyc_status"] != "verified"  # no NPWP yet, and one KTP waits for a human


@pytest.fixture(scope="module")
def threshold_driven_card() -> tuple[bytes, int]:
    """A generated card with a soft finding (score below 100) whose decision follows the
    thresholds alone (no override rule applies), and the score the engine gives it."""
    for seed in range(60):
        data, _ = make_card("ktp", "clean", seed)
        ocr = run_ocr(data, "ktp")
        parsed = parse(ocr, "ktp")
        context = Context(today=timezone.localdate())

        assessed = functools.partial(assess, parsed, ocr.quality, context)

        score = assessed(approve_at=85, reject_at=35).score
        if not 2 <= score <= 99:
            continue
        if [
            assessed(approve_at=score, reject_at=score - 1).decision,
            assessed(approve_at=score + 1, reject_at=score - 1).decision,
            assessed(approve_at=score + 1, reject_at=score).decision,
        ] == ["auto_approved", "in_review", "auto_rejected"]:
            return data, score
    pytest.fail("no generated card whose decision follows the thresholds alone")


@pytest.mark.parametrize(
    ("approve", "reject", "expected"),
    [
        ("score", "score-1", S.AUTO_APPROVED),  # exactly at the approve threshold
        ("score+1", "score-1", S.IN_REVIEW),  # one point short of it
        ("score+1", "score", S.AUTO_REJECTED),  # exactly at the reject threshold
    ],
)
def test_thresholds_come_from_the_environment_and_are_inclusive(
    auth_client, celery_worker_factory, threshold_driven_card, approve, reject, expected
):
    data, score = threshold_driven_card
    values = {"score": score, "score+1": score + 1, "score-1": score - 1}
    celery_worker_factory(
        AI_SCORE_THRESHOLD_AUTO_APPROVE=str(values[approve]),
        AI_SCORE_THRESHOLD_AUTO_REJECT=str(values[reject]),
    )
    document = decided(upload(auth_client, data, "ktp"))

    assert document.status == expected
    result = document.verification_results.get()
    assert result.score == score
    assert (result.threshold_auto_approve, result.threshold_auto_reject) == (
        values[approve],
        values[reject],
    )
