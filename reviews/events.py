"""The append-only history of a review (``review_events``)."""

from __future__ import annotations

from filot.models import User
from reviews.models import ManualReview, ReviewEvent


def review_event_record(
    review: ManualReview, kind: str, actor: User | None, detail: str = "", label: str = ""
) -> None:
    """Append to the review's history (inside the caller's transaction)."""
    ReviewEvent.objects.create(
        review=review,
        kind=kind,
        actor=actor,
        actor_label=label or (f"user:{actor.pk}" if actor is not None else "system"),
        detail=detail[:255],
    )
