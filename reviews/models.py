"""Manual reviews (table ``manual_reviews``): at most one open review per document."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from documents.models import Document


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    CANCELLED = "cancelled", "Cancelled"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ReviewSource(models.TextChoices):
    CONSOLE = "console", "Console"
    PARTNER = "partner", "Partner (BULI2)"


class ManualReview(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reviews")
    verification_result = models.ForeignKey(
        "verification.VerificationResult",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reviews",
    )
    claim_expires_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(
        max_length=16, choices=ReviewDecision.choices, null=True, blank=True, default=None
    )
    reason_code = models.CharField(max_length=64, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    corrected_fields = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=16, choices=ReviewSource.choices, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_reviews",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    partner_task_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "manual_reviews"
        ordering = ("created_at",)
        indexes = [models.Index(fields=["state", "created_at"], name="manual_reviews_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(state="open"),
                name="manual_reviews_one_open_per_document",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values), name="manual_reviews_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | Q(decision__in=ReviewDecision.values),
                name="manual_reviews_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True) | Q(source__in=ReviewSource.values),
                name="manual_reviews_source_valid",
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="decided", decision__isnull=False, decided_at__isnull=False)
                    | (~Q(state="decided") & Q(decision__isnull=True))
                ),
                name="manual_reviews_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(assignee__isnull=True) | Q(claim_expires_at__isnull=False),
                name="manual_reviews_claim_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.document_id} ({self.state})"
