from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from reviews.partner.fake_server import FakeBuli2, Mode


class Command(BaseCommand):
    help = "Run a fake BULI2 on loopback for demos (point BULI2_API_URL at it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
        parser.add_argument("--fail-status", type=int, default=0, help="answer every call so")
        parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering")
        parser.add_argument("--retry-after", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        fake = FakeBuli2(
            host=options["host"],
            port=options["port"],
            api_key=settings.BULI2_API_KEY,
            verify_secret=settings.BULI2_OUTBOUND_SIGNATURE_SECRET,
            callback_secret=settings.BULI2_SIGNATURE_SECRET,
        )
        fake.mode = Mode(
            status=options["fail_status"] or None,
            delay=options["delay"],
            retry_after=options["retry_after"],
        )
        fake.start()
        self.stdout.write(f"fake BULI2 listening on {fake.url} (Ctrl-C to stop)")
        seen = 0
        try:
            while True:
                time.sleep(1)
                records = fake.records()
                for record in records[seen:]:
                    self.stdout.write(
                        f"{record.path} key={record.idempotency_key} "
                        f"signed={record.signature_ok} -> {record.answered}"
                    )
                seen = len(records)
        except KeyboardInterrupt:
            pass
        finally:
            fake.stop()
