"""Official names of Indonesia's regencies and cities, to choose between reads of a place name
that differ only in spaces, and to mend a regency or issue place one letter off its name; and of
each regency's districts and villages, to mend a kecamatan or kelurahan/desa one look-alike
letter off.

OCR on a photo often glues two words of a place (``BANDAACEH``) or splits one
(``BAN DAR LAMPUNG``, ``PEMATANGSIAN TAR``), and the two engines may do it differently. When
one read of a place name is spelled as an official name, that read gives the value. FiLot never
writes a spacing no read produced: a card that prints ``PANGKALPINANG`` where Kemendagri writes
``PANGKAL PINANG`` keeps its own spelling. The one exception is a KTP's regency header read as a
single word (``KOTATANGERANGSELATAN``): a header always spaces its prefix and words, so that
read lost them all, and the one official name with those letters is spaced as Kemendagri writes
it.

The names are Kemendagri's (``verification/data/wilayah.csv``, see its README): 514 kabupaten
and kota, 7,230 kecamatan, 83,441 kelurahan and desa, each under its code. A district or village
is only ever mended to a name of the card's own regency (the header's, or the one the NIK was
issued in), where names one letter apart are few: across the whole country they are not.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from verification.textfix import compact

DATA = Path(__file__).resolve().parent / "data" / "wilayah.csv"
CITY_PREFIX = "KOTA "
REGENCY_PREFIXES = ("KABUPATEN ", CITY_PREFIX)
# the length of a code: 3471 (KOTA YOGYAKARTA), 347113 (UMBULHARJO), 3471131001 (a village)
CODE_LENGTHS = {"regency": 4, "district": 6, "village": 10}
REGENCY_CODE = CODE_LENGTHS["regency"]
MIN_SNAP_LETTERS = 5  # shorter names are too close to each other to mend a letter


@cache
def _rows() -> tuple[tuple[str, str], ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return tuple((row["code"], row["name"]) for row in csv.DictReader(handle))


def _bare_place(regency: str) -> str:
    return next((regency.removeprefix(p) for p in REGENCY_PREFIXES if regency.startswith(p)), "")


@cache
def names(kind: str) -> frozenset[str]:
    """``regency``: the names as a KTP header prints them (``KOTA BANDA ACEH``); ``place``: a
    regency or city without its prefix (``BANDA ACEH``), as a birth or issue place is printed."""
    regencies = [name for code, name in _rows() if len(code) == REGENCY_CODE]
    if kind == "regency":
        return frozenset(regencies)
    return frozenset(_bare_place(name) for name in regencies) - {""}


@cache
def _regency_codes() -> dict[str, frozenset[str]]:
    codes: dict[str, set[str]] = {}
    for code, name in _rows():
        if len(code) == REGENCY_CODE:
            for key in (name, _bare_place(name)):
                if key:
                    codes.setdefault(key, set()).add(code)
    return {name: frozenset(found) for name, found in codes.items()}


def regency_codes(name: str) -> frozenset[str]:
    """The codes of the regency or city a KTP header (``KOTA YOGYAKARTA``) or a place
    (``BANDUNG``: the kabupaten and the kota) names; none for a name that is no official one."""
    return _regency_codes().get(name, frozenset())


@cache
def _local(kind: str) -> dict[str, frozenset[str]]:
    length = CODE_LENGTHS[kind]
    found: dict[str, set[str]] = {}
    for code, name in _rows():
        if len(code) == length:
            found.setdefault(code[:REGENCY_CODE], set()).add(name)
    return {regency: frozenset(names) for regency, names in found.items()}


def local_names(kind: str, regencies: frozenset[str]) -> frozenset[str]:
    """The ``district`` or ``village`` names of the regencies with the codes ``regencies``."""
    table = _local(kind)
    return frozenset().union(*(table.get(code, frozenset()) for code in regencies))


# Letters OCR reads for one another in the capitals cards print (read, printed). A vowel for a
# vowel, a letter lost or doubled are not among them: they are how printed spellings differ from
# Kemendagri's (``GUGUK PANJANG`` / ``GUGUAK PANJANG``, ``SOMBA OPU`` / ``SOMBA UPU``,
# ``SELAPARANG`` / ``SELAPRANG``), and a card prints its own.
LOOKALIKES = frozenset(
    pair
    # ``J`` read as ``T`` or ``U`` and ``B`` as ``W`` on blurred photos (``SOKARATA``,
    # ``BANTARMASIN TENGAH``, ``WANUHAMPU``): on thirteen outside sets these three pairs mended
    # three districts and changed no right read
    for a, b in ("IJ", "IL", "IT", "OG", "OD", "OQ", "CG", "EF", "UV", "PR", "BR", "JT", "JU", "BW")
    for pair in ((a, b), (b, a))
)


# Thin strokes a blurred photo loses or joins: an ``I`` inside a word not read at all
# (``SDOARJO``), and ``IJ`` or ``LI`` read as one ``U`` (``HUAU`` for ``HIJAU``; ``BAUKPAPAN`` for
# ``BALIKPAPAN``, a face that sets the ``I`` close against the ``L``'s foot). Not an ``I`` at a
# name's end or beside another: a roman numeral is a word of its own (``ILIR BARAT I``,
# ``TEGALSARI II`` compacted), and the words before it a name too.
LOST_LETTER = "I"
JOINED = (("IJ", "U"), ("LI", "U"))


def _one_lookalike_off(read: str, name: str) -> bool:
    if len(read) == len(name) - 1:
        return any(
            name[at] == LOST_LETTER
            and LOST_LETTER not in (name[at - 1], name[at + 1])
            and name[:at] + name[at + 1 :] == read
            for at in range(1, len(name) - 1)
        ) or any(
            name[at : at + 2] == pair and name[:at] + one + name[at + 2 :] == read
            for pair, one in JOINED
            for at in range(len(name) - 1)
        )
    if len(read) != len(name):
        return False
    differ = [(a, b) for a, b in zip(read, name, strict=True) if a != b]
    return len(differ) == 1 and differ[0] in LOOKALIKES


def _spelled_as(value: str, name: str) -> str:
    """``value`` with its letters (the spaces and dots as read) taken from ``name``: one for
    one, or, where ``name`` has a letter more (an ``I`` lost, ``IJ`` or ``LI`` read as ``U``),
    the first letter read wrong, or the end, given the letters ``name`` has there."""
    read, target = compact(value), compact(name)
    extra = len(target) - len(read)
    at = next((i for i, (a, b) in enumerate(zip(read, target, strict=False)) if a != b), len(read))
    out: list[str] = []
    index = 0  # letters of ``value`` so far
    for c in value.upper():
        if not c.isalnum():
            out.append(c)
            continue
        if index < at:
            out.append(target[index])
        elif index == at:
            out.append(target[index : index + extra + 1])
        else:
            out.append(target[index + extra])
        index += 1
    if at == len(read):
        out.append(target[len(read) :])
    return "".join(out)


def mend_local(value: str, kind: str, regencies: frozenset[str]) -> str:
    """``value``, a district or village name as read, as the one name of that kind in the
    regencies ``regencies`` that differs from it in one look-alike letter (``UMBULHARIO`` ->
    ``UMBULHARJO``, ``OUBENG`` -> ``GUBENG``), spaced as read, or whose roman numeral was
    read glued to the word before it (``ILIR BARATI`` -> ``ILIR BARAT I``); unchanged when it
    spells a name of theirs (spaces aside: a card may print ``KARANGPILANG``), is short, or is
    such a letter off none or several of their names."""
    letters = compact(value)
    if len(letters) < MIN_SNAP_LETTERS:
        return value
    local = local_names(kind, regencies)
    numbered = _numeral_apart(value, local)
    if numbered is not None:
        return numbered
    official = {compact(name) for name in local}
    if letters in official:
        return value
    near = {name for name in official if _one_lookalike_off(letters, name)}
    return _spelled_as(value, near.pop()) if len(near) == 1 else value


ROMAN_NUMERALS = ("I", "II", "III", "IV")


def _numeral_apart(value: str, local: frozenset[str]) -> str | None:
    """``value`` as the local name it spells with its roman numeral glued to the word before
    (``ILIR BARATI`` for ``ILIR BARAT I``: a card prints the numeral as a word of its own, and a
    blurred photo's narrow space before a lone ``I`` is lost); None for any other value."""
    words = value.split()
    if not words:
        return None
    last = words[-1]
    for numeral in ROMAN_NUMERALS:
        if len(last) > len(numeral) + 2 and last.endswith(numeral):
            apart = " ".join([*words[:-1], last[: -len(numeral)], numeral])
            if apart in local and value not in local:
                return apart
    return None


@cache
def _all_compact_names() -> frozenset[str]:
    return frozenset(compact(name) for _, name in _rows()) | {compact(n) for n in names("place")}


def mend_birth_place(value: str) -> str:
    """``value``, a birth place as read, as the one regency's or city's name (``BEKASI``) that
    differs from it in one look-alike letter (``BEKASL``, an ``I`` read as ``L``), spelled as
    read; unchanged when it spells any region's name (a village, a district), is short, or is such
    a letter off none or several. A birth place need not be a regency or city (a village, a town
    abroad): only a look-alike letter is mended, never a letter lost or added."""
    letters = compact(value)
    if len(letters) < MIN_SNAP_LETTERS or letters in _all_compact_names():
        return value
    near = {name for name in names("place") if _one_lookalike_off(letters, compact(name))}
    return _spelled_as(value, near.pop()) if len(near) == 1 else value


def numbered_local(value: str, raw: str, kind: str, regencies: frozenset[str]) -> str:
    """``value``, a district or village name as cleaned up from ``raw``, with the number it opens
    with on the card given back (Palembang's ``20 ILIR D. II``, ``3/4 ULU``): the clean-up drops
    words without letters before a value as specks, and such a name keeps its number where, with
    it, the name is one of the regencies' ``kind``."""
    words = raw.upper().split()
    first = value.split()[0] if value else ""
    if first not in words:
        return value
    before = words[: words.index(first)]
    official = {compact(name) for name in local_names(kind, regencies)}
    for start in range(len(before)):
        number = before[start:]
        if all(set(word) <= set("0123456789/") for word in number):
            named = " ".join([*number, value])
            if compact(named) in official:
                return named
    return value


def is_official(value: str, kinds: tuple[str, ...]) -> bool:
    return any(value in names(kind) for kind in kinds)


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


@cache
def _place_words() -> frozenset[str]:
    """Every word of a regency's or a district's name (``CENGKARENG``, ``BANDAR``), and each
    such name of two words written as one (Kemendagri's district ``PAL MERAH`` is the
    ``PALMERAH`` of ``KPP PRATAMA JAKARTA PALMERAH``)."""
    official = [name for code, name in _rows() if len(code) <= CODE_LENGTHS["district"]]
    return frozenset(word for name in official for word in name.split()) | frozenset(
        compact(name) for name in official if len(name.split()) == 2
    )


@cache
def _local_words() -> frozenset[str]:
    """Every word of a district's or village's name (``KOTABARU``, ``KOTAGEDE``)."""
    return frozenset(
        word for code, name in _rows() if len(code) > REGENCY_CODE for word in name.split()
    )


def join_split_words(text: str) -> str:
    """``text`` with a place's word that an engine split (``SERP ONG``, ``CE NGKARE NG``, a
    blurred photo's spaces) joined: two or three neighbouring words that make one word of a
    regency's or district's name, one of them no such word itself (``KOTA BARU`` stays)."""
    words = text.split()
    known = _place_words()
    out: list[str] = []
    index = 0
    while index < len(words):
        for count in (3, 2):
            pieces = words[index : index + count]
            joined = "".join(pieces)
            if len(pieces) == count and joined in known and any(p not in known for p in pieces):
                out.append(joined)
                index += count
                break
        else:
            out.append(words[index])
            index += 1
    return " ".join(out)


MIN_GLUED_LETTERS = 3  # a shorter remainder is not a word of its own (KAKOTA)


def split_glued_words(text: str) -> str:
    """``text`` with a word that is no word of a regency's or district's name, but two such
    words with the space between them lost (``BANDAACEH``), split in two: where exactly one
    split gives two such words, each ``MIN_GLUED_LETTERS`` long at least. A doubled word is
    a place's name written whole as often as apart (``PAREPARE``, ``BAUBAU``: Kemendagri's
    table writes ``PARE PARE``, the tax office and the city print ``PAREPARE``) and is kept."""
    known = _place_words()
    out: list[str] = []
    for word in text.split():
        splits = [
            (word[:at], word[at:])
            for at in range(MIN_GLUED_LETTERS, len(word) - MIN_GLUED_LETTERS + 1)
            if word[:at] in known and word[at:] in known and word[:at] != word[at:]
        ]
        out.extend(splits[0] if word not in known and len(splits) == 1 else [word])
    return " ".join(out)


def unglue_regency(address: str) -> str:
    """An address ending in a regency or city whose ``KOTA`` / ``KABUPATEN`` was glued to the
    word before it (``SUMBERSARIKOTA PONTIANAK``), or a city's ``KOTA`` glued to its name
    (``KOTAMEDAN``), gets the space back; the place's own spelling is not touched, and an
    address that does not end in an official name is left as read."""
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
    # or glued to the city's name after it (``KOTAMEDAN``), spaced as a header is
    # (``unglue_prefix``), the city's name followed by nothing, or by its province or postcode
    # (``KOTAYOGYAKARTA 55224``); a word that is a district's or village's own name
    # (``KOTABARU``, ``KOTAGEDE``) is left whole
    for index, word in enumerate(words):
        if word.startswith(CITY_PREFIX.strip()) and word not in _local_words():
            for end in range(len(words), index, -1):
                tail = " ".join(words[index:end])
                spaced = unglue_prefix(tail)
                if spaced != tail:
                    return " ".join([*words[:index], spaced, *words[end:]])
    return address


def unglue_prefix(header: str) -> str:
    """A regency header whose ``KOTA`` / ``KABUPATEN`` was glued to the name after it
    (``KOTAMANADO``) gets the space back when the result is an official name and the read is not
    one; the place's own spelling is not touched. A header read as one word, every space of it
    lost (``KOTATANGERANGSELATAN``), is the one official name spelled with those letters: no card
    prints its header as one word, so the spaces are the engine's loss, not the card's spelling
    (a header read with some spaces keeps them: ``KOTA PANGKALPINANG``)."""
    words = header.split()
    if not words or header in names("regency"):
        return header
    if len(words) == 1:
        spelled = _official_spacing(header, "regency")
        if spelled:
            return spelled
    for prefix in (p.strip() for p in REGENCY_PREFIXES):
        rest = words[0][len(prefix) :]
        if words[0].startswith(prefix) and len(rest) >= MIN_GLUED_LETTERS and rest.isalpha():
            unglued = " ".join([prefix, rest, *words[1:]])
            if unglued in names("regency"):
                return unglued
    return header


@cache
def _by_letters(kind: str) -> dict[str, frozenset[str]]:
    spaced: dict[str, set[str]] = {}
    for name in names(kind):
        spaced.setdefault(compact(name), set()).add(name)
    return {letters: frozenset(found) for letters, found in spaced.items()}


def _official_spacing(word: str, kind: str) -> str:
    """The one official name of ``kind`` spelled with ``word``'s letters, or ``""``."""
    found = _by_letters(kind).get(compact(word), frozenset())
    return next(iter(found)) if len(found) == 1 else ""


def unglue_city(city: str) -> str:
    """A Jakarta city printed without ``KOTA`` and read as one word (``JAKARTASELATAN``), spaced
    as Kemendagri writes it (``JAKARTA SELATAN``); any other read as it is."""
    if " " in city.strip() or not city.strip():
        return city
    spelled = _official_spacing(CITY_PREFIX + city.strip(), "regency")
    return spelled.removeprefix(CITY_PREFIX) if spelled else city


# In an NPWP's address the district and village follow their markers (``KEL. GRAHA INDAH KEC.
# BALIKPAPAN UTARA KOTA BALIKPAPAN``); each runs to the next marker, RT/RW or regency word.
ADDRESS_MARKERS = {
    "KEC": "district",
    "KECAMATAN": "district",
    "KEL": "village",
    "KELURAHAN": "village",
    "DESA": "village",
    "DS": "village",
}
ADDRESS_REGENCY_WORDS = {"KAB": "KABUPATEN", "KABUPATEN": "KABUPATEN", "KOTA": "KOTA"}
ADDRESS_STOPS = frozenset(ADDRESS_REGENCY_WORDS) | {"RT", "RW", "RT/RW", "PROVINSI"}


def _stops(word: str) -> bool:
    bare = word.rstrip(".").upper()
    return bare in ADDRESS_MARKERS or bare in ADDRESS_STOPS or any(c.isdigit() for c in word)


def address_regencies(address: str) -> frozenset[str]:
    """The codes of every regency or city an address names after ``KAB.``, ``KABUPATEN`` or
    ``KOTA`` (``KAB. BANYUMAS`` -> 3302)."""
    words = address.split()
    found: set[str] = set()
    for index, word in enumerate(words):
        prefix = ADDRESS_REGENCY_WORDS.get(word.rstrip("."))
        if prefix is None:
            continue
        for end in range(index + 2, min(index + 6, len(words) + 1)):
            found |= regency_codes(" ".join([prefix, *words[index + 1 : end]]))
    return frozenset(found)


def mend_address(address: str, regencies: frozenset[str]) -> str:
    """``address`` with each district and village it names after a marker mended as
    ``mend_local`` mends a KTP's (``KEC. SOKARAIA`` -> ``KEC. SOKARAJA``), and those it names
    without markers after its RT/RW (``RT 002 RW 006 TIMBULHARIO, SEWON KABUPATEN BANTUL``)."""
    words = address.split()
    out = list(words)
    index = 0
    while index < len(words):
        kind = ADDRESS_MARKERS.get(words[index].rstrip(".").upper())
        index += 1
        if kind is None:
            continue
        end = index
        while end < len(words) and not _stops(words[end]):
            end += 1
            if words[end - 1].endswith(","):
                break
        if end > index:
            mended = mend_local(" ".join(words[index:end]), kind, regencies).split()
            if len(mended) == end - index:
                out[index:end] = mended
        index = end
    return " ".join(_mend_unmarked(out, regencies))


# The most words one district or village name spans (``PONTIANAK SELATAN``, ``TANJUNG PINANG
# BARAT``).
MAX_NAME_WORDS = 3


_RT_WORD = re.compile(r"RT\b|RT[./]|RT\d")  # ``RT``, ``RT.005/RW.004``, ``RT002``


def _after_rt_rw(words: list[str]) -> int | None:
    """Where the words after an address's RT/RW and their numbers start (``RT 002 RW 006``,
    ``RT.005/RW.004``, ``RT 011/002``); None for an address without one."""
    start = next((i for i, w in enumerate(words) if _RT_WORD.match(w.upper())), None)
    if start is None:
        return None
    index = start + 1
    while index < len(words) and (
        any(c.isdigit() for c in words[index]) or words[index].rstrip(".").upper() == "RW"
    ):
        index += 1
    return index


def _mend_unmarked(words: list[str], regencies: frozenset[str]) -> list[str]:
    """``words`` with the village and district an address names without markers after its
    RT/RW mended: each run of up to ``MAX_NAME_WORDS`` words, a comma only after its last,
    that is a look-alike letter off one village or district name of ``regencies`` and off
    nothing else. The street before the RT/RW is left alone: streets are named after places
    and people alike."""
    start = _after_rt_rw(words)
    if start is None:
        return words
    out = list(words)
    index = start
    while index < len(words):
        step = 1
        for size in range(MAX_NAME_WORDS, 0, -1):
            mended = _mended_run(words, index, size, regencies)
            if mended is not None:
                out[index : index + size], step = mended, size
                break
        index += step
    return out


def _mended_run(
    words: list[str], index: int, size: int, regencies: frozenset[str]
) -> list[str] | None:
    """The ``size`` words from ``index`` mended as one village or district name of
    ``regencies`` (a trailing comma kept), or None when they are no place name's run or no
    look-alike letter off exactly one such name."""
    run = words[index : index + size]
    if not _place_run(run, size):
        return None
    read = " ".join(run).rstrip(",")
    mended = {mend_local(read, kind, regencies) for kind in ("village", "district")} - {read}
    if len(mended) != 1:
        return None
    spelled = mended.pop().split()
    if len(spelled) != size:
        return None
    return [*spelled[:-1], spelled[-1] + run[-1][len(run[-1].rstrip(",")) :]]


def _place_run(run: list[str], size: int) -> bool:
    return (
        len(run) == size
        and not any(_stops(w) or "." in w or w.rstrip(",").upper() in ADDRESS_MARKERS for w in run)
        and not any(w.endswith(",") for w in run[:-1])
    )
