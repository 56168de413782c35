"""FiLot's Prometheus metrics that describe state rather than events.

Counters and histograms live next to the code that moves them (``ocr_gpu.metrics``,
``verification.metrics``, ...). What is true of the whole system at one moment (queue depths,
documents waiting, open reviews, worker heartbeats) is read at scrape time from PostgreSQL and
Redis by ``StateCollector``, so every web process answers the same and nothing double counts
when gunicorn runs several processes. The apps add what they own (``register_state``:
``documents.metrics``, ``reviews.metrics``, the partner outbox). Event metrics from several
processes are summed through ``PROMETHEUS_MULTIPROC_DIR`` (see ``exposition``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

QUEUES = ("ocr_gpu", "default", "partner")
# Kombu's Redis transport keeps a list per queue and priority step: "q", "q\x06\x163", ...
PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")
HEARTBEAT_KEY = "filot:heartbeat:{queue}"
OCR_LAST_STARTED_KEY = "filot:ocr:last-started"
HEARTBEAT_SECONDS = 15

API_ERRORS = Counter(
    "filot_api_errors_total",
    "API requests answered with an error, by stable error code (uploads refused included).",
    ["code", "status"],
)

StateProvider = Callable[[], Iterable[Metric]]
DATABASE = "database"
# Providers by the source they read, in registration order. One failure of a source is one
# ``filot_state_scrape_errors`` sample, whichever of its providers failed.
_state_sources: dict[str, list[StateProvider]] = {DATABASE: []}


def register_state(provider: StateProvider, *, source: str | None = None) -> None:
    """Let an app add metric families computed at scrape time. ``source="database"`` joins the
    PostgreSQL counts (read first, and counted as one source when the database is down);
    without it the provider is a source of its own, named after it."""
    name = str(source or getattr(provider, "__name__", "provider"))
    providers = _state_sources.setdefault(name, [])
    if provider not in providers:
        providers.append(provider)


def broker() -> Any:
    import redis

    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )


def queue_depths(client: Any) -> dict[str, int]:
    """Messages waiting in each Celery queue (not counting those a worker has reserved)."""
    pipe = client.pipeline()
    for queue in QUEUES:
        for suffix in PRIORITY_SUFFIXES:
            pipe.llen(queue + suffix)
    counts = pipe.execute()
    step = len(PRIORITY_SUFFIXES)
    return {queue: sum(counts[i * step : (i + 1) * step]) for i, queue in enumerate(QUEUES)}


def mark_ocr_started() -> None:
    """Remember when an OCR job last started (the "GPU worker stalled" alert reads it)."""
    if not settings.REDIS_URL:
        return
    try:
        client = broker()
        client.set(OCR_LAST_STARTED_KEY, f"{time.time():.3f}")
        client.close()
    except Exception:
        logger.debug("could not record ocr start", exc_info=True)


def start_heartbeat(queues: Iterable[str]) -> threading.Thread | None:
    """A daemon thread that stamps ``filot:heartbeat:<queue>`` every 15 s while the worker lives."""
    names = sorted(set(queues))
    if not settings.REDIS_URL or not names:
        return None

    def beat() -> None:
        while True:
            try:
                client = broker()
                now = f"{time.time():.3f}"
                for queue in names:
                    client.set(HEARTBEAT_KEY.format(queue=queue), now, ex=24 * 3600)
                client.close()
            except Exception:
                logger.warning("worker heartbeat failed", exc_info=True)
            time.sleep(HEARTBEAT_SECONDS)

    thread = threading.Thread(target=beat, name="filot-heartbeat", daemon=True)
    thread.start()
    return thread


class StateCollector(Collector):
    """Counts read from PostgreSQL and Redis when Prometheus scrapes."""

    def collect(self) -> Iterator[Metric]:
        errors = GaugeMetricFamily(
            "filot_state_scrape_errors",
            "Sources that could not be read in this scrape.",
            labels=["source"],
        )
        try:
            for provider in _state_sources[DATABASE]:
                yield from provider()
        except Exception:
            logger.warning("state metrics: database unreadable", exc_info=True)
            errors.add_metric([DATABASE], 1)
        if settings.REDIS_URL:
            try:
                yield from self._redis()
            except Exception:
                logger.warning("state metrics: redis unreadable", exc_info=True)
                errors.add_metric(["redis"], 1)
        for source, providers in _state_sources.items():
            if source == DATABASE:
                continue
            try:
                for provider in providers:
                    yield from provider()
            except Exception:
                logger.warning("state metrics: provider failed", exc_info=True)
                errors.add_metric([source], 1)
        yield errors

    def _redis(self) -> Iterator[Metric]:
        client = broker()
        try:
            depth = GaugeMetricFamily(
                "filot_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"]
            )
            for queue, count in queue_depths(client).items():
                depth.add_metric([queue], count)
            yield depth

            now = time.time()
            heartbeat = GaugeMetricFamily(
                "filot_worker_heartbeat_age_seconds",
                "Seconds since a worker consuming the queue last reported (absent: never).",
                labels=["queue"],
            )
            for queue in QUEUES:
                stamp = client.get(HEARTBEAT_KEY.format(queue=queue))
                if stamp is not None:
                    heartbeat.add_metric([queue], max(0.0, now - float(stamp)))
            yield heartbeat

            started = client.get(OCR_LAST_STARTED_KEY)
            if started is not None:
                yield GaugeMetricFamily(
                    "filot_ocr_last_started_timestamp_seconds",
                    "When an OCR job last started (Unix time).",
                    value=float(started),
                )
        finally:
            client.close()


_state_registry = CollectorRegistry(auto_describe=False)
_state_registry.register(StateCollector())


def exposition() -> bytes:
    """The text exposition of every metric: event metrics (summed over processes when
    ``PROMETHEUS_MULTIPROC_DIR`` is set) followed by the state read at scrape time."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        events = CollectorRegistry()
        multiprocess.MultiProcessCollector(events)  # type: ignore[no-untyped-call]
        body = generate_latest(events)
    else:
        body = generate_latest(REGISTRY)
    return body + generate_latest(_state_registry)
