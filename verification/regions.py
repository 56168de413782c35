"""Kemendagri region codes as they appear in the first six digits of a NIK.

Province codes are the union over every Kemendagri edition a living person's NIK can carry
(domain-rules 3.2): 65 (Kalimantan Utara, 2012) and 91-96 (the 2022 Papua splits) are valid, and
so is a NIK issued before a split (64 for someone now in Kalimantan Utara). These are Kemendagri
codes, not BPS codes (BPS swaps 91/94 for Papua).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from verification.textfix import compact

PROVINCES: dict[str, str] = {
    "11": "ACEH",
    "12": "SUMATERA UTARA",
    "13": "SUMATERA BARAT",
    "14": "RIAU",
    "15": "JAMBI",
    "16": "SUMATERA SELATAN",
    "17": "BENGKULU",
    "18": "LAMPUNG",
    "19": "KEPULAUAN BANGKA BELITUNG",
    "21": "KEPULAUAN RIAU",
    "31": "DKI JAKARTA",
    "32": "JAWA BARAT",
    "33": "JAWA TENGAH",
    "34": "DAERAH ISTIMEWA YOGYAKARTA",
    "35": "JAWA TIMUR",
    "36": "BANTEN",
    "51": "BALI",
    "52": "NUSA TENGGARA BARAT",
    "53": "NUSA TENGGARA TIMUR",
    "61": "KALIMANTAN BARAT",
    "62": "KALIMANTAN TENGAH",
    "63": "KALIMANTAN SELATAN",
    "64": "KALIMANTAN TIMUR",
    "65": "KALIMANTAN UTARA",
    "71": "SULAWESI UTARA",
    "72": "SULAWESI TENGAH",
    "73": "SULAWESI SELATAN",
    "74": "SULAWESI TENGGARA",
    "75": "GORONTALO",
    "76": "SULAWESI BARAT",
    "81": "MALUKU",
    "82": "MALUKU UTARA",
    "91": "PAPUA",
    "92": "PAPUA BARAT",
    "93": "PAPUA SELATAN",
    "94": "PAPUA TENGAH",
    "95": "PAPUA PEGUNUNGAN",
    "96": "PAPUA BARAT DAYA",
}

# Other spellings printed on cards, mapped to the canonical name above.
PROVINCE_ALIASES: dict[str, str] = {
    "DI YOGYAKARTA": "DAERAH ISTIMEWA YOGYAKARTA",
    "D.I. YOGYAKARTA": "DAERAH ISTIMEWA YOGYAKARTA",
    "DAERAH KHUSUS IBUKOTA JAKARTA": "DKI JAKARTA",
    "BANGKA BELITUNG": "KEPULAUAN BANGKA BELITUNG",
    "NANGGROE ACEH DARUSSALAM": "ACEH",
    "IRIAN JAYA BARAT": "PAPUA BARAT",
}

# A NIK keeps the code of the province it was first issued in; provinces split off later are
# printed on the card of someone whose NIK still carries the parent's code.
SPLIT_FROM: dict[str, str] = {
    "65": "64",
    "93": "91",
    "94": "91",
    "95": "91",
    "96": "92",
}

_CANONICAL = {compact(name): name for name in PROVINCES.values()} | {
    compact(alias): name for alias, name in PROVINCE_ALIASES.items()
}


def province_code_valid(code: str) -> bool:
    return code in PROVINCES


def regency_code_valid(code: str) -> bool:
    """Kabupaten 01-69, kota 71-99 (Permendagri 58/2021); 00 and 70 never occur."""
    return len(code) == 2 and code.isdigit() and (1 <= int(code) <= 69 or 71 <= int(code) <= 99)


def district_code_valid(code: str) -> bool:
    return len(code) == 2 and code.isdigit() and int(code) >= 1


def snap_province(text: str, cutoff: float = 80.0) -> str | None:
    """The canonical province name closest to ``text`` (OCR-tolerant), else None."""
    key = compact(text)
    if not key:
        return None
    if key in _CANONICAL:
        return _CANONICAL[key]
    found = process.extractOne(key, list(_CANONICAL), scorer=fuzz.ratio, score_cutoff=cutoff)
    return _CANONICAL[found[0]] if found else None


def province_codes_for_name(name: str) -> set[str]:
    """NIK province codes consistent with a printed province name (splits included)."""
    codes = {code for code, canonical in PROVINCES.items() if canonical == name}
    return codes | {SPLIT_FROM[code] for code in codes if code in SPLIT_FROM}
