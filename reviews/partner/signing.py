"""Standard Webhooks v1 signatures (https://www.standardwebhooks.com), both directions.

The signed content is ``{webhook-id}.{webhook-timestamp}.{raw body}`` as bytes; the signature
is ``v1,`` + base64(HMAC-SHA256(key, content)). ``webhook-signature`` holds one or more
signatures separated by spaces; any one that matches is enough (that is how a sender rotates).

A secret written ``whsec_<base64>`` is the Standard Webhooks form: the key is the decoded
bytes. Any other secret is used as its UTF-8 bytes. Pure functions: no settings, no I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SECRET_PREFIX = "whsec_"  # noqa: S105 - a format prefix, not a secret
SIGNATURE_VERSION = "v1"
MAX_ID_LENGTH = 255
_ID_RE = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces
_TIMESTAMP_RE = re.compile(r"^[0-9]{1,12}$")


class SignatureError(Exception):
    """A request whose signature cannot be accepted. ``code`` is stable; ``status`` is HTTP."""

    code = "invalid_signature"
    status = 401

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        if code:
            self.code = code
        if status:
            self.status = status


def secret_key(secret: str) -> bytes:
    """The HMAC key of a configured secret (``whsec_`` base64 form, or raw text)."""
    if secret.startswith(SECRET_PREFIX):
        try:
            return base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("a whsec_ secret must be base64 after the prefix") from exc
    return secret.encode()


def signed_content(msg_id: str, timestamp: int, body: bytes) -> bytes:
    return f"{msg_id}.{timestamp}.".encode() + body


def signature(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64>`` signature."""
    digest = hmac.new(key, signed_content(msg_id, timestamp, body), hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


def sign_headers(key: bytes, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers for a request body."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(key, msg_id, timestamp, body),
    }


@dataclass(frozen=True)
class Verified:
    msg_id: str
    timestamp: int


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        raise SignatureError(
            f"The {name} header is missing.", code="webhook_header_missing", status=400
        )
    return value.strip()


def _candidates(header: str) -> list[bytes]:
    found: list[bytes] = []
    for part in header.split(" "):
        version, sep, encoded = part.partition(",")
        if not sep or version != SIGNATURE_VERSION:
            continue  # unknown versions are skipped, as the spec asks
        try:
            found.append(base64.b64decode(encoded, validate=True))
        except (binascii.Error, ValueError):
            continue
    return found


def verify(
    headers: Mapping[str, str],
    body: bytes,
    keys: Iterable[bytes],
    *,
    now: float,
    tolerance_seconds: int,
) -> Verified:
    """Check the Standard Webhooks headers of ``body`` against any of ``keys``.

    ``headers`` maps lower-case header names to values. Raises ``SignatureError`` (400 for a
    missing or malformed header, 401 for a stale timestamp or no matching signature).
    Comparison is constant-time; every key and every signature is tried.
    """
    msg_id = _header(headers, "webhook-id")
    raw_timestamp = _header(headers, "webhook-timestamp")
    raw_signature = _header(headers, "webhook-signature")
    if not _ID_RE.match(msg_id):
        raise SignatureError(
            "The webhook-id header is malformed.", code="webhook_id_invalid", status=400
        )
    if not _TIMESTAMP_RE.match(raw_timestamp):
        raise SignatureError(
            "The webhook-timestamp header must be whole seconds since the epoch.",
            code="webhook_timestamp_invalid",
            status=400,
        )
    timestamp = int(raw_timestamp)
    if abs(now - timestamp) > tolerance_seconds:
        raise SignatureError(
            "The webhook-timestamp is too far from the current time.",
            code="webhook_timestamp_out_of_tolerance",
        )
    candidates = _candidates(raw_signature)
    if not candidates:
        raise SignatureError(
            "The webhook-signature header holds no v1 signature.",
            code="webhook_signature_malformed",
            status=400,
        )
    content = signed_content(msg_id, timestamp, body)
    matched = False
    for key in keys:
        expected = hmac.new(key, content, hashlib.sha256).digest()
        for candidate in candidates:
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureError("The signature does not match.", code="invalid_signature")
    return Verified(msg_id=msg_id, timestamp=timestamp)
