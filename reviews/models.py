"""Manual reviews (table ``manual_reviews``): at most one open review per document."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from documents.models import Document
from filot.fields import EncryptedJSONField, EncryptedTextField


class ReviewState(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    CANCELLED = "cancelled", "Cancelled"


class ReviewDecision(models.TextChoices):
    """What a reviewer decided. A resubmission request rejects the document with a reason the
    user can fix (a retryable one), so they upload again."""

    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RESUBMISSION = "resubmission", "Resubmission requested"


class ReviewPurpose(models.TextChoices):
    """Why a case exists. Only a ``decision`` case decides its document; the other two measure
    decision quality and are blind (the reviewer does not see the decision they check)."""

    DECISION = "decision", "Decision"
    QA = "qa", "Blind QA of an automatic decision"
    SECOND = "second", "Blind second review"


class ReviewSource(models.TextChoices):
    CONSOLE = "console", "Console"
    PARTNER = "partner", "Partner (BULI2)"


def live_claim(now: datetime) -> Q:
    """A reviewer holds the case: it has an assignee whose lease has not run out at ``now``.

    The one statement of the rule; ``ManualReview.claim_is_live`` says the same of one row.
    """
    return Q(assignee__isnull=False, claim_expires_at__gt=now)


class ManualReviewQuerySet(models.QuerySet["ManualReview"]):
    def claimed(self, now: datetime) -> ManualReviewQuerySet:
        """Cases a reviewer holds now."""
        return self.filter(live_claim(now))

    def claimable(self, now: datetime) -> ManualReviewQuerySet:
        """Cases nobody holds now: never claimed, released, or the lease ran out."""
        return self.filter(~live_claim(now))

    def held_by(self, reviewer: Any, now: datetime) -> ManualReviewQuerySet:
        return self.claimed(now).filter(assignee=reviewer)


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
    notes = EncryptedTextField(blank=True, default="")
    corrected_fields = EncryptedJSONField(default=dict, blank=True)
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
    purpose = models.CharField(
        max_length=16, choices=ReviewPurpose.choices, default=ReviewPurpose.DECISION
    )
    # A second review repeats this (decided) review, blind to its outcome.
    checked_review = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="second_review",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ManualReviewQuerySet.as_manager()

    class Meta:
        db_table = "manual_reviews"
        ordering = ("created_at",)
        permissions = [("work_manualreview", "Can claim, release and decide reviews")]
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
            models.CheckConstraint(
                condition=Q(purpose__in=ReviewPurpose.values), name="manual_reviews_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(purpose="second", checked_review__isnull=False)
                | (~Q(purpose="second") & Q(checked_review__isnull=True)),
                name="manual_reviews_second_checks_a_review",
            ),
            # One blind QA case per automatic decision, however often the sampler runs.
            models.UniqueConstraint(
                fields=["verification_result"],
                condition=Q(purpose="qa"),
                name="manual_reviews_one_qa_per_result",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.document_id} ({self.state})"

    def claim_is_live(self, now: datetime) -> bool:
        """``live_claim`` for this row: an assignee whose lease has not run out."""
        return (
            self.assignee_id is not None
            and self.claim_expires_at is not None
            and self.claim_expires_at > now
        )

    def held_by(self, user: Any, now: datetime) -> bool:
        return self.assignee_id == user.pk and self.claim_is_live(now)

    def held_by_other_than(self, user: Any, now: datetime) -> bool:
        return self.assignee_id != user.pk and self.claim_is_live(now)


class FieldCorrection(models.Model):
    """A reviewer's correction of one extracted field: old -> new, who and when.

    Append-only. Reprocessing writes a new verification result and never touches these rows,
    and the decided review keeps the merged corrections in ``corrected_fields``.
    """

    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(ManualReview, on_delete=models.CASCADE, related_name="corrections")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=64)
    old_value = EncryptedTextField(blank=True, default="")
    new_value = EncryptedTextField(blank=True, default="")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "review_field_corrections"
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"Correction of {self.field} on {self.document_id}"


class StaffAccess(models.TextChoices):
    VIEW_CASE = "view_case", "Viewed case"
    VIEW_IMAGE = "view_image", "Viewed image"
    VIEW_IMAGE_FULL = "view_image_full", "Viewed full-size image"
    VIEW_CARD = "view_card", "Viewed canonical card"


class StaffAccessLog(models.Model):
    """Every staff view of a document's personal data: who, what, when.

    The document is kept as a plain id (no foreign key) so the log outlives the document.
    """

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_email = models.CharField(max_length=254)
    document_id = models.UUIDField(db_index=True)
    review_id = models.UUIDField(null=True, blank=True)
    action = models.CharField(max_length=32, choices=StaffAccess.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "staff_access_log"
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.user_email} {self.action} {self.document_id}"


class ReviewEventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    CLAIMED = "claimed", "Claimed"
    EXPIRED = "expired", "Claim expired"
    RELEASED = "released", "Released"
    REASSIGNED = "reassigned", "Reassigned"
    DECIDED = "decided", "Decided"
    CANCELLED = "cancelled", "Cancelled"


class ReviewEvent(models.Model):
    """Append-only history of a review: opened, claimed, lease expired, released, reassigned,
    decided or cancelled (by a newer verification of the document)."""

    id = models.BigAutoField(primary_key=True)
    review = models.ForeignKey(ManualReview, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=ReviewEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=64)
    detail = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "review_events"
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} {self.review_id}"


class ReviewerSettings(models.Model):
    """A reviewer's console preferences (a row only once one was changed)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="review_settings",
    )
    # After a decision, claim and open the next case instead of staying on the decided one.
    decide_and_next = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "reviewer_settings"

    def __str__(self) -> str:
        return f"Console settings of {self.user_id}"
