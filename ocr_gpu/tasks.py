"""The OCR task on queue ``ocr_gpu``. Thin: the work is in ``ocr_gpu.services``."""

from __future__ import annotations

import logging
import random

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from ocr_gpu import services

logger = logging.getLogger(__name__)


def backoff_seconds(attempt: int, *, base: float = 5.0, cap: float = 300.0) -> float:
    """Exponential backoff with full jitter."""
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
def ocr_document(self: Task, document_id: str) -> str:
    claim = services.ocr_claim(document_id=document_id)
    if claim is None:
        return "skipped"
    try:
        run = services.ocr_execute(claim=claim)
    except services.PermanentOcrError as exc:
        logger.warning(
            "ocr failed permanently", extra={"document_id": document_id, "code": exc.code}
        )
        services.ocr_fail(claim=claim, code=exc.code)
        return exc.code
    except (services.TransientOcrError, SoftTimeLimitExceeded) as exc:
        code = exc.code if isinstance(exc, services.TransientOcrError) else "ocr_timeout"
        logger.warning(
            "ocr attempt failed",
            extra={"document_id": document_id, "code": code, "attempt": claim.attempt},
        )
        if services.ocr_release(claim=claim, code=code):
            ocr_document.apply_async(args=(document_id,), countdown=backoff_seconds(claim.attempt))
        return code
    services.ocr_record(claim=claim, run=run)
    return "done"
