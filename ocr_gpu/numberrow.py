"""An identity number the read of the whole card passed over, read from the ink by its label.

PP-OCR's detector now and then finds no text where a card prints its number in a face unlike
print: on an outside set, a bitmap face drawn on every other pixel row left half the clean cards'
NIK and NPWP rows unread (the label ``NIK`` read, nothing after it; ``NPWP`` read, nothing under
it), while PP-OCR's recogniser reads the same digits exactly from a crop of them. Where a read
holds a ``NIK`` or ``NPWP`` label and no number on its row or the row under it, the card's ink
right of the label (past a colon) and, failing that, under it is recognised as one line, and a
read of a whole identity number (15 digits or more) is added there: to the label's row, or as a
row of its own under it. It is PP-OCR's read like any other, and is confirmed or not as any
other number is (``verification.consensus``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ocr_gpu.marks import cropped_words, ink_mask, read_box
from ocr_gpu.result import Box, Line, Word

LABELS = frozenset({"NIK", "NPWP"})
NUMBER_DIGITS = 12  # a row with this many digits holds its number already
MIN_DIGITS = 15  # a read holding a whole identity number (a legacy NPWP has 15)
ROW_PAD = 0.4  # the label's row taken this share of its height taller, above and below
BELOW = 2.5  # label heights under the label searched for a number printed under it
MAX_GAP = 1.0  # empty columns, in the ink's height, that end a run of print
MIN_RUN = 0.6  # a run of ink narrower than this many heights is a colon, not a number

Recognise = Callable[[np.ndarray], tuple[str, float]]


def fill(lines: list[Line], card: np.ndarray, gray: np.ndarray, recognise: Recognise) -> list[Line]:
    """``lines`` with the number of each number label that has none read from the ink by it
    (``card``: the colour card the lines were read on; ``gray``: the same card, light evened)."""
    out = list(lines)
    added: list[Line] = []  # rows this pass read under a label: never another label's pieces
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        label = next((w for w in line.words if _label(w.text)), None)
        if label is None or _numbered(line) or _numbered_below(lines, index, label):
            continue
        right = _ink_right(gray, label, line)
        found = _read(card, right, recognise) if right is not None else None
        if found is not None and right is not None:
            # pieces of the number the read did give (``NIK 2 5``) give way to the whole
            kept = [w for w in line.words if not _inside(w.box, right)]
            out[index] = line.with_words(sorted([*kept, *found], key=lambda w: w.box[0]))
            continue
        below = _ink_below(gray, label, lines, index)
        found = _read(card, below, recognise) if below is not None else None
        if found is not None and below is not None:
            row = Line(" ".join(w.text for w in found), tuple(found), line.region, below)
            # a row of the number's pieces the read gave (``7 0 5 7``) gives way to its whole
            pieces = [o for o in out[index + 1 :] if _piece_of(o, below) and o not in added]
            out = [o for o in out if not any(o is piece for piece in pieces)]
            out.insert(index + 1, row)
            added.append(row)
    return out


def _piece_of(line: Line, box: Box) -> bool:
    """Whether ``line`` is read from the print in ``box`` and holds no letters: pieces of the
    number read there."""
    centre = line.box[1] + line.box[3] / 2
    return box[1] <= centre <= box[1] + box[3] and not _lettered(line.text)


def _inside(box: Box, outer: Box) -> bool:
    centre = box[0] + box[2] / 2
    return outer[0] <= centre <= outer[0] + outer[2]


def _lettered(text: str) -> bool:
    return any("A" <= c <= "Z" for c in text.upper())


def _label(text: str) -> bool:
    return text.strip(" :.").upper() in LABELS


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _numbered(line: Line) -> bool:
    """Whether ``line`` holds a number, whole or in groups (``6472 0344 0194 2176``)."""
    return _digits(line.text) >= NUMBER_DIGITS


def _numbered_below(lines: list[Line], index: int, label: Word) -> bool:
    """Whether a line under the label, within ``BELOW`` of its heights, holds a number."""
    bottom = label.box[1] + label.box[3]
    return any(
        _numbered(other)
        for other in lines[index + 1 :]
        if other.box[1] < bottom + BELOW * label.box[3]
    )


def _runs(inked: object, gap: int) -> list[tuple[int, int]]:
    """Runs of inked positions (a mask along one axis), each ended by more than ``gap`` empty
    ones."""
    runs: list[tuple[int, int]] = []
    for position in np.flatnonzero(np.asarray(inked)):
        if runs and position - runs[-1][1] <= gap:
            runs[-1] = (runs[-1][0], int(position) + 1)
        else:
            runs.append((int(position), int(position) + 1))
    return runs


def _ink_right(gray: np.ndarray, label: Word, line: Line) -> Box | None:
    """The run of print right of ``label`` on its row, past a colon, up to the next word read
    with letters in it (a value of another field): the box of a number's print, or None."""
    x, y, w, h = label.box
    top, bottom = max(round(y - ROW_PAD * h), 0), round(y + h + ROW_PAD * h)
    left = x + w
    read_after = [o.box[0] for o in line.words if o.box[0] > left and _lettered(o.text)]
    right = min(read_after, default=gray.shape[1])
    band = gray[top:bottom, left:right]
    if band.size == 0:
        return None
    runs = [
        r
        for r in _runs(ink_mask(band).any(axis=0), round(MAX_GAP * h))
        if r[1] - r[0] >= MIN_RUN * h
    ]
    if not runs:
        return None
    start, stop = runs[0]
    return (left + start, top, stop - start, bottom - top)


def _ink_below(gray: np.ndarray, label: Word, lines: list[Line], index: int) -> Box | None:
    """The tallest row of print under ``label``, above the next line read with letters: the box
    of a number printed under its label, or None."""
    x, y, _, h = label.box
    top = y + h
    # the next row read with letters bounds it (a row of the number's digits read in pieces
    # is the number's own)
    under = [o.box[1] for o in lines[index + 1 :] if o.box[1] > top and _lettered(o.text)]
    bottom = min([*under, round(top + BELOW * h), gray.shape[0]])
    left = max(x - h, 0)
    band = gray[top:bottom, left:]
    if band.size == 0:
        return None
    ink = ink_mask(band)
    rows = _runs(ink.any(axis=1), max(round(0.2 * h), 1))
    if not rows:
        return None
    row_top, row_bottom = max(rows, key=lambda r: r[1] - r[0])
    height = row_bottom - row_top
    if height < 0.5 * h:
        return None
    columns = _runs(ink[row_top:row_bottom].any(axis=0), round(MAX_GAP * height))
    columns = [c for c in columns if c[1] - c[0] >= MIN_RUN * height]
    if not columns:
        return None
    start, stop = columns[0]
    return (left + start, top + row_top, stop - start, height)


def _read(card: np.ndarray, box: Box, recognise: Recognise) -> list[Word] | None:
    read = read_box(card, box, recognise)
    if read is None or _digits(read[0]) < MIN_DIGITS:
        return None
    return cropped_words(*read, box)
