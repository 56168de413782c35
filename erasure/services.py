"""Erasing a document on its owner's request, everywhere it reached.

``documents`` erases the file and the personal fields and knows nothing of reviews; this app
sits above ``reviews`` and adds what else must happen in the same transaction: the open manual
review is cancelled (it leaves the queue, with a history event), and when the case was given to
BULI2, BULI2 is told through the outbox to drop it. A partner decision that arrives afterwards
is refused with 409 ``document_erased`` (``reviews.services.review_decide``).
"""

from __future__ import annotations

import logging

from django.db import transaction

from documents.models import Document
from documents.services import document_erase
from filot.models import User
from reviews.models import ReviewPurpose
from reviews.partner.models import EventType
from reviews.partner.payloads import cancellation_data
from reviews.partner.services import outbox_enqueue, partner_enabled
from reviews.services import review_cancel_open

logger = logging.getLogger(__name__)
ERASED = "document_erased"


def document_erase_everywhere(
    *, document: Document, actor: User | None, reason: str = "erased on request"
) -> None:
    """Erase ``document`` (``documents.services.document_erase``), cancel its open review and
    tell the partner, all or nothing. Erasing an erased document again changes nothing."""
    with transaction.atomic():
        document_erase(document=document, actor=actor, reason=reason)
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
