"""Official spellings of Indonesian place names, to restore the spaces OCR loses or adds.

OCR on a photo often glues two words of a place (``BANDAACEH``) or splits one
(``BAN DAR LAMPUNG``, ``PEMATANGSIAN TAR``). Only spaces are restored: a read whose letters
match exactly one official name once spaces are ignored takes that name's spacing; a read that
is an official name already, matches none, or matches names spaced differently is left as read.
Letters are never changed, so a misread letter stays visible (and fails the checks that
compare it).

The names are Kemendagri's 514 kabupaten and kota (``verification/data/places.csv``, see its
README). Kecamatan and kelurahan names are not respaced: their printed spellings vary too much
(``KARANGPILANG`` and ``KARANG PILANG`` both appear on cards).
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "places.csv"
REGENCY_PREFIXES = ("KABUPATEN ", "KOTA ")


@cache
def _names() -> dict[str, tuple[str, ...]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        regencies = [row["name"] for row in csv.DictReader(handle) if row["kind"] == "regency"]
    towns = [
        name.removeprefix(prefix)
        for name in regencies
        for prefix in REGENCY_PREFIXES
        if name.startswith(prefix)
    ]
    return {
        "regency": tuple(regencies),
        # A birth place or the place a card was issued: a regency or city without its prefix.
        "place": tuple(dict.fromkeys(towns)),
    }


def by_letters(names: tuple[str, ...]) -> dict[str, str | None]:
    """Each name under its letters without spaces; ``None`` where two names share the letters
    but not the spaces (which one a card meant cannot be told, so neither is used)."""
    index: dict[str, str | None] = {}
    for name in names:
        key = name.replace(" ", "")
        index[key] = name if index.get(key, name) == name else None
    return index


@cache
def _index(kind: str) -> tuple[frozenset[str], dict[str, str | None]]:
    names = _names()[kind]
    return frozenset(names), by_letters(names)


def respace(value: str, kind: str) -> str:
    """``value`` with the spacing of the one official ``kind`` name (``regency``: as a KTP
    header prints it; ``place``: a regency or city without its prefix) it matches when spaces
    are ignored; otherwise ``value`` unchanged."""
    names, index = _index(kind)
    if not value or value in names:
        return value
    return index.get(value.replace(" ", "")) or value
