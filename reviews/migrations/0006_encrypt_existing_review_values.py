"""Existing rows encrypted in place (reverse: decrypted), in a migration of their own so the
column changes of 0005_encrypt_review_values are committed before the rows are rewritten."""

from django.db import migrations

from filot.migration_ops import EncryptColumns


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0005_encrypt_review_values"),
    ]

    operations = [
        EncryptColumns("manual_reviews", "notes", "corrected_fields"),
        EncryptColumns("review_field_corrections", "old_value", "new_value"),
    ]
