"""Document state read at scrape time (``filot.metrics.register_state``): documents by status
and type, and the oldest one still waiting for a worker."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from documents.models import Document
from documents.status import DocumentStatus


def state_metrics() -> Iterator[Metric]:
    now = timezone.now()
    documents = GaugeMetricFamily(
        "filot_documents", "Documents by status and type.", labels=["status", "doc_type"]
    )
    rows = (
        Document.objects.filter(erased_at__isnull=True)
        .values("status", "doc_type")
        .annotate(n=Count("id"))
    )
    for row in rows:
        documents.add_metric([row["status"], row["doc_type"]], row["n"])
    yield documents

    waiting = GaugeMetricFamily(
        "filot_documents_oldest_waiting_seconds",
        "Age of the oldest document still queued or processing (0 when none).",
        labels=["status"],
    )
    for status in (DocumentStatus.QUEUED, DocumentStatus.PROCESSING):
        oldest = Document.objects.filter(status=status, erased_at__isnull=True).aggregate(
            oldest=Min("status_changed_at")
        )["oldest"]
        waiting.add_metric([status], (now - oldest).total_seconds() if oldest else 0.0)
    yield waiting
