"""Existing rows encrypted in place (reverse: decrypted), in a migration of their own so the
column changes of 0002_encrypt_payload are committed before the rows are rewritten."""

from django.db import migrations

from filot.migration_ops import EncryptColumns


class Migration(migrations.Migration):

    dependencies = [
        ("partner", "0002_encrypt_payload"),
    ]

    operations = [
        EncryptColumns("partner_outbox", "payload"),
    ]
