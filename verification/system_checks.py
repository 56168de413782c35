"""System check: the decision thresholds must make sense (0 <= reject < approve <= 100)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register


@register()
def thresholds_ordered(app_configs: Any = None, **_: Any) -> list[CheckMessage]:
    approve = settings.AI_SCORE_THRESHOLD_AUTO_APPROVE
    reject = settings.AI_SCORE_THRESHOLD_AUTO_REJECT
    if 0 <= reject < approve <= 100:
        return []
    return [
        Error(
            "AI_SCORE_THRESHOLD_AUTO_REJECT must be below AI_SCORE_THRESHOLD_AUTO_APPROVE, both "
            f"within 0-100 (now {reject} and {approve}).",
            id="verification.E001",
        )
    ]
