"""Roman numerals counted on the card: ``III`` read as ``II`` or ``I``.

An address names a lane or a block by a roman numeral (``GANG SUKAMAJU III``, ``BLOK II``). Its
letters are bare vertical strokes with nothing to tell one from the next but the narrow gap
between them, so a blurred photo makes both engines drop a stroke now and then (PP-OCR reads
``II`` where Tesseract reads ``Ili``), and nothing in the text can tell which read is right. The
card can: each ``I`` is a tall, narrow column of ink, its darkest columns apart from its
neighbours' even where blur has run the ink of all three together. A word read as
``I``s is given the number of strokes the card shows within its box when that is more than were
read. Never fewer: blur merges two strokes into one, it does not split one into two.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import cv2
import numpy as np

from ocr_gpu.result import Box, Line, Word, each_word
from ocr_gpu.spacing import runs as ink_runs

NUMERAL = re.compile(r"^I{1,3}$")
MAX_STROKES = 3  # I, II, III: IV and beyond are not bare strokes
STROKE_WIDTH = 0.35  # a stroke's width at most, as a share of the letters' height
STROKE_HEIGHT = 0.7  # and its ink spans at least this share of it
FULL_COLUMN = 0.6  # strokes blurred together: the ink between them this share of their height
PEAK_APART = 0.12  # the centres of two strokes at least this share of the height apart
PEAK_DEPTH = 0.1  # and the ink between them this share lighter than the lighter of the two
# A run of ink spanning under this share of the tallest run's rows is a speck of a grainy
# photo's noise (a pixel or two), not a letter: it neither belongs to the word nor parts it from
# its neighbours.
SPECK = 0.3


def recount(lines: list[Line], gray: np.ndarray) -> list[Line]:
    """``lines`` with each word read as ``I``s given the strokes the card shows in its box."""
    return each_word(lines, lambda word: _recounted(word, gray))


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

    The columns around the box are cut into runs of ink; the runs whose middles lie in the box
    are the word, and it must stand apart (its gaps to the runs beside it wider than any gap
    inside it). Each of its runs must be tall; its strokes are the dark columns it shows, with
    lighter ink between them (blur runs close strokes into one run of ink). Between two strokes
    the ink must reach down most of their height, as blur spreads it: the bar of an ``H`` or the
    bowl of a ``U`` or an ``O`` does not."""
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
    if not runs:
        return None
    tallest = max(spans)
    kept = [(run, span) for run, span in zip(runs, spans, strict=True) if span >= SPECK * tallest]
    runs, spans = [run for run, _ in kept], [span for _, span in kept]
    height = float(np.median(spans))  # the letters' height on this row
    word = [i for i, (a, b) in enumerate(runs) if x <= left + (a + b - 1) / 2 < x + w]
    if not word or runs[word[0]][0] == 0 or runs[word[-1]][1] == ink.shape[1]:
        return None  # nothing in the box, or the word runs on past the window
    first, last = word[0], word[-1]
    inside = [runs[i + 1][0] - runs[i][1] for i in range(first, last)]
    beside = [runs[first][0] - runs[first - 1][1]] if first else []
    beside += [runs[last + 1][0] - runs[last][1]] if last + 1 < len(runs) else []
    if any(gap <= max(inside, default=0) for gap in beside):
        return None  # part of a longer word
    darkness = float(np.percentile(crop, 90)) - crop.astype(np.float32)
    profile = np.clip(darkness, 0, None).mean(axis=0)
    strokes = 0
    for i in word:
        a, b = runs[i]
        if spans[i] < STROKE_HEIGHT * height:
            return None
        peaks = [a + t for t in _peaks(profile[a:b], height)]
        if b - a > STROKE_WIDTH * height * len(peaks):
            return None
        top, bottom = _rows(ink[:, a:b])
        band = darkness[top:bottom]
        for one, two in itertools.pairwise(peaks):
            valley = band[:, one + int(np.argmin(profile[one:two]))]
            if np.mean(valley >= valley.max() / 2) < FULL_COLUMN:
                return None  # a bar or a bowl between two stems (H, U, N, O), not two strokes
        strokes += len(peaks)
    return strokes


def _peaks(profile: np.ndarray, height: float) -> list[int]:
    """The dark columns of one run of ink: local maxima of its darkness, at least
    ``PEAK_APART`` of the letters' height apart and with lighter ink between them."""
    apart = max(3.0, PEAK_APART * height)
    depth = PEAK_DEPTH * float(profile.max())
    kept: list[int] = []
    for t in range(len(profile)):
        if t and profile[t] <= profile[t - 1]:
            continue
        if t + 1 < len(profile) and profile[t] < profile[t + 1]:
            continue
        if kept and (
            t - kept[-1] < apart
            or min(profile[kept[-1]], profile[t]) - profile[kept[-1] : t + 1].min() < depth
        ):
            if profile[t] > profile[kept[-1]]:
                kept[-1] = t  # one stroke: keep its darkest column
            continue
        kept.append(t)
    return kept


def _rows(ink: np.ndarray) -> tuple[int, int]:
    """The first and past-last rows holding ink."""
    rows = np.flatnonzero(ink.any(axis=1))
    return (int(rows[0]), int(rows[-1]) + 1) if rows.size else (0, 0)


def _span(ink: np.ndarray) -> int:
    top, bottom = _rows(ink)
    return bottom - top
