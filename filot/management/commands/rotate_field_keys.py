"""``manage.py rotate_field_keys``: re-encrypt personal data under the newest field key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from filot.crypto import FieldDecryptionError, encrypted_columns, field_keys_rotate
from filot.progress import Counter


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key of FIELD_ENCRYPTION_KEYS. "
        "Rotate a key by putting the new key first (keeping the old one after it), deploying, "
        "running this command, then removing the old key. --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.FIELD_ENCRYPTION_KEYS:
            raise CommandError("FIELD_ENCRYPTION_KEYS is not set.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = sum(model.objects.count() for model, _ in encrypted_columns())
        bar = Counter(total=total, desc="rows", unit="row")

        def advance(table: str, rows: int) -> None:
            bar.describe(table)
            bar.update(rows)

        try:
            counts = field_keys_rotate(
                dry_run=options["dry_run"],
                batch_size=options["batch_size"],
                on_batch=advance,
            )
        except FieldDecryptionError as exc:
            raise CommandError(
                f"{exc}: is a key that encrypted existing data missing from "
                "FIELD_ENCRYPTION_KEYS? Nothing after the failing batch was changed."
            ) from exc
        finally:
            bar.close()
        verb = "would be re-encrypted (dry run)" if options["dry_run"] else "re-encrypted"
        for table, count in sorted(counts.items()):
            self.stdout.write(f"{table}: {count} values {verb}")
        self.stdout.write(f"total: {sum(counts.values())} values {verb}")
