"""The Celery app. Routing, time limits, acks and prefetch live in ``filot/settings.py``."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging, worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filot.settings")
# Tesseract uses OpenMP; one thread per worker process keeps parallel workers from fighting.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

app = Celery("filot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_filot_logging(loglevel: Any = None, **_: Any) -> None:
    """Workers log as the web process does: JSON lines through the redaction filter.

    Without this receiver Celery replaces the root handlers with its own plain format, and
    task logs (return values, retried exceptions) would bypass the masking of NIKs, tokens
    and secrets.
    """
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)


@worker_init.connect
def _refuse_unsafe_production_config(**_: Any) -> None:
    from filot.checks import enforce_production_config

    enforce_production_config()


@worker_init.connect
def _serve_worker_metrics(**_: Any) -> None:
    """Expose the worker's Prometheus metrics on WORKER_METRICS_PORT (0 = off)."""
    from django.conf import settings

    port = settings.WORKER_METRICS_PORT
    if not port:
        return
    from prometheus_client import CollectorRegistry, start_http_server

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        start_http_server(port, registry=registry)
    else:
        start_http_server(port)


@worker_ready.connect
def _start_heartbeat(sender: Any = None, **_: Any) -> None:
    """Stamp a heartbeat per consumed queue in Redis (the "worker down" alert reads it)."""
    from filot.metrics import start_heartbeat

    queues = getattr(getattr(sender, "app", app).amqp.queues, "consume_from", None) or {}
    start_heartbeat(queues.keys())
