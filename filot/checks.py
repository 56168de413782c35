"""Production configuration checks.

In production mode FiLot refuses to start when a required variable is missing, a known default,
too short, or when ``JWT_SECRET`` equals ``SESSION_SECRET``. The check is a Django system check
at error level (so ``manage.py check`` and ``check --deploy`` fail) and the WSGI and Celery entry
points run it before serving. Messages name the variable, never its value.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core import checks

from filot.crypto import valid_fernet_key

# What ``manage.py check_production_config`` probes beside the database, Redis and storage,
# added by the app that owns it (``ocr_gpu``: Tesseract with its language data). A probe
# answers a short detail or raises with the reason.
SERVICE_PROBES: dict[str, Callable[[], str]] = {}


def register_service_probe(name: str, probe: Callable[[], str]) -> None:
    SERVICE_PROBES[name] = probe


REQUIRED = (
    "DATABASE_URL",
    "JWT_SECRET",
    "SESSION_SECRET",
    "SERVICE_INTERNAL_KEY",
    "REDIS_URL",
    "REDIS_PASSWORD",
    "CF_R2_ENDPOINT",
    "CF_R2_ACCESS_KEY_ID",
    "CF_R2_SECRET_ACCESS_KEY",
    "CF_R2_BUCKET_NAME",
    "CF_ACCOUNT_ID",
    "BULI2_API_URL",
    "BULI2_API_KEY",
    "BULI2_SIGNATURE_SECRET",
    "BULI2_OUTBOUND_SIGNATURE_SECRET",
    "STACK_PROJECT_ID",
    "STACK_SECRET_SERVER_KEY",
    "STACK_PUBLISHABLE_CLIENT_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_HASH_KEY",
)
OPTIONAL_MIN_LENGTH = {"METRICS_TOKEN": 32}  # not required, but strong when set
TRUE_VALUES = frozenset({"1", "true", "yes", "y", "on", "ok", "t"})  # as django-environ reads
MIN_LENGTH = {
    "JWT_SECRET": 32,
    "SESSION_SECRET": 50,  # Django's own deploy check (security.W009) asks for 50
    "SERVICE_INTERNAL_KEY": 32,
    "BULI2_SIGNATURE_SECRET": 32,
    "BULI2_OUTBOUND_SIGNATURE_SECRET": 32,
    "BULI2_API_KEY": 16,
    "REDIS_PASSWORD": 16,
    "FIELD_HASH_KEY": 32,
}
LISTS = ("SERVICE_INTERNAL_KEY", "FIELD_ENCRYPTION_KEYS")
KNOWN_DEFAULTS = frozenset(
    {
        "secret",
        "changeme",
        "change-me",
        "password",
        "dev-secret-change-in-production",
        "your-secret-key",
        "your-jwt-secret",
        "test",
        "default",
    }
)


def _dev_defaults() -> frozenset[str]:
    return frozenset(
        {
            settings.DEV_SESSION_SECRET,
            settings.DEV_JWT_SECRET,
            settings.DEV_SERVICE_KEY,
            settings.DEV_BULI2_SIGNATURE_SECRET,
            settings.DEV_BULI2_OUTBOUND_SIGNATURE_SECRET,
        }
    )


# The first of ``PASSWORD_HASHERS`` hashes every new password: a slow, salted key derivation.
STRONG_PASSWORD_HASHERS = frozenset(
    {
        "PBKDF2PasswordHasher",
        "Argon2PasswordHasher",
        "BCryptSHA256PasswordHasher",
        "ScryptPasswordHasher",
    }
)


def production_config_errors(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """Return ``(variable, problem)`` pairs for a production environment; empty when sound."""
    problems: list[tuple[str, str]] = []
    defaults = KNOWN_DEFAULTS | _dev_defaults()
    for name in REQUIRED:
        raw = environ.get(name, "").strip()
        if not raw:
            problems.append((name, "is not set"))
            continue
        values = [v.strip() for v in raw.split(",")] if name in LISTS else [raw]
        for value in values:
            if name == "FIELD_ENCRYPTION_KEYS" and not valid_fernet_key(value):
                problems.append((name, "holds a value that is not a Fernet key"))
                break
            if value.lower() in defaults or value in defaults:
                problems.append((name, "is a known default value"))
                break
            minimum = MIN_LENGTH.get(name)
            if minimum and len(value) < minimum:
                problems.append((name, f"is shorter than {minimum} characters"))
                break
    jwt_secret = environ.get("JWT_SECRET", "").strip()
    if jwt_secret and jwt_secret == environ.get("SESSION_SECRET", "").strip():
        problems.append(("JWT_SECRET", "must differ from SESSION_SECRET"))
    hash_key = environ.get("FIELD_HASH_KEY", "").strip()
    if hash_key and hash_key == environ.get("SESSION_SECRET", "").strip():
        problems.append(("FIELD_HASH_KEY", "must differ from SESSION_SECRET"))
    if environ.get("DEBUG", "").strip().lower() in TRUE_VALUES:
        problems.append(("DEBUG", "must be false in production"))
    for name, minimum in OPTIONAL_MIN_LENGTH.items():
        value = environ.get(name, "").strip()
        if value and (value.lower() in defaults or len(value) < minimum):
            problems.append((name, f"is shorter than {minimum} characters or a known default"))
    database_url = environ.get("DATABASE_URL", "")
    if database_url and not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append(("DATABASE_URL", "must be a PostgreSQL URL"))
    redis_url = environ.get("REDIS_URL", "")
    if redis_url and not redis_url.startswith(("redis://", "rediss://")):
        problems.append(("REDIS_URL", "must start with redis:// or rediss://"))
    hashers = [h.strip() for h in environ.get("PASSWORD_HASHERS", "").split(",") if h.strip()]
    if hashers and hashers[0].rsplit(".", 1)[-1] not in STRONG_PASSWORD_HASHERS:
        # ``make test`` hashes with MD5 for speed: never a deployment's new passwords
        problems.append(("PASSWORD_HASHERS", "must start with PBKDF2, Argon2, bcrypt or scrypt"))
    return problems


def production_config_warnings(environ: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(variable, warning)`` pairs: settings that do not stop FiLot but leave something off."""
    warnings: list[tuple[str, str]] = []
    metrics_on = environ.get("METRICS_ENABLED", "true").strip().lower() in TRUE_VALUES
    if metrics_on and not environ.get("METRICS_TOKEN", "").strip():
        warnings.append(
            ("METRICS_TOKEN", "is not set: /metrics answers 404 until it is (Prometheus sends it)")
        )
    return warnings


@checks.register(checks.Tags.security, deploy=False)
def check_production_secrets(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.PRODUCTION:
        return []
    return [
        checks.Error(
            f"{name} {problem}.",
            hint=f"Set {name} in the environment before starting FiLot in production.",
            id="filot.E001",
        )
        for name, problem in production_config_errors(os.environ)
    ] + [
        checks.Warning(f"{name} {warning}.", id="filot.W001")
        for name, warning in production_config_warnings(os.environ)
    ]


class ProductionConfigError(SystemExit):
    pass


def enforce_production_config() -> None:
    """Called by the WSGI and Celery entry points: refuse to serve on an unsafe configuration."""
    if not settings.PRODUCTION:
        return
    problems = production_config_errors(os.environ)
    if problems:
        lines = "; ".join(f"{name} {problem}" for name, problem in problems)
        raise ProductionConfigError(f"FiLot refuses to start in production: {lines}.")
