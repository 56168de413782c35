"""A space the card shows inside a word of the holder's name that every read closed.

A narrow face sets its word spaces barely wider than the gaps between its letters, and on a
photo PP-OCR, Tesseract and PP-OCRv4 may all read two names as one (``SITTIAJENG`` for ``SITTI
AJENG``, ``SITINUR`` for ``SITI NUR``, each approved so on an outside set, every engine sure of
it). No list of names can tell a joined name from a long one, but the card shows the space: at
the join the columns are empty over most of a word space's width, as the same card prints its
spaces between words elsewhere, and wider than every gap between the word's letters.

Such a gap does not write the name (where letters stand apart, a face's own spacing may open
such a gap: ``PRA TAMA``, ``BAN DARO`` measure so against a single gap's width); it is put on
the word as an alternative (method ``space``), and the consensus (``verification.consensus``)
does not approve a name with one: a person reads it.

Measured on 1,169 name words of 813 outside cards (re-read with their canonical cards kept: a
sample of 23 sets' approved cards, and every card of two sets drawn later): a gap of
``SPACE_SHARE`` of the card's median word space and ``LETTER_GAP_RATIO`` times the word's widest
other gap marked 11 of 28 names read joined (the two approved wrong among them) and one of 716
cards whose name was read right (``LES TARI``: a ``T`` opens its sides).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ocr_gpu import namereread
from ocr_gpu.result import PPOCR, Alternative, Line, Word
from ocr_gpu.spacing import GLUED_MARKS, empty_columns, gaps, space_between

METHOD = "space"
SPACE_SHARE = 0.6  # of the card's median word space, at least
LETTER_GAP_RATIO = 2.0  # times the widest other gap between the word's letters, at least
MIN_PIECE = 3  # letters each side of the gap: a name's shortest words (``NUR``, ``ADI``)
MIN_SPACES = 3  # word spaces measured on the card, at least, to know its spacing
HEIGHT_MATCH = 0.25  # a word of the name's size: its height within this share of the name's
MAX_SPACE_HEIGHTS = 3  # words further apart than this many heights are two cells, not a space


def mark(lines: list[Line], gray: np.ndarray) -> list[Line]:
    """``lines`` with each word of the holder's name (``ocr_gpu.namereread`` finds its row)
    that the card shows a word space inside carrying the word split there as an alternative
    (engine ``ppocr``, method ``space``)."""
    found = namereread.name_row(lines)
    if found is None:
        return lines
    row, indices = found
    words = [lines[row].words[i] for i in indices]
    height = float(np.mean([w.box[3] for w in words]))
    spaces = _word_spaces(lines, gray, height)
    if len(spaces) < MIN_SPACES:
        return lines
    space = statistics.median(spaces)
    marked = {i: _split(lines[row].words[i], gray, space) for i in indices}
    if all(word is None for word in marked.values()):
        return lines
    new = lines[row].with_words(
        replace(w, alternatives=(*w.alternatives, split)) if (split := marked.get(i)) else w
        for i, w in enumerate(lines[row].words)
    )
    return [*lines[:row], new, *lines[row + 1 :]]


def _word_spaces(lines: Sequence[Line], gray: np.ndarray, height: float) -> list[int]:
    """The widest empty run between each two neighbouring words of the name's size."""
    widths = []
    for line in lines:
        sized = [
            w
            for w in line.words
            if abs(w.box[3] - height) <= HEIGHT_MATCH * height and _plain(w.text)
        ]
        for before, after in itertools.pairwise(sized):
            if after.box[0] - (before.box[0] + before.box[2]) > MAX_SPACE_HEIGHTS * height:
                continue
            width = space_between(gray, before, after)
            if width:  # a space the card cannot be measured at, or that shows no gap, says nothing
                widths.append(width)
    return widths


def _plain(text: str) -> bool:
    """A word of letters or digits (with a value's usual marks), not a lone mark."""
    return "".join(c for c in text if c not in ".,/-").isalnum()


def _split(word: Word, gray: np.ndarray, space: float) -> Alternative | None:
    """``word`` split where the card shows a word space inside it, or None; the space's place
    among the letters is estimated from their mean width (a person reads the name)."""
    marks = len(word.text) - len(word.text.lstrip(GLUED_MARKS))
    text = word.text[marks:]
    if len(text) < 2 * MIN_PIECE or not text.isalpha():
        return None
    measured = empty_columns(gray, word.box)
    if measured is None:
        return None
    empty, _height = measured
    per_letter = word.box[2] / len(word.text)
    # a colon read glued on the name (``:ROSNIATI``) stands apart from the letters: its gap
    # is no gap between letters
    inside = [g for g in gaps(empty) if (g[0] + g[1]) / 2 > marks * per_letter]
    for gap in inside:
        width = gap[1] - gap[0]
        others = [b - a for a, b in inside if (a, b) != gap]
        at = round((gap[0] + gap[1]) / 2 / per_letter) - marks
        if (
            MIN_PIECE <= at <= len(text) - MIN_PIECE
            and width >= SPACE_SHARE * space
            and width >= LETTER_GAP_RATIO * max(others, default=0)
        ):
            return Alternative(f"{text[:at]} {text[at:]}", word.confidence, PPOCR, METHOD)
    return None
