"""Existing rows encrypted in place (reverse: decrypted), in a migration of their own so the
column changes of 0002_encrypt_profile are committed before the rows are rewritten."""

from django.db import migrations

from filot.migration_ops import EncryptColumns


class Migration(migrations.Migration):

    dependencies = [
        ("filot", "0002_encrypt_profile"),
    ]

    operations = [
        EncryptColumns("users", "display_name", "phone"),
    ]
