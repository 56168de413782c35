"""``manage.py seed_demo_history``: the made-up decided documents ``make run`` shows."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from insights.demo import SECOND_REVIEWER, history_seed


class Command(BaseCommand):
    help = (
        "Create a small made-up history of decided documents (automatic and human decisions, "
        "blind QA cases, second reviews, corrections) for the decision-quality pages and "
        "simulate_thresholds. Once: running it again adds nothing. Development only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=int, default=240)
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("seed_demo_history refuses to run in production mode.")
        created = history_seed(documents=options["documents"], seed=options["seed"])
        if created:
            self.stdout.write(
                f"Demo history: {created} decided documents; second reviewer "
                f"{SECOND_REVIEWER[0]} / {SECOND_REVIEWER[1]}"
            )
        else:
            self.stdout.write("Demo history: already there.")
