"""Words PP-OCR's read of the whole card gave as marks alone, read again from their own box.

A number printed in a face unlike print (an interlaced bitmap face, its digits drawn on every
other pixel row) comes back from the read of the whole card as dots and strokes (``|......|``
for a NIK) while PP-OCR's recogniser reads the same digits exactly from a crop of the number
alone, where its line is not squeezed among the card's others. A run of such words, wide as a
word of several characters, is recognised again from its own box, and the read replaces it when
it holds letters or digits. A colon, a dash or a dotted leader is narrow or reads as marks again,
and stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from statistics import median

import cv2
import numpy as np

from ocr_gpu.lines import spread, union_box
from ocr_gpu.result import Box, Line, Word

MIN_MARKS = 4  # characters of marks in the run: a colon or a dash alone is no unread word
MIN_WIDTH = 3.0  # the run's width in text heights: several characters
MIN_READ = 4  # letters or digits the re-read must hold to replace the marks
PAD = (0.3, 0.2)  # margin round the run's box, in its heights (as a number's crop)
MAX_GAP = 0.8  # empty columns, in text heights, that end the ink a run's box is widened to

Recognise = Callable[[np.ndarray], tuple[str, float]]


def fill(lines: list[Line], card: np.ndarray, gray: np.ndarray, recognise: Recognise) -> list[Line]:
    """``lines`` with each wide run of words read as marks alone read again from its box on
    ``card`` (the colour card the lines were read on), the box widened to the ink around it on
    ``gray`` (the same card with its light evened out)."""
    return [_read_again(line, card, gray, recognise) for line in lines]


def _marks_only(word: Word) -> bool:
    return not any(c.isalnum() for c in word.text)


def _read_again(line: Line, card: np.ndarray, gray: np.ndarray, recognise: Recognise) -> Line:
    words = list(line.words)
    if not any(_marks_only(w) for w in words):
        return line
    height = median(w.box[3] for w in words)
    out: list[Word] = []
    index = 0
    changed = False
    while index < len(words):
        if not _marks_only(words[index]):
            out.append(words[index])
            index += 1
            continue
        stop = index
        while stop < len(words) and _marks_only(words[stop]):
            stop += 1
        run = words[index:stop]
        left = out[-1].box[0] + out[-1].box[2] if out else 0
        right = words[stop].box[0] if stop < len(words) else gray.shape[1]
        index = stop
        found = _reread(
            run, height, card, _inked(gray, union_box(w.box for w in run), left, right), recognise
        )
        if found is None:
            out.extend(run)
        else:
            out.extend(found)
            changed = True
    return line.with_words(out) if changed else line


def _inked(gray: np.ndarray, box: Box, left: int, right: int) -> Box:
    """``box`` widened, between ``left`` and ``right``, to the ink printed on its row: the
    boxes PP-OCR gives words it read as marks place them only roughly."""
    x, y, w, h = box
    band = gray[max(y, 0) : y + h, max(left, 0) : right]
    if band.size == 0 or h <= 0:
        return box
    inked: np.ndarray = np.asarray(ink_mask(band).any(axis=0))
    gap = max(round(MAX_GAP * h), 1)
    start = min(max(x - left, 0), len(inked) - 1)
    stop = min(max(x + w - left, start + 1), len(inked))
    empty = 0
    while start > 0 and empty < gap:
        start -= 1
        empty = 0 if inked[start] else empty + 1
    start += empty
    empty = 0
    while stop < len(inked) and empty < gap:
        empty = 0 if inked[stop] else empty + 1
        stop += 1
    stop -= empty
    return (left + start, y, max(stop - start, 1), h)


def _reread(
    run: list[Word], height: float, card: np.ndarray, box: Box, recognise: Recognise
) -> list[Word] | None:
    marks = sum(len(w.text.strip()) for w in run)
    if marks < MIN_MARKS or box[2] < MIN_WIDTH * height:
        return None
    read = read_box(card, box, recognise)
    if read is None or sum(c.isalnum() for c in read[0]) < MIN_READ:
        return None
    return cropped_words(*read, box)


def ink_mask(band: np.ndarray) -> np.ndarray:
    """Ink (True) in a grey band of the card, by Otsu's threshold within it."""
    _, binary = cv2.threshold(band, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return np.asarray(binary > 0)


def read_box(card: np.ndarray, box: Box, recognise: Recognise) -> tuple[str, float] | None:
    """PP-OCR's recogniser on the print in ``box`` of ``card`` with ``PAD`` round it: the text
    (single-spaced) and its confidence; None for a box off the card."""
    x, y, w, h = box
    pad_x, pad_y = round(PAD[0] * h), round(PAD[1] * h)
    top, left = max(y - pad_y, 0), max(x - pad_x, 0)
    crop = card[top : y + h + pad_y, left : x + w + pad_x]
    if crop.size == 0:
        return None
    text, confidence = recognise(np.ascontiguousarray(crop))
    return " ".join(text.split()), confidence


def cropped_words(text: str, confidence: float, box: Box) -> list[Word]:
    """``text`` laid along ``box`` as words marked read from a crop (``Word.cropped``)."""
    return [replace(word, cropped=True) for word in spread(text, box, confidence)]
