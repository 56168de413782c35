"""Verification of a document whose OCR output is stored: parse, check, score, decide, record.

``verification_record`` is the only writer of ``verification_results``. One transaction stores
the immutable result and its identity fingerprints, moves the document to its decision and
opens a manual review when a human is needed. Running it twice for the same OCR attempt does
nothing the second time.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents.models import Document
from documents.services import document_transition
from documents.status import DocumentStatus
from documents.validation import hamming_distance
from filot.crypto import lookup_digest
from ocr_gpu.models import OcrRun
from ocr_gpu.result import OcrResult
from reviews.models import ManualReview, ReviewDecision, ReviewEventKind, ReviewState
from reviews.services import review_event_record
from reviews.signals import document_decided, review_opened
from verification.engine import Context, DuplicateHit, Parsed, assess, parse
from verification.fields import Field
from verification.metrics import observe_decision
from verification.models import IdentityFingerprint, Outcome, VerificationResult

logger = logging.getLogger(__name__)
S = DocumentStatus
ACTOR = "system:verification"
IDENTITY_FIELDS = ("nik", "npwp")
OUTCOME_STATUS = {
    Outcome.AUTO_APPROVED: S.AUTO_APPROVED,
    Outcome.AUTO_REJECTED: S.AUTO_REJECTED,
    Outcome.IN_REVIEW: S.IN_REVIEW,
}


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


def _counterpart(document: Document) -> Parsed | None:
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
    corrected = next(
        (
            values
            for values in ManualReview.objects.filter(
                verification_result=result,
                state=ReviewState.DECIDED,
                decision=ReviewDecision.APPROVED,
            )
            .order_by("-decided_at")
            .values_list("corrected_fields", flat=True)
            if values
        ),
        None,
    )
    for name, value in (corrected or {}).items():
        if isinstance(value, str):
            old = parsed.fields.get(name)
            parsed.fields[name] = Field(
                value=value,
                raw=old.raw if old else "",
                confidence=100.0,
                box=old.box if old else None,
            )
    return parsed


def build_context(document: Document, parsed: Parsed) -> Context:
    return Context(
        today=timezone.localdate(),
        profile_name=getattr(document.owner, "display_name", "") or "",
        counterpart=_counterpart(document),
        duplicates=find_duplicates(document, parsed),
    )


def verification_record(*, document_id: uuid.UUID | str) -> VerificationResult | None:
    """Decide the document from its stored OCR output (the current attempt's).

    Returns the result, or None when there is nothing to decide: the document is not waiting
    for a decision (erased, reprocessed, already decided) or its OCR output is missing.
    """
    document = Document.objects.select_related("owner").filter(pk=document_id).first()
    if document is None or document.erased_at is not None:
        return None
    existing = VerificationResult.objects.filter(
        document=document, attempt=document.attempt_seq
    ).first()
    if existing is not None or document.status != S.PROCESSING:
        return existing
    run = OcrRun.objects.filter(document=document, attempt=document.attempt_seq).first()
    if run is None:
        return None

    ocr = OcrResult.from_dict(run.result)
    parsed = parse(ocr, document.doc_type.lower())
    context = build_context(document, parsed)
    approve_at = settings.AI_SCORE_THRESHOLD_AUTO_APPROVE
    reject_at = settings.AI_SCORE_THRESHOLD_AUTO_REJECT
    assessment = assess(parsed, ocr.quality, context, approve_at=approve_at, reject_at=reject_at)

    with transaction.atomic():
        locked = (
            Document.objects.select_for_update()
            .filter(
                pk=document.pk,
                status=S.PROCESSING,
                attempt_seq=run.attempt,
                erased_at__isnull=True,
            )
            .first()
        )
        if locked is None:  # moved on while we were computing
            return VerificationResult.objects.filter(document=document, attempt=run.attempt).first()
        result = VerificationResult.objects.create(
            document=document,
            attempt=run.attempt,
            engine=run.engine,
            preprocessing_backend=run.backend,
            detected_type=parsed.detected_type,
            ocr_text=ocr.text,
            ocr_words=_words(ocr),
            fields={name: f.to_dict() for name, f in parsed.fields.items()},
            checks=[check.to_dict() for check in assessment.checks],
            quality=ocr.quality,
            score=assessment.score,
            score_breakdown=assessment.breakdown,
            decision=assessment.decision,
            reason_codes=assessment.reasons,
            threshold_auto_approve=approve_at,
            threshold_auto_reject=reject_at,
            durations_ms=ocr.timings_ms,
        )
        IdentityFingerprint.objects.bulk_create(
            IdentityFingerprint(
                result=result,
                document=document,
                owner_id=document.owner_id,
                digest=identity_digest(number),
            )
            for number in sorted(identity_numbers(parsed))
        )
        target = OUTCOME_STATUS[Outcome(assessment.decision)]
        document_transition(
            document_id=document.pk,
            source=S.PROCESSING,
            target=target,
            actor_label=ACTOR,
            reason=f"score {assessment.score}: {', '.join(assessment.reasons) or 'no findings'}",
            last_error_code="",
        )
        if target == S.IN_REVIEW:
            superseded = list(
                ManualReview.objects.select_for_update().filter(
                    document=document, state=ReviewState.OPEN
                )
            )
            ManualReview.objects.filter(pk__in=[r.pk for r in superseded]).update(
                state=ReviewState.CANCELLED
            )
            for old in superseded:
                review_event_record(
                    old,
                    ReviewEventKind.CANCELLED,
                    None,
                    f"superseded by verification attempt {run.attempt}",
                    label=ACTOR,
                )
            review = ManualReview.objects.create(document=document, verification_result=result)
            review_event_record(
                review,
                ReviewEventKind.OPENED,
                None,
                f"attempt {run.attempt}, score {assessment.score}: "
                f"{', '.join(assessment.reasons) or 'no findings'}",
                label=ACTOR,
            )
            review_opened.send(sender=VerificationResult, review=review)
        else:
            document_decided.send(
                sender=VerificationResult,
                document=locked,
                decision=target,
                source="verification",
                reason_codes=assessment.reasons,
                review=None,
            )
    seconds = max((timezone.now() - _round_started(document)).total_seconds(), 0.0)
    observe_decision(
        decision=assessment.decision,
        score=assessment.score,
        doc_type=document.doc_type,
        seconds=seconds,
    )
    logger.info(
        "document decided",
        extra={
            "document_id": str(document.pk),
            "attempt": run.attempt,
            "score": assessment.score,
            "decision": assessment.decision,
            "reasons": assessment.reasons,
            "duplicates": len(context.duplicates),
            # The same duration as filot_pipeline_seconds: CloudWatch reads its p95 from this
            # line (deploy/aws/filot.yaml), as its agent does not carry Prometheus histograms.
            "pipeline_seconds": round(seconds, 3),
        },
    )
    return result


def _round_started(document: Document) -> Any:
    """When this round began: the upload, or the last move back to ``queued`` by a reprocess."""
    requeued = (
        document.transitions.filter(to_status=S.QUEUED, actor__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return requeued or document.created_at


def _words(ocr: OcrResult) -> list[dict[str, Any]]:
    return [
        {"text": w.text, "confidence": w.confidence, "box": list(w.box), "region": line.region}
        for line in ocr.lines
        for w in line.words
    ]
