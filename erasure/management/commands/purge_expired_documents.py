"""``manage.py purge_expired_documents --older-than DAYS``: the retention rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from documents.models import Document
from documents.status import ACTIVE_STATUSES, DocumentStatus
from erasure.services import document_data_erase
from filot.progress import progress


class Command(BaseCommand):
    help = (
        "Erase documents older than DAYS that are settled (not queued, processing or in review): "
        "the file, the OCR text and the extracted personal fields are removed; the decision, "
        "score and reason codes are kept, and each erasure is recorded in the document's audit "
        "trail. --dry-run counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days < 1:
            raise CommandError("--older-than must be at least 1 day")
        cutoff = timezone.now() - timedelta(days=days)
        expired = Document.objects.filter(created_at__lt=cutoff, erased_at__isnull=True).exclude(
            status__in=[*ACTIVE_STATUSES, DocumentStatus.IN_REVIEW]
        )
        if options["dry_run"]:
            self.stdout.write(f"dry run: {expired.count()} documents would be erased")
            return
        erased = 0
        batch = list(expired.order_by("created_at")[: options["batch"]])
        for document in progress(batch, total=len(batch), desc="erase", unit="doc"):
            document_data_erase(
                document=document, actor=None, reason=f"retention: older than {days} days"
            )
            erased += 1
        self.stdout.write(f"erased {erased} documents")
