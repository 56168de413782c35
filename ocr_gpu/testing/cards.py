"""Synthetic KTP / NPWP cards with ground truth, deterministic for a seed.

Used by the OCR tests, the benchmark and the verification team's parser tests. Field values are
normalised the way the parser is expected to output them: upper case, dates ``YYYY-MM-DD``,
NIK/NPWP digits only, RT/RW ``001/002``. ``card_lines`` gives the text exactly as it is printed,
in reading order, so a whole-card character error rate can be computed against an OCR read.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from ocr_gpu.testing import vocab
from ocr_gpu.testing.degrade import Level, degrade
from ocr_gpu.testing.render import (
    ktp_rows,
    npwp_rows,
    render_ktp,
    render_npwp,
)

__all__ = [
    "card_lines",
    "degrade",
    "luhn_check_digit",
    "make_card",
    "nik_for",
    "random_ktp",
    "random_npwp",
    "render_ktp",
    "render_npwp",
]


def luhn_check_digit(digits: str) -> str:
    """The Luhn digit that makes ``digits + check`` pass the Luhn test."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # doubled positions, counted from the (future) check digit's left
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def nik_for(region_code: str, birth: date, female: bool, serial: int) -> str:
    """Build a NIK ``PPKKCC DDMMYY SSSS``; women get day + 40."""
    day = birth.day + 40 if female else birth.day
    return f"{region_code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _name(rng: random.Random, female: bool) -> str:
    given = vocab.FEMALE_NAMES if female else vocab.MALE_NAMES
    parts = [rng.choice(given)]
    # Roughly one card in six gets a long name that wraps to a second line on the KTP.
    extra = rng.choice([1, 1, 1, 2, 2, 4])
    for _ in range(extra):
        parts.append(rng.choice(vocab.FAMILY_NAMES + given))
    return " ".join(parts)


def _address(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(vocab.LONG_ADDRESSES)
    return f"{rng.choice(vocab.STREETS)} NO. {rng.randint(1, 250)}"


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def random_ktp(rng: random.Random, **overrides: Any) -> dict[str, str]:
    """Ground-truth fields of a consistent KTP (NIK matches sex, birth date and region)."""
    province_code, province, cities = rng.choice(vocab.REGIONS)
    city_code, city = rng.choice(cities)
    female = rng.random() < 0.5
    issued = _random_date(rng, date(2012, 1, 1), date(2024, 12, 31))
    birth = _random_date(rng, date(1950, 1, 1), _years_later(issued, -17) - timedelta(days=1))
    district_code = f"{rng.randint(1, 40):02d}"
    nik = nik_for(province_code + city_code + district_code, birth, female, rng.randint(1, 9999))
    lifetime = issued.year > 2015 or rng.random() < 0.6
    fields = {
        "provinsi": province,
        "kabupaten_kota": city,
        "nik": nik,
        "nama": _name(rng, female),
        "tempat_lahir": rng.choice(vocab.PLACES),
        "tanggal_lahir": birth.isoformat(),
        "jenis_kelamin": "PEREMPUAN" if female else "LAKI-LAKI",
        "golongan_darah": rng.choice(vocab.BLOOD_GROUPS),
        "alamat": _address(rng),
        "rt_rw": f"{rng.randint(1, 20):03d}/{rng.randint(1, 15):03d}",
        "kel_desa": rng.choice(vocab.VILLAGES),
        "kecamatan": rng.choice(vocab.DISTRICTS),
        "agama": rng.choice(vocab.RELIGIONS),
        "status_perkawinan": rng.choice(vocab.MARITAL),
        "pekerjaan": rng.choice(vocab.OCCUPATIONS),
        "kewarganegaraan": "WNI",
        "berlaku_hingga": "SEUMUR HIDUP"
        if lifetime
        else _years_later(issued, 5).replace(month=birth.month, day=min(birth.day, 28)).isoformat(),
        "tempat_diterbitkan": city.removeprefix("KABUPATEN ").removeprefix("KOTA "),
        "tanggal_diterbitkan": issued.isoformat(),
    }
    fields.update(overrides)
    return fields


def random_npwp(rng: random.Random, **overrides: Any) -> dict[str, str]:
    """Ground-truth fields of an NPWP card: 15-digit (Luhn), NIK-as-NPWP or ``0`` + 15 digits."""
    person = random_ktp(rng)
    first_eight = f"{rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9]) * 10 + rng.randint(0, 9):02d}"
    first_eight += f"{rng.randint(0, 999999):06d}"
    legacy = first_eight + luhn_check_digit(first_eight) + f"{rng.randint(401, 999):03d}000"
    variant = rng.random()
    if variant < 0.5:
        npwp = legacy
    elif variant < 0.8:
        npwp = person["nik"]
    else:
        npwp = "0" + legacy
    registered = _random_date(rng, date(2005, 1, 1), date(2024, 12, 31))
    fields = {
        "npwp": npwp,
        "nama": person["nama"],
        "nik": person["nik"],
        "alamat": f"{person['alamat']} RT {person['rt_rw']} {person['kel_desa']} "
        f"{person['kecamatan']} {person['kabupaten_kota']}",
        "kpp": rng.choice(vocab.KPP_NAMES),
        "tanggal_terdaftar": registered.isoformat(),
    }
    fields.update(overrides)
    return fields


def card_lines(doc_type: str, fields: dict[str, str]) -> list[str]:
    """The printed text of a generated card in natural reading order, one string per line."""
    rows = ktp_rows(fields) if doc_type == "ktp" else npwp_rows(fields)
    return [row.text for row in rows]


def make_card(doc_type: str, level: Level, seed: int) -> tuple[bytes, dict[str, Any]]:
    """Render and degrade one card; returns the encoded image and its ground-truth record."""
    rng = random.Random(f"{doc_type}:{level}:{seed}")
    if doc_type == "ktp":
        fields = random_ktp(rng)
        image = render_ktp(fields, rng=rng)
    elif doc_type == "npwp":
        fields = random_npwp(rng)
        image = render_npwp(fields, rng=rng)
    else:
        raise ValueError(f"unknown doc_type {doc_type!r}")
    data = degrade(image, level, rng)
    truth = {"doc_type": doc_type, "level": level, "seed": seed, "fields": fields}
    return data, truth
