"""Reason codes: a small, stable taxonomy shared by the API, the review console and partners.

``retryable`` means the client can fix it by uploading a better photo or the right document.
Messages are fixed sentences with no personal data, safe to show to the user and to log.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    retryable: bool
    message: str


def _reasons(*items: Reason) -> dict[str, Reason]:
    return {item.code: item for item in items}


REASONS: dict[str, Reason] = _reasons(
    Reason("card_not_found", True, "No card was found in the photo; please retake it."),
    Reason("image_blurry", True, "The photo is too blurry to read; please retake it."),
    Reason("image_glare", True, "Glare covers the text on the card; please retake the photo."),
    Reason(
        "image_too_small",
        True,
        "The card is too small in the photo; please retake it closer to the card.",
    ),
    Reason(
        "image_grayscale",
        True,
        "The image looks like a photocopy or a grayscale scan; please photograph the original.",
    ),
    Reason("text_unreadable", True, "The text on the card could not be read; please retake it."),
    Reason(
        "wrong_document_type",
        True,
        "The document is not the type that was declared; please upload the right card.",
    ),
    Reason("field_missing", True, "A required field could not be read from the card."),
    Reason("low_confidence", True, "Parts of the card were read with low confidence."),
    Reason("nik_invalid", False, "The NIK does not have a valid structure."),
    Reason(
        "identity_unverified",
        True,
        "The identity on the card could not be read reliably enough to verify it automatically; "
        "a person will check it (a sharper photo helps).",
    ),
    Reason("nik_dob_mismatch", False, "The birth date in the NIK differs from the printed one."),
    Reason("nik_sex_mismatch", False, "The sex encoded in the NIK differs from the printed one."),
    Reason(
        "nik_region_mismatch",
        False,
        "The NIK region differs from the province printed on the card.",
    ),
    Reason("npwp_invalid", False, "The NPWP number does not have a valid structure."),
    Reason("npwp_checksum", False, "The NPWP check digit is wrong."),
    Reason("npwp_nik_mismatch", False, "The NPWP does not belong to the NIK on the KTP."),
    Reason("name_mismatch", False, "The names on the KTP and the NPWP do not agree."),
    Reason("profile_name_mismatch", False, "The name on the card differs from the profile name."),
    Reason(
        "duplicate_identity",
        False,
        "The identity number is already used on another user's document.",
    ),
    Reason("duplicate_image", False, "The same image was already uploaded by another user."),
    Reason("underage", False, "The holder was under 17 on the date the card was issued."),
    Reason("birth_date_future", False, "The birth date is in the future."),
    Reason("document_expired", False, "The card's validity date has passed."),
    Reason("date_invalid", False, "A date on the card is not a real or plausible date."),
)


def retryable(codes: list[str]) -> bool:
    """True when every listed reason can be fixed by the user with a new upload."""
    return bool(codes) and all(REASONS[code].retryable for code in codes)


# Reasons a reviewer gives for an approval. Findings (``REASONS``) are never reasons to approve;
# these are never produced by the checks.
APPROVAL_REASONS: dict[str, Reason] = _reasons(
    Reason("verified", False, "A reviewer verified the card."),
    Reason(
        "verified_with_corrections",
        False,
        "A reviewer verified the card and corrected fields that were read wrongly.",
    ),
    Reason(
        "name_variant_accepted",
        False,
        "A reviewer accepted the name as the same person's (spelling, order, title or initials).",
    ),
    Reason(
        "quality_acceptable",
        False,
        "A reviewer found the card readable despite the image-quality warning.",
    ),
)
