"""End to end on generated cards with real Tesseract: every level, both types, odd inputs."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from ocr_gpu.engine import OcrTimeout
from ocr_gpu.loading import ImageUnreadable
from ocr_gpu.pipeline import run_ocr
from ocr_gpu.result import OcrResult
from ocr_gpu.testing.cards import make_card
from ocr_gpu.testing.metrics import number_band_cer, whole_card_cer

pytestmark = pytest.mark.slow

CASES = [(t, level, seed) for t in ("ktp", "npwp") for level in ("clean", "mild", "hard")
         for seed in (1, 2)]  # fmt: skip


@pytest.fixture(scope="module")
def reads() -> dict[tuple[str, str, int], tuple[OcrResult, dict]]:
    """One OCR run per generated card, shared by the tests below (Tesseract is slow)."""
    out = {}
    for doc_type, level, seed in CASES:
        data, truth = make_card(doc_type, level, seed)
        # mild cards go through doc-type detection; the others are told their type
        given = None if level == "mild" else doc_type
        out[doc_type, level, seed] = (run_ocr(data, given), truth["fields"])
    return out


def _number_line(result: OcrResult, region: str) -> str:
    lines = [line.text for line in result.lines if line.region == region]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("level", ["clean", "mild"])
@pytest.mark.parametrize("seed", [1, 2])
def test_nik_digits_are_read_in_the_nik_band(reads, level, seed):
    result, fields = reads["ktp", level, seed]
    line = _number_line(result, "nik")
    assert fields["nik"] in line.replace(" ", "")
    assert line.startswith("NIK")


@pytest.mark.parametrize("level", ["clean", "mild"])
@pytest.mark.parametrize("seed", [1, 2])
def test_npwp_number_is_read_in_the_npwp_band(reads, level, seed):
    result, fields = reads["npwp", level, seed]
    digits = "".join(c for c in _number_line(result, "npwp") if c.isdigit())
    assert digits == fields["npwp"]


@pytest.mark.parametrize("doc_type", ["ktp", "npwp"])
def test_hard_photos_read_with_a_low_character_error_rate(reads, doc_type):
    for seed in (1, 2):
        result, fields = reads[doc_type, "hard", seed]
        assert number_band_cer(result, doc_type, fields) <= 0.07  # at most one digit in 16
        assert whole_card_cer(result, doc_type, fields) < 0.08


@pytest.mark.parametrize("level", ["clean", "mild"])
def test_whole_card_reads_nearly_exactly_on_scans(reads, level):
    for doc_type in ("ktp", "npwp"):
        result, fields = reads[doc_type, level, 1]
        assert whole_card_cer(result, doc_type, fields) < 0.04


def test_doc_type_is_detected_from_the_header(reads):
    assert reads["ktp", "mild", 1][0].quality["doc_type"] == "ktp"
    assert reads["npwp", "mild", 1][0].quality["doc_type"] == "npwp"


def test_ktp_lines_follow_the_card_layout(reads):
    result, fields = reads["ktp", "clean", 1]
    regions = [line.region for line in result.lines]
    assert regions[:3] == ["header", "header", "nik"]
    assert regions[-2:] == ["issue", "issue"]
    assert result.lines[0].text == f"PROVINSI {fields['provinsi']}"
    assert result.lines[-2].text == fields["tempat_diterbitkan"]


def test_result_carries_timings_quality_backend_and_size(reads):
    result, _ = reads["npwp", "hard", 1]
    assert set(result.timings_ms) >= {"load", "preprocess", "quality", "ocr"}
    assert all(v >= 0 for v in result.timings_ms.values())
    assert result.backend == "cpu" and result.card_size == (1012, 638)
    assert result.quality["card_found"] and 0.3 < result.quality["card_area_share"] < 0.7
    assert OcrResult.from_dict(result.to_dict()).text == result.text


def _rotated(data: bytes, transpose: Image.Transpose) -> bytes:
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).transpose(transpose).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("doc_type", "transpose"),
    [("ktp", Image.Transpose.ROTATE_180), ("npwp", Image.Transpose.ROTATE_90),
     ("ktp", Image.Transpose.ROTATE_270)],
)  # fmt: skip
def test_sideways_and_upside_down_cards_are_still_read(doc_type, transpose):
    data, truth = make_card(doc_type, "mild", 5)
    result = run_ocr(_rotated(data, transpose), doc_type)
    number = truth["fields"]["nik" if doc_type == "ktp" else "npwp"]
    assert number in "".join(c for c in result.text if c.isdigit() or c == "\n")
    assert result.quality["rotation"] != 0


def test_pdf_upload_is_read():
    data, truth = make_card("ktp", "clean", 6)
    buffer = io.BytesIO()
    Image.open(io.BytesIO(data)).convert("RGB").save(buffer, "PDF")
    result = run_ocr(buffer.getvalue(), "ktp")
    assert truth["fields"]["nik"] in result.text
    assert result.quality["card_found"]


def test_photo_without_a_card_reports_no_card_and_does_not_crash():
    rng = np.random.default_rng(9)
    blotches = cv2.resize(rng.integers(0, 255, (9, 12, 3), dtype=np.uint8), (1200, 900))
    ok, encoded = cv2.imencode(".jpg", blotches)
    result = run_ocr(encoded.tobytes())
    assert ok and not result.quality["card_found"]
    assert result.quality["ocr_word_count"] < 25


def test_corrupt_upload_raises_image_unreadable():
    data, _ = make_card("ktp", "hard", 3)
    with pytest.raises(ImageUnreadable):
        run_ocr(data[:2000], "ktp")


def test_spent_time_budget_raises_ocr_timeout():
    data, _ = make_card("ktp", "clean", 7)
    with pytest.raises(OcrTimeout):
        run_ocr(data, "ktp", timeout_s=0.05)
