from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reviews.partner import breaker


class Command(BaseCommand):
    help = "Close the BULI2 circuit breaker shared by all workers and clear its failure count."

    def handle(self, *args: Any, **options: Any) -> None:
        before = breaker.state()
        breaker.reset()
        self.stdout.write(f"breaker was {before}, now {breaker.state()}")
