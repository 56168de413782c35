"""KTP-el front side: every field, from the card's rows (domain-rules 3.5), by what they say.

No template: each field is found by its label (fuzzy, with or without a colon, glued or not),
and its value is the text right of the label up to the next column (``verification.parsing
.cells``). Rows above the first label are the header (province, then the regency). A row without
a label that starts under the value above it continues a wrapping value (name, address...).
A row whose label cannot be read (a label-like word in the label column, a value in the value
column) or whose label was lost takes a missing row's place by the printed order, when exactly
as many rows are missing between the label rows around it.
Text of other columns (under the photo) is collected on the side: the issue date is a date that
belongs to no label, and the issue place is printed right above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import groupby, pairwise
from statistics import median

from rapidfuzz import fuzz

from ocr_gpu.lines import union_box
from ocr_gpu.result import Line, OcrResult, Word
from verification import enums, nik, places
from verification.fields import Field
from verification.parsing import (
    LabelMatch,
    LineView,
    Segment,
    Token,
    make_field,
    match_label,
)
from verification.parsing.cells import Cell, cell_at, row_centre, split_cells, text_height
from verification.regions import snap_province
from verification.textfix import (
    DATE_WORD,
    clean_address,
    clean_alpha,
    compact,
    digits_only,
    fix_digits,
    fix_roman,
    name_text,
    parse_date,
)

FIELD_NAMES = (
    "provinsi",
    "kabupaten_kota",
    "nik",
    "nama",
    "tempat_lahir",
    "tanggal_lahir",
    "jenis_kelamin",
    "golongan_darah",
    "alamat",
    "rt_rw",
    "kel_desa",
    "kecamatan",
    "agama",
    "status_perkawinan",
    "pekerjaan",
    "kewarganegaraan",
    "berlaku_hingga",
    "tempat_diterbitkan",
    "tanggal_diterbitkan",
)

# Label rows in printed order; the key is the row, not always the field (see _ROW_PARSERS).
ROW_LABELS: dict[str, tuple[str, ...]] = {
    "nik": ("NIK",),
    "nama": ("Nama",),
    "lahir": ("Tempat/Tgl Lahir", "Tempat/Tanggal Lahir", "Tempat Lahir"),
    "jenis_kelamin": ("Jenis Kelamin",),
    "alamat": ("Alamat",),
    "rt_rw": ("RT/RW",),
    "kel_desa": ("Kel/Desa", "Kelurahan/Desa"),
    "kecamatan": ("Kecamatan",),
    "agama": ("Agama",),
    "status_perkawinan": ("Status Perkawinan",),
    "pekerjaan": ("Pekerjaan",),
    "kewarganegaraan": ("Kewarganegaraan",),
    "berlaku_hingga": ("Berlaku Hingga",),
}
ROW_ORDER = tuple(ROW_LABELS)
# Tried only when no full label matches: OCR sometimes keeps just the first label word.
PARTIAL_LABELS: dict[str, tuple[str, ...]] = {
    "status_perkawinan": ("Status",),
    "lahir": ("Tgl Lahir", "Tgl. Lahir"),  # ``Tempat/`` lost in a faint print
}
WRAPPING_ROWS = frozenset({"nama", "alamat", "kel_desa", "kecamatan", "pekerjaan", "lahir"})
BLOOD_LABELS = {"gol": ("Gol. Darah", "Golongan Darah", "Darah")}
# Rows some designs print apart from the row that holds them on a KTP-el: the birth date under
# the birth place, the blood group under the sex. In the printed order each stands with the row
# that holds it on the KTP-el.
SPLIT_ROWS = {
    "tanggal_lahir": ("Tanggal Lahir",),
    "golongan_darah": ("Gol. Darah", "Golongan Darah"),
}
SPLIT_FROM = {"tanggal_lahir": "lahir", "golongan_darah": "jenis_kelamin"}
SPLIT_ROW_SCORE = 85.0
PROVINCE_LABEL = {"provinsi": ("PROVINSI",)}
LIFETIME = "SEUMUR HIDUP"
NIK_LENGTH = 16
MAX_NIK_WORDS = 4  # the digits may come back split into a few words
REGENCY_PREFIXES = ("KABUPATEN", "KOTA")

MIN_CONTINUATION_CONFIDENCE = 40.0
# An address that wraps right after its house-number word (``... GG. BERSAMA NO.``) carries the
# number alone on the next line (``9``): the one value a one-character line may continue.
NUMBER_WORDS = frozenset({"NO", "NO.", "NOMOR"})
JUNK_TAIL_CONFIDENCE = 50.0
ALIGN_HEIGHTS = 2.0  # a wrapped value starts within this many text heights of the value above
WRAP_GAP_HEIGHTS = 2.6  # and sits at most this many text heights below it


def _nik_field(segments: list[Segment]) -> Field:
    """Digits of the NIK; when the read has a stray extra word, the run of words that gives
    exactly 16 digits (one speck such as a misread colon) is taken."""
    digits = digits_only(_join(segments))
    if len(digits) != NIK_LENGTH and len(segments) == 1:
        segment = segments[0]
        tokens = segment.tokens()
        runs = {
            (tokens[i].start, tokens[j].end)
            for i in range(len(tokens))
            for j in range(i, min(i + MAX_NIK_WORDS, len(tokens)))
            if len(digits_only(" ".join(t.text for t in tokens[i : j + 1]))) == NIK_LENGTH
        }
        found = {digits_only(segment.line.text[a:b]) for a, b in runs}
        if len(found) == 1:
            start, end = min(runs)
            segments = [Segment(segment.line, max(start, segment.start), min(end, segment.end))]
            digits = found.pop()
    return make_field(digits if len(digits) >= 10 else None, segments)


def _reads_as_label(text: str) -> bool:
    """Letters of a label's length, the way an unreadable label still reads (``Tempes Tg Lahw``)."""
    letters = sum(c.isalpha() for c in text)
    return 3 <= letters <= 25 and letters >= 0.7 * len(text.replace(" ", ""))


def _value_left(row: _Row) -> int | None:
    """Where the value of a label row starts (None: no value on the row)."""
    assert row.match is not None
    index = cell_at(row.cells, row.match.value_start)
    return (
        None if index is None else Cell(row.view, row.match.value_start, row.cells[index].end).left
    )


def _column(lefts: Sequence[int | None]) -> float | None:
    """Where a column starts: the median left edge of its cells."""
    known = sorted(left for left in lefts if left is not None)
    return float(median(known)) if known else None


def _order(key: str | None) -> int:
    """The row's place in the printed order (past the last row: not a row of it)."""
    key = SPLIT_FROM.get(key or "", key)
    return ROW_ORDER.index(key) if key in ROW_ORDER else len(ROW_ORDER)


def _is_date_line(text: str) -> bool:
    return parse_date(text) is not None and sum(c.isdigit() for c in fix_digits(text)) >= 6


@dataclass
class _Row:
    view: LineView
    cells: list[Cell]
    match: LabelMatch | None = None
    label_cell: int = 0  # index of the cell the label starts in
    # a value printed beside others under a row of labels, its own label lost: a row of its
    # own, never the wrapped tail of the value above
    own_row: bool = False
    # a caption printed over its value, joined with it: its label is a label however weakly it
    # was matched (the caption stood alone on its row), never a wrapped value's tail
    captioned: bool = False


def _label_in(view: LineView, cell: Cell) -> LabelMatch | None:
    """The label ``cell`` opens with, its offsets in the row's text."""
    text = view.text[cell.start :]
    match = (
        match_label(text, SPLIT_ROWS, min_score=SPLIT_ROW_SCORE)
        or match_label(text, ROW_LABELS)
        or match_label(text, PARTIAL_LABELS, min_score=100.0)
    )
    if match is None:
        return None
    return LabelMatch(
        key=match.key,
        score=match.score,
        label_end=cell.start + match.label_end,
        value_start=cell.start + match.value_start,
    )


def _match_row(view: LineView, cells: list[Cell]) -> tuple[LabelMatch | None, int]:
    """The row's label, read from its first cell (or the second, when the first is a speck)."""
    for index, cell in enumerate(cells[:2]):
        if index == 1 and sum(c.isalnum() for c in cells[0].text) > 2:
            break
        match = _label_in(view, cell)
        if match is not None:
            return match, index
    return None, 0


MIN_COLUMN_ROWS = 3  # label rows whose labels' left edges give the label column


class _Reader:
    """Walks the rows top to bottom: header, label rows with wrapped values, other columns."""

    def __init__(self, rows: list[_Row], has_geometry: bool) -> None:
        self.rows = rows
        self.geometry = has_geometry
        self.values: dict[str, list[Segment]] = {}
        self.value_left: dict[str, int | None] = {}
        self.header: list[LineView] = []
        self.side: list[Cell] = []  # cells of other columns (issue place and date)
        # rows since the last label row that read like a label row whose label is unreadable
        # (``Remout te Laha  KUPANG, 29-05-1976``), or a value whose label was lost: each with
        # its value
        self.pending: list[tuple[_Row, Cell]] = []
        labelled = [r for r in rows if r.match is not None and r.match.key != "nik"]
        self.label_left = _column([r.cells[r.label_cell].left for r in labelled])
        self.value_column = _column([_value_left(r) for r in labelled])

    def run(self) -> None:
        first = next((i for i, r in enumerate(self.rows) if r.match is not None), len(self.rows))
        self.header = [r.view for r in self.rows[:first]]
        current: str | None = None
        previous: _Row | None = None
        for row in self.rows[first:]:
            if (
                row.match is not None
                and row.match.key not in SPLIT_ROWS  # printed apart on some designs
                and not row.captioned
                and not row.view.text[row.match.value_start :].strip(" :")
                and self._beyond_values(row, row.cells[row.label_cell])
            ):
                # a word alone far right of the values that reads like a label is another
                # column's text (``AGAM``, the issue place under the photo, reads as ``Agama``)
                self.side.extend(row.cells)
            elif row.match is not None and not self._reads_as_continuation(row, current, previous):
                self._settle(current, row.match.key)
                current = self._take_label_row(row)
            elif current in WRAPPING_ROWS and self._continues(row, current, previous):
                self.values[current].append(row.cells[0].segment)
                self.side.extend(row.cells[1:])
            else:
                current = self._take_other_row(row, current)
            previous = row
        self._settle(current, None)

    def _settle(self, before: str | None, after: str | None) -> None:
        """Rows with an unreadable or lost label between the label rows ``before`` and
        ``after``: a row that can only be one row by what it says takes it (``_by_content``);
        when the others are as many as the rows missing between those two in the card's
        printed order, each is the next missing row (the order of a KTP's rows never changes);
        otherwise their text is left to the other columns."""
        pending, self.pending = self.pending, []
        if not pending:
            return
        start = _order(before) + 1
        stop = _order(after)
        # a row that can only be one row by what it says takes it, whatever the order
        pending = [(row, cell) for row, cell in pending if not self._by_content(row, cell)]
        missing = [key for key in ROW_ORDER[start:stop] if not self.values.get(key)]
        if len(missing) != len(pending):
            for row, _ in pending:
                self.side.extend(row.cells)
            return
        for key, (row, cell) in zip(missing, pending, strict=True):
            end = len(row.view.text) if key == "jenis_kelamin" else cell.end
            self.values[key] = [Segment(row.view, cell.start, end)]
            self.value_left[key] = cell.left
            self.side.extend(c for c in row.cells if c.start >= end)

    def _by_content(self, row: _Row, cell: Cell) -> bool:
        """A row the printed order cannot place (a grid read across its two columns, labels
        lost on a photo) that can only be one row: a sex (``LAKI-LAKI`` alone, the blood group
        after it) or a birth place and date (``SEMARANG, 27 AGUSTUS 1996``), where that row is
        still missing. Whether it was taken."""
        text = cell.text.strip()
        key = None
        if _a_sex(text):
            key = "jenis_kelamin"
        elif "," in text and parse_date(text[text.rfind(",") + 1 :]) is not None:
            key = "lahir"
        if key is None or self.values.get(key) or (key == "lahir" and len(text.split()) > 6):
            return False
        end = len(row.view.text) if key == "jenis_kelamin" else cell.end
        self.values[key] = [Segment(row.view, cell.start, end)]
        self.value_left[key] = cell.left
        self.side.extend(c for c in row.cells if c.start >= end)
        return True

    def _reads_as_continuation(self, row: _Row, current: str | None, previous: _Row | None) -> bool:
        """A weak label match on a line aligned under a wrapping value is the value's tail
        (a name such as ``AGAMA SARI`` on the second line)."""
        return (
            row.match is not None
            and not row.captioned
            and row.match.score < 90
            and current in WRAPPING_ROWS
            and self.geometry
            and self._aligned(row.cells[0], current)
            and self._close_below(row, previous)
        )

    def _take_label_row(self, row: _Row) -> str:
        assert row.match is not None
        key = row.match.key
        self.side.extend(row.cells[: row.label_cell])  # a speck, or another column's text
        index = cell_at(row.cells, row.match.value_start)
        if (
            index is not None
            and index > row.label_cell
            and self._beyond_values(row, row.cells[index])
        ):
            self.side.extend(row.cells[index:])  # the value lost, another column's text after it
            index = None
        if index is None:  # label without a value on this row
            self.values.setdefault(key, [])
            self.value_left.setdefault(key, None)
            return key
        if key == "nik":
            digit_cells = [c for c in row.cells[index:] if sum(ch.isdigit() for ch in c.text) >= 6]
            end = (digit_cells[0] if digit_cells else row.cells[index]).end
            segment = Segment(row.view, row.match.value_start, end)
            rest = [c for c in row.cells[index + 1 :] if c.end > end]
        elif key == "jenis_kelamin":
            # the blood group shares the row: keep the row whole, up to a place's name far right
            # of the values (the place of issue under the photo, printed on the sex's row)
            rest = []
            for cell in reversed(row.cells[index + 1 :]):
                if not self._beyond_values(row, cell) or not self._place_beside(cell):
                    break
                rest.insert(0, cell)
            end = rest[0].start if rest else len(row.view.text)
            segment = Segment(row.view, row.match.value_start, end)
        else:
            segment = Segment(row.view, row.match.value_start, row.cells[index].end)
            rest = row.cells[index + 1 :]
        if key not in self.values or not self.values[key]:
            self.values[key] = [segment]
            self.value_left[key] = Cell(row.view, segment.start, segment.end).left
        self.side.extend(rest)
        return key

    def _take_other_row(self, row: _Row, current: str | None) -> str | None:
        if row.own_row:  # a grid value under a lost label: placed when the rows settle
            self.pending.append((row, row.cells[0]))
            return current
        colon = row.view.text.find(":")
        first = row.cells[0]
        # the colon inside the first cell (``Agams: HINDU``), or opening the next one when the
        # value column starts far right of an unreadable label (``Alened   :JL. SUDIRMAN``)
        in_label = colon < first.end or (
            len(row.cells) > 1
            and row.cells[1].text.lstrip().startswith(":")
            and _reads_as_label(first.text)
        )
        label = row.view.text[first.start : max(colon, first.start)]
        garbled_label = (
            0 <= colon < 30
            and in_label
            and not _is_date_line(label)
            and not self._beyond_values(row, first)  # ``Diterbitkan:`` under the photo
        )
        if garbled_label and self.pending:  # in order behind rows still unplaced
            index = cell_at(row.cells, colon + 1)
            if index is not None:
                start = max(colon + 1, row.cells[index].start)
                self.pending.append((row, Cell(row.view, start, row.cells[index].end)))
                return current
        if garbled_label:
            key = self._next_missing(current)
            if key is not None:
                start = colon + 1
                while start < len(row.view.text) and row.view.text[start] == " ":
                    start += 1
                index = cell_at(row.cells, start)
                end = row.cells[index].end if index is not None else len(row.view.text)
                self.values[key] = [Segment(row.view, start, end)]
                # where the value starts, as a read label's value does: the rows under it
                # continue it only when they start there
                self.value_left[key] = Cell(row.view, start, end).left
                self.side.extend(row.cells[index + 1 :] if index is not None else [])
                return key
        value = self._value_cell(row)
        if value is not None:
            self.pending.append((row, value))
        else:
            self.side.extend(row.cells)
        return current

    @staticmethod
    def _place_beside(cell: Cell) -> bool:
        """A cell reading as a place's name: letters, more than a blood group has, and no
        blood group's label (``Gol. Darah``)."""
        text = cell.text.strip(" :.,")
        return (
            sum(c.isalpha() for c in text) > MAX_BLOOD_CHARS
            and not any(c.isdigit() for c in text)
            and match_label(text, BLOOD_LABELS) is None
        )

    def _beyond_values(self, row: _Row, cell: Cell) -> bool:
        """Whether ``cell`` starts far right of the value column: another column's text (the
        place and date of issue under the photo), no value of the label rows."""
        height = text_height(row.view) or 1.0
        column = self.value_column
        return (
            self.geometry
            and column is not None
            and cell.left is not None
            and cell.left > column + BEYOND_VALUES * height
        )

    def _value_cell(self, row: _Row) -> Cell | None:
        """The value of a row that reads like a label row with an unreadable label (a label in
        the label column, then a value in the value column, a column's gap apart or not), or of
        a lone value in the value column whose label was lost; None for any other row."""
        if not self.geometry:
            return None
        value_left, height = self.value_column, text_height(row.view) or 1.0
        if value_left is None or self.label_left is None:
            return None

        def at(cell: Cell, column: float) -> bool:
            return cell.left is not None and abs(cell.left - column) <= ALIGN_HEIGHTS * height

        first = row.cells[0]
        if at(first, value_left) and sum(c.isalnum() for c in first.text) >= 2:
            return first
        slack = ALIGN_HEIGHTS * height
        # a garbled label whose first letters were lost starts right of the label column
        inside = first.left is not None and self.label_left < first.left < value_left - slack
        if not (at(first, self.label_left) or (inside and len(row.cells) > 1)):
            return None
        if len(row.cells) > 1:
            if _reads_as_label(first.text) and at(row.cells[1], value_left):
                return row.cells[1]
            return None
        tokens = first.tokens()  # label and value read as one cell (``Kpowganega ama WN``)
        for index, token in enumerate(tokens[1:], start=1):
            value = Cell(row.view, token.start, first.end)
            label = row.view.text[first.start : tokens[index - 1].end]
            if at(value, value_left) and _reads_as_label(label):
                return value
        return None

    def _next_missing(self, current: str | None) -> str | None:
        after = _order(current) + 1 if current is not None else 0
        for key in ROW_ORDER[after:]:
            if key not in self.values:
                return key
        return None

    def _aligned(self, cell: Cell, key: str) -> bool:
        left, value_left = cell.left, self.value_left.get(key)
        if left is None or value_left is None:
            return True
        height = text_height(cell.view) or 1.0
        return abs(left - value_left) <= ALIGN_HEIGHTS * height

    def _close_below(self, row: _Row, previous: _Row | None) -> bool:
        if previous is None or not self.geometry:
            return True
        height = text_height(row.view) or 1.0
        return row_centre(row.view) - row_centre(previous.view) <= WRAP_GAP_HEIGHTS * height

    def _house_number(self, current: str, text: str) -> bool:
        above = " ".join(s.text for s in self.values[current]).split()
        ends_with_number_word = bool(above) and above[-1] in NUMBER_WORDS
        return current == "alamat" and text.strip().isdigit() and ends_with_number_word

    def _continues(self, row: _Row, current: str, previous: _Row | None) -> bool:
        """Whether an unlabelled row reads like the wrapped tail of the value above."""
        if row.own_row or current not in self.values or not self.values[current]:
            return False
        cell = row.cells[0]
        tokens = cell.tokens()
        text = cell.text
        confidence = sum(t.confidence for t in tokens) / len(tokens) if tokens else 0.0
        if confidence < MIN_CONTINUATION_CONFIDENCE:
            return False
        if sum(c.isalnum() for c in text) < 2 and not self._house_number(current, text):
            return False
        if ":" in text[:20] or _is_date_line(text):
            return False
        if _listed(text) not in (None, current):
            return False  # another row's listed value (``SEUMUR HIDUP``) never wraps from this one
        if current == "nama" and any(c.isdigit() or c == "/" for c in text):
            return False  # a name has neither: a misread caption or the birth row under it
        if not self.geometry:
            return True
        return self._aligned(cell, current) and self._close_below(row, previous)


def parse_ktp(ocr: OcrResult) -> dict[str, Field]:
    views = [LineView(line) for line in ocr.lines if line.text.strip()]
    rows = []
    for view in views:
        cells = split_cells(view)
        if not cells:
            continue
        match, label_cell = _match_row(view, cells)
        rows.append(_Row(view, cells, match, label_cell))
    has_geometry = bool(ocr.card_size and ocr.card_size[0] > 0)
    side: list[Cell] = []
    if has_geometry:
        rows, side = _photo_at_left(rows, ocr.card_size[0])
        # with the photo's column on the left, text on the right of the card is a value's (a
        # label's value there does not make it a caption over the next row)
        far = float(ocr.card_size[0]) if side else FAR_RIGHT * ocr.card_size[0]
        rows, apart = _unstacked(rows, ocr.card_size[0])
        side.extend(apart)
        rows, beside = _labels_above_values(rows, far)
        side.extend(beside)
    rows = [part for row in rows for part in _pairs_split(row)]
    _one_nik_row(rows)
    _label_lost_nik(rows)
    reader = _Reader(rows, has_geometry)
    reader.side.extend(side)
    reader.run()
    if has_geometry and _labels_read(reader) < MIN_LABEL_ROWS:
        by_order = _by_order(rows, FAR_RIGHT * ocr.card_size[0])
        if by_order is not None:
            reader.values.update(by_order[0])
            reader.side = by_order[1]
    _by_vocabulary(reader)
    _rt_rw_by_shape(reader, rows)
    _blood_beside_sex(reader)
    fields: dict[str, Field] = {}
    fields.update(_header_fields(reader.header))
    fields.update(_row_fields(reader.values))
    _citizen_by_sex(fields)
    # a design printing the issue place and date above the photo: the place's row stands above
    # the first label with the header's, and is the place only as the row right above the date
    above = [cell for view in reader.header for cell in split_cells(view)] if has_geometry else []
    fields.update(_issue_fields(reader.side, has_geometry, fields, above))
    return {name: fields[name] for name in FIELD_NAMES if name in fields}


# A foreigner's card prints the holder's sex in English (``MALE``, ``FEMALE``) and their country
# on the citizenship row; a card whose sex reads in Indonesian is a citizen's, and a short read
# of its citizenship row that is not ``WNI`` (``IN``, ``WHH``, ``WWANI``: three letters blurred
# on a hard photo) is ``WNI``. A longer read (a country's name) is kept as read.
MAX_BLURRED_CITIZENSHIP = 5
ENGLISH_SEX = "MALE"  # in ``FEMALE`` too


def _citizen_by_sex(fields: dict[str, Field]) -> None:
    sex, citizenship = fields.get("jenis_kelamin"), fields.get("kewarganegaraan")
    if sex is None or not sex.value or citizenship is None or not citizenship.value:
        return
    if ENGLISH_SEX in compact(sex.raw) or citizenship.value == enums.WNI:
        return
    if len(compact(citizenship.value)) <= MAX_BLURRED_CITIZENSHIP:
        fields["kewarganegaraan"] = replace(citizenship, value=enums.WNI)


# A photo of a design that prints its labels small (captions over the values) may lose all of
# them: with fewer label rows than this read, the values are placed by what they say and the
# order a KTP prints them in (``_by_order``).
MIN_LABEL_ROWS = 3
_RT_RW_WORD = re.compile(r"^\d{3}/\d{3}$")
SEXES = frozenset(compact(sex) for sex in enums.JENIS_KELAMIN)
RELIGIONS = frozenset(compact(a) for a in (*enums.AGAMA, *enums.AGAMA_VARIANTS))
STATUSES = frozenset(compact(s) for s in enums.STATUS_PERKAWINAN)


# The rows whose values come from a closed list (``enums``): a value that is one of these says
# which row it is wherever it was read. The occupations' list is not closed (a card may print
# any), so an occupation read is only taken for a missing one.
def _vocabulary() -> dict[str, frozenset[str]]:
    lists = {
        "jenis_kelamin": SEXES,
        "agama": RELIGIONS,
        "status_perkawinan": STATUSES,
        "kewarganegaraan": frozenset({enums.WNI}),
        "berlaku_hingga": frozenset({compact(LIFETIME)}),
        "pekerjaan": frozenset(compact(job) for job in enums.PEKERJAAN),
    }
    # a word on two lists says nothing
    return {
        key: frozenset(w for w in words if not any(w in o for k, o in lists.items() if k != key))
        for key, words in lists.items()
    }


VOCABULARY = _vocabulary()
MOVABLE_ROWS = ("agama", "status_perkawinan", "kewarganegaraan", "berlaku_hingga", "pekerjaan")
MAX_VALUE_WORDS = 4  # the longest listed value (``TENTARA NASIONAL INDONESIA (TNI)``)


def _listed(text: str) -> str | None:
    """The row whose list holds ``text`` whole, if any."""
    word = compact(text)
    return next((key for key, words in VOCABULARY.items() if word in words), None)


def _by_vocabulary(reader: _Reader) -> None:
    """Values placed by what they say where the labels could not place them: a value taken for
    one row that is another row's listed value (``CERAI MATI`` read after a lost ``Pekerjaan``
    caption, ``SEUMUR HIDUP`` on the ``Kewarganegaraan`` row of a design printing captions over
    values) moves to that row, or is dropped where that row has its value; then text left on
    the side (``CERAI MATI  WIRASWASTA`` on a row whose caption was lost) fills the rows still
    missing, a run of words that is a listed value at a time."""
    for key, segments in list(reader.values.items()):
        # a name or an address may be a listed word; the sex's row carries its blood group
        if not segments or key not in MOVABLE_ROWS:
            continue
        listed = _listed(_join(segments))
        if listed is None or listed == key:
            continue
        reader.values[key] = []
        if not reader.values.get(listed):
            reader.values[listed] = segments
    kept: list[Cell] = []
    for cell in reader.side:
        tokens = cell.tokens()
        start = 0
        taken: list[tuple[int, int]] = []
        while start < len(tokens):
            for stop in range(min(len(tokens), start + MAX_VALUE_WORDS), start, -1):
                run = tokens[start:stop]
                listed = _listed(" ".join(t.text for t in run))
                if listed is not None and not reader.values.get(listed):
                    reader.values[listed] = [Segment(cell.view, run[0].start, run[-1].end)]
                    taken.append((start, stop))
                    start = stop
                    break
            else:
                start += 1
        if sum(stop - start for start, stop in taken) < len(tokens):
            kept.append(cell)
    reader.side = kept


def _rt_rw_by_shape(reader: _Reader, rows: list[_Row]) -> None:
    """The RT/RW where its label was lost or misread (``RT/D0 002/001``, a blurred caption, or
    ``005/004`` on a row of its own, read as the address's last words): no other value a KTP
    prints is written ``NNN/NNN``, so the one word of the card so written is the RT/RW. Its row
    leaves the address it was taken for (a wrapped line of it). Two such words, or none, leave
    the row unread."""
    if reader.values.get("rt_rw"):
        return
    found = [
        (row.view, token)
        for row in rows
        for token in row.view.tokens
        if _RT_RW_WORD.match(token.text.strip(".,:;"))
    ]
    if len(found) != 1:
        return
    view, token = found[0]
    reader.values["rt_rw"] = [Segment(view, token.start, token.end)]
    address = reader.values.get("alamat") or []
    kept = []
    for index, segment in enumerate(address):
        if segment.line is view and segment.start <= token.start < segment.end:
            if index > 0:
                continue  # a row of its own read as the address's wrapped line, caption and all
            segment = Segment(view, segment.start, token.start)
        kept.append(segment)
    if address:
        reader.values["alamat"] = kept


MAX_BLOOD_CHARS = 3  # ``AB+``


def _blood_beside_sex(reader: _Reader) -> None:
    """A blood group read beside the sex but apart from it (a design printing the two side by
    side under their captions, the group in the photo's half of the card) is the sex row's
    blood group: a cell holding a blood group and nothing else, right of the sex on its row."""
    sex = reader.values.get("jenis_kelamin")
    if "golongan_darah" in reader.values or not sex:
        return
    sex_boxes = [t.box for t in sex[0].tokens() if t.box is not None]
    if not sex_boxes:
        return
    sex_box = union_box(sex_boxes)
    for cell in reader.side:
        text = cell.text.strip()
        boxes = [t.box for t in cell.tokens() if t.box is not None]
        if not boxes or not 0 < len(text) <= MAX_BLOOD_CHARS:
            continue
        box = union_box(boxes)
        if (
            box[0] > sex_box[0] + sex_box[2]
            and abs(_middle(box) - _middle(sex_box)) <= sex_box[3] / 2
            and enums.snap_golongan_darah(text) is not None
        ):
            reader.values["golongan_darah"] = [cell.segment]
            reader.side.remove(cell)
            return


def _middle(box: tuple[int, int, int, int]) -> float:
    return box[1] + box[3] / 2


def _labels_read(reader: _Reader) -> int:
    return sum(1 for key, segments in reader.values.items() if key != "nik" and segments)


Stream = list[tuple[int, LineView, Token]]


def _segments(items: Stream) -> list[Segment]:
    """The words of ``items`` as one segment per row."""
    out: list[Segment] = []
    for _, group in groupby(items, key=lambda item: item[0]):
        words = list(group)
        out.append(Segment(words[0][1], words[0][2].start, words[-1][2].end))
    return out


# The words of the labels: a caption's word read among the values (``BERTAKU``) is no value.
# Words of five letters and more: shorter ones are a name's as often (``RAMA``, ``NAMA``).
CAPTION_WORD_LETTERS = 5
LABEL_WORDS = frozenset(
    compact(word)
    for labels in (*ROW_LABELS.values(), *SPLIT_ROWS.values(), *BLOOD_LABELS.values())
    for label in labels
    for word in label.split()
    if len(compact(word)) >= CAPTION_WORD_LETTERS
)
CAPTION_WORD_SCORE = 80.0
# Words of the listed values (``TANGGA`` of ``MENGURUS RUMAH TANGGA``, close to the caption
# word ``TANGGAL``): read as they are spelled, they are the value's, never a caption's.
VALUE_WORDS = (
    frozenset(
        compact(word)
        for values in (enums.PEKERJAAN, enums.STATUS_PERKAWINAN, enums.AGAMA, enums.JENIS_KELAMIN)
        for value in values
        for word in value.split()
    )
    - LABEL_WORDS
)


def _caption_word(token: Token) -> bool:
    word = compact(token.text)
    return (
        len(word) >= CAPTION_WORD_LETTERS
        and word not in VALUE_WORDS
        and any(fuzz.ratio(word, label) >= CAPTION_WORD_SCORE for label in LABEL_WORDS)
    )


NAME_LIKE_LABEL = 60.0  # a row this close to a label is a caption, however it was misread


def _name_like(text: str) -> bool:
    """A row that can be the holder's name: upper-case letters (the card prints values in
    capitals, its captions not always), no digit, no slash, and not a label alone."""
    return (
        sum(c.isalpha() for c in text) >= MIN_PLACE_LETTERS
        and text == text.upper()
        and not any(c.isdigit() or c == "/" for c in text)
        and not _caption_like(text)
    )


def _caption_like(text: str) -> bool:
    """A row that is a caption, however misread: a label and nothing after it (a name's first
    word may be as close to a label: ``RAHMAT ARDIANSYAH`` to ``Alamat``), or words in lower
    case (captions are printed in mixed case, values in capitals)."""
    if any(c.islower() for c in text):
        return True
    for labels in (ROW_LABELS, SPLIT_ROWS, BLOOD_LABELS):
        match = match_label(text, labels, min_score=NAME_LIKE_LABEL)
        if match is not None and not text[match.value_start :].strip(" :.,"):
            return True
    return False


_PLACE_AND_DATE = re.compile(r"^[A-Z][A-Z .'-]*[A-Z],\s*" + DATE_WORD.pattern.removeprefix("^"))


def _birth_date_word(text: str) -> bool | None:
    """Whether a word of the birth row is its date: ``False`` for the date alone, ``True`` for
    the place and date read as one word (``MOJOKERTO,14-07-1992``: a photo loses the space after
    the comma), None for any other word."""
    text = text.strip(" ,.")
    if DATE_WORD.match(text):
        return False
    return True if _PLACE_AND_DATE.match(text.upper()) else None


def _by_order(rows: list[_Row], far: float) -> tuple[dict[str, list[Segment]], list[Cell]] | None:
    """The values of a KTP whose labels were lost, from the words under the NIK's row in
    reading order (another column's text, right of ``far``, apart): a value that says what it
    is anchors its field (the birth place and date, the sex, the RT/RW, the religion, the
    marital status, ``WNI``), and the free text between two anchors is the field the card
    prints between them (the name above the birth row, the address under the sex, the
    village and district between the RT/RW and the religion as the rows they are printed on,
    the occupation before ``WNI``, the validity after it). None without a NIK row and a birth
    row under it."""
    nik = next(
        (i for i, r in enumerate(rows) if r.match is not None and r.match.key == "nik"), None
    )
    if nik is None:
        return None
    stream: Stream = []
    cell_of: list[tuple[int, int]] = []  # the row and cell each word of the stream was read in
    side: list[Cell] = []
    for number, row in enumerate(rows[nik + 1 :]):
        # a caption that was read (``RT/RW`` over its value) is no value's word
        label_end = row.match.value_start if row.match is not None else 0
        for index, cell in enumerate(row.cells):
            if cell.left is not None and cell.left >= far:
                side.append(cell)
                continue
            kept = [t for t in cell.tokens() if t.end > label_end and not _caption_word(t)]
            stream.extend((number, row.view, token) for token in kept)
            cell_of.extend([(number, index)] * len(kept))
    words = [compact(token.text) for _, _, token in stream]

    def find(start: int, test: Callable[[int], bool]) -> int | None:
        return next((k for k in range(start, len(stream)) if test(k)), None)

    birth = find(0, lambda k: _birth_date_word(stream[k][2].text) is not None)
    if birth is None:
        return None
    alone = _birth_date_word(stream[birth][2].text) is False
    if alone and (birth == 0 or stream[birth - 1][0] != stream[birth][0]):
        return None  # no place printed before the date on its row
    birth_row = stream[birth][0]
    row_start = next(k for k in range(len(stream)) if stream[k][0] == birth_row)
    values: dict[str, list[Segment]] = {"lahir": _segments(stream[row_start : birth + 1])}
    # the name: the nearest row above the birth row that is not a caption (``Gol. Darah``
    # printed over the blood group sits between them on some designs)
    for number in sorted({item[0] for item in stream[:row_start]}, reverse=True):
        above = [item for item in stream[:row_start] if item[0] == number]
        text = " ".join(t.text for _, _, t in above)
        if _name_like(text):
            values["nama"] = _segments(above)
        if not _caption_like(text):
            break
    at = birth + 1
    sex = find(at, lambda k: words[k] in SEXES)
    if sex is not None:
        values["jenis_kelamin"] = _segments([stream[sex]])
        at = sex + 1
        if (
            at < len(stream)
            and stream[at][0] == stream[sex][0]
            and enums.snap_golongan_darah(stream[at][2].text) is not None
        ):
            values["golongan_darah"] = _segments([stream[at]])
            at += 1
    rt_rw = find(at, lambda k: bool(_RT_RW_WORD.match(stream[k][2].text)))
    if rt_rw is not None:
        if sex is not None and at < rt_rw:
            values["alamat"] = _segments(stream[at:rt_rw])
        values["rt_rw"] = _segments([stream[rt_rw]])
        at = rt_rw + 1
    religion = find(at, lambda k: words[k] in RELIGIONS)
    if religion is not None:
        between = _segments(stream[at:religion]) if rt_rw is not None else []
        if len(between) == 1:  # on one row: the village and the district as its two cells
            between = _cell_segments(stream[at:religion], cell_of[at:religion])
        if len(between) == 2:  # the village on the RT/RW's row or under it, then the district
            values["kel_desa"], values["kecamatan"] = [between[0]], [between[1]]
        values["agama"] = _segments([stream[religion]])
        at = religion + 1
    status = find(at, lambda k: words[k] in STATUSES or "".join(words[k : k + 2]) in STATUSES)
    citizen = find(at, lambda k: words[k] == enums.WNI)
    if status is not None:
        length = 2 if "".join(words[status : status + 2]) in STATUSES else 1
        values["status_perkawinan"] = _segments(stream[status : status + length])
        if citizen is not None and status + length < citizen:
            values["pekerjaan"] = _segments(stream[status + length : citizen])
    if citizen is not None:
        values["kewarganegaraan"] = _segments([stream[citizen]])
        line = stream[citizen][0]
        rest = [item for item in stream[citizen + 1 :] if item[0] == line]
        lifetime = find(citizen + 1, lambda k: "".join(words[k : k + 2]) == compact(LIFETIME))
        if not rest and lifetime is not None and stream[lifetime][0] == line + 1:
            # a grid of three columns: the occupation and the validity on the row under ``WNI``
            if "pekerjaan" not in values and lifetime > citizen + 1:
                values["pekerjaan"] = _segments(stream[citizen + 1 : lifetime])
            rest = stream[lifetime : lifetime + 2]
        if rest:
            values["berlaku_hingga"] = _segments(rest)
    return values, side


def _cell_segments(items: Stream, cells: list[tuple[int, int]]) -> list[Segment]:
    """The words of ``items`` (one row's) as one segment per cell they were read in."""
    out: list[Segment] = []
    for _, group in groupby(zip(items, cells, strict=True), key=lambda pair: pair[1]):
        words = [item for item, _ in group]
        out.append(Segment(words[0][1], words[0][2].start, words[-1][2].end))
    return out


PAIRED_LABEL_SCORE = 90.0
SEX_BY_CONTENT = 85.0  # a row taken for the sex by what it says: its first word this close


def _pairs_split(row: _Row) -> list[_Row]:
    """A row printing two labels with their values (``RT/RW: 002/009   KEL/DESA: BARATAJAYA``,
    ``KEWARGANEGARAAN: WNI   BERLAKU HINGGA: SEUMUR HIDUP``) as two rows, in the printed
    order; any other row as it is. The sex's row keeps its blood group (``_sex_and_blood``)."""
    if row.match is None or row.match.key in ("nik", "jenis_kelamin"):
        return [row]
    start = cell_at(row.cells, row.match.value_start)
    if row.match.key == "golongan_darah":
        # from the label's own cell: a blood group is one letter, often lost on a read, and its
        # label is then followed straight away by the next label's cell (``Gol. Darah
        # Kewarganegaraan : WNI``)
        start = cell_at(row.cells, max(row.match.label_end - 1, 0))
    if start is None:
        return [row]
    for index in range(max(start, row.label_cell) + 1, len(row.cells)):
        match = _label_in(row.view, row.cells[index])
        if (
            match is not None
            and match.label_end <= row.cells[index].end  # the label opens this cell
            and match.key in ROW_LABELS
            and match.key not in (row.match.key, "nik")
            and match.score >= PAIRED_LABEL_SCORE
            and row.view.text[match.value_start :].strip(" :")
        ):
            return [_joined_row(row.cells[:index]), *_pairs_split(_joined_row(row.cells[index:]))]
    return [row]


# Of the card's width: a label column starting right of this leaves the card's left to the photo
# (and the place and date of issue under it), whose text is no part of the rows beside it.
PHOTO_LEFT = 0.18
# Rows of text a photo column holds beside the labels: the issue place and date, and marks of
# the portrait and the signature read as letters. More, and the text on the left is the label
# column whose labels were lost (a design printing a second column of captions further right,
# ``GOL. DARAH`` over ``O``), not a photo's.
MAX_PHOTO_ROWS = 6
COLUMN_SLACK = 0.03  # of the card's width: labels of one column start this close together


def _photo_at_left(rows: list[_Row], width: int) -> tuple[list[_Row], list[Cell]]:
    """The rows without the text of a photo column left of the labels (a design with the photo
    on the left: ``DEPOK`` and ``12 DES 2017`` under it read into the rows beside), and that
    text apart. Rows above the first label (the header, across the whole card) are kept."""
    labelled = [
        (index, left)
        for index, row in enumerate(rows)
        if row.match is not None and (left := row.cells[row.label_cell].left) is not None
    ]
    lefts = sorted(left for _, left in labelled)
    slack = COLUMN_SLACK * width
    # the first (leftmost) column of labels two or more rows share: a design in two columns
    # has its second further right, and a word misread as a label stands alone
    column = next((x for x in lefts if sum(abs(y - x) <= slack for y in lefts) >= 2), None)
    if len(labelled) < MIN_COLUMN_ROWS or column is None or column < PHOTO_LEFT * width:
        return rows, []
    out: list[_Row] = rows[: labelled[0][0]]
    side: list[Cell] = []
    cut_rows = 0
    for row in rows[labelled[0][0] :]:
        height = text_height(row.view)
        cells, cut = [], []
        for cell in row.cells:
            parts = _cut_at(cell, column - height / 2)
            cells.extend(parts)
            cut.extend(parts[:-1])
        apart = [
            c
            for c in cells
            if (c.right is not None and c.right < column - height) or any(c is p for p in cut)
        ]
        if not apart:
            out.append(row)
            continue
        cut_rows += 1
        side.extend(apart)
        kept = [c for c in cells if all(c is not a for a in apart)]
        if kept:
            out.append(_joined_row(kept))
    if cut_rows > MAX_PHOTO_ROWS:
        return rows, []
    return out, side


def _cut_at(cell: Cell, x: float) -> list[Cell]:
    """``cell`` in two before a label starting right of ``x`` where words start left of it:
    the photo column's text read into the row's label a narrow gap apart (``BANDAR LAMPUNG
    Agama:``)."""
    tokens = [t for t in cell.tokens() if t.box is not None]
    at = next((i for i, t in enumerate(tokens) if t.box is not None and t.box[0] >= x), 0)
    if at == 0:
        return [cell]
    rest = Cell(cell.view, tokens[at].start, cell.end)
    if _label_in(cell.view, rest) is None:
        return [cell]
    return [Cell(cell.view, cell.start, tokens[at - 1].end), rest]


MIN_STACK_CAPTIONS = 2  # labels alone that start one column of a stacked design
STACK_REACH = 0.25  # of the card's width: a column's values start no further right of it
STACK_GAP = 0.15  # of the card's width: a stacked design's columns of captions at least apart


def _caption(row: _Row, cell: Cell) -> bool:
    """``cell`` is a label alone (a caption printed small over its value)."""
    match = _label_in(row.view, cell)
    return match is not None and not row.view.text[match.value_start : cell.end].strip(" :")


def _unstacked(rows: list[_Row], width: int) -> tuple[list[_Row], list[Cell]]:
    """A design printing its captions over their values in two columns, each a stack of its
    own whose rows do not line up with the other's (``NAMA`` over ``ELISABETH`` at the left,
    ``JENIS KELAMIN`` over ``PEREMPUAN`` at the right, a little lower): a row of the read then
    holds a caption of one column and a value of the other (``KOMP. DEPKES NO. 66   ISLAM``),
    and no caption has its value on the next row. Such rows are taken apart into their columns,
    each column's pieces top to bottom, the left column's first, as the pairs a caption and its
    value make. Rows that hold captions alone, or values alone, are kept as they are: the
    two columns then line up, and a row of captions is over the row of their values."""
    first = next(
        (i for i, row in enumerate(rows) if row.match is not None and row.match.key != "nik"),
        None,
    )
    if first is None:
        return rows, []
    body = rows[first:]
    slack = COLUMN_SLACK * width
    lefts = sorted(
        left
        for row in body
        for cell in row.cells
        if (left := cell.left) is not None and _caption(row, cell)
    )
    groups: list[list[int]] = []
    for left in lefts:
        if groups and left - groups[-1][-1] <= slack:
            groups[-1].append(left)
        else:
            groups.append([left])
    columns = [group[0] for group in groups if len(group) >= MIN_STACK_CAPTIONS]
    # columns of a stacked design stand far apart; labels a little right of the others are the
    # KTP-el's indented ``RT/RW``, ``Kel/Desa`` and ``Kecamatan``, not a column of their own
    gap = STACK_GAP * width
    columns = [x for i, x in enumerate(columns) if i == 0 or x - columns[i - 1] >= gap]
    if len(columns) < 2:
        return rows, []

    starts: list[int | None] = list(columns)

    def column_of(cell: Cell) -> int | None:
        left = cell.left
        if left is None or left > columns[-1] + STACK_REACH * width:
            return None  # far right of the last column: the photo's text
        found = [i for i, x in enumerate(columns) if left >= x - slack]
        return found[-1] if found else None  # None: left of the columns

    def pieces(row: _Row) -> list[Cell]:
        # a value and the other column's caption a narrow gap apart on a tilted photo
        # (``TANJUNG DUREN UTARA KEWARGANEGARAAN``) are cut apart; a value running into the
        # next column with no caption after it (an address) is kept whole
        out: list[Cell] = []
        for cell in row.cells:
            split = _split_at_labels(cell, starts, slack)
            caption_after = any(_caption(row, piece) for piece in split[1:])
            out.extend(split if caption_after else [cell])
        return out

    def mixed(row: _Row) -> bool:
        cells = [cell for cell in row.cells if column_of(cell) is not None]
        captions = [_caption(row, cell) for cell in cells]
        return any(captions) and not all(captions) and len({column_of(cell) for cell in cells}) >= 2

    if not any(mixed(row) for row in body):
        return rows, []
    stacks: list[list[Cell]] = [[] for _ in columns]
    side: list[Cell] = []
    for row in body:
        for cell in pieces(row):
            column = column_of(cell)
            if column is None:
                side.append(cell)  # the photo's text (the place and date of issue)
            else:
                stacks[column].append(cell)
    out = rows[:first]
    for stack in stacks:
        stack.sort(key=lambda cell: cell.top or 0)
        out.extend(_joined_row([cell]) for cell in stack)
    return out, side


BEYOND_VALUES = 10.0  # text heights right of the value column: another column's text
GRID_ROW_GAP = 2.2  # label heights from a row of labels' centre to its values' at most
GRID_VALUE_LABEL_SCORE = 85.0


def _labels_above_values(rows: list[_Row], far: float) -> tuple[list[_Row], list[Cell]]:
    """A design that prints each label small above its value, in one or two columns with no
    colons (``TEMPAT LAHIR   TANGGAL LAHIR`` over ``BANDUNG   14.07.1976``): each row of labels
    and the row of values under it become one row per label, the label's words followed by
    the words of the value that starts under it, as a KTP-el prints them. Text of another
    column on those rows (the issue place and date under the photo) is returned apart. Rows
    that are no such pair are kept as they are."""
    out: list[_Row] = []
    side: list[Cell] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        labels = _labels_alone(row, far)
        # a row of the photo's column alone (a mark of the portrait read as a letter) may come
        # between the captions and their values: the values are on the next row left of it
        next_index = index + 1
        while next_index < len(rows) and labels and _beyond(rows[next_index], far):
            next_index += 1
        below = rows[next_index] if next_index < len(rows) else None
        under = _values_under(labels, row, below, far) if labels and below is not None else None
        if under is None:
            next_index = index + 1
            below = rows[next_index] if next_index < len(rows) else None
        boxed = _boxed_blood(row, below) if below is not None and under is None else None
        if boxed is not None:  # the blood group in its box under its label
            out.append(boxed[0])
            rows[index + 1 : index + 2] = boxed[1]
            index += 1
            continue
        if labels is None or below is None or under is None:
            out.append(row)
            index += 1
            continue
        values, orphans, beyond, lost = under
        if orphans:  # a row whose label is lost: its place is told by the printed order
            out.append(_joined_row(orphans))
            out[-1].own_row = True
        for (label, _), value, extra in zip(labels, values, lost, strict=True):
            out.append(_captioned_row(label, value))
            if extra:  # the next row's value, its caption lost: placed by the printed order
                out.append(_joined_row(extra))
                out[-1].own_row = True
        side.extend(c for c in row.cells if c.left is not None and c.left >= far)
        side.extend(c for skipped in rows[index + 1 : next_index] for c in skipped.cells)
        side.extend(beyond)
        index = next_index + 1
    return out, side


def _beyond(row: _Row, far: float) -> bool:
    """Every cell of ``row`` starts at or right of ``far``: the photo's column."""
    return all(c.left is not None and c.left >= far for c in row.cells)


def _captioned_row(label: Cell, value: list[Cell]) -> _Row:
    """A caption and the value under it as one row, its label a label however weakly it was
    matched (``Tempat/fgl Lahr``: it stood alone on its row), never a wrapped value's tail."""
    joined = _joined_row([label, *value])
    joined.captioned = True
    return joined


def _boxed_blood(row: _Row, below: _Row) -> tuple[_Row, list[_Row]] | None:
    """``GOL. DARAH`` printed small over a box holding the group, beside another row's text
    (the NIK's): the label joined with the value under it (or alone: the dash was lost), and
    the rest of the two rows as one row (the NIK's number, taller than the label, may have
    been read on the label's line). None unless the row ends with the blood group's label
    alone."""
    label = row.cells[-1]
    match = match_label(label.text, BLOOD_LABELS, min_score=SPLIT_ROW_SCORE)
    left, right = label.left, label.right
    if match is None or label.text[match.value_start :].strip(" :") or left is None:
        return None
    assert right is not None
    height = text_height(row.view) or 1.0
    if row_centre(below.view) - row_centre(row.view) > GRID_ROW_GAP * 2 * height:
        return None  # no box under the label: the next row is the card's next row
    under = [c for c in below.cells if c.centre_x is not None and left <= c.centre_x <= right]
    if len(under) > 1 or (under and enums.snap_golongan_darah(under[0].text) is None):
        return None
    taken = {id(c) for c in under}
    rest = [c for c in [*row.cells[:-1], *below.cells] if id(c) not in taken]
    rest.sort(key=lambda c: c.left if c.left is not None else 0)
    spans = [(c.left, c.right) for c in rest if c.left is not None and c.right is not None]
    if any(a[1] > b[0] for a, b in pairwise(spans)):
        rest_rows = [_joined_row(row.cells[:-1])] if len(row.cells) > 1 else []
        rest_rows.append(_joined_row([c for c in below.cells if id(c) not in taken]))
    else:
        rest_rows = [_joined_row(rest)] if rest else []
    joined = _joined_row([label, *under])
    label_end = len(" ".join(t.text for t in label.tokens()))
    # the label as read (``DARAH`` alone, its ``GOL.`` lost) names the row, as it did above
    joined.match = LabelMatch("golongan_darah", match.score, label_end, label_end)
    joined.label_cell = 0
    return joined, rest_rows


def _labels_alone(row: _Row, far: float) -> list[tuple[Cell, LabelMatch]] | None:
    """The labels of a row of labels alone, left to right, each with no value after it (text
    right of ``far``, another column's, aside); None when the row holds anything else."""
    found: list[tuple[Cell, LabelMatch]] = []
    count = 0  # the cells holding labels alone
    for cell in row.cells:
        if _far_right([cell], far):
            break  # the photo's column: a place under it may read as a label (``AGAM``)
        start = cell.start
        while start < cell.end:
            match = _label_in(row.view, Cell(row.view, start, cell.end))
            if match is None:
                break
            rest = row.view.text[match.value_start : cell.end]
            following = match_label(rest, ROW_LABELS) or match_label(rest, SPLIT_ROWS)
            if rest.strip(" :") and following is None:
                if start > cell.start:
                    return None  # a label's value after labels in one cell
                break  # a cell opening with a label's word: text, not a label alone
            found.append((Cell(row.view, start, match.label_end), match))
            start = match.value_start if rest.strip(" :") else cell.end
        if start < cell.end:
            break
        count += 1
    if not found or not _far_right(row.cells[count:], far):
        return None  # a value, or any other text short of the photo's column, on the row
    return found


# Of the card's width: text starting right of this is the photo's column (the place and date of
# issue under the photo), never a value of the label rows.
FAR_RIGHT = 0.6


def _far_right(cells: list[Cell], far: float) -> bool:
    return all(cell.left is not None and cell.left >= far for cell in cells)


def _values_under(
    labels: list[tuple[Cell, LabelMatch]], row: _Row, below: _Row, far: float
) -> tuple[list[list[Cell]], list[Cell], list[Cell], list[list[Cell]]] | None:
    """The cells of ``below`` that start under each label, a cell left of them all (the value
    of a label in the column before, lost on a photo), the cells of another column right of
    them, and for each label a cell after its value and before the next label's column (the
    value of the one row the card prints between the two, its caption lost: ``JOYOTAKAN``
    between ``RT/RW`` and ``Kecamatan``); None when ``below`` is no row of values printed
    under the labels (too far down, or other text between the labels' columns)."""
    # labels are printed small (small capitals): the values' height measures the rows
    height = max(text_height(row.view), text_height(below.view)) or 1.0
    lefts = [label.left for label, _ in labels]
    if any(left is None for left in lefts) or not below.cells or _labels_alone(below, far):
        return None
    if (
        below.match is not None
        and below.match.key != "nik"  # ``NI KADEK SUPRAPTI``: a Balinese name, not ``NIK``
        and below.match.score >= GRID_VALUE_LABEL_SCORE
        and cell_at(below.cells, below.match.value_start) != below.label_cell
    ):
        # a label with its value a column's gap after it: a KTP-el's row, not a value (a
        # value opening with a label's word, ``AGAMA SARI``, is read as one piece)
        return None
    if any(match.key == "nik" for _, match in labels) and not _number_under_nik(labels, below):
        return None  # the NIK's label: its number follows it, or stands alone under it
    if row_centre(below.view) - row_centre(row.view) > GRID_ROW_GAP * height:
        return None
    slack = ALIGN_HEIGHTS * height
    values: list[list[Cell]] = [[] for _ in labels]
    lost: list[list[Cell]] = [[] for _ in labels]
    orphans: list[Cell] = []
    beyond: list[Cell] = []  # another column's text (the photo's), left to the side
    first = min(x for x in lefts if x is not None)
    for cell in (piece for c in below.cells for piece in _split_at_labels(c, lefts, slack)):
        left = cell.left
        if left is None:
            continue
        # the column whose span holds the cell's left edge: from its label's left edge to the
        # next label's (a value's first letters lost on a photo start it further right)
        column = next(
            (
                i
                for i in range(len(lefts) - 1, -1, -1)
                if (x := lefts[i]) is not None and left >= x - slack
            ),
            None,
        )
        if column is not None and not values[column]:
            values[column].append(cell)
        elif (
            column is not None
            and column + 1 < len(labels)
            and not lost[column]
            and _rows_between(labels[column][1].key, labels[column + 1][1].key) == 1
        ):
            lost[column].append(cell)
        elif column == len(labels) - 1 and not lost[column] and _a_sex(cell.text):
            # the sex beside the birth row, its caption (``Jenis Kelamin``) lost: it can only
            # be the sex's row (``_Reader._by_content``)
            lost[column].append(cell)
        elif left < first - slack and not any(values) and not orphans:
            orphans.append(cell)  # the value of a label left of these that could not be read
        elif _far_right([cell], far):
            beyond.append(cell)
        else:
            return None  # text between the columns: no value printed under its label
    # a value between two columns needs the next column's own value after it
    if not values[0] or any(lost[i] and not values[i + 1] for i in range(len(labels) - 1)):
        return None
    return values, orphans, beyond, lost


def _a_sex(text: str) -> bool:
    """``text`` opens with a sex (``PEREMPUAN``, the blood group perhaps after it)."""
    first = compact(text.split()[0]) if text.split() else ""
    return any(fuzz.ratio(first, compact(sex)) >= SEX_BY_CONTENT for sex in enums.JENIS_KELAMIN)


def _rows_between(before: str, after: str) -> int:
    """How many rows the card prints between the label rows ``before`` and ``after``."""
    return max(0, _order(after) - _order(before) - 1)


def _split_at_labels(cell: Cell, lefts: list[int | None], slack: float) -> list[Cell]:
    """``cell`` cut before each word that starts under another label of the row above: two
    values a narrow gap apart (``002/009  TANDANG`` under ``RT/RW  Kel/Desa``) read as one."""
    pieces: list[Cell] = []
    start = cell.start
    tokens = cell.tokens()
    for before, token in pairwise(tokens):
        if before.box is None or token.box is None:
            continue
        if any(x is not None and before.box[0] < x - slack / 2 <= token.box[0] for x in lefts):
            pieces.append(Cell(cell.view, start, before.end))
            start = token.start
    pieces.append(Cell(cell.view, start, cell.end))
    return pieces


def _number_under_nik(labels: list[tuple[Cell, LabelMatch]], below: _Row) -> bool:
    """Whether ``below`` is the NIK's number alone under its label (a design that prints every
    label small above its value, the NIK's too)."""
    return (
        len(labels) == 1
        and len(below.cells) == 1
        and below.match is None
        and len(digits_only(fix_digits(below.cells[0].text))) >= NIK_LENGTH - 2
    )


def _joined_row(cells: list[Cell]) -> _Row:
    """One row of ``cells`` (a label and the value under it), read as a KTP-el prints it."""
    words = [
        Word(text=t.text, confidence=t.confidence, box=t.box)
        for cell in cells
        for t in cell.tokens()
        if t.box is not None
    ]
    box = union_box(w.box for w in words)
    view = LineView(Line(" ".join(w.text for w in words), tuple(words), "page", box))
    cells_of = split_cells(view)
    match, label_cell = _match_row(view, cells_of)
    return _Row(view, cells_of, match, label_cell)


def _one_nik_row(rows: list[_Row]) -> None:
    """A header piece taken for the ``NIK`` label (``IK IND ESIA``: ``REPUBLIK INDONESIA`` read in
    pieces) is no label where a row under it holds both the label and the number: a NIK label
    without a number beside it is a caption over its number only when no row has both."""
    numbered = [
        row
        for row in rows
        if row.match is not None
        and row.match.key == "nik"
        and len(digits_only(row.view.text[row.match.value_start :])) >= NIK_LENGTH - 2
    ]
    if not numbered:
        return
    for row in rows:
        if row.match is not None and row.match.key == "nik" and all(row is not n for n in numbered):
            row.match = None


def _label_lost_nik(rows: list[_Row]) -> None:
    """The NIK row whose label was lost (a shadow over the label column) is still the NIK row:
    the first number row above every label row becomes it, so the rows under it are read as the
    card's rows and not as its header."""
    for row in rows:
        if row.match is not None:
            return
        cell = max(row.cells, key=lambda c: sum(ch.isdigit() for ch in c.text))
        text = row.view.text[cell.start :]
        # read as digits for the most part: a header's letters taken for digits' look-alikes
        # (``PROVINSI JAWA BARAT REPUBLIK INDONESIA``) make no number
        if (
            len(digits_only(text)) >= NIK_LENGTH - 2
            and sum(ch.isdigit() for ch in text) >= NIK_LENGTH // 2
        ):
            row.match = LabelMatch("nik", 0.0, cell.start, cell.start)
            return


def _header_fields(header: list[LineView]) -> dict[str, Field]:
    """``PROVINSI <name>`` and the regency line under it (``KABUPATEN``/``KOTA`` ..., or a
    Jakarta city printed without a prefix); a number line here is a NIK whose label was lost."""
    fields: dict[str, Field] = {}
    after_province: list[LineView] = []
    before_province: list[LineView] = []
    for view in header:
        if sum(c.isdigit() for c in view.text) >= 10:
            if "nik" not in fields:
                fields["nik"] = _nik_field([Segment(view, 0, len(view.text))])
            continue
        match = match_label(view.text, PROVINCE_LABEL, min_score=70.0)
        if match and "provinsi" not in fields:
            # the name ends where its cell does: a card's title may share the line, far right
            cells = split_cells(view, HEADER_GAP)
            index = cell_at(cells, match.value_start)
            end = cells[index].end if index is not None else len(view.text)
            segment = Segment(view, match.value_start, max(end, match.value_start))
            value = snap_province(segment.text) or clean_alpha(segment.text)
            fields["provinsi"] = make_field(value, [segment])
        elif "provinsi" in fields:
            after_province.append(view)
        else:
            before_province.append(view)
    header_cells = [
        c for view in after_province + before_province for c in split_cells(view, HEADER_GAP)
    ]
    for cell in header_cells:
        words = places.unglue_prefix(clean_alpha(cell.text)).split() or cell.text.split()
        if not words:
            continue
        first = compact(words[0])
        prefix = next((p for p in REGENCY_PREFIXES if fuzz.ratio(first, p) >= 75), None)
        if prefix is not None:
            # the name glued to the prefix (``KABUPATENTOBA``, too short a name for
            # ``unglue_prefix`` to tell) is the rest of that word
            glued = first[len(prefix) :] if first.startswith(prefix) else ""
            # a regency's name ends in no mark: a dot after it is a speck of the card
            name = clean_alpha(" ".join([glued, *words[1:]])).rstrip(PLACE_END_MARKS)
            value = _without_speck(places.snap(" ".join([prefix, *name.split()]), "regency"))
            fields["kabupaten_kota"] = make_field(value, [cell.segment])
            break
    if "kabupaten_kota" not in fields:
        city = next(
            (
                c
                for view in after_province
                for c in split_cells(view, HEADER_GAP)[:1]
                if not _title(c.text)
            ),
            None,
        )
        if city is not None and sum(c.isalpha() for c in city.text) >= 4:
            value = places.unglue_city(clean_alpha(city.text))
            value = _without_speck(places.CITY_PREFIX + value).removeprefix(places.CITY_PREFIX)
            fields["kabupaten_kota"] = make_field(value, [city.segment])
    return fields


PLACE_END_MARKS = " .,"  # a place's name ends in a letter: a mark read after it is a speck
MAX_SPECK_LETTERS = 2


def _without_speck(regency: str) -> str:
    """A header's regency without a word of a letter or two read after its name (``JAKARTA
    SELATAN SG``: a speck of the card's pattern), where the name without it is an official one
    and with it is not."""
    words = regency.split()
    if len(words) < 3 or len(words[-1]) > MAX_SPECK_LETTERS:
        return regency
    kept = " ".join(words[:-1])
    if places.is_official(kept, ("regency",)) and not places.is_official(regency, ("regency",)):
        return kept
    return regency


# The header's large words stand well apart on a spaced-out design; a title beside them (``KARTU
# TANDA PENDUDUK`` at the card's right) stands further off than this many text heights.
HEADER_GAP = 4.0
# The card's own title, printed beside or between the header lines on some designs.
TITLE_WORDS = ("KARTU", "TANDA", "PENDUDUK", "REPUBLIK", "INDONESIA")


def _title(text: str) -> bool:
    """Whether ``text`` is only words of the card's title (``KARTU TANDA PENDUDUK``)."""
    words = clean_alpha(text).split()
    return bool(words) and all(
        any(fuzz.ratio(word, title) >= 80 for title in TITLE_WORDS) for word in words
    )


def _join(segments: list[Segment]) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


def _row_fields(values: dict[str, list[Segment]]) -> dict[str, Field]:
    fields: dict[str, Field] = {}
    for key, segments in values.items():
        if not segments:
            if key == "golongan_darah":  # its row read without a value: the dash was lost
                fields.setdefault(key, make_field("-", []))
            continue
        text = _join(segments)
        if key == "nik":
            fields["nik"] = _nik_field(segments)
        elif key == "nama":
            fields["nama"] = make_field(name_text(text), segments)
        elif key == "lahir":
            fields.update(_birth_fields(segments))
        elif key == "jenis_kelamin":
            fields.update(_sex_and_blood(segments[0]))
        elif key == "golongan_darah":
            fields[key] = make_field(_blood_group(text, segments), segments)
        elif key == "tanggal_lahir":
            birth = _birth_fields(segments)  # a place read before it: its label was misread
            fields["tanggal_lahir"] = birth.get("tanggal_lahir") or make_field(None, segments)
            if birth.get("tempat_lahir") is not None and "tempat_lahir" not in fields:
                fields["tempat_lahir"] = birth["tempat_lahir"]
        elif key == "alamat":
            fields["alamat"] = make_field(clean_address(text), segments)
        elif key == "rt_rw":
            fields["rt_rw"] = make_field(parse_rt_rw(text), segments)
        elif key in ("kel_desa", "kecamatan"):
            fields[key] = make_field(fix_roman(clean_alpha(text)), segments)
        elif key == "agama":
            fields["agama"] = make_field(enums.snap_agama(text), segments)
        elif key == "status_perkawinan":
            fields["status_perkawinan"] = make_field(enums.snap_status(text), segments)
        elif key == "pekerjaan":
            fields["pekerjaan"] = make_field(enums.snap_pekerjaan(text), segments)
        elif key == "kewarganegaraan":
            fields["kewarganegaraan"] = make_field(enums.snap_kewarganegaraan(text), segments)
        elif key == "berlaku_hingga":
            fields["berlaku_hingga"] = make_field(parse_validity(text), segments)
    return fields


def parse_rt_rw(text: str) -> str | None:
    """``001/002`` from reads like ``001/002``, ``1 / 2``, ``0011002`` (slash read as 1); a
    number's padding zero read as ``8`` (``011/805``, a blurred zero) is a zero: no RW holds 800
    RTs, nor a village 800 RWs."""
    fixed = fix_digits(text)
    match = re.search(r"(\d{3})\s*[/\\|]\s*(\d{3})", fixed)
    if match:
        return _padded(match.group(1), match.group(2))
    digits = "".join(c for c in fixed if c.isdigit())
    if len(digits) == 6:
        return _padded(digits[:3], digits[3:])
    if len(digits) == 7 and digits[3] == "1":
        return _padded(digits[:3], digits[4:])
    return None


ZERO_READ_AS = "8"  # the padding zero of an RT or RW number, blurred


def _padded(rt: str, rw: str) -> str:
    def number(text: str) -> str:
        return "0" + text[1:] if text.startswith(ZERO_READ_AS) else text

    return f"{int(number(rt)):03d}/{int(number(rw)):03d}"


def parse_validity(text: str) -> str | None:
    """``SEUMUR HIDUP`` or an ISO date."""
    key = compact(text)
    if key and fuzz.ratio(key, compact(LIFETIME)) >= 70:
        return LIFETIME
    return parse_date(text)


def _birth_fields(segments: list[Segment]) -> dict[str, Field]:
    """``<PLACE>, DD-MM-YYYY``: the place may wrap; the date is the trailing digits."""
    first = segments[0]
    text = first.text
    comma = text.rfind(",")
    has_digits = comma >= 0 and any(c.isdigit() for c in text[comma + 1 :])
    split_at = comma if has_digits else _date_start(text)
    if split_at is None:
        place = segments
        return {
            "tempat_lahir": make_field(places.mend_birth_place(clean_alpha(_join(place))), place)
        }
    date_start = split_at + 1 if text[split_at : split_at + 1] == "," else split_at
    place_segment = Segment(first.line, first.start, first.start + split_at)
    date_segment = Segment(first.line, first.start + date_start, first.end)
    place_segments = [place_segment, *segments[1:]]
    return {
        # the separator before the date, a comma read as a dot now and then (``BIAK. 04-09``):
        # no birth place ends in either
        "tempat_lahir": make_field(
            places.mend_birth_place(clean_alpha(_join(place_segments)).rstrip(",.").strip()),
            place_segments,
        ),
        "tanggal_lahir": make_field(parse_date(date_segment.text), [date_segment]),
    }


def _date_start(text: str) -> int | None:
    """Offset where a trailing date starts (first digit of the last digit-bearing run)."""
    match = re.search(
        r"[0-9OoIlSZB]{1,2}\s*[-./]\s*[0-9OoIlSZB]{1,2}\s*[-./]\s*[0-9OoIlSZB]{2,4}\s*$", text
    )
    if match and parse_date(match.group(0)):
        return match.start()
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    return digits[0] if digits and parse_date(text[digits[0] :]) else None


# Of the row's text height: a mark this flat where the blood group is printed is the dash of an
# unknown group, whatever an engine read it as (Tesseract: ``4``, taken for ``A``).
DASH_HEIGHT = 0.35


def _blood_group(text: str, segments: Sequence[Segment]) -> str | None:
    boxes = [t.box for s in segments for t in s.tokens() if t.box is not None]
    height = max((text_height(s.line) for s in segments), default=0.0)
    if boxes and height and all(box[3] < DASH_HEIGHT * height for box in boxes):
        return "-"
    return enums.snap_golongan_darah(text)


def _sex_and_blood(segment: Segment) -> dict[str, Field]:
    """``LAKI-LAKI Gol. Darah : AB+`` -> jenis_kelamin and golongan_darah."""
    view, text = segment.line, segment.text
    blood_at: int | None = None
    blood_match: LabelMatch | None = None
    for token in view.tokens_in(segment.start, segment.end)[1:]:
        local = token.start - segment.start
        if local <= 0:
            continue
        match = match_label(text[local:], BLOOD_LABELS, min_score=65.0)
        if match:
            blood_at, blood_match = local, match
            break
    fields: dict[str, Field] = {}
    sex_end = blood_at if blood_at is not None else len(text)
    sex_segment = Segment(view, segment.start, segment.start + sex_end)
    sex = enums.snap_jenis_kelamin(sex_segment.text)
    if sex is None and blood_at is None:  # the blood label may be unreadable: try first word
        first = text.split()[0] if text.split() else ""
        sex = enums.snap_jenis_kelamin(first)
        if sex is not None:
            sex_segment = Segment(view, segment.start, segment.start + len(first))
    fields["jenis_kelamin"] = make_field(sex, [sex_segment])
    if blood_at is not None and blood_match is not None:
        start = segment.start + blood_at + blood_match.value_start
        blood_segment = Segment(view, start, segment.end)
        blood = _blood_group(blood_segment.text, [blood_segment])
        if blood is None and not blood_segment.text.strip():
            blood = "-"  # the printed dash is often too thin to survive OCR
        fields["golongan_darah"] = make_field(blood, [blood_segment])
    elif sex is not None and text.split():
        # the blood group's label unreadable (small print on a photo), its colon and value read
        # after the sex: ``PEREMPUAN ▒▒ :-``
        first = text.split()[0]
        tail = text[text.index(first) + len(first) :]
        colon = tail.rfind(":")
        value = tail[colon + 1 :] if colon >= 0 else ""
        blood = enums.snap_golongan_darah(value) if value.strip() else None
        if blood is not None:
            start = segment.end - len(value)
            fields["golongan_darah"] = make_field(blood, [Segment(view, start, segment.end)])
    return fields


def _birth_dates(fields: dict[str, Field]) -> frozenset[str]:
    """The dates the card gives as its holder's birth date: the birth row's and the NIK's."""
    found = {fields["tanggal_lahir"].value} if "tanggal_lahir" in fields else set()
    parts = nik.split(fields["nik"].value or "") if "nik" in fields else None
    if parts is not None:
        found.update(day.isoformat() for day in nik.candidate_birth_dates(parts))
    return frozenset(d for d in found if d)


def _issue_fields(
    cells: list[Cell], has_geometry: bool, rows: dict[str, Field], header: Sequence[Cell] = ()
) -> dict[str, Field]:
    """The issue place and date under the photo: a date that belongs to no label, and the
    place printed just above it (among ``header``'s cells too, with the card's geometry: a place
    printed above the photo stands above the first label, and its date may too).

    A card is never issued on the day its holder was born: a date that is the birth date (the birth
    row's, or the NIK's) is the birth row's date, its label lost; it fills a birth date the rows
    did not read."""
    births = _birth_dates(rows)
    birth_read = "tanggal_lahir" in rows and rows["tanggal_lahir"].value is not None
    fields: dict[str, Field] = {}
    dates = []
    for cell in [*header, *cells]:
        if not _is_date_line(cell.text):
            continue
        inline = _place_before_date(cell)
        date_cell = inline[1] if inline is not None else cell
        when = parse_date(date_cell.text)
        if when not in births:
            dates.append(cell)
        elif not birth_read and "tanggal_lahir" not in fields:
            fields["tanggal_lahir"] = make_field(when, [date_cell.segment])
    if not dates:
        return fields
    best: tuple[Cell, Cell | None] | None = None
    for date_cell in reversed(dates):
        place: Cell | None
        inline = _place_before_date(date_cell)
        if inline is not None:
            place, date_cell = inline
        else:
            place = _place_above(date_cell, [*cells, *header], has_geometry)
        if best is None or (best[1] is None and place is not None):
            best = (date_cell, place)
    assert best is not None
    date_cell, place = best
    fields["tanggal_diterbitkan"] = make_field(parse_date(date_cell.text), [date_cell.segment])
    if place is not None:
        end = place.end
        for token in place.tokens()[1:]:
            # the place under a photo at the left, a row's label read right after it
            # (``TANGERANG SELATAN Status Perkawinan: KAWIN``): the place ends before it
            rest = place.view.text[token.start : place.end]
            if match_label(rest, ROW_LABELS, min_score=PLACE_LABEL_SCORE):
                end = token.start - 1
                break
        for token in reversed(place.view.tokens_in(place.start, end)[1:]):
            # a speck read after the place name
            if len(token.text) > 2 or token.confidence >= JUNK_TAIL_CONFIDENCE:
                break
            end = token.start - 1
        segment = Segment(place.view, place.start, max(end, place.start))
        name = places.snap(clean_alpha(segment.text).rstrip(PLACE_END_MARKS), "place")
        fields["tempat_diterbitkan"] = make_field(name, [segment])
    return fields


MIN_PLACE_LETTERS = 3
PLACE_LABEL_SCORE = 90.0  # a row's label read after the issue place, clearly enough to end it


def _place_before_date(cell: Cell) -> tuple[Cell, Cell] | None:
    """(place, date) of a cell that prints both on one line, the place first (``BANTUL,
    24-04-2017`` under the signature on some designs); None when the cell is a date alone."""
    start = _date_start(cell.text)
    if start is None:
        return None
    before = cell.text[:start].rstrip(" ,.")
    if sum(c.isalpha() for c in before) < MIN_PLACE_LETTERS:
        return None
    place = Cell(cell.view, cell.start, cell.start + len(before))
    return place, Cell(cell.view, cell.start + start, cell.end)


def _place_above(date_cell: Cell, cells: list[Cell], has_geometry: bool) -> Cell | None:
    """The text cell right above ``date_cell`` (overlapping it horizontally). With boxes, any
    cell that sits above it: a tilted photo's rows may have put the date into a body row read
    before the place's own (the date found beside ``Kecamatan``, the place on a row of its own)."""
    index = cells.index(date_cell)
    candidates = [
        c
        for c in (cells if has_geometry else cells[:index])
        if c is not date_cell
        and sum(ch.isalpha() for ch in c.text) >= 3
        and not _is_date_line(c.text)
    ]
    if not has_geometry:
        return candidates[-1] if candidates else None
    top, left, right = date_cell.top, date_cell.left, date_cell.right
    if top is None or left is None or right is None:
        return None
    height = text_height(date_cell.view) or 1.0
    best: tuple[float, Cell] | None = None
    for cell in candidates:
        cell_top, centre = cell.top, cell.centre_x
        if cell_top is None or centre is None:
            continue
        distance = top - cell_top
        width = right - left
        beside = left - width <= centre <= right + width
        if 0 < distance <= 3.5 * height and beside and (best is None or distance < best[0]):
            best = (distance, cell)
    return best[1] if best else None
