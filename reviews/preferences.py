"""A reviewer's console settings and the reasons they used last."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from filot.models import User
from reviews.models import ManualReview, ReviewerSettings, ReviewState

RECENT_REASONS = 5
RECENT_WINDOW = timedelta(days=30)


def reviewer_settings_get(*, user: User) -> ReviewerSettings:
    """The reviewer's settings; the defaults (not saved) when they never changed one."""
    found = ReviewerSettings.objects.filter(user=user).first()
    return found if found is not None else ReviewerSettings(user=user)


def reviewer_settings_update(*, user: User, decide_and_next: bool) -> ReviewerSettings:
    found, _ = ReviewerSettings.objects.update_or_create(
        user=user, defaults={"decide_and_next": decide_and_next}
    )
    return found


def recent_reasons(*, reviewer: User, limit: int = RECENT_REASONS) -> list[str]:
    """The reason codes this reviewer gave last, most recent first, each once."""
    codes = (
        ManualReview.objects.filter(
            decided_by=reviewer,
            state=ReviewState.DECIDED,
            decided_at__gte=timezone.now() - RECENT_WINDOW,
        )
        .exclude(reason_code="")
        .order_by("-decided_at")
        .values_list("reason_code", flat=True)[:50]
    )
    recent: list[str] = []
    for code in codes:
        if code not in recent:
            recent.append(code)
        if len(recent) == limit:
            break
    return recent
