"""One immutable verification result per processing run (table ``verification_results``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.db.models import Q

from documents.models import Document
from documents.status import Outcome
from filot.fields import EncryptedJSONField, EncryptedTextField

__all__ = ["IdentityFingerprint", "ImmutableRowError", "Outcome", "VerificationResult"]


class ImmutableRowError(Exception):
    pass


def identity_suffix(fields: Any) -> str:
    """The last four digits of the NIK read (else of the NPWP): all a masked number shows."""
    if not isinstance(fields, dict):
        return ""
    for name in ("nik", "npwp"):
        field = fields.get(name)
        value = field.get("value") if isinstance(field, dict) else None
        digits = "".join(ch for ch in str(value or "") if ch.isdigit())
        if len(digits) >= 4:
            return digits[-4:]
    return ""


class VerificationResult(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="verification_results"
    )
    attempt = models.PositiveSmallIntegerField()
    engine = models.CharField(max_length=32)
    preprocessing_backend = models.CharField(max_length=16)
    detected_type = models.CharField(max_length=16)
    # The text, word boxes and fields read from the card are personal data: encrypted at rest.
    ocr_text = EncryptedTextField(blank=True, default="")
    ocr_words = EncryptedJSONField(default=list)
    fields = EncryptedJSONField(default=dict)
    # The last four digits of the NIK (or NPWP): what a masked number shows, and the queue's
    # search key, since the encrypted fields cannot be searched.
    identity_suffix = models.CharField(max_length=4, blank=True, default="", db_index=True)
    checks = models.JSONField(default=list)
    quality = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    score_breakdown = models.JSONField(default=dict)
    decision = models.CharField(max_length=16, choices=Outcome.choices)
    reason_codes = models.JSONField(default=list)
    threshold_auto_approve = models.PositiveSmallIntegerField()
    threshold_auto_reject = models.PositiveSmallIntegerField()
    durations_ms = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "verification_results"
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["document", "attempt"], name="verification_results_document_attempt_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=100), name="verification_results_score_range"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Outcome.values), name="verification_results_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(threshold_auto_reject__lt=models.F("threshold_auto_approve")),
                name="verification_results_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Result {self.attempt} of {self.document_id}: {self.decision} ({self.score})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Results are evidence for a decision: written once, never edited in place.
        if not self._state.adding:
            raise ImmutableRowError("verification results are immutable")
        if not self.identity_suffix:
            self.identity_suffix = identity_suffix(self.fields)
        super().save(*args, **kwargs)


class IdentityFingerprint(models.Model):
    """A keyed hash of an identity number (NIK or NPWP) read from a document.

    Duplicate detection looks these up by an index instead of scanning the JSON of every
    result, and the table holds no readable number: the digest is an HMAC keyed from the
    service's secret, so it cannot be reversed by enumerating the NIK space.
    """

    id = models.BigAutoField(primary_key=True)
    result = models.ForeignKey(
        VerificationResult, on_delete=models.CASCADE, related_name="fingerprints"
    )
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="fingerprints")
    owner_id = models.UUIDField(db_index=True)
    digest = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "identity_fingerprints"
        constraints = [
            models.UniqueConstraint(
                fields=["result", "digest"], name="identity_fingerprints_result_digest_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Fingerprint of {self.document_id}"
