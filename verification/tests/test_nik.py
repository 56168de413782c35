"""NIK structure: what a forged or misread NIK looks like, and what a genuine one must pass."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr_gpu.testing.cards import nik_for
from verification import nik
from verification.regions import PROVINCES

province_codes = st.sampled_from(sorted(PROVINCES))
regency_codes = st.one_of(st.integers(1, 69), st.integers(71, 99)).map(lambda n: f"{n:02d}")
district_codes = st.integers(1, 99).map(lambda n: f"{n:02d}")
birth_dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=300)
@given(
    province_codes, regency_codes, district_codes, birth_dates, st.booleans(), st.integers(1, 9999)
)
def test_every_well_formed_nik_is_valid_and_decodes_to_its_holder(
    province, regency, district, birth, female, serial
):
    number = nik_for(province + regency + district, birth, female, serial)

    parts = nik.split(number)

    assert nik.problems(number) == []
    assert parts is not None
    assert parts.female is female
    assert parts.region == province + regency + district
    assert nik.birth_date(parts, today=date(2026, 11, 29)) == birth


@given(st.text(max_size=40))
def test_problems_never_raise_on_arbitrary_text(text):
    found = nik.problems(text)

    assert isinstance(found, list)
    if len(text) != 16 or not text.isdigit():
        assert found and not nik.is_valid(text)


@pytest.mark.parametrize("province", ["65", "91", "92", "93", "94", "95", "96", "11", "36"])
def test_provinces_of_every_kemendagri_edition_are_accepted(province):
    assert nik.is_valid(f"{province}7101" + "120590" + "0001")


@pytest.mark.parametrize("province", ["00", "10", "20", "22", "54", "66", "83", "97", "99"])
def test_province_codes_that_never_existed_are_rejected(province):
    assert nik.problems(f"{province}7101" + "120590" + "0001") == [nik.PROVINCE]


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("3200011205900001", nik.REGENCY),  # kabupaten 00
        ("3270011205900001", nik.REGENCY),  # 70 is neither kabupaten (01-69) nor kota (71-99)
        ("3273001205900001", nik.DISTRICT),
        ("3273010005900001", nik.BIRTH_DATE),  # day 00
        ("3273013205900001", nik.BIRTH_DATE),  # day 32 (and 72 for women)
        ("3273017205900001", nik.BIRTH_DATE),
        ("3273011213900001", nik.BIRTH_DATE),  # month 13
        ("3273012902010001", nik.BIRTH_DATE),  # 29 Feb 1901 / 2001: no leap year
        ("3273011205900000", nik.SERIAL),
    ],
)
def test_each_structural_fault_is_named(number, problem):
    assert problem in nik.problems(number)


def test_women_have_forty_added_to_the_birth_day():
    parts = nik.split("3273015205900001")

    assert parts is not None
    assert parts.female
    assert parts.birth_day == 12
    assert nik.birth_date(parts, today=date(2026, 1, 1)) == date(1990, 5, 12)


def test_29_february_2000_is_a_real_birth_date():
    assert nik.is_valid("3273016902000001")


def test_two_digit_year_resolves_to_the_latest_past_century():
    parts = nik.split("3273011205250001")
    assert parts is not None

    assert nik.birth_date(parts, today=date(2026, 1, 1)) == date(2025, 5, 12)
    assert nik.birth_date(parts, today=date(2025, 5, 11)) == date(1925, 5, 12)


@pytest.mark.parametrize("number", ["", "327301120590001", "32730112059000011", "32730112O5900001"])
def test_anything_but_sixteen_ascii_digits_is_a_length_problem(number):
    assert nik.problems(number) == [nik.LENGTH]


def test_a_birth_date_one_day_after_today_is_not_resolved_to_the_future():
    today = date(2026, 11, 29)
    tomorrow = today + timedelta(days=1)
    number = nik_for("327301", tomorrow, False, 1)
    parts = nik.split(number)
    assert parts is not None

    assert nik.birth_date(parts, today) == date(1926, 11, 30)
