"""The verification engine's public surface: ``parse`` OCR lines into fields, ``assess`` them.

Pure: no database, no network, no Django settings. Callers (the Celery task, the
``verify_document`` command, the benchmark) pass thresholds and context in.
Nothing here logs personal data: logs carry document types, counts and codes only.
"""

from __future__ import annotations

import logging
from typing import Any

from ocr_gpu.result import OcrResult
from verification.checks import Check, Context, DuplicateHit, run_checks
from verification.consensus import merge, reads_of
from verification.fields import Field
from verification.parsing import Parsed
from verification.parsing.doctype import detect
from verification.parsing.ktp import parse_ktp
from verification.parsing.npwp import parse_npwp
from verification.scoring import Assessment, decide

__all__ = [
    "Assessment",
    "Check",
    "Context",
    "DuplicateHit",
    "Field",
    "Parsed",
    "assess",
    "parse",
]

logger = logging.getLogger(__name__)
DOC_TYPES = ("ktp", "npwp")


PARSERS = {"ktp": parse_ktp, "npwp": parse_npwp}


def parse(ocr: OcrResult, declared_type: str | None) -> Parsed:
    """Fields of the card in ``ocr`` as the detected type (the declared type when detection
    finds neither), merged over every independent read in ``ocr`` with their agreement
    (``verification.consensus``). Never raises on any text."""
    declared = declared_type if declared_type in DOC_TYPES else None
    reads = reads_of(ocr)
    detected = detect(ocr)
    if detected not in DOC_TYPES and ocr.second_lines:
        detected = detect(OcrResult(lines=ocr.second_lines, card_size=ocr.card_size))
    kind = detected if detected in DOC_TYPES else declared
    fields: dict[str, Field] = {}
    if kind in PARSERS:
        fields = merge(reads, kind, PARSERS[kind])
    logger.info(
        "parsed declared=%s detected=%s fields=%d",
        declared,
        detected,
        sum(1 for f in fields.values() if f.value),
    )
    return Parsed(declared_type=declared, detected_type=detected, fields=fields)


def assess(
    parsed: Parsed, quality: dict[str, Any], context: Context, *, approve_at: int, reject_at: int
) -> Assessment:
    """Run every check and decide (precedence documented in ``verification.scoring``).

    Precondition: ``0 <= reject_at < approve_at <= 100``.
    """
    checks = run_checks(parsed, quality, context)
    assessment = decide(checks, approve_at=approve_at, reject_at=reject_at)
    logger.info(
        "assessed type=%s score=%d decision=%s reasons=%s",
        parsed.parsed_type,
        assessment.score,
        assessment.decision,
        ",".join(assessment.reasons),
    )
    return assessment
