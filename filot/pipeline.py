"""The pipeline's hand-offs, in one place: which task runs after each stage.

::

    upload (documents) --document_queued--> OCR: ocr_gpu.tasks.ocr_document (queue ocr_gpu)
    OCR (ocr_gpu) --ocr_recorded--> decision: workflows.tasks.decide_document (queue default)
        verification records the result and, in the same transaction, reviews opens the case
        (review_open) or the partner's decision row is written (workflows.services)
    a reviewer's decision --its outbox row, same transaction--> delivery (queue partner)

A stage calls the function named for what it produced (a queued document, a stored OCR
output) and knows nothing of the stage after it. Tasks are sent by name, so no app imports the
app that comes next and the apps' dependencies keep pointing one way (``documents`` <-
``ocr_gpu`` <- ``verification`` <- ``reviews``). Where tasks run in-process (no broker:
``CELERY_TASK_ALWAYS_EAGER``) the named task runs at once, as it would on a worker.

A publish that fails (broker down) is logged and answers ``False``: the row in PostgreSQL is
the truth, and the stuck-document sweep publishes again.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import Task

from filot.celery import app

logger = logging.getLogger(__name__)

OCR_TASK = "ocr_gpu.tasks.ocr_document"
DECIDE_TASK = "workflows.tasks.decide_document"


def document_queued(document_id: uuid.UUID | str, *, countdown: float | None = None) -> bool:
    """A document waits in ``queued`` (uploaded, reprocessed, retried or recovered): read it."""
    return _publish(OCR_TASK, document_id, countdown=countdown)


def ocr_recorded(document_id: uuid.UUID | str) -> bool:
    """The current attempt's OCR output is stored: decide the document."""
    return _publish(DECIDE_TASK, document_id)


def _task(name: str) -> Task[Any, Any]:
    """The registered task ``name``. A worker imports every app's tasks when it starts; the
    web process and management commands import them here on their first hand-off."""
    if name not in app.tasks:
        app.autodiscover_tasks(force=True)
    return app.tasks[name]


def _publish(name: str, document_id: uuid.UUID | str, *, countdown: float | None = None) -> bool:
    options: dict[str, Any] = {} if countdown is None else {"countdown": countdown}
    try:
        _task(name).apply_async(args=(str(document_id),), **options)
    except Exception as exc:  # noqa: BLE001 - the row is the truth; the sweep publishes again
        logger.warning(
            "task not published; the sweep will retry",
            extra={"task": name, "document_id": str(document_id), "error": type(exc).__name__},
        )
        return False
    return True
