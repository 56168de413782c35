"""``manage.py simulate_thresholds --approve N --reject M``: the threshold what-if."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.status import DocumentType
from filot.progress import progress
from insights.charts import score_distribution
from insights.management.commands._options import since_option
from insights.report import format_simulation
from insights.whatif import InvalidThresholds, Thresholds, history, simulate


class Command(BaseCommand):
    help = (
        "Replay every document's latest stored result at other thresholds, exactly as "
        "verification/scoring.py decides today, and show how many documents move between "
        "auto-approve, review and auto-reject, and how often an automatic decision at the new "
        "thresholds would disagree with the reviewers (Wilson 95 % intervals)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--approve", type=int, required=True, metavar="N", help="approve >= N")
        parser.add_argument("--reject", type=int, required=True, metavar="M", help="reject <= M")
        parser.add_argument("--since", help="only results decided on or after this date")
        parser.add_argument("--doc-type", choices=DocumentType.values, help="one card type")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--chart", type=Path, help="write the score chart (PNG) here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            proposed = Thresholds(approve_at=options["approve"], reject_at=options["reject"])
        except InvalidThresholds as exc:
            raise CommandError(f"{exc.detail} ({exc.code})") from exc
        since = since_option(options["since"]) if options["since"] else None
        quiet = options["json"]
        records = history(
            since=since,
            doc_type=options["doc_type"],
            progress=lambda rows, total: progress(
                rows, total=total, desc="replaying", unit="result", quiet=quiet
            ),
        )
        simulation = simulate(records, current=Thresholds.current(), proposed=proposed)
        if options["chart"]:
            options["chart"].parent.mkdir(parents=True, exist_ok=True)
            options["chart"].write_bytes(score_distribution(simulation))
        if quiet:
            self.stdout.write(json.dumps(simulation.to_dict(), sort_keys=True))
            return
        scope = "".join(
            [
                f", decided since {options['since']}" if since else "",
                f", {options['doc_type']} only" if options["doc_type"] else "",
            ]
        )
        self.stdout.write(format_simulation(simulation, scope=scope))
        if options["chart"]:
            self.stdout.write(f"\nchart: {options['chart']}")
