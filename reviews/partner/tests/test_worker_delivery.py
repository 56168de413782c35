"""Delivery by a real Celery worker on queue ``partner`` to a real (fake) BULI2 over HTTP.

The test process plays Celery beat: it runs the outbox sweep in a loop, as the
``sweep-partner-outbox`` schedule would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from filot.testing.worker import wait_for
from reviews.models import ManualReview
from reviews.partner import breaker
from reviews.partner.fake_server import Mode
from reviews.partner.models import OutboxEvent
from reviews.partner.services import outbox_sweep
from reviews.partner.tests.conftest import partner_env

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

FAST = {
    "BULI2_RETRY_BASE_SECONDS": "0.2",
    "BULI2_RETRY_MAX_SECONDS": "0.5",
    "BULI2_CONNECT_TIMEOUT": "1",
    "BULI2_READ_TIMEOUT": "3",
    "BULI2_LEASE_MARGIN_SECONDS": "0.5",
}


def sweeping(condition: Callable[[], Any], *, timeout: float, what: str) -> Any:
    def step() -> Any:
        outbox_sweep()
        return condition()

    return wait_for(step, timeout=timeout, interval=0.25, what=what)


def all_delivered(count: int) -> Callable[[], bool]:
    return lambda: OutboxEvent.objects.filter(status="delivered").count() == count


def no_row_held() -> bool:
    """Every delivery a worker took has ended: its outcome recorded or the row handed back."""
    return not OutboxEvent.objects.filter(claim_token__isnull=False).exists()


def sweep_every_row_due() -> None:
    """Make every pending row due, dispatch it, and wait until the workers handed each back."""
    pending = OutboxEvent.objects.filter(status="pending")
    count = pending.update(next_attempt_at=timezone.now())
    assert outbox_sweep()["dispatched"] == count
    wait_for(no_row_held, timeout=30, what="the workers to hand the rows back")


def test_an_outage_opens_the_breaker_and_the_backlog_drains_exactly_once(
    partner, open_review, celery_worker_factory
):
    partner.mode = Mode(status=500)
    env = partner_env(partner, BULI2_BREAKER_FAIL_MAX="3", BULI2_BREAKER_RESET_SECONDS="3", **FAST)
    # Two workers: the breaker's state is shared through Redis.
    celery_worker_factory(queues="partner", **env)
    celery_worker_factory(queues="partner", **env)

    # BULI2 is down while six cases are escalated.
    reviews = [open_review() for _ in range(6)]
    wait_for(lambda: breaker.state() == "open", timeout=30, what="the breaker to open")
    # A call the other worker had in flight when it opened ends too.
    wait_for(no_row_held, timeout=30, what="every delivery taken to end")
    failed = partner.hits()
    assert 3 <= failed <= 4  # fail_max failures (plus one in flight), then none

    # While it is open nothing is attempted, however often rows come due.
    sweep_every_row_due()
    assert partner.hits() == failed
    assert breaker.state() == "open"
    assert not OutboxEvent.objects.exclude(status="pending").exists()

    # After the cooldown a single half-open probe fails and opens it again.
    sweeping(lambda: partner.hits() == failed + 1, timeout=30, what="the first probe")
    probe_failed_at = partner.records()[-1].at
    wait_for(no_row_held, timeout=30, what="the probe's row handed back")
    sweep_every_row_due()
    assert partner.hits() == failed + 1
    assert breaker.state() == "open"

    # BULI2 recovers; after the next cooldown one probe closes it and the backlog drains.
    partner.mode = Mode()
    sweeping(all_delivered(6), timeout=60, what="every event delivered")

    assert breaker.state() == "closed"
    records = partner.records()
    probe = records[failed + 1]
    assert probe.answered == 201
    assert probe.at - probe_failed_at >= 1.5  # the cooldown (3 s, stored to the whole second)
    # Every call was recorded as an attempt: the failures, the failed probe and six successes.
    attempts = sum(OutboxEvent.objects.values_list("attempts", flat=True))
    assert attempts == partner.hits() == failed + 1 + 6
    event_ids = {str(e) for e in OutboxEvent.objects.values_list("event_id", flat=True)}
    assert partner.accepted() == dict.fromkeys(event_ids, 1)
    assert all(r.authorized and r.signature_ok for r in records)
    task_ids = set(
        ManualReview.objects.filter(pk__in=[r.pk for r in reviews]).values_list(
            "partner_task_id", flat=True
        )
    )
    assert len(task_ids) == 6 and "" not in task_ids


def test_a_worker_killed_mid_delivery_delivers_after_restart_once(
    partner, open_review, celery_worker_factory
):
    env = partner_env(partner, **FAST)
    partner.mode = Mode(delay=2)  # slow enough to kill the worker while it waits
    worker = celery_worker_factory(queues="partner", **env)
    review = open_review()
    row = OutboxEvent.objects.get()
    key = str(row.event_id)
    wait_for(lambda: key in partner.started(), timeout=30, what="the delivery to start")

    worker.kill()
    partner.mode = Mode()
    row.refresh_from_db()
    assert row.status == "pending"
    celery_worker_factory(queues="partner", **env)

    sweeping(all_delivered(1), timeout=60, what="the event delivered after the restart")

    assert partner.accepted() == {key: 1}  # BULI2 acted on it once
    assert partner.hits(key) == 2  # it saw the same Idempotency-Key twice
    review.refresh_from_db()
    first_answer = partner.records()[0]
    assert first_answer.idempotency_key == key
    assert review.partner_task_id.startswith("buli2-")
