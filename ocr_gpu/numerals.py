"""Roman numerals counted on the card: ``III`` read as ``II`` or ``I``.

An address names a lane or a block by a roman numeral (``GANG SUKAMAJU III``, ``BLOK II``). Its
letters are bare vertical strokes with nothing to tell one from the next but the narrow gap
between them, so a blurred photo makes both engines drop a stroke now and then (PP-OCR reads
``II`` where Tesseract reads ``Ili``), and nothing in the text can tell which read is right. The
card can: each ``I`` is a tall, narrow column of ink, apart from its neighbours. A word read as
``I``s is given the number of strokes the card shows within its box when that is more than were
read. Never fewer: blur merges two strokes into one, it does not split one into two.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from ocr_gpu.result import Box, Line, Word
from ocr_gpu.spacing import runs as ink_runs

NUMERAL = re.compile(r"^I{1,3}$")
MAX_STROKES = 3  # I, II, III: IV and beyond are not bare strokes
STROKE_WIDTH = 0.35  # a stroke's width at most, as a share of the letters' height
STROKE_HEIGHT = 0.7  # and its ink spans at least this share of it
WORD_GAP = 0.3  # empty columns, as a share of the letters' height, that part two words


def recount(lines: list[Line], gray: np.ndarray) -> list[Line]:
    """``lines`` with each word read as ``I``s given the strokes the card shows in its box."""
    out = []
    for line in lines:
        words = tuple(_recounted(word, gray) for word in line.words)
        if any(new is not old for new, old in zip(words, line.words, strict=True)):
            line = replace(line, words=words, text=" ".join(w.text for w in words))
        out.append(line)
    return out


def _recounted(word: Word, gray: np.ndarray) -> Word:
    if not NUMERAL.match(word.text):
        return word
    strokes = count_strokes(gray, word.box)
    if strokes is None or strokes <= len(word.text) or strokes > MAX_STROKES:
        return word
    return replace(word, text="I" * strokes)


def count_strokes(gray: np.ndarray, box: Box) -> int | None:
    """The strokes of the word the card shows in ``box``; None when that word holds anything
    but bare strokes, or is not wholly in view.

    The columns around the box are cut into runs of ink; runs closer than a word space are one
    word. The word centred in the box must be one word of tall, narrow runs."""
    x, y, w, h = box
    margin = max(h, 1)
    left, right = max(x - margin, 0), min(x + w + margin, gray.shape[1])
    crop = gray[max(y, 0) : y + h, left:right]
    if crop.size == 0 or h <= 0:
        return None
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = binary > 0
    runs = ink_runs(np.asarray(ink.any(axis=0)))  # (first, past-last) columns of each
    spans = [_span(ink[:, a:b]) for a, b in runs]
    letters = [s for s in spans if s > 0]
    if not letters:
        return None
    height = float(np.median(letters))  # the letters' height on this row
    words: list[list[int]] = []
    for index, (first, _stop) in enumerate(runs):
        if index and first - runs[index - 1][1] < WORD_GAP * height:
            words[-1].append(index)
        else:
            words.append([index])
    covered = [
        word for word in words if x <= left + (runs[word[0]][0] + runs[word[-1]][1] - 1) / 2 < x + w
    ]
    if len(covered) != 1:
        return None
    word = covered[0]
    if runs[word[0]][0] == 0 or runs[word[-1]][1] == ink.shape[1]:  # runs on past the window
        return None
    for i in word:
        a, b = runs[i]
        if b - a > STROKE_WIDTH * height or spans[i] < STROKE_HEIGHT * height:
            return None
    return len(word)


def _span(ink: np.ndarray) -> int:
    rows = np.flatnonzero(ink.any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0
