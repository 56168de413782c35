"""Erasing a document, everywhere it reached.

Each app erases its own rows; this app sits above all of them and calls them in order, in one
transaction: ``documents`` (the file, the personal fields, the audit entry), ``ocr_gpu`` (the
OCR text and the canonical cards), ``verification`` (fingerprints, the text and values of the
results, which keep score, decision and reason codes). That is ``document_data_erase``, the
retention rule's erasure. On the owner's request (``document_erase_everywhere``) the open
manual review is cancelled as well (it leaves the queue, with a history event), and when the
case was given to BULI2, BULI2 is told through the outbox to drop it. A partner decision that
arrives afterwards is refused with 409 ``document_erased``
(``reviews.services.review_decide``).
"""

from __future__ import annotations

import logging

from django.db import transaction

from documents.models import Document
from documents.services import document_erase
from filot.models import User
from ocr_gpu.services import ocr_erase
from reviews.models import ReviewPurpose
from reviews.partner.models import EventType
from reviews.partner.payloads import cancellation_data
from reviews.partner.services import outbox_enqueue, partner_enabled
from reviews.services import review_cancel_open
from verification.services import verification_erase

logger = logging.getLogger(__name__)
ERASED = "document_erased"


def document_data_erase(
    *, document: Document, actor: User | None, reason: str = "erased on request"
) -> bool:
    """Erase the document's file and personal data in every app that holds them, all or
    nothing. Returns False (changing nothing) when it was already erased."""
    with transaction.atomic():
        erased = document_erase(document=document, actor=actor, reason=reason)
        if erased is None:
            return False
        ocr_erase(
            document_id=erased.document_id,
            storage_key=erased.storage_key,
            attempts=erased.attempts,
        )
        verification_erase(document_id=erased.document_id)
    logger.info("document erased", extra={"document_id": str(document.pk)})
    return True


def document_erase_everywhere(
    *, document: Document, actor: User | None, reason: str = "erased on request"
) -> None:
    """Erase ``document`` (``document_data_erase``), cancel its open review and tell the
    partner, all or nothing. Erasing an erased document again changes nothing."""
    with transaction.atomic():
        document_data_erase(document=document, actor=actor, reason=reason)
        cancelled = review_cancel_open(
            document_id=document.pk, actor=actor, detail="the document was erased by its owner"
        )
        if cancelled and partner_enabled():
            # Blind QA and second reviews were never given to BULI2.
            for review in (r for r in cancelled if r.purpose == ReviewPurpose.DECISION):
                outbox_enqueue(
                    event_type=EventType.REVIEW_CANCELLED,
                    data=cancellation_data(review=review, reason=ERASED),
                    review_id=review.pk,
                    document_id=document.pk,
                )
    if cancelled:
        logger.info(
            "open review cancelled by erasure",
            extra={"document_id": str(document.pk), "reviews": len(cancelled)},
        )
