"""Existing verification results: their identity suffix filled and their personal data
encrypted. A migration of its own so that the schema changes (and the new index) of 0003 are
committed before the rows are rewritten."""

import json

from django.db import migrations

from filot.migration_ops import EncryptColumns


def fill_identity_suffix(apps, schema_editor):
    """The last four digits of the NIK (else the NPWP), read while the fields are still plain."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, fields FROM verification_results")
        for pk, raw in cursor.fetchall():
            try:
                fields = json.loads(raw) if isinstance(raw, str) else (raw or {})
            except ValueError:
                continue
            suffix = ""
            for name in ("nik", "npwp"):
                value = (fields.get(name) or {}).get("value") if isinstance(fields, dict) else None
                digits = "".join(ch for ch in str(value or "") if ch.isdigit())
                if len(digits) >= 4:
                    suffix = digits[-4:]
                    break
            if suffix:
                cursor.execute(
                    "UPDATE verification_results SET identity_suffix = %s WHERE id = %s",
                    [suffix, pk],
                )


class Migration(migrations.Migration):

    dependencies = [
        ("verification", "0003_encrypt_fields_identity_suffix"),
    ]

    operations = [
        migrations.RunPython(fill_identity_suffix, migrations.RunPython.noop),
        EncryptColumns("verification_results", "ocr_text", "ocr_words", "fields"),
    ]
