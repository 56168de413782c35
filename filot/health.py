"""``/health`` (dependencies), ``/health/live`` (the process answers) and ``/metrics``.

In production ``/health`` tells anyone the status alone; the checks per dependency and the
partner's state (database aggregates) are for callers with the service key. ``/metrics`` needs
``Authorization: Bearer <METRICS_TOKEN>`` when a token is set, and in production is closed
without one.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_storage() -> None:
    # exists() on a key that is never written: proves the bucket or folder answers.
    default_storage.exists("health/.probe")


def _dependency_checks() -> dict[str, Callable[[], None]]:
    checks: dict[str, Callable[[], None]] = {"database": _check_database}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    checks["storage"] = _check_storage
    return checks


def _run(check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - every failure is reported, never raised
        return {
            "ok": False,
            "error": type(exc).__name__,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return {"ok": True, "duration_ms": round((time.perf_counter() - started) * 1000, 1)}


def extra_health_details() -> dict[str, Any]:
    """Details that do not decide the status (filled by later components, e.g. the breaker)."""
    from filot import health_details

    return health_details.collect()


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    results = {name: _run(check) for name, check in _dependency_checks().items()}
    healthy = all(result["ok"] for result in results.values())
    if not healthy:
        logger.warning(
            "health check failing",
            extra={"failing": [name for name, r in results.items() if not r["ok"]]},
        )
    body: dict[str, Any] = {"status": "ok" if healthy else "unavailable"}
    if settings.HEALTH_DETAILS_PUBLIC or _has_service_key(request):
        body["checks"] = results
        body["details"] = extra_health_details()
    return JsonResponse(body, status=200 if healthy else 503)


def _has_service_key(request: HttpRequest) -> bool:
    from filot.authentication import match_service_key

    presented = request.headers.get("X-Service-Key")
    return presented is not None and (
        match_service_key(presented, settings.SERVICE_INTERNAL_KEYS) is not None
    )


def _bearer_matches(request: HttpRequest, token: str) -> bool:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        presented.strip().encode(), token.encode()
    )


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_ENABLED or (settings.PRODUCTION and not settings.METRICS_TOKEN):
        raise Http404("metrics disabled")
    if settings.METRICS_TOKEN and not _bearer_matches(request, settings.METRICS_TOKEN):
        from filot.errors import error_response

        response = error_response(
            401, "metrics_token_invalid", "Send the metrics token as a Bearer token."
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from prometheus_client import CONTENT_TYPE_LATEST

    from filot.metrics import exposition

    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
