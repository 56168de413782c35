"""Existing rows encrypted in place (reverse: decrypted), in a migration of their own so the
column changes of 0003_encrypt_ocr_result are committed before the rows are rewritten."""

from django.db import migrations

from filot.migration_ops import EncryptColumns


class Migration(migrations.Migration):

    dependencies = [
        ("ocr_gpu", "0003_encrypt_ocr_result"),
    ]

    operations = [
        EncryptColumns("ocr_runs", "result"),
    ]
