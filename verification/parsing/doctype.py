"""Tell a KTP from an NPWP (or neither) from the OCR text alone.

The OCR pipeline's own guess defaults to KTP when its header probe finds nothing, so it is not
trusted here. Each type collects evidence: KTP label rows, the PROVINSI header and the values
only a KTP prints (sex, religion, marital status, citizenship, validity); NPWP's DJP header
words, a KPP line, "Terdaftar" and a 15/16-digit number formatted like an NPWP.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ocr_gpu.result import OcrResult
from verification.parsing import match_label
from verification.parsing.ktp import ROW_LABELS
from verification.textfix import compact

KTP = "ktp"
NPWP = "npwp"
UNKNOWN = "unknown"
MIN_KTP_EVIDENCE = 3
MIN_NPWP_EVIDENCE = 2
NPWP_KEYWORDS = ("NPWP", "DIREKTORAT", "JENDERAL", "PAJAK", "KPP", "TERDAFTAR")
_DOTTED_NPWP = re.compile(r"\d{2}[.,]\d{3}[.,]\d{3}[.,]\d[-.,]\d{3}[.,]\d{3}")
# Values only a KTP prints, by field: a KTP whose small labels were all lost on a photo still
# shows its sex, religion, marital status, citizenship and validity. One piece of evidence per
# field found.
KTP_VALUE_WORDS = {
    "jenis_kelamin": ("LAKILAKI", "PEREMPUAN"),
    "agama": ("ISLAM", "KRISTEN", "KATOLIK", "HINDU", "BUDHA", "BUDDHA", "KHONGHUCU"),
    "status_perkawinan": ("KAWIN", "CERAI"),
    "kewarganegaraan": ("WNI",),
    "berlaku_hingga": ("SEUMUR",),
}
KTP_VALUE_SCORE = 85.0
# NPWP cards print "NIK" too, so it is not KTP evidence on its own.
KTP_ONLY_ROWS = {key: labels for key, labels in ROW_LABELS.items() if key != "nik"}


def evidence(ocr: OcrResult) -> dict[str, int]:
    """Evidence counts per document type."""
    ktp_rows: set[str] = set()
    ktp_header = 0
    ktp_values: set[str] = set()
    npwp_words: set[str] = set()
    npwp_number = 0
    for line in ocr.lines:
        text = line.text
        match = match_label(text, KTP_ONLY_ROWS, min_score=80.0)
        if match:
            ktp_rows.add(match.key)
        words = [compact(w) for w in text.split()]
        if words and fuzz.ratio(words[0], "PROVINSI") >= 80:
            ktp_header = 1
        for key, values in KTP_VALUE_WORDS.items():
            if any(_is_value_word(word, values) for word in words):
                ktp_values.add(key)
        for word in words:
            for key in NPWP_KEYWORDS:
                if len(word) >= 3 and fuzz.ratio(word, key) >= 80:
                    npwp_words.add(key)
        if line.region == "npwp" or _DOTTED_NPWP.search(text):
            npwp_number = 1
    return {
        KTP: len(ktp_rows) + ktp_header + len(ktp_values),
        NPWP: len(npwp_words) + npwp_number,
    }


def _is_value_word(word: str, values: tuple[str, ...]) -> bool:
    if len(word) < 4:  # ``WNI``: exactly
        return word in values
    return any(fuzz.ratio(word, value) >= KTP_VALUE_SCORE for value in values)


def detect(ocr: OcrResult) -> str:
    """``ktp``, ``npwp`` or ``unknown``."""
    found = evidence(ocr)
    ktp_ok = found[KTP] >= MIN_KTP_EVIDENCE
    npwp_ok = found[NPWP] >= MIN_NPWP_EVIDENCE
    if ktp_ok and (not npwp_ok or found[KTP] > found[NPWP]):
        return KTP
    if npwp_ok:
        return NPWP
    return UNKNOWN
