"""``manage.py purge_queue QUEUE``: drop every message waiting in one Celery queue."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from filot.metrics import PRIORITY_SUFFIXES, QUEUES, broker, queue_depths


class Command(BaseCommand):
    help = (
        "Delete the messages waiting in a Celery queue (the checklist's queue clean-up). "
        "Documents are not lost: the sweeper re-publishes documents left queued or processing. "
        "Asks for confirmation unless --yes; --dry-run only counts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("queue", choices=QUEUES)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REDIS_URL:
            raise CommandError("REDIS_URL is not set: there is no broker queue to purge.")
        queue = options["queue"]
        client = broker()
        try:
            waiting = queue_depths(client)[queue]
            if options["dry_run"]:
                self.stdout.write(f"{queue}: {waiting} messages would be deleted (dry run)")
                return
            if waiting and not options["yes"]:
                answer = input(f"Delete {waiting} messages from {queue}? Type the queue name: ")
                if answer.strip() != queue:
                    raise CommandError("Not confirmed; nothing deleted.")
            client.delete(*(queue + suffix for suffix in PRIORITY_SUFFIXES))
        finally:
            client.close()
        self.stdout.write(f"{queue}: {waiting} messages deleted")
