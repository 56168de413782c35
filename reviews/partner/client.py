"""HTTP calls to BULI2. One function, one request: no retries here (the outbox retries).

Every request carries ``Authorization: Bearer <BULI2_API_KEY>``, ``Idempotency-Key`` (the
event id, so a redelivery is recognised by BULI2) and Standard Webhooks v1 signature headers
signed with FiLot's own secret. Timeouts are 3 s to connect and 10 s to read by default;
redirects are not followed and TLS certificates are verified.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone

from reviews.partner import signing
from reviews.partner.models import EventType

PATHS = {
    EventType.REVIEW_ESCALATED: "/internal/reviews",
    EventType.DOCUMENT_DECIDED: "/internal/decisions",
    EventType.REVIEW_CANCELLED: "/internal/cancellations",
}
RETRYABLE_STATUSES = frozenset({408, 429})
MAX_RESPONSE_BYTES = 64 * 1024


class PartnerNotConfigured(Exception):
    pass


class PartnerUnavailable(Exception):
    """BULI2 answered 408 or 5xx: counts as a failure for the circuit breaker."""

    def __init__(self, response: PartnerResponse) -> None:
        super().__init__(f"partner answered {response.status_code}")
        self.response = response


@dataclass(frozen=True)
class PartnerResponse:
    status_code: int
    retry_after_seconds: float | None
    body: dict[str, Any]

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def retryable(self) -> bool:
        return self.status_code in RETRYABLE_STATUSES or self.status_code >= 500


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxy or netrc from the environment
    session.max_redirects = 0
    return session


def encode_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def send(*, event_type: str, event_id: str, payload: dict[str, Any]) -> PartnerResponse:
    """POST one event. Raises ``requests.RequestException`` on a network error or timeout."""
    base_url = settings.BULI2_API_URL.rstrip("/")
    secret = settings.BULI2_OUTBOUND_SIGNATURE_SECRET
    if not base_url or not secret:
        raise PartnerNotConfigured("BULI2_API_URL and BULI2_OUTBOUND_SIGNATURE_SECRET are needed")
    body = encode_body(payload)
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": "FiLot-partner/1",
        "Idempotency-Key": event_id,
        **signing.sign_headers(
            signing.secret_key(secret), event_id, int(timezone.now().timestamp()), body
        ),
    }
    if settings.BULI2_API_KEY:
        headers["Authorization"] = f"Bearer {settings.BULI2_API_KEY}"
    with _session() as session:
        response = session.post(
            base_url + PATHS[EventType(event_type)],
            data=body,
            headers=headers,
            timeout=(settings.BULI2_CONNECT_TIMEOUT, settings.BULI2_READ_TIMEOUT),
            allow_redirects=False,
            verify=True,
            stream=True,
        )
        try:
            raw = response.raw.read(MAX_RESPONSE_BYTES, decode_content=True) or b""
        finally:
            response.close()
    parsed: dict[str, Any] = {}
    try:
        decoded = json.loads(raw) if raw else {}
        if isinstance(decoded, dict):
            parsed = decoded
    except ValueError:
        parsed = {}
    return PartnerResponse(
        status_code=response.status_code,
        retry_after_seconds=parse_retry_after(response.headers.get("Retry-After")),
        body=parsed,
    )


def send_guarded(*, event_type: str, event_id: str, payload: dict[str, Any]) -> PartnerResponse:
    """``send`` that raises ``PartnerUnavailable`` on 408 and 5xx, for the circuit breaker.

    429 is returned, not raised: BULI2 is up and says when to come back.
    """
    response = send(event_type=event_type, event_id=event_id, payload=payload)
    if response.status_code == 408 or response.status_code >= 500:
        raise PartnerUnavailable(response)
    return response
