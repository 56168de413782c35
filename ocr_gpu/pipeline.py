"""Bytes in, ``OcrResult`` out: load, preprocess, measure quality, read by layout.

Pure (no Django): the Celery task and the benchmark call ``run_ocr``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import cv2
import numpy as np
from rapidfuzz import fuzz

from ocr_gpu.backends import ImageBackend, select_backend
from ocr_gpu.engine import OcrTimeout, read_card, read_header, read_score
from ocr_gpu.layouts import LAYOUTS
from ocr_gpu.loading import load_image
from ocr_gpu.preprocess import CARD_SIZE, Preprocessed, preprocess, rotate_180
from ocr_gpu.quality import measure
from ocr_gpu.result import Line, OcrResult

logger = logging.getLogger(__name__)

CARD_JPEG_QUALITY = 85
FLIP_SCORE = 70.0
HEADER_MIN_CONFIDENCE = 60.0  # below this mean word confidence the card may be upside down
KEYWORDS = {
    "npwp": ("NPWP", "DIREKTORAT", "JENDERAL", "PAJAK"),
    "ktp": ("PROVINSI", "KABUPATEN", "KOTA", "NIK"),
}
T = TypeVar("T")


def _timed(timings: dict[str, float], stage: str, call: Callable[[], T]) -> T:
    start = time.perf_counter()
    try:
        return call()
    finally:
        timings[stage] = round((time.perf_counter() - start) * 1000, 1)


def classify_header(lines: list[Line]) -> str | None:
    """``npwp`` or ``ktp`` from header words (fuzzy, tolerant to OCR slips), else None."""
    words = [
        w.text.upper().strip(":.,")
        for line in lines
        for w in line.words
        if w.confidence >= HEADER_MIN_CONFIDENCE
    ]
    votes = {
        doc_type: sum(1 for word in words for key in keys if fuzz.ratio(word, key) >= 80)
        for doc_type, keys in KEYWORDS.items()
    }
    best = max(votes, key=lambda doc_type: votes[doc_type])
    return best if votes[best] > 0 else None


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OcrTimeout("OCR time budget spent")
    return left


def detect_doc_type(
    pre: Preprocessed, languages: str, deadline: float, backend: ImageBackend | None = None
) -> tuple[str, Preprocessed, bool]:
    """Doc type from a header read, the card turned upright when only the flipped read fits,
    and whether the orientation is settled."""
    for turned in (False, True):
        candidate = rotate_180(pre, backend) if turned else pre
        lines = read_header(candidate.gray, languages=languages, timeout_s=_remaining(deadline))
        doc_type = classify_header(lines)
        if doc_type is not None:
            return doc_type, candidate, True
    return "ktp", pre, False


def run_ocr(
    data: bytes,
    doc_type: str | None = None,
    *,
    gpu_enabled: bool = False,
    languages: str = "ind+eng",
    timeout_s: float = 60,
    keep_card: bool = False,
) -> OcrResult:
    """OCR one uploaded KTP/NPWP image or PDF.

    ``doc_type`` picks the region layout (``ktp``/``npwp``); ``None`` detects it from a header
    read. ``keep_card`` adds the canonical card (upright, ``CARD_SIZE``, the image every box is
    measured on) as JPEG in ``card_image``. Raises ``ImageUnreadable`` (permanent) and
    ``OcrTimeout`` (transient).
    """
    if doc_type is not None and doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}")
    deadline = time.monotonic() + timeout_s
    timings: dict[str, float] = {}
    image = _timed(timings, "load", lambda: load_image(data))
    backend = select_backend(gpu_enabled)
    pre = _timed(timings, "preprocess", lambda: preprocess(image, backend))

    def read() -> tuple[Preprocessed, list[Line], str]:
        card, kind, settled = pre, doc_type, False
        if kind is None:
            kind, card, settled = detect_doc_type(pre, languages, deadline, backend)
        layout = LAYOUTS[kind]
        lines = read_card(card.gray, layout, languages=languages, timeout_s=_remaining(deadline))
        if not settled and read_score(lines) < FLIP_SCORE:
            flipped = rotate_180(card, backend)
            other = read_card(
                flipped.gray, layout, languages=languages, timeout_s=_remaining(deadline)
            )
            if read_score(other) > read_score(lines):
                card, lines = flipped, other
        return card, lines, kind

    card, lines, kind = _timed(timings, "ocr", read)
    quality = _timed(timings, "quality", lambda: measure(card.card, card.meta()))
    confidences = [w.confidence for line in lines for w in line.words]
    quality.update(
        doc_type=kind,
        rotation=card.rotation,
        deskew_angle=card.deskew_angle,
        detection=card.method,
        ocr_confidence_median=round(float(np.median(confidences)), 2) if confidences else 0.0,
        ocr_word_count=len(confidences),
    )
    timings["total"] = round(sum(timings.values()), 1)
    logger.info(
        "ocr done doc_type=%s backend=%s lines=%d total_ms=%.0f",
        kind,
        backend.name,
        len(lines),
        timings["total"],
    )
    return OcrResult(
        lines=lines,
        quality=quality,
        timings_ms=timings,
        backend=backend.name,
        card_size=CARD_SIZE,
        card_image=encode_card(card.card) if keep_card else None,
    )


def encode_card(card: np.ndarray, quality: int = CARD_JPEG_QUALITY) -> bytes | None:
    """The canonical BGR card as JPEG; None if encoding fails (the card is an extra)."""
    ok, encoded = cv2.imencode(".jpg", card, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return encoded.tobytes() if ok else None
