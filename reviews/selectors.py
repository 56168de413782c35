"""Reads for the review console: the queue, its counters and everything one case page shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from documents.models import Document, DocumentTransition
from reviews.models import FieldCorrection, ManualReview, ReviewEvent, ReviewState

# The canonical card every OCR box is measured on (``ocr_gpu.preprocess.CARD_SIZE``); repeated
# here so the web process does not import OpenCV to read two numbers.
CANONICAL_CARD_SIZE = (1012, 638)
# A flat scan is resized straight onto the canonical card, so its boxes map onto the upload
# after scaling, as long as the deskew was small.
MAX_DESKEW_FOR_BOXES = 2.0

SCORE_BANDS: dict[str, tuple[str, int, int]] = {
    "low": ("0-35", 0, 35),
    "mid": ("36-59", 36, 59),
    "high": ("60-84", 60, 84),
    "top": ("85-100", 85, 100),
}


def sla_seconds() -> int:
    return int(getattr(settings, "REVIEW_SLA_SECONDS", 4 * 3600))


def review_queue(*, now: datetime | None = None) -> QuerySet[ManualReview]:
    """Reviews with what the queue shows, in a fixed number of queries however many rows.

    The result's encrypted JSON is not loaded: score, reason codes and the last four digits of
    the NIK are annotations.
    """
    return (
        ManualReview.objects.select_related("document", "assignee")
        .annotate(
            score=F("verification_result__score"),
            reason_codes=F("verification_result__reason_codes"),
            identity_suffix=F("verification_result__identity_suffix"),
        )
        .order_by("created_at")
    )


def live_claim(now: datetime) -> Q:
    return Q(assignee__isnull=False, claim_expires_at__gt=now)


def queue_counts(*, now: datetime | None = None) -> dict[str, Any]:
    """Counters above the queue: two queries."""
    from verification.models import Outcome, VerificationResult

    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    overdue_before = now - timedelta(seconds=sla_seconds())
    is_open = Q(state=ReviewState.OPEN)
    reviews = ManualReview.objects.aggregate(
        open=Count("pk", filter=is_open),
        claimed=Count("pk", filter=is_open & live_claim(now)),
        overdue=Count("pk", filter=is_open & Q(created_at__lt=overdue_before)),
        decided_today=Count("pk", filter=Q(state=ReviewState.DECIDED, decided_at__gte=today)),
    )
    results = VerificationResult.objects.filter(created_at__gte=today).aggregate(
        total=Count("pk"),
        auto_approved=Count("pk", filter=Q(decision=Outcome.AUTO_APPROVED)),
        auto_rejected=Count("pk", filter=Q(decision=Outcome.AUTO_REJECTED)),
    )
    total = results["total"]

    def rate(count: int) -> str:
        return f"{100 * count / total:.0f}%" if total else "-"

    return {
        **reviews,
        "processed_today": total,
        "auto_approve_rate": rate(results["auto_approved"]),
        "auto_reject_rate": rate(results["auto_rejected"]),
    }


def masked_identity(review: Any) -> str:
    """The NIK (or NPWP) of a queue row as ``************1234``; never the full number."""
    suffix = getattr(review, "identity_suffix", None)
    return "*" * 12 + suffix if suffix else "-"


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value.strip())
    except (ValueError, AttributeError):
        return None


# --- one case ------------------------------------------------------------------------------


@dataclass
class FieldView:
    name: str
    value: str
    confidence: float | None
    box: list[float] | None  # x, y, w, h in percent of the served image, or None
    corrected: str | None = None
    corrections: list[FieldCorrection] = field(default_factory=list)


@dataclass
class CaseView:
    review: ManualReview
    document: Document
    result: Any
    fields: list[FieldView]
    boxes_drawn: bool
    boxes_note: str
    shows_card: bool  # the canonical card OCR read is shown (else the original upload)
    checks: list[dict[str, Any]]
    quality: list[tuple[str, Any]]
    duplicates: list[dict[str, Any]]
    other_documents: list[Document]
    attempts: list[Any]
    transitions: list[DocumentTransition]
    reviews: list[ManualReview]
    events: list[ReviewEvent]
    corrections: list[FieldCorrection]


def card_key_for(document: Document, result: Any) -> str:
    """Storage key of the canonical card the shown result was read from; "" when none was
    stored (rows from before cards were kept, a failed write, an erased document)."""
    from ocr_gpu.models import OcrRun

    if result is None or document.erased_at is not None:
        return ""
    key = (
        OcrRun.objects.filter(document=document, attempt=result.attempt)
        .values_list("card_key", flat=True)
        .first()
    )
    return key or ""


def _box_geometry(document: Document, quality: dict[str, Any]) -> tuple[bool, str]:
    """Whether the canonical-card boxes can be drawn over the served (original) image."""
    detection = quality.get("detection") or ""
    rotation = int(quality.get("rotation") or 0)
    deskew = abs(float(quality.get("deskew_angle") or 0.0))
    if detection == "flat" and rotation == 0 and deskew <= MAX_DESKEW_FOR_BOXES:
        return True, (
            "Boxes are drawn over the original upload, scaled from the canonical card "
            f"({CANONICAL_CARD_SIZE[0]}x{CANONICAL_CARD_SIZE[1]})."
        )
    return False, (
        "Word boxes are not drawn: they are measured on the straightened card, and this "
        f"upload was {'found by perspective correction' if detection else 'not flat'}"
        f"{f', turned {rotation}°' if rotation else ''}, so they would not line up with the "
        "original image shown here."
    )


def _percent_box(box: Any, card: tuple[int, int]) -> list[float] | None:
    if not box or len(box) != 4:
        return None
    x, y, w, h = (float(v) for v in box)
    return [
        round(100 * x / card[0], 3),
        round(100 * y / card[1], 3),
        round(100 * w / card[0], 3),
        round(100 * h / card[1], 3),
    ]


def _card_size(quality: dict[str, Any]) -> tuple[int, int]:
    size = quality.get("card_size")
    if isinstance(size, list | tuple) and len(size) == 2 and all(size):
        return int(size[0]), int(size[1])
    return CANONICAL_CARD_SIZE


QUALITY_KEYS = (
    "sharpness",
    "blurry",
    "glare",
    "glare_detected",
    "brightness",
    "contrast",
    "colourfulness",
    "grayscale_suspected",
    "card_found",
    "card_area_share",
    "card_source_width",
    "card_source_height",
    "low_resolution",
    "detection",
    "rotation",
    "deskew_angle",
    "ocr_confidence_median",
    "ocr_word_count",
)


def _duplicates(document: Document, result: Any) -> list[dict[str, Any]]:
    """Other users' documents sharing this result's identity number or this file."""
    from verification.models import IdentityFingerprint

    if result is None:
        return []
    checks = {c.get("code"): c for c in result.checks or []}
    hits: list[dict[str, Any]] = []
    if checks.get("duplicate_identity", {}).get("status") in ("fail", "warn"):
        digests = IdentityFingerprint.objects.filter(result=result).values("digest")
        others = (
            IdentityFingerprint.objects.filter(digest__in=digests)
            .exclude(owner_id=document.owner_id)
            .values_list("document_id", flat=True)
            .distinct()[:20]
        )
        hits.extend({"kind": "identity number", "document_id": other} for other in others)
    if checks.get("duplicate_image", {}).get("status") in ("fail", "warn"):
        same_file = Q(sha256=document.sha256)
        if document.image_phash:
            same_file |= Q(image_phash=document.image_phash)
        same_image = (
            Document.objects.filter(same_file, erased_at__isnull=True)
            .exclude(owner_id=document.owner_id)
            .values_list("pk", flat=True)[:20]
        )
        hits.extend({"kind": "image", "document_id": other} for other in same_image)
    return hits


def case_result(review: ManualReview) -> Any:
    """The verification result a case shows: its own, else the document's latest."""
    from verification.models import VerificationResult

    result = review.verification_result
    if result is None:
        result = (
            VerificationResult.objects.filter(document_id=review.document_id)
            .order_by("-attempt")
            .first()
        )
    return result


def case_view(*, review: ManualReview) -> CaseView:
    from verification.models import VerificationResult

    document = review.document
    result = case_result(review)
    quality = dict(result.quality or {}) if result else {}
    # The canonical card the OCR read, when stored: every box fits it, whatever the photo.
    # Older rows fall back to the original upload, with boxes for flat scans only.
    shows_card = bool(card_key_for(document, result))
    if shows_card:
        boxes_drawn = True
        boxes_note = (
            "Shown: the straightened card the OCR read "
            f"({CANONICAL_CARD_SIZE[0]}x{CANONICAL_CARD_SIZE[1]}), with its word boxes."
        )
    else:
        boxes_drawn, boxes_note = _box_geometry(document, quality)
    card = _card_size(quality)
    corrections = list(FieldCorrection.objects.filter(document=document).select_related("reviewer"))
    by_field: dict[str, list[FieldCorrection]] = {}
    for correction in corrections:
        by_field.setdefault(correction.field, []).append(correction)
    fields = []
    for name, data in (result.fields if result else {}).items():
        data = data or {}
        confidence = data.get("confidence")
        fields.append(
            FieldView(
                name=name,
                value=str(data.get("value") or ""),
                confidence=float(confidence) if confidence is not None else None,
                box=_percent_box(data.get("box"), card) if boxes_drawn else None,
                corrected=review.corrected_fields.get(name),
                corrections=by_field.get(name, []),
            )
        )
    other_documents = list(
        Document.objects.filter(owner_id=document.owner_id)
        .exclude(pk=document.pk)
        .order_by("-created_at")[:20]
    )
    earlier = VerificationResult.objects.filter(document=document)
    if result is not None:
        earlier = earlier.exclude(pk=result.pk)
    attempts = list(
        earlier.only("id", "attempt", "score", "decision", "reason_codes", "created_at").order_by(
            "-attempt"
        )
    )
    return CaseView(
        review=review,
        document=document,
        result=result,
        fields=fields,
        boxes_drawn=boxes_drawn,
        boxes_note=boxes_note,
        shows_card=shows_card,
        checks=list(result.checks or []) if result else [],
        quality=[(key, quality[key]) for key in QUALITY_KEYS if key in quality],
        duplicates=_duplicates(document, result),
        other_documents=other_documents,
        attempts=attempts,
        transitions=list(
            DocumentTransition.objects.filter(document=document).select_related("actor")
        ),
        reviews=list(
            ManualReview.objects.filter(document=document)
            .select_related("assignee", "decided_by")
            .order_by("created_at")
        ),
        events=list(ReviewEvent.objects.filter(review__document=document).select_related("actor")),
        corrections=corrections,
    )
