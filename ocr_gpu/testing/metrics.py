"""Accuracy measures of an OCR read against a generated card's ground truth."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from ocr_gpu.result import OcrResult
from ocr_gpu.testing.cards import card_lines


def char_error_rate(reference: str, hypothesis: str) -> float:
    """Edit distance divided by the reference length (0 is perfect; can exceed 1)."""
    if not reference:
        return 0.0 if not hypothesis else 1.0
    return Levenshtein.distance(reference, hypothesis) / len(reference)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def number_band_cer(result: OcrResult, doc_type: str, fields: dict[str, str]) -> float:
    """CER of the digits read in the NIK / NPWP band against the true number."""
    region = "nik" if doc_type == "ktp" else "npwp"
    expected = fields["nik"] if doc_type == "ktp" else fields["npwp"]
    read = "".join(line.text for line in result.lines if line.region == region)
    return char_error_rate(expected, re.sub(r"\D", "", read))


def whole_card_cer(result: OcrResult, doc_type: str, fields: dict[str, str]) -> float:
    """CER of the whole read (lines joined in order) against the printed text."""
    expected = "\n".join(squash(line) for line in card_lines(doc_type, fields))
    read = "\n".join(squash(line.text) for line in result.lines)
    return char_error_rate(expected, read)
