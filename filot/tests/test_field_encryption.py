"""Field-level encryption: ciphertext at rest, key rotation, no lookups, and the migration that
encrypted existing rows (forward and back)."""

from __future__ import annotations

import io
import json

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from documents.models import Document
from filot.crypto import FieldDecryptionError, lookup_digest
from reviews.partner.models import OutboxEvent
from verification.models import VerificationResult

pytestmark = pytest.mark.django_db

NIK = "3204011708900001"
OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def _raw(table: str, column: str, pk: object) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def _outbox(payload: dict) -> OutboxEvent:
    now = timezone.now()
    return OutboxEvent.objects.create(
        event_type="review.escalated", payload=payload, next_attempt_at=now, give_up_at=now
    )


def test_values_are_ciphertext_in_the_table_and_plain_in_python(make_user):
    user = make_user(display_name="SITI AMINAH")
    user.phone = "+6281234567890"
    user.save(update_fields=["phone"])
    event = _outbox({"fields": {"nik": {"value": NIK}}})

    assert _raw("users", "display_name", user.pk).startswith("gAAAAA")
    assert "SITI" not in _raw("users", "display_name", user.pk)
    assert "81234567890" not in _raw("users", "phone", user.pk)
    assert NIK not in _raw("partner_outbox", "payload", event.pk)
    user.refresh_from_db()
    event.refresh_from_db()
    assert (user.display_name, user.phone) == ("SITI AMINAH", "+6281234567890")
    assert event.payload["fields"]["nik"]["value"] == NIK


def test_the_same_value_encrypts_differently_each_time(make_user):
    first = make_user(display_name="BUDI")
    second = make_user(display_name="BUDI")

    assert _raw("users", "display_name", first.pk) != _raw("users", "display_name", second.pk)


def test_encrypted_fields_refuse_lookups_that_would_compare_ciphertext():
    with pytest.raises(FieldError, match="encrypted"):
        list(VerificationResult.objects.filter(fields={"nik": NIK}))
    with pytest.raises(FieldError, match="encrypted"):
        list(VerificationResult.objects.filter(ocr_text__icontains=NIK))
    assert list(VerificationResult.objects.filter(ocr_text__isnull=True)) == []


def test_lookup_digests_are_keyed(settings):
    digest = lookup_digest(NIK)
    settings.FIELD_HASH_KEY = "another-hash-key-0123456789abcdef0123"

    assert lookup_digest(NIK) != digest
    assert NIK not in digest and len(digest) == 64


def test_rotation_re_encrypts_everything_under_the_new_key(settings, make_user):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    users = [make_user(display_name=f"NAMA {n}") for n in range(3)]
    event = _outbox({"fields": {"nik": {"value": NIK}}})
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]

    dry = io.StringIO()
    call_command("rotate_field_keys", "--dry-run", stdout=dry)
    assert "users: 3 values would be re-encrypted (dry run)" in dry.getvalue()
    assert "partner_outbox: 1 values would be re-encrypted" in dry.getvalue()
    out = io.StringIO()
    call_command("rotate_field_keys", "--batch-size", "2", stdout=out)
    again = io.StringIO()
    call_command("rotate_field_keys", stdout=again)

    assert "users: 3 values re-encrypted" in out.getvalue()
    assert "total: 0 values re-encrypted" in again.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    assert sorted(u.display_name for u in type(users[0]).objects.all()) == [
        "NAMA 0",
        "NAMA 1",
        "NAMA 2",
    ]
    event.refresh_from_db()
    assert event.payload["fields"]["nik"]["value"] == NIK


def test_a_value_under_an_unknown_key_fails_clearly_without_showing_it(settings, make_user):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    user = make_user(display_name="SITI AMINAH")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]

    with pytest.raises(FieldDecryptionError) as raised:
        type(user).objects.get(pk=user.pk)
    with pytest.raises(CommandError, match="missing from FIELD_ENCRYPTION_KEYS"):
        call_command("rotate_field_keys", stdout=io.StringIO())
    assert "SITI" not in str(raised.value) and OLD_KEY not in str(raised.value)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_rows_and_reverses(make_user):
    """Rows written before encryption (plain JSON) are encrypted by the migration, given their
    last four NIK digits, and decrypted again when it is rolled back."""

    owner = make_user()
    document = Document.objects.create(
        owner=owner,
        doc_type="KTP",
        storage_key="documents/x.jpg",
        content_type="image/jpeg",
        size_bytes=1,
        sha256="0" * 64,
        image_width=1,
        image_height=1,
    )
    executor = MigrationExecutor(connection)
    before = [("verification", "0002_identityfingerprint")]
    after = [("verification", "0004_encrypt_existing_results")]
    executor.migrate(before)
    fields = {"nik": {"value": NIK, "confidence": 90.0}, "nama": {"value": "SITI AMINAH"}}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO verification_results (id, document_id, attempt, engine,"
            " preprocessing_backend, detected_type, ocr_text, ocr_words, fields, checks, quality,"
            " score, score_breakdown, decision, reason_codes, threshold_auto_approve,"
            " threshold_auto_reject, durations_ms, created_at) VALUES ("
            " '6f1c2a34-0000-4000-8000-000000000001', %s, 1, 'tesseract', 'cpu', 'ktp',"
            " %s, '[]', %s, '[]', '{}', 60, '{}', 'in_review', '[]', 85, 35, '{}', now())",
            [document.pk, f"NIK {NIK} SITI AMINAH", json.dumps(fields)],
        )

    try:
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        pk = "6f1c2a34-0000-4000-8000-000000000001"
        encrypted = _raw("verification_results", "fields", pk)
        assert encrypted.startswith("gAAAAA") and NIK not in encrypted
        assert NIK not in _raw("verification_results", "ocr_text", pk)
        result = VerificationResult.objects.get(pk=pk)
        assert result.fields == fields and result.ocr_text == f"NIK {NIK} SITI AMINAH"
        assert result.identity_suffix == "0001"

        executor = MigrationExecutor(connection)
        executor.migrate(before)
        assert json.loads(_raw("verification_results", "fields", pk)) == fields
        assert _raw("verification_results", "ocr_text", pk) == f"NIK {NIK} SITI AMINAH"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_profiles_and_outbox_payloads_roll_back_to_plain_and_forward_again(make_user):
    user = make_user(display_name="SITI AMINAH")
    event = _outbox({"fields": {"nik": {"value": NIK}}})
    plain = [("filot", "0001_initial"), ("partner", "0001_initial")]
    encrypted = [
        ("filot", "0003_encrypt_existing_profiles"),
        ("partner", "0003_encrypt_existing_payloads"),
    ]

    try:
        MigrationExecutor(connection).migrate(plain)
        assert _raw("users", "display_name", user.pk) == "SITI AMINAH"
        assert json.loads(_raw("partner_outbox", "payload", event.pk))["fields"]["nik"] == {
            "value": NIK
        }

        MigrationExecutor(connection).migrate(encrypted)
        assert NIK not in _raw("partner_outbox", "payload", event.pk)
        assert _raw("users", "display_name", user.pk).startswith("gAAAAA")
        user.refresh_from_db()
        event.refresh_from_db()
        assert user.display_name == "SITI AMINAH"
        assert event.payload["fields"]["nik"]["value"] == NIK
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
