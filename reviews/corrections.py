"""Accuracy in production, from reviewers' corrections.

For every field of a card type: the share of reviewed documents whose value a reviewer
corrected, by OCR engine and image-quality level, over time. A reviewed document is a case
decided in the console (a decision case or a blind QA case; second reviews would count a
document twice, and partner decisions carry no corrections). The quality level comes from the
result's reason codes, which are small enough to read for every document:

- ``poor``: a finding a new photo would fix (no card outline, blur, glare, too small, text
  unreadable), whether the check warned or failed;
- ``fair``: a grayscale copy or low OCR confidence;
- ``good``: neither.

``state_metrics`` exports the rates of the last 24 hours and of the 7 days before them at
scrape time (``filot.metrics.register_state``); an alert fires when a field's rate doubles
against that baseline (``deploy/prometheus/alerts.yml``: an engine or card-design drift).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from documents.status import DocumentType
from filot.stats import Proportion, wilson
from reviews.models import FieldCorrection, ManualReview, ReviewPurpose, ReviewSource, ReviewState
from verification.parsing import ktp, npwp

CARD_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentType.KTP: tuple(ktp.FIELD_NAMES),
    DocumentType.NPWP: tuple(npwp.FIELD_NAMES),
}
POOR_REASONS = frozenset(
    {"card_not_found", "image_blurry", "image_glare", "image_too_small", "text_unreadable"}
)
FAIR_REASONS = frozenset({"image_grayscale", "low_confidence"})
LEVELS = ("good", "fair", "poor")
RECENT = timedelta(hours=24)
BASELINE = timedelta(days=7)


def quality_level(reason_codes: Any) -> str:
    codes = set(reason_codes or [])
    if codes & POOR_REASONS:
        return "poor"
    if codes & FAIR_REASONS:
        return "fair"
    return "good"


@dataclass(frozen=True)
class Reviewed:
    """One document a reviewer decided in the console, and the fields they corrected."""

    review_id: Any
    decided_at: datetime
    doc_type: str
    engine: str
    quality: str
    corrected: frozenset[str] = field(default_factory=frozenset)


def reviewed_documents(
    *, since: datetime, until: datetime | None = None, doc_type: str | None = None
) -> list[Reviewed]:
    """Documents reviewed in ``[since, until)``: two queries, no encrypted column read."""
    reviews = ManualReview.objects.filter(
        state=ReviewState.DECIDED,
        source=ReviewSource.CONSOLE,
        purpose__in=[ReviewPurpose.DECISION, ReviewPurpose.QA],
        decided_at__gte=since,
    )
    if until is not None:
        reviews = reviews.filter(decided_at__lt=until)
    if doc_type:
        reviews = reviews.filter(document__doc_type=doc_type)
    corrected: dict[Any, set[str]] = defaultdict(set)
    for review_id, name in FieldCorrection.objects.filter(review__in=reviews).values_list(
        "review_id", "field"
    ):
        corrected[review_id].add(name)
    rows = reviews.values_list(
        "pk",
        "decided_at",
        "document__doc_type",
        "verification_result__engine",
        "verification_result__reason_codes",
    )
    return [
        Reviewed(
            review_id=pk,
            decided_at=decided_at,
            doc_type=kind,
            engine=engine or "unknown",
            quality=quality_level(reasons),
            corrected=frozenset(corrected.get(pk, ())),
        )
        for pk, decided_at, kind, engine, reasons in rows.iterator(chunk_size=5000)
        if decided_at is not None  # always set on a decided case (a constraint)
    ]


@dataclass
class FieldRate:
    doc_type: str
    field: str
    engine: str  # "all" when summed over engines
    quality: str  # "all" when summed over levels
    rate: Proportion


def field_rates(rows: list[Reviewed], *, by_engine: bool, by_quality: bool) -> list[FieldRate]:
    """The correction rate of every field of each card type, grouped as asked. A group with
    no reviewed document has no row."""
    groups: dict[tuple[str, str, str], list[Reviewed]] = defaultdict(list)
    for row in rows:
        key = (
            row.doc_type,
            row.engine if by_engine else "all",
            row.quality if by_quality else "all",
        )
        groups[key].append(row)
    rates: list[FieldRate] = []
    for (doc_type, engine, quality), members in sorted(groups.items()):
        counts = Counter(name for row in members for name in row.corrected)
        names = list(CARD_FIELDS.get(doc_type, ()))
        names += sorted(name for name in counts if name not in names)
        rates.extend(
            FieldRate(doc_type, name, engine, quality, wilson(counts[name], len(members)))
            for name in names
        )
    return rates


def weekly_rates(rows: list[Reviewed], *, weeks: int, today: date) -> dict[str, Any]:
    """Per card type and field, the correction rate of each of the last ``weeks`` weeks (ending
    ``today``): ``{"weeks": [monday, ...], "series": {(doc_type, field): [rate|None, ...]},
    "reviewed": {doc_type: [n, ...]}}``. Fields never corrected are left out of ``series``."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    mondays = [start + timedelta(weeks=i) for i in range(weeks)]
    reviewed: dict[str, list[int]] = {kind: [0] * weeks for kind in CARD_FIELDS}
    corrected: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * weeks)
    for row in rows:
        index = (timezone.localtime(row.decided_at).date() - start).days // 7
        if not 0 <= index < weeks:
            continue
        reviewed.setdefault(row.doc_type, [0] * weeks)[index] += 1
        for name in row.corrected:
            corrected[(row.doc_type, name)][index] += 1
    series = {
        key: [round(k / n, 4) if (n := reviewed[key[0]][i]) else None for i, k in enumerate(counts)]
        for key, counts in sorted(corrected.items())
    }
    return {"weeks": mondays, "series": series, "reviewed": reviewed}


def state_metrics(now: datetime | None = None) -> Iterator[Metric]:
    """Correction rates read at scrape time: ``window="last_24h"`` and ``window="previous_7d"``
    (the seven days before those 24 hours, the baseline the alert compares with)."""
    now = now or timezone.now()
    windows = {
        "last_24h": (now - RECENT, now),
        "previous_7d": (now - RECENT - BASELINE, now - RECENT),
    }
    rows = reviewed_documents(since=now - RECENT - BASELINE, until=now)
    reviewed = GaugeMetricFamily(
        "filot_reviewed_documents",
        "Documents decided in the console in the window (decision and blind QA cases).",
        labels=["doc_type", "engine", "quality", "window"],
    )
    rate = GaugeMetricFamily(
        "filot_field_correction_rate",
        "Share of the window's reviewed documents whose field a reviewer corrected.",
        labels=["doc_type", "field", "engine", "quality", "window"],
    )
    for window, (start, end) in windows.items():
        members = [row for row in rows if start <= row.decided_at < end]
        counted: set[tuple[str, str, str]] = set()
        for item in field_rates(members, by_engine=True, by_quality=True):
            group = (item.doc_type, item.engine, item.quality)
            if group not in counted:
                counted.add(group)
                reviewed.add_metric([*group, window], item.rate.n)
            rate.add_metric(
                [item.doc_type, item.field, item.engine, item.quality, window],
                item.rate.rate or 0.0,
            )
    yield reviewed
    yield rate
