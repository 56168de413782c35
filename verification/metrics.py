"""Prometheus metrics of verification decisions."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

DECISIONS = Counter(
    "filot_verification_decisions_total",
    "Documents decided by the verification step, by decision and document type.",
    ["decision", "doc_type"],
)
SCORES = Histogram(
    "filot_verification_score",
    "Verification scores (0-100).",
    ["doc_type"],
    buckets=(10, 20, 35, 50, 60, 70, 80, 85, 90, 95, 100),
)


PIPELINE_SECONDS = Histogram(
    "filot_pipeline_seconds",
    "From upload (or reprocess) to the automatic decision, by document type.",
    ["doc_type"],
    buckets=(1, 2, 5, 10, 20, 30, 45, 60, 90, 120, 300, 600, 1800, 3600),
)


def observe_decision(*, decision: str, score: int, doc_type: str, seconds: float) -> None:
    DECISIONS.labels(decision=decision, doc_type=doc_type).inc()
    SCORES.labels(doc_type=doc_type).observe(score)
    PIPELINE_SECONDS.labels(doc_type=doc_type).observe(max(seconds, 0.0))
