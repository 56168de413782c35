"""Allowed values of the KTP's enumerated fields (domain-rules 3.5) and OCR-tolerant snapping.

Values are canonicalised to one spelling (KATHOLIK -> KATOLIK, BUDDHA -> BUDHA,
KONGHUCU -> KHONGHUCU) so downstream checks compare like with like.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from verification.textfix import clean, compact, fix_letters

AGAMA = (
    "ISLAM",
    "KRISTEN",
    "KATOLIK",
    "HINDU",
    "BUDHA",
    "KHONGHUCU",
    "KEPERCAYAAN TERHADAP TUHAN YME",
)
AGAMA_VARIANTS = {
    "KATHOLIK": "KATOLIK",
    "BUDDHA": "BUDHA",
    "KONGHUCU": "KHONGHUCU",
    "KONG HU CU": "KHONGHUCU",
    "PROTESTAN": "KRISTEN",
    "KEPERCAYAAN": "KEPERCAYAAN TERHADAP TUHAN YME",
    "KEPERCAYAAN TERHADAP TUHAN YANG MAHA ESA": "KEPERCAYAAN TERHADAP TUHAN YME",
}
STATUS_PERKAWINAN = (
    "BELUM KAWIN",
    "KAWIN",
    "CERAI HIDUP",
    "CERAI MATI",
    "KAWIN TERCATAT",
    "KAWIN BELUM TERCATAT",
    "CERAI HIDUP TERCATAT",
    "CERAI HIDUP BELUM TERCATAT",
    "CERAI MATI TERCATAT",
    "CERAI MATI BELUM TERCATAT",
)
MALE, FEMALE = "LAKI-LAKI", "PEREMPUAN"
JENIS_KELAMIN = (MALE, FEMALE)
JENIS_KELAMIN_WNA = {"MALE": MALE, "FEMALE": FEMALE}
GOLONGAN_DARAH = (
    "A",
    "B",
    "AB",
    "O",
    "A+",
    "A-",
    "B+",
    "B-",
    "AB+",
    "AB-",
    "O+",
    "O-",
    "-",
    "TIDAK TAHU",
)
DASHES = "\u2014\u2013"  # em and en dash, read for a printed hyphen
UNKNOWN_BLOOD_MARKS = frozenset("-~_=." + DASHES)
WNI = "WNI"

# Dukcapil (SIAK) occupation reference list as printed on cards, short and long forms.
PEKERJAAN = (
    "BELUM/TIDAK BEKERJA",
    "MENGURUS RUMAH TANGGA",
    "PELAJAR/MAHASISWA",
    "PENSIUNAN",
    "PEGAWAI NEGERI SIPIL",
    "PEGAWAI NEGERI SIPIL (PNS)",
    "TENTARA NASIONAL INDONESIA",
    "TENTARA NASIONAL INDONESIA (TNI)",
    "TNI",
    "KEPOLISIAN RI",
    "KEPOLISIAN RI (POLRI)",
    "POLRI",
    "PERDAGANGAN",
    "PETANI/PEKEBUN",
    "PETERNAK",
    "NELAYAN/PERIKANAN",
    "INDUSTRI",
    "KONSTRUKSI",
    "TRANSPORTASI",
    "KARYAWAN SWASTA",
    "KARYAWAN BUMN",
    "KARYAWAN BUMD",
    "KARYAWAN HONORER",
    "BURUH HARIAN LEPAS",
    "BURUH TANI/PERKEBUNAN",
    "BURUH NELAYAN/PERIKANAN",
    "BURUH PETERNAKAN",
    "PEMBANTU RUMAH TANGGA",
    "TUKANG CUKUR",
    "TUKANG LISTRIK",
    "TUKANG BATU",
    "TUKANG KAYU",
    "TUKANG SOL SEPATU",
    "TUKANG LAS/PANDAI BESI",
    "TUKANG JAHIT",
    "TUKANG GIGI",
    "PENATA RIAS",
    "PENATA BUSANA",
    "PENATA RAMBUT",
    "MEKANIK",
    "SENIMAN",
    "TABIB",
    "PARAJI",
    "PERANCANG BUSANA",
    "PENTERJEMAH",
    "IMAM MASJID",
    "PENDETA",
    "PASTOR",
    "WARTAWAN",
    "USTADZ/MUBALIGH",
    "JURU MASAK",
    "PROMOTOR ACARA",
    "ANGGOTA DPR-RI",
    "ANGGOTA DPD",
    "ANGGOTA BPK",
    "PRESIDEN",
    "WAKIL PRESIDEN",
    "ANGGOTA MAHKAMAH KONSTITUSI",
    "ANGGOTA KABINET/KEMENTERIAN",
    "DUTA BESAR",
    "GUBERNUR",
    "WAKIL GUBERNUR",
    "BUPATI",
    "WAKIL BUPATI",
    "WALIKOTA",
    "WAKIL WALIKOTA",
    "ANGGOTA DPRD PROVINSI",
    "ANGGOTA DPRD KABUPATEN/KOTA",
    "DOSEN",
    "GURU",
    "PILOT",
    "PENGACARA",
    "NOTARIS",
    "ARSITEK",
    "AKUNTAN",
    "KONSULTAN",
    "DOKTER",
    "BIDAN",
    "PERAWAT",
    "APOTEKER",
    "PSIKIATER/PSIKOLOG",
    "PENYIAR TELEVISI",
    "PENYIAR RADIO",
    "PELAUT",
    "PENELITI",
    "SOPIR",
    "PIALANG",
    "PARANORMAL",
    "PEDAGANG",
    "PERANGKAT DESA",
    "KEPALA DESA",
    "BIARAWATI",
    "WIRASWASTA",
    "LAINNYA",
)


def snap(
    text: str, allowed: tuple[str, ...], cutoff: float, variants: dict[str, str] | None = None
) -> str | None:
    """The allowed value closest to ``text`` (compared on letters and digits only), else None."""
    choices = {compact(value): value for value in allowed}
    for variant, canonical in (variants or {}).items():
        choices[compact(variant)] = canonical
    key = compact(fix_letters(text))
    if not key:
        return None
    if key in choices:
        return choices[key]
    found = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=cutoff)
    return choices[found[0]] if found else None


def snap_agama(text: str) -> str | None:
    return snap(text, AGAMA, 75.0, AGAMA_VARIANTS)


def snap_status(text: str) -> str | None:
    return snap(text, STATUS_PERKAWINAN, 72.0)


def snap_jenis_kelamin(text: str) -> str | None:
    return snap(text, JENIS_KELAMIN, 60.0, JENIS_KELAMIN_WNA)


ONE_LETTER_OFF_MIN = 5  # a read this long one letter off exactly one listed occupation is it


def snap_pekerjaan(text: str) -> str | None:
    """A listed occupation when the read is close to one (or, for a short one, one letter off
    it and no other: ``DORTER``), else the cleaned text (lists are not exhaustive), None when
    nothing readable is left."""
    snapped = snap(text, PEKERJAAN, 85.0)
    if snapped:
        return snapped
    value = clean(fix_letters(text))
    key = compact(value)
    if len(key) >= ONE_LETTER_OFF_MIN:
        near = [
            job for job in PEKERJAAN if Levenshtein.distance(key, compact(job), score_cutoff=1) <= 1
        ]
        if len(near) == 1:
            return near[0]
    return value or None


def snap_golongan_darah(text: str) -> str | None:
    """Blood group with rhesus; a lone dash (printed when unknown) gives ``-``. When the whole
    read is not a blood group, its first word that is a group of letters is taken (specks before
    the value; a speck of the photo beside it read after it: ``B- o``), else its last word."""
    found = _blood_group(text)
    words = text.split()
    if found is None and len(words) > 1:
        groups = [g for g in map(_blood_group, words) if g is not None and g[0].isalpha()]
        found = groups[0] if groups else _blood_group(words[-1])
    return found


def _blood_group(text: str) -> str | None:
    value = clean(text).replace(" ", "")
    if value and all(c in UNKNOWN_BLOOD_MARKS for c in value):
        return "-"
    value = value.replace("0", "O").replace("8", "B").replace("4", "A").rstrip(".,")
    for dash in DASHES:
        value = value.replace(dash, "-")
    value = value.replace("*", "+")
    if value in GOLONGAN_DARAH:
        return value
    if value.endswith("T") and value[:-1] + "+" in GOLONGAN_DARAH:  # "+" read as "t"
        return value[:-1] + "+"
    if compact(value) == "TIDAKTAHU":
        return "TIDAK TAHU"
    return None


def snap_kewarganegaraan(text: str) -> str | None:
    """``WNI``; a WNA card prints the holder's country, kept as read."""
    key = compact(fix_letters(text))
    if not key:
        return None
    if key == WNI or WNI in key or (len(key) <= 4 and fuzz.ratio(key, WNI) >= 66):
        return WNI
    return clean(fix_letters(text))
