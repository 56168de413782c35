"""Options the decision-quality commands share."""

from __future__ import annotations

from datetime import datetime, time

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date


def since_option(value: str) -> datetime:
    """``--since YYYY-MM-DD``: the start of that day, local time."""
    day = parse_date(value)
    if day is None:
        raise CommandError(f"--since {value!r} is not a date (YYYY-MM-DD)")
    return timezone.make_aware(datetime.combine(day, time.min))
