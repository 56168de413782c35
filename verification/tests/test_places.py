"""Place names take their official spacing, and only their spacing."""

from __future__ import annotations

import pytest

from verification.places import _index, by_letters, respace


@pytest.mark.parametrize(
    ("read", "kind", "expected"),
    [
        ("BANDAACEH", "place", "BANDA ACEH"),  # a lost space
        ("BAN DAR LAMPUNG", "place", "BANDAR LAMPUNG"),  # an added one
        ("PEMATANGSIAN TAR", "place", "PEMATANGSIANTAR"),  # spelled as one word officially
        ("KOTABANDUNG", "regency", "KOTA BANDUNG"),
        ("KABUPATEN JAYA PURA", "regency", "KABUPATEN JAYAPURA"),
        ("KOTA JAKARTASELATAN", "regency", "KOTA JAKARTA SELATAN"),  # no "ADM." added
    ],
)
def test_a_lost_or_added_space_is_restored(read, kind, expected):
    assert respace(read, kind) == expected


@pytest.mark.parametrize(
    ("read", "kind"),
    [
        ("BANDA ACEH", "place"),  # already official
        ("BANDAACEN", "place"),  # a letter misread: left as read, never corrected
        ("KAMPUNG DURIAN RUNTUH", "place"),  # no such place
        ("", "place"),
        ("BANDUNG", "regency"),  # a regency is printed with its KABUPATEN / KOTA
    ],
)
def test_anything_else_is_left_as_read(read, kind):
    assert respace(read, kind) == read


def test_letters_that_match_two_spellings_choose_neither():
    index = by_letters(("KOTA BARU", "KOTABARU", "BATU"))

    assert index["KOTABARU"] is None
    assert index["BATU"] == "BATU"


def test_official_names_are_loaded_once_with_no_ambiguity():
    names, index = _index("place")
    assert {"BANDA ACEH", "BANDAR LAMPUNG", "PEMATANGSIANTAR", "JAKARTA SELATAN"} <= names
    assert len(_index("regency")[0]) == 514
    assert None not in index.values()
