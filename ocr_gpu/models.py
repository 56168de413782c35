"""OCR output of one processing attempt (table ``ocr_runs``), kept so verification can be
retried without reading the image again."""

from __future__ import annotations

import uuid

from django.db import models

from documents.models import Document
from filot.fields import EncryptedJSONField


class OcrRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="ocr_runs")
    attempt = models.PositiveSmallIntegerField()
    backend = models.CharField(max_length=16)
    engine = models.CharField(max_length=32)
    result = EncryptedJSONField()  # the text and words read: personal data, encrypted at rest
    duration_ms = models.PositiveIntegerField()
    # Storage key of the canonical card this attempt read (the image its word boxes are
    # measured on); empty for older rows, when storing it failed, and after erasure.
    card_key = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "ocr_runs"
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["document", "attempt"], name="ocr_runs_document_attempt_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"OCR run {self.attempt} of {self.document_id}"
