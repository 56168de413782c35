"""The document status machine.

``queued -> processing -> {auto_approved | auto_rejected | in_review | failed}``,
``in_review -> {approved | rejected}``, ``failed -> queued`` (reprocess). Staff may also send a
decided document back to ``queued`` for reprocessing, and ``processing -> queued`` is the
recovery of a job whose worker vanished. Everything else is illegal.
"""

from __future__ import annotations

from django.db import models


class Outcome(models.TextChoices):
    """The three decisions of the automatic verification (``verification.scoring.decide``),
    stored on each result; each is also the status the document moves to."""

    AUTO_APPROVED = "auto_approved", "Auto-approved"
    AUTO_REJECTED = "auto_rejected", "Auto-rejected"
    IN_REVIEW = "in_review", "Manual review"

    @property
    def status(self) -> DocumentStatus:
        return DocumentStatus(self.value)


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    PROCESSING = "processing", "Processing"
    AUTO_APPROVED = Outcome.AUTO_APPROVED.value, "Auto-approved"
    AUTO_REJECTED = Outcome.AUTO_REJECTED.value, "Auto-rejected"
    IN_REVIEW = Outcome.IN_REVIEW.value, "In review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    FAILED = "failed", "Failed"


S = DocumentStatus

TRANSITIONS: dict[str, frozenset[str]] = {
    S.QUEUED: frozenset({S.PROCESSING, S.FAILED}),
    S.PROCESSING: frozenset({S.AUTO_APPROVED, S.AUTO_REJECTED, S.IN_REVIEW, S.FAILED, S.QUEUED}),
    S.AUTO_APPROVED: frozenset({S.QUEUED}),
    S.AUTO_REJECTED: frozenset({S.QUEUED}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.REJECTED, S.QUEUED}),
    S.APPROVED: frozenset({S.QUEUED}),
    S.REJECTED: frozenset({S.QUEUED}),
    S.FAILED: frozenset({S.QUEUED}),
}

# Moves back to ``queued`` from a decided state are reprocessing, which only staff may ask for.
STAFF_ONLY_TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    (source, S.QUEUED)
    for source in (S.AUTO_APPROVED, S.AUTO_REJECTED, S.IN_REVIEW, S.APPROVED, S.REJECTED)
)

FINAL_STATUSES = frozenset({S.AUTO_APPROVED, S.AUTO_REJECTED, S.APPROVED, S.REJECTED})
ACTIVE_STATUSES = frozenset({S.QUEUED, S.PROCESSING})


def is_allowed(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


class DocumentType(models.TextChoices):
    KTP = "KTP", "KTP"
    NPWP = "NPWP", "NPWP"


class KycStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Unverified"
    PENDING = "pending", "Pending"
    IN_REVIEW = "in_review", "In review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
