"""``manage.py reprocess_documents``: send documents back through OCR and verification."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from documents.models import Document
from documents.services import document_reprocess
from documents.status import DocumentStatus
from filot.errors import FilotError
from filot.models import User
from filot.progress import progress

SETTLED = [
    s.value
    for s in (
        DocumentStatus.FAILED,
        DocumentStatus.AUTO_APPROVED,
        DocumentStatus.AUTO_REJECTED,
        DocumentStatus.IN_REVIEW,
        DocumentStatus.APPROVED,
        DocumentStatus.REJECTED,
    )
]


def _since(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since {value!r} is not a date or ISO datetime")
        moment = datetime.combine(day, time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Reprocess documents in a status (default failed), optionally only those created since "
        "a date. Each gets a new OCR round and a new verification result; earlier results and "
        "reviewers' corrections are kept. --dry-run lists how many would go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--status", choices=SETTLED, default=DocumentStatus.FAILED.value)
        parser.add_argument("--since", help="created at or after this date / ISO datetime")
        parser.add_argument("--id", action="append", default=[], help="a document id (repeat)")
        parser.add_argument(
            "--actor", required=True, help="email of the admin on whose behalf this runs"
        )
        parser.add_argument("--limit", type=int, default=1000)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(email__iexact=options["actor"], is_staff=True).first()
        if actor is None:
            raise CommandError("--actor must be the email of a staff user")
        documents = Document.objects.filter(status=options["status"], erased_at__isnull=True)
        if options["since"]:
            documents = documents.filter(created_at__gte=_since(options["since"]))
        if options["id"]:
            documents = documents.filter(pk__in=options["id"])
        selected = list(documents.order_by("created_at")[: options["limit"]])
        if options["dry_run"]:
            self.stdout.write(f"dry run: {len(selected)} documents would be reprocessed")
            return
        done = refused = 0
        for document in progress(selected, total=len(selected), desc="reprocess", unit="doc"):
            try:
                document_reprocess(document=document, actor=actor)
                done += 1
            except FilotError as exc:
                refused += 1
                self.stderr.write(f"{document.pk}: {exc.code}")
        self.stdout.write(f"reprocessed {done}, refused {refused}")
