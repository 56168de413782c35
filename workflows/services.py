"""The steps that span apps, each calling the apps' own services in order.

``document_decide`` is the decision stage (``filot.pipeline``: after OCR): verification gathers
its inputs (``verification_pending``), ``assess`` scores them (pure), and one transaction
records the result and moves the document (``verification_record``) and then either opens the
review with its partner row (``review_open``) or, for an automatic decision, writes the
partner's row (``partner_tell_decision``). Running it twice for one OCR attempt does nothing the
second time.

``stuck_documents_sweep`` lets each stage re-enqueue its own stuck rows: ``documents`` the
queued documents whose message was lost, then ``ocr_gpu`` the documents whose worker vanished
or whose hand-over to verification was lost.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from documents.services import documents_republish_stale
from documents.status import Outcome
from ocr_gpu.services import ocr_sweep
from reviews.partner.services import partner_tell_decision
from reviews.selectors import approved_corrections
from reviews.services import review_open
from verification.engine import assess
from verification.models import VerificationResult
from verification.selectors import Pending, verification_pending, verification_result
from verification.services import verification_observe, verification_record

logger = logging.getLogger(__name__)
VERIFICATION = "verification"


def document_decide(*, document_id: uuid.UUID | str) -> VerificationResult | None:
    """Decide the document from its stored OCR output (the current attempt's).

    Returns the result, or None when there is nothing to decide: the document is not waiting
    for a decision (erased, reprocessed, already decided) or its OCR output is missing.
    """
    pending = verification_pending(document_id=document_id, corrections=approved_corrections)
    if not isinstance(pending, Pending):
        return pending
    assessment = assess(
        pending.parsed,
        pending.ocr.quality,
        pending.context,
        approve_at=pending.approve_at,
        reject_at=pending.reject_at,
    )
    with transaction.atomic():
        result = verification_record(pending=pending, assessment=assessment)
        if result is None:  # moved on while it was assessed
            return verification_result(document_id=pending.document.pk, attempt=pending.run.attempt)
        if result.decision == Outcome.IN_REVIEW:
            review_open(document=pending.document, result=result)
        else:
            partner_tell_decision(
                document=pending.document,
                decision=Outcome(result.decision).status,
                source=VERIFICATION,
                reason_codes=list(result.reason_codes),
            )
    verification_observe(pending=pending, result=result)
    return result


def stuck_documents_sweep(
    *,
    now: datetime | None = None,
    queued_after: float | None = None,
    processing_after: float | None = None,
) -> dict[str, int]:
    """Re-enqueue documents whose message was lost, and recover vanished workers' jobs.

    - ``queued`` and not (re)published for ``STUCK_QUEUED_SECONDS``: publish again
      (``documents``).
    - ``processing`` with this attempt's OCR output stored for ``STUCK_QUEUED_SECONDS`` but no
      decision: publish the decision again (``ocr_gpu``).
    - ``processing`` for longer than ``STUCK_PROCESSING_SECONDS`` (past the hard time limit):
      the worker is gone; back to ``queued`` and published, or ``failed`` when attempts are
      spent (``ocr_gpu``).
    """
    current = now or timezone.now()
    queued_cutoff = current - timedelta(
        seconds=settings.STUCK_QUEUED_SECONDS if queued_after is None else queued_after
    )
    processing_cutoff = current - timedelta(
        seconds=settings.STUCK_PROCESSING_SECONDS if processing_after is None else processing_after
    )
    counts = {"republished": documents_republish_stale(queued_cutoff=queued_cutoff)}
    counts.update(ocr_sweep(queued_cutoff=queued_cutoff, processing_cutoff=processing_cutoff))
    if any(counts.values()):
        logger.info("stuck documents swept", extra=counts)
    return counts
