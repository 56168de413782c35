"""Official names of Indonesia's regencies and cities, to choose between reads of a place name
that differ only in spaces, and to mend a regency or issue place one letter off its name.

OCR on a photo often glues two words of a place (``BANDAACEH``) or splits one
(``BAN DAR LAMPUNG``, ``PEMATANGSIAN TAR``), and the two engines may do it differently. When
one read of a place name is spelled as an official name, that read gives the value. FiLot never
writes a spacing no read produced: a card that prints ``PANGKALPINANG`` where Kemendagri writes
``PANGKAL PINANG`` keeps its own spelling.

The names are Kemendagri's 514 kabupaten and kota (``verification/data/places.csv``, see its
README). Kecamatan and kelurahan names are not used: their printed spellings vary too much.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from verification.textfix import compact

DATA = Path(__file__).resolve().parent / "data" / "places.csv"
REGENCY_PREFIXES = ("KABUPATEN ", "KOTA ")


@cache
def names(kind: str) -> frozenset[str]:
    """``regency``: the names as a KTP header prints them (``KOTA BANDA ACEH``); ``place``: a
    regency or city without its prefix (``BANDA ACEH``), as a birth or issue place is printed."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        regencies = [row["name"] for row in csv.DictReader(handle) if row["kind"] == "regency"]
    if kind == "regency":
        return frozenset(regencies)
    return frozenset(
        name.removeprefix(prefix)
        for name in regencies
        for prefix in REGENCY_PREFIXES
        if name.startswith(prefix)
    )


def is_official(value: str, kinds: tuple[str, ...]) -> bool:
    return any(value in names(kind) for kind in kinds)


MIN_SNAP_LETTERS = 5  # shorter names are too close to each other to mend a letter


def snap(value: str, kind: str) -> str:
    """``value`` as the one official name of ``kind`` it is a letter off (a letter lost, added or
    misread: ``MMIKA`` -> ``MIMIKA``), spaced as read; else unchanged. A read spaced otherwise than
    the official name keeps its spelling (see above). Only for a place that must be a regency or
    city: the KTP's header and its place of issue. A birth place need not be."""
    letters = compact(value)
    if value in names(kind) or len(letters) < MIN_SNAP_LETTERS:
        return value
    near = {
        name
        for name in names(kind)
        if Levenshtein.distance(value, name, score_cutoff=1) == 1 and compact(name) != letters
    }
    return near.pop() if len(near) == 1 else value


MIN_GLUED_LETTERS = 3  # a shorter remainder is not a word of its own (KAKOTA)


def unglue_regency(address: str) -> str:
    """An address ending in a regency or city whose ``KOTA`` / ``KABUPATEN`` was glued to the
    word before it (``SUMBERSARIKOTA PONTIANAK``) gets the space back; the place's own spelling
    is not touched, and an address that does not end in an official name is left as read."""
    words = address.split()
    for index, word in enumerate(words[:-1]):
        place = " ".join(words[index + 1 :])
        for prefix in (p.strip() for p in REGENCY_PREFIXES):
            if (
                word.endswith(prefix)
                and len(word) - len(prefix) >= MIN_GLUED_LETTERS
                and word[: -len(prefix)].isalpha()
                and f"{prefix} {place}" in names("regency")
            ):
                return " ".join([*words[:index], word[: -len(prefix)], prefix, *words[index + 1 :]])
    return address


def unglue_prefix(header: str) -> str:
    """A regency header whose ``KOTA`` / ``KABUPATEN`` was glued to the name after it
    (``KOTAMANADO``) gets the space back when the result is an official name and the read is not
    one; the place's own spelling is not touched."""
    words = header.split()
    if not words or header in names("regency"):
        return header
    for prefix in (p.strip() for p in REGENCY_PREFIXES):
        rest = words[0][len(prefix) :]
        if words[0].startswith(prefix) and len(rest) >= MIN_GLUED_LETTERS and rest.isalpha():
            unglued = " ".join([prefix, rest, *words[1:]])
            if unglued in names("regency"):
                return unglued
    return header
