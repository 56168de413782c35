"""The verdict of a check. Results store them as plain strings in ``checks``; a member equals
its string, so stored and fresh checks compare alike."""

from __future__ import annotations

from enum import StrEnum


class CheckStatus(StrEnum):
    PASS = "pass"  # noqa: S105 - a verdict, not a password; earns the check's weight
    WARN = "warn"  # earns half of it
    FAIL = "fail"  # earns nothing; may cap the score, force a review or a rejection
    SKIP = "skip"  # not applicable: the check is left out of the score
