from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.partner.models import OutboxStatus
from reviews.partner.services import outbox_replay


class Command(BaseCommand):
    help = "Put failed or dead partner outbox events back to pending and deliver them again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dead", action="store_true", help="replay every dead event")
        parser.add_argument("--failed", action="store_true", help="replay every failed event")
        parser.add_argument(
            "--id", dest="ids", action="append", default=[], help="an event id (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        statuses = set()
        if options["dead"]:
            statuses.add(OutboxStatus.DEAD)
        if options["failed"]:
            statuses.add(OutboxStatus.FAILED)
        ids: list[uuid.UUID] = []
        for raw in options["ids"]:
            try:
                ids.append(uuid.UUID(raw))
            except ValueError as exc:
                raise CommandError(f"not an event id: {raw!r}") from exc
        if not statuses and not ids:
            raise CommandError("say what to replay: --dead, --failed and/or --id EVENT_ID")
        replayed = outbox_replay(
            event_ids=ids or None,
            statuses=statuses or None,
        )
        self.stdout.write(f"replayed {replayed} event(s)")
