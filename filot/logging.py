"""JSON log lines with the request id, and redaction of personal data and secrets.

Redaction runs on every value of the final line (message, extra fields and traceback alike),
so a NIK or token that reaches a log call by any route is masked before it is written, and the
line stays valid JSON.
"""

from __future__ import annotations

import contextvars
import logging
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    # JWTs (header.payload.signature, base64url)
    (re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), "[REDACTED_JWT]"),
    # Authorization-style values
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [REDACTED]"),
    (
        re.compile(
            r"(?i)((?:password|passwd|secret|token|api[_-]?key|service[_-]?key|signature)"
            r"[\"']?\s*[:=]\s*[\"']?)[^\s\"',}&]+"
        ),
        r"\1[REDACTED]",
    ),
    # NPWP 15 digits, dotted
    (re.compile(r"\b\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3}\b"), "[REDACTED_NPWP]"),
    # NIK / NPWP16 / long digit runs (optionally spaced in groups): keep the last four digits.
    (
        re.compile(r"(?<![\w.-])(?:\d[ -]?){11,21}(\d{4})(?![\w])"),
        lambda m: "*" * 12 + m.group(1),
    ),
]


@lru_cache(maxsize=1)
def _secret_values() -> tuple[str, ...]:
    from django.conf import settings

    values = [
        getattr(settings, "SECRET_KEY", ""),
        getattr(settings, "JWT_SECRET", ""),
        getattr(settings, "BULI2_API_KEY", ""),
        getattr(settings, "BULI2_SIGNATURE_SECRET", ""),
        getattr(settings, "BULI2_SIGNATURE_SECRET_PREVIOUS", ""),
        getattr(settings, "BULI2_OUTBOUND_SIGNATURE_SECRET", ""),
        getattr(settings, "STACK_SECRET_SERVER_KEY", ""),
        *getattr(settings, "SERVICE_INTERNAL_KEYS", []),
        getattr(settings, "FIELD_HASH_KEY", ""),
        *getattr(settings, "FIELD_ENCRYPTION_KEYS", []),
    ]
    storages: dict[str, Any] = settings.STORAGES
    storage_options: dict[str, Any] = storages.get("default", {}).get("OPTIONS", {})
    values.append(str(storage_options.get("secret_key") or ""))
    return tuple(sorted({v for v in values if v and len(v) >= 8}, key=len, reverse=True))


def redact(text: str) -> str:
    try:
        secrets = _secret_values()
    except Exception:  # noqa: BLE001 - settings not configured (e.g. a bare script)
        secrets = ()
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "[REDACTED]")
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class RedactionFilter(logging.Filter):
    """Masks the rendered message; the formatter masks the full line again."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message or record.args:
            record.msg = redacted
            record.args = None
        return True


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line; ``time`` is UTC as the API writes it: ``...T03:04:05.678Z``."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        moment = datetime.fromtimestamp(record.created, tz=UTC)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        # Every string in the line (message, extra fields, traceback) is redacted before it is
        # serialised, so the line stays valid JSON; a long integer could be a NIK too.
        redacted: dict[str, Any] = _redact_value(super().process_log_record(log_data))
        return redacted


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) >= 10**11:
        return redact(str(value))
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item) for item in value]
    if isinstance(value, float | int) or value is None:
        return value
    return redact(str(value))
