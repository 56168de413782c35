"""Gunicorn settings for FiLot's web image (``gunicorn -c filot/gunicorn.conf.py``).

With ``PROMETHEUS_MULTIPROC_DIR`` set, every worker process writes its metrics to that folder
and ``/metrics`` sums them; a worker that exits is marked dead so its gauges drop out.

Gunicorn's own lines (its error log and the access log) are JSON lines through the same
redaction filter as the application's, with UTC times. The access line names the path without
the query string: a reviewer's queue search (``?q=<NIK>``) or a token in a URL never reaches it.
"""

from __future__ import annotations

import os
from typing import Any

bind = f"0.0.0.0:{os.environ.get('PORT', '8080')}"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
accesslog = "-"
# remote address, "method path protocol", status, response bytes, seconds: no query, no referer
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s'
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "filot.logging.RedactionFilter"}},
    "formatters": {"json": {"()": "filot.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["redact"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server: Any) -> None:
    """Start from an empty metrics folder: files left by an earlier run would be summed."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        for name in os.listdir(folder):
            if name.endswith(".db"):
                os.remove(os.path.join(folder, name))


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
