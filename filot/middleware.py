"""Request ids, access log lines, UTC times in the API, and a JSON 503 when the database is
unreachable."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from filot.logging import request_id_var

access_log = logging.getLogger("filot.access")
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Takes a well-formed incoming ``X-Request-ID`` or makes one; echoes it on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


FORWARDED_SEEN_KEY = "proxy:forwarded-for-without-num-proxies"


class ForwardedWithoutProxiesMiddleware:
    """Notices requests that carry ``X-Forwarded-For`` while ``NUM_PROXIES`` is 0.

    Behind a proxy that FiLot does not count, every client has the proxy's address: the
    per-address throttles and the sign-in lockout (per account and address) become shared, so
    anyone could lock any account out. The first such request of a process is logged as a
    warning and noted in the cache, where ``manage.py check_production_config`` reports it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.noticed = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            not self.noticed
            and settings.NUM_PROXIES == 0
            and "HTTP_X_FORWARDED_FOR" in request.META
        ):
            self.noticed = True
            access_log.warning(
                "requests carry X-Forwarded-For but NUM_PROXIES is 0: every client shares the "
                "proxy's address for throttles and lockouts; set NUM_PROXIES "
                "(docs/operations.md)"
            )
            try:
                cache.set(FORWARDED_SEEN_KEY, timezone.now().isoformat(), timeout=7 * 24 * 3600)
            except Exception as exc:  # noqa: BLE001 - a note for operators, never a failure
                access_log.warning(
                    "could not note the proxy warning", extra={"error": type(exc).__name__}
                )
        return self.get_response(request)


class ApiUtcMiddleware:
    """Every time the API writes is UTC (``...Z``), like the logs; ``TIME_ZONE`` (Jakarta) stays
    the zone of the review console's display."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        with timezone.override(UTC):
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection outside DRF views into the JSON error envelope."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            from filot.errors import error_response

            access_log.error("database unavailable", extra={"error": type(exception).__name__})
            return error_response(
                503, "database_unavailable", "The database is unavailable; try again shortly."
            )
        return None
