"""One set of fields from several independent reads of a card, with how far they agree.

An ``OcrResult`` carries two whole-card reads of the same card (the primary engine's lines and
the second engine's), and every number word of the primary read carries re-reads of its own box
(PP-OCR at another scale; Tesseract with a digit whitelist), every word of a line of letters the
second read differs on Tesseract's read of that line alone (``ocr_gpu.linereads``). Each
whole-card read is parsed on its own; a re-read counts only for the number, or the holder's
name, birth date or sex, it re-read. Then

* an identity number (NIK, NPWP, the NIK line of an NPWP) is chosen among the values the reads
  gave - never built from pieces or guessed - by validity first (NIK structure, birth date and
  sex against the printed ones; NPWP check digit, NPWP16 equal to the NIK line), then by how
  many engines and reads gave it, then the primary read;
* every other field keeps the primary read's value (the second read's when the primary has none;
  an address's roman numeral of ``I`` strokes as the second engine counted it, the reads alike
  otherwise), spaced and dotted as the read that kept the most of them (a place name as the
  read that spelled it as an official name; on a KTP the place of issue and birth place, when
  they name the header's regency or city, spaced as the header).

A value is ``confirmed`` when reads of two different engines gave exactly it (a 16-digit NPWP
also when it is exactly the NIK line both engines read: the same number printed twice; an NPWP
or a KTP's NIK also when the other engine read it one digit off where the card checks that digit
otherwise: the NPWP's check digit, the KTP's header and birth date; a KTP's birth date also when
the other engine read it one digit off and the NIK both engines read encodes it),
``disagree`` when another engine read something else, ``single`` when no other engine read the
field. Only confirmed identity fields may be approved without a person
(``verification.checks``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise

from rapidfuzz.distance import Levenshtein

from ocr_gpu import letters, linereads, namegaps, namereread, spacing
from ocr_gpu.result import PPOCR, PPOCR_V4, TESSERACT, Alternative, Line, OcrResult
from verification import nik as nik_rules
from verification import npwp as npwp_rules
from verification.fields import Field
from verification.places import (
    JOINED,
    REGENCY_CODE,
    address_regencies,
    is_official,
    local_names,
    mend_address,
    mend_local,
    numbered_local,
    regency_codes,
)
from verification.textfix import compact, digits_only, parse_date, parse_iso, without_degree_dots

CONFIRMED, SINGLE, DISAGREE, UNSURE = "confirmed", "single", "disagree", "unsure"
LETTERS_LOST = "letters_lost"  # a name read alike on a card whose print the engines lose I's of
U_OR_V = "u_or_v"  # a name read alike whose U stands where a V reads as well (``NOUIA``)
WORDS_JOINED = "words_joined"  # a name read alike with a word longer than names' words run
OUTREAD = "outread"  # a name read alike whose box PP-OCRv4 reads with other letters, surer
SPACE_SEEN = "space_seen"  # a name read alike with a space seen inside one of its words
REGION_OFF = "region_off"  # a NIK read alike whose regency is a look-alike digit off the header's
# How a source is marked when a card's other print, not a read of the value, confirmed it: a NIK
# by the printed header and birth date, a birth date by the NIK both engines read.
PRINTED, NIK_BORNE = "+printed", "nik"
# The fields that identify the holder: each must be confirmed for an automatic approval.
IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "ktp": ("nik", "nama", "tanggal_lahir", "jenis_kelamin"),
    "npwp": ("npwp", "nama", "nik"),
}
NUMBER_FIELDS: dict[str, tuple[str, ...]] = {"ktp": ("nik",), "npwp": ("nik", "npwp")}
NUMBER_LENGTHS = {"nik": (nik_rules.NIK_LENGTH,), "npwp": (15, 16)}
# The holder's name must be read alike to the space: PP-OCR may drop a space between two names
# (``WULANDARIPUTRI``) where Tesseract splits a squeezed one (``PU TRI``), and which is right
# cannot be told from the reads. Other text fields agree when only spaces and dots differ.
EXACT_FIELDS = frozenset({"nama"})
# Quotes Tesseract reads at a word's edge from a speck at the crop's edge (``'SUTRISNO``): no
# holder's name, date or sex begins or ends with one.
STRAY_MARKS = "'\"`\u2018\u2019\u201c\u201d"
# Identity values Tesseract's re-read of their line alone may confirm (``ocr_gpu.linereads``).
LINE_FIELDS = frozenset({"nama", "tanggal_lahir", "jenis_kelamin"})
DATE_FIELDS = frozenset({"tanggal_lahir"})
# Of reads of a place name that differ only in spaces, the one spelled as an official name wins
# (``verification.places``): the read with more spaces may have split a word.
PLACE_FIELDS: dict[str, tuple[str, ...]] = {
    "kabupaten_kota": ("regency", "place"),
    "tempat_lahir": ("place",),
    "tempat_diterbitkan": ("place",),
}


# A KTP prints its regency or city twice: in the header and, small under the photo, as the place
# of issue (a birth place is often the same). The small print's narrow spaces are the ones both
# engines glue (``BANDAACEH``).
HEADER_PLACE_FIELDS = ("tempat_diterbitkan", "tempat_lahir")
REGENCY_PREFIXES = ("KABUPATEN ", "KAB. ", "KOTA ")


def _space_as_header(merged: dict[str, Field]) -> None:
    """A place read with the same letters as the header's regency or city, confirmed by both
    engines, but spaced otherwise takes the header's spacing: the same name printed twice on
    one card, the larger print read alike by both engines."""
    header = merged.get("kabupaten_kota")
    if header is None or not header.value or header.agreement != CONFIRMED:
        return
    name = header.value
    for prefix in REGENCY_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    for field_name in HEADER_PLACE_FIELDS:
        place = merged.get(field_name)
        if place is not None and place.value and place.value != name and _same(place.value, name):
            merged[field_name] = replace(place, value=name)


# A place of issue at most this share of its letters off the header's official name (three of
# ``OGANKOMERINGILIR``'s 16, read ``OGAN KOMERING JUR``), and itself no official name, is the
# header's name misread in small print. Shorter names are left to ``places.snap`` (one letter).
ISSUE_PLACE_EDITS = 0.2
MIN_ISSUE_PLACE_LETTERS = 8


def _issue_place_as_header(merged: dict[str, Field]) -> None:
    """The place of issue is the regency or city that issued the card, printed large in the
    header: a place of issue that is no official name but a letter or two off the header's
    official name is that name, read badly in small print under the photo."""
    header, place = merged.get("kabupaten_kota"), merged.get("tempat_diterbitkan")
    if header is None or place is None or not header.value or not place.value:
        return
    if not is_official(header.value, ("regency",)) or is_official(place.value, ("place",)):
        return
    name = next(
        (header.value[len(p) :] for p in REGENCY_PREFIXES if header.value.startswith(p)),
        header.value,
    )
    letters_of_name, letters_read = _bare(name), _bare(place.value)
    if (
        len(letters_of_name) >= MIN_ISSUE_PLACE_LETTERS
        and Levenshtein.normalized_distance(letters_read, letters_of_name) <= ISSUE_PLACE_EDITS
    ):
        merged["tempat_diterbitkan"] = replace(place, value=name)


# A KTP's kecamatan and kelurahan/desa are official names of its own regency: the header's, or,
# for a holder who moved, the one the NIK was issued in (its first four digits).
LOCAL_FIELDS = {"kecamatan": "district", "kel_desa": "village"}


def _mend_local_names(merged: dict[str, Field], parsed: Parsed) -> None:
    """A kecamatan or kelurahan/desa read one look-alike letter off the one name of its kind in
    the card's regency is that name (``verification.places.mend_local``): OCR's ``I`` for a
    ``J``, ``O`` for a ``G``; and one that opens with a number (``20 ILIR D. II``) keeps it
    (``verification.places.numbered_local``). Where the engines read the same letters spaced
    apart differently (``BATUAMPAR``, ``BATU AMPAR``), the read spelled as the regency's place
    is named is taken: a card prints a joined name now and then, and then both reads may keep
    it so. The field keeps its agreement: reads agree on what they read."""
    header = merged.get("kabupaten_kota")
    regencies = _nik_regency(merged)
    if header is not None and header.value:
        regencies |= regency_codes(header.value)
    if not regencies:
        return
    for name, kind in LOCAL_FIELDS.items():
        field = merged.get(name)
        if field is not None and field.value and field.agreement == DISAGREE:
            field = _spaced_as_official(name, field, kind, regencies, parsed)
            merged[name] = field
        if field is not None and field.value:
            numbered = numbered_local(field.value, field.raw, kind, regencies)
            mended = mend_local(numbered, kind, regencies)
            if mended != field.value:
                merged[name] = replace(field, value=mended)


def _spaced_as_official(
    name: str, field: Field, kind: str, regencies: frozenset[str], parsed: Parsed
) -> Field:
    """``field`` spelled as one of the regencies' places of ``kind`` is named where it reads
    that name's letters spaced otherwise and another engine's read opens with the name (the
    other read may run on into the next row's value: ``BATU AMPAR BALIKPAPAN UTARA``)."""
    local = local_names(kind, regencies)
    if field.value in local:
        return field
    letters = compact(field.value or "")
    spelled = [n for n in local if compact(n) == letters]
    for _, fields in parsed:
        other = fields.get(name)
        read = f"{other.value} " if other is not None and other.value else ""
        found = next((n for n in spelled if read.startswith(f"{n} ")), None)
        if found is not None:
            return replace(field, value=found)
    return field


# A face whose 3 reads as 5 (or 8 as 3, 6 as 5, ...) to every engine alike turns a NIK into another
# region's: on an outside set's hard photos both PP-OCR models read ``3605...`` for ``3603...``
# under a ``KABUPATEN TANGERANG`` header (3603), and PP-OCR and Tesseract ``5271...`` for
# ``3271...`` under ``KOTA BOGOR``, each approved. A NIK keeps the region where it was first
# issued, so a holder who moved carries another region's code than the header names (a warning
# only, ``nik_region_mismatch``); but a code one look-alike digit off the header's is far more
# often a misread than a move, so two agreeing reads of such a NIK do not approve it: a person
# reads it.
DIGIT_LOOKALIKE_PAIRS = frozenset(
    frozenset(pair) for pair in ("35", "38", "56", "58", "68", "08", "06", "09", "89", "17", "27")
)


def _region_lookalike_off(merged: dict[str, Field]) -> bool:
    """Whether the NIK's regency code is no code of the regency or city the header names, but
    one look-alike digit off one of them."""
    nik, header = merged.get("nik"), merged.get("kabupaten_kota")
    if nik is None or not nik.value or header is None or not header.value:
        return False
    region, codes = nik.value[:REGENCY_CODE], regency_codes(header.value)
    if region in codes:
        return False
    for code in codes:
        off = [frozenset((a, b)) for a, b in zip(region, code, strict=False) if a != b]
        if len(off) == 1 and off[0] in DIGIT_LOOKALIKE_PAIRS:
            return True
    return False


def _nik_regency(merged: dict[str, Field]) -> frozenset[str]:
    nik = merged.get("nik")
    if nik is None or not nik.value or nik_rules.problems(nik.value):
        return frozenset()
    return frozenset({nik.value[:REGENCY_CODE]})


def _mend_address_names(merged: dict[str, Field]) -> None:
    """An NPWP's address names the holder's district and village after ``KEC.`` and ``KEL.`` /
    ``DESA``, or without them after the RT/RW; each is mended as a KTP's is, within the regency
    the address names or the NIK line's."""
    address = merged.get("alamat")
    if address is None or not address.value:
        return
    regencies = _nik_regency(merged) | address_regencies(address.value)
    mended = mend_address(address.value, regencies)
    if mended != address.value:
        merged["alamat"] = replace(address, value=mended)


NIK_LINE = "nik-line"


def _npwp16_by_nik_line(merged: dict[str, Field]) -> None:
    """A 16-digit NPWP is the holder's NIK (``verification.npwp``), and the card prints it twice:
    as the number and on the NIK line. A number one engine read exactly as the NIK line both
    engines agree on is confirmed by them (the second engine lost the number line itself)."""
    number, nik = merged.get("npwp"), merged.get("nik")
    if number is None or nik is None or not number.value or number.agreement == CONFIRMED:
        return
    if (
        nik.agreement == CONFIRMED
        and npwp_rules.kind(number.value) == npwp_rules.NIK16
        and number.value == nik.value
    ):
        sources = (*number.sources, *(f"{NIK_LINE}:{s}" for s in nik.sources))
        merged["npwp"] = replace(number, agreement=CONFIRMED, sources=sources)


NPWP16 = "npwp16"


def _nik_line_by_npwp16(merged: dict[str, Field]) -> None:
    """The other way round: a NIK line one engine read exactly as the 16-digit NPWP both engines
    agree on is confirmed by them (the second engine misread the NIK line, printed smaller in a
    face whose zeros it takes for eights)."""
    number, nik = merged.get("npwp"), merged.get("nik")
    if number is None or nik is None or not nik.value or nik.agreement == CONFIRMED:
        return
    if (
        number.agreement == CONFIRMED
        and npwp_rules.kind(number.value or "") == npwp_rules.NIK16
        and number.value == nik.value
    ):
        sources = (*nik.sources, *(f"{NPWP16}:{s}" for s in number.sources))
        merged["nik"] = replace(nik, agreement=CONFIRMED, sources=sources)


# Some NPWPs print no NIK line: the older cards (a 15-digit number, the name, the address, the
# KPP), and cards whose 16-digit number is the NIK itself. That the card prints none, and not that
# the line went unread, is seen in every whole-card read: no word reads like the NIK label, no row
# but the number's own holds a run of ten digits or more, and the address starts right under the
# name, or with rows read between them (the number, the tax office, on a card that prints the
# name above the number), leaving no stretch unread as tall as this share of the name's height
# (no row fits there). On 270 NPWPs of
# the generated families, the 25 without a NIK line measured at most 0.55; 9 of those with one
# measured less, and on each the NIK line was read: the gap only guards a NIK line lost between
# name and address, the text decides.
NOT_PRINTED = "not_printed"
NO_ROW_BETWEEN = 0.75
_LONG_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d){9,}")


def _nik_line_not_printed(merged: dict[str, Field], parsed: Parsed) -> None:
    """``nik`` marked ``not_printed`` on an NPWP that shows no NIK line in any read (see
    above), whose valid number two engines confirmed: the card has no NIK line to verify. A
    16-digit NPWP is the holder's NIK itself, its structure checked as the number's."""
    number, name, address = (merged.get(n) for n in ("npwp", "nama", "alamat"))
    if "nik" in merged or number is None or name is None or address is None:
        return
    if number.agreement != CONFIRMED or not number.value or not npwp_rules.is_valid(number.value):
        return
    if name.box is None or address.box is None or len(parsed) < 2:
        return
    if _row_may_be_lost(parsed, name.box, address.box):
        return
    for read, _ in parsed:
        assert read.ocr is not None
        for line in read.ocr.lines:
            if any(_reads_as_nik_label(word.text) for word in line.words):
                return
            if number.box is not None and _on_row(line.box, number.box):
                continue  # the number's own row, however misread (``97.992.904.38-033.000``)
            for run in _LONG_DIGIT_RUN.findall(line.text):
                digits = digits_only(run)  # the number, or a part of it read apart
                if digits not in number.value and number.value not in digits:
                    return
    merged["nik"] = Field(value=None, raw="", confidence=0.0, agreement=NOT_PRINTED)


def _row_may_be_lost(
    parsed: Parsed, name: tuple[int, int, int, int], address: tuple[int, int, int, int]
) -> bool:
    """Whether a row between the name and the address may have gone unread: the room no read's
    row covers there fits a row, and the card's pixels (``ocr_gpu.unread``, where the pipeline
    looked) do not show that room blank. A row of print no read holds there is a lost row
    whatever the room. Under glare, blank room may be a row washed out: the room decides."""
    primary = parsed[0][0].ocr
    quality = primary.quality if primary is not None else {}
    unread = quality.get("unread_rows")
    top, bottom = name[1] + name[3], address[1]
    if isinstance(unread, list) and any(top <= (row[0] + row[1]) / 2 <= bottom for row in unread):
        return True
    widest = _widest_unread_gap(parsed, name, address)
    if widest < NO_ROW_BETWEEN * name[3]:
        return False
    if not isinstance(unread, list):
        return True
    if not quality.get("glare_detected"):
        return False
    # under glare the room decides: a lost row leaves a row's height and at least the card's
    # tightest spacing between rows; a design that spaces its rows wide leaves room short of that
    tightest = _tightest_spacing(primary.lines) if primary is not None else None
    return tightest is None or widest >= tightest + MIN_ROW_SHARE * name[3]


MIN_ROW_SHARE = 0.5  # of the name's height: a NIK line printed smaller than the name


def _tightest_spacing(lines: list[Line]) -> int | None:
    """The smallest blank between two rows of a read that lie one under the other."""
    rows = sorted((line.box[1], line.box[1] + line.box[3]) for line in lines)
    spacings = [below[0] - above[1] for above, below in pairwise(rows)]
    positive = [s for s in spacings if s > 0]
    return min(positive) if positive else None


def _widest_unread_gap(
    parsed: Parsed, name: tuple[int, int, int, int], address: tuple[int, int, int, int]
) -> float:
    """The tallest stretch between the name's foot and the address's top that no read's row
    covers: the room a NIK line lost there would leave. The rows between (the number and the
    tax office on a card that prints the name above the number) cover their stretch."""
    top, bottom = name[1] + name[3], address[1]
    rows = sorted(
        (line.box[1], line.box[1] + line.box[3])
        for read, _ in parsed
        if read.ocr is not None
        for line in read.ocr.lines
        if line.box[1] < bottom and line.box[1] + line.box[3] > top
    )
    widest, reached = 0.0, top
    for start, end in rows:
        widest = max(widest, start - reached)
        reached = max(reached, end)
    return max(widest, bottom - reached)


def _on_row(box: tuple[int, int, int, int], row: tuple[int, int, int, int]) -> bool:
    """Whether ``box``'s middle lies within the height of ``row`` (the reads share the card's
    coordinates)."""
    middle = box[1] + box[3] / 2
    return row[1] <= middle <= row[1] + row[3]


def _reads_as_nik_label(word: str) -> bool:
    """``NIK``, ``N1K:``, ``NIK:3471...``: a word opening with three letters a slip off NIK, and
    no letter after them (``CIKINI`` and ``NIKMAT`` are words of an address or a name)."""
    head, rest = word.upper()[:3], word[3:4]
    return (
        len(head) == 3
        and sum(a == b for a, b in zip(head, "NIK", strict=True)) >= 2
        and not rest.isalpha()
    )


@dataclass(frozen=True)
class Read:
    name: str  # "ppocr", "tesseract", or a re-read of the number's box: "tesseract:digits"...
    engine: str  # reads of one engine are not independent of each other
    ocr: OcrResult | None = None  # a whole-card read (None for a re-read of one box)


def reads_of(ocr: OcrResult) -> list[Read]:
    """The whole-card reads in ``ocr``: the primary first, then the second engine's."""
    reads = [Read(ocr.engine, ocr.engine, ocr)]
    if ocr.second_lines:
        second = OcrResult(lines=ocr.second_lines, card_size=ocr.card_size)
        engine = ocr.second_engine or "second"
        reads.append(Read(engine, engine, second))
    return reads


Parse = Callable[[OcrResult], dict[str, Field]]
Parsed = list[tuple[Read, dict[str, Field]]]


def merge(reads: list[Read], doc_type: str | None, parse: Parse) -> dict[str, Field]:
    """The fields of the card from all reads, each with its agreement (see module docstring)."""
    parsed: Parsed = [(read, parse(read.ocr)) for read in reads if read.ocr is not None]
    if not parsed:
        return {}
    # names are confirmed on what each engine read: a space taken out of Tesseract's read by
    # the card's pixels (``ocr_gpu.spacing``), or a letter PP-OCR took from Tesseract's read
    # (``ocr_gpu.letters``), decides how a value is written, never an agreement
    exact: Parsed = [
        (read, parse(replace(read.ocr, lines=_as_read(read.ocr.lines))))
        if read.ocr is not None and _changed(read.ocr)
        else (read, fields)
        for read, fields in parsed
    ]
    primary = parsed[0][1]
    numbers = NUMBER_FIELDS.get(doc_type or "", ())
    names = list(dict.fromkeys([*primary, *(n for _, fields in parsed[1:] for n in fields)]))
    merged: dict[str, Field] = {}
    for name in names:
        if name not in numbers:
            merged[name] = _merge_text(name, parsed, exact)
    for name in numbers:
        if any(name in fields for _, fields in parsed):
            merged[name] = _merge_number(name, doc_type or "", parsed, merged)
    if doc_type == "ktp":
        _birth_date_by_nik(merged, parsed)
        _space_as_header(merged)
        _issue_place_as_header(merged)
        _mend_local_names(merged, parsed)
        nik = merged.get("nik")
        if nik is not None and nik.agreement == CONFIRMED and _region_lookalike_off(merged):
            merged["nik"] = replace(nik, agreement=REGION_OFF)
    if doc_type == "npwp":
        _npwp16_by_nik_line(merged)
        _nik_line_by_npwp16(merged)
        _nik_line_not_printed(merged, parsed)
        _mend_address_names(merged)
    holder = merged.get("nama")
    if holder is not None and holder.agreement == CONFIRMED and _drops_thin_letters(parsed):
        merged["nama"] = replace(holder, agreement=LETTERS_LOST)
    elif holder is not None and holder.agreement == CONFIRMED and u_for_v(holder.value or ""):
        merged["nama"] = replace(holder, agreement=U_OR_V)
    elif holder is not None and holder.agreement == CONFIRMED and words_joined(holder.value or ""):
        merged["nama"] = replace(holder, agreement=WORDS_JOINED)
    elif holder is not None and holder.agreement == CONFIRMED and _space_seen(holder, parsed):
        merged["nama"] = replace(holder, agreement=SPACE_SEEN)
    elif holder is not None and holder.agreement == CONFIRMED and _outread(holder, parsed):
        merged["nama"] = replace(holder, agreement=OUTREAD)
    order = {name: index for index, name in enumerate(names)}
    return dict(sorted(merged.items(), key=lambda item: order.get(item[0], len(order))))


# Words every KTP or NPWP prints (labels, headers, listed values) that hold an ``I``: read
# without one of their I's (``PROVNSI``, ``KEMENTERAN``, ``REPUBLK``, ``KELAMN``), they show a
# print whose thin ``I`` an engine loses (a face that sets it touching its neighbours). Such an
# engine may lose a name's ``I`` as well, and both engines may lose the same one: on an outside
# set four names were approved so (``WAGMAN`` for ``WAGIMAN``, ``MURNATI``), every engine sure of
# it. No list can check a name, so where a read of the card loses a printed word's ``I``, two
# agreeing reads of the name do not approve it: a person reads it. On four outside sets this
# marked all four wrong names and 10 of 437 right ones (6 of them otherwise approved, all on the
# set whose face lost the I's).
PRINTED_WITH_I = (
    "PROVINSI", "KEMENTERIAN", "INDONESIA", "REPUBLIK", "DIREKTORAT", "PERKAWINAN", "KELAMIN",
    "LAHIR", "HINGGA", "HIDUP", "ISLAM", "KRISTEN", "KAWIN", "LAKI-LAKI", "WIRASWASTA",
    "PELAJAR/MAHASISWA", "PEGAWAI", "NEGERI", "SIPIL", "PENDUDUK",
)  # fmt: skip
MIN_DROPPED_LETTERS = 4  # shorter remnants (``NK``, ``WN``) are too likely another word


# A face that rounds the foot of its V (as it rounds a U's) prints ``NOVIA`` as every engine reads
# ``NOUIA``: on an outside set PP-OCRv6, PP-OCRv4 and Tesseract all read it so, each sure of it,
# and the card was approved with the wrong name. Nothing on an NPWP prints another V to tell the
# face by, and no list can check a name; but Indonesian names spell a U between two vowels, or a
# word's first U before a vowel, rarely (``EUIS``, ``LOUIS``), where a V stands there often
# (``DAVID``, ``NOVITA``, ``KEVIN``, ``STEVEN``, ``VERONIKA``). So two agreeing reads of such a name
# do not approve it: a person reads it. On ten outside sets (1,178 names) it marked the one
# wrong name and the six ``EUIS`` names that would otherwise have been approved.
_U_FOR_V = re.compile(r"(?<=[AEIOU])U(?=[AEIOU])|\bU(?=[AEIOU])")


def u_for_v(name: str) -> bool:
    """Whether ``name`` holds a U where the language more often prints a V."""
    return _U_FOR_V.search(name.upper()) is not None


# A blurred photo closes the gaps between a name's words, and both engines may read them as one
# (``NI WAYANAYULESTARI``, approved so once the card was deskewed on its print: both engines
# read its lines better). Indonesian names' words run to 14 letters (``KUSUMAWARDHANI``,
# ``PATTINGALLOANG``; none longer in the 4,700 words of fifteen outside sets' names), so two
# agreeing reads of a name with a longer word do not approve it: a person reads it.
MAX_NAME_WORD = 14


def words_joined(name: str) -> bool:
    """Whether ``name`` holds a word longer than a name's words run: words read as one."""
    return any(len(word) > MAX_NAME_WORD for word in name.split())


def _outread(holder: Field, parsed: Parsed) -> bool:
    """Whether PP-OCRv4's read of the name's box (``ocr_gpu.namereread``) gives other letters
    than the name both engines read, and is surer of them than PP-OCR was of its read: the two
    engines may misread a blurred letter alike (``DEST ROSA`` for ``DESI ROSA``), a third model
    of its own reads it. Its spaces do not count (it drops and adds them freely), nor does a
    read less sure than PP-OCR's (it garbles long names it is unsure of)."""
    read = _name_read(holder, parsed[0][0].ocr)
    if read is None or read.confidence < holder.confidence:
        return False
    # a name holds no digit: one in its read is a letter's look-alike (``1 KOMANG`` for ``I``)
    third = _letters(read.text.translate(DIGIT_LETTERS))
    name = _letters(holder.value or "")
    if third.startswith(NAME_LABEL) and not name.startswith(NAME_LABEL):
        third = third[len(NAME_LABEL) :]  # the label glued on the name's first word, read with it
    return _folded(third) != _folded(name)


# A narrow face sets its word spaces barely wider than the gaps between its letters, and on a
# photo both engines may read two names as one (``DUMARIASINAGA``, approved so on an outside set,
# both engines sure of it) where PP-OCRv4's read of the name's box (``ocr_gpu.namereread``) kept
# the space (``DUMARIA SINAGA``). A third model's space does not write the name (it also spaces
# a word apart now and then: ``WIRA WAN``), but two reads of a name with fewer spaces than it
# read do not approve it: a person reads it. Each piece must hold a name's word's letters, at
# least MIN_SPLIT_PIECE of them. On 23 outside sets (2,760 cards) it marked the one such wrong
# name and two right ones.
MIN_SPLIT_PIECE = 3


def _space_seen(holder: Field, parsed: Parsed) -> bool:
    """Whether a space inside a word of the name both engines read alike was seen: by
    PP-OCRv4's read of its box, or on the card's print (``ocr_gpu.namegaps``)."""
    ocr = parsed[0][0].ocr
    if ocr is not None and holder.box is not None:
        box = holder.box
        if any(
            a.method == namegaps.METHOD
            for line in ocr.lines
            for w in line.words
            if _inside(w.box, box)
            for a in w.alternatives
        ):
            return True
    return _spaced_by_third(holder, parsed)


def _spaced_by_third(holder: Field, parsed: Parsed) -> bool:
    """Whether PP-OCRv4's read of the name's box spells the name both engines read with the
    same letters and a space inside one of its words, between pieces of ``MIN_SPLIT_PIECE``
    letters or more."""
    read = _name_read(holder, parsed[0][0].ocr)
    if read is None:
        return False
    third = [w for w in (_letters(w.translate(DIGIT_LETTERS)) for w in read.text.split()) if w]
    words = [w for w in (_letters(w) for w in (holder.value or "").split()) if w]
    if "".join(third) != "".join(words):
        return False
    ends = set(accumulate(len(w) for w in words))
    cuts = [cut for cut in accumulate(len(w) for w in third) if cut not in ends]
    start = 0
    for word in words:
        stop = start + len(word)
        if any(start + MIN_SPLIT_PIECE <= cut <= stop - MIN_SPLIT_PIECE for cut in cuts):
            return True
        start = stop
    return False


DIGIT_LETTERS = str.maketrans("10582", "IOSBZ")
NAME_LABEL = namereread.NAME_LABEL


def _folded(letters: str) -> str:
    """``letters`` with ``IJ`` and ``LI`` as the one ``U`` a recogniser may read them as
    (``KHADUAH`` for ``KHADIJAH``: ``verification.places`` mends the same in place names)."""
    for pair, one in JOINED:
        letters = letters.replace(pair, one)
    return letters


def _name_read(holder: Field, ocr: OcrResult | None) -> Alternative | None:
    """PP-OCRv4's read of the name's box, where it read exactly the words the name came from."""
    if ocr is None or holder.box is None:
        return None
    box = holder.box
    words = [w for line in ocr.lines for w in line.words if _inside(w.box, box)]
    found = [
        next((a for a in w.alternatives if a.method == namereread.METHOD), None) for w in words
    ]
    read = found[0] if found else None
    if read is None or any(a != read for a in found):
        return None
    carrying = sum(read in w.alternatives for line in ocr.lines for w in line.words)
    return read if carrying == len(words) else None


def _letters(text: str) -> str:
    return "".join(c for c in text.upper() if "A" <= c <= "Z")


def _without_an_i(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        dropped
        for word in words
        for at, letter in enumerate(word)
        if letter == "I"
        and len(dropped := word[:at] + word[at + 1 :]) >= MIN_DROPPED_LETTERS
        and dropped not in words
    )


THIN_LETTER_LOST = _without_an_i(PRINTED_WITH_I)


def _drops_thin_letters(parsed: Parsed) -> bool:
    """Whether a whole-card read holds a printed card word with one of its I's lost."""
    return any(
        word.text.strip(":.,").upper() in THIN_LETTER_LOST
        for read, _ in parsed
        if read.ocr is not None
        for line in read.ocr.lines
        for word in line.words
    )


def _birth_date_by_nik(merged: dict[str, Field], parsed: Parsed) -> None:
    """A KTP's birth date that the other engine read one digit off is confirmed when the NIK,
    read alike by both engines, encodes it (digits seven to twelve: the day, the month and the
    year's last two digits): the NIK vouches for every digit of the date the other engine
    missed, as the printed date vouches for a NIK's (``_confirmed_by_printed_facts``). A NIK
    confirmed only through this very date, another engine's date two digits off or of another
    length, or a date the NIK does not encode stay a disagreement."""
    birth, nik = merged.get("tanggal_lahir"), merged.get("nik")
    if birth is None or nik is None or birth.agreement != DISAGREE or nik.agreement != CONFIRMED:
        return
    if any(source.endswith(PRINTED) for source in nik.sources):
        return  # the NIK was confirmed by the printed birth date: it cannot confirm it back
    parts, born = nik_rules.split(nik.value or ""), parse_iso(birth.value or "")
    if parts is None or born is None or not parts.born_on(born):
        return
    value = birth.value or ""
    primary_read = parsed[0][0]
    reads: list[tuple[Read, Field | None]] = [(r, f.get("tanggal_lahir")) for r, f in parsed]
    if primary_read.ocr is not None and primary_read.name in birth.sources:
        reads += _line_reread(birth, primary_read.ocr, "tanggal_lahir")  # the date's row alone
    others = [
        other.value
        for read, other in reads
        if read.name not in birth.sources
        and other is not None
        and other.value
        and other.value != value
    ]
    if others and all(
        len(other) == len(value) and len(_digits_off(other, value)) == 1 for other in others
    ):
        merged["tanggal_lahir"] = replace(
            birth, agreement=CONFIRMED, sources=(*birth.sources, NIK_BORNE)
        )


def _changed(ocr: OcrResult) -> bool:
    """Words of ``ocr`` hold another read's spacing or letters."""
    return letters.mended(ocr.lines) or any(
        a.method == spacing.SPLIT for line in ocr.lines for w in line.words for a in w.alternatives
    )


def _as_read(lines: list[Line]) -> list[Line]:
    return letters.as_read(spacing.as_read(lines))


def _merge_text(name: str, parsed: Parsed, exact: Parsed | None = None) -> Field:
    primary_read, primary = parsed[0]
    chosen_read, chosen = primary_read, primary.get(name)
    if chosen is None or not chosen.value:
        for read, fields in parsed[1:]:
            candidate = fields.get(name)
            if candidate is not None and candidate.value:
                chosen_read, chosen = read, candidate
                break
    if chosen is None:
        return Field(value=None, raw="", confidence=0.0)
    if name == "golongan_darah" and chosen.value:
        chosen_read, chosen = _fullest_blood_group(chosen_read, chosen, parsed)
    if not chosen.value:
        return chosen
    reread: list[tuple[Read, Field | None]] = (
        list(_line_reread(chosen, primary_read.ocr, name))
        if name in LINE_FIELDS
        and chosen_read is primary_read
        and primary_read.ocr is not None
        and not _found_elsewhere(name, chosen, parsed)
        else []
    )
    # a re-read of one row counts for agreement only: the value is spelled, spaced and dotted
    # as a read of the whole card gives it
    values = [(r, f.get(name)) for r, f in parsed]
    if name in EXACT_FIELDS:
        as_read = [(r, f.get(name)) for r, f in (exact or parsed)]
        dotted = max(
            (
                f.value
                for _, f in as_read
                if f is not None and f.value and _same_name(f.value, chosen.value)
            ),
            key=lambda value: value.count("."),
            default=chosen.value,
        )
        judged = _judged(replace(chosen, value=dotted), chosen_read, as_read + reread, exact=True)
        if judged.agreement == DISAGREE and chosen_read is primary_read:
            spaced = _spaced_by_others(judged, as_read[1:] + reread, primary_read.ocr)
            if spaced is not None:
                # the value only: the primary engine read it otherwise, a person decides
                return replace(judged, value=spaced)
        return judged
    if name in NUMERAL_FIELDS and chosen_read is primary_read:
        chosen = _strokes_as_read(name, _numerals_as_counted(name, chosen, parsed), parsed)
    current = chosen.value or ""
    spellings = [
        f.value for _, f in values if f is not None and f.value and _same(f.value, current)
    ]
    kinds = PLACE_FIELDS.get(name, ())
    official = [s for s in spellings if is_official(s, kinds)]
    spaced = official[0] if official else max(spellings, key=_marks)
    return _judged(replace(chosen, value=spaced), chosen_read, values + reread)


# PP-OCR drops a narrow space between two words of a name now and then (``HENDRAGUSTIAN``)
# where Tesseract keeps it; PP-OCRv4's read of the name's box drops it as often as PP-OCR does.
# A name whose reads disagree so (the other reads the same characters with a space inside one
# of the primary read's words) is written as they spaced it, unless a read of Tesseract's gave
# the primary read's words (Tesseract splits a word at a wide letter gap now and then:
# ``RUQAY YAH``, its own re-read of the row joined). Where no read kept a space, a space the
# card's print shows inside a word (``ocr_gpu.namegaps``) writes it so. Its agreement stays as
# it was: a person reads it; the value is what the person sees and what is stored.
NAME_EDGE = " :;|"


def _spaced_by_others(
    field: Field, others: list[tuple[Read, Field | None]], ocr: OcrResult | None
) -> str | None:
    words = (field.value or "").split()
    reads = [(read.engine, other.value) for read, other in others if other and other.value]
    third = _name_read(field, ocr)
    if third is not None:
        reads.append((third.engine, third.text.upper()))
    spaced = set()
    for engine, value in reads:
        text = value.strip(NAME_EDGE).split()
        if _splits(words, text):
            spaced.add(" ".join(text))
        elif engine == TESSERACT and text == words:
            return None
    if not spaced:
        # no read kept a space: the card's print may show one
        printed = _printed_spaces(field, ocr)
        return printed if printed is not None and _splits(words, printed.split()) else None
    return spaced.pop() if len(spaced) == 1 else None


def _printed_spaces(field: Field, ocr: OcrResult | None) -> str | None:
    """The name with the spaces the card's print shows inside its words (``ocr_gpu.namegaps``:
    a gap as wide as the card's word spaces that every read closed), where any word has one."""
    if ocr is None or field.box is None:
        return None
    box = field.box
    gaps = {
        w.text: a.text
        for line in ocr.lines
        for w in line.words
        if _inside(w.box, box)
        for a in w.alternatives
        if a.method == namegaps.METHOD
    }
    if not gaps:
        return None
    return " ".join(gaps.get(word, word) for word in (field.value or "").split())


def _splits(words: list[str], spaced: list[str]) -> bool:
    """Whether ``spaced`` is ``words`` with the same characters and one or more of its words
    cut in two (each piece a letter or more), no word joined."""
    if len(spaced) <= len(words) or "".join(spaced) != "".join(words):
        return False
    ends = set(accumulate(len(w) for w in words))
    cuts = set(accumulate(len(w) for w in spaced))
    return ends <= cuts


# Text fields whose values carry roman numerals (``GG. MANGGA III``, ``TEGALSARI II``).
NUMERAL_FIELDS = frozenset({"alamat", "kel_desa", "kecamatan"})
ROMAN_STROKES = frozenset({"I", "II", "III"})


def _numerals_as_counted(name: str, chosen: Field, parsed: Parsed) -> Field:
    """``chosen`` (the primary read's value) with the roman numerals of ``I`` strokes as the
    second engine read them, where the two reads agree on every other word: PP-OCR merges a run
    of thin alike strokes (``II`` read ``I``, ``III`` read ``II``) or drops a short one whole,
    where Tesseract, which cuts the glyphs apart, counts them (three of three such disputes on an
    outside set). A run of more strokes than a numeral of them has (``IIIII``: no address
    writes four) is such a miscount too. Any other difference leaves the primary read's value."""
    value = chosen.value or ""
    for _read, fields in parsed[1:]:
        other = fields.get(name)
        if other is None or not other.value or other.value == value:
            continue
        mine, theirs = value.split(), other.value.split()
        kept = [w for w in mine if w not in ROMAN_STROKES and set(w) != {"I"}]
        if kept != [w for w in theirs if w not in ROMAN_STROKES]:
            continue
        if not any(w in ROMAN_STROKES for w in theirs):
            continue  # only the primary read has a numeral: a speck read as I stays its call
        return replace(chosen, value=other.value)
    return chosen


def _strokes_as_read(name: str, chosen: Field, parsed: Parsed) -> Field:
    """``chosen`` (the primary read's value) with a word as the second engine read it where the
    two differ only in ``LI`` or ``IJ`` that PP-OCR read as one ``U`` (``PANGUMA`` for
    ``PANGLIMA``, ``DAHUA`` for ``DAHLIA``: two thin strokes run into one letter; Tesseract, which
    cuts glyphs apart, keeps them), every other word alike. Never the other way: a ``U``
    the second read split in two stays the primary read's."""
    mine = (chosen.value or "").split()
    for _read, fields in parsed[1:]:
        other = fields.get(name)
        if other is None or not other.value:
            continue
        theirs = other.value.split()
        if len(theirs) != len(mine) or theirs == mine:
            continue
        if all(a == b or _folded(b) == a for a, b in zip(mine, theirs, strict=True)):
            return replace(chosen, value=other.value)
    return chosen


def _fullest_blood_group(read: Read, field: Field, parsed: Parsed) -> tuple[Read, Field]:
    """The blood group as the read that saw all of it. The parser gives ``-`` (printed when the
    group is unknown) for an empty value, since the printed dash is too thin for OCR; and a
    rhesus sign read as a dot (``B.``) is dropped. Another engine that read a group where the
    value was empty, or the sign where one engine saw a mark, read more of the card."""
    value, raw = field.value or "", field.raw.strip()
    for other_read, fields in parsed:
        other = fields.get("golongan_darah")
        if other is None or not other.value or other_read.engine == read.engine:
            continue
        empty = value == "-" and not raw and other.value != "-"
        signed = other.value in (value + "+", value + "-") and raw.endswith((".", ","))
        if empty or signed:
            return other_read, other
    return read, field


THIN_MARKS = " ."


def _bare(text: str) -> str:
    return "".join(c for c in text if c not in THIN_MARKS)


# A space between two digits (``NO. 24 1`` for ``NO. 241``) is an engine splitting a number at a
# narrow ``1``: no printed value spaces digits so, and the read without it is the value. Nor is
# a value's last letter split off a long word (``BUKIT TEMPAYA N``, Tesseract's at a row's end):
# a printed value ends in a lone letter after a short word only (``BLOK A``).
_DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")
_LONE_LAST_LETTER = re.compile(r"(?<=[A-Z]{6}) [A-Z]$")


def _marks(text: str) -> int:
    spurious = len(_DIGIT_SPACE.findall(text)) + len(_LONE_LAST_LETTER.findall(text))
    return sum(text.count(c) for c in THIN_MARKS) - 2 * spurious


def _same_name(left: str, right: str) -> bool:
    """The same name as read: a degree's final dot (``S.PD.``), the smallest mark at the row's
    end, is lost by one engine now and then and is kept from the read that saw it."""
    return without_degree_dots(left) == without_degree_dots(right)


def _same(left: str, right: str) -> bool:
    """The same characters: reads may differ in spaces and dots only (PP-OCR drops a narrow
    space or a small dot now and then: ``JL SUDIRMAN`` for ``JL. SUDIRMAN``), and the read that
    kept them is the value."""
    return _bare(left) == _bare(right)


def _judged(
    field: Field, chosen_read: Read, values: list[tuple[Read, Field | None]], *, exact: bool = False
) -> Field:
    """``field`` with its agreement over ``values`` (each read's field of the same name);
    ``exact``: spaces count too (a degree's final dot does not)."""
    value = field.value or ""

    def agrees(other: str) -> bool:
        return _same_name(other, value) if exact else _same(other, value)

    agreeing = [r for r, f in values if f is not None and f.value and agrees(f.value)]
    other_engines = {
        r.engine for r, f in values if r.engine != chosen_read.engine and f is not None and f.value
    }
    engines = {r.engine for r in agreeing}
    if len(engines) >= 2:
        agreement = CONFIRMED
    elif other_engines:
        agreement = DISAGREE
    else:
        agreement = SINGLE
    return replace(field, agreement=agreement, sources=tuple(r.name for r in agreeing))


def _inside(box: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]


def _rereads(name: str, field: Field | None, ocr: OcrResult) -> list[tuple[Read, Field]]:
    """The value as each re-read of its own box gives it: the words the primary read's value
    came from, each replaced by its re-read of one method. A value counts only when every one
    of its digit-bearing words was re-read that way (never a mix of re-read and primary)."""
    if field is None or not field.value or field.box is None:
        return []
    words = [
        w
        for line in ocr.lines
        for w in line.words
        if any(c.isdigit() for c in w.text) and _inside(w.box, field.box)
    ]
    if not words:
        return []
    out = []
    methods = sorted({a.method for w in words for a in w.alternatives})
    for method in methods:
        found = [next((a for a in w.alternatives if a.method == method), None) for w in words]
        if any(a is None for a in found):
            continue
        texts = [a.text for a in found if a is not None]
        digits = digits_only(" ".join(texts))
        value = npwp_rules.normalise(digits) if name == "npwp" else digits
        engine = next(a.engine for a in found if a is not None)
        read = Read(f"{engine}:{method}", engine)
        out.append((read, replace(field, value=value, raw=" ".join(texts))))
    return out


def _cropped(field: Field | None, ocr: OcrResult) -> bool:
    """Whether the number ``field`` of the primary read was read from a crop of its print, the
    read of the whole card having passed over it (``Word.cropped``)."""
    if field is None or field.box is None:
        return False
    return any(
        w.cropped and any(c.isdigit() for c in w.text) and _inside(w.box, field.box)
        for line in ocr.lines
        for w in line.words
    )


NIK_ROW = "nik-row"


def _read_on_nik_row(field: Field | None, parsed: Parsed) -> list[tuple[Read, Field]]:
    """The NIK as another engine's whole-card read holds it where the primary read found it,
    when that read's parse found no NIK: its label read apart from the number (on a row of its
    own a few pixels lower, or as a speck), the row then taken for the NPWP number the read
    lost. The digits of its words inside the primary NIK's box are that engine's read of the
    same print."""
    if field is None or not field.value or field.box is None:
        return []
    primary_engine = parsed[0][0].engine
    out = []
    for read, fields in parsed[1:]:
        other = fields.get("nik")
        if read.engine == primary_engine or read.ocr is None or (other and other.value):
            continue
        words = [w for line in read.ocr.lines for w in line.words if _inside(w.box, field.box)]
        digits = digits_only(" ".join(w.text for w in words))
        if len(digits) == nik_rules.NIK_LENGTH:
            raw = " ".join(w.text for w in words)
            out.append(
                (Read(f"{read.name}:{NIK_ROW}", read.engine), replace(field, value=digits, raw=raw))
            )
    return out


def _nik_row_as_number(
    other: str, fields: dict[str, Field], primary: dict[str, Field], name: str
) -> bool:
    """Whether a read's NPWP number is the NIK's own row, which it took for the number it lost:
    no second print of the NIK to weigh a NIK read against."""
    number, nik = fields.get(other), primary.get(name)
    return (
        name == "nik"
        and other == "npwp"
        and number is not None
        and number.box is not None
        and nik is not None
        and nik.box is not None
        and _on_row(number.box, nik.box)
    )


def _found_elsewhere(name: str, field: Field, parsed: Parsed) -> bool:
    """Whether another engine's read took the field from another row of the card: the reads
    then disagree on where the value is printed, which no re-read of one row settles."""
    if field.box is None:
        return False
    primary_engine = parsed[0][0].engine
    for read, fields in parsed[1:]:
        other = fields.get(name)
        if read.engine == primary_engine or other is None or not other.value:
            continue
        if other.box is None or not (
            _on_row(other.box, field.box) or _on_row(field.box, other.box)
        ):
            return True
    return False


def _line_reread(field: Field, ocr: OcrResult, name: str = "") -> list[tuple[Read, Field]]:
    """The value as Tesseract's re-read of its line alone gives it (``ocr_gpu.linereads``):
    the value itself when every word it came from was re-read exactly as the primary read has
    it, the re-read's words when they differ (a birth date: the date they give, the birth place
    PP-OCR read glued to it left out); nothing when a word was not re-read. (A value holding a
    letter the primary engine took from Tesseract's card read is confirmed by neither: the
    primary engine's own read of it differs.)"""
    if not field.value or field.box is None:
        return []
    box = field.box
    words = [w for line in ocr.lines for w in line.words if _inside(w.box, box)]
    if not words:
        return []
    found = [a for w in words for a in w.alternatives if a.method == linereads.LINE]
    if len(found) != len(words):
        return []
    reread = " ".join(a.text.strip(STRAY_MARKS) for a in found)
    value = field.value if reread == " ".join(w.text for w in words) else reread.upper()
    if name in DATE_FIELDS and value != field.value:
        value = parse_date(reread) or value
    read = Read(f"{found[0].engine}:{linereads.LINE}", found[0].engine)
    return [(read, replace(field, value=value, raw=reread))]


def _merge_number(name: str, doc_type: str, parsed: Parsed, printed: dict[str, Field]) -> Field:
    primary_read, primary = parsed[0]
    values: list[tuple[Read, Field]] = [
        (read, fields[name]) for read, fields in parsed if name in fields
    ]
    assert primary_read.ocr is not None
    values += _rereads(name, primary.get(name), primary_read.ocr)
    if _cropped(primary.get(name), primary_read.ocr):
        # PP-OCR's read of the card passed over the number and its value is PP-OCR's read of a
        # crop of the print (``ocr_gpu.numberrow``): PP-OCRv4 reads that crop too, and shares
        # its slips (an interlaced face's slashed zero read ``8`` by both, approved on an outside
        # set while this was made), so only Tesseract may confirm it
        values = [(read, found) for read, found in values if read.engine != PPOCR_V4]
    if name == "nik":
        values += _read_on_nik_row(primary.get(name), parsed)
    lengths = NUMBER_LENGTHS.get(name, ())
    nik_rows = [f["nik"].box for _, f in parsed if name == "npwp" and "nik" in f and f["nik"].box]
    candidates: dict[str, list[tuple[Read, Field]]] = {}
    for read, found in values:
        if not found.value or len(found.value) not in lengths:
            continue
        if found.box is not None and any(_inside(found.box, row) for row in nik_rows if row):
            # the NIK line taken for the number by a read that lost the number's row: it would
            # pass for an NPWP16 equal to the NIK
            continue
        candidates.setdefault(found.value, []).append((read, found))
    if not candidates:
        return _merge_text(name, parsed)
    others = {
        other: [f.get(other) for _, f in parsed if not _nik_row_as_number(other, f, primary, name)]
        for other in NUMBER_FIELDS.get(doc_type, ())
    }

    def rank(item: tuple[str, list[tuple[Read, Field]]]) -> tuple[int, int, int, int, int, int]:
        value, support = item
        valid, matches = _validity(name, value, doc_type, printed, others)
        engines = _engines(support, primary_read)
        # between values each one engine gave, the primary engine's: Tesseract re-reads a
        # number more ways than PP-OCR, and its reads of one box must not outnumber PP-OCR's
        primary_engine = int(any(read.engine == primary_read.engine for read, _ in support))
        is_primary = int(any(read is primary_read for read, _ in support))
        reads = sum(read.engine in engines for read, _ in support)
        return (int(valid), matches, len(engines), primary_engine, reads, is_primary)

    best, support = max(candidates.items(), key=rank)
    chosen_read, chosen = next(((r, f) for r, f in support if r is primary_read), support[0])
    if chosen_read is not primary_read and primary.get(name) is not None:
        # a re-read's value keeps the primary read's box and confidence for the console
        base = primary[name]
        chosen = replace(base, value=chosen.value, raw=chosen.raw)
    judged: list[tuple[Read, Field | None]] = list(values)
    field = _judged(chosen, chosen_read, judged)
    if field.agreement == CONFIRMED and _recognisers_outvoted(best, candidates, rank, primary_read):
        field = replace(field, agreement=DISAGREE)
    if name == "npwp" and field.agreement == DISAGREE:
        field = _confirmed_by_check_digit(field, chosen_read, values)
    if name == "nik" and doc_type == "ktp" and field.agreement == DISAGREE:
        field = _confirmed_by_printed_facts(field, chosen_read, values, printed)
    if field.agreement == CONFIRMED and _both_unsure(field, values, parsed):
        field = replace(field, agreement=UNSURE)
    if field.agreement == CONFIRMED and _primary_outvoted(best, candidates, rank, primary_read):
        # more reads of one value do not make it the printed one (two re-reads agreed on a NIK
        # one digit off the primary read's right one), so a person decides
        field = replace(field, agreement=DISAGREE)
    return field


def _engines(support: list[tuple[Read, Field]], primary_read: Read) -> set[str]:
    """The engines whose reads gave a value, PP-OCRv4 among them only beside PP-OCR's read of
    the card: PP-OCRv4 reads the very crop PP-OCR re-reads (``ocr_gpu.numberreader``), so a
    crop cut short (a label's colon taken for the number's start, its first digit cut off) is
    cut alike for both, and the two agreeing on it are one reading of that crop."""
    engines = {read.engine for read, _ in support}
    if not any(read is primary_read for read, _ in support):
        engines.discard(PPOCR_V4)
    return engines


def _recognisers_outvoted(
    best: str,
    candidates: dict[str, list[tuple[Read, Field]]],
    rank: Callable[[tuple[str, list[tuple[Read, Field]]]], tuple[int, ...]],
    primary_read: Read,
) -> bool:
    """Whether ``best`` is confirmed by PP-OCR's two recognisers alone (``PPOCR_V4`` on its box,
    ``ocr_gpu.numberreader``) where PP-OCR's read of the card gave another value (``_engines``),
    or while Tesseract read another value of its length, as valid and agreeing with as many
    printed facts. Two models of one family may share a slip that an engine of another kind
    does not: such a dispute goes to a person. Tesseract's value counts where its read of the
    card gave it or two of its reads did: one of the up to five ways it re-reads a disputed box
    alone gives a valid number a digit off now and then (a zero opened into an ``8``'s place),
    which is no reading of the card."""
    agreeing = {read.engine for read, _ in candidates.get(best, ())}
    if agreeing != {PPOCR, PPOCR_V4}:
        return False
    if PPOCR_V4 not in _engines(candidates[best], primary_read):
        return True  # PP-OCR's two reads of one crop
    ranked = rank((best, candidates[best]))[:2]
    return any(
        value != best
        and len(value) == len(best)
        and _tesseract_reading(support)
        and rank((value, support))[:2] == ranked
        for value, support in candidates.items()
    )


def _tesseract_reading(support: list[tuple[Read, Field]]) -> bool:
    """Whether Tesseract's read of the card, or two of its reads, gave the value."""
    reads = [read for read, _ in support if read.engine == TESSERACT]
    return len(reads) >= 2 or any(read.ocr is not None for read in reads)


# Two engines slip alike now and then on small print blurred in a photo (a NIK line's ``6`` read
# ``5`` by both): each then reads the digit less sure than it reads a number it gets right.
# PP-OCR reads a number it gets right at 98 or more as a rule, and Tesseract reads a whole
# number at 35 or more; of 2,132 numbers two engines agreed on in sixteen outside sets, the two
# wrong ones were read under both marks, 3 right ones too.
SURE_PRIMARY = 98.0
SURE_SECOND = 35.0


def _both_unsure(field: Field, values: list[tuple[Read, Field]], parsed: Parsed) -> bool:
    """Whether ``field`` is confirmed only by the two engines' whole-card reads, PP-OCR's under
    ``SURE_PRIMARY`` and Tesseract's under ``SURE_SECOND`` (no re-read of the number's box
    agreed: those run where the two reads differ)."""
    whole = {read.name for read, _ in parsed}
    if len(parsed) < 2 or not set(field.sources) <= whole:
        return False
    (primary_read, _), (second_read, _) = parsed[0], parsed[1]
    if primary_read.engine != PPOCR or second_read.engine != TESSERACT:
        return False
    second = next((f for r, f in values if r is second_read and f.value == field.value), None)
    return (
        second is not None and field.confidence < SURE_PRIMARY and second.confidence < SURE_SECOND
    )


def _primary_outvoted(
    best: str,
    candidates: dict[str, list[tuple[Read, Field]]],
    rank: Callable[[tuple[str, list[tuple[Read, Field]]]], tuple[int, ...]],
    primary_read: Read,
) -> bool:
    """Whether the primary engine's whole-card read gave another value of ``best``'s length,
    as valid and agreeing with as many printed facts (the ranking's first two terms). Only the
    primary engine's read counts: it reads numbers best, and Tesseract's whole-card reads give a
    valid number one digit off often enough that its rival values decide nothing."""
    ranked = rank((best, candidates[best]))[:2]
    return bool(ranked[0]) and any(
        value != best
        and len(value) == len(best)
        and any(read is primary_read for read, _ in support)
        and rank((value, support))[:2] == ranked
        for value, support in candidates.items()
    )


# A KTP's NIK repeats two things the card prints elsewhere: its first four digits are the code of
# the regency or city named in the header, digits seven to twelve the holder's birth date (the day
# plus 40 for a woman). Those digits are borne out by other print, read in words and in another
# line; the district and the serial are printed nowhere else.
NIK_REGION = range(REGENCY_CODE)
NIK_BIRTH = range(6, 12)
MAX_BORNE_OUT_SLIPS = 1


def _confirmed_by_printed_facts(
    field: Field, chosen_read: Read, values: list[tuple[Read, Field]], printed: dict[str, Field]
) -> Field:
    """A KTP's NIK that another engine read a digit off is confirmed when that digit is one the
    card bears out elsewhere (see above): a digit of the regency code of the regency or city the
    header names, or of the birth date and sex both engines confirmed. The other engine then
    read every digit nothing else on the card vouches for (the district and the serial) as the
    chosen value has them. A slip in the district or the serial, two slips, or another read of
    the other engine as valid and as true to the header and the birth date (a serial read
    otherwise): still a disagreement."""
    value = field.value or ""
    if nik_rules.problems(value):
        return field
    facts = _printed_facts(value, printed)
    borne = {
        i
        for fact, positions in zip(facts, (NIK_REGION, NIK_BIRTH), strict=True)
        if fact
        for i in positions
    }
    if not borne:
        return field
    others = _other_engines_values(values, chosen_read, value)
    confirming = [
        read
        for read, other in others
        if len(other) == len(value)
        and 0 < len(off := _digits_off(other, value)) <= MAX_BORNE_OUT_SLIPS
        and off <= borne
    ]
    rival = any(
        len(other) == len(value)
        and not nik_rules.problems(other)
        and all(o >= f for o, f in zip(_printed_facts(other, printed), facts, strict=True))
        for _, other in others
    )
    if not confirming or rival:
        return field
    sources = (*field.sources, *(f"{read.name}{PRINTED}" for read in confirming))
    return replace(field, agreement=CONFIRMED, sources=sources)


def _other_engines_values(
    values: list[tuple[Read, Field]], chosen_read: Read, value: str
) -> list[tuple[Read, str]]:
    """Each value another engine's reads gave other than ``value``."""
    return [
        (read, other.value)
        for read, other in values
        if read.engine != chosen_read.engine and other.value and other.value != value
    ]


def _digits_off(left: str, right: str) -> set[int]:
    """The positions where two numbers of one length differ."""
    return {i for i, (a, b) in enumerate(zip(left, right, strict=True)) if a != b}


def _printed_facts(nik: str, printed: dict[str, Field]) -> tuple[bool, bool]:
    """Whether ``nik``'s regency code is that of the regency or city the header names, and
    whether its birth date and sex are those both engines confirmed on the card."""
    header = printed.get("kabupaten_kota")
    region = bool(header and header.value and nik[:REGENCY_CODE] in regency_codes(header.value))
    parts = nik_rules.split(nik)
    birth, sex = printed.get("tanggal_lahir"), printed.get("jenis_kelamin")
    if parts is None or birth is None or sex is None:
        return region, False
    if birth.agreement != CONFIRMED or sex.agreement != CONFIRMED:
        return region, False
    born = parse_iso(birth.value or "")
    return region, born is not None and parts.born_on(born) and parts.of_sex(sex.value or "")


def _confirmed_by_check_digit(
    field: Field, chosen_read: Read, values: list[tuple[Read, Field]]
) -> Field:
    """An NPWP that another engine read one digit off is confirmed when that digit is one the
    check digit covers and the other read fails the check: the other engine confirmed every
    other digit, and of the ten digits the check digit allows exactly one in any one position
    (Luhn: each position's digit, doubled or not, moves the sum by a different amount), so the
    valid value is the one printed. A digit outside the check (the KPP code, the branch), two
    digits off, or another valid value of its length read by the other engine: still a
    disagreement. The other engine's garbled reads of another length do not count against it
    (a 16-digit garble passes for a NIK-NPWP as often as not)."""
    value = field.value or ""
    checked = npwp_rules.checksum_digits(value)
    if not checked or not npwp_rules.is_valid(value):
        return field
    start = 1 if npwp_rules.kind(value) == npwp_rules.ENTITY16 else 0  # see checksum_digits
    others = _other_engines_values(values, chosen_read, value)
    confirming = [
        read
        for read, other in others
        if len(other) == len(value)
        and not npwp_rules.is_valid(other)
        and len(off := sorted(_digits_off(other, value))) == 1
        and start <= off[0] < start + len(checked)
    ]
    if not confirming or any(
        len(other) == len(value) and npwp_rules.is_valid(other) for _, other in others
    ):
        return field
    sources = (*field.sources, *(f"{read.name}+check-digit" for read in confirming))
    return replace(field, agreement=CONFIRMED, sources=sources)


def _validity(
    name: str,
    value: str,
    doc_type: str,
    printed: dict[str, Field],
    others: dict[str, list[Field | None]],
) -> tuple[bool, int]:
    """(structurally valid, how many printed facts it agrees with)."""
    if name == "nik":
        valid = not nik_rules.problems(value)
        matches = 0
        parts = nik_rules.split(value)
        birth = parse_iso(printed["tanggal_lahir"].value) if "tanggal_lahir" in printed else None
        sex = printed["jenis_kelamin"].value if "jenis_kelamin" in printed else None
        if parts is not None and birth is not None:
            matches += int(parts.born_on(birth))
        if parts is not None and sex:
            matches += int(parts.of_sex(sex))
        if doc_type == "npwp":
            matches += int(any(f is not None and f.value == value for f in others.get("npwp", [])))
        return valid, matches
    # an NPWP number
    valid = npwp_rules.is_valid(value)
    matches = 0
    if npwp_rules.kind(value) == npwp_rules.NIK16:
        matches += int(any(f is not None and f.value == value for f in others.get("nik", [])))
    return valid, matches
