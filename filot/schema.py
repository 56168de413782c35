"""FiLot's OpenAPI schema: the authentication classes and the one error contract.

The extensions are registered when the ``filot`` app is ready, so that every operation names
how it is authenticated and ``manage.py spectacular --fail-on-warn`` stays clean.
``FilotAutoSchema`` documents the error envelope of ``filot.errors`` for every status an
operation can answer with, so that clients (and schemathesis) can rely on it.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import inline_serializer
from rest_framework import permissions, serializers


class FilotJWTScheme(SimpleJWTScheme):
    """FiLot's own HS256 access tokens (``POST /api/v1/auth/token/``)."""

    target_class = "filot.authentication.FilotJWTAuthentication"
    name = "jwtAuth"


class StackAuthScheme(OpenApiAuthenticationExtension):
    """Stack Auth access tokens (RS256/ES256), verified against the project's JWKS."""

    target_class = "filot.authentication.StackAuthAuthentication"
    name = "stackAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION",
            token_prefix="Bearer",  # noqa: S106 - the scheme's name, not a password
            bearer_format="JWT",
        )


class ServiceKeyScheme(OpenApiAuthenticationExtension):
    """The internal service key, for FiLot's own services."""

    target_class = "filot.authentication.ServiceKeyAuthentication"
    name = "serviceKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "header", "name": "X-Service-Key"}


def _not_blank() -> serializers.CharField:
    # DRF trims whitespace, so a value of only whitespace is blank: 400, not a bad token (401).
    return serializers.CharField(write_only=True, validators=[RegexValidator(r"\S")])


class TokenObtainPairSerializerScheme(OpenApiSerializerExtension):
    """simplejwt's serializers, as drf-spectacular's own extensions describe them, plus the
    rule that credentials may not be blank."""

    target_class = "rest_framework_simplejwt.serializers.TokenObtainPairSerializer"
    priority = 1

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        fixed = inline_serializer(
            "Fixed",
            fields={
                "email": _not_blank(),
                "password": _not_blank(),
                "access": serializers.CharField(read_only=True),
                "refresh": serializers.CharField(read_only=True),
            },
        )
        return auto_schema._map_serializer(fixed, direction)


class TokenRefreshSerializerScheme(OpenApiSerializerExtension):
    target_class = "rest_framework_simplejwt.serializers.TokenRefreshSerializer"
    priority = 1

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        from rest_framework_simplejwt.settings import api_settings

        fields: dict[str, serializers.Field] = {
            "access": serializers.CharField(read_only=True),
            "refresh": _not_blank(),
        }
        if api_settings.ROTATE_REFRESH_TOKENS:  # the response carries the new refresh token
            fields["refresh"] = serializers.CharField(validators=[RegexValidator(r"\S")])
        return auto_schema._map_serializer(inline_serializer("Fixed", fields=fields), direction)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    message = serializers.CharField(help_text="For people; may change.")
    details = serializers.DictField(help_text="Code-specific details; may be empty.")
    request_id = serializers.CharField(help_text="The X-Request-ID of this request.")


class ErrorEnvelopeSerializer(serializers.Serializer):
    error = ErrorSerializer()


_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class FilotAutoSchema(AutoSchema):
    """Adds the error envelope to the responses an operation can give besides its own."""

    def _error_statuses(self) -> dict[str, str]:
        statuses = {
            "401": "Not authenticated, or the credentials are not valid.",
            "503": "A service FiLot depends on is unavailable.",
        }
        has_body = self.method in _BODY_METHODS
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        if has_body or has_query:
            statuses["400"] = "Invalid request."
        if has_body:
            statuses["415"] = "Unsupported media type."
        permission_classes = list(getattr(self.view, "permission_classes", []))
        if permission_classes and permissions.AllowAny not in permission_classes:
            statuses["403"] = "Not allowed."
        if "{" in self.path or (self.method == "GET" and self._get_paginator()):
            statuses["404"] = "Not found (or, in a list, no such page)."
        if getattr(self.view, "throttle_classes", None):
            statuses["429"] = "Too many requests; see Retry-After."
        return statuses

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, description in self._error_statuses().items():
            documented = responses.get(code) or {}
            if "content" in documented:
                continue
            response = self._get_response_for_code(ErrorEnvelopeSerializer, code, None, direction)
            response["description"] = documented.get("description") or description
            responses[code] = response
        for code, documented in list(responses.items()):
            # Errors declared on a view with a description only carry the envelope too.
            if code >= "400" and "content" not in documented:
                response = self._get_response_for_code(
                    ErrorEnvelopeSerializer, code, None, direction
                )
                response["description"] = documented.get("description") or ""
                responses[code] = response
        return responses
