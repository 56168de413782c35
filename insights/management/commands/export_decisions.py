"""``manage.py export_decisions``: every decision as CSV for analysts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from documents.status import DocumentType
from filot.progress import progress
from insights.export import csv_lines, decision_rows
from insights.management.commands._options import since_option


class Command(BaseCommand):
    help = (
        "Write one CSV row per verification result: ids, card type, scores, checks, the "
        "machine's and the reviewer's outcome and reasons, times. Identity numbers are masked "
        "to their last four digits; no names. To --out FILE, or standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="only results decided on or after this date")
        parser.add_argument("--doc-type", choices=DocumentType.values, help="one card type")
        parser.add_argument("--out", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        since = since_option(options["since"]) if options["since"] else None
        rows = decision_rows(
            since=since,
            doc_type=options["doc_type"],
            # A bar only when the CSV goes to a file: on a terminal it would mix with the rows.
            progress=lambda items, total: progress(
                items, total=total, desc="exporting", unit="row", quiet=not options["out"]
            ),
        )
        if options["out"]:
            options["out"].parent.mkdir(parents=True, exist_ok=True)
            with options["out"].open("w", newline="", encoding="utf-8") as handle:
                count = -1
                for line in csv_lines(rows):
                    handle.write(line)
                    count += 1
            self.stderr.write(f"wrote {count} decisions to {options['out']}")
            return
        for line in csv_lines(rows):
            self.stdout.write(line, ending="")
