from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import Document
from documents.status import DocumentStatus, DocumentType

MASKED_FIELDS = frozenset({"nik", "npwp"})


def mask_number(value: str | None) -> str | None:
    """``************1234``: only the last four digits of a NIK or NPWP are shown in lists."""
    if not value:
        return value
    return "*" * max(len(value) - 4, 0) + value[-4:]


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    doc_type = serializers.ChoiceField(choices=DocumentType.choices)

    def to_internal_value(self, data: Any) -> Any:
        # Accept "ktp" as well as "KTP".
        if hasattr(data, "get") and isinstance(data.get("doc_type"), str):
            data = data.copy()
            data["doc_type"] = data["doc_type"].upper()
        return super().to_internal_value(data)


class VerificationSummarySerializer(serializers.Serializer):
    score = serializers.IntegerField()
    decision = serializers.CharField()
    reason_codes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class DocumentSerializer(serializers.ModelSerializer):
    verification = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = (
            "id",
            "doc_type",
            "status",
            "content_type",
            "size_bytes",
            "sha256",
            "image_width",
            "image_height",
            "attempts",
            "last_error_code",
            "created_at",
            "updated_at",
            "verification",
            "links",
        )
        read_only_fields = fields

    full_fields = False

    def _result(self, document: Document) -> Any:
        cached = getattr(document, "latest_results", None)
        if cached is not None:
            return cached[0] if cached else None
        return document.verification_results.order_by("-created_at").first()

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_verification(self, document: Document) -> dict[str, Any] | None:
        result = self._result(document)
        if result is None:
            return None
        fields = {
            name: {
                "value": (
                    field.get("value")
                    if self.full_fields or name not in MASKED_FIELDS
                    else mask_number(field.get("value"))
                ),
                "confidence": field.get("confidence"),
            }
            for name, field in (result.fields or {}).items()
        }
        body: dict[str, Any] = {
            "score": result.score,
            "decision": result.decision,
            "reason_codes": result.reason_codes,
            "detected_type": result.detected_type,
            "fields": fields,
            "created_at": result.created_at,
        }
        if self.full_fields:
            body["checks"] = result.checks
            body["score_breakdown"] = result.score_breakdown
            body["thresholds"] = {
                "auto_approve": result.threshold_auto_approve,
                "auto_reject": result.threshold_auto_reject,
            }
            body["quality"] = result.quality
        return body

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_links(self, document: Document) -> dict[str, str]:
        return {
            "self": reverse("document-detail", args=[document.pk]),
            "file": reverse("document-file", args=[document.pk]),
        }


class DocumentDetailSerializer(DocumentSerializer):
    full_fields = True


class DocumentFilterSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=DocumentType.choices, required=False)
    status = serializers.ChoiceField(choices=DocumentStatus.choices, required=False)
