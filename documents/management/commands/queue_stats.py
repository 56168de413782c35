"""``manage.py queue_stats``: what waits in each Celery queue and in PostgreSQL."""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from documents.models import Document
from documents.status import DocumentStatus
from filot.metrics import HEARTBEAT_KEY, QUEUES, broker, queue_depths


class Command(BaseCommand):
    help = (
        "Show, per Celery queue, the messages waiting and the last worker heartbeat, and the "
        "documents queued or processing in PostgreSQL with the age of the oldest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--json", action="store_true", help="one JSON object instead of a table"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: tasks run in-process and nothing is queued.")
        client = broker()
        try:
            depths = queue_depths(client)
            now = time.time()
            heartbeats = {}
            for queue in QUEUES:
                stamp = client.get(HEARTBEAT_KEY.format(queue=queue))
                heartbeats[queue] = round(now - float(stamp), 1) if stamp else None
        except Exception as exc:
            raise CommandError(f"Redis is unreachable: {type(exc).__name__}") from exc
        finally:
            client.close()
        documents = {}
        for status in (DocumentStatus.QUEUED, DocumentStatus.PROCESSING):
            rows = Document.objects.filter(status=status, erased_at__isnull=True)
            oldest = rows.aggregate(oldest=Min("status_changed_at"))["oldest"]
            documents[status.value] = {
                "count": rows.count(),
                "oldest_seconds": round((timezone.now() - oldest).total_seconds(), 1)
                if oldest
                else None,
            }
        report = {
            "queues": {
                q: {"waiting": depths[q], "heartbeat_age_seconds": heartbeats[q]} for q in QUEUES
            },
            "documents": documents,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report))
            return
        self.stdout.write(f"{'queue':<10} {'waiting':>8} {'heartbeat age':>14}")
        for queue, row in report["queues"].items():
            age = (
                "never"
                if row["heartbeat_age_seconds"] is None
                else f"{row['heartbeat_age_seconds']}s"
            )
            self.stdout.write(f"{queue:<10} {row['waiting']:>8} {age:>14}")
        for name, row in documents.items():
            oldest = "-" if row["oldest_seconds"] is None else f"{row['oldest_seconds']}s"
            self.stdout.write(f"documents {name}: {row['count']} (oldest {oldest})")
