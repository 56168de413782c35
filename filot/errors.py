"""One error contract: ``{"error": {"code", "message", "details", "request_id"}}``.

Every API error is rendered here, from DRF exceptions, Django's 404/500 handlers and the
database middleware alike. Codes are stable and machine-readable; messages are for people.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from rest_framework import exceptions, status
from rest_framework.response import Response

from filot.logging import request_id_var

logger = logging.getLogger(__name__)


class FilotError(exceptions.APIException):
    """Base for domain errors that carry their own status, code and details."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"
    default_detail = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message or self.default_detail, code or self.default_code)
        self.code = code or self.default_code
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code


class ServiceUnavailable(FilotError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    default_detail = "A service FiLot depends on is unavailable; try again shortly."


class Conflict(FilotError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The request conflicts with the current state."


def _envelope(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "details": details if details is not None else {},
            "request_id": request_id_var.get(),
        }
    }


def error_response(status_code: int, code: str, message: str, details: Any = None) -> JsonResponse:
    return JsonResponse(_envelope(code, message, details), status=status_code)


def _first_code(codes: Any) -> str | None:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, list) and codes:
        return _first_code(codes[0])
    if isinstance(codes, dict) and codes:
        return _first_code(next(iter(codes.values())))
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    from axes.exceptions import AxesBackendPermissionDenied

    if isinstance(exc, AxesBackendPermissionDenied):
        exc = FilotError(
            "Too many failed sign-ins for this account from your address; try again later.",
            code="too_many_failed_logins",
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    elif isinstance(exc, OperationalError | InterfaceError):
        logger.error("database unavailable", extra={"error": type(exc).__name__})
        exc = ServiceUnavailable(
            "The database is unavailable; try again shortly.", code="database_unavailable"
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.", code="not_found")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    from rest_framework.views import exception_handler as drf_exception_handler

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, FilotError):
        code, message, details = exc.code, str(exc.detail), exc.details
    elif isinstance(exc, exceptions.ValidationError):
        code = "invalid_request"
        message = "The request has invalid fields."
        details = {"fields": exc.detail}
        field_code = _first_code(exc.get_codes())
        if isinstance(exc.detail, list) and field_code:
            code = field_code
            message = str(exc.detail[0])
            details = {}
    elif isinstance(exc, exceptions.Throttled):
        code = "rate_limited"
        message = "Too many requests; slow down."
        details = {"retry_after_seconds": getattr(exc, "wait", None)}
    elif isinstance(exc, exceptions.APIException):
        code = _first_code(exc.get_codes()) or exc.default_code
        detail = exc.detail
        if isinstance(detail, dict) and isinstance(detail.get("code"), str):
            code = str(detail["code"])  # simplejwt's errors name their code in the body
        message = str(detail if not isinstance(detail, dict) else detail.get("detail", detail))
        details = {}
        if isinstance(detail, dict):
            details = {k: v for k, v in detail.items() if k not in ("detail", "code", "messages")}
    else:  # pragma: no cover - DRF only returns responses for APIException
        code, message, details = "error", "Error.", {}

    if code == "not_authenticated":
        response.status_code = status.HTTP_401_UNAUTHORIZED
    response.data = _envelope(code, message, details)
    from filot.metrics import API_ERRORS

    API_ERRORS.labels(code=code, status=str(response.status_code)).inc()
    return response


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(404, "not_found", "Not found.")


def server_error_view(request: HttpRequest) -> JsonResponse:
    return error_response(500, "internal_error", "An unexpected error occurred.")


def permission_denied_view(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """JSON for the API; inside the admin console, an admin page that says what happened."""
    if request.path.startswith(reverse("admin:index")):
        context = {**admin.site.each_context(request), "title": "You may not open this page"}
        return TemplateResponse(request, "admin/403.html", context, status=403).render()
    return error_response(403, "permission_denied", "You do not have permission to do this.")


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error_response(400, "bad_request", "Bad request.")
