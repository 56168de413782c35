"""NIK (Nomor Induk Kependudukan) structure: ``PPKKCC DDMMYY SSSS`` (domain-rules 3.1).

There is no check digit. What can be checked offline: 16 digits, a province code from any
Kemendagri edition, plausible kabupaten/kota and kecamatan codes, a real birth date (women have
day + 40) and a non-zero serial. A NIK never changes, so its region and even its birth date may
legitimately differ from what the card prints; callers treat those as review signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from verification.enums import FEMALE
from verification.regions import district_code_valid, province_code_valid, regency_code_valid
from verification.textfix import real_date

NIK_LENGTH = 16
FEMALE_DAY_OFFSET = 40

# Problem codes returned by ``problems``.
LENGTH = "length"
PROVINCE = "province"
REGENCY = "regency"
DISTRICT = "district"
BIRTH_DATE = "birth_date"
SERIAL = "serial"


@dataclass(frozen=True)
class NikParts:
    province: str
    regency: str
    district: str
    day: int  # as printed in the NIK (women: real day + 40)
    month: int
    year2: int
    serial: str

    @property
    def female(self) -> bool:
        return self.day > FEMALE_DAY_OFFSET

    @property
    def birth_day(self) -> int:
        return self.day - FEMALE_DAY_OFFSET if self.female else self.day

    @property
    def region(self) -> str:
        return self.province + self.regency + self.district

    def born_on(self, day: date) -> bool:
        """Whether the NIK's date part is ``day`` (its century is not encoded)."""
        return (self.birth_day, self.month, self.year2) == (day.day, day.month, day.year % 100)

    def of_sex(self, sex: str) -> bool:
        """Whether the NIK's sex is ``sex`` as a KTP prints it (``LAKI-LAKI``, ``PEREMPUAN``)."""
        return self.female == (sex == FEMALE)


def split(nik: str) -> NikParts | None:
    """The parts of a 16-digit NIK, or None when ``nik`` is not 16 digits."""
    if len(nik) != NIK_LENGTH or not nik.isascii() or not nik.isdigit():
        return None
    return NikParts(
        province=nik[0:2],
        regency=nik[2:4],
        district=nik[4:6],
        day=int(nik[6:8]),
        month=int(nik[8:10]),
        year2=int(nik[10:12]),
        serial=nik[12:16],
    )


def candidate_birth_dates(parts: NikParts) -> list[date]:
    """Real dates the DDMMYY part can stand for (19YY and 20YY)."""
    if not (1 <= parts.day <= 31 or 41 <= parts.day <= 71):
        return []
    found = (
        real_date(century + parts.year2, parts.month, parts.birth_day) for century in (1900, 2000)
    )
    return [d for d in found if d is not None]


def birth_date(parts: NikParts, today: date) -> date | None:
    """The birth date encoded in the NIK, century resolved: the latest one not after ``today``."""
    dates = [d for d in candidate_birth_dates(parts) if d <= today]
    return max(dates) if dates else None


def problems(nik: str) -> list[str]:
    """Structural faults of ``nik`` (empty list when it is structurally valid)."""
    parts = split(nik)
    if parts is None:
        return [LENGTH]
    found = []
    if not province_code_valid(parts.province):
        found.append(PROVINCE)
    if not regency_code_valid(parts.regency):
        found.append(REGENCY)
    if not district_code_valid(parts.district):
        found.append(DISTRICT)
    if not candidate_birth_dates(parts):
        found.append(BIRTH_DATE)
    if parts.serial == "0000":
        found.append(SERIAL)
    return found


def is_valid(nik: str) -> bool:
    return not problems(nik)
