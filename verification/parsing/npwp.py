"""NPWP card: number (15-digit dotted, undotted or spaced; 16-digit), name, NIK, address,
KPP and registration date.

The card prints the name without a label: it is the text between the number and the ``NIK``
line (or the first line after the number on older cards without a NIK line); printouts that label
it (``Nama : ...``) are read by the label. The address runs from there to the KPP line. The
number may follow its label on one line (``NPWP : 12.345...``) or sit under it. Every value stops
at its cell: text of another column on the same row is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from statistics import median

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ocr_gpu.lines import union_box
from ocr_gpu.result import Line, OcrResult, Word
from verification import npwp as npwp_rules
from verification import places
from verification.fields import Field
from verification.parsing import (
    LabelMatch,
    LineView,
    Segment,
    make_field,
    match_label,
    skip_separators,
)
from verification.parsing.cells import cell_at, row_centre, split_cells, text_height
from verification.textfix import (
    DATE_WORD,
    clean_address,
    clean_alpha,
    compact,
    digits_only,
    fix_digits,
    name_text,
    parse_date,
)

FIELD_NAMES = ("npwp", "nama", "nik", "alamat", "kpp", "tanggal_terdaftar")
HEADER_WORDS = (
    "NPWP",
    "DIREKTORAT",
    "JENDERAL",
    "PAJAK",
    "KEMENTERIAN",
    "DEPARTEMEN",  # the older cards: DEPARTEMEN KEUANGAN REPUBLIK INDONESIA
    "KEUANGAN",
    "REPUBLIK",
    "INDONESIA",
)
NUMBER_LABELS = {"npwp": ("NPWP",)}
NUMBER_LABEL_SCORE = 70.0
NIK_WORD = "NIK"
NIK_LABELS = {"nik": (NIK_WORD,)}
NAME_WORD = "NAMA"
NAME_LABELS = {"nama": ("Nama", "Nama Wajib Pajak")}
ADDRESS_LABELS = {"alamat": ("Alamat",)}
REGISTERED_LABELS = {
    "terdaftar": ("Terdaftar", "Tanggal Terdaftar", "Tgl Terdaftar", "Terdaftar Sejak")
}
# The tax office's label spelled out (``Kantor Pelayanan Pajak : KPP PRATAMA ...``).
OFFICE_LABELS = {"kpp": ("Kantor Pelayanan", "Kantor Pelayanan Pajak")}
OFFICE_LABEL_SCORE = 80.0
BODY_LABELS = (NAME_LABELS, ADDRESS_LABELS, REGISTERED_LABELS)
KPP_WORD = "KPP"
KPP_KINDS = ("PRATAMA", "MADYA")
MIN_NUMBER_DIGITS = 15
MIN_REAL_DIGITS = 12
NIK_DIGITS = 16
NIK_LENGTHS = (NIK_DIGITS - 1, NIK_DIGITS, NIK_DIGITS + 1)  # a digit lost or read twice


# Words of a card's logo and title, matched exactly (short or name-like: ``WAHIB`` is a name):
# ``KARTU NOMOR POKOK WAJIB PAJAK``, the ``DJP`` / ``KEMENKEU`` logo block.
LOGO_WORDS = frozenset({"DJP", "KEMENKEU", "KARTU", "NOMOR", "POKOK", "WAJIB"})


# The header printed white on a dark band, read in pieces (``DEPAR UAN REPUBLIK INDO!``,
# ``DEPARTEMEN NGAN REPUBLIK INDONESIA``): at least this many words that are header words or
# a piece of one at least four letters long (its start or its end), and no other word longer
# than a speck's three letters. No name holds three of them.
MIN_HEADER_PIECES = 3
MIN_PIECE = 4
MAX_SPECK_WORD = 3


def _is_header(view: LineView) -> bool:
    # a glyph of the emblem read as a character of another script (``米``) is no word
    words = [w for w in (compact(w) for w in view.text.split()) if w and w.isascii()]
    if not words:
        return False
    if all(_header_word(word) for word in words):
        return True
    pieces = [word for word in words if _header_word(word) or _header_piece(word)]
    return len(pieces) >= MIN_HEADER_PIECES and all(
        len(word) <= MAX_SPECK_WORD for word in words if word not in pieces
    )


def _header_word(word: str) -> bool:
    return word in LOGO_WORDS or any(fuzz.ratio(word, key) >= 80 for key in HEADER_WORDS)


def _header_piece(word: str) -> bool:
    return len(word) >= MIN_PIECE and any(
        key.startswith(word) or key.endswith(word) for key in HEADER_WORDS
    )


def _lettered(text: str) -> bool:
    """Holds a letter no digit looks like."""
    return any(c.isalpha() for c in fix_digits(text))


# The newer cards' label for the 16-digit number: ``NPWP16``, read as ``NPWP`` and its ``16``
# glued to it.
_NPWP16_TAIL = re.compile(r"16(?!\d)")


def _number_label(text: str) -> LabelMatch | None:
    """The number's label ``text`` opens with; ``NPWP16`` whole (its ``16`` is no digit of the
    number after it: ``NPWP16 : 3374040310841580``)."""
    match = match_label(text, NUMBER_LABELS, min_score=NUMBER_LABEL_SCORE)
    if match is None or match.value_start != match.label_end:
        return match
    tail = _NPWP16_TAIL.match(text, match.label_end)
    if tail is None:
        return match
    return replace(match, label_end=tail.end(), value_start=skip_separators(text, tail.end()))


def _number_segment(view: LineView) -> Segment:
    """The number after its label, without words before or after it that hold a letter no
    digit looks like (a frame's side or the card's edge read as ``Fi`` would add a ``1``; an
    emblem left of the number is read as ``an RA AA``)."""
    match = _number_label(view.text)
    start = match.value_start if match else 0
    end = len(view.text)
    for token in reversed(view.tokens):
        if token.start < start or not _lettered(token.text):
            break
        end = token.start
    for token in view.tokens:
        if token.start < start:
            continue
        if token.start >= end or not _lettered(token.text):
            break
        start = token.end
    return Segment(view, start, _valid_end(view, start, end))


def _valid_end(view: LineView, start: int, end: int) -> int:
    """Where the number ends: after the words that make a valid NPWP, when words after them
    (a QR block's corner read as ``40]`` or ``O``) would make it invalid."""
    if npwp_rules.is_valid(npwp_rules.normalise(digits_only(view.text[start:end]))):
        return end
    for token in view.tokens:
        if start < token.end < end:
            digits = npwp_rules.normalise(digits_only(view.text[start : token.end]))
            if npwp_rules.is_valid(digits):
                return token.end
    return end


# A number printed in a box: Tesseract reads the box's sides as words of their own (``[``, ``|``)
# or glued to the number's ends (``[57.970.309.1-402.000 |``), and ``|`` passes for a ``1``.
BORDER_MARKS = "|[]"


def _number_digits(text: str) -> str:
    """The number's digits; without the marks at its ends where only that makes it a valid
    NPWP (a box's side read as a ``1`` would make a valid 15-digit number 16 digits long)."""
    digits = npwp_rules.normalise(digits_only(text))
    trimmed = npwp_rules.normalise(digits_only(text.strip(BORDER_MARKS + " ")))
    if trimmed != digits and npwp_rules.is_valid(trimmed) and not npwp_rules.is_valid(digits):
        return trimmed
    return digits


def _looks_like_number(text: str) -> bool:
    """An NPWP number line: at least 12 real digits, and mostly digits (a line of words has
    many digit look-alikes, ``JL. MERDEKA NO. 116``, but few digits)."""
    digits = sum(c.isdigit() for c in text)
    alnum = sum(c.isalnum() for c in text)
    return (
        digits >= MIN_REAL_DIGITS
        and digits >= 0.75 * alnum
        and (len(digits_only(text)) >= MIN_NUMBER_DIGITS)
    )


NIK_LINE_DIGITS = 6  # a line whose label is read short holds this many digits of the NIK
LABELLED_NUMBER_DIGITS = 6  # a row opening with the NPWP label and this many digits holds it


def _labelled_number_index(views: list[LineView]) -> int | None:
    """The row that opens with the ``NPWP`` label and holds digits: the number's row even where
    only part of the number was read (``NPwp 145.859.412.4``), so that the NIK line below,
    its own label lost, is not taken for the number."""
    for index, view in enumerate(views):
        match = _number_label(view.text)
        digits = sum(c.isdigit() for c in view.text[match.value_start :]) if match else 0
        if digits >= LABELLED_NUMBER_DIGITS:
            return index
    return None


def _nik_value_start(view: LineView) -> int | None:
    """Where the NIK line's number starts, or None when ``view`` is not the NIK line: its label
    matched (a shorter or longer one only before digits: ``NI WAYAN SUCIPTA DEWI`` is a Balinese
    woman's name, not ``NI : 5104...``, ``NI KETUT`` does not open with ``NIK`` and ``ANIK
    KUSUMAWATI`` is a name), or a label one letter off ``NIK`` (``N8K``, beyond the fuzzy match
    of so short a word) before a colon and the 16 digits of a NIK, or the remnant of a label a
    photo blurred (``_remnant_label_start``)."""
    match = match_label(view.text, NIK_LABELS, min_score=70.0)
    if match:
        # the label as a word of its own: not ``NI K`` taken from ``NI KETUT SEMBIRING``, nor
        # the name ``ANIK KUSUMAWATI`` (a longer word holding it needs the NIK's digits after it)
        whole = len(compact(view.text[: match.label_end])) == len(NIK_WORD) and not (
            view.text[match.label_end : match.label_end + 1].isalpha()
        )
        if whole or sum(c.isdigit() for c in view.text[match.value_start :]) >= NIK_LINE_DIGITS:
            return match.value_start
    label, colon, value = view.text.partition(":")
    if (
        colon
        and Levenshtein.distance(compact(label), NIK_WORD) <= 1
        and len(compact(label)) == len(NIK_WORD)
        and len(digits_only(value)) == NIK_DIGITS
        and sum(c.isdigit() for c in value) >= 0.75 * sum(c.isalnum() for c in value)
    ):
        return len(label) + 1
    return _remnant_label_start(view.text)


# What a photo leaves of the small ``NIK`` label: a letter or two of it (``K :``, ``NL K``), read
# as these letters, before the NIK's 16 digits.
NIK_REMNANT_CHARS = frozenset("NIKL")


def _remnant_label_start(text: str) -> int | None:
    """Where the number starts on a NIK line whose label a photo left one to three of its
    letters (``K : 3273011205900007``): nothing but those letters and a colon before exactly a
    NIK's digits, the value digits for the most part."""
    start = next((i for i, c in enumerate(text) if c.isdigit()), None)
    if start is None:
        return None
    remnant, value = compact(text[:start]), text[start:]
    if (
        1 <= len(remnant) <= len(NIK_WORD)
        and set(remnant) <= NIK_REMNANT_CHARS
        and len(digits_only(value)) == NIK_DIGITS
        and sum(c.isdigit() for c in value) >= 0.75 * sum(c.isalnum() for c in value)
    ):
        return start
    return None


def _kpp_word_read(words: list[str]) -> bool:
    """Whether the first of a line's compacted words is the ``KPP`` word, however misread: close
    to it, or a part of it before ``PRATAMA`` / ``MADYA`` (``P PRATAMA``, ``KP PRATAMA``; a name
    such as ``NUR PRATAMA`` does not pass). An address line that opens with ``KP.`` (kampung)
    does not pass either: ``KP`` alone is too short."""
    first = words[0]
    if any(first.startswith(KPP_WORD + kind) for kind in KPP_KINDS):
        return True  # read with no space after it (``KPPPRATAMAGIANYAR``)
    kind_follows = len(words) > 1 and any(fuzz.ratio(words[1], k) >= 80 for k in KPP_KINDS)
    if kind_follows and first and len(first) <= len(KPP_WORD) and set(first) <= set(KPP_WORD):
        return True
    return len(first) >= len(KPP_WORD) and fuzz.ratio(first, KPP_WORD) >= 66


def _unglued_office(words: list[str]) -> list[str]:
    """The office's first words read with no space between them (``KPPPRATAMAGIANYAR``,
    ``PRATAMALUBUK``) apart: the ``KPP`` word, its kind, and the place's first word."""
    out: list[str] = []
    for index, word in enumerate(words):
        rest = word
        if index == 0 and any(rest.startswith(KPP_WORD + kind) for kind in KPP_KINDS):
            out.append(KPP_WORD)
            rest = rest[len(KPP_WORD) :]
        kind = next((k for k in KPP_KINDS if rest.startswith(k) and len(rest) > len(k)), None)
        if index <= 1 and kind is not None and rest[len(kind)].isalpha():
            out.extend([kind, rest[len(kind) :]])
        elif rest:
            out.append(rest)
    return out


def _kind_joined(words: list[str]) -> list[str]:
    """The office's kind read in two pieces (``PRA TAMA``) as one word."""
    out: list[str] = []
    for word in words:
        if out and compact(out[-1] + word) in KPP_KINDS and compact(word) not in KPP_KINDS:
            out[-1] += word
        else:
            out.append(word)
    return out


# Every tax office is named ``KPP <kind> <place>``, its kind one of a few words: an office's kind
# read with a letter broken (a face whose ``M`` reads ``IT`` or ``IM``: ``PRATAITA``,
# ``PRATAMTIA``, ``PRATAMIA`` on five hard photos of an outside set) is that word, as a read
# religion is one of the listed ones. A place after ``KPP`` whose kind was lost reads far from
# both (``PRAYA``, ``PARIAMAN``: 67 against ``PRATAMA``).
KIND_SCORE = 75.0


def _kind_as_printed(words: list[str]) -> list[str]:
    """The office's name (its words after ``KPP``) with its first word, read near one of the
    kinds, spelled as that kind; the place's words are left as read."""
    if len(words) < 2 or compact(words[0]) in KPP_KINDS:
        return words
    scored = [(fuzz.ratio(compact(words[0]), kind), kind) for kind in KPP_KINDS]
    score, kind = max(scored)
    return [kind, *words[1:]] if score >= KIND_SCORE else words


def _kpp_match(view: LineView) -> int:
    """How surely a line is the tax office line: 2 for ``KPP PRATAMA ...`` / ``KPP MADYA ...``
    (``KPP`` may be misread), 1 when ``KPP`` was lost and the line opens with ``PRATAMA`` or
    ``MADYA`` (an address may too: ``MADYA RESIDENCE``), 0 otherwise."""
    words = [w for w in (compact(w) for w in view.text.split()) if w]
    if not words:
        return 0
    if _kpp_word_read(words) or _office_label(view.text) is not None:
        return 2
    if len(words) >= 3 and _office_word(words[0]) and _kpp_word_read(words[1:]):
        return 2  # ``KANTOR : KPP PRATAMA ...``
    return int(any(fuzz.ratio(words[0], kind) >= 80 for kind in KPP_KINDS))


def _office_label(text: str) -> LabelMatch | None:
    return match_label(text, OFFICE_LABELS, min_score=OFFICE_LABEL_SCORE)


OFFICE_WORD = "KANTOR"  # the office's label on older cards, before the ``KPP ...`` it names


def _office_word(word: str) -> bool:
    return fuzz.ratio(word, OFFICE_WORD) >= OFFICE_LABEL_SCORE


def _kpp_value_start(text: str) -> int:
    """Where the tax office's name starts on its line: after a ``KPP`` label when the line has
    one (``KPP : KPP PRATAMA SURAKARTA``, ``Kantor Pelayanan : KPP ...``, ``KANTOR : KPP ...``),
    else at the line's start."""
    office = _office_label(text)
    if office is not None:
        return office.value_start
    words = text.split()
    compacted = [c for c in (compact(w) for w in words) if c]
    labelled = len(compacted) >= 3 and (_kpp_word_read(compacted[:1]) or _office_word(compacted[0]))
    if not labelled or not _kpp_word_read(compacted[1:]):
        return 0
    return skip_separators(text, text.index(words[0]) + len(words[0].rstrip(":")))


def _kpp_index(body: list[LineView]) -> int | None:
    """The tax office line: the first sure one, else the first that opens with its kind."""
    matches = [_kpp_match(v) for v in body]
    for strength in (2, 1):
        if strength in matches:
            return matches.index(strength)
    return None


def _office_above(above: list[LineView]) -> LineView | None:
    """The tax office printed over the number, as some designs print it under the header
    (``KEMENTERIAN KEUANGAN ...``, ``DIREKTORAT JENDERAL PAJAK``, ``KPP PRATAMA MATARAM BARAT``):
    the last row above the number that is surely the office (``KPP`` and its kind read)."""
    return next((view for view in reversed(above) if _kpp_match(view) == 2), None)


def _office_after_date(body: list[LineView]) -> tuple[int, int] | None:
    """The row that prints the registration date first and the tax office after it, on one
    line at the card's foot (``TERDAFTAR: 09-09-2010   KPP PRATAMA JAKARTA CAKUNG``), and where
    the office starts there; None when no row does."""
    for index, view in enumerate(body):
        if not match_label(view.text, REGISTERED_LABELS, min_score=70.0):
            continue
        for token in view.tokens[1:]:
            words = [w for w in (compact(w) for w in view.text[token.start :].split()) if w]
            if len(words) >= 2 and _kpp_word_read(words) and parse_date(view.text[: token.start]):
                return index, token.start
    return None


def _registered_at(body: list[LineView]) -> tuple[int, int] | None:
    """The registration date's line and where its label starts there: a line that opens with
    the label, with a date rather than without one (an address may hold a word like
    ``TERDAFTAR``), or the label and a date later in a line (older cards print them at the
    right end of the KPP line: ``KPP PRATAMA MEDAN BARAT   Tanggal Terdaftar : 13 MARET 2021``).
    """
    labelled = [
        i for i, v in enumerate(body) if match_label(v.text, REGISTERED_LABELS, min_score=70.0)
    ]
    dated = [(i, 0) for i in labelled if parse_date(body[i].text)]
    if dated:
        return dated[0]
    for index, view in enumerate(body):
        later = [
            (match.score, token.start)
            for token in view.tokens[1:]
            if (match := match_label(view.text[token.start :], REGISTERED_LABELS, min_score=70.0))
            and parse_date(view.text[token.start + match.label_end :])
        ]
        if later:  # the word the label matches best from, the first of equals (``Tanggal``)
            return index, max(later, key=lambda found: (found[0], -found[1]))[1]
    return (labelled[0], 0) if labelled else None


def _value_cell(view: LineView, offset: int) -> Segment:
    """From ``offset`` to the end of its cell (text of another column on the row left out); the
    next cell when only the label's colon is left in this one (``TERDAFTAR:`` with its value in
    a column of its own)."""
    cells = split_cells(view)
    index = cell_at(cells, offset)
    if index is None:
        return Segment(view, offset, len(view.text))
    rest = view.text[offset : cells[index].end]
    if not any(c.isalnum() for c in rest) and index + 1 < len(cells):
        return cells[index + 1].segment
    return Segment(view, offset, cells[index].end)


def _first_value_cell(view: LineView) -> Segment:
    """The row's first cell, or the first after cells of logo words only (a sidebar's
    ``KEMENKEU`` beside the name, read as the row's first cell)."""
    for cell in split_cells(view):
        words = [compact(w) for w in cell.text.split()]
        if not all(word in LOGO_WORDS for word in words if word):
            return Segment(view, cell.start, cell.end)
    return _value_cell(view, 0)


# A name's label under the NIK line (a design printing ``NPWP``, ``NIK``, ``Nama``) is read
# clearly: a garble there is more likely the address's first word than the name's label.
NAME_BELOW_NIK_SCORE = 90.0


def _labelled(
    view: LineView, labels: Mapping[str, tuple[str, ...]], min_score: float = 75.0
) -> Segment | None:
    match = match_label(view.text, labels, min_score=min_score)
    return _value_cell(view, match.value_start) if match else None


# The labels of a labelled NPWP design (``NAMA``, ``ALAMAT``, ``NIK``, ``KPP``, ``TERDAFTAR``):
# printed in one column, with a sidebar left of it on some designs (a coloured band with the
# ``DJP`` / ``KEMENKEU`` logo), whose words each engine reads as part of the row beside them.
COLUMN_LABELS = {
    **NAME_LABELS,
    **ADDRESS_LABELS,
    **NIK_LABELS,
    **NUMBER_LABELS,
    "kpp": (KPP_WORD,),
    **REGISTERED_LABELS,
}
COLUMN_LABEL_SCORE = 85.0
COLUMN_SLACK = 1.5  # text heights within which labels share a column
MIN_COLUMN_LABELS = 3


def _without_sidebar(lines: list[Line]) -> list[Line]:
    """``lines`` without the words printed left of the label column: where at least three rows
    print a label along one left edge and a row has words before its label (``KEMENKEU NAMA :
    ...``), every word ending left of that edge is a sidebar's (a logo's ``DJP``), not a
    field's. The edge is fitted through the labels' left ends (a photo's perspective slants it).
    A card without such a column, or without words left of it, is read as it is."""
    heights = [w.box[3] for line in lines for w in line.words if w.box[3] > 0]
    if not heights:
        return lines
    height = float(median(heights))
    found: list[tuple[float, float, bool]] = []  # the label's left end, its row, words before it
    for line in lines:
        for index, word in enumerate(line.words[:3]):
            if index and word.box[0] - sum(line.words[index - 1].box[::2]) <= COLUMN_SLACK * height:
                break  # a label's second word (``Tanggal Terdaftar``), not one after a sidebar
            rest = " ".join(w.text for w in line.words[index:])
            match = match_label(rest, COLUMN_LABELS, min_score=COLUMN_LABEL_SCORE)
            if match and match.label_end <= len(word.text):
                found.append((word.box[0], word.box[1] + word.box[3] / 2, index > 0))
                break
    if len(found) < MIN_COLUMN_LABELS or not any(moved for *_, moved in found):
        return lines
    edge = _fitted_edge([(x, y) for x, y, _ in found], height)
    if edge is None:
        return lines
    kept = []
    for line in lines:
        words = tuple(
            w
            for w in line.words
            if w.box[0] + w.box[2] >= edge(w.box[1] + w.box[3] / 2) - height / 2
        )
        if len(words) == len(line.words):
            kept.append(line)
        elif words:
            kept.append(_holding(line, words))
    return kept


def _holding(line: Line, words: Sequence[Word]) -> Line:
    """``line`` holding only ``words``: its text and box theirs."""
    return replace(line.with_words(words), box=union_box(w.box for w in words))


def _name_and_nik_apart(lines: list[Line]) -> list[Line]:
    """``lines`` with a design's name and NIK printed side by side under their captions
    (``NAMA          NIK`` over ``ROBBY GUNAWAN   3402031407752972``) put one under the other,
    each caption over its value, as a design printing them in one column has them. The NIK's
    caption lost on a read (``NAMA`` over ``FAHMI  3573041506852423``), a NIK's number ending
    the row under the name's caption is the NIK all the same."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        pair = _name_and_nik(lines[index], lines[index + 1]) if index + 1 < len(lines) else None
        if pair is None:
            out.append(lines[index])
            index += 1
        else:
            out.extend(pair)
            index += 2
    return out


def _name_and_nik(captions: Line, values: Line) -> list[Line] | None:
    """The four rows (the name's caption and value, the NIK's caption and number; three with
    the NIK's caption lost) that ``captions`` over ``values`` print side by side, or None."""
    words = [compact(w.text) for w in captions.words]
    if not words or Levenshtein.distance(words[0], NAME_WORD) > 1:
        return None
    nik_caption = None
    if len(words) == 2 and Levenshtein.distance(words[1], NIK_WORD) <= 1 and len(words[1]) == 3:
        nik_caption = captions.words[1]
    elif len(words) != 1:
        return None
    number = [w for w in values.words if len(digits_only(w.text)) in NIK_LENGTHS]
    if len(number) != 1 or _lettered(number[0].text) or number[0] is values.words[0]:
        return None
    name = [w for w in values.words if w.box[0] + w.box[2] <= number[0].box[0]]
    if not name or not any(c.isalpha() for w in name for c in w.text):
        return None
    if nik_caption is not None and number[0].box[0] + number[0].box[2] < nik_caption.box[0]:
        return None  # the number is not under the NIK's caption
    out = [_holding(captions, [captions.words[0]]), _holding(values, name)]
    if nik_caption is not None:
        out.append(_holding(captions, [nik_caption]))
    return [*out, _holding(values, number)]


def _fitted_edge(
    points: list[tuple[float, float]], height: float
) -> Callable[[float], float] | None:
    """The left edge through the labels' left ends ``(x, y)``, as x for a given y: a straight
    line through at least three of them within ``COLUMN_SLACK`` text heights of it (a label
    printed elsewhere, the registration date at the KPP row's end, is left out)."""
    for _ in range(2):
        if len(points) < MIN_COLUMN_LABELS:
            return None
        ys = [y for _, y in points]
        xs = [x for x, _ in points]
        mean_y, mean_x = sum(ys) / len(ys), sum(xs) / len(xs)
        spread = sum((y - mean_y) ** 2 for y in ys)
        slope = sum((y - mean_y) * (x - mean_x) for x, y in points) / spread if spread > 0 else 0.0
        close = [
            (x, y)
            for x, y in points
            if abs(x - (mean_x + slope * (y - mean_y))) <= COLUMN_SLACK * height
        ]
        if len(close) == len(points):
            return lambda y: mean_x + slope * (y - mean_y)
        points = close
    return None


def parse_npwp(ocr: OcrResult) -> dict[str, Field]:
    lines = _name_and_nik_apart(_without_sidebar(ocr.lines))
    views = [LineView(line) for line in lines if line.text.strip()]
    fields: dict[str, Field] = {}
    number_index: int | None = None
    for index, view in enumerate(views):
        if view.region == "npwp":
            number_index = index
            break
    if number_index is None:
        number_index = _labelled_number_index(views)
    if number_index is None:
        for index, view in enumerate(views):
            if _nik_value_start(view) is not None or _under_nik_caption(views, index):
                continue
            if _looks_like_number(_number_segment(view).text):
                number_index = index
                break
    if number_index is None:  # the number's row, its number lost or read in part (``NPWP : 39.``)
        number_index = next(
            (
                index
                for index, view in enumerate(views)
                if _number_row_without_number(view)
                and match_label(view.text, NUMBER_LABELS, min_score=NUMBER_LABEL_SCORE)
            ),
            None,
        )
    rest = views
    body_above = False  # the rows above the number are the card's body
    if number_index is not None:
        segment = _number_segment(views[number_index])
        digits = _number_digits(segment.text)
        fields["npwp"] = make_field(digits if len(digits) >= 10 else None, [segment])
        rest = views[number_index + 1 :]
        body_above = sum(_labels_a_field(v) for v in views[:number_index]) >= MIN_BODY_ROWS_ABOVE
        if body_above:
            # the number printed under the labelled rows (in a box at the card's foot)
            rest = views[:number_index] + rest
    body = [
        v
        for v in rest
        if v.region not in ("header", "npwp") and not _is_header(v) and not _speck_row(v)
    ]
    if number_index is None and body and _number_row_misread(body[0]):
        # the unlabelled number read as no number at all (``an all 469 b- (UN``): not the name
        body = body[1:]

    nik_index, nik_start = next(
        ((i, start) for i, v in enumerate(body) if (start := _nik_value_start(v)) is not None),
        (None, 0),
    )
    kpp_index = _kpp_index(body)
    office_start: int | None = None  # the office printed after the date on the date's row
    if kpp_index is None:
        after = _office_after_date(body)
        if after is not None:
            kpp_index, office_start = after
    # the tax office printed in the header, under the Directorate's lines and over the number
    office_above = (
        _office_above(views[:number_index])
        if kpp_index is None and number_index is not None and not body_above
        else None
    )
    captioned = False  # the NIK line's caption lost: the name is a caption's row further up
    if nik_index is None:
        nik_index = _unlabelled_nik_index(body, kpp_index)
        captioned = nik_index is not None
    registered = _registered_at(body)
    registered_index, registered_start = registered if registered else (None, 0)
    stops = [i for i in (nik_index, kpp_index, registered_index) if i is not None]
    # the name is printed above the tax office and the date: a row below them that reads like
    # its label is something else (``Na aa 4``, the card's bottom edge read as text). A design
    # that labels every row may print the NIK line first (``NPWP``, ``NIK``, ``Nama``): a row
    # under it that opens with the name's label, read clearly, is the name
    labelled_name = next(
        (
            (i, seg)
            for i, v in enumerate(body[: min(stops, default=len(body))])
            if (seg := _labelled(v, NAME_LABELS)) is not None
        ),
        None,
    )
    if labelled_name is None and nik_index is not None:
        below_end = min((i for i in stops if i > nik_index), default=len(body))
        labelled_name = next(
            (
                (i, seg)
                for i, v in enumerate(body[nik_index + 1 : below_end], start=nik_index + 1)
                if (seg := _labelled(v, NAME_LABELS, NAME_BELOW_NIK_SCORE)) is not None
                and (any(c.isalpha() for c in seg.text) or _name_row(body, i + 1, stops))
            ),
            None,
        )
    if labelled_name is not None:
        name_index, name_segment = labelled_name
        below = name_index + 1
        if (
            not name_segment.text.strip()
            and below < len(body)
            and below not in stops
            and _labelled(body[below], ADDRESS_LABELS) is None
        ):
            # the label on a row of its own (``Nama Wajib Pajak``), the name on the row under it
            name_index, name_segment = below, _first_value_cell(body[below])
            labelled_name = (name_index, name_segment)
        name_segments = [name_segment, *_name_continued(body, name_index, name_segment, stops)]
        name_index += len(name_segments) - 1
        labelled_name = (name_index, name_segment)
        fields["nama"] = make_field(
            name_text(" ".join(s.text for s in name_segments)), name_segments
        )
        name_end = name_index + 1
    else:
        # the name has no label: it is the text between the number and the NIK line (or the
        # first line after the number on cards without a NIK line)
        name_end = nik_index if nik_index is not None else min([1, *stops])
        # a caption alone (``ALAMAT`` printed small over the address) is no name
        # nor is an address's row (the name's row lost: ``BR. DINAS KAJA RT 003 RW 006``)
        name_lines = [
            v for v in body[:name_end] if not _caption_alone(v) and not _address_row(v.text)
        ]
        lost = [i for i, v in enumerate(name_lines) if _number_row_without_number(v)]
        if lost:
            name_lines = name_lines[lost[-1] + 1 :]
        if nik_index is not None:
            pitch = CAPTIONED_PITCH if captioned else NAME_PITCH
            near = _rows_above(name_lines, body[nik_index], pitch)
            if not near and name_lines and number_index is not None and not body_above:
                # the name printed right under the number, far above the NIK line (a design
                # printing the NIK line in another band of the card)
                near = _rows_under(name_lines, views[number_index])
            name_lines = near
        under = _under_nik_line(body, 0, nik_start) if nik_index == 0 else 0
        if not name_lines and under and _name_row(body, under, stops):
            # the NIK line printed right under the number (as the current card prints it): the
            # name is the row under the NIK line, the address under the name
            name_lines = [body[under]]
            name_end = under + 1
        if not name_lines and number_index is not None and not body_above:
            name_lines = _name_above(views[:number_index], views[number_index])
        if (
            nik_index is None
            and name_end == 1
            and name_lines == body[:1]
            and _wraps(body, ocr.card_size[0], stops)
        ):
            name_lines, name_end = body[:2], 2  # a long name wrapped under its first row
        if name_lines:
            segments = [_first_value_cell(v) for v in name_lines]
            fields["nama"] = make_field(name_text(" ".join(s.text for s in segments)), segments)
    if nik_index is not None:
        view = body[nik_index]
        segment = _value_cell(view, nik_start)
        if not segment.text.strip(" :") and _number_under(body, nik_index):
            # the label alone, printed small above the number (a design that labels every
            # value so): the number is the row under it
            nik_index += 1
            segment = _first_value_cell(body[nik_index])
        digits = digits_only(segment.text)
        fields["nik"] = make_field(digits if len(digits) >= 10 else None, [segment])
    address_start = max(
        [
            i + 1
            for i in (nik_index, labelled_name[0] if labelled_name else None, name_end - 1)
            if i is not None
        ],
        default=name_end,
    )
    address_end = min(
        [i for i in (kpp_index, registered_index) if i is not None and i >= address_start],
        default=len(body),
    )
    if address_end == address_start and address_start == kpp_index:
        # the tax office printed above the address: the address runs from it to the next row
        # of another field (the registration date, a NIK line under the address)
        address_start = kpp_index + 1
        address_end = min(
            [i for i in (nik_index, registered_index) if i is not None and i >= address_start],
            default=len(body),
        )
    address_lines = body[address_start:address_end]
    if address_lines:
        segments = []
        for view in address_lines:
            labelled = _labelled(view, ADDRESS_LABELS)
            segments.append(labelled if labelled is not None else _first_value_cell(view))
        address = places.unglue_regency(clean_address(" ".join(s.text for s in segments)))
        fields["alamat"] = make_field(address, segments)
    beside = _labels_over_values(body, kpp_index)
    if beside is not None:  # the office's and the date's labels over their values
        kpp_segment, date_segment = beside
        if date_segment is not None and registered_index in (None, kpp_index):
            fields["tanggal_terdaftar"] = make_field(parse_date(date_segment.text), [date_segment])
            registered_index = None  # the date's label is the caption read with the office's
    office_view = body[kpp_index] if kpp_index is not None else office_above
    if office_view is not None:
        view = office_view
        segment = _value_cell(view, _kpp_value_start(view.text))
        # an office above the number has its row to itself; one in the body may share its row
        # with the date, or have its label over it
        if kpp_index is not None and office_start is not None:
            segment = _value_cell(view, office_start)
        elif kpp_index is not None and beside is not None:
            segment = kpp_segment
        elif (
            kpp_index is not None
            and kpp_index == registered_index
            and segment.start < registered_start < segment.end
        ):
            segment = Segment(view, segment.start, registered_start)
        words = _kind_joined(_unglued_office(segment.text.split()))
        if words and _kpp_word_read([compact(w) for w in words]):
            words = words[1:]  # the KPP word as read; else it was lost ("PRATAMA ...")
        words = _kind_as_printed(words)
        # an office's name ends in no mark: a dot after it is the card's, or a speck
        # nor an apostrophe: a speck over the office's name (``PRA'TAMA``)
        name = clean_alpha(" ".join(words)).rstrip(" .,").replace("'", "")
        name = places.join_split_words(name)
        name = places.split_glued_words(name)
        fields["kpp"] = make_field(" ".join([KPP_WORD, *name.split()]), [segment])
    if registered_index is not None:
        view = body[registered_index]
        match = match_label(view.text[registered_start:], REGISTERED_LABELS, min_score=70.0)
        # from the label's end: a day ``1`` after the colon is no colon look-alike to skip
        segment = _value_cell(view, registered_start + (match.label_end if match else 0))
        if office_start is not None and kpp_index == registered_index:
            segment = Segment(view, segment.start, min(segment.end, office_start))
        fields["tanggal_terdaftar"] = make_field(parse_date(segment.text), [segment])
    if not (fields.get("tanggal_terdaftar") and fields["tanggal_terdaftar"].value):
        lone = _lone_date(body, nik_index)
        if lone is not None:  # its label lost: the one date an NPWP prints is its registration
            fields["tanggal_terdaftar"] = make_field(parse_date(lone.text), [lone])
    return {name: fields[name] for name in FIELD_NAMES if name in fields}


def _name_continued(
    body: list[LineView], name_index: int, name: Segment, stops: list[int]
) -> list[Segment]:
    """The wrapped rest of a labelled name (``NAMA : RADEN AJENG SRI KUSUMAWARDHANI
    PRAMESWARI`` with ``NINGRUM`` under it; a long name wraps to a second row, never a third):
    a row of letters only under the name, starting where the name's value starts, with no label
    of its own, between the name's row and the address's own label. Without the address
    labelled after it, such a row may be the address's first (a design that labels only the
    name), and it stays there."""
    below = name_index + 1
    if below + 1 >= len(body) or below in stops or _labels_a_field(body[below]):
        return []
    if _labelled(body[below + 1], ADDRESS_LABELS) is None:
        return []
    row = _first_value_cell(body[below])
    if not row.text.strip() or any(not (c.isalpha() or c in " .,'-") for c in row.text.strip()):
        return []
    starts = [t.box[0] for s in (name, row) for t in s.tokens()[:1] if t.box is not None]
    height = text_height(body[name_index])
    if len(starts) == 2 and height > 0 and abs(starts[0] - starts[1]) > height:
        return []  # not under the name's value: a caption, the address's lost label's row
    return [row]


def _lone_date(body: list[LineView], nik_index: int | None) -> Segment | None:
    """The one word of the card's body, outside the NIK line, written as a date
    (``14-12-2011``, ``19/07/2013``); None when there is none or more than one."""
    found = [
        Segment(view, token.start, token.end)
        for index, view in enumerate(body)
        if index != nik_index
        for token in view.tokens
        if DATE_WORD.match(view.text[token.start : token.end].strip(" .,:"))
    ]
    return found[0] if len(found) == 1 and parse_date(found[0].text) else None


# Words that open an address row, never a name's (``verification.textfix`` abbreviations and
# their spelled-out forms).
STREET_WORDS = frozenset(
    {"JL", "JLN", "JALAN", "GG", "GANG", "PERUM", "PERUMAHAN", "KOMP", "KOMPLEK", "KOMPLEKS"}
    | {"DUSUN", "DSN", "DS", "DESA", "KP", "KAMPUNG", "BLOK", "LR", "LORONG", "RT", "RW"}
    | {"KEL", "KELURAHAN", "KEC", "KECAMATAN", "KAB", "KABUPATEN", "KOTA"}
)


# Of the card's width: a name's row reaching this far right is a long name, which may wrap.
WRAPPED_NAME_RIGHT = 0.65


def _wraps(body: list[LineView], width: int, stops: list[int]) -> bool:
    """Whether the first row of a card with no NIK line and no labels (the name's) is a long
    name wrapped onto the row under it (``SYARIFAH FATIMAH AZZAHRA KHADIJAH BINTI`` over
    ``HUSEIN ASSEGAF``): the first row reaches far right across the card, the second is a row
    of letters alone (no digits, no address word) starting under the first, printed right
    under it, and the row after it, if any, opens the address (a street word, an RT/RW or
    digits) or is another field's. Otherwise the second row is the address's first."""
    if width <= 0 or not _name_row(body, 1, stops) or _address_row(body[1].text):
        return False
    first, second = body[0], body[1]
    height = text_height(first)
    lefts = [v.tokens[0].box for v in (first, second) if v.tokens and v.tokens[0].box]
    rights = [t.box[0] + t.box[2] for t in first.tokens if t.box is not None]
    if height <= 0 or len(lefts) != 2 or not rights or max(rights) < WRAPPED_NAME_RIGHT * width:
        return False
    if abs(lefts[0][0] - lefts[1][0]) > height:
        return False
    if row_centre(second) - row_centre(first) > NAME_PITCH * height:
        return False
    if len(body) == 2 or 2 in stops:
        return True
    third = body[2].text
    words = third.replace(".", " ").split()
    return (
        any(c.isdigit() for c in third)
        or _address_row(third)
        or bool(words and compact(words[0]) in STREET_WORDS)
    )


def _name_row(body: list[LineView], index: int, stops: list[int]) -> bool:
    """Whether ``body[index]`` can be an unlabelled name: a row of letters, no digits, not
    another field's row and not opening as an address does."""
    if index >= len(body) or index in stops:
        return False
    text = body[index].text
    words = text.replace(".", " ").split()
    return (
        bool(words)
        and not any(c.isdigit() for c in text)
        and sum(c.isalpha() for c in text) >= MIN_ROW_LETTERS
        and compact(words[0]) not in STREET_WORDS
        and not any(_labelled(body[index], labels) for labels in BODY_LABELS)
    )


def _unlabelled_nik_index(body: list[LineView], kpp_index: int | None) -> int | None:
    """The NIK line whose label was lost (a caption printed small over it, gone on a photo):
    a row of a NIK's digits alone above the tax office (under the name, or right under the
    number as the current card prints it)."""
    end = kpp_index if kpp_index is not None else len(body)
    for index in range(end):
        text = body[index].text
        if len(digits_only(text)) in NIK_LENGTHS and not _lettered(text):
            return index
    return None


def _under_nik_line(body: list[LineView], index: int, start: int) -> int:
    """The row under the NIK line at ``body[index]``: under its number, when the line is the
    NIK's caption alone with the number under it."""
    caption = not _value_cell(body[index], start).text.strip(" :")
    return index + (2 if caption and _number_under(body, index) else 1)


def _under_nik_caption(views: list[LineView], index: int) -> bool:
    """Whether ``views[index]`` is the number under the NIK's caption printed alone over it
    (not the NPWP's number, on a read that lost the number's row)."""
    if index == 0:
        return False
    start = _nik_value_start(views[index - 1])
    return (
        start is not None
        and not _value_cell(views[index - 1], start).text.strip(" :")
        and _number_under(views, index - 1)
    )


# An RT or RW number (``RT 003``, ``RW.006``, ``RT.003/RW.007``) or the pair written ``003/007``:
# an address's, never in a holder's name.
_ADDRESS_MARK = re.compile(r"(?<![A-Z])R[TW]\.? ?\d{2,3}(?!\d)|(?<!\d)\d{3}/\d{3}(?!\d)")


def _address_row(text: str) -> bool:
    return _ADDRESS_MARK.search(text.upper()) is not None


def _caption_alone(view: LineView) -> bool:
    """A row holding a label of the card's body and nothing else (a word one letter off a
    label longer than four letters: ``ALAMAI``; never a name a letter off one, ``NAMAN``)."""
    text = compact(view.text)
    return any(
        Levenshtein.distance(text, label := compact(variant)) <= (1 if len(label) > 4 else 0)
        for labels in BODY_LABELS
        for variants in labels.values()
        for variant in variants
    )


def _number_under(body: list[LineView], index: int) -> bool:
    """Whether the row under ``body[index]`` is a NIK's number alone."""
    if index + 1 >= len(body):
        return False
    text = body[index + 1].text
    return len(digits_only(text)) >= NIK_DIGITS - 2 and not _lettered(text)


UNDER_SLACK = 1.5  # text heights: a value printed under its label starts this close to it


def _labels_over_values(
    body: list[LineView], index: int | None
) -> tuple[Segment, Segment | None] | None:
    """The tax office's label alone on its row (``KANTOR PELAYANAN PAJAK``, and the date's
    label beside it: ``TERDAFTAR``), its value on the row under it: the office's name (up to
    where the date's label starts) and the date under the date's label. None for any other
    design."""
    if index is None or index + 1 >= len(body):
        return None
    view = body[index]
    office = _office_label(view.text) or _office_caption(view.text)
    if office is None:
        return None
    rest = view.text[office.value_start :].strip(" :")
    date_label = match_label(rest, REGISTERED_LABELS, min_score=70.0) if rest else None
    if rest and (date_label is None or rest[date_label.label_end :].strip(" :")):
        return None  # a value after the label: read on its own row
    label_left = view.tokens[0].box[0] if view.tokens and view.tokens[0].box else None
    date_token = next(
        (t for t in view.tokens if t.start >= office.value_start and t.box is not None), None
    )
    below = body[index + 1]
    height = text_height(below) or 1.0
    if label_left is None:
        return None
    date_left = date_token.box[0] if date_token is not None and date_token.box else None
    office_tokens = [
        t
        for t in below.tokens
        if t.box is not None
        and t.box[0] >= label_left - UNDER_SLACK * height
        and (date_left is None or t.box[0] < date_left - UNDER_SLACK * height / 2)
    ]
    if not office_tokens:
        return None
    office_segment = Segment(below, office_tokens[0].start, office_tokens[-1].end)
    if date_left is None:
        return office_segment, None
    date_tokens = [
        t
        for t in below.tokens
        if t.box is not None and t.box[0] >= date_left - UNDER_SLACK * height
    ]
    date_segment = (
        Segment(below, date_tokens[0].start, date_tokens[-1].end) if date_tokens else None
    )
    return office_segment, date_segment


def _office_caption(text: str) -> LabelMatch | None:
    """The ``KPP`` word alone as a caption (a design that labels every value above it), the
    date's label beside it or not: ``KPP    TANGGAL TERDAFTAR``."""
    words = text.split()
    if not words or compact(words[0]) != KPP_WORD:
        return None
    end = text.index(words[0]) + len(words[0])
    rest = text[end:].strip(" :")
    label = match_label(rest, REGISTERED_LABELS, min_score=70.0) if rest else None
    if rest and (label is None or rest[label.label_end :].strip(" :")):
        return None
    return LabelMatch(key="kpp", score=100.0, label_end=end, value_start=skip_separators(text, end))


NAME_PITCH = 3.5  # text heights from one printed row's centre to the next at most
CAPTIONED_PITCH = 2 * NAME_PITCH  # with a caption's row (lost on the read) between
# A row of the name is between half and two and a half times the height of the row under it
# (the name is printed larger than the NIK line); anything else is a speck or a logo.
SPECK_SHARE = 0.5
LOGO_SHARE = 2.5


NUMBER_LABEL_LENGTH = 5  # letters of the number's label as read, ``NPWP`` give or take one


MIN_ROW_LETTERS = 3  # a row of fewer letters and no digits is a speck or a pattern read as text


def _speck_row(view: LineView) -> bool:
    """A row no field prints: two letters or fewer and no digit (an emblem or a coloured band
    read as ``NO`` or ``on``; a name has three letters at least), or words printed up the card
    (a side panel's ``NPWP`` set sideways: each word taller than it is long)."""
    text = compact(view.text)
    if not any(c.isdigit() for c in text) and len(text) < MIN_ROW_LETTERS:
        return True
    boxes = [t.box for t in view.tokens if t.box is not None]
    return bool(boxes) and all(box[3] > SIDEWAYS * box[2] for box in boxes)


SIDEWAYS = 1.5  # a word this many times taller than long runs up the card


# Labelled rows above the number that make them the card's body: one may be a speck of the
# header band read as a label (``ama winter`` over a DJP band, taken for ``Nama``).
MIN_BODY_ROWS_ABOVE = 2


def _labels_a_field(view: LineView) -> bool:
    """A row of the card's body by its label (name, NIK, address, tax office, registration),
    wherever the number is."""
    if view.region in ("header", "npwp") or _is_header(view):
        return False
    return (
        _nik_value_start(view) is not None
        or _kpp_match(view) == 2
        or any(_labelled(view, labels) is not None for labels in BODY_LABELS)
    )


def _number_row_without_number(view: LineView) -> bool:
    """A short label and a colon with no letters after it (``nw : 000``, ``npwe :``): the
    number's row with the number lost or misread, never a row of the name, which has no label.
    """
    label, colon, value = view.text.partition(":")
    return (
        bool(colon)
        and len(label.split()) == 1
        and len(compact(label)) <= NUMBER_LABEL_LENGTH
        and not any(c.isalpha() for c in value)
    )


def _number_row_misread(view: LineView) -> bool:
    """The first row under the header holding digits in a run (``an all 469 b- (UN``,
    ``An 059 041 7 101 000``) where no number was read: the number's row read as no number.
    A name prints no digits, and every other row with digits (an address) comes after it."""
    return any(len(run) >= 2 for run in re.findall(r"\d+", view.text)) and (
        sum(c.isdigit() for c in view.text) >= 3
    )


def _name_above(above: list[LineView], number: LineView) -> list[LineView]:
    """The name printed above the number, on a card whose number is followed straight away by
    the NIK line, the tax office or the date: the rows right above the number, past the
    number's own label (``Nomor Pokok Wajib Pajak``), short of the header and any labelled
    row."""
    anchor, rows = number, list(above)
    while rows and _is_header(rows[-1]):  # the number's label
        anchor = rows.pop()
    kept: list[LineView] = []
    for row in reversed(rows):
        if (
            row.region in ("header", "npwp")
            or _is_header(row)
            or _speck_row(row)
            or _labels_a_field(row)
            or any(c.isdigit() for c in row.text)
        ):
            break
        kept.insert(0, row)
    return _rows_above(kept, anchor) if kept else []


def _rows_under(rows: list[LineView], above: LineView) -> list[LineView]:
    """The first of ``rows`` when it is printed right under ``above`` (the number), and the
    rows one after another under it (a name wrapped over two lines): rows of letters alone, as
    tall as a row of text."""
    kept: list[LineView] = []
    anchor = above
    for row in rows:
        height, above_height = text_height(row), text_height(anchor)
        if height <= 0 or above_height <= 0 or any(c.isdigit() for c in row.text):
            break
        if not SPECK_SHARE * above_height <= height <= LOGO_SHARE * above_height:
            break
        if row_centre(row) - row_centre(anchor) > NAME_PITCH * min(height, above_height):
            break
        kept.append(row)
        anchor = row
    return kept


def _rows_above(rows: list[LineView], below: LineView, pitch: float = NAME_PITCH) -> list[LineView]:
    """The rows printed right above ``below``, one after another: a name printed over one or
    two lines sits on the NIK line. Text far above it (a logo read as letters, when the number
    line between was not read), much smaller (a speck of the background pattern) or much larger
    (the emblem) is not part of the name."""
    kept: list[LineView] = []
    anchor = below
    for row in reversed(rows):
        height, below_height = text_height(row), text_height(anchor)
        if height <= 0 or below_height <= 0:  # a read without word boxes: nothing to measure
            return rows
        if not SPECK_SHARE * below_height <= height <= LOGO_SHARE * below_height:
            break  # a speck of the pattern or a logo read as letters, not a row of the name
        if row_centre(anchor) - row_centre(row) > pitch * min(height, below_height):
            break
        kept.insert(0, row)
        anchor, pitch = row, NAME_PITCH  # a wrapped name's rows sit one under the other
    return kept
