"""The individual checks run on a parsed document, each a pass / warn / fail / skip verdict.

Every check has a stable ``code``, a reviewer-facing sentence without personal data and, when it
does not pass, a reason code from ``verification.reasons``. Weights live in
``verification.scoring``; this module only decides verdicts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from verification import nik as nik_rules
from verification import npwp as npwp_rules
from verification.consensus import (
    CONFIRMED,
    IDENTITY_FIELDS,
    LETTERS_LOST,
    NOT_PRINTED,
    OUTREAD,
    REGION_OFF,
    SPACE_SEEN,
    U_OR_V,
    UNSURE,
    WORDS_JOINED,
)
from verification.enums import WNI
from verification.names import compare_names, profile_match
from verification.parsing import Parsed
from verification.regions import PROVINCES, province_codes_for_name
from verification.scoring import WEIGHTS
from verification.textfix import parse_iso
from verification.verdicts import CheckStatus

PASS, FAIL, WARN, SKIP = CheckStatus.PASS, CheckStatus.FAIL, CheckStatus.WARN, CheckStatus.SKIP
ADULT_AGE = 17
MIN_WORDS = 8
CONFIDENCE_PASS = 75.0
CONFIDENCE_WARN = 55.0
CRITICAL_CONFIDENCE = 60.0

KTP_REQUIRED = (
    "provinsi",
    "kabupaten_kota",
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "alamat",
    "rt_rw",
    "kel_desa",
    "kecamatan",
    "agama",
    "status_perkawinan",
    "pekerjaan",
    "kewarganegaraan",
    "berlaku_hingga",
)
NPWP_REQUIRED = ("npwp", "nama", "alamat")
CRITICAL_FIELDS = {"ktp": ("nik", "nama"), "npwp": ("npwp", "nama")}


@dataclass(frozen=True)
class DuplicateHit:
    kind: str  # "identity_number" | "file_hash" | "near_image"
    document_id: str


@dataclass
class Context:
    today: date
    profile_name: str = ""
    counterpart: Parsed | None = None
    duplicates: list[DuplicateHit] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    code: str
    status: CheckStatus
    weight: int
    message: str
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": self.status,
            "weight": self.weight,
            "message": self.message,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        return cls(
            code=str(data["code"]),
            status=CheckStatus(str(data["status"])),
            weight=int(data.get("weight", 0)),
            message=str(data.get("message", "")),
            reason=data.get("reason"),
        )


def _check(code: str, status: CheckStatus, message: str, reason: str | None = None) -> Check:
    return Check(
        code=code,
        status=status,
        weight=WEIGHTS[code],
        message=message,
        reason=reason if status in (FAIL, WARN) else None,
    )


def _skip(code: str, message: str) -> Check:
    return _check(code, SKIP, message)


def _years_between(start: date, end: date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


# --- image quality ------------------------------------------------------------------------------

QUALITY_FLAGS: tuple[tuple[str, str, bool, str, str, str], ...] = (
    # code, quality key, value that fails, reason, pass message, fail message
    (
        "image_card_found",
        "card_found",
        False,
        "card_not_found",
        "A card was found in the image.",
        "No card outline was found in the image.",
    ),
    (
        "image_sharpness",
        "blurry",
        True,
        "image_blurry",
        "The image is sharp enough to read.",
        "The image is too blurry to read reliably.",
    ),
    (
        "image_glare",
        "glare_detected",
        True,
        "image_glare",
        "No glare over the text.",
        "Glare covers part of the text area.",
    ),
    (
        "image_resolution",
        "low_resolution",
        True,
        "image_too_small",
        "The card is large enough in the image.",
        "The card is too small in the image.",
    ),
)


def quality_checks(quality: dict[str, Any], parsed: Parsed) -> list[Check]:
    checks = []
    for code, key, failing, reason, ok_message, bad_message in QUALITY_FLAGS:
        if key not in quality:
            checks.append(_skip(code, "Not measured."))
        elif bool(quality[key]) == failing:
            checks.append(_check(code, FAIL, bad_message, reason))
        else:
            checks.append(_check(code, PASS, ok_message))
    if "grayscale_suspected" not in quality:
        checks.append(_skip("image_colour", "Not measured."))
    elif quality["grayscale_suspected"]:
        checks.append(
            _check(
                "image_colour",
                WARN,
                "The image looks grayscale (a photocopy or a scan of one).",
                "image_grayscale",
            )
        )
    else:
        checks.append(_check("image_colour", PASS, "The image is in colour."))
    checks.append(_readable_check(quality, parsed))
    return checks


def _readable_check(quality: dict[str, Any], parsed: Parsed) -> Check:
    words = quality.get("ocr_word_count")
    present = sum(1 for f in parsed.fields.values() if f.value)
    if words is not None and int(words) < MIN_WORDS:
        return _check("text_readable", FAIL, "Almost no text could be read.", "text_unreadable")
    if parsed.detected_type == "unknown" and present <= 2:
        return _check(
            "text_readable", FAIL, "No card fields could be read from the text.", "text_unreadable"
        )
    return _check("text_readable", PASS, "The card text could be read.")


# --- document type and fields -------------------------------------------------------------------


def document_type_check(parsed: Parsed) -> Check:
    detected, declared = parsed.detected_type, parsed.declared_type
    if detected == "unknown":
        return _check(
            "document_type",
            FAIL,
            "The text does not look like a KTP or an NPWP.",
            "wrong_document_type",
        )
    if declared is not None and declared != detected:
        return _check(
            "document_type",
            FAIL,
            f"Declared as {declared.upper()} but the card reads as {detected.upper()}.",
            "wrong_document_type",
        )
    return _check("document_type", PASS, f"The card reads as {detected.upper()}.")


def required_fields(doc_type: str | None) -> tuple[str, ...]:
    if doc_type == "ktp":
        return KTP_REQUIRED
    if doc_type == "npwp":
        return NPWP_REQUIRED
    return ()


def missing_critical(parsed: Parsed) -> list[str]:
    """Names of critical fields (the identity number and the name) that were not read."""
    doc_type = parsed.parsed_type or ""
    return [name for name in CRITICAL_FIELDS.get(doc_type, ()) if not parsed.value(name)]


def field_checks(parsed: Parsed) -> list[Check]:
    required = required_fields(parsed.parsed_type)
    if not required:
        return [
            _skip("fields_complete", "No document type to read fields for."),
            _skip("fields_confidence", "No document type to read fields for."),
        ]
    present = [name for name in required if parsed.value(name)]
    missing = len(required) - len(present)
    share = len(present) / len(required)
    if missing == 0:
        complete = _check("fields_complete", PASS, "Every required field was read.")
    elif share >= 0.8 and not missing_critical(parsed):
        complete = _check(
            "fields_complete",
            WARN,
            f"{missing} required field(s) could not be read.",
            "field_missing",
        )
    else:
        complete = _check(
            "fields_complete",
            FAIL,
            f"{missing} required field(s) could not be read.",
            "field_missing",
        )
    confidences = [parsed.fields[name].confidence for name in present]
    if not confidences:
        return [complete, _skip("fields_confidence", "No fields were read.")]
    mean = sum(confidences) / len(confidences)
    critical_low = any(
        parsed.fields[name].confidence < CRITICAL_CONFIDENCE
        for name in CRITICAL_FIELDS.get(parsed.parsed_type or "", ())
        if name in present
    )
    if mean >= CONFIDENCE_PASS and not critical_low:
        confidence = _check(
            "fields_confidence", PASS, f"Fields read with mean confidence {mean:.0f}."
        )
    elif mean >= CONFIDENCE_WARN:
        confidence = _check(
            "fields_confidence",
            WARN,
            f"Fields read with mean confidence {mean:.0f}; some may be misread.",
            "low_confidence",
        )
    else:
        confidence = _check(
            "fields_confidence",
            FAIL,
            f"Fields read with low mean confidence {mean:.0f}.",
            "low_confidence",
        )
    return [complete, confidence]


# --- NIK ----------------------------------------------------------------------------------------

NIK_STRUCTURE: tuple[tuple[str, str, str, str], ...] = (
    # code, problem code from verification.nik, pass message, fail message
    (
        "nik_province",
        nik_rules.PROVINCE,
        "The NIK province code exists.",
        "The NIK province code does not exist in any Kemendagri edition.",
    ),
    (
        "nik_regency",
        nik_rules.REGENCY,
        "The NIK kabupaten/kota and kecamatan codes are plausible.",
        "The NIK kabupaten/kota or kecamatan code is impossible.",
    ),
    (
        "nik_birth_date",
        nik_rules.BIRTH_DATE,
        "The NIK encodes a real birth date.",
        "The NIK does not encode a real birth date.",
    ),
    (
        "nik_serial",
        nik_rules.SERIAL,
        "The NIK serial number is plausible.",
        "The NIK serial number is 0000.",
    ),
)


def nik_structure_checks(
    number: str | None, subject: str = "NIK", absent: str | None = None
) -> list[Check]:
    """Format and structure of a NIK (also used for the NIK line of an NPWP card); without a
    number every check is skipped, saying ``absent`` (by default: none was read)."""
    if not number:
        why = absent or f"No {subject} was read."
        return [_skip("nik_format", why)] + [_skip(code, why) for code, *_ in NIK_STRUCTURE]
    if len(number) != nik_rules.NIK_LENGTH:
        checks = [
            _check(
                "nik_format",
                FAIL,
                f"The {subject} has {len(number)} digits, not 16.",
                "nik_invalid",
            )
        ]
        return checks + [_skip(code, "The NIK is not 16 digits.") for code, *_ in NIK_STRUCTURE]
    problems = set(nik_rules.problems(number))
    if nik_rules.DISTRICT in problems:
        problems.add(nik_rules.REGENCY)
    checks = [_check("nik_format", PASS, f"The {subject} has 16 digits.")]
    for code, problem, ok_message, bad_message in NIK_STRUCTURE:
        if problem in problems:
            checks.append(_check(code, FAIL, bad_message, "nik_invalid"))
        else:
            checks.append(_check(code, PASS, ok_message))
    return checks


def _nik_parts(parsed: Parsed) -> nik_rules.NikParts | None:
    number = parsed.value("nik")
    parts = nik_rules.split(number) if number else None
    return parts if parts and nik_rules.candidate_birth_dates(parts) else None


def ktp_checks(parsed: Parsed, context: Context) -> list[Check]:
    checks = nik_structure_checks(parsed.value("nik"))
    parts = _nik_parts(parsed)
    printed_birth = parse_iso(parsed.value("tanggal_lahir"))
    sex = parsed.value("jenis_kelamin")

    if parts is None or printed_birth is None:
        checks.append(_skip("nik_dob_matches_card", "NIK or printed birth date not available."))
    elif parts.born_on(printed_birth):
        checks.append(_check("nik_dob_matches_card", PASS, "The NIK birth date matches the card."))
    else:
        checks.append(
            _check(
                "nik_dob_matches_card",
                FAIL,
                "The birth date encoded in the NIK differs from the printed birth date.",
                "nik_dob_mismatch",
            )
        )

    if parts is None or sex is None:
        checks.append(_skip("nik_sex_matches_card", "NIK or printed sex not available."))
    elif parts.of_sex(sex):
        checks.append(_check("nik_sex_matches_card", PASS, "The NIK sex matches the card."))
    else:
        checks.append(
            _check(
                "nik_sex_matches_card",
                FAIL,
                "The sex encoded in the NIK differs from the printed sex.",
                "nik_sex_mismatch",
            )
        )

    checks.append(_region_check(parsed, parts))
    birth = printed_birth or (nik_rules.birth_date(parts, context.today) if parts else None)
    checks.extend(_date_checks(parsed, birth, context.today))
    checks.append(_validity_check(parsed, context.today))
    return checks


def _region_check(parsed: Parsed, parts: nik_rules.NikParts | None) -> Check:
    province = parsed.value("provinsi")
    if parts is None or province is None or province not in PROVINCES.values():
        return _skip("nik_region_matches_card", "NIK or a known printed province not available.")
    if parts.province in province_codes_for_name(province):
        return _check(
            "nik_region_matches_card", PASS, "The NIK region matches the printed province."
        )
    return _check(
        "nik_region_matches_card",
        WARN,
        "The NIK was issued in another province than the one printed (the holder may have moved).",
        "nik_region_mismatch",
    )


def _date_checks(parsed: Parsed, birth: date | None, today: date) -> list[Check]:
    checks = []
    issued = parse_iso(parsed.value("tanggal_diterbitkan"))
    if birth is None:
        checks.append(_skip("birth_date_plausible", "No birth date available."))
    elif birth > today:
        checks.append(
            _check(
                "birth_date_plausible",
                FAIL,
                "The birth date is in the future.",
                "birth_date_future",
            )
        )
    elif birth.year < 1900:
        checks.append(
            _check(
                "birth_date_plausible", FAIL, "The birth date is implausibly early.", "date_invalid"
            )
        )
    else:
        checks.append(_check("birth_date_plausible", PASS, "The birth date is plausible."))

    if birth is None or birth > today:
        checks.append(_skip("age_at_issue", "No usable birth date."))
    else:
        reference = issued if issued is not None and issued <= today else today
        if _years_between(birth, reference) >= ADULT_AGE:
            checks.append(
                _check("age_at_issue", PASS, "The holder was at least 17 when the card was issued.")
            )
        else:
            checks.append(
                _check(
                    "age_at_issue",
                    FAIL,
                    "The holder was under 17 when the card was issued.",
                    "underage",
                )
            )

    if issued is None:
        checks.append(_skip("issue_date", "No issue date was read."))
    elif issued > today or (birth is not None and issued < birth):
        checks.append(_check("issue_date", FAIL, "The issue date is impossible.", "date_invalid"))
    else:
        checks.append(_check("issue_date", PASS, "The issue date is plausible."))
    return checks


def _validity_check(parsed: Parsed, today: date) -> Check:
    """Berlaku Hingga: WNI cards are valid for life (UU 24/2013 art. 64(7)(a)); cards issued in
    2011-2015 that print a date stay valid (SE Mendagri 470/296/SJ), so a past date on a WNI
    card is only a warning. A WNA card's date is the permit expiry and does expire."""
    value = parsed.value("berlaku_hingga")
    if value is None:
        return _skip("card_validity", "No validity date was read.")
    if value == "SEUMUR HIDUP":
        return _check("card_validity", PASS, "The card is valid for life.")
    until = parse_iso(value)
    if until is None:
        return _skip("card_validity", "The validity date could not be read.")
    if until >= today:
        return _check("card_validity", PASS, "The card's validity date has not passed.")
    if (parsed.value("kewarganegaraan") or WNI) == WNI:
        return _check(
            "card_validity",
            WARN,
            "The printed validity date has passed; WNI KTP-el cards remain valid for life.",
            "document_expired",
        )
    return _check(
        "card_validity", FAIL, "The foreign resident's card has expired.", "document_expired"
    )


# --- NPWP ---------------------------------------------------------------------------------------


def npwp_checks(parsed: Parsed, context: Context) -> list[Check]:
    number = parsed.value("npwp")
    checks: list[Check] = []
    kind = npwp_rules.kind(number) if number else None
    if not number:
        checks.append(_skip("npwp_format", "No NPWP number was read."))
    elif kind is None:
        checks.append(
            _check(
                "npwp_format",
                FAIL,
                f"The NPWP has {len(number)} digits, not 15 or 16.",
                "npwp_invalid",
            )
        )
    else:
        checks.append(_check("npwp_format", PASS, "The NPWP has a valid length."))

    if kind in (npwp_rules.LEGACY, npwp_rules.ENTITY16) and number:
        digits = npwp_rules.checksum_digits(number) or ""
        if npwp_rules.luhn_valid(digits):
            checks.append(_check("npwp_checksum", PASS, "The NPWP check digit is correct."))
        else:
            checks.append(
                _check("npwp_checksum", FAIL, "The NPWP check digit is wrong.", "npwp_checksum")
            )
    else:
        checks.append(_skip("npwp_checksum", "Not a 15-digit or 0-prefixed NPWP."))

    if kind == npwp_rules.NIK16 and number:
        problems = nik_rules.problems(number)
        if problems:
            checks.append(
                _check(
                    "npwp_nik_structure",
                    FAIL,
                    "The 16-digit NPWP is not a structurally valid NIK ("
                    + ", ".join(problems)
                    + ").",
                    "npwp_invalid",
                )
            )
        else:
            checks.append(_check("npwp_nik_structure", PASS, "The 16-digit NPWP is a valid NIK."))
    else:
        checks.append(_skip("npwp_nik_structure", "The NPWP is not a NIK."))

    nik_line = parsed.value("nik")
    absent = "The card prints no NIK line." if _prints_no_nik_line(parsed) else None
    checks.extend(nik_structure_checks(nik_line, subject="NIK line", absent=absent))
    if kind == npwp_rules.NIK16 and number and nik_line:
        if nik_line == number:
            checks.append(_check("npwp_matches_nik_line", PASS, "The NPWP equals the printed NIK."))
        else:
            checks.append(
                _check(
                    "npwp_matches_nik_line",
                    FAIL,
                    "The 16-digit NPWP differs from the NIK printed on the same card.",
                    "npwp_nik_mismatch",
                )
            )
    else:
        checks.append(_skip("npwp_matches_nik_line", "Not a NIK-based NPWP with a NIK line."))

    registered = parse_iso(parsed.value("tanggal_terdaftar"))
    if registered is None:
        checks.append(_skip("registration_date", "No registration date was read."))
    elif registered > context.today:
        checks.append(
            _check(
                "registration_date", FAIL, "The registration date is in the future.", "date_invalid"
            )
        )
    else:
        checks.append(_check("registration_date", PASS, "The registration date is plausible."))
    return checks


# --- cross-document, profile, duplicates --------------------------------------------------------


def _identity_numbers(parsed: Parsed) -> set[str]:
    """NIKs an NPWP document vouches for: a NIK-based NPWP and the printed NIK line."""
    numbers = set()
    number = parsed.value("npwp")
    if number and npwp_rules.kind(number) == npwp_rules.NIK16:
        numbers.add(number)
    if parsed.value("nik"):
        numbers.add(parsed.value("nik") or "")
    return numbers


def cross_checks(parsed: Parsed, context: Context) -> list[Check]:
    other = context.counterpart
    pair = _ktp_npwp_pair(parsed, other)
    if pair is None:
        return [
            _skip("cross_nik_npwp", "No document of the other type to compare with."),
            _skip("cross_name", "No document of the other type to compare with."),
        ]
    ktp, npwp_doc = pair
    checks = []
    nik = ktp.value("nik")
    vouched = _identity_numbers(npwp_doc)
    if not nik or not vouched:
        checks.append(_skip("cross_nik_npwp", "The NPWP carries no NIK to compare with."))
    elif nik in vouched:
        checks.append(_check("cross_nik_npwp", PASS, "The NPWP belongs to the NIK on the KTP."))
    else:
        checks.append(
            _check(
                "cross_nik_npwp",
                FAIL,
                "The NIK on the KTP differs from the NIK of the NPWP.",
                "npwp_nik_mismatch",
            )
        )
    left, right = ktp.value("nama"), npwp_doc.value("nama")
    if not left or not right:
        checks.append(_skip("cross_name", "A name is missing on one of the documents."))
    else:
        match = compare_names(left, right)
        messages = {
            PASS: "The names on the KTP and the NPWP agree.",
            WARN: "The names on the KTP and the NPWP agree only partly.",
            FAIL: "The names on the KTP and the NPWP differ.",
        }
        checks.append(_check("cross_name", match.status, messages[match.status], "name_mismatch"))
    return checks


def _ktp_npwp_pair(parsed: Parsed, other: Parsed | None) -> tuple[Parsed, Parsed] | None:
    if other is None:
        return None
    kinds = (parsed.parsed_type, other.parsed_type)
    if kinds == ("ktp", "npwp"):
        return parsed, other
    if kinds == ("npwp", "ktp"):
        return other, parsed
    return None


def profile_check(parsed: Parsed, context: Context) -> Check:
    profile = context.profile_name.strip()
    names = [
        n
        for n in (parsed.value("nama"), context.counterpart and context.counterpart.value("nama"))
        if n
    ]
    if not profile or not names:
        return _skip("profile_name", "No profile name or card name to compare.")
    statuses = [profile_match(profile, name).status for name in names]
    if FAIL in statuses:
        return _check(
            "profile_name",
            FAIL,
            "The profile name does not match the name on the card.",
            "profile_name_mismatch",
        )
    if WARN in statuses:
        return _check(
            "profile_name",
            WARN,
            "The profile name matches the card name only partly.",
            "profile_name_mismatch",
        )
    return _check("profile_name", PASS, "The profile name matches the name on the card.")


def duplicate_checks(context: Context) -> list[Check]:
    identity = [hit for hit in context.duplicates if hit.kind == "identity_number"]
    images = [hit for hit in context.duplicates if hit.kind in ("file_hash", "near_image")]
    checks = []
    if identity:
        checks.append(
            _check(
                "duplicate_identity",
                FAIL,
                f"The identity number appears on {len(identity)} other user's document(s).",
                "duplicate_identity",
            )
        )
    else:
        checks.append(_check("duplicate_identity", PASS, "No other user has this identity number."))
    if images:
        checks.append(
            _check(
                "duplicate_image",
                FAIL,
                f"The image matches {len(images)} document(s) of other users.",
                "duplicate_image",
            )
        )
    else:
        checks.append(_check("duplicate_image", PASS, "No other user uploaded this image."))
    return checks


def run_checks(parsed: Parsed, quality: dict[str, Any], context: Context) -> list[Check]:
    """All checks for one document, in a stable order."""
    checks = quality_checks(quality, parsed)
    checks.append(document_type_check(parsed))
    checks.extend(field_checks(parsed))
    per_type: dict[str, Callable[[Parsed, Context], list[Check]]] = {
        "ktp": ktp_checks,
        "npwp": npwp_checks,
    }
    if parsed.parsed_type in per_type:
        checks.extend(per_type[parsed.parsed_type or ""](parsed, context))
    checks.append(identity_check(parsed, checks, quality))
    checks.extend(cross_checks(parsed, context))
    checks.append(profile_check(parsed, context))
    checks.extend(duplicate_checks(context))
    return _forgive_readable_card(parsed, checks)


# The checks that verify who the card belongs to: each must have run and passed (a skipped
# check is not a pass) before a card may be approved without a person. Tuples are
# alternatives: one of them passing is enough (an NPWP is either check-digit or NIK based).
IDENTITY_CHECKS: dict[str, tuple[tuple[str, ...], ...]] = {
    "ktp": (
        ("document_type",),
        ("nik_format",),
        ("nik_province",),
        ("nik_regency",),
        ("nik_birth_date",),
        ("nik_serial",),
        ("nik_dob_matches_card",),
        ("nik_sex_matches_card",),
    ),
    "npwp": (
        ("document_type",),
        ("npwp_format",),
        ("npwp_checksum", "npwp_nik_structure"),
        ("nik_format",),
        ("nik_province",),
        ("nik_birth_date",),
    ),
}
NIK_LINE_CHECKS = frozenset({"nik_format", "nik_province", "nik_birth_date"})


def _prints_no_nik_line(parsed: Parsed) -> bool:
    """The NPWP prints no NIK line (``verification.consensus``): the NIK line's checks do not
    apply, and there is no NIK to confirm."""
    found = parsed.fields.get("nik")
    return found is not None and found.agreement == NOT_PRINTED and not found.value


FIELD_TITLES = {
    "nik": "NIK",
    "npwp": "NPWP number",
    "nama": "name",
    "tanggal_lahir": "birth date",
    "jenis_kelamin": "sex",
}


# Why an identity field both engines read alike is not trusted, by its agreement
# (``verification.consensus``); ``{title}`` is the field's title.
DOUBTS = {
    UNSURE: "the {title} was read alike by both engines, neither of them sure",
    LETTERS_LOST: (
        "the {title} was read alike by both engines, but a read of this card lost an I of a "
        "printed word (a thin letter the print sets against its neighbours), so the {title} may "
        "have lost one too"
    ),
    U_OR_V: (
        "the {title} was read alike by both engines, but it holds a U where a V reads as well "
        "(between two vowels, or a word's first letter before one), and faces that round a V's "
        "foot are read U by every engine"
    ),
    WORDS_JOINED: (
        "the {title} was read alike by both engines, but it holds a word longer than names' "
        "words run: words a blurred photo set close may have been read as one"
    ),
    SPACE_SEEN: (
        "the {title} was read alike by both engines, but PP-OCRv4's read of its box or the "
        "card's print shows a space inside one of its words: two words set close may have been "
        "read as one"
    ),
    REGION_OFF: (
        "the {title} was read alike by both engines, but its regency code is one look-alike "
        "digit off the regency the header names: a digit may have been misread alike (a holder "
        "who moved carries another region's code)"
    ),
    OUTREAD: (
        "the {title} was read alike by both engines, but PP-OCRv4's read of its box gives other "
        "letters, surer of them than PP-OCR was of its read"
    ),
}


# Below this width in the photo (about 240 dpi across an 85.6 mm card) both engines agree on a
# misread letter now and then: on hard phone photos sent through a messaging app (1,280 pixels),
# cards 730-750 pixels wide had ``FAJRIAH`` read ``FAIRIAH`` and ``ESTI ASTUTI`` read
# ``ESTIASTUTI`` by both, each confirmed. Such a card is read and decided as any other, but a
# person approves it.
APPROVAL_MIN_CARD_WIDTH = 800


def identity_check(
    parsed: Parsed, checks: list[Check], quality: dict[str, Any] | None = None
) -> Check:
    """Every identity field read, confirmed by two engines, and every identity check passed, on
    a card imaged large enough for two agreeing reads to mean the printed letters."""
    doc_type = parsed.parsed_type or ""
    if doc_type not in IDENTITY_FIELDS:
        return _skip("identity_verified", "No document type to verify an identity on.")
    problems = []
    width = (quality or {}).get("card_source_width")
    if isinstance(width, (int, float)) and 0 < width < APPROVAL_MIN_CARD_WIDTH:
        problems.append(
            f"the card is {width:.0f} pixels wide in the image, under the "
            f"{APPROVAL_MIN_CARD_WIDTH} at which agreeing reads are trusted"
        )
    not_printed = doc_type == "npwp" and _prints_no_nik_line(parsed)
    for name in IDENTITY_FIELDS[doc_type]:
        found = parsed.fields.get(name)
        title = FIELD_TITLES.get(name, name)
        if name == "nik" and not_printed:
            continue  # the card prints no NIK line: nothing to verify beside the number
        if found is None or not found.value:
            problems.append(f"the {title} was not read")
        elif found.agreement in DOUBTS:
            problems.append(DOUBTS[found.agreement].format(title=title))
        elif found.agreement != CONFIRMED:
            problems.append(f"the {title} was not confirmed by a second read")
    status = {c.code: c.status for c in checks}
    for alternatives in IDENTITY_CHECKS[doc_type]:
        if not_printed and set(alternatives) <= NIK_LINE_CHECKS:
            continue
        if not any(status.get(code) == PASS for code in alternatives):
            problems.append(f"check {' or '.join(alternatives)} did not pass")
    nik_based = npwp_rules.kind(parsed.value("npwp") or "") == npwp_rules.NIK16
    matched = status.get("npwp_matches_nik_line") == PASS
    if doc_type == "npwp" and nik_based and not matched and not not_printed:
        problems.append("check npwp_matches_nik_line did not pass")
    if problems:
        return _check(
            "identity_verified",
            FAIL,
            "The identity could not be verified automatically: " + "; ".join(problems) + ".",
            "identity_unverified",
        )
    return _check(
        "identity_verified",
        PASS,
        "Every identity field was read, confirmed by two engines and passed its checks.",
    )


# Quality measures say "the text may be misread"; they are proxies. A card whose identity
# number and name were read is readable: a failing measure (no outline seen, blur, glare, a
# small card) then costs points as a warning instead of rejecting the card as "please retake".
# Whether it may be approved is the identity check's business: unconfirmed reads go to a person.
FORGIVABLE_QUALITY = frozenset(
    {"image_card_found", "image_sharpness", "image_glare", "image_resolution"}
)


def _forgive_readable_card(parsed: Parsed, checks: list[Check]) -> list[Check]:
    flagged = [c for c in checks if c.code in FORGIVABLE_QUALITY and c.status == FAIL]
    if not flagged or parsed.parsed_type not in CRITICAL_FIELDS or missing_critical(parsed):
        return checks
    return [
        _check(c.code, WARN, c.message + " The card was nevertheless read.", c.reason)
        if c in flagged
        else c
        for c in checks
    ]
