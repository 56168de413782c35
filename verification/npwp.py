"""NPWP (tax number) structure (domain-rules 3.4).

* 15 digits ``AB.CCC.CCC.D-EEE.FFF``: ``D`` is a Luhn check digit over the first 8 digits.
* 16 digits starting with ``0``: ``0`` + the old 15 digits (entities, non-residents); the same
  Luhn rule applies (a leading zero does not change a Luhn sum).
* 16 digits not starting with ``0``: a resident individual's NIK, validated as a NIK.
* 22 digits: NITKU (NPWP16 + 6-digit branch sequence); the NPWP is its first 16 digits.
"""

from __future__ import annotations

from verification import nik as nik_rules

LEGACY = "legacy15"
ENTITY16 = "entity16"
NIK16 = "nik16"

# Problem codes returned by ``problems``.
LENGTH = "length"
CHECKSUM = "checksum"


def luhn_valid(digits: str) -> bool:
    """The Luhn test over ``digits`` (last digit is the check digit)."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def kind(number: str) -> str | None:
    """``legacy15``, ``entity16`` or ``nik16`` by length and prefix; None when neither."""
    if not number.isascii() or not number.isdigit():
        return None
    if len(number) == 15:
        return LEGACY
    if len(number) == 16:
        return ENTITY16 if number[0] == "0" else NIK16
    return None


def checksum_digits(number: str) -> str | None:
    """The digits the Luhn check runs over (check digit included), None for a NIK-NPWP."""
    found = kind(number)
    if found == LEGACY:
        return number[:9]
    if found == ENTITY16:
        return number[1:10]
    return None


def problems(number: str) -> list[str]:
    """Structural faults: ``length``, ``checksum``, or the NIK problem codes for a NIK-NPWP."""
    found = kind(number)
    if found is None:
        return [LENGTH]
    if found == NIK16:
        return nik_rules.problems(number)
    digits = checksum_digits(number)
    return [] if digits and luhn_valid(digits) else [CHECKSUM]


def is_valid(number: str) -> bool:
    return not problems(number)


def normalise(digits: str) -> str:
    """A NITKU (22 digits) reduced to its NPWP16; other digit strings unchanged."""
    return digits[:16] if len(digits) == 22 else digits
