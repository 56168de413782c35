"""The decision and the sweep on queue ``default``. Thin: the work is in ``workflows.services``."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import DatabaseError

from workflows import services


@shared_task(
    bind=True,
    name="workflows.tasks.decide_document",
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
def decide_document(self: Task[Any, Any], document_id: str) -> str:
    """Decide one document from its stored OCR output. Safe to run twice."""
    result = services.document_decide(document_id=document_id)
    return result.decision if result is not None else "skipped"


@shared_task(name="workflows.tasks.sweep_stuck_documents", ignore_result=True)
def sweep_stuck_documents() -> dict[str, int]:
    return services.stuck_documents_sweep()
