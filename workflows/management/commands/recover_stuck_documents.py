"""``manage.py recover_stuck_documents``: run the stuck-document sweep now."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from documents.models import Document
from documents.status import DocumentStatus
from workflows.services import stuck_documents_sweep


class Command(BaseCommand):
    help = (
        "Re-publish documents stuck in queued, send documents whose worker vanished back to the "
        "queue (or to failed when attempts are spent), and re-publish lost verifications. The "
        "beat schedule does this every minute with the configured timeouts "
        "(STUCK_QUEUED_SECONDS, STUCK_PROCESSING_SECONDS); --older-than overrides both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="SECONDS",
            help="treat documents waiting this long as stuck (default: the configured timeouts)",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        older = options["older_than"]
        queued_after = settings.STUCK_QUEUED_SECONDS if older is None else older
        processing_after = settings.STUCK_PROCESSING_SECONDS if older is None else older
        if options["dry_run"]:
            now = timezone.now()
            queued = Document.objects.filter(
                status=DocumentStatus.QUEUED,
                erased_at__isnull=True,
                status_changed_at__lt=now - timedelta(seconds=queued_after),
            ).count()
            processing = Document.objects.filter(
                status=DocumentStatus.PROCESSING,
                status_changed_at__lt=now - timedelta(seconds=processing_after),
            ).count()
            self.stdout.write(
                f"dry run: {queued} queued and {processing} processing documents are stuck"
            )
            return
        counts = stuck_documents_sweep(queued_after=queued_after, processing_after=processing_after)
        self.stdout.write(", ".join(f"{name} {value}" for name, value in counts.items()))
