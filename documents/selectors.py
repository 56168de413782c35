"""Reads for documents and the derived KYC status."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from documents.models import Document
from documents.status import DocumentStatus, DocumentType, KycStatus
from filot.models import User

S = DocumentStatus
APPROVED = frozenset({S.AUTO_APPROVED, S.APPROVED})
REJECTED = frozenset({S.AUTO_REJECTED, S.REJECTED})


def documents_for_owner(*, owner: User) -> QuerySet[Document]:
    return Document.objects.filter(owner=owner, erased_at__isnull=True)


def document_for_owner(*, owner: User, document_id: str | uuid.UUID) -> Document | None:
    """The owner's document, or None for another user's, an erased or a malformed id."""
    try:
        parsed = uuid.UUID(str(document_id))
    except ValueError:
        return None
    return documents_for_owner(owner=owner).filter(pk=parsed).first()


def latest_documents(*, owner: User) -> dict[str, Document | None]:
    latest: dict[str, Document | None] = {}
    for doc_type in DocumentType.values:
        latest[doc_type] = (
            documents_for_owner(owner=owner)
            .filter(doc_type=doc_type)
            .order_by("-created_at")
            .first()
        )
    return latest


def kyc_status_from(statuses: list[str | None]) -> str:
    """Derive a user's KYC status from the statuses of their latest KTP and NPWP.

    Any rejection rejects; both approved verifies; anything with a human looking at it is in
    review; anything else (nothing yet for one type, queued, processing, failed) is pending.
    """
    present = [s for s in statuses if s is not None]
    if not present:
        return KycStatus.UNVERIFIED
    if any(s in REJECTED for s in present):
        return KycStatus.REJECTED
    if len(present) == len(statuses) and all(s in APPROVED for s in present):
        return KycStatus.VERIFIED
    if any(s == S.IN_REVIEW for s in present):
        return KycStatus.IN_REVIEW
    return KycStatus.PENDING


def user_kyc_status(*, user: User) -> str:
    latest = latest_documents(owner=user)
    return kyc_status_from([doc.status if doc else None for doc in latest.values()])
