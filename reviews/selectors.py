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
from documents.status import DocumentType
from ocr_gpu.models import OcrRun
from reviews.models import (
    FieldCorrection,
    ManualReview,
    ReviewDecision,
    ReviewEvent,
    ReviewState,
    live_claim,
)
from reviews.related import RelatedCard, duplicates, other_card
from verification.models import Outcome, VerificationResult
from verification.names import profile_match
from verification.parsing import ktp, npwp
from verification.verdicts import CheckStatus

# The canonical card every OCR box is measured on (``ocr_gpu.preprocess.CARD_SIZE``); repeated
# here so the web process does not import OpenCV to read two numbers.
CANONICAL_CARD_SIZE = (1012, 638)
# A flat scan is resized straight onto the canonical card, so its boxes map onto the upload
# after scaling, as long as the deskew was small.
MAX_DESKEW_FOR_BOXES = 2.0


def score_bands() -> dict[str, tuple[str, int, int]]:
    """The queue's score filter, ``key -> (label, low, high)``: up to the auto-reject threshold,
    two bands split halfway between the thresholds, and from the auto-approve threshold up
    (0-35, 36-59, 60-84, 85-100 with the default thresholds)."""
    reject_at = settings.AI_SCORE_THRESHOLD_AUTO_REJECT
    approve_at = settings.AI_SCORE_THRESHOLD_AUTO_APPROVE
    split = (reject_at + approve_at) // 2
    bands = {
        "low": (0, reject_at),
        "mid": (reject_at + 1, split - 1),
        "high": (split, approve_at - 1),
        "top": (approve_at, 100),
    }
    return {key: (f"{low}-{high}", low, high) for key, (low, high) in bands.items()}


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


def queue_counts(*, now: datetime | None = None) -> dict[str, Any]:
    """Counters above the queue: two queries."""
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


def approved_corrections(result: VerificationResult) -> dict[str, Any]:
    """The fields a reviewer corrected when approving ``result`` (the latest such decision's;
    empty when none): the values the owner's other card is compared with."""
    corrected = (
        ManualReview.objects.filter(
            verification_result=result,
            state=ReviewState.DECIDED,
            decision=ReviewDecision.APPROVED,
        )
        .order_by("-decided_at")
        .values_list("corrected_fields", flat=True)
    )
    return next((values for values in corrected if values), None) or {}


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

# Every field a card of each type has: the case page shows a row for each, read or not, so a
# field the OCR missed can be entered.
CARD_FIELDS: dict[str, tuple[str, ...]] = {
    DocumentType.KTP: tuple(ktp.FIELD_NAMES),
    DocumentType.NPWP: tuple(npwp.FIELD_NAMES),
}


NUMERIC_FIELDS = frozenset({"nik", "npwp", "rt_rw"})


@dataclass
class FieldView:
    name: str
    value: str
    confidence: float | None
    box: list[float] | None  # x, y, w, h in percent of the served image, or None
    read: bool = True  # False: the OCR did not find this field
    numeric: bool = False  # digits (NIK, NPWP, RT/RW, dates): shown in a fixed-width font
    corrected: str | None = None
    corrections: list[FieldCorrection] = field(default_factory=list)


@dataclass
class QualityRow:
    label: str
    value: str
    flagged: bool


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
    failing: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    profile_name: str
    profile_status: str  # a CheckStatus, or "" (nothing to compare)
    quality: list[QualityRow]
    other_card: RelatedCard | None
    duplicates: list[RelatedCard]
    attempts: list[Any]
    transitions: list[DocumentTransition]
    reviews: list[ManualReview]
    events: list[ReviewEvent]
    corrections: list[FieldCorrection]
    blind: bool = False  # a QA or second review: the decision it checks is not shown

    def values(self) -> dict[str, str]:
        return current_values(self.fields)


def current_values(fields: list[FieldView]) -> dict[str, str]:
    """The fields as the reviewer last saw them: corrected values over the OCR's."""
    return {f.name: f.corrected if f.corrected is not None else f.value for f in fields}


def card_key_for(document: Document, result: Any) -> str:
    """Storage key of the canonical card the shown result was read from; "" when none was
    stored (rows from before cards were kept, a failed write, an erased document)."""
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


def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def quality_rows(quality: dict[str, Any]) -> list[QualityRow]:
    """The image-quality measures in words, each with whether the OCR stage flagged it.

    Glare is one share over the whole text area: a bright spot over one field can stay under
    the flag, so the page also marks, from the image itself, the fields bright spots cover.
    """
    rows: list[QualityRow] = []

    def add(key: str, label: str, text: str, flag: str | None = None) -> None:
        if key in quality and quality[key] is not None:
            rows.append(QualityRow(label, text, bool(flag and quality.get(flag))))

    sharp, glare = _number(quality.get("sharpness")), _number(quality.get("glare"))
    if "card_found" in quality:
        rows.append(
            QualityRow(
                "card",
                "found in the photo" if quality["card_found"] else "no card outline found",
                not quality["card_found"],
            )
        )
    if sharp is not None:
        add("sharpness", "sharpness", f"{sharp:.0f} (variance of the Laplacian)", "blurry")
    if glare is not None:
        add(
            "glare",
            "glare",
            f"{100 * glare:.1f} % of the text area in saturated bright spots",
            "glare_detected",
        )
    brightness, contrast = _number(quality.get("brightness")), _number(quality.get("contrast"))
    if brightness is not None:
        add("brightness", "brightness", f"{100 * brightness:.0f} %")
    if contrast is not None:
        add("contrast", "contrast", f"{100 * contrast:.0f} %")
    if "grayscale_suspected" in quality:
        rows.append(
            QualityRow(
                "colour",
                "looks grayscale (a copy?)" if quality["grayscale_suspected"] else "in colour",
                bool(quality["grayscale_suspected"]),
            )
        )
    width, height = (
        _number(quality.get("card_source_width")),
        _number(quality.get("card_source_height")),
    )
    if width and height:
        add("card_source_width", "card size", f"{width:.0f} x {height:.0f} px", "low_resolution")
    share = _number(quality.get("card_area_share"))
    if share is not None:
        add("card_area_share", "card in frame", f"{100 * share:.0f} % of the photo")
    if quality.get("detection"):
        deskew = _number(quality.get("deskew_angle")) or 0.0
        add(
            "detection",
            "straightening",
            f"{quality['detection']}, turned {int(quality.get('rotation') or 0)}°, "
            f"deskewed {deskew:.1f}°",
        )
    median = _number(quality.get("ocr_confidence_median"))
    if median is not None:
        words = quality.get("ocr_word_count")
        add(
            "ocr_confidence_median",
            "OCR confidence",
            f"median {median:.0f}{f' over {words} words' if words is not None else ''}",
        )
    return rows


def latest_result(document: Document) -> Any:
    return VerificationResult.objects.filter(document=document).order_by("-attempt").first()


def case_result(review: ManualReview) -> Any:
    """The verification result a case shows: its own, else the document's latest."""
    return review.verification_result or latest_result(review.document)


def _field_views(
    review: ManualReview, result: Any, boxes_drawn: bool, card: tuple[int, int]
) -> tuple[list[FieldView], list[FieldCorrection]]:
    document = review.document
    extracted: dict[str, Any] = dict(result.fields or {}) if result else {}
    names = list(CARD_FIELDS.get(document.doc_type, ()))
    names += [name for name in extracted if name not in names]
    corrections = list(FieldCorrection.objects.filter(document=document).select_related("reviewer"))
    by_field: dict[str, list[FieldCorrection]] = {}
    for correction in corrections:
        by_field.setdefault(correction.field, []).append(correction)
    views = []
    for name in names:
        data = extracted.get(name) or {}
        confidence = data.get("confidence")
        value = str(data.get("value") or "")
        views.append(
            FieldView(
                name=name,
                value=value,
                confidence=float(confidence) if confidence is not None and value else None,
                box=_percent_box(data.get("box"), card) if boxes_drawn else None,
                read=bool(value),
                numeric=name in NUMERIC_FIELDS or name.startswith("tanggal"),
                corrected=review.corrected_fields.get(name),
                corrections=by_field.get(name, []),
            )
        )
    return views, corrections


def case_view(*, review: ManualReview) -> CaseView:
    """Everything the case page shows. ``review`` comes with its document and owner."""
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
    fields, corrections = _field_views(review, result, boxes_drawn, _card_size(quality))
    checks = list(result.checks or []) if result else []
    values = current_values(fields)
    profile_name = document.owner.display_name or ""
    card_name = values.get("nama", "")
    profile_status = (
        profile_match(profile_name, card_name).status if profile_name and card_name else ""
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
        checks=checks,
        failing=[c for c in checks if c.get("status") == CheckStatus.FAIL],
        warnings=[c for c in checks if c.get("status") == CheckStatus.WARN],
        profile_name=profile_name,
        profile_status=profile_status,
        quality=quality_rows(quality),
        other_card=other_card(document, values),
        duplicates=duplicates(document, result, values),
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
