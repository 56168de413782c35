"""The official regency and city names that settle reads of a place differing in spaces."""

from __future__ import annotations

import pytest

from verification.places import is_official, names


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
