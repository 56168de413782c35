from __future__ import annotations

from celery import shared_task

from documents import services


@shared_task(name="documents.tasks.sweep_stuck_documents", ignore_result=True)
def sweep_stuck_documents() -> dict[str, int]:
    return services.sweep_stuck_documents()
