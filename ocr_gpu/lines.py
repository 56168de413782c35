"""Text segments of any engine into the card's visual rows, top to bottom, left to right.

An engine returns text in pieces (PP-OCR: one detected box per piece; Tesseract sparse mode: one
chunk per piece). A card prints label and value on one row, often far apart ("Nama" ... ": BUDI"),
and the issue place under the photo on the same height as a body row. Two pieces lie on one row
when one's centre sits within half a text height of the other's text line, followed along its
slope (a photo leaves the card a little tilted or unevenly warped, so a far-away value sits
higher or lower than its label; a piece too short to show a slope, such as a label, takes the
slope of the rows around it, since a bent card's rows turn down the card); the closest pairs join
first, and pieces that overlap horizontally never share a row. Within a row, words keep their
boxes, so a reader can still tell columns apart by the gaps between them. Nothing here knows
where a card prints what.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from ocr_gpu.result import Box, Line, Word

ROW_TOLERANCE = 0.5  # share of the text height a piece may lie off another's line in one row
MAX_SLOPE = 0.25  # about 14 degrees: steeper "lines" are not text lines
MARK_HEIGHT = 0.5  # a word under this share of the piece's tallest word's height is a mark
MIN_SLOPE_SPAN = 6  # text heights between a piece's first and last word centre to measure it
# A piece at least this many text heights wide takes the slope of the detector's box when its
# words are too few to measure one: on a bent card the rows' slope changes down the card (0.05
# at the top, 0.17 at the foot), and the card's median slope then pairs a label with the value
# of the row above it.
MIN_DETECTED_SPAN = 3
# A detected box's slope is a few hundredths off; it is followed up to this many of the piece's
# widths from its centre (a label beside its value), and the card's slope beyond (the place of
# issue under the photo, across the card).
DETECTED_REACH = 2.0
# A piece this many times taller than the card's median piece is no text line (PP-OCR now and
# then reads the portrait as a glyph, ``9``): it stays a row of its own rather than end the row
# beside it (``Gol. Darah: AB+ 9``).
GIANT = 3.0
# How many of the nearest pieces (in height) with a slope of their own give the card's slope at a
# height, for a piece without one (a label) and beyond a detected box's reach.
LOCAL_SLOPES = 5
REGION = "page"
# A mark (no letter or digit) this many times taller than its piece's tallest letters is no
# mark of that row: Tesseract now and then reads the colons of two rows as one ``;``.
TALL_MARK = 1.5


def union_box(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    if not boxes:
        return (0, 0, 0, 0)
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)


def spread(text: str, box: Box, confidence: float) -> list[Word]:
    """The words of ``text`` laid along ``box``, each its share of the width by its length (a
    space counting as a letter): boxes for words an engine read as one piece."""
    x, y, width, height = box
    names = text.split()
    total = max(sum(len(n) for n in names) + len(names) - 1, 1)
    out, offset = [], 0
    for name in names:
        left = x + round(width * offset / total)
        share = max(round(width * len(name) / total), 1)
        out.append(Word(text=name, confidence=confidence, box=(left, y, share, height)))
        offset += len(name) + 1
    return out


@dataclass(frozen=True)
class _Piece:
    box: Box
    words: list[Word]
    slope: float  # dy/dx of the piece's text line
    fallback: float = 0.0  # the card's slope, beyond ``reach``
    reach: float = math.inf  # how far from its centre the piece's own slope is followed

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2] / 2, self.box[1] + self.box[3] / 2)

    def line_at(self, x: float) -> float:
        """Where this piece's text line passes ``x`` (along its slope)."""
        cx, cy = self.centre
        slope = self.slope if abs(x - cx) <= self.reach else self.fallback
        return cy + slope * (x - cx)


def _without_tall_marks(words: Sequence[Word]) -> list[Word]:
    """The piece's words less any mark much taller than its letters (two rows' colons read as
    one ``;`` the height of both rows): such a mark says nothing of where the row lies."""
    letters = [w.box[3] for w in words if any(c.isalnum() for c in w.text)]
    if not letters:
        return list(words)
    limit = TALL_MARK * max(letters)
    return [w for w in words if w.box[3] <= limit or any(c.isalnum() for c in w.text)]


def _slope(words: list[Word]) -> float | None:
    """The text line's slope from its words' centres; None for a piece too short to tell (a
    word's box moves with its ascenders and descenders: ``FAJAR`` sits lower than ``DEDI``).
    A mark much smaller than the piece's letters (a colon read as its own word, which sits
    below their centre) shows no slope and is left out."""
    words = _without_tall_marks(words)
    tallest = max((w.box[3] for w in words), default=0)
    words = [w for w in words if w.box[3] >= MARK_HEIGHT * tallest]
    if len(words) < 2:
        return None
    xs = [w.box[0] + w.box[2] / 2 for w in words]
    ys = [w.box[1] + w.box[3] / 2 for w in words]
    height = median(w.box[3] for w in words)
    if max(xs) - min(xs) < MIN_SLOPE_SPAN * height:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return max(-MAX_SLOPE, min(MAX_SLOPE, slope))


def _distance(a: _Piece, b: _Piece) -> float | None:
    """How far two pieces are from lying on one text line (None: not on one line): the wider
    piece's line, which carries the more reliable slope, against the other's centre."""
    line, other = (a, b) if a.box[2] >= b.box[2] else (b, a)
    distance = abs(other.centre[1] - line.line_at(other.centre[0]))
    if distance > ROW_TOLERANCE * min(a.box[3], b.box[3]):
        return None
    return distance


def _overlap(a: _Piece, b: _Piece) -> bool:
    slack = 0.3 * min(a.box[3], b.box[3])
    return a.box[0] + slack < b.box[0] + b.box[2] and b.box[0] + slack < a.box[0] + a.box[2]


def _rows(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces joined into rows, closest pairs first; two pieces that overlap horizontally never
    share a row (each row is one line of text, read left to right), and a giant piece joins
    none."""
    parent = list(range(len(pieces)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(pieces))}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    heights = [p.box[3] for p in pieces]
    tallest = GIANT * median(heights) if heights else 0.0
    pairs = []
    for i in range(len(pieces)):
        if pieces[i].box[3] > tallest:
            continue
        for j in range(i + 1, len(pieces)):
            if abs(pieces[i].centre[1] - pieces[j].centre[1]) > 2 * max(
                pieces[i].box[3], pieces[j].box[3]
            ):
                continue
            if pieces[j].box[3] > tallest:
                continue
            distance = _distance(pieces[i], pieces[j])
            if distance is not None and not _overlap(pieces[i], pieces[j]):
                pairs.append((distance, i, j))
    for _, i, j in sorted(pairs):
        a, b = root(i), root(j)
        if a == b or any(_overlap(pieces[x], pieces[y]) for x in members[a] for y in members[b]):
            continue
        parent[b] = a
        members[a].extend(members.pop(b))
    return [[pieces[i] for i in group] for group in members.values()]


def _detected_slope(box: Box, detected: float | None) -> float | None:
    """The slope the detector's box gives a piece long enough to tell (PP-OCR's boxes turn
    with the text; a short label's box is as often square to the image)."""
    if detected is None or box[2] < MIN_DETECTED_SPAN * max(box[3], 1):
        return None
    return max(-MAX_SLOPE, min(MAX_SLOPE, detected))


def _local_slope(box: Box, known: list[tuple[Box, float]]) -> float:
    """The card's slope at the height of ``box``: the median slope of the ``LOCAL_SLOPES`` pieces
    nearest it in height that have one (0 when none has). A bent card's rows turn down the card,
    so a label takes the slope of the rows around it, not of the card's top."""
    centre = box[1] + box[3] / 2
    nearest = sorted(known, key=lambda item: abs(item[0][1] + item[0][3] / 2 - centre))
    slopes = [slope for _, slope in nearest[:LOCAL_SLOPES]]
    return median(slopes) if slopes else 0.0


def assemble(
    segments: Sequence[Sequence[Word]], detected: Sequence[float | None] | None = None
) -> list[Line]:
    """Rows of the card from an engine's pieces (each piece's words left to right), with the
    slope of each piece's box where the engine's detector gives one (``detected``, one per
    piece)."""
    given = list(detected) if detected is not None else [None] * len(segments)
    raw = [
        (union_box(w.box for w in _without_tall_marks(words)), list(words), slope)
        for words, slope in zip(segments, given, strict=True)
        if words
    ]
    measured = [_slope(words) for _, words, _ in raw]
    seen_slopes = [_detected_slope(box, slope) for box, _, slope in raw]
    known = [
        (box, slope)
        for (box, _, _), own, seen in zip(raw, measured, seen_slopes, strict=True)
        if (slope := own if own is not None else seen) is not None
    ]
    pieces = []
    for (box, words, _), own, seen in zip(raw, measured, seen_slopes, strict=True):
        local = _local_slope(box, known)
        if own is not None:
            pieces.append(_Piece(box, words, own, local))
        elif seen is not None:  # a box's slope is followed a little way only
            pieces.append(_Piece(box, words, seen, local, DETECTED_REACH * box[2]))
        else:
            pieces.append(_Piece(box, words, local, local))
    # rows top to bottom where each crosses the middle of the card: on a tilted card a row's
    # label (far left) sits lower or higher than its value, and a row's own centre says little
    # of its place against a shorter row under it (``KEBONSARI, KAB. JEMBER`` under a long
    # ``JL. CEMPAKA NO. 49 RT 008 RW 008`` on a card turned up to the right)
    middle = median(p.centre[0] for p in pieces) if pieces else 0.0
    lines = []
    for row in sorted(_rows(pieces), key=lambda r: median(p.line_at(middle) for p in r)):
        words = sorted((w for p in row for w in p.words), key=lambda w: w.box[0])
        lines.append(
            Line(
                text=" ".join(w.text for w in words),
                words=tuple(words),
                region=REGION,
                box=union_box(w.box for w in words),
            )
        )
    return lines
