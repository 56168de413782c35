"""The partner outbox: write rows with the change, deliver them, retry, give up, replay.

A row is written in the transaction that makes the change, by the service that makes it
(``partner_escalate`` when a case opens, ``partner_tell_decision`` when a document is decided,
the erasure's cancellation), and a delivery task is published on commit. The beat task
``sweep_outbox`` re-dispatches every due row whose task never ran, so a lost broker message only
delays a delivery.

A delivery holds the row with a claim token and a lease (``locked_until``) while its message
waits and while the HTTP call is in flight; only the holder of the token records the outcome.
A worker killed mid-call leaves the lease to expire and the sweep hands the row to another
worker: BULI2 may then see the event twice, always under the same ``Idempotency-Key``.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import pybreaker
import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from documents.models import Document
from reviews.models import ManualReview, ReviewSource
from reviews.partner import breaker, client
from reviews.partner.models import EventType, InboundEvent, OutboxEvent, OutboxStatus
from reviews.partner.payloads import decision_data, envelope, escalation_data

logger = logging.getLogger(__name__)
P = OutboxStatus


def partner_enabled() -> bool:
    return bool(settings.BULI2_API_URL)


def _publish(row_id: int, token: uuid.UUID) -> None:
    from reviews.partner import tasks

    transaction.on_commit(lambda: tasks.deliver_outbox_event.delay(row_id, str(token)), robust=True)


def _dispatch_lease() -> timedelta:
    return timedelta(seconds=settings.BULI2_DISPATCH_LEASE_SECONDS)


def _inflight_lease() -> timedelta:
    return timedelta(
        seconds=settings.BULI2_CONNECT_TIMEOUT
        + settings.BULI2_READ_TIMEOUT
        + settings.BULI2_LEASE_MARGIN_SECONDS
    )


def outbox_enqueue(
    *,
    event_type: str,
    data: dict[str, Any],
    review_id: uuid.UUID | None = None,
    document_id: uuid.UUID | None = None,
) -> OutboxEvent:
    """Write an event for BULI2 in the caller's transaction; its delivery starts on commit."""
    now = timezone.now()
    event_id = uuid.uuid4()
    token = uuid.uuid4()
    row = OutboxEvent.objects.create(
        event_id=event_id,
        event_type=EventType(event_type),
        review_id=review_id,
        document_id=document_id,
        payload=envelope(event_id=event_id, event_type=event_type, data=data),
        next_attempt_at=now,
        give_up_at=now + timedelta(seconds=settings.BULI2_RETRY_WINDOW_SECONDS),
        locked_until=now + _dispatch_lease(),
        claim_token=token,
    )
    _publish(row.pk, token)
    return row


def partner_escalate(*, review: ManualReview) -> OutboxEvent | None:
    """Give a newly opened case to BULI2 as well (``review.escalated``), in the caller's
    transaction. None where no partner is configured."""
    if not partner_enabled():
        return None
    return outbox_enqueue(
        event_type=EventType.REVIEW_ESCALATED,
        data=escalation_data(review),
        review_id=review.pk,
        document_id=review.document_id,
    )


def partner_tell_decision(
    *,
    document: Document,
    decision: str,
    source: str,
    reason_codes: list[str],
    review: ManualReview | None = None,
) -> OutboxEvent | None:
    """Tell BULI2 that a document was decided (``document.decided``): automatically
    (``source`` verification) or by a reviewer. In the caller's transaction, so the decision
    never commits without its row. None where no partner is configured, and for a decision
    BULI2 made itself (it is not echoed back)."""
    if not partner_enabled() or source == ReviewSource.PARTNER:
        return None
    return outbox_enqueue(
        event_type=EventType.DOCUMENT_DECIDED,
        data=decision_data(
            document=document,
            decision=decision,
            source=source,
            reason_codes=list(reason_codes or []),
            review=review,
        ),
        review_id=review.pk if review is not None else None,
        document_id=document.pk,
    )


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with jitter after ``attempts`` failed attempts (1, 2, ...)."""
    ceiling = min(
        settings.BULI2_RETRY_MAX_SECONDS,
        settings.BULI2_RETRY_BASE_SECONDS * (2 ** max(0, attempts - 1)),
    )
    return float(ceiling / 2 + random.uniform(0, ceiling / 2))


def _record(row: OutboxEvent, token: str, **updates: Any) -> bool:
    updated = OutboxEvent.objects.filter(pk=row.pk, claim_token=token).update(
        locked_until=None, claim_token=None, updated_at=timezone.now(), **updates
    )
    if not updated:
        logger.warning(
            "partner outbox outcome not recorded: claim lost", extra={"event_id": str(row.event_id)}
        )
    return bool(updated)


def _release(row: OutboxEvent, token: str, *, at: datetime) -> None:
    """Give the row back without counting an attempt (the breaker was open)."""
    _record(row, token, next_attempt_at=max(at, timezone.now()))


def _retry_later(
    row: OutboxEvent,
    token: str,
    *,
    status_code: int | None,
    error: str,
    retry_after: float | None = None,
) -> str:
    attempts = row.attempts + 1
    delay = retry_after if retry_after is not None else backoff_seconds(attempts)
    next_at = timezone.now() + timedelta(seconds=delay)
    status = P.DEAD if next_at > row.give_up_at else P.PENDING
    _record(
        row,
        token,
        status=status,
        attempts=F("attempts") + 1,
        next_attempt_at=next_at,
        last_status_code=status_code,
        last_error=error[:255],
    )
    log = logger.error if status == P.DEAD else logger.warning
    log(
        "partner delivery failed",
        extra={
            "event_id": str(row.event_id),
            "event_type": row.event_type,
            "attempt": attempts,
            "status_code": status_code,
            "error": error[:100],
            "outcome": status,
            "retry_in_s": round(delay, 1) if status == P.PENDING else None,
        },
    )
    return "dead" if status == P.DEAD else "retry"


def _partner_reference(body: dict[str, Any]) -> str:
    for key in ("taskId", "task_id", "ticketId", "ticket_id"):
        value = body.get(key)
        if isinstance(value, str | int) and str(value).strip():
            return str(value).strip()[:255]
    return ""


def _delivered(row: OutboxEvent, token: str, response: client.PartnerResponse) -> str:
    reference = _partner_reference(response.body)
    with transaction.atomic():
        recorded = _record(
            row,
            token,
            status=P.DELIVERED,
            attempts=F("attempts") + 1,
            delivered_at=timezone.now(),
            last_status_code=response.status_code,
            last_error="",
            partner_reference=reference,
        )
        if (
            recorded
            and reference
            and row.review_id
            and row.event_type == EventType.REVIEW_ESCALATED
        ):
            ManualReview.objects.filter(pk=row.review_id, partner_task_id="").update(
                partner_task_id=reference
            )
    logger.info(
        "partner delivery succeeded",
        extra={
            "event_id": str(row.event_id),
            "event_type": row.event_type,
            "attempt": row.attempts + 1,
            "status_code": response.status_code,
        },
    )
    return "delivered"


def _failed(row: OutboxEvent, token: str, response: client.PartnerResponse) -> str:
    _record(
        row,
        token,
        status=P.FAILED,
        attempts=F("attempts") + 1,
        last_status_code=response.status_code,
        last_error=f"HTTP {response.status_code}: not retried",
    )
    logger.error(
        "partner refused delivery",
        extra={
            "event_id": str(row.event_id),
            "event_type": row.event_type,
            "status_code": response.status_code,
        },
    )
    return "failed"


def outbox_deliver(*, outbox_id: int, token: str) -> str:
    """Make one delivery attempt for a dispatched row; returns what happened.

    Safe to run twice: a message whose token is stale (the row was re-dispatched, delivered
    or replayed since) does nothing.
    """
    now = timezone.now()
    claimed = OutboxEvent.objects.filter(pk=outbox_id, status=P.PENDING, claim_token=token).update(
        locked_until=now + _inflight_lease(), updated_at=now
    )
    if not claimed:
        return "skipped"
    row = OutboxEvent.objects.get(pk=outbox_id)
    event_id = str(row.event_id)

    def attempt() -> client.PartnerResponse:
        return client.send_guarded(
            event_type=row.event_type, event_id=event_id, payload=row.payload
        )

    try:
        response = breaker.call(attempt)
    except breaker.BreakerOpen as exc:
        _release(row, token, at=exc.retry_at)
        return "breaker_open"
    except pybreaker.CircuitBreakerError:
        _release(row, token, at=now + timedelta(seconds=settings.BULI2_BREAKER_RESET_SECONDS))
        return "breaker_open"
    except client.PartnerNotConfigured:
        logger.error("partner delivery not configured", extra={"event_id": event_id})
        _release(row, token, at=now + timedelta(seconds=settings.BULI2_RETRY_MAX_SECONDS))
        return "not_configured"
    except client.PartnerUnavailable as exc:
        return _retry_later(
            row,
            token,
            status_code=exc.response.status_code,
            error=f"HTTP {exc.response.status_code}",
            retry_after=exc.response.retry_after_seconds,
        )
    except requests.RequestException as exc:
        return _retry_later(row, token, status_code=None, error=type(exc).__name__)
    if response.ok:
        return _delivered(row, token, response)
    if response.retryable:
        return _retry_later(
            row,
            token,
            status_code=response.status_code,
            error=f"HTTP {response.status_code}",
            retry_after=response.retry_after_seconds,
        )
    return _failed(row, token, response)


def _dispatch(rows: Iterable[OutboxEvent], now: datetime) -> int:
    count = 0
    for row in rows:
        token = uuid.uuid4()
        OutboxEvent.objects.filter(pk=row.pk).update(
            locked_until=now + _dispatch_lease(), claim_token=token, updated_at=now
        )
        _publish(row.pk, token)
        count += 1
    return count


def outbox_sweep(*, limit: int = 500) -> dict[str, int]:
    """Dispatch every due row nobody holds, and purge inbound event ids past retention."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(status=P.PENDING, next_attempt_at__lte=now)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .order_by("next_attempt_at")
            .only("id")[:limit]
        )
        dispatched = _dispatch(due, now)
    cutoff = now - timedelta(days=settings.BULI2_INBOUND_EVENT_RETENTION_DAYS)
    purged, _ = InboundEvent.objects.filter(received_at__lt=cutoff).delete()
    if dispatched or purged:
        logger.info(
            "partner outbox swept", extra={"dispatched": dispatched, "inbound_purged": purged}
        )
    return {"dispatched": dispatched, "inbound_purged": purged}


def outbox_replay(
    *, event_ids: Iterable[uuid.UUID | str] | None = None, statuses: Iterable[str] | None = None
) -> int:
    """Put failed or dead rows back to ``pending`` with a fresh retry window and dispatch them.

    Delivered and pending rows are never touched. Returns the number of rows replayed.
    """
    allowed = {P.FAILED, P.DEAD}
    wanted = set(statuses) & allowed if statuses is not None else allowed
    now = timezone.now()
    with transaction.atomic():
        rows = OutboxEvent.objects.select_for_update(skip_locked=True).filter(status__in=wanted)
        if event_ids is not None:
            rows = rows.filter(event_id__in=[str(e) for e in event_ids])
        picked = list(rows.only("id"))
        OutboxEvent.objects.filter(pk__in=[r.pk for r in picked]).update(
            status=P.PENDING,
            next_attempt_at=now,
            give_up_at=now + timedelta(seconds=settings.BULI2_RETRY_WINDOW_SECONDS),
            last_error="",
            updated_at=now,
        )
        _dispatch(picked, now)
    if picked:
        logger.info("partner outbox replayed", extra={"rows": len(picked)})
    return len(picked)
