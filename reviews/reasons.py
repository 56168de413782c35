"""Which reason codes each review decision takes, and the note a reviewer starts from.

- an approval takes an approval reason (``verified``, ``verified_with_corrections``, ...);
- a rejection takes any finding of the taxonomy (``verification.reasons.REASONS``);
- a resubmission request takes only the retryable findings (the user can fix them with a new
  photo or the right card).

The service, the console and the partner callback all check a decision's reason here.
"""

from __future__ import annotations

from reviews.models import ReviewDecision
from verification.reasons import APPROVAL_REASONS, REASONS, Reason

APPROVED, REJECTED, RESUBMISSION = (
    ReviewDecision.APPROVED,
    ReviewDecision.REJECTED,
    ReviewDecision.RESUBMISSION,
)
DEFAULT_APPROVAL = "verified"
CORRECTED_APPROVAL = "verified_with_corrections"

VERB: dict[str, str] = {
    APPROVED: "approve",
    REJECTED: "reject",
    RESUBMISSION: "request resubmission",
}


def reasons_for(decision: str) -> dict[str, Reason]:
    """The reasons ``decision`` may be given with, in taxonomy order (empty if unknown)."""
    if decision == APPROVED:
        return dict(APPROVAL_REASONS)
    if decision == REJECTED:
        return dict(REASONS)
    if decision == RESUBMISSION:
        return {code: reason for code, reason in REASONS.items() if reason.retryable}
    return {}


def decisions_for(code: str) -> list[str]:
    """The decisions that take ``code``."""
    return [decision for decision in VERB if code in reasons_for(decision)]


def known(code: str) -> bool:
    return code in REASONS or code in APPROVAL_REASONS


def reason_problem(decision: str, code: str) -> tuple[str, str] | None:
    """``(error code, message)`` when ``code`` is not a reason for ``decision``, else ``None``."""
    verb = VERB.get(decision, decision)
    if not code:
        return "reason_required", f"Give a reason code to {verb}."
    if not known(code):
        return "invalid_reason_code", f"Unknown reason code {code!r}."
    if code in reasons_for(decision):
        return None
    others = " or ".join(VERB[d] for d in decisions_for(code))
    return (
        "reason_not_for_decision",
        f"{code} is not a reason to {verb}; it is a reason to {others}.",
    )


def label(code: str) -> str:
    """One line for the reason lists: the code and what it means."""
    reason = APPROVAL_REASONS.get(code) or REASONS.get(code)
    return f"{code}: {reason.message}" if reason else code


# The note a reason starts the reviewer with (editable; no personal data). A rejection needs a
# note, so every finding has one.
NOTE_TEMPLATES: dict[str, str] = {
    "verified": "Card checked against the image; every field reads as extracted.",
    "verified_with_corrections": "Card checked against the image; misread fields corrected.",
    "name_variant_accepted": (
        "The names differ only in spelling, word order, a title or initials: the same person."
    ),
    "quality_acceptable": "Every field is readable despite the quality warning.",
    "card_not_found": "No identity card is visible in the upload.",
    "image_blurry": "The photo is too blurry to read the fields; please retake it.",
    "image_glare": "Glare hides part of the text; please retake the photo without flash.",
    "image_too_small": "The card is too small in the photo to read; please retake it closer.",
    "image_grayscale": "A grayscale copy, not the original card; please photograph the card.",
    "text_unreadable": "The text on the card cannot be read; please retake the photo.",
    "wrong_document_type": "The upload is not the declared card type.",
    "field_missing": "A required field cannot be read on the card.",
    "low_confidence": "Fields cannot be read with confidence; please retake the photo.",
    "nik_invalid": "The NIK on the card does not have a valid structure.",
    "nik_dob_mismatch": "The birth date in the NIK differs from the printed birth date.",
    "nik_sex_mismatch": "The sex encoded in the NIK differs from the printed sex.",
    "nik_region_mismatch": "The NIK region does not match the province printed on the card.",
    "npwp_invalid": "The NPWP number does not have a valid structure.",
    "npwp_checksum": "The NPWP check digit is wrong.",
    "npwp_nik_mismatch": "The NPWP does not belong to the NIK on the user's KTP.",
    "name_mismatch": "The names on the KTP and the NPWP are different people.",
    "profile_name_mismatch": "The name on the card is not the account holder's name.",
    "duplicate_identity": "The identity number is already used by another account.",
    "duplicate_image": "The same picture was uploaded by another account.",
    "underage": "The holder was under 17 when the card was issued.",
    "birth_date_future": "The birth date lies in the future.",
    "document_expired": "The card's validity date has passed.",
    "date_invalid": "A date on the card is not a real date.",
}
