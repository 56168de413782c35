"""Documents (table ``documents``) and their status history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from documents.status import DocumentStatus, DocumentType


def _choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="documents"
    )
    doc_type = models.CharField(max_length=8, choices=DocumentType.choices)
    storage_key = models.CharField(max_length=255, blank=True, default="")
    content_type = models.CharField(max_length=64)
    size_bytes = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    image_phash = models.CharField(max_length=64, blank=True, default="", db_index=True)
    image_width = models.PositiveIntegerField()
    image_height = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # Every OCR attempt ever made, across reprocessing: the key of ocr_runs and
    # verification_results. ``attempts`` counts this round only and restarts on reprocess.
    attempt_seq = models.PositiveIntegerField(default=0)
    last_error_code = models.CharField(max_length=64, blank=True, default="")
    idempotency_key = models.CharField(max_length=255, null=True, blank=True, default=None)
    erased_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "documents"
        ordering = ("-created_at",)
        indexes = [
            models.Index(
                fields=["owner", "doc_type", "-created_at"], name="documents_owner_type_idx"
            ),
            models.Index(fields=["status", "status_changed_at"], name="documents_status_idx"),
        ]
        constraints = [
            _choices_check("doc_type", DocumentType, "documents_doc_type_valid"),
            _choices_check("status", DocumentStatus, "documents_status_valid"),
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="documents_owner_idempotency_key_unique",
            ),
            models.CheckConstraint(condition=Q(size_bytes__gt=0), name="documents_size_positive"),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=False) | ~Q(storage_key=""),
                name="documents_stored_unless_erased",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.id}"

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}[
            self.content_type
        ]


class DocumentTransition(models.Model):
    """Append-only record of every status change: who, when, from, to, why."""

    id = models.BigAutoField(primary_key=True)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16, choices=DocumentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=64)
    reason = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "document_transitions"
        ordering = ("created_at", "id")
        constraints = [
            _choices_check("to_status", DocumentStatus, "document_transitions_to_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} -> {self.to_status}"
