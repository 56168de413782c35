"""Forms of the review console: the decision on a case and an admin's reassignment."""

from __future__ import annotations

from typing import Any

from django import forms

from filot.models import User
from reviews.models import ReviewDecision
from verification.reasons import REASONS

APPROVE, REJECT, RESUBMIT = "approve", "reject", "resubmit"
ACTIONS = ((APPROVE, "Approve"), (REJECT, "Reject"), (RESUBMIT, "Request resubmission"))
VERIFIED = "verified"
CORRECTION_PREFIX = "correct__"


def reason_choices() -> list[tuple[str, str]]:
    return [(VERIFIED, "verified: the card is genuine and readable")] + [
        (code, f"{code}{' (retryable)' if reason.retryable else ''}")
        for code, reason in REASONS.items()
    ]


class DecisionForm(forms.Form):
    """Approve, reject, or request resubmission (a rejection with a retryable reason).

    Every action needs a reason code from the taxonomy; a rejection also needs a note.
    """

    action = forms.ChoiceField(choices=ACTIONS)
    reason_code = forms.ChoiceField(choices=())
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, field_names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.field_names = field_names or []
        reason = self.fields["reason_code"]
        assert isinstance(reason, forms.ChoiceField)
        reason.choices = [("", "— reason code —"), *reason_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action, code = data.get("action"), data.get("reason_code")
        if not action or not code:
            return data
        if action == APPROVE and code != VERIFIED and code not in REASONS:
            self.add_error("reason_code", "Choose a reason code.")
        if action in (REJECT, RESUBMIT) and code == VERIFIED:
            self.add_error("reason_code", "A rejection needs a finding, not 'verified'.")
        if action == RESUBMIT and code in REASONS and not REASONS[code].retryable:
            self.add_error(
                "reason_code", "Resubmission needs a retryable reason (one the user can fix)."
            )
        if action == REJECT and not (data.get("notes") or "").strip():
            self.add_error("notes", "A rejection needs a note.")
        return data

    @property
    def decision(self) -> str:
        return (
            ReviewDecision.APPROVED
            if self.cleaned_data["action"] == APPROVE
            else ReviewDecision.REJECTED
        )

    def corrections(self) -> dict[str, str]:
        """``correct__<field>`` inputs of the known fields (the view compares them)."""
        return {
            name: str(self.data[f"{CORRECTION_PREFIX}{name}"])
            for name in self.field_names
            if f"{CORRECTION_PREFIX}{name}" in self.data
        }


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
