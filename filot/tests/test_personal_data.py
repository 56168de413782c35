"""Personal data end to end: a KTP goes through upload, OCR, verification, review, BULI2
escalation and decision delivery with real workers, and afterwards no NIK, name, address,
image, token or secret is found in any log line, metrics label or error body, nor in plain
text in any PostgreSQL table."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from filot.testing.worker import wait_for
from reviews.models import ManualReview, ReviewState
from reviews.partner.models import OutboxEvent, OutboxStatus
from reviews.partner.tests.conftest import (
    API_KEY,
    INBOUND_SECRET,
    OUTBOUND_SECRET,
    decision_body,
    partner_env,
    signed_headers,
)
from reviews.services import review_claim, review_decide_with_corrections, reviewer_create
from verification.models import VerificationResult
from verification.tests.flow import card_bytes, ktp_fields

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CORRECTED_NAME = "KARTIKA SEKARWANGI"
PROFILE_NAME = "RADEN AYU KUSUMAWARDHANI"
NOTE = "Pemohon bernama KARTIKA SEKARWANGI menurut telepon"


@pytest.fixture
def captured_logs() -> Any:
    """Everything this process logs at DEBUG, formatted and filtered as in production."""
    root = logging.getLogger()
    console = next(h for h in root.handlers if isinstance(h.formatter, logging.Formatter))
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(previous)


def _personal_values(card: dict[str, str], result: VerificationResult) -> set[str]:
    """What must never leak: the printed values and what OCR read, in the forms they take."""
    values = {card["nik"], card["nama"], card["alamat"], CORRECTED_NAME, PROFILE_NAME}
    nik = card["nik"]
    values |= {f"{nik[:6]} {nik[6:12]} {nik[12:]}", f"{nik[:4]}-{nik[4:8]}-{nik[8:12]}-{nik[12:]}"}
    for name in ("nik", "nama", "alamat", "tempat_lahir"):
        value = (result.fields.get(name) or {}).get("value")
        if isinstance(value, str) and len(value) >= 6:
            values.add(value)
    return values


def _secrets(token: str) -> set[str]:
    return {
        token,
        settings.SECRET_KEY,
        settings.JWT_SECRET,
        settings.FIELD_HASH_KEY,
        *settings.FIELD_ENCRYPTION_KEYS,
        API_KEY,
        OUTBOUND_SECRET,
        INBOUND_SECRET,
        OUTBOUND_SECRET.removeprefix("whsec_"),
    }


def _table_dump() -> str:
    """Every row of every table, as text: what a database dump or a stolen disk would show."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            lines.extend(f"{table}: {row!r}" for row in cursor.fetchall())
    return "\n".join(lines)


def test_the_whole_flow_leaks_no_personal_data(
    auth_client, user, partner, celery_worker_factory, captured_logs, client
):
    # Given workers for every queue, talking to a real fake BULI2, and a client whose profile
    # name differs from the card's, which sends the card to review so every path runs (review,
    # escalation, correction, decision).
    worker_env = {
        **partner_env(partner),
        "LOG_LEVEL": "DEBUG",
        "BULI2_RETRY_BASE_SECONDS": "0.5",
    }
    worker = celery_worker_factory(queues="ocr_gpu,default,partner", **worker_env)
    card = ktp_fields(8101)
    user.display_name = PROFILE_NAME
    user.save(update_fields=["display_name"])
    token = auth_client._credentials["HTTP_AUTHORIZATION"].split()[-1]

    # When the card is uploaded, read, escalated, corrected and decided
    response = auth_client.post(
        "/api/v1/documents/",
        {"file": io.BytesIO(card_bytes("ktp", card)), "doc_type": "KTP"},
        format="multipart",
    )
    assert response.status_code == 202, response.content
    document_id = response.json()["id"]
    review = wait_for(
        lambda: ManualReview.objects.filter(document_id=document_id).first(),
        timeout=120,
        what="the review to open",
    )
    wait_for(
        lambda: OutboxEvent.objects.filter(status=OutboxStatus.DELIVERED).count() == 1,
        timeout=60,
        what="the escalation to reach BULI2",
    )
    reviewer = reviewer_create(email="reviewer@example.test", password=None, display_name="R")
    review_claim(review_id=review.pk, reviewer=reviewer)
    review_decide_with_corrections(
        review_id=review.pk,
        actor=reviewer,
        decision="approved",
        reason_code="verified",
        notes=NOTE,
        corrections={"nama": CORRECTED_NAME},
    )
    wait_for(
        lambda: OutboxEvent.objects.filter(status=OutboxStatus.DELIVERED).count() == 2,
        timeout=60,
        what="the decision to reach BULI2",
    )
    # BULI2 decides too late: a signed callback on a closed case, and a forged one.
    body = decision_body(
        review.pk, "rejected", reason_code="nik_invalid", notes=f"NIK {card['nik']} {card['nama']}"
    )
    late = client.post(
        "/api/v1/partners/buli2/callbacks/",
        data=body,
        content_type="application/json",
        **signed_headers(body),
    )
    forged = client.post(
        "/api/v1/partners/buli2/callbacks/",
        data=body,
        content_type="application/json",
        **signed_headers(body, secret="not-the-partner-secret-0123456789"),
    )
    listing = auth_client.get("/api/v1/documents/")
    metrics = client.get("/metrics")

    # Then the case closed as a person would expect ...
    assert (late.status_code, forged.status_code) == (409, 401), late.content
    assert ManualReview.objects.get(pk=review.pk).state == ReviewState.DECIDED
    sent = {(partner.body(r.idempotency_key) or {}).get("type") for r in partner.records()}
    assert sent == {"review.escalated", "document.decided"}
    result = VerificationResult.objects.get(document_id=document_id)
    personal = _personal_values(card, result)
    listed_nik = listing.json()["results"][0]["verification"]["fields"]["nik"]["value"]
    assert listed_nik == "*" * 12 + card["nik"][-4:]

    # ... and nothing personal or secret is in the logs, the metrics or the error bodies
    logs = captured_logs.getvalue() + worker.log()
    assert "document submitted" in logs and "ocr finished" in logs  # the capture works
    exposed = {
        "logs": logs,
        "metrics": metrics.content.decode(),
        "errors": late.content.decode() + forged.content.decode(),
    }
    for where, text in exposed.items():
        for value in personal | _secrets(token):
            assert value.lower() not in text.lower(), f"a personal value or secret in {where}"
        for image_marker in ("/9j/", "iVBORw0KGgo", "JFIF", "\\xff\\xd8"):
            assert image_marker not in text, f"image bytes in {where}"

    # ... nor in plain text anywhere in the database
    dump = _table_dump()
    assert str(document_id) in dump  # the dump sees the rows
    for value in personal:
        assert value not in dump, "a personal value stored in plain text"
