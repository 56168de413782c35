"""The verification task on queue ``default``, chained after OCR."""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import DatabaseError

from verification.services import verification_record

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="verification.tasks.verify_document",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
    ignore_result=True,
)
def verify_document(self: Task, document_id: str) -> str:
    """Decide one document from its stored OCR output. Safe to run twice."""
    result = verification_record(document_id=document_id)
    return result.decision if result is not None else "skipped"
