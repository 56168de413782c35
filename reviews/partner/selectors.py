"""Reads of the partner outbox."""

from __future__ import annotations

from django.db.models import Count

from reviews.partner.models import OutboxEvent, OutboxStatus


def outbox_backlog() -> dict[str, int]:
    """Row counts by status (every status present, zero when none)."""
    counts = dict.fromkeys(OutboxStatus.values, 0)
    for row in OutboxEvent.objects.values("status").annotate(n=Count("id")).order_by():
        counts[row["status"]] = row["n"]
    return counts
