"""Generated cards through the real OCR pipeline (Tesseract): exact fields, right decisions."""

from __future__ import annotations

import io
import random
from datetime import date

import pytest
from PIL import Image, ImageFilter

from ocr_gpu.pipeline import run_ocr
from ocr_gpu.testing.cards import make_card
from ocr_gpu.testing.degrade import degrade
from ocr_gpu.testing.render import render_ktp
from verification.engine import Context, assess, parse
from verification.evaluation import tampered_fields

TODAY = date(2026, 11, 29)


def verify(data: bytes, declared: str):
    ocr = run_ocr(data, declared)
    parsed = parse(ocr, declared)
    return parsed, assess(parsed, ocr.quality, Context(today=TODAY), approve_at=85, reject_at=35)


@pytest.mark.parametrize(
    ("doc_type", "seed"), [("ktp", 11), ("ktp", 12), ("ktp", 13), ("npwp", 11), ("npwp", 12)]
)
def test_a_clean_generated_card_is_read_exactly_and_auto_approved(doc_type, seed):
    data, truth = make_card(doc_type, "clean", seed)

    parsed, result = verify(data, doc_type)

    assert {name: parsed.value(name) for name in truth["fields"]} == truth["fields"]
    assert parsed.detected_type == doc_type
    assert result.decision == "auto_approved", result.reasons


def test_a_scanned_ktp_keeps_its_nik_exact():
    data, truth = make_card("ktp", "mild", 21)

    parsed, _ = verify(data, "ktp")

    assert parsed.value("nik") == truth["fields"]["nik"]


@pytest.mark.parametrize("kind", ["nik_digit", "sex_swap", "dob_shift"])
def test_a_tampered_ktp_is_not_approved(kind):
    rng = random.Random(f"test:{kind}")
    fields = tampered_fields(kind, rng)
    data = degrade(render_ktp(fields, rng=rng), "clean", rng)

    parsed, result = verify(data, "ktp")

    assert parsed.value("nik") == fields["nik"]
    assert result.decision == "in_review"
    assert {"nik_dob_mismatch", "nik_sex_mismatch", "nik_invalid"} & set(result.reasons)


def test_a_blurred_photo_is_rejected_with_a_retake_reason():
    data, _ = make_card("ktp", "clean", 31)
    blurred = Image.open(io.BytesIO(data)).filter(ImageFilter.GaussianBlur(3))
    buffer = io.BytesIO()
    blurred.save(buffer, "PNG")

    _, result = verify(buffer.getvalue(), "ktp")

    assert result.decision == "auto_rejected"
    assert result.reasons[0] == "image_blurry"
