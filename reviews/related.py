"""Reads for what a case is judged against: the user's other card (KTP beside NPWP, in full),
and other users' documents that match it (masked: only enough to see that they match)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from documents.models import Document
from documents.status import DocumentType
from reviews.models import ManualReview, ReviewDecision, ReviewState
from verification.models import IdentityFingerprint, VerificationResult
from verification.names import compare_names
from verification.verdicts import CheckStatus

MAX_DUPLICATES = 5
# A duplicate check flagged the document (a warning counts: the reviewer sees it too).
FLAGGED = (CheckStatus.FAIL, CheckStatus.WARN)
NAME_FIELDS = frozenset({"nama"})
NUMBER_FIELDS = frozenset({"nik", "npwp"})
# Compared between a KTP and the same user's NPWP: (field on this card, field on the other).
PAIRS = {
    ("KTP", "NPWP"): (("nik", "npwp"), ("nik", "nik"), ("nama", "nama"), ("alamat", "alamat")),
    ("NPWP", "KTP"): (("npwp", "nik"), ("nik", "nik"), ("nama", "nama"), ("alamat", "alamat")),
}
DUPLICATE_FIELDS = ("nik", "npwp", "nama", "tanggal_lahir")


@dataclass
class CardRow:
    label: str
    here: str  # this case's value
    there: str  # the other document's value (masked for another user's)
    agrees: bool | None  # None: nothing to compare


@dataclass
class RelatedCard:
    document: Document
    kind: str  # "other card", "identity number", "image"
    rows: list[CardRow]
    review_id: uuid.UUID | None  # its latest review, to open its case
    read: bool  # a verification result exists
    corrected: bool  # values include a reviewer's corrections


def _values(fields: dict[str, Any] | None) -> dict[str, str]:
    return {
        name: str((data or {}).get("value") or "")
        for name, data in (fields or {}).items()
        if isinstance(data, dict)
    }


def _agrees(name: str, here: str, there: str) -> bool | None:
    if not here or not there:
        return None
    if name in NAME_FIELDS:
        return compare_names(here, there).status == CheckStatus.PASS
    if name in NUMBER_FIELDS:
        return "".join(c for c in here if c.isdigit()) == "".join(c for c in there if c.isdigit())
    return " ".join(here.upper().split()) == " ".join(there.upper().split())


def _latest_results(document_ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    latest: dict[uuid.UUID, Any] = {}
    rows = (
        VerificationResult.objects.filter(document_id__in=document_ids)
        .only("id", "document_id", "attempt", "fields")
        .order_by("document_id", "-attempt")
    )
    for result in rows:
        latest.setdefault(result.document_id, result)
    return latest


def _latest_reviews(document_ids: list[uuid.UUID]) -> dict[uuid.UUID, ManualReview]:
    latest: dict[uuid.UUID, ManualReview] = {}
    reviews = ManualReview.objects.filter(document_id__in=document_ids).order_by(
        "document_id", "-created_at"
    )
    for review in reviews.only("id", "document_id", "state", "decision", "corrected_fields"):
        latest.setdefault(review.document_id, review)
    return latest


def other_card(document: Document, here: dict[str, str]) -> RelatedCard | None:
    """The same user's latest card of the other type, with its fields beside this card's.

    Values are the reviewer-corrected ones where an approval corrected them.
    """
    other_type = DocumentType.NPWP if document.doc_type == DocumentType.KTP else DocumentType.KTP
    other = (
        Document.objects.filter(
            owner_id=document.owner_id, doc_type=other_type, erased_at__isnull=True
        )
        .exclude(pk=document.pk)
        .order_by("-created_at")
        .first()
    )
    if other is None:
        return None
    result = _latest_results([other.pk]).get(other.pk)
    review = _latest_reviews([other.pk]).get(other.pk)
    there = _values(result.fields if result else None)
    corrected = False
    if (
        review is not None
        and review.state == ReviewState.DECIDED
        and review.decision == ReviewDecision.APPROVED
        and review.corrected_fields
    ):
        there.update({k: str(v) for k, v in review.corrected_fields.items()})
        corrected = True
    pairs = PAIRS.get((document.doc_type, other.doc_type), ())
    rows = [
        CardRow(
            label=mine if mine == theirs else f"{mine} / {theirs}",
            here=here.get(mine, ""),
            there=there.get(theirs, ""),
            agrees=_agrees(mine, here.get(mine, ""), there.get(theirs, "")),
        )
        for mine, theirs in pairs
    ]
    shown = {theirs for _, theirs in pairs}
    rows += [
        CardRow(label=name, here="", there=value, agrees=None)
        for name, value in there.items()
        if name not in shown and value
    ]
    return RelatedCard(
        document=other,
        kind="other card",
        rows=rows,
        review_id=review.pk if review else None,
        read=result is not None,
        corrected=corrected,
    )


def mask(name: str, value: str) -> str:
    """Another user's value, reduced to what shows a match: last four digits of a number,
    initials of a name, the year of a date."""
    if not value:
        return ""
    if name in NUMBER_FIELDS:
        digits = "".join(c for c in value if c.isdigit())
        return "*" * max(len(digits) - 4, 0) + digits[-4:]
    if name in NAME_FIELDS:
        return " ".join(word[0] + "*" * (len(word) - 1) for word in value.split())
    if name.startswith("tanggal"):
        return "****-**-**" if len(value) < 4 else value[:4] + "-**-**"
    return "*" * min(len(value), 12)


def duplicate_hits(document: Document, result: Any) -> list[tuple[str, uuid.UUID]]:
    """``(kind, document id)`` of other users' documents with this result's identity number,
    this file or a near-identical picture, as the duplicate checks flagged them."""
    if result is None:
        return []
    checks = {c.get("code"): c for c in result.checks or []}
    hits: list[tuple[str, uuid.UUID]] = []
    if checks.get("duplicate_identity", {}).get("status") in FLAGGED:
        digests = IdentityFingerprint.objects.filter(result=result).values("digest")
        others = (
            IdentityFingerprint.objects.filter(digest__in=digests)
            .exclude(owner_id=document.owner_id)
            .values_list("document_id", flat=True)
            .distinct()[:20]
        )
        hits.extend(("identity number", other) for other in others)
    if checks.get("duplicate_image", {}).get("status") in FLAGGED:
        same_file = Q(sha256=document.sha256)
        if document.image_phash:
            same_file |= Q(image_phash=document.image_phash)
        same_image = (
            Document.objects.filter(same_file, erased_at__isnull=True)
            .exclude(owner_id=document.owner_id)
            .values_list("pk", flat=True)[:20]
        )
        hits.extend(("image", other) for other in same_image)
    return hits


def duplicates(document: Document, result: Any, here: dict[str, str]) -> list[RelatedCard]:
    """The matching documents of other users, side by side with this card, masked."""
    kinds: dict[uuid.UUID, list[str]] = {}
    for kind, other_id in duplicate_hits(document, result):
        kinds.setdefault(other_id, [])
        if kind not in kinds[other_id]:
            kinds[other_id].append(kind)
    ids = list(kinds)[:MAX_DUPLICATES]
    if not ids:
        return []
    documents = Document.objects.in_bulk(ids)
    results = _latest_results(ids)
    reviews = _latest_reviews(ids)
    cards = []
    for other_id in ids:
        other = documents.get(other_id)
        if other is None:
            continue
        there = _values(results[other_id].fields if other_id in results else None)
        rows = [
            CardRow(
                label=name,
                here=here.get(name, ""),
                there=mask(name, there.get(name, "")),
                agrees=_agrees(name, here.get(name, ""), there.get(name, "")),
            )
            for name in DUPLICATE_FIELDS
            if here.get(name) or there.get(name)
        ]
        review = reviews.get(other_id)
        cards.append(
            RelatedCard(
                document=other,
                kind=" and ".join(kinds[other_id]),
                rows=rows,
                review_id=review.pk if review else None,
                read=other_id in results,
                corrected=False,
            )
        )
    return cards


def related_kind(document: Document, result: Any, other_id: uuid.UUID) -> str | None:
    """How ``other_id`` relates to the case's document: "own" (the same user's), "duplicate"
    (another user's match) or ``None`` (not related: not to be shown from this case)."""
    other = Document.objects.filter(pk=other_id).only("id", "owner_id").first()
    if other is None or other.pk == document.pk:
        return None
    if other.owner_id == document.owner_id:
        return "own"
    if any(hit == other_id for _, hit in duplicate_hits(document, result)):
        return "duplicate"
    return None
