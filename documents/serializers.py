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


class CaseInsensitiveChoiceField(serializers.ChoiceField):
    """Accepts "ktp" as well as "KTP"."""

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


class DocumentUploadSerializer(serializers.Serializer):
    # The request data is never copied: an upload over FILE_UPLOAD_MAX_MEMORY_SIZE is an open
    # temporary file, which cannot be deep-copied (that was a 500 for every camera photo).
    file = serializers.FileField(allow_empty_file=True, use_url=False)
    doc_type = CaseInsensitiveChoiceField(choices=DocumentType.choices)


# Why processing stopped, for a document in ``failed``: (retryable by a new upload, message).
PROCESSING_ERRORS: dict[str, tuple[bool, str]] = {
    "image_unreadable": (True, "The file could not be read as an image; please upload it again."),
    "image_empty": (True, "The file is empty; please upload it again."),
    "image_too_large": (True, "The image is too large to process; please upload a smaller one."),
    "pdf_unreadable": (True, "The PDF could not be opened; please upload an image instead."),
    "pdf_empty": (True, "The PDF has no pages; please upload the card again."),
    "file_missing": (True, "The stored file is missing; please upload it again."),
    "ocr_timeout": (False, "Reading the card took too long; FiLot staff can reprocess it."),
    "ocr_engine_error": (False, "The text reader failed; FiLot staff can reprocess it."),
    "storage_unavailable": (False, "The file store was unreachable; FiLot staff can reprocess it."),
    "internal_error": (False, "Processing failed unexpectedly; FiLot staff can reprocess it."),
    "attempts_exhausted": (False, "Processing failed repeatedly; FiLot staff can reprocess it."),
    "worker_lost": (False, "Processing was interrupted; FiLot staff can reprocess it."),
}


# What a document's owner is never told: whether the identity number or the picture is on
# another user's document. Telling would let anyone learn whether a NIK is registered by
# uploading a card that carries it. The reviewer sees the duplicate in the console; the owner
# sees a neutral "a person checks this" reason and no duplicate check, component or rule.
REVIEWER_ONLY_REASONS = frozenset({"duplicate_identity", "duplicate_image"})
REVIEWER_ONLY_CHECKS = REVIEWER_ONLY_REASONS
REVIEWER_ONLY_COMPONENTS = frozenset({"duplicates"})
REVIEWER_ONLY_CAPS = frozenset({"duplicate"})
MANUAL_REVIEW = "manual_review"
MANUAL_REVIEW_MESSAGE = "A FiLot reviewer checks this document; the outcome will appear here."


def client_reason_codes(codes: list[str]) -> list[str]:
    """``codes`` as the owner sees them: reviewer-only reasons become ``manual_review``."""
    shown: list[str] = []
    for code in codes:
        visible = MANUAL_REVIEW if code in REVIEWER_ONLY_REASONS else code
        if visible not in shown:
            shown.append(visible)
    return shown


def describe_reasons(codes: list[str]) -> list[dict[str, Any]]:
    """Reason codes with whether a new upload can fix them and a sentence for the user."""
    from verification.reasons import REASONS

    described = []
    for code in codes:
        if code == MANUAL_REVIEW:
            described.append({"code": code, "retryable": False, "message": MANUAL_REVIEW_MESSAGE})
            continue
        reason = REASONS.get(code)
        described.append(
            {
                "code": code,
                "retryable": reason.retryable if reason else False,
                "message": reason.message if reason else "",
            }
        )
    return described


class VerificationSummarySerializer(serializers.Serializer):
    score = serializers.IntegerField()
    decision = serializers.CharField()
    reason_codes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class DocumentSerializer(serializers.ModelSerializer):
    verification = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
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
            "error",
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
        reason_codes = client_reason_codes(list(result.reason_codes or []))
        body: dict[str, Any] = {
            "score": result.score,
            "decision": result.decision,
            "reason_codes": reason_codes,
            "reasons": describe_reasons(reason_codes),
            "detected_type": result.detected_type,
            "fields": fields,
            "created_at": result.created_at,
        }
        if self.full_fields:
            body["checks"] = [
                check
                for check in result.checks or []
                if not (isinstance(check, dict) and check.get("code") in REVIEWER_ONLY_CHECKS)
            ]
            body["score_breakdown"] = _client_breakdown(result.score_breakdown or {})
            body["thresholds"] = {
                "auto_approve": result.threshold_auto_approve,
                "auto_reject": result.threshold_auto_reject,
            }
            body["quality"] = result.quality
        return body

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_error(self, document: Document) -> dict[str, Any] | None:
        """Why a ``failed`` document stopped, in words, and whether a new upload helps."""
        if document.status != DocumentStatus.FAILED or not document.last_error_code:
            return None
        retryable, message = PROCESSING_ERRORS.get(
            document.last_error_code, (False, "Processing failed; FiLot staff can reprocess it.")
        )
        return {"code": document.last_error_code, "retryable": retryable, "message": message}

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_links(self, document: Document) -> dict[str, str]:
        return {
            "self": reverse("document-detail", args=[document.pk]),
            "file": reverse("document-file", args=[document.pk]),
        }


def _client_breakdown(breakdown: dict[str, Any]) -> dict[str, Any]:
    """The score breakdown without the duplicates component and cap, and without the decision
    rule (whose name says ``duplicate``)."""
    shown = {key: value for key, value in breakdown.items() if key != "rule"}
    caps = breakdown.get("caps")
    if isinstance(caps, list):
        shown["caps"] = [
            cap
            for cap in caps
            if not (isinstance(cap, dict) and cap.get("name") in REVIEWER_ONLY_CAPS)
        ]
    components = breakdown.get("components")
    if isinstance(components, dict):
        shown["components"] = {
            name: value
            for name, value in components.items()
            if name not in REVIEWER_ONLY_COMPONENTS
        }
    return shown


class DocumentDetailSerializer(DocumentSerializer):
    full_fields = True


class DocumentFilterSerializer(serializers.Serializer):
    """Query filters. An empty value (``?status=``, as a form sends it) means no filter."""

    doc_type = serializers.ChoiceField(
        choices=DocumentType.choices, required=False, allow_blank=True
    )
    status = serializers.ChoiceField(
        choices=DocumentStatus.choices, required=False, allow_blank=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in attrs.items() if value != ""}
