"""Writes for verification: record a decision, erase a document's personal data.

``verification_record`` is the only writer of ``verification_results``. It stores the immutable
result and its identity fingerprints and moves the document to its decision, inside the
caller's transaction (``workflows.services.document_decide``, which opens the review or writes
the partner's row in the same one). Its inputs are gathered beforehand
(``verification.selectors.verification_pending``) and assessed by the pure
``verification.engine.assess``.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from documents.models import Document
from documents.services import document_transition
from documents.status import DocumentStatus, Outcome
from ocr_gpu.result import OcrResult
from verification.engine import Assessment
from verification.metrics import observe_decision
from verification.models import IdentityFingerprint, VerificationResult
from verification.selectors import Pending, identity_digest, identity_numbers, round_started

logger = logging.getLogger(__name__)
S = DocumentStatus
ACTOR = "system:verification"


def verification_record(*, pending: Pending, assessment: Assessment) -> VerificationResult | None:
    """Store the result of ``pending`` and move its document to the decision.

    Returns None, writing nothing, when the document moved on while it was assessed (erased,
    recovered for another attempt, decided by a concurrent run).
    """
    document, run, ocr = pending.document, pending.run, pending.ocr
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update()
            .filter(
                pk=document.pk,
                status=S.PROCESSING,
                attempt_seq=run.attempt,
                erased_at__isnull=True,
            )
            .exists()
        )
        if not locked:
            return None
        result = VerificationResult.objects.create(
            document=document,
            attempt=run.attempt,
            engine=run.engine,
            preprocessing_backend=run.backend,
            detected_type=pending.parsed.detected_type,
            ocr_text=ocr.text,
            ocr_words=_words(ocr),
            fields={name: f.to_dict() for name, f in pending.parsed.fields.items()},
            checks=[check.to_dict() for check in assessment.checks],
            quality=ocr.quality,
            score=assessment.score,
            score_breakdown=assessment.breakdown,
            decision=assessment.decision,
            reason_codes=assessment.reasons,
            threshold_auto_approve=pending.approve_at,
            threshold_auto_reject=pending.reject_at,
            durations_ms=ocr.timings_ms,
        )
        IdentityFingerprint.objects.bulk_create(
            IdentityFingerprint(
                result=result,
                document=document,
                owner_id=document.owner_id,
                digest=identity_digest(number),
            )
            for number in sorted(identity_numbers(pending.parsed))
        )
        document_transition(
            document_id=document.pk,
            source=S.PROCESSING,
            target=Outcome(assessment.decision).status,
            actor_label=ACTOR,
            reason=f"score {assessment.score}: {', '.join(assessment.reasons) or 'no findings'}",
            last_error_code="",
        )
    return result


def verification_observe(*, pending: Pending, result: VerificationResult) -> None:
    """Count and log a recorded decision (after its transaction committed)."""
    document = pending.document
    seconds = max((timezone.now() - round_started(document)).total_seconds(), 0.0)
    observe_decision(
        decision=result.decision,
        score=result.score,
        doc_type=document.doc_type,
        seconds=seconds,
    )
    logger.info(
        "document decided",
        extra={
            "document_id": str(document.pk),
            "attempt": result.attempt,
            "score": result.score,
            "decision": result.decision,
            "reasons": list(result.reason_codes),
            "duplicates": len(pending.context.duplicates),
            # The same duration as filot_pipeline_seconds: CloudWatch reads its p95 from this
            # line (deploy/aws/filot.yaml), as its agent does not carry Prometheus histograms.
            "pipeline_seconds": round(seconds, 3),
        },
    )


def verification_erase(*, document_id: uuid.UUID | str) -> None:
    """Erasure (inside the caller's transaction): the identity fingerprints go; results are
    immutable evidence, so they keep score, decision, reason codes and check names and lose
    the text and the extracted values."""
    IdentityFingerprint.objects.filter(document_id=document_id).delete()
    VerificationResult.objects.filter(document_id=document_id).update(
        ocr_text="", ocr_words=[], fields={}
    )


def _words(ocr: OcrResult) -> list[dict[str, Any]]:
    return [
        {"text": w.text, "confidence": w.confidence, "box": list(w.box), "region": line.region}
        for line in ocr.lines
        for w in line.words
    ]
