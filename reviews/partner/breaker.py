"""The circuit breaker around BULI2 calls, shared by every worker through Redis.

pybreaker keeps the state (closed, open, half-open), the failure count and the opening time
under its own Redis namespace, so five failures seen by five different workers open it for
all of them. While it is open no call is attempted: deliveries wait in the outbox. After the
cooldown exactly one worker (holding a short Redis lock) makes the half-open probe; the
others keep waiting until the probe closes the breaker or opens it again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import pybreaker
from django.conf import settings

from filot.metrics import register_state

logger = logging.getLogger(__name__)
T = TypeVar("T")

NAMESPACE = "filot:partner:buli2"
PROBE_LOCK_KEY = f"{NAMESPACE}:probe-lock"
STATE_VALUES = {pybreaker.STATE_CLOSED: 0, pybreaker.STATE_HALF_OPEN: 1, pybreaker.STATE_OPEN: 2}

_lock = threading.Lock()
_cache: dict[tuple[Any, ...], pybreaker.CircuitBreaker] = {}
_memory_storage = pybreaker.CircuitMemoryStorage(pybreaker.STATE_CLOSED)


class BreakerOpen(Exception):
    """No call was made: the breaker is open (or another worker is probing)."""

    def __init__(self, retry_at: datetime) -> None:
        super().__init__("partner circuit breaker open")
        self.retry_at = retry_at


class _LogTransitions(pybreaker.CircuitBreakerListener):
    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:
        if getattr(old_state, "name", None) == getattr(new_state, "name", None):
            return
        logger.warning(
            "partner breaker state change",
            extra={
                "from_state": getattr(old_state, "name", None),
                "to_state": getattr(new_state, "name", None),
            },
        )


def _redis() -> Any:
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )


def get_breaker() -> pybreaker.CircuitBreaker:
    """The process's breaker for the current settings (state lives in Redis when configured)."""
    key = (
        settings.REDIS_URL,
        settings.BULI2_BREAKER_FAIL_MAX,
        settings.BULI2_BREAKER_RESET_SECONDS,
    )
    with _lock:
        breaker = _cache.get(key)
        if breaker is None:
            storage: pybreaker.CircuitBreakerStorage
            if settings.REDIS_URL:
                storage = pybreaker.CircuitRedisStorage(
                    pybreaker.STATE_CLOSED, _redis(), namespace=NAMESPACE
                )
            else:
                storage = _memory_storage
            breaker = pybreaker.CircuitBreaker(
                fail_max=settings.BULI2_BREAKER_FAIL_MAX,
                reset_timeout=settings.BULI2_BREAKER_RESET_SECONDS,
                state_storage=storage,
                listeners=[_LogTransitions()],
                name="buli2",
                # The call that opens the breaker re-raises its own error, so the outbox
                # records the real cause (HTTP 503, a timeout) of that attempt.
                throw_new_error_on_trip=False,
            )
            _cache.clear()
            _cache[key] = breaker
        return breaker


def _reopens_at(breaker: pybreaker.CircuitBreaker) -> datetime:
    opened_at = breaker._state_storage.opened_at or datetime.now(UTC)
    return opened_at + timedelta(seconds=breaker.reset_timeout)


def _acquire_probe(breaker: pybreaker.CircuitBreaker) -> bool:
    if not settings.REDIS_URL:
        return True
    ttl = max(1, int(settings.BULI2_CONNECT_TIMEOUT + settings.BULI2_READ_TIMEOUT + 5))
    client = _redis()
    try:
        return bool(client.set(PROBE_LOCK_KEY, "1", nx=True, ex=ttl))
    finally:
        client.close()


def _release_probe() -> None:
    if not settings.REDIS_URL:
        return
    client = _redis()
    try:
        client.delete(PROBE_LOCK_KEY)
    finally:
        client.close()


def call(func: Callable[[], T]) -> T:
    """Run ``func`` through the breaker.

    Raises ``BreakerOpen`` without calling when the breaker is open and cooling down, or when
    another worker holds the half-open probe. Exceptions ``func`` raises count as failures and
    propagate (``pybreaker.CircuitBreakerError`` on the call that opens the breaker).
    """
    breaker = get_breaker()
    state = breaker.current_state
    probing = False
    if state != pybreaker.STATE_CLOSED:
        retry_at = _reopens_at(breaker)
        now = datetime.now(UTC)
        if state == pybreaker.STATE_OPEN and now < retry_at:
            raise BreakerOpen(retry_at)
        if not _acquire_probe(breaker):
            raise BreakerOpen(now + timedelta(seconds=1))
        # Another worker's probe may have failed and reopened it between our reads and the lock.
        state = breaker.current_state
        retry_at = _reopens_at(breaker)
        if state == pybreaker.STATE_CLOSED or (
            state == pybreaker.STATE_OPEN and datetime.now(UTC) < retry_at
        ):
            _release_probe()
            if state != pybreaker.STATE_CLOSED:
                raise BreakerOpen(retry_at)
        else:
            probing = True
    try:
        if probing and state == pybreaker.STATE_HALF_OPEN:
            # A probe whose worker died left the breaker half-open: this worker probes again.
            breaker.half_open()
        return breaker.call(func)
    finally:
        if probing:
            _release_probe()


def state() -> str:
    return get_breaker().current_state


def reset() -> None:
    """Close the breaker and clear its counters (``manage.py reset_circuit_breaker``)."""
    breaker = get_breaker()
    breaker.close()
    breaker._state_storage.reset_counter()
    _release_probe()


def health_detail() -> dict[str, Any]:
    breaker = get_breaker()
    detail: dict[str, Any] = {"breaker": breaker.current_state, "failures": breaker.fail_counter}
    if detail["breaker"] != pybreaker.STATE_CLOSED:
        detail["retry_at"] = _reopens_at(breaker).isoformat()
    from reviews.partner.selectors import outbox_backlog

    detail["outbox"] = outbox_backlog()
    return detail


def _state_metrics() -> Iterator[Any]:
    """Gauges read at scrape time: the shared breaker state and the outbox backlog.

    Registered with ``filot.metrics.register_state`` so that they are part of the web's
    /metrics also when gunicorn's processes are summed through PROMETHEUS_MULTIPROC_DIR (the
    production image), where collectors on the default registry are not exported.
    """
    from prometheus_client.core import GaugeMetricFamily

    try:
        current = state()
    except Exception:  # noqa: BLE001 - a scrape never fails because Redis is down
        logger.warning("partner breaker state unavailable")
    else:
        gauge = GaugeMetricFamily(
            "filot_partner_circuit_state",
            "BULI2 circuit breaker: 0 closed, 1 half-open, 2 open.",
        )
        gauge.add_metric([], STATE_VALUES.get(current, -1))
        yield gauge
    try:
        from reviews.partner.selectors import outbox_backlog

        backlog = outbox_backlog()
    except Exception:  # noqa: BLE001 - nor because the database is
        return
    rows = GaugeMetricFamily(
        "filot_partner_outbox", "Partner outbox rows by status.", labels=["status"]
    )
    for status, count in backlog.items():
        rows.add_metric([status], count)
    yield rows


def register_metrics() -> None:
    register_state(_state_metrics)
