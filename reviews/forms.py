"""Forms of the review console: the decision on a case and an admin's reassignment."""

from __future__ import annotations

from typing import Any

from django import forms

from filot.models import User
from reviews.models import ReviewDecision
from reviews.reasons import CORRECTED_APPROVAL, DEFAULT_APPROVAL, reason_problem
from verification.reasons import APPROVAL_REASONS, REASONS

APPROVE, REJECT, RESUBMIT = "approve", "reject", "resubmit"
ACTIONS = ((APPROVE, "Approve"), (REJECT, "Reject"), (RESUBMIT, "Request resubmission"))
ACTION_DECISION = {
    APPROVE: ReviewDecision.APPROVED,
    REJECT: ReviewDecision.REJECTED,
    RESUBMIT: ReviewDecision.RESUBMISSION,
}
CORRECTION_PREFIX = "correct__"


def one_line(value: str) -> str:
    return " ".join(value.split())


class DecisionForm(forms.Form):
    """Approve, reject, or request resubmission, each with a reason of its own.

    Approve without a reason records ``verified`` (``verified_with_corrections`` when a field
    was changed). A rejection needs a note. Approving a case with failing checks needs
    ``confirm_failing``: the console asks once more before it sends it.
    """

    action = forms.ChoiceField(choices=ACTIONS)
    reason_code = forms.CharField(required=False, max_length=64)
    notes = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    confirm_failing = forms.BooleanField(required=False)

    def __init__(
        self,
        *args: Any,
        originals: dict[str, str] | None = None,
        failing_checks: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.originals = originals or {}
        self.failing_checks = failing_checks

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if not action:
            return data
        code = (data.get("reason_code") or "").strip()
        if action == APPROVE and not code:
            code = CORRECTED_APPROVAL if self.corrections_changed() else DEFAULT_APPROVAL
        data["reason_code"] = code
        problem = reason_problem(ACTION_DECISION[action], code)
        if problem is not None:
            self.add_error("reason_code", problem[1])
        if action == REJECT and not (data.get("notes") or "").strip():
            self.add_error("notes", "A rejection needs a note.")
        if action == APPROVE and self.failing_checks and not data.get("confirm_failing"):
            self.add_error(
                "confirm_failing",
                f"This case has {self.failing_checks} failing check(s): confirm that you "
                "approve it anyway.",
            )
        return data

    @property
    def decision(self) -> str:
        return str(ACTION_DECISION[self.cleaned_data["action"]])

    def corrections(self) -> dict[str, str]:
        """``correct__<field>`` inputs of the card's fields (the service compares them)."""
        return {
            name: str(self.data[f"{CORRECTION_PREFIX}{name}"])
            for name in self.originals
            if f"{CORRECTION_PREFIX}{name}" in self.data
        }

    def corrections_changed(self) -> bool:
        return any(
            one_line(value) != one_line(self.originals.get(name, ""))
            for name, value in self.corrections().items()
        )


def reason_groups() -> list[tuple[str, list[tuple[str, Any]]]]:
    """The reason list of the case page: approval reasons, then the findings."""
    return [
        ("Approve", list(APPROVAL_REASONS.items())),
        ("Reject or request resubmission", list(REASONS.items())),
    ]


def _email(user: User) -> str:
    return user.email


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = User.objects.filter(is_active=True, is_staff=True).order_by("email")
        assignee.label_from_instance = _email  # type: ignore[method-assign,assignment]


class PreferencesForm(forms.Form):
    decide_and_next = forms.BooleanField(required=False)
