"""Checks, score and decision: each check's pass and fail, caps, thresholds and overrides."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest

from ocr_gpu.testing.cards import card_lines, luhn_check_digit, nik_for, random_ktp, random_npwp
from verification.engine import Context, DuplicateHit, Field, Parsed, assess, parse
from verification.parsing import lines_to_ocr
from verification.reasons import REASONS, retryable
from verification.scoring import CAPS, COMPONENT_POINTS

TODAY = date(2026, 11, 29)
GOOD_QUALITY = {
    "card_found": True,
    "blurry": False,
    "glare_detected": False,
    "low_resolution": False,
    "grayscale_suspected": False,
    "ocr_word_count": 60,
}
REQUIRED_REASONS = {
    "image_blurry",
    "image_glare",
    "card_not_found",
    "image_too_small",
    "text_unreadable",
    "wrong_document_type",
    "field_missing",
    "nik_invalid",
    "nik_dob_mismatch",
    "nik_sex_mismatch",
    "nik_region_mismatch",
    "npwp_checksum",
    "npwp_invalid",
    "npwp_nik_mismatch",
    "name_mismatch",
    "profile_name_mismatch",
    "duplicate_identity",
    "duplicate_image",
    "underage",
    "birth_date_future",
    "document_expired",
    "low_confidence",
}


def parsed_of(
    doc_type: str,
    fields: dict[str, str | None],
    declared: str | None = None,
    agreement: str = "confirmed",
) -> Parsed:
    """Fields as two agreeing engines would return them (``agreement`` to say otherwise)."""
    return Parsed(
        declared_type=declared or doc_type,
        detected_type=doc_type,
        fields={
            k: Field(value=v, raw=v or "", confidence=95.0, box=None, agreement=agreement)
            for k, v in fields.items()
        },
    )


def ktp(seed: int = 1, **changes: str | None) -> Parsed:
    fields: dict[str, str | None] = dict(random_ktp(random.Random(seed)))
    fields.update(changes)
    return parsed_of("ktp", fields)


def npwp_card(seed: int = 1, **changes: str | None) -> Parsed:
    fields: dict[str, str | None] = dict(random_npwp(random.Random(seed)))
    fields.update(changes)
    return parsed_of("npwp", fields)


def run(parsed, quality=None, approve_at=85, reject_at=35, **context):
    return assess(
        parsed,
        GOOD_QUALITY if quality is None else quality,
        Context(today=TODAY, **context),
        approve_at=approve_at,
        reject_at=reject_at,
    )


def status(assessment, code: str) -> str:
    found = [c for c in assessment.checks if c.code == code]
    assert len(found) == 1, f"{code}: {[c.code for c in assessment.checks]}"
    return found[0].status


def legacy_npwp(first_eight: str = "54480530", suffix: str = "842000") -> str:
    return first_eight + luhn_check_digit(first_eight) + suffix


# --- valid documents --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_a_consistent_ktp_is_auto_approved_with_nothing_failing(seed):
    result = run(ktp(seed))

    assert result.decision == "auto_approved"
    assert result.score >= 95
    assert not [c for c in result.checks if c.status == "fail"]


@pytest.mark.parametrize("npwp", [legacy_npwp(), "0" + legacy_npwp(), None])
def test_each_npwp_format_is_auto_approved_when_valid(npwp):
    card = npwp_card(2)
    number = npwp or card.value("nik")
    card.fields["npwp"] = Field(number, number or "", 95.0, agreement="confirmed")

    result = run(card)

    assert result.decision == "auto_approved", result.reasons
    assert status(result, "npwp_format") == "pass"
    expected = "skip" if number and len(number) == 16 and number[0] != "0" else "pass"
    assert status(result, "npwp_checksum") == expected


# --- NIK --------------------------------------------------------------------------------------


def test_a_nik_with_a_wrong_length_goes_to_review():
    result = run(ktp(nik="327301520590001"))

    assert status(result, "nik_format") == "fail"
    assert result.decision == "in_review"
    assert result.reasons[0] == "nik_invalid"


@pytest.mark.parametrize(
    ("position", "value", "check"),
    [
        (0, "00", "nik_province"),
        (2, "00", "nik_regency"),
        (6, "35", "nik_birth_date"),
        (12, "0000", "nik_serial"),
    ],
)
def test_an_impossible_nik_is_never_approved(position, value, check):
    card = ktp(3)
    number = card.value("nik") or ""
    result = run(ktp(3, nik=number[:position] + value + number[position + len(value) :]))

    assert status(result, check) == "fail"
    assert result.decision == "in_review"
    assert "nik_invalid" in result.reasons


def test_a_printed_birth_date_that_disagrees_with_the_nik_goes_to_review_whatever_the_score():
    card = ktp(4)
    shifted = date.fromisoformat(card.value("tanggal_lahir") or "").replace(year=1971).isoformat()

    for approve_at, reject_at in ((85, 35), (50, 10), (99, 98)):
        result = run(ktp(4, tanggal_lahir=shifted), approve_at=approve_at, reject_at=reject_at)

        assert status(result, "nik_dob_matches_card") == "fail"
        assert result.decision == "in_review"
        assert result.reasons[0] == "nik_dob_mismatch"


def test_a_printed_sex_that_disagrees_with_the_nik_goes_to_review():
    card = ktp(5)
    other = "PEREMPUAN" if card.value("jenis_kelamin") == "LAKI-LAKI" else "LAKI-LAKI"

    result = run(ktp(5, jenis_kelamin=other))

    assert status(result, "nik_sex_matches_card") == "fail"
    assert result.decision == "in_review"
    assert result.reasons[0] == "nik_sex_mismatch"


def test_a_nik_from_another_province_is_only_a_soft_signal():
    result = run(ktp(6, provinsi="MALUKU UTARA"))

    assert status(result, "nik_region_matches_card") == "warn"
    assert result.decision == "auto_approved"
    assert result.reasons == ["nik_region_mismatch"]


def test_a_nik_issued_before_a_province_split_matches_the_new_province():
    birth = date(1990, 5, 12)
    result = run(
        ktp(
            7,
            provinsi="KALIMANTAN UTARA",
            nik=nik_for("647101", birth, False, 12),
            tanggal_lahir=birth.isoformat(),
            jenis_kelamin="LAKI-LAKI",
        )
    )

    assert status(result, "nik_region_matches_card") == "pass"


# --- dates ------------------------------------------------------------------------------------


def test_a_birth_date_in_the_future_is_never_approved():
    future = date(2027, 3, 4)
    result = run(
        ktp(
            8,
            tanggal_lahir=future.isoformat(),
            nik=nik_for("327301", future, False, 5),
            jenis_kelamin="LAKI-LAKI",
        ),
        approve_at=40,
        reject_at=10,
    )

    assert status(result, "birth_date_plausible") == "fail"
    assert result.decision == "in_review"
    assert "birth_date_future" in result.reasons


def test_a_holder_under_17_on_the_issue_date_is_flagged():
    birth = date(2005, 6, 1)
    result = run(
        ktp(
            9,
            tanggal_lahir=birth.isoformat(),
            nik=nik_for("327301", birth, True, 5),
            jenis_kelamin="PEREMPUAN",
            tanggal_diterbitkan="2022-05-31",
        )
    )

    assert status(result, "age_at_issue") == "fail"
    assert result.decision == "in_review"
    assert "underage" in result.reasons


def test_a_holder_who_turned_17_on_the_issue_date_passes():
    birth = date(2005, 6, 1)
    result = run(
        ktp(
            9,
            tanggal_lahir=birth.isoformat(),
            nik=nik_for("327301", birth, True, 5),
            jenis_kelamin="PEREMPUAN",
            tanggal_diterbitkan="2022-06-01",
        )
    )

    assert status(result, "age_at_issue") == "pass"


def test_an_old_expiry_date_on_a_wni_card_is_a_warning_because_ktp_el_is_valid_for_life():
    result = run(ktp(10, berlaku_hingga="2019-06-24", kewarganegaraan="WNI"))

    assert status(result, "card_validity") == "warn"
    assert result.decision == "auto_approved"


def test_an_expired_foreign_residents_card_is_not_approved():
    result = run(ktp(10, berlaku_hingga="2019-06-24", kewarganegaraan="MALAYSIA"))

    assert status(result, "card_validity") == "fail"
    assert result.decision == "in_review"
    assert "document_expired" in result.reasons


def test_seumur_hidup_passes_validity():
    assert status(run(ktp(10, berlaku_hingga="SEUMUR HIDUP")), "card_validity") == "pass"


# --- NPWP -------------------------------------------------------------------------------------


def test_an_npwp_with_a_wrong_check_digit_is_never_auto_approved():
    number = legacy_npwp()
    wrong = number[:8] + str((int(number[8]) + 1) % 10) + number[9:]

    result = run(npwp_card(11, npwp=wrong), approve_at=50, reject_at=10)

    assert status(result, "npwp_checksum") == "fail"
    assert result.decision == "in_review"
    assert result.reasons[0] == "npwp_checksum"


def test_a_nik_based_npwp_that_is_not_a_valid_nik_is_never_approved():
    result = run(npwp_card(12, npwp="9973015205900007", nik=None), approve_at=50, reject_at=10)

    assert status(result, "npwp_format") == "pass"
    assert status(result, "npwp_nik_structure") == "fail"
    assert result.decision == "in_review"
    assert result.reasons[0] == "npwp_invalid"


def test_a_nik_based_npwp_must_equal_the_nik_printed_under_it():
    card = npwp_card(13)
    nik = card.value("nik") or ""
    other = nik[:-1] + str((int(nik[-1]) + 1) % 10)

    result = run(npwp_card(13, npwp=other))

    assert status(result, "npwp_matches_nik_line") == "fail"
    assert result.decision == "in_review"
    assert "npwp_nik_mismatch" in result.reasons


# --- cross-document and profile ---------------------------------------------------------------


def test_ktp_and_npwp_of_the_same_person_agree():
    person = ktp(14)
    tax = npwp_card(
        14,
        npwp=person.value("nik"),
        nik=person.value("nik"),
        nama=f"H. {person.value('nama')}, S.E.",
    )

    result = run(person, counterpart=tax)

    assert status(result, "cross_nik_npwp") == "pass"
    assert status(result, "cross_name") == "pass"
    assert result.decision == "auto_approved"


def test_an_npwp_of_someone_else_sends_the_ktp_to_review():
    person = ktp(15)
    stranger = npwp_card(16)

    result = run(person, counterpart=stranger)

    assert status(result, "cross_nik_npwp") == "fail"
    assert status(result, "cross_name") == "fail"
    assert result.decision == "in_review"
    assert {"npwp_nik_mismatch", "name_mismatch"} <= set(result.reasons)


def test_a_legacy_npwp_without_a_nik_line_skips_the_nik_comparison():
    person = ktp(17)
    tax = npwp_card(17, npwp=legacy_npwp(), nik=None, nama=person.value("nama"))

    result = run(tax, counterpart=person)

    assert status(result, "cross_nik_npwp") == "skip"
    assert status(result, "cross_name") == "pass"


def test_the_profile_name_must_match_the_card():
    assert status(run(ktp(18, nama="BUDI SANTOSO"), profile_name="Budi"), "profile_name") == "pass"

    result = run(ktp(18, nama="BUDI SANTOSO"), profile_name="Agus Wijaya")

    assert status(result, "profile_name") == "fail"
    assert result.decision == "in_review"
    assert "profile_name_mismatch" in result.reasons


def test_no_profile_name_skips_the_profile_check():
    assert status(run(ktp(18)), "profile_name") == "skip"


# --- duplicates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("identity_number", "duplicate_identity"),
        ("file_hash", "duplicate_image"),
        ("near_image", "duplicate_image"),
    ],
)
def test_a_duplicate_is_never_auto_approved_whatever_the_thresholds(kind, reason):
    hit = DuplicateHit(kind=kind, document_id="doc-1")

    for approve_at, reject_at in ((85, 35), (1, 0), (100, 99)):
        result = run(ktp(19), duplicates=[hit], approve_at=approve_at, reject_at=reject_at)

        assert result.decision == "in_review"
        assert result.reasons[0] == reason


def test_a_duplicate_outranks_a_poor_photo():
    result = run(
        ktp(19),
        quality={**GOOD_QUALITY, "blurry": True},
        duplicates=[DuplicateHit("file_hash", "d")],
    )

    assert result.decision == "in_review"
    assert result.reasons[0] == "duplicate_image"


# --- image quality and document type ----------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "value", "reason"),
    [
        ("card_found", False, "card_not_found"),
        ("low_resolution", True, "image_too_small"),
        ("blurry", True, "image_blurry"),
        ("ocr_word_count", 3, "text_unreadable"),
    ],
)
def test_a_poor_photo_whose_number_could_not_be_read_is_rejected_with_a_retryable_reason(
    flag, value, reason
):
    result = run(ktp(20, nik=None), quality={**GOOD_QUALITY, flag: value})

    assert result.decision == "auto_rejected"
    assert result.reasons[0] == reason
    assert REASONS[reason].retryable
    assert retryable(result.reasons)
    assert result.score <= 20


@pytest.mark.parametrize(
    ("flag", "reason"), [("blurry", "image_blurry"), ("glare_detected", "image_glare")]
)
def test_blur_or_glare_rejects_a_card_whose_read_is_in_doubt(flag, reason):
    card = ktp(20)
    card.fields.pop("nama")  # a critical field could not be read

    result = run(card, quality={**GOOD_QUALITY, flag: True})

    assert result.decision == "auto_rejected"
    assert result.reasons[0] == reason
    assert REASONS[reason].retryable


def test_a_grayscale_photo_is_only_a_warning():
    result = run(ktp(20), quality={**GOOD_QUALITY, "grayscale_suspected": True})

    assert status(result, "image_colour") == "warn"
    assert result.decision == "auto_approved"


@pytest.mark.parametrize(
    ("flag", "value", "reason"),
    [
        ("card_found", False, "card_not_found"),
        ("low_resolution", True, "image_too_small"),
        ("blurry", True, "image_blurry"),
        ("glare_detected", True, "image_glare"),
    ],
)
def test_a_readable_card_is_never_rejected_for_its_photo(flag, value, reason):
    result = run(ktp(20), quality={**GOOD_QUALITY, flag: value})

    assert result.decision != "auto_rejected"
    assert reason in result.reasons
    assert {c.code: c.status for c in result.checks if c.reason == reason} != {}
    assert all(c.status == "warn" for c in result.checks if c.reason == reason)


def test_a_readable_card_with_unconfirmed_identity_and_a_poor_photo_goes_to_a_person():
    card = parsed_of("ktp", dict(random_ktp(random.Random(20))), agreement="single")

    result = run(card, quality={**GOOD_QUALITY, "card_found": False, "blurry": True})

    assert result.decision == "in_review"
    assert "identity_unverified" in result.reasons


def test_a_ktp_uploaded_as_npwp_is_rejected_as_the_wrong_document():
    card = ktp(21)
    card.declared_type = "npwp"

    result = run(card)

    assert status(result, "document_type") == "fail"
    assert result.decision == "auto_rejected"
    assert result.reasons[0] == "wrong_document_type"
    assert REASONS["wrong_document_type"].retryable


def test_a_document_that_is_neither_card_is_rejected():
    result = run(Parsed(declared_type=None, detected_type="unknown", fields={}))

    assert result.decision == "auto_rejected"
    assert "wrong_document_type" in result.reasons or "text_unreadable" in result.reasons


def test_missing_critical_fields_cap_the_score_and_go_to_review():
    result = run(ktp(22, nik=None, nama=None))

    assert status(result, "fields_complete") == "fail"
    assert status(result, "nik_format") == "skip"
    assert result.score <= 50
    assert result.decision == "in_review"
    assert "field_missing" in result.reasons


def test_low_ocr_confidence_lowers_the_score_and_is_reported():
    card = ktp(23)
    card.fields = {k: Field(f.value, f.raw, 50.0) for k, f in card.fields.items()}

    result = run(card)

    assert status(result, "fields_confidence") == "fail"
    assert "low_confidence" in result.reasons
    assert result.score < run(ktp(23)).score


# --- score and thresholds ---------------------------------------------------------------------


def test_the_breakdown_explains_the_score():
    result = run(ktp(24, provinsi="MALUKU UTARA"))
    components = result.breakdown["components"]

    assert set(components) <= set(COMPONENT_POINTS)
    total = sum(c["points"] for c in components.values())
    earned = sum(c["earned"] for c in components.values())
    assert result.breakdown["raw_score"] == pytest.approx(100 * earned / total, abs=0.01)
    assert result.score == round(result.breakdown["raw_score"])
    assert result.breakdown["caps"] == []
    json.dumps(result.to_dict())


def test_a_hard_failure_caps_a_score_that_many_passes_would_keep_high():
    result = run(
        ktp(
            25,
            jenis_kelamin="PEREMPUAN"
            if ktp(25).value("jenis_kelamin") == "LAKI-LAKI"
            else "LAKI-LAKI",
        )
    )

    assert result.breakdown["raw_score"] > 85
    cap = next(c for c in CAPS if c.name == "nik_inconsistent")
    assert {"name": cap.name, "limit": cap.limit} in result.breakdown["caps"]
    assert result.score == cap.limit


def test_thresholds_are_inclusive_at_both_boundaries():
    score = run(ktp(26, provinsi="MALUKU UTARA")).score
    assert 40 < score < 100

    assert (
        run(ktp(26, provinsi="MALUKU UTARA"), approve_at=score, reject_at=score - 1).decision
        == "auto_approved"
    )
    assert (
        run(ktp(26, provinsi="MALUKU UTARA"), approve_at=score + 1, reject_at=score - 1).decision
        == "in_review"
    )
    assert (
        run(ktp(26, provinsi="MALUKU UTARA"), approve_at=score + 1, reject_at=score).decision
        == "auto_rejected"
    )


def test_thresholds_out_of_order_are_refused():
    with pytest.raises(ValueError, match="thresholds"):
        run(ktp(27), approve_at=30, reject_at=30)


# --- reasons and messages ---------------------------------------------------------------------


def test_the_reason_taxonomy_covers_the_documented_codes():
    assert set(REASONS) >= REQUIRED_REASONS
    assert all(reason.code == code and reason.message for code, reason in REASONS.items())


def test_messages_and_reasons_carry_no_personal_data_and_no_duplicates():
    person = ktp(28)
    stranger = npwp_card(29)
    result = run(
        ktp(28, jenis_kelamin="X", tanggal_lahir="1901-01-01"),
        counterpart=stranger,
        profile_name="Someone Else",
        duplicates=[DuplicateHit("identity_number", "d1"), DuplicateHit("near_image", "d2")],
    )

    text = json.dumps([c.to_dict() for c in result.checks])
    for secret in (
        person.value("nik"),
        person.value("nama"),
        stranger.value("nik"),
        stranger.value("nama"),
        "Someone",
    ):
        assert secret and secret not in text
    assert len(result.reasons) == len(set(result.reasons))
    assert all(code in REASONS for code in result.reasons)


def test_blur_or_glare_on_a_card_read_completely_is_a_warning_not_a_rejection():
    fields = random_ktp(random.Random(77))
    ocr = lines_to_ocr(card_lines("ktp", fields))
    parsed = parse(ocr, "ktp")
    quality = {
        "card_found": True,
        "blurry": True,
        "glare_detected": True,
        "low_resolution": False,
        "grayscale_suspected": False,
        "ocr_word_count": 80,
    }
    result = assess(parsed, quality, Context(today=date(2026, 11, 29)), approve_at=85, reject_at=35)
    statuses = {c.code: c.status for c in result.checks}
    assert statuses["image_sharpness"] == "warn" and statuses["image_glare"] == "warn"
    assert result.decision != "auto_rejected"

    tampered = dict(
        fields,
        tanggal_lahir="1990-01-01" if fields["tanggal_lahir"] != "1990-01-01" else "1991-01-01",
    )
    parsed = parse(lines_to_ocr(card_lines("ktp", tampered)), "ktp")
    result = assess(parsed, quality, Context(today=date(2026, 11, 29)), approve_at=85, reject_at=35)
    statuses = {c.code: c.status for c in result.checks}
    assert statuses["image_sharpness"] == "warn"  # readable: a person looks, no "retake"
    assert result.decision == "in_review"
    assert "nik_dob_mismatch" in result.reasons
    assert result.decision != "auto_approved"
