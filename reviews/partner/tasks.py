"""Partner tasks, all on queue ``partner`` (``CELERY_TASK_ROUTES``). Thin: they call services."""

from __future__ import annotations

from celery import shared_task

from reviews.partner import services


@shared_task(
    name="reviews.partner.tasks.deliver_outbox_event",
    ignore_result=True,
    acks_late=True,
    # Below the in-flight lease (connect + read timeouts + BULI2_LEASE_MARGIN_SECONDS = 43 s by
    # default), so a slow call is over before another worker may take the row.
    soft_time_limit=30,
    time_limit=40,
)
def deliver_outbox_event(outbox_id: int, token: str) -> str:
    return services.outbox_deliver(outbox_id=outbox_id, token=token)


@shared_task(name="reviews.partner.tasks.sweep_outbox", ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    return services.outbox_sweep()
