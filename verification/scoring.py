"""Every weight, cap and decision rule of the automatic verification, in one place.

Score (0-100)
    Checks are grouped into named components, each worth a fixed number of points:

    ========== ====== ==========================================================
    component  points checks
    ========== ====== ==========================================================
    fields     20     field completeness and OCR confidence of the values
    validity   40     document type, NIK / NPWP structure, NIK vs card, dates
    cross      15     KTP <-> NPWP agreement, profile name
    quality    15     card found, sharpness, glare, size, colour, readable text
    duplicates 10     identity number / image not used by another user
    ========== ====== ==========================================================

    Within a component a check earns its weight on ``pass``, half on ``warn`` and nothing on
    ``fail``; ``skip`` (not applicable) leaves the check out. A component's points are scaled by
    the share of its applicable weight earned; components with no applicable check (e.g. cross
    without a counterpart or profile name) are left out and the total is rescaled to 100. Then
    caps apply: a triggered cap limits the score (``CAPS``), so one hard failure cannot be
    outweighed by many passes.

Decision, in this order of precedence (first rule that applies wins):
    1. a duplicate (identity number or image of another user) -> ``in_review``: never
       automatic, a person must look at it even when the photo is poor;
    2. an image-quality failure (card not found, blurry, glare, too small, text unreadable) ->
       ``auto_rejected`` with retryable reasons: ask for a new photo rather than guess;
    3. wrong document type -> ``auto_rejected`` (retryable: upload the right card);
    4. a hard NIK inconsistency on a readable card (NIK not 16 digits, impossible province /
       region / birth date / serial, NIK birth date or sex differs from the printed one) ->
       ``in_review`` whatever the score;
    5. the score: ``>= approve_at`` -> ``auto_approved``; ``<= reject_at`` -> ``auto_rejected``;
       otherwise ``in_review``;
    6. a would-be approval is downgraded to ``in_review`` when any ``NEVER_APPROVE`` check
       failed (identity not verified: an identity field unread or not confirmed by a second
       engine, or an identity check skipped; NPWP checksum or structure, impossible dates,
       cross-document or profile-name mismatch, missing critical field, expired foreign card),
       whatever the thresholds are. Or did not run: ``identity_verified`` must be present and
       pass, so a skipped check never counts as a pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from documents.status import Outcome
from verification.reasons import REASONS
from verification.verdicts import CheckStatus

if TYPE_CHECKING:
    from verification.checks import Check

AUTO_APPROVED = Outcome.AUTO_APPROVED
AUTO_REJECTED = Outcome.AUTO_REJECTED
IN_REVIEW = Outcome.IN_REVIEW
STATUS_CREDIT = {CheckStatus.PASS: 1.0, CheckStatus.WARN: 0.5, CheckStatus.FAIL: 0.0}

COMPONENT_POINTS: dict[str, int] = {
    "fields": 20,
    "validity": 40,
    "cross": 15,
    "quality": 15,
    "duplicates": 10,
}

# Check code -> (component, weight within the component).
CHECK_TABLE: dict[str, tuple[str, int]] = {
    "fields_complete": ("fields", 3),
    "fields_confidence": ("fields", 2),
    "document_type": ("validity", 5),
    "nik_format": ("validity", 5),
    "nik_province": ("validity", 3),
    "nik_regency": ("validity", 2),
    "nik_birth_date": ("validity", 3),
    "nik_serial": ("validity", 1),
    "nik_dob_matches_card": ("validity", 5),
    "nik_sex_matches_card": ("validity", 5),
    "nik_region_matches_card": ("validity", 2),
    "birth_date_plausible": ("validity", 3),
    "age_at_issue": ("validity", 3),
    "issue_date": ("validity", 1),
    "card_validity": ("validity", 2),
    "npwp_format": ("validity", 5),
    "npwp_checksum": ("validity", 5),
    "npwp_nik_structure": ("validity", 5),
    "npwp_matches_nik_line": ("validity", 4),
    "registration_date": ("validity", 1),
    "identity_verified": ("validity", 5),
    "cross_nik_npwp": ("cross", 5),
    "cross_name": ("cross", 4),
    "profile_name": ("cross", 3),
    "image_card_found": ("quality", 3),
    "image_sharpness": ("quality", 3),
    "image_glare": ("quality", 2),
    "image_resolution": ("quality", 2),
    "image_colour": ("quality", 1),
    "text_readable": ("quality", 3),
    "duplicate_identity": ("duplicates", 5),
    "duplicate_image": ("duplicates", 5),
}
WEIGHTS: dict[str, int] = {code: weight for code, (_, weight) in CHECK_TABLE.items()}


@dataclass(frozen=True)
class Cap:
    name: str
    limit: int
    codes: frozenset[str]  # a ``fail`` of any of these triggers the cap


CAPS: tuple[Cap, ...] = (
    Cap(
        "image_quality",
        20,
        frozenset(
            {
                "image_card_found",
                "image_sharpness",
                "image_glare",
                "image_resolution",
                "text_readable",
            }
        ),
    ),
    Cap("wrong_document_type", 20, frozenset({"document_type"})),
    Cap("fields_missing", 50, frozenset({"fields_complete"})),
    Cap(
        "nik_inconsistent",
        60,
        frozenset(
            {
                "nik_format",
                "nik_province",
                "nik_regency",
                "nik_birth_date",
                "nik_serial",
                "nik_dob_matches_card",
                "nik_sex_matches_card",
            }
        ),
    ),
    Cap(
        "npwp_invalid",
        60,
        frozenset({"npwp_format", "npwp_checksum", "npwp_nik_structure", "npwp_matches_nik_line"}),
    ),
    Cap(
        "implausible_dates",
        60,
        frozenset({"birth_date_plausible", "age_at_issue", "issue_date", "registration_date"}),
    ),
    Cap("expired", 60, frozenset({"card_validity"})),
    Cap("duplicate", 60, frozenset({"duplicate_identity", "duplicate_image"})),
    Cap("cross_document_mismatch", 70, frozenset({"cross_nik_npwp", "cross_name", "profile_name"})),
)

DUPLICATE_CODES = frozenset({"duplicate_identity", "duplicate_image"})
QUALITY_FAILURE_CODES = next(cap.codes for cap in CAPS if cap.name == "image_quality")
WRONG_TYPE_CODES = frozenset({"document_type"})
FORCE_REVIEW_CODES = next(cap.codes for cap in CAPS if cap.name == "nik_inconsistent")
NEVER_APPROVE_CODES = frozenset(
    {
        "identity_verified",
        "fields_complete",
        "npwp_format",
        "npwp_checksum",
        "npwp_nik_structure",
        "npwp_matches_nik_line",
        "birth_date_plausible",
        "age_at_issue",
        "issue_date",
        "registration_date",
        "card_validity",
        "cross_nik_npwp",
        "cross_name",
        "profile_name",
    }
)

# Most important first; quality reasons lead instead when the decision is a "please retake".
REASON_ORDER: tuple[str, ...] = (
    "duplicate_identity",
    "duplicate_image",
    "nik_dob_mismatch",
    "nik_sex_mismatch",
    "nik_invalid",
    "npwp_nik_mismatch",
    "npwp_checksum",
    "npwp_invalid",
    "name_mismatch",
    "profile_name_mismatch",
    "birth_date_future",
    "underage",
    "date_invalid",
    "document_expired",
    "wrong_document_type",
    "card_not_found",
    "image_blurry",
    "image_glare",
    "image_too_small",
    "text_unreadable",
    "identity_unverified",
    "field_missing",
    "low_confidence",
    "nik_region_mismatch",
    "image_grayscale",
)
RETAKE_REASONS = frozenset(
    {"card_not_found", "image_blurry", "image_glare", "image_too_small", "text_unreadable"}
)


@dataclass
class Assessment:
    checks: list[Check]
    score: int
    breakdown: dict[str, Any]
    decision: str
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "checks": [c.to_dict() for c in self.checks],
            "score": self.score,
            "breakdown": self.breakdown,
            "decision": self.decision,
            "reasons": list(self.reasons),
        }


def _failed(checks: list[Check], codes: frozenset[str]) -> bool:
    return any(c.status == CheckStatus.FAIL and c.code in codes for c in checks)


def _passed(checks: list[Check], code: str) -> bool:
    return any(c.code == code and c.status == CheckStatus.PASS for c in checks)


def score_checks(checks: list[Check]) -> tuple[int, dict[str, Any]]:
    """The capped 0-100 score and its breakdown (components, raw score, caps applied)."""
    components: dict[str, dict[str, float]] = {}
    for name, points in COMPONENT_POINTS.items():
        members = [c for c in checks if CHECK_TABLE.get(c.code, ("", 0))[0] == name]
        applicable = [c for c in members if c.status in STATUS_CREDIT]
        possible = sum(c.weight for c in applicable)
        if possible == 0:
            continue
        earned = sum(c.weight * STATUS_CREDIT[c.status] for c in applicable)
        components[name] = {
            "points": points,
            "earned": round(points * earned / possible, 2),
            "checks": len(applicable),
        }
    total_points = sum(c["points"] for c in components.values())
    earned_points = sum(c["earned"] for c in components.values())
    raw = 100.0 * earned_points / total_points if total_points else 0.0
    score = round(raw)
    applied = []
    for cap in CAPS:
        if _failed(checks, cap.codes):
            applied.append({"name": cap.name, "limit": cap.limit})
            score = min(score, cap.limit)
    breakdown: dict[str, Any] = {
        "components": components,
        "raw_score": round(raw, 2),
        "caps": applied,
    }
    return max(0, min(100, score)), breakdown


def _reasons(checks: list[Check], retake_first: bool) -> list[str]:
    def rank(check: Check) -> tuple[int, int, int]:
        code = check.reason or ""
        lead = 0 if retake_first and code in RETAKE_REASONS else 1
        order = REASON_ORDER.index(code) if code in REASON_ORDER else len(REASON_ORDER)
        return (lead, 0 if check.status == CheckStatus.FAIL else 1, order)

    flagged = sorted(
        (
            c
            for c in checks
            if c.status in (CheckStatus.FAIL, CheckStatus.WARN) and c.reason in REASONS
        ),
        key=rank,
    )
    reasons: list[str] = []
    for check in flagged:
        if check.reason and check.reason not in reasons:
            reasons.append(check.reason)
    return reasons


def decide(checks: list[Check], *, approve_at: int, reject_at: int) -> Assessment:
    """Score the checks and apply the precedence in the module docstring."""
    if not 0 <= reject_at < approve_at <= 100:
        raise ValueError("thresholds must satisfy 0 <= reject_at < approve_at <= 100")
    score, breakdown = score_checks(checks)
    if _failed(checks, DUPLICATE_CODES):
        decision, rule = IN_REVIEW, "duplicate"
    elif _failed(checks, QUALITY_FAILURE_CODES):
        decision, rule = AUTO_REJECTED, "image_quality"
    elif _failed(checks, WRONG_TYPE_CODES):
        decision, rule = AUTO_REJECTED, "wrong_document_type"
    elif _failed(checks, FORCE_REVIEW_CODES):
        decision, rule = IN_REVIEW, "nik_inconsistent"
    elif score >= approve_at:
        decision, rule = AUTO_APPROVED, "score"
        if _failed(checks, NEVER_APPROVE_CODES) or not _passed(checks, "identity_verified"):
            decision, rule = IN_REVIEW, "never_auto_approve"
    elif score <= reject_at:
        decision, rule = AUTO_REJECTED, "score"
    else:
        decision, rule = IN_REVIEW, "score"
    breakdown["rule"] = rule
    breakdown["thresholds"] = {"approve_at": approve_at, "reject_at": reject_at}
    reasons = _reasons(checks, retake_first=rule in ("image_quality", "wrong_document_type"))
    return Assessment(
        checks=checks, score=score, breakdown=breakdown, decision=decision, reasons=reasons
    )
