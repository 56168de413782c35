"""OCR text repairs: homoglyph fixes for numeric fields, clean-up of text values, dates.

Digit fixes (domain-rules 3.6) are applied only to numeric fields (NIK, NPWP, RT/RW, dates);
letters that have no digit look-alike are dropped rather than guessed (``T`` may be 1 or 7).
The reverse fixes (``0`` -> ``O``, ``1`` -> ``I``) apply only to alphabetic fields such as names.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from datetime import date

from rapidfuzz.distance import Levenshtein

from verification.names import TITLES

DIGIT_LOOKALIKES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        # a zero with a stroke through it (many number faces mark their zero so): PP-OCR
        # reads it as the slashed letter or the empty-set sign
        "\u00d8": "0",
        "\u00f8": "0",
        "\u2205": "0",
        "I": "1",
        "l": "1",
        "|": "1",
        "L": "1",
        "i": "1",
        "!": "1",
        "J": "1",
        "Z": "2",
        "z": "2",
        "S": "5",
        "s": "5",
        "b": "6",
        "G": "6",
        "?": "7",
        "B": "8",
        "g": "9",
        "q": "9",
    }
)
LETTER_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "!": "I", "|": "I", "5": "S", "8": "B"})
# Men's names on Bali begin with ``I`` before the birth-order or caste name (``I KADEK
# WIRAWAN``, ``I GUSTI NGURAH``, ``I DEWA GEDE``); an engine may read that ``I`` as one of its
# look-alikes (``1 PUTU``, ``| WAYAN``), which elsewhere is a speck or a misread colon.
BALINESE_NAMES = frozenset(
    {"PUTU", "WAYAN", "GEDE", "MADE", "KADEK", "NENGAH", "NYOMAN", "KOMANG", "KETUT", "GUSTI"}
    | {"DEWA", "NGURAH", "KOMPYANG"}
)
I_LOOKALIKES = frozenset({"I", "1", "l", "!", "i", "|"})
# Quotes of every shape (U+2018, U+2019, U+201C, U+201D): Tesseract reads a speck before a
# word as a curly quote.
EDGE_JUNK = " \t:;,|_~'\"`=*\u2018\u2019\u201c\u201d"
DATE_SEPARATORS = "-./ "
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# A roman ``II`` read as one mark (PP-OCR's multilingual model: ``JAGABAYA ∥``): no card prints
# either.
DOUBLE_BARS = str.maketrans(dict.fromkeys("\u2016\u2225", "II"))
_DATE = re.compile(r"(\d{1,2})[-./ ]{1,3}(\d{1,2})[-./ ]{1,3}(\d{4})")
_MARKED_DATE = re.compile(r"(?<!\d)(\d{1,2}) ?[-./] ?(\d{1,2}) ?[-./] ?(\d{4})(?!\d)")
_SPLIT_DIGITS = re.compile(r"(?<=\d) (?=\d)")


def fix_digits(text: str) -> str:
    """``text`` with digit look-alikes replaced; other characters kept."""
    return text.translate(DIGIT_LOOKALIKES)


def digits_only(text: str) -> str:
    """The digits of ``text`` after look-alike fixes, everything else dropped."""
    return "".join(c for c in fix_digits(text) if c.isdigit())


def fix_letters(text: str) -> str:
    """Digits inside words of letters turned back into letters (names, places)."""

    def repair(match: re.Match[str]) -> str:
        word = match.group(0)
        if any(c.isalpha() for c in word):
            return word.translate(LETTER_LOOKALIKES)
        return word

    return re.sub(r"[A-Za-z0-9!|]+", repair, text)


def opens_balinese_name(word: str, rest: str) -> bool:
    """Whether ``word`` is the ``I`` (or a look-alike of it) opening a Balinese man's name
    whose following words are ``rest``."""
    following = rest.upper().split(maxsplit=2)
    if word not in I_LOOKALIKES or not following:
        return False
    # or the name's word split in two by a wide-set face (``I GUS TI NGURAH``)
    return following[0] in BALINESE_NAMES or "".join(following[:2]) in BALINESE_NAMES


def clean(text: str) -> str:
    """Upper case, single spaces, stray separators trimmed from both ends, accents taken off
    (cards print plain capitals; an engine reads a speck over a letter as an accent:
    ``ALÁLAK``), a double bar read for a roman ``II`` made ``II``, and any other script's
    character dropped (PP-OCR's multilingual model reads a corner of a QR code as ``口``); an
    underscore is a space read low (``FELICIA_TANUWIJAYA``): no card prints one."""
    plain = "".join(
        c if c.isascii() or c in EDGE_JUNK else " "
        for c in unicodedata.normalize("NFKD", text.translate(DASHES).translate(DOUBLE_BARS))
        if not unicodedata.combining(c)
    ).replace("_", " ")
    return " ".join(plain.upper().split()).strip(EDGE_JUNK).strip()


def clean_alpha(text: str) -> str:
    """``clean`` plus the letter fixes, and a trailing lone dot removed (names, places).

    Idempotent: dropping a speck can expose a separator (``0 :A`` -> ``:A``), so the clean-up
    repeats until nothing changes; each pass only removes characters or turns digits to letters.
    """
    value = _clean_alpha_once(text)
    for _ in range(8):
        again = _clean_alpha_once(value)
        if again == value:
            break
        value = again
    return value


def _clean_alpha_once(text: str) -> str:
    first, _, rest = text.strip().partition(" ")
    if opens_balinese_name(first, rest):  # before ``clean`` takes a pipe for a speck
        text = f"I {rest}"
    words = clean(fix_letters(clean(text))).split()
    while words and not any(c.isalpha() for c in words[0]):  # specks before / after the value
        words.pop(0)
    while words and not any(c.isalpha() for c in words[-1]):
        words.pop()
    # nor does a name or place open with a mark: a dash glued to it is a colon's stroke or a
    # speck (``:—SITUBONDO``)
    if words and not words[0][0].isalnum():
        words[0] = words[0].lstrip("".join(c for c in words[0] if not c.isalnum()))
    value = " ".join(words)
    if value.endswith(".") and not re.search(r"\b[A-Z]{1,4}\.$", value):
        value = value.rstrip(".").rstrip()
    return value


# An academic degree after a name (``S.PD.``, ``S.KOM``, ``A.MD.``, ``M.M.``) is letters between
# dots, printed with a final dot or without one (both are on cards). A final dot lost by one
# engine is kept from the other (``verification.consensus`` takes the read with more marks), and
# one both lost is given back only where the card's pixels show it (``ocr_gpu.dots``).
_DEGREE = re.compile(r"^(?:[A-Z]{1,2}\.)+[A-Z]{1,4}\.?$")


def without_degree_dots(name: str) -> str:
    """``name`` with each degree's final dot taken off: two reads of a name that differ only
    there read the same name."""
    return " ".join(word.rstrip(".") if _DEGREE.match(word) else word for word in name.split())


# A name's word abbreviated with a dot (MUH., MOCH.) has at most this many characters, dot
# included; such a word never comes right before a degree.
MIN_NAME_WORD = 5


# The abbreviations of Muhammad and Abdul a name may open with (``MUH. TAUFIK``).
NAME_ABBREVIATIONS = frozenset({"MOCH", "MOH", "MUH", "MHD", "MOHD", "ABD"})
# A title before a name (``HJ.``, ``H.``, ``DR.``, ``IR.``) is printed with a space after its dot;
# a blurred photo loses that space now and then (``HJ.TITIK``), and both engines then agree on
# the glued word; so is an abbreviated first name (``MUH.TAUFIK``). Only a leading run of
# ``names.TITLES`` and those abbreviations followed by a word of three letters or more is split,
# so an initial (``A.RAHMAN`` is not a title) and a degree (``S.PD.``) stay as read.
_OPENING_WORDS = sorted(TITLES | NAME_ABBREVIATIONS, key=len, reverse=True)
_GLUED_TITLES = re.compile(rf"^((?:(?:{'|'.join(_OPENING_WORDS)})\.)+)([A-Z][A-Z'-]{{2,}})$")


# The ``I`` or ``NI`` opening a Balinese name, glued to the name after it in a tight print
# (``IMADE ASTAWA``): no Indonesian name is spelled so, and the other engine reads it spaced.
BALINESE_OPENINGS = {"NI": BALINESE_NAMES | {"LUH"}, "I": BALINESE_NAMES}


def _glued_balinese(word: str) -> tuple[str, str] | None:
    for opening, following in BALINESE_OPENINGS.items():
        if word.startswith(opening) and word[len(opening) :] in following:
            return opening, word[len(opening) :]
    return None


def _split_titles(name: str) -> str:
    words = name.split()
    if len(words) > 2 and words[1] + words[2] in BALINESE_OPENINGS.get(words[0], ()):
        # a wide-set face prints the word after ``I`` / ``NI`` in two (``I GUS TI NGURAH``)
        name = " ".join([words[0], words[1] + words[2], *words[3:]])
    first, _, rest = name.partition(" ")
    balinese = _glued_balinese(first)
    if balinese is not None:
        return " ".join([*balinese, rest]).strip()
    glued = _GLUED_TITLES.match(first)
    if glued is None:
        return name
    titles = glued.group(1).replace(".", ". ").strip()
    return f"{titles} {glued.group(2)} {rest}".strip()


def name_text(text: str) -> str:
    """``clean_alpha`` for a holder's name: a leading title or Balinese ``I`` / ``NI`` glued to
    the name spaced from it, a leading title's dot read as a comma and the comma before a degree
    read as a dot given back."""
    words = _split_titles(clean_alpha(text)).split()
    for index, word in enumerate(words):  # a title's dot read as a comma (``H, RIZKY``)
        if not (word.endswith((".", ",")) and word[:-1] in TITLES):
            break
        words[index] = word[:-1] + "."
    for index, (word, following) in enumerate(itertools.pairwise(words)):
        # the comma before a degree read as a dot (``PUSPAWATI. S.FARM.``): a name's word is
        # never abbreviated with a dot right before a degree
        if (
            word.endswith(".")
            and len(word) > MIN_NAME_WORD
            and _DEGREE.match(following.rstrip(","))
        ):
            words[index] = word[:-1] + ","
    return " ".join(words)


def real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Month names as cards and printouts spell them (Indonesian and English, full and short).
MONTHS = {
    **dict.fromkeys(("JANUARI", "JANUARY", "JAN"), 1),
    **dict.fromkeys(("FEBRUARI", "PEBRUARI", "FEBRUARY", "FEB", "PEB"), 2),
    **dict.fromkeys(("MARET", "MARCH", "MAR"), 3),
    **dict.fromkeys(("APRIL", "APR"), 4),
    **dict.fromkeys(("MEI", "MAY"), 5),
    **dict.fromkeys(("JUNI", "JUNE", "JUN"), 6),
    **dict.fromkeys(("JULI", "JULY", "JUL"), 7),
    **dict.fromkeys(("AGUSTUS", "AUGUST", "AGU", "AGT", "AGS", "AUG"), 8),
    **dict.fromkeys(("SEPTEMBER", "SEP", "SEPT"), 9),
    **dict.fromkeys(("OKTOBER", "OCTOBER", "OKT", "OCT"), 10),
    **dict.fromkeys(("NOVEMBER", "NOPEMBER", "NOV", "NOP"), 11),
    **dict.fromkeys(("DESEMBER", "DECEMBER", "DES", "DEC"), 12),
}
MIN_FUZZY_MONTH = 5  # a longer month name may be read a letter off; a short one must be exact
_TEXT_DATE = re.compile(
    r"(?<![0-9A-Z])([0-9OIL]{1,2})[-./ ]{0,3}([A-Z]{3,9})\.?[-./ ]{0,3}([0-9OILSB]{4})\b"
)
_WORD = re.compile(r"(?<![A-Z])[A-Z]{3,9}(?![A-Z])")


def _month(word: str) -> int | None:
    if word in MONTHS:
        return MONTHS[word]
    if len(word) < MIN_FUZZY_MONTH:
        return None
    near = {
        month
        for name, month in MONTHS.items()
        if len(name) >= MIN_FUZZY_MONTH and Levenshtein.distance(word, name, score_cutoff=1) <= 1
    }
    return near.pop() if len(near) == 1 else None


def _names_a_month(text: str) -> bool:
    return any(_month(word) for word in _WORD.findall(text))


def _text_month_date(text: str) -> str | None:
    """``13 APRIL 2010`` (a month by name; ``text`` upper case, letters fixed) to ISO."""
    for match in _TEXT_DATE.finditer(text):
        month = _month(match.group(2))
        day, year = fix_digits(match.group(1)), fix_digits(match.group(3))
        if month is None or not (day.isdecimal() and year.isdecimal()):
            continue
        found = real_date(int(year), month, int(day)) if 1900 <= int(year) <= 2100 else None
        if found:
            return found.isoformat()
    return None


# A word written as a date and nothing else (``14-12-2011``, ``19/07/2013``, ``04.08.1963``).
DATE_WORD = re.compile(r"^\d{1,2}[-./]\d{1,2}[-./]\d{4}$")


def parse_date(text: str) -> str | None:
    """``DD-MM-YYYY`` in OCR text (look-alikes fixed, separators tolerated) or ``DD MONTH YYYY``
    (Indonesian or English month names) to ISO, else None. A text that names a month is not read
    as a run of eight digits: the letters of ``APRIL`` would pass for ``11``."""
    lettered = fix_letters(text).upper()  # APRI1 -> APRII, one letter off APRIL
    named = _names_a_month(lettered)
    if named and (by_name := _text_month_date(lettered)):
        return by_name
    fixed = fix_digits(text)
    # an engine splits a number at its narrow ``1`` (``18-1 2-2006``): a date read whole once the
    # space between two digits is gone is the date, not ``1 2-2006``
    match = _MARKED_DATE.search(_SPLIT_DIGITS.sub("", fixed)) or _DATE.search(fixed)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif named:
        return None
    else:
        # isdecimal, not isdigit: superscripts such as "¹" are digits that int() refuses.
        digits = "".join(c for c in fixed if c.isdecimal())
        if len(digits) != 8:
            return None
        day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if not 1900 <= year <= 2100:
        return None
    found = real_date(year, month, day)
    return found.isoformat() if found else None


def parse_iso(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` field value as a date, else None."""
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def compact(text: str) -> str:
    """Upper-case letters and digits only (for fuzzy comparisons of labels and enums)."""
    return "".join(c for c in text.upper() if c.isalnum())


ADDRESS_ABBREVIATIONS = frozenset(
    {
        "JL",
        "JLN",
        "GG",
        "NO",
        "KOMP",
        "PERUM",
        "BLK",
        "DS",
        "DSN",  # dusun
        "KP",  # kampung
        "KM",  # a kilometre post: JL. KARTINI KM. 5
        "LINGK",  # lingkungan
        "LR",  # lorong: LR. PERMATA
        "LK",  # lingkungan
        "ADM",  # a city of Jakarta: KOTA ADM. JAKARTA TIMUR
        "KEL",
        "KEC",
        "KAB",
        "KH",
        "DR",
        "IR",
        "H",
    }
)
_ROMAN_LOOKALIKE = re.compile(r"^[Il1|i]{2,4}$")


def fix_roman(text: str) -> str:
    """Words made only of ``I`` look-alikes (``Ili``, ``1II``) are roman numerals: ``III``."""
    return " ".join(
        "I" * len(word) if _ROMAN_LOOKALIKE.match(word) and not word.isdigit() else word
        for word in text.split()
    )


_GLUED_ABBREVIATION = re.compile(r"\b(" + "|".join(ADDRESS_ABBREVIATIONS) + r")\.(?=[A-Z0-9])")
# The administrative words of an address. They are long and unlike any place name, so a word one
# letter off one of them (``KABUIPATEN``, ``KECAMATAM``) is that word misread; and they never
# start a place name, so one glued to the next word was a lost space (``KABUPATENJAYAPURA``).
# ``KOTA`` is left out: Kotabaru and Kotagede are names.
REGION_WORDS = ("KABUPATEN", "KECAMATAN", "KELURAHAN", "PROVINSI")
_GLUED_REGION = re.compile(r"\b(" + "|".join(REGION_WORDS) + r")(?=[A-Z]{3,})")
# A street's roman numeral ``IV`` glued to the name before it (``GG. MUSHOLAIV``): no Indonesian
# word ends in ``IV`` (none of 25 outside sets' printed values does), so it is the numeral.
_GLUED_FOUR = re.compile(r"\b([A-Z]{3,})IV\b")
# and one read with a space inside it (``KABUPA TEN GOWA``: a blurred photo's letters apart)
_SPLIT_REGION = re.compile(
    r"\b(?:"
    + "|".join(f"{w[:i]} {w[i:]}" for w in REGION_WORDS for i in range(2, len(w) - 1))
    + r")\b"
)
# RT/RW and house numbers are written ``003/007``: a space around the slash is OCR's.
_SPACED_SLASH = re.compile(r"(?<=\d) ?/ ?(?=\d)")
# A house number's ``NO.`` glued to the street's last word (``MELATINO. 248``) and the RT/RW pair
# glued to the number before it or after it (``9RT 002/014``, ``RT002/014``): spaces a blurred
# photo lost; a block's number before it too (``BLOK G1NO. 24``). The dot (or a comma read for
# it: ``RATULANGINO, 175``) and the number that follows tell ``NO.`` from a name ending in ``NO``.
_GLUED_HOUSE_NUMBER = re.compile(r"(?<=[A-Z0-9])NO[.,](?= ?\d)")
# The ``O`` of ``NO.`` read as a zero or a ``D`` (``N0. 51``, ``ND 55``), or with its dot as a
# ``Q`` (``NQ 103``: the dot read as the O's tail): a dot or a space, then a house number (a
# block ``N05`` is a letter and a number; no address word is ``ND`` or ``NQ``).
_NO_WITH_ZERO = re.compile(r"\bN[0DQ](?=\. ?\d| \d)")
# The slash of an RT/RW pair read as a stroke letter (``RT 007I011``).
_RT_RW_STROKE = re.compile(r"(?<![A-Z])(R[TW]) ?(\d{3})[IL|\\](\d{3})\b")
# The slash between an RT number and the ``RW`` after it read as a stroke letter (``RT 007IRW``).
_RT_STROKE_RW = re.compile(r"(?<![A-Z])(RT) ?(\d{3})[IL|\\](?=RW\b)")
# The dot after ``RT`` or ``RW`` read as a comma (``RT,011 RW,001``): no address puts one there.
_RT_RW_COMMA = re.compile(r"(?<![A-Z])(R[TW]),(?= ?\d)")
# A word of letters with a zero read for an ``O`` between two of them (``BL0K``, ``SID0ARJO``):
# no address word mixes letters and a lone zero so.
_ZERO_IN_WORD = re.compile(r"\b[A-Z]+(?:0[A-Z]+)+\b")
# A zero of an RT or RW number read as the letter O, a one as I or L (``RT 011/01O``, ``RT O07
# RW 002``, ``RW O8``, ``RW O1L``): two or three characters after ``RT`` or ``RW``, or after the
# slash of a pair, one of them a digit, are digits; so are three with an ``O`` among them (``RT
# OII``, a face whose one is a bare stroke: no word is spelt so).
_RT_RW_NUMBER = re.compile(r"(?:(?<![A-Z])R[TW](?:\. ?| )?|(?<=\d\d)/)([0-9OIBL]{2,3})(?![A-Z0-9])")
# An RT number of a pair read with a space inside it (``RT.0 12/RW.008``): its three digits.
_SPLIT_RT_NUMBER = re.compile(r"(?<![A-Z])(R[TW](?:\. ?| ))(\d) ?(\d) ?(\d)(?=/)")
# ``RT`` or ``RW`` read with a space inside it before its number (``RT 006 R W 001``); a street
# named with initials (``JL. R. W. MONGINSIDI``) has a name after them, not a number.
_SPLIT_RT_WORD = re.compile(r"(?<![A-Z.])R (?=[TW](?:\. ?| )?\d)")
# The label's last letters and colon read as the address's first word (``T : JL. KELAPA``,
# ``Alamat`` boxed apart from its tail): no address opens with a lone letter and a colon.
_LABEL_TAIL = re.compile(r"^[A-Z]{1,2} ?: ?(?=[A-Z])")
# A zero read as the letter O after a digit of a house or block number (``NO. 1O``, ``BLOK
# A1O``): a number, at most two letters before it (a block's letter), ends the word.
_NUMBER_WITH_O = re.compile(r"\b([A-Z]{0,2})(\d+O[0-9O]*)\b")
# A house number after ``NO.`` with a one read as ``I`` or a zero as ``O`` (``NO. I25``,
# ``NO. 1OA``): a run of digits and those two letters, a digit among them, then at most one
# letter (the house's suffix), is the number; so are two or three ``I`` alone (``NO. II``: no
# house is numbered in roman numerals).
_HOUSE_NUMBER = re.compile(r"\b(NO\.? )([0-9OI]*\d[0-9OI]*|I{2,3}(?![A-Z]))([A-Z]?)\b")
# A block's number after ``BLOK`` with a one read as ``I`` or a zero as ``O`` (``BLOK HI2``,
# ``BLOK KIO`` for ``H12``, ``K10``): one letter, then a run of digits and those two letters
# with a digit among them or two letters at least, is the block's letter and number (a block
# named by letters only, ``BLOK AA``, has none of them after its first).
_BLOCK_NUMBER = re.compile(r"\b(BLOK )([A-Z])((?=[0-9OI]*\d)[0-9OI]+|[OI]{2,})\b")
# A block's one-digit number read as the letter it looks like (``BLOK CS``, ``BLOK AI`` for ``C5``,
# ``A1``) before the house number: a block is a letter, a letter and a number, or a number
# (3,720 outside cards print no block of two letters). Without the house number after it the
# read stays (a block named by letters may end an address).
_BLOCK_LOOKALIKE = re.compile(r"\b(BLOK )([A-Z])([SIOGZBL])(?= NO\b)")
# The village's or district's marker glued to the RT or RW number before it (``RW006KEL.``,
# ``RW 006KEL.``): no address runs a marker into a number, so the spaces were OCR's.
_MARKERS = r"(?:KELURAHAN|KECAMATAN|KEL|KEC|DESA|DS)\b"
_GLUED_RT_RW = re.compile(
    r"(?<=\d)(?=R[TW] ?\d{3}/\d{3})|(?<=\bR[TW])(?=\d{3}/\d{3})|(?<=\bR[TW])(?=\d{3}\b)"
    r"|(?<=\bR[TW])(?=\d{3}" + _MARKERS + r")|(?<=\bR[TW]\d{3})(?=" + _MARKERS + r")"
    r"|(?<=\bR[TW] \d{3})(?=" + _MARKERS + r")"
    # an RT number glued to the ``RW`` after it (``RT 001RW 007``)
    r"|(?<=\d{3})(?=RW[. ]?\d{3}\b)"
    # a dotted pair glued to the word or number before it (``NO. 36RT.008/RW.002``)
    r"|(?<=[A-Z0-9])(?=RT[. ]?\d{3} ?/ ?RW)"
)
# A space read before the slash of a dotted pair (``RT.007 /RW.003``).
_SPACED_PAIR_SLASH = re.compile(r"(?<=\d) /(?=R[TW])")
# ``BLOK`` glued to its block's letter and number (``BLOKE1``): no address word starts so.
_GLUED_BLOCK = re.compile(r"\bBLOK(?=[A-Z]\d{1,3}\b)")
# A postcode glued to the place before it (``DKI JAKARTA12300``): five digits after a word of
# letters are a postcode.
_GLUED_POSTCODE = re.compile(r"(?<=[A-Z]{3})(?=\d{5}\b)")


# Tesseract and PP-OCR read the ``L`` of ``JL`` as ``I`` now and then (``IL.``, ``JI.``), or a
# speck between its letters as one (``JIL``): none is an address word, so such a word with its
# dot, or opening the address, is ``JL`` (its dot as read: printings differ in whether they dot
# ``JL``, so FiLot returns the dot as printed).
# Undotted ``IL`` is ``JL`` too where a street starts after a house number (``NO. 11 IL KH.
# AGUS SALIM``), and a street's numeral ``II`` (its second stroke read as ``L``) after a name and
# before the house number or RT, or at the end (``GG. SAWO IL NO. 12``).
_MISREAD_JL = frozenset({"IL", "JI", "JIL"})
_AFTER_NUMERAL = frozenset({"", "NO", "RT", "RW", "RT/RW"})


def _street_word(words: list[str]) -> list[str]:
    out = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        before = words[index - 1] if index else ""
        bare = word.rstrip(".")
        if (
            bare in _MISREAD_JL
            and (word != bare or index == 0 or (bare == "IL" and before.isdigit()))
            and following.rstrip(".").isalpha()
        ):
            word = "JL" + word[len(bare) :]
        elif word == "IL" and before.isalpha() and following.rstrip(".") in _AFTER_NUMERAL:
            word = "II"
        out.append(word)
    return out


# Words printed with a dot after them besides the address's own abbreviations: a name's titles
# (``names.TITLES``), ranks and the abbreviations of Muhammad and Abdul in the street names taken
# from people (``JL. MOH. HATTA``, ``JL. JEND. SUDIRMAN``).
_DOTTED_NAME_WORDS = TITLES | NAME_ABBREVIATIONS | {"JEND", "KOL", "TGK"}
# An asymmetric hyphen between two places (``TITIWUNGEN UTARA- SARIO``) is the spaced dash the
# card prints between a village and its district; a block's letter and number keep theirs tight
# (``BLOK B- 34`` is ``B-34``).
_LOPSIDED_DASH = re.compile(r"(?<=[A-Z]{2})(?:- | -)(?=[A-Z]{2})")
_BLOCK_DASH = re.compile(r"\b([A-Z])(?:- | -)(?=\d)")
# A hyphen read tight between two different places (``MEKARSARI-CIMANGGIS``: the engines drop the
# thin spaces round the card's dash) is that dash too; a word repeated (``SAYANG-SAYANG``, a
# village's name) keeps its hyphen tight, as Indonesian writes a repeated word.
_TIGHT_DASH = re.compile(r"\b([A-Z]{3,})-(?=([A-Z]{3,})\b)")  # chained: ``A-B-KABUPATEN``
# A comma between two words with no space after it (``TOMBOLO,SOMBA OPU``): the engines drop the
# narrow space a card prints after it.
_GLUED_COMMA = re.compile(r"(?<=[A-Z]),(?=[A-Z])")


def _spaced_dash(match: re.Match[str]) -> str:
    left, right = match.group(1), match.group(2)
    # a word repeated keeps its hyphen, an affix after the repeat too (``BONTO-BONTOA``)
    repeated = right.startswith(left) or left.startswith(right)
    return match.group(0) if repeated else f"{left} - "


def _separator(word: str, following: str) -> str:
    """A dot after a place's name or a house number, with more of the address after it, is the
    comma between two parts of the address (a blurred comma's tail is lost and both engines read
    ``KUTA UTARA. KAB. BADUNG``): only abbreviations carry a dot there. Nothing separates a
    street from its house number (``JL. PEMUDA NO. 86``): a mark read there is a speck."""
    bare = word[:-1]
    if (
        word.endswith(".")
        and bare.isalnum()
        and (bare.isdigit() or len(bare) >= 3)
        and bare not in ADDRESS_ABBREVIATIONS
        and bare not in _DOTTED_NAME_WORDS
    ):
        return bare if following.rstrip(".") == "NO" else bare + ","
    return word


def _last_word(word: str) -> str:
    """The address's last word without a dot after it, unless an abbreviation or a title ends the
    address: ``JAKARTA PUSAT.``, ``NO. 40 A.`` end in a speck read as a dot."""
    bare = word[:-1]
    if (
        word.endswith(".")
        and bare.isalnum()
        and bare not in ADDRESS_ABBREVIATIONS
        and bare not in _DOTTED_NAME_WORDS
    ):
        return bare
    return word


# A dot glued between two places' names (``CAKRANEGARA BARAT.CAKRANEGARA``) is the comma between
# them, as a spaced one is (``_separator``); an abbreviation's or a title's dot is spaced above.
_GLUED_DOT = re.compile(r"\b([A-Z]{3,})\.(?=[A-Z]{3})")


def _comma_for_dot(match: re.Match[str]) -> str:
    word = match.group(1)
    if word in ADDRESS_ABBREVIATIONS or word in _DOTTED_NAME_WORDS:
        return match.group(0)
    return word + ", "


def _region_word(word: str) -> str:
    if len(word) < 7 or not word.isalpha():
        return word
    near = (r for r in REGION_WORDS if Levenshtein.distance(word, r, score_cutoff=1) <= 1)
    return next(near, word)


def _rt_rw_digits(match: re.Match[str]) -> str:
    number = match.group(1)
    if not any(c.isdigit() for c in number) and not (len(number) == 3 and "O" in number):
        return match.group(0)  # a word, not a number
    return match.group(0)[: -len(number)] + fix_digits(number)


# Abbreviations an address writes with their dot (``JL.``, ``GG.``, ``KEL.``, ``KEC.``, ``KAB.``,
# ``KOMP.``; ``NO.`` before a house number), as Indonesian spelling has it. A blurred photo loses
# the dot more often than any other mark (seven of the 25 KTP addresses misread on ten outside
# sets' hard photos differed from the card by ``JL``'s dot alone), and the ten sets' 1,200 cards,
# drawn by ten generators, print every one of these 2,424 abbreviations with it. FiLot returns
# them dotted (a card printing ``JL MERDEKA`` comes back ``JL. MERDEKA``); ``RT`` and ``RW`` are
# printed both ways, and keep the dot as read. ``KP.`` (kampung) and ``BR.`` (banjar) likewise:
# 29 outside sets print all 61 and 15 of them dotted.
DOTTED_ABBREVIATIONS = frozenset({"JL", "GG", "KEL", "KEC", "KAB", "KOMP", "KP", "BR"})
HOUSE_NUMBER_WORD = "NO"


def _dotted(word: str, following: str) -> str:
    """``word`` with its abbreviation's dot where the address writes one before ``following``."""
    if word in DOTTED_ABBREVIATIONS and following[:1].isalpha():
        return word + "."
    if word == HOUSE_NUMBER_WORD and following[:1].isdigit():
        return word + "."
    return word


def clean_address(text: str) -> str:
    """``clean`` plus ``NO,`` / ``JL,`` (a dot read as a comma) repaired, a space after an
    abbreviation's dot (``NO.27`` -> ``NO. 27``) and after a glued region word, and roman
    numerals, and no space around the slash between two numbers (``003/ 007``); a house number's
    ``NO.`` and an ``RT``/``RW`` pair glued to their neighbours are spaced, and the pair's slash
    read as a stroke letter (``007I011``) is a slash, and zeros and ones of RT and RW numbers read
    as ``O`` and ``I`` are digits, as is a zero read as ``O`` after a digit of a house or block
    number (``A1O``), and ones and zeros of a block's number after its letter (``BLOK HI2``);
    a word one letter off ``KABUPATEN``, ``KECAMATAN``, ``KELURAHAN`` or ``PROVINSI`` is that
    word; ``IL.`` / ``JI.`` for ``JL.`` is ``JL.``; ``JL``, ``GG``, ``KEL``, ``KEC``, ``KAB``,
    ``KOMP`` and a house number's ``NO`` get their abbreviation's dot (``DOTTED_ABBREVIATIONS``).
    A dot after a place's name or a house number with more address after it is the comma it
    stands for (only abbreviations carry a dot there), and a dash with a space on one side
    only, or none, is spaced on both between two places (a word repeated keeps its
    hyphen: ``SAYANG-SAYANG``, ``BONTO-BONTOA``) and tight between a block's letter and its
    number, and a comma between two words gets back the space after it. A lone letter
    and a colon opening the address (the label's tail) are dropped, an RT number read with a
    space inside it (``RT.0 12/``) is joined, as is an ``RW`` read as ``R W``, and a ``B`` in an
    RT or RW number is an 8. The slash between an RT number and ``RW`` read as a stroke letter
    (``RT 007IRW``) is a slash, and a zero read for an ``O`` between letters (``BL0K``) an ``O``;
    a comma after ``RT`` or ``RW`` before its number is the dot (``RW,001``), and a region word
    read with a space inside it (``KABUPA TEN``) is one word; a street's numeral ``IV`` glued to
    its name (``MUSHOLAIV``) is spaced, as are ``BLOK`` glued to its block (``BLOKE1``), a
    postcode glued to its place and a dotted RT/RW pair to the word before it, and a space
    before the pair's slash is dropped, and a block's one digit read as a letter before the house
    number (``BLOK CS NO.``) is the digit. A dot glued between two places' names is a comma, and a
    dot after the address's last word is dropped unless that word is an abbreviation."""
    text = _LABEL_TAIL.sub("", clean(text))
    text = _SPLIT_RT_NUMBER.sub(r"\1\2\3\4", _SPLIT_RT_WORD.sub("R", text))
    text = _GLUED_HOUSE_NUMBER.sub(" NO.", _NO_WITH_ZERO.sub("NO", text))
    text = _SPACED_SLASH.sub("/", _RT_RW_STROKE.sub(r"\1 \2/\3", text))
    text = _RT_RW_COMMA.sub(r"\1.", _RT_STROKE_RW.sub(r"\1 \2/", text))
    text = _SPLIT_REGION.sub(lambda m: m.group(0).replace(" ", ""), text)
    text = _ZERO_IN_WORD.sub(lambda m: m.group(0).replace("0", "O"), text)
    text = _GLUED_RT_RW.sub(" ", _SPACED_PAIR_SLASH.sub("/", text))
    text = _GLUED_POSTCODE.sub(" ", _GLUED_BLOCK.sub("BLOK ", text))
    # twice: the second number of a pair is known by the three digits before its slash, which
    # the first pass may have just made digits (``RT O15/O12``)
    text = _RT_RW_NUMBER.sub(_rt_rw_digits, _RT_RW_NUMBER.sub(_rt_rw_digits, text))
    text = _NUMBER_WITH_O.sub(lambda m: m.group(1) + m.group(2).replace("O", "0"), text)
    text = _GLUED_REGION.sub(r"\1 ", _GLUED_ABBREVIATION.sub(r"\1. ", text))
    text = _GLUED_DOT.sub(_comma_for_dot, text)
    text = _GLUED_FOUR.sub(r"\1 IV", text)
    text = _HOUSE_NUMBER.sub(lambda m: m.group(1) + fix_digits(m.group(2)) + m.group(3), text)
    text = _BLOCK_NUMBER.sub(lambda m: m.group(1) + m.group(2) + fix_digits(m.group(3)), text)
    text = _BLOCK_LOOKALIKE.sub(lambda m: m.group(1) + m.group(2) + fix_digits(m.group(3)), text)
    words = []
    for word in clean(text).split():
        if word.endswith(",") and word[:-1] in ADDRESS_ABBREVIATIONS:
            word = word[:-1] + "."
        words.append(_region_word(word))
    words = [_separator(w, following) for w, following in itertools.pairwise(words)] + [
        _last_word(w) for w in words[-1:]
    ]
    words = list(_street_word(words))
    words = [_dotted(w, following) for w, following in itertools.pairwise(words)] + words[-1:]
    text = _BLOCK_DASH.sub(r"\1-", _LOPSIDED_DASH.sub(" - ", " ".join(words)))
    text = _GLUED_COMMA.sub(", ", _TIGHT_DASH.sub(_spaced_dash, text))
    return fix_roman(text)
