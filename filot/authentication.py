"""Authentication: FiLot's own JWTs, Stack Auth access tokens, and the internal service key."""

from __future__ import annotations

import hmac
import logging
import threading
from dataclasses import dataclass
from typing import Any

import jwt
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication

from filot.errors import ServiceUnavailable
from filot.models import User

logger = logging.getLogger(__name__)

STACK_ALGORITHMS = ("RS256", "ES256")


def _bearer_token(request: Request) -> str | None:
    parts = get_authorization_header(request).split()
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        return None


def _token_algorithm(token: str) -> str | None:
    try:
        return str(jwt.get_unverified_header(token).get("alg"))
    except jwt.PyJWTError:
        return None


class FilotJWTAuthentication(JWTAuthentication):
    """simplejwt HS256 access tokens. Tokens signed by Stack Auth are left to the next class."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:  # type: ignore[override]
        token = _bearer_token(request)
        if token and settings.STACK_PROJECT_ID and _token_algorithm(token) in STACK_ALGORITHMS:
            return None
        return super().authenticate(request)


class _JwksCache:
    """One PyJWKClient per JWKS URL; PyJWKClient caches the key set for ``lifespan`` seconds."""

    _lock = threading.Lock()
    _clients: dict[tuple[str, int, float], jwt.PyJWKClient] = {}

    @classmethod
    def client(cls) -> jwt.PyJWKClient:
        key = (
            settings.STACK_JWKS_URL,
            settings.STACK_JWKS_CACHE_SECONDS,
            settings.STACK_JWKS_TIMEOUT_SECONDS,
        )
        with cls._lock:
            if key not in cls._clients:
                cls._clients[key] = jwt.PyJWKClient(
                    key[0],
                    cache_jwk_set=True,
                    lifespan=max(key[1], 1),
                    timeout=int(max(key[2], 1)),
                )
            return cls._clients[key]


class StackAuthAuthentication(BaseAuthentication):
    """Stack Auth access tokens, verified against the project's JWKS.

    The user is found or created by Stack user id (``sub``) and never linked by email alone:
    an existing local account with the same email is refused with ``identity_conflict``.
    """

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, dict[str, Any]] | None:
        if not settings.STACK_PROJECT_ID:
            return None
        token = _bearer_token(request)
        if token is None:
            return None
        algorithm = _token_algorithm(token)
        if algorithm not in STACK_ALGORITHMS:
            raise exceptions.AuthenticationFailed(
                "Token is invalid or expired.", code="token_not_valid"
            )
        claims = self._verify(token, algorithm)
        return self._user_for(claims), claims

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    def _verify(self, token: str, algorithm: str | None) -> dict[str, Any]:
        try:
            signing_key = _JwksCache.client().get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as exc:
            logger.warning("stack auth jwks unreachable", extra={"error": type(exc).__name__})
            raise ServiceUnavailable(
                "The identity provider cannot be reached; try again shortly.",
                code="auth_provider_unavailable",
            ) from exc
        except jwt.PyJWKClientError as exc:
            raise exceptions.AuthenticationFailed(
                "Token is invalid or expired.", code="token_not_valid"
            ) from exc
        if algorithm != signing_key.algorithm_name:
            # An ES256 header on a token for an RSA key (or the reverse) is not a valid token;
            # PyJWT would fail on the key type instead of the signature.
            raise exceptions.AuthenticationFailed(
                "Token is invalid or expired.", code="token_not_valid"
            )
        try:
            return jwt.decode(
                token,
                signing_key.key,
                algorithms=[algorithm or "RS256"],
                audience=settings.STACK_AUDIENCE,
                issuer=settings.STACK_ISSUER,
                options={"require": ["exp", "sub", "iss", "aud"]},
            )
        except (jwt.PyJWTError, TypeError, ValueError) as exc:
            raise exceptions.AuthenticationFailed(
                "Token is invalid or expired.", code="token_not_valid"
            ) from exc

    @staticmethod
    def _email(claims: dict[str, Any], stack_id: str) -> str:
        """The token's email as FiLot stores emails (trimmed, lower case), or a placeholder."""
        email = str(claims.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except DjangoValidationError:
            return f"{stack_id}@users.stack-auth.invalid".lower()
        return email

    @staticmethod
    def _identity_conflict() -> exceptions.PermissionDenied:
        return exceptions.PermissionDenied(
            {
                "detail": "An account with this email already exists and is not "
                "linked to this identity.",
            },
            code="identity_conflict",
        )

    def _user_for(self, claims: dict[str, Any]) -> User:
        stack_id = str(claims["sub"])
        user = User.objects.filter(stack_user_id=stack_id).first()
        if user is None:
            email = self._email(claims, stack_id)
            if User.objects.filter(email__iexact=email).exists():
                raise self._identity_conflict()
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        email=email,
                        stack_user_id=stack_id,
                        display_name=str(claims.get("name") or claims.get("displayName") or "")[
                            :150
                        ],
                    )
            except IntegrityError:
                # Two first requests raced and the other one created the user; or the email
                # was taken meanwhile by an account of another identity.
                user = User.objects.filter(stack_user_id=stack_id).first()
                if user is None:
                    raise self._identity_conflict() from None
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User is inactive.", code="user_inactive")
        return user


@dataclass(frozen=True)
class ServicePrincipal:
    """The caller of an internal route, authenticated by ``X-Service-Key``."""

    key_index: int
    is_authenticated: bool = True
    is_staff: bool = False

    @property
    def pk(self) -> None:
        return None


def match_service_key(presented: str, keys: list[str]) -> int | None:
    """Index of the matching key, compared in constant time against every configured key."""
    match = None
    presented_bytes = presented.encode()
    for index, key in enumerate(keys):
        if hmac.compare_digest(presented_bytes, key.encode()) and match is None:
            match = index
    return match


class ServiceKeyAuthentication(BaseAuthentication):
    header = "X-Service-Key"

    def authenticate(self, request: Request) -> tuple[ServicePrincipal, None] | None:
        presented = request.headers.get(self.header)
        if presented is None:
            return None
        index = match_service_key(presented, settings.SERVICE_INTERNAL_KEYS)
        if index is None:
            raise exceptions.AuthenticationFailed(
                "Service key is not valid.", code="service_key_invalid"
            )
        return ServicePrincipal(key_index=index), None

    def authenticate_header(self, request: Request) -> str:
        return "ServiceKey"


class IsService(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, ServicePrincipal)


def axes_username(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """The login name django-axes counts failures for: the admin form posts ``username``, the
    token API ``email``; both are the user's email, compared case-insensitively."""
    for source in (credentials or {}, getattr(request, "POST", {}) or {}):
        for key in ("email", "username"):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None


def axes_client_ip(request: Any) -> str:
    """The client address as DRF's throttles see it: ``NUM_PROXIES`` trusted proxies."""
    from django.conf import settings

    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NUM_PROXIES
    if forwarded and proxies:
        hops = [part.strip() for part in str(forwarded).split(",") if part.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return remote
