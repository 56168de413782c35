"""The official regency and city names that settle reads of a place differing in spaces."""

from __future__ import annotations

import pytest

from verification.places import is_official, names, unglue_regency


@pytest.mark.parametrize(
    ("value", "kinds", "official"),
    [
        ("BANDA ACEH", ("place",), True),
        ("BANDAACEH", ("place",), False),
        ("PEMATANGSIANTAR", ("place",), True),
        ("PEMATANG SIANTAR", ("place",), False),
        ("KOTA BANDAR LAMPUNG", ("regency",), True),
        ("KOTA JAKARTA SELATAN", ("regency",), True),  # without Kemendagri's "ADM."
        ("KABUPATEN KEPULAUAN SERIBU", ("regency",), False),  # listed as KEP. SERIBU
        ("JAKARTA SELATAN", ("regency", "place"), True),  # a Jakarta header has no prefix
        ("BANDUNG", ("regency",), False),  # a header prints KABUPATEN or KOTA
        ("KAMPUNG DURIAN RUNTUH", ("place",), False),
        ("", ("place",), False),
    ],
)
def test_official_names(value, kinds, official):
    assert is_official(value, kinds) is official


def test_every_regency_and_city_is_loaded():
    assert len(names("regency")) == 514
    assert all(name.startswith(("KABUPATEN ", "KOTA ")) for name in names("regency"))


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("PASIR BIRU SUMBERSARIKOTA PONTIANAK", "PASIR BIRU SUMBERSARI KOTA PONTIANAK"),
        (
            "MEKARSARI SUMBERSARIKABUPATEN MALUKU TENGAH",
            "MEKARSARI SUMBERSARI KABUPATEN MALUKU TENGAH",
        ),
        ("SUMBERSARI KOTA PONTIANAK", "SUMBERSARI KOTA PONTIANAK"),  # nothing glued
        ("DESA PANGKALANKOTA BARU", "DESA PANGKALANKOTA BARU"),  # not an official city
        ("SUMBERSARIKOTA PONTIANAK BARAT", "SUMBERSARIKOTA PONTIANAK BARAT"),  # not at the end
        ("KAKOTA PONTIANAK", "KAKOTA PONTIANAK"),  # too short to be a word of its own
        ("KOTA BANDAACEH", "KOTA BANDAACEH"),  # the place's own spacing is never rewritten
    ],
)
def test_a_regency_prefix_glued_to_the_word_before_it_is_spaced(read, printed):
    assert unglue_regency(read) == printed
