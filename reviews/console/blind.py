"""What a blind case does not show.

A blind QA case checks an automatic decision and a second review checks a reviewer's: the
person giving it must judge the card without knowing that decision. Their case page shows the
card, its fields and its checks as any case does, but not the score, the machine's outcome and
reasons, the document's status trail, earlier attempts, or other reviews of the document with
their notes and corrections.
"""

from __future__ import annotations

from dataclasses import replace

from reviews.models import ManualReview, ReviewPurpose
from reviews.selectors import CaseView


def is_blind(review: ManualReview) -> bool:
    return review.purpose != ReviewPurpose.DECISION


def blinded(view: CaseView) -> CaseView:
    """``view`` without what would give the checked decision away (only this case's own
    history and corrections are kept)."""
    review = view.review
    for field in view.fields:
        field.corrections = [c for c in field.corrections if c.review_id == review.pk]
    return replace(
        view,
        blind=True,
        attempts=[],
        transitions=[],
        reviews=[r for r in view.reviews if r.pk == review.pk],
        events=[e for e in view.events if e.review_id == review.pk],
        corrections=[c for c in view.corrections if c.review_id == review.pk],
    )
