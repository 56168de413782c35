"""Decisions as CSV for analysts: one row per verification result.

Ids, card type, scores, every check's verdict, the machine's and the person's outcome and
reasons, and times. No personal data: the identity number is its last four digits behind
asterisks (read from the stored suffix; nothing encrypted is decrypted), and there are no
names, e-mail addresses, field values or reviewers' notes. Every value is a code, a number, an
id or a time, so nothing can be read as a spreadsheet formula.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from reviews.corrections import quality_level
from reviews.models import FieldCorrection, ManualReview, ReviewPurpose, ReviewState
from verification.models import VerificationResult

COLUMNS = (
    "result_id",
    "document_id",
    "attempt",
    "doc_type",
    "uploaded_at",
    "decided_at",
    "engine",
    "quality_level",
    "identity_masked",
    "score",
    "raw_score",
    "caps",
    "rule",
    "threshold_approve",
    "threshold_reject",
    "machine_decision",
    "machine_reasons",
    "checks",
    "review_id",
    "review_kind",
    "human_decision",
    "human_reason",
    "human_source",
    "reviewed_at",
    "corrected_fields",
    "document_status",
)


def masked(suffix: str) -> str:
    return "*" * 12 + suffix if suffix else ""


def _time(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _reviews(results: Any) -> dict[Any, dict[str, Any]]:
    """result id -> its decided human review (a decision case, else a blind QA case)."""
    reviews = ManualReview.objects.filter(
        verification_result__in=results,
        state=ReviewState.DECIDED,
        purpose__in=[ReviewPurpose.DECISION, ReviewPurpose.QA],
    )
    by_result: dict[Any, dict[str, Any]] = {}
    for review in reviews.order_by("decided_at").values(
        "pk",
        "verification_result_id",
        "purpose",
        "decision",
        "reason_code",
        "source",
        "decided_at",
    ):
        held = by_result.get(review["verification_result_id"])
        if held is None or review["purpose"] == ReviewPurpose.DECISION:
            by_result[review["verification_result_id"]] = dict(review)
    corrected: dict[Any, set[str]] = defaultdict(set)
    ids = [r["pk"] for r in by_result.values()]
    for review_id, name in FieldCorrection.objects.filter(review_id__in=ids).values_list(
        "review_id", "field"
    ):
        corrected[review_id].add(name)
    for row in by_result.values():
        row["corrected"] = sorted(corrected.get(row["pk"], ()))
    return by_result


def decision_rows(
    *,
    since: datetime | None = None,
    doc_type: str | None = None,
    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None,
) -> Iterator[list[str]]:
    """The header, then one row per result decided since ``since`` (of one type), oldest
    first."""
    results = VerificationResult.objects.all()
    if since is not None:
        results = results.filter(created_at__gte=since)
    if doc_type:
        results = results.filter(document__doc_type=doc_type)
    reviews = _reviews(results)
    yield list(COLUMNS)
    rows: Iterable[Any] = (
        results.order_by("created_at", "pk")
        .values_list(
            "pk",
            "document_id",
            "attempt",
            "document__doc_type",
            "document__created_at",
            "created_at",
            "engine",
            "identity_suffix",
            "score",
            "score_breakdown",
            "threshold_auto_approve",
            "threshold_auto_reject",
            "decision",
            "reason_codes",
            "checks",
            "document__status",
        )
        .iterator(chunk_size=2000)
    )
    if progress is not None:
        rows = progress(rows, results.count())
    for row in rows:
        (pk, document_id, attempt, kind, uploaded, decided, engine, suffix, score) = row[:9]
        breakdown, approve_at, reject_at, decision, reasons, checks, status = row[9:]
        breakdown = breakdown or {}
        review = reviews.get(pk) or {}
        yield [
            str(pk),
            str(document_id),
            str(attempt),
            kind,
            _time(uploaded),
            _time(decided),
            engine,
            quality_level(reasons),
            masked(suffix),
            str(score),
            str(breakdown.get("raw_score", "")),
            "|".join(str(cap.get("name", "")) for cap in breakdown.get("caps") or []),
            str(breakdown.get("rule", "")),
            str(approve_at),
            str(reject_at),
            decision,
            "|".join(reasons or []),
            "|".join(f"{c.get('code')}={c.get('status')}" for c in checks or []),
            str(review.get("pk", "")),
            str(review.get("purpose", "")),
            str(review.get("decision", "")),
            str(review.get("reason_code", "")),
            str(review.get("source") or ""),
            _time(review.get("decided_at")),
            "|".join(review.get("corrected", [])),
            status,
        ]


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming CSV)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
