"""The partner outbox (table ``partner_outbox``) and the inbound event log
(table ``partner_inbound_events``).

Outbox status machine::

    pending -> delivered            a 2xx answer
    pending -> failed               a 4xx other than 408/429, or a redirect: not retried
    pending -> dead                 retryable failures until ``give_up_at``
    failed|dead -> pending          replay (admin action or ``manage.py replay_partner_events``)

Rows are never deleted by delivery: exhausted rows stay visible and can be replayed.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q

from filot.fields import EncryptedJSONField


class EventType(models.TextChoices):
    REVIEW_ESCALATED = "review.escalated", "Review escalated"
    DOCUMENT_DECIDED = "document.decided", "Document decided"
    REVIEW_CANCELLED = "review.cancelled", "Review cancelled"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (not retried)"
    DEAD = "dead", "Dead (retries exhausted)"


class OutboxEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    # Plain ids, not foreign keys: an outbox row outlives what it describes.
    review_id = models.UUIDField(null=True, blank=True, db_index=True)
    document_id = models.UUIDField(null=True, blank=True, db_index=True)
    payload = EncryptedJSONField()  # carries the extracted fields: encrypted at rest
    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    give_up_at = models.DateTimeField()
    # A dispatched or in-flight delivery holds the row until ``locked_until``; only the holder
    # of ``claim_token`` may record its outcome.
    locked_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=255, blank=True, default="")
    partner_reference = models.CharField(max_length=255, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "partner_outbox"
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="partner_outbox_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OutboxStatus.values), name="partner_outbox_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(event_type__in=EventType.values),
                name="partner_outbox_event_type_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(delivered_at__isnull=False),
                name="partner_outbox_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} ({self.status})"


class InboundOutcome(models.TextChoices):
    APPLIED = "applied", "Applied"
    CONFLICT = "conflict", "Conflict (already decided)"
    NOT_FOUND = "not_found", "Unknown review"


class InboundEvent(models.Model):
    """A callback BULI2 sent, by its ``webhook-id``: a redelivery changes nothing."""

    id = models.BigAutoField(primary_key=True)
    webhook_id = models.CharField(max_length=255, unique=True)
    event_type = models.CharField(max_length=64)
    review_id = models.UUIDField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=InboundOutcome.choices)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "partner_inbound_events"
        ordering = ("-received_at",)

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_id} ({self.outcome})"
