"""Throttles on the shared cache (Redis in production).

A throttle that cannot reach its cache lets the request through and logs it: losing rate
limiting for a while is better than refusing every client.
"""

from __future__ import annotations

import logging
from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _FailOpenMixin(SimpleRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # noqa: BLE001 - any cache backend error
            logger.warning("throttle cache unavailable", extra={"error": type(exc).__name__})
            return True


class UploadRateThrottle(_FailOpenMixin, UserRateThrottle):
    scope = "uploads"


class AuthRateThrottle(_FailOpenMixin, AnonRateThrottle):
    """Per client IP; ``NUM_PROXIES`` decides which ``X-Forwarded-For`` entry is trusted."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserApiRateThrottle(_FailOpenMixin, UserRateThrottle):
    scope = "user"
