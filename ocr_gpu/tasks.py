"""The OCR task on queue ``ocr_gpu``. Thin: the work is in ``ocr_gpu.services``."""

from __future__ import annotations

import logging
import random
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from filot import pipeline
from filot.metrics import mark_ocr_started
from ocr_gpu import services
from ocr_gpu.metrics import OCR_ACTIVE_JOBS, OCR_FAILURES

logger = logging.getLogger(__name__)


def backoff_seconds(attempt: int, *, base: float | None = None, cap: float | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]."""
    base = settings.OCR_RETRY_BACKOFF_SECONDS if base is None else base
    cap = settings.OCR_RETRY_BACKOFF_MAX_SECONDS if cap is None else cap
    return random.uniform(0, min(cap, base * (2 ** max(attempt - 1, 0))))


@shared_task(
    bind=True,
    name="ocr_gpu.tasks.ocr_document",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.OCR_SOFT_TIME_LIMIT,
    time_limit=settings.OCR_TIME_LIMIT,
    ignore_result=True,
)
def ocr_document(self: Task[Any, Any], document_id: str) -> str:
    """OCR one document: ``queued -> processing``, read, store, hand over to verification.

    Safe to run twice (the claim is a conditional update). The named transient errors
    (``TransientOcrError``, the soft time limit) put the document back in ``queued`` with a
    delayed retry; anything else, and spent attempts, fail it at once with the error code.
    Attempts are counted on the document row, not in the broker.
    """
    claim = services.ocr_claim(document_id=document_id)
    if claim is None:
        return "skipped"
    mark_ocr_started()
    with OCR_ACTIVE_JOBS.track_inprogress():
        try:
            run = services.ocr_execute(claim=claim)
        except services.PermanentOcrError as exc:
            logger.warning(
                "ocr failed permanently", extra={"document_id": document_id, "code": exc.code}
            )
            OCR_FAILURES.labels(code=exc.code, outcome="failed").inc()
            services.ocr_fail(claim=claim, code=exc.code)
            return exc.code
        except (services.TransientOcrError, SoftTimeLimitExceeded) as exc:
            code = exc.code if isinstance(exc, services.TransientOcrError) else "ocr_timeout"
            return _retry_later(document_id, claim, code)
        except Exception as exc:
            # Not a named transient error: another attempt would fail the same way (a bug, a
            # file the store refuses). Fail at once with its reason; staff may reprocess.
            logger.exception("ocr crashed", extra={"document_id": document_id})
            OCR_FAILURES.labels(code="internal_error", outcome="failed").inc()
            services.ocr_fail(claim=claim, code="internal_error", detail=type(exc).__name__)
            return "internal_error"
        services.ocr_record(claim=claim, run=run)
    return "done"


def _retry_later(document_id: str, claim: services.Claim, code: str) -> str:
    retry = services.ocr_release(claim=claim, code=code)
    OCR_FAILURES.labels(code=code, outcome="retry" if retry else "failed").inc()
    logger.warning(
        "ocr attempt failed",
        extra={"document_id": document_id, "code": code, "attempt": claim.attempt, "retry": retry},
    )
    if retry:
        pipeline.document_queued(document_id, countdown=backoff_seconds(claim.attempt))
    return code
