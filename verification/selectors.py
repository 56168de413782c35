"""Reads for verification: everything deciding a document needs, gathered before anything is
written (``verification_pending``), and the duplicate and counterpart look-ups it makes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from documents.models import Document
from documents.status import DocumentStatus
from documents.validation import hamming_distance
from filot.crypto import lookup_digest
from ocr_gpu.models import OcrRun
from ocr_gpu.result import OcrResult
from verification.engine import Context, DuplicateHit, Parsed, parse
from verification.fields import Field
from verification.models import IdentityFingerprint, VerificationResult

S = DocumentStatus
IDENTITY_FIELDS = ("nik", "npwp")

# A reviewer's approved corrections of a result's fields (``reviews`` keeps them; the caller
# above both apps passes its look-up in).
Corrections = Callable[[VerificationResult], Mapping[str, object]]


def no_corrections(result: VerificationResult) -> Mapping[str, object]:
    return {}


@dataclass(frozen=True)
class Pending:
    """A document waiting for its decision, with every input ``assess`` takes."""

    document: Document
    run: OcrRun
    ocr: OcrResult
    parsed: Parsed
    context: Context
    approve_at: int
    reject_at: int


def identity_digest(number: str) -> str:
    """HMAC-SHA256 of an identity number under ``FIELD_HASH_KEY`` (never reversible)."""
    return lookup_digest(number, purpose="identity")


def identity_numbers(parsed: Parsed) -> set[str]:
    """Every NIK or NPWP number read from the card, digits only (a 16-digit NPWP is a NIK)."""
    numbers = set()
    for name in IDENTITY_FIELDS:
        value = parsed.value(name)
        if value and value.isdigit() and len(value) in (15, 16):
            numbers.add(value)
    return numbers


def find_duplicates(document: Document, parsed: Parsed) -> list[DuplicateHit]:
    """Other users' documents with the same identity number, the same file or a near-identical
    picture. Erased documents no longer count: their fingerprints and hashes are gone."""
    hits: list[DuplicateHit] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, other: uuid.UUID) -> None:
        if (kind, str(other)) not in seen:
            seen.add((kind, str(other)))
            hits.append(DuplicateHit(kind=kind, document_id=str(other)))

    digests = [identity_digest(n) for n in sorted(identity_numbers(parsed))]
    if digests:
        same_identity = (
            IdentityFingerprint.objects.filter(digest__in=digests)
            .exclude(owner_id=document.owner_id)
            .values_list("document_id", flat=True)
            .distinct()
        )
        for other in same_identity[:20]:
            add("identity_number", other)

    others = Document.objects.exclude(owner_id=document.owner_id).filter(erased_at__isnull=True)
    for other in others.filter(sha256=document.sha256).values_list("pk", flat=True)[:20]:
        add("file_hash", other)
    if document.image_phash:
        limit = settings.NEAR_IMAGE_MAX_DISTANCE
        candidates = others.filter(doc_type=document.doc_type).exclude(image_phash="")
        for other, phash in candidates.values_list("pk", "image_phash").iterator(chunk_size=2000):
            if len(phash) == len(document.image_phash) and (
                hamming_distance(phash, document.image_phash) <= limit
            ):
                add("near_image", other)
    return hits


def counterpart(document: Document, corrections: Corrections = no_corrections) -> Parsed | None:
    """The owner's latest readable document of the other type, with a reviewer's corrections."""
    other_type = "NPWP" if document.doc_type == "KTP" else "KTP"
    # The fields are encrypted, so "has fields" is decided here rather than in SQL; an owner
    # has a handful of results at most.
    candidates = (
        VerificationResult.objects.filter(
            document__owner_id=document.owner_id,
            document__doc_type=other_type,
            document__erased_at__isnull=True,
        )
        .defer("ocr_text", "ocr_words")
        .order_by("-created_at")[:20]
    )
    result = next((candidate for candidate in candidates if candidate.fields), None)
    if result is None:
        return None
    parsed = Parsed.from_dict(
        {
            "declared_type": other_type.lower(),
            "detected_type": result.detected_type,
            "fields": result.fields,
        }
    )
    for name, value in corrections(result).items():
        if isinstance(value, str):
            old = parsed.fields.get(name)
            parsed.fields[name] = Field(
                value=value,
                raw=old.raw if old else "",
                confidence=100.0,
                box=old.box if old else None,
            )
    return parsed


def build_context(
    document: Document, parsed: Parsed, corrections: Corrections = no_corrections
) -> Context:
    return Context(
        today=timezone.localdate(),
        profile_name=getattr(document.owner, "display_name", "") or "",
        counterpart=counterpart(document, corrections),
        duplicates=find_duplicates(document, parsed),
    )


def verification_result(*, document_id: uuid.UUID | str, attempt: int) -> VerificationResult | None:
    return VerificationResult.objects.filter(document_id=document_id, attempt=attempt).first()


def verification_pending(
    *, document_id: uuid.UUID | str, corrections: Corrections = no_corrections
) -> Pending | VerificationResult | None:
    """What deciding the document takes: its current attempt's OCR output, parsed, with the
    context of the owner's other card and other users' duplicates, and the thresholds.

    When there is nothing to decide, the answer is the result already recorded for the current
    attempt, or None: the document is gone, erased, not ``processing`` (reprocessed, already
    decided) or its OCR output is missing.
    """
    document = Document.objects.select_related("owner").filter(pk=document_id).first()
    if document is None or document.erased_at is not None:
        return None
    existing = verification_result(document_id=document.pk, attempt=document.attempt_seq)
    if existing is not None or document.status != S.PROCESSING:
        return existing
    run = OcrRun.objects.filter(document=document, attempt=document.attempt_seq).first()
    if run is None:
        return None
    ocr = OcrResult.from_dict(run.result)
    parsed = parse(ocr, document.doc_type.lower())
    return Pending(
        document=document,
        run=run,
        ocr=ocr,
        parsed=parsed,
        context=build_context(document, parsed, corrections),
        approve_at=settings.AI_SCORE_THRESHOLD_AUTO_APPROVE,
        reject_at=settings.AI_SCORE_THRESHOLD_AUTO_REJECT,
    )


def round_started(document: Document) -> datetime:
    """When this round began: the upload, or the last move back to ``queued`` by a reprocess."""
    requeued = (
        document.transitions.filter(to_status=S.QUEUED, actor__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return requeued or document.created_at
