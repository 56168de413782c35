"""Review state read at scrape time (``filot.metrics.register_state``): open cases, those a
reviewer holds, and those past the SLA."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from reviews.models import ManualReview, ReviewState, live_claim


def state_metrics() -> Iterator[Metric]:
    now = timezone.now()
    sla = timedelta(seconds=settings.REVIEW_SLA_SECONDS)
    counts = ManualReview.objects.filter(state=ReviewState.OPEN).aggregate(
        open=Count("id"),
        claimed=Count("id", filter=live_claim(now)),
        overdue=Count("id", filter=Q(created_at__lt=now - sla)),
    )
    reviews = GaugeMetricFamily(
        "filot_reviews", "Open manual reviews: all, claimed, past the SLA.", labels=["state"]
    )
    for state in ("open", "claimed", "overdue"):
        reviews.add_metric([state], counts[state])
    yield reviews
