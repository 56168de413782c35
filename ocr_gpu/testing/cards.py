"""Synthetic KTP / NPWP cards with ground truth, deterministic for a seed.

Used by the OCR tests, the benchmark and the verification team's parser tests. Field values are
normalised the way the parser is expected to output them: upper case, dates ``YYYY-MM-DD``,
NIK/NPWP digits only, RT/RW ``001/002``, the NPWP ``alamat`` as its printed lines joined with
single spaces. ``card_lines`` gives the text exactly as it is printed, in reading order, so a
whole-card character error rate can be computed against an OCR read.

Cards come in layout families (``FAMILIES``, see ``ktp_design`` and ``npwp_design``), each with
its own row positions, pitch, label and colon placement, header design, colours and fonts, and
per-block jitter inside the family. ``make_card`` without ``family`` draws the canonical card
(family ``a``'s layout, fixed faces, nothing moved, the scan and photo captures of
``degrade``'s canonical mode), which the unit tests that pin a layout rely on. With a
``family`` the card is varied: fonts, jitter and design options drawn per card, Jakarta cities
printed without ``KOTA`` (as on real cards), the wider capture model of ``capture``.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from ocr_gpu.testing import ktp_design, npwp_design, vocab
from ocr_gpu.testing.degrade import Level, degrade
from ocr_gpu.testing.drawing import BASE_SIZE, INK, Style, random_jitter, shade
from ocr_gpu.testing.fonts import pick_fonts
from ocr_gpu.testing.render import (
    ktp_rows,
    npwp_rows,
    render_ktp,
    render_npwp,
)

__all__ = [
    "FAMILIES",
    "card_design",
    "card_lines",
    "card_style",
    "degrade",
    "luhn_check_digit",
    "make_card",
    "nik_for",
    "random_ktp",
    "random_npwp",
    "render_ktp",
    "render_npwp",
]

FAMILIES = ("a", "b", "c", "d")


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


def random_ktp(rng: random.Random, *, as_printed: bool = False, **overrides: Any) -> dict[str, str]:
    """Ground-truth fields of a consistent KTP (NIK matches sex, birth date and region).

    ``as_printed``: the regency as real cards print it (Jakarta's cities without ``KOTA``).
    """
    province_code, province, cities = rng.choice(vocab.REGIONS)
    city_code, city = rng.choice(cities)
    if as_printed and province == "DKI JAKARTA":
        city = city.removeprefix("KOTA ")
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


def random_npwp(
    rng: random.Random, *, as_printed: bool = False, **overrides: Any
) -> dict[str, str]:
    """Ground-truth fields of an NPWP card: 15-digit (Luhn), NIK-as-NPWP or ``0`` + 15 digits."""
    person = random_ktp(rng, as_printed=as_printed)
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


# Per family and card type: chance of each design option (see ktp_design / npwp_design).
OPTIONS: dict[tuple[str, str], dict[str, float]] = {
    ("ktp", "a"): {"squeeze": 0.2},
    ("ktp", "b"): {"squeeze": 0.5},
    ("ktp", "c"): {"squeeze": 0.3},
    ("npwp", "a"): {"date-long": 0.5, "date-slash": 0.3, "name-plain": 0.2},
    ("npwp", "b"): {"date-long": 1.0, "date-slash": 0.7, "name-plain": 0.15},
    ("npwp", "c"): {"date-long": 1.0, "date-slash": 0.25, "name-bold": 0.25, "label-colon": 0.5},
    ("ktp", "d"): {"squeeze": 0.4},
    ("npwp", "d"): {"date-long": 0.7, "date-slash": 0.5, "name-plain": 0.3},
}
# Options added after the families' cards were in use: drawn from a stream of their own, so
# every card drawn before keeps its fields and pixels.
LATE_OPTIONS: dict[tuple[str, str], dict[str, float]] = {
    ("npwp", "c"): {"date-kpp": 0.4},
    ("ktp", "b"): {"issue-top": 0.3},
}


def card_style(doc_type: str, family: str, rng: random.Random) -> Style:
    """Draw how one card of ``family`` is printed: faces, block jitter, options, palette, ink."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}")
    fonts = pick_fonts(family, rng)
    jitter = random_jitter(rng)
    options = frozenset(
        name for name, chance in OPTIONS[doc_type, family].items() if rng.random() < chance
    )
    late = random.Random(str(rng.getstate()))  # reads the stream's state, draws nothing from it
    options |= {
        name
        for name, chance in LATE_OPTIONS.get((doc_type, family), {}).items()
        if late.random() < chance
    }
    palettes = (ktp_design.PALETTES if doc_type == "ktp" else npwp_design.PALETTES)[family]
    palette = rng.randrange(len(palettes))
    return Style(family, fonts, jitter, options, shade(INK, rng.randint(-12, 16)), palette)


def card_lines(doc_type: str, fields: dict[str, str], *, style: Style | None = None) -> list[str]:
    """The printed text of a generated card in natural reading order, one string per line."""
    rows = ktp_rows(fields, style) if doc_type == "ktp" else npwp_rows(fields, style)
    return [row.text for row in rows]


def _card_rng(doc_type: str, level: Level, seed: int, family: str | None) -> random.Random:
    if family is None:
        return random.Random(f"{doc_type}:{level}:{seed}")
    return random.Random(f"{doc_type}:{family}:{level}:{seed}")


def card_design(
    doc_type: str, level: Level, seed: int, family: str | None = None
) -> tuple[dict[str, str], Style]:
    """The fields and print style of the card ``make_card`` draws for the same arguments."""
    fields, style, _ = _design(doc_type, _card_rng(doc_type, level, seed, family), family)
    return fields, style


def _design(
    doc_type: str, rng: random.Random, family: str | None
) -> tuple[dict[str, str], Style, tuple[int, int]]:
    varied = family is not None
    if doc_type == "ktp":
        fields = random_ktp(rng, as_printed=varied)
    elif doc_type == "npwp":
        fields = random_npwp(rng, as_printed=varied)
    else:
        raise ValueError(f"unknown doc_type {doc_type!r}")
    if family is None:
        return fields, Style(), BASE_SIZE
    style = card_style(doc_type, family, rng)
    width = rng.randint(880, 1320)
    return fields, style, (width, round(width * BASE_SIZE[1] / BASE_SIZE[0]))


def make_card(
    doc_type: str,
    level: Level,
    seed: int,
    *,
    family: str | None = None,
    camera: bool = False,
) -> tuple[bytes, dict[str, Any]]:
    """Render and degrade one card; returns the encoded image and its ground-truth record.

    ``family`` None: the canonical card. ``camera``: mild and hard photos at a phone camera's
    size (12 MP or 8 MP, a few MB of JPEG); only for a family.
    """
    if camera and family is None:
        raise ValueError("camera-size photos are drawn for a family, not the canonical card")
    rng = _card_rng(doc_type, level, seed, family)
    fields, style, size = _design(doc_type, rng, family)
    if camera and level != "clean":
        width = rng.randint(2300, 2900)
        size = (width, round(width * BASE_SIZE[1] / BASE_SIZE[0]))
    render = render_ktp if doc_type == "ktp" else render_npwp
    image = render(fields, size, rng, style=style)
    data = degrade(image, level, rng, varied=family is not None, camera=camera)
    truth = {
        "doc_type": doc_type,
        "level": level,
        "seed": seed,
        "family": family or "a",
        "fields": fields,
    }
    return data, truth
