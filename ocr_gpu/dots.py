"""A degree's final dot, looked for on the card where both engines may lose it.

A degree after a name is letters between dots (``S.PD.``, ``M.M.``, ``S.KOM``), printed with a
final dot or without one. That last dot is the smallest mark of its row, at the row's end; on a
blurred photo both engines drop it now and then and agree on ``S.PD``, and a dot no engine read
must not be added to a degree printed without one. So the card decides: right after such a word
(its box as the engine gave it), a small round blob of ink sitting on the letters' baseline,
with nothing else there, is its dot.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from ocr_gpu.result import Line, Word

# Letters between dots without a final dot: ``S.PD``, ``M.M``, ``S.KOM``.
DOTLESS_DEGREE = re.compile(r"^(?:[A-Z]{1,2}\.)+[A-Z]{1,4},?$")
REACH = 0.6  # letter heights right of the word's box the dot may lie in
OVERLAP = 0.15  # letter heights of the word's box the dot may lie in (a box cut tight)
DOT_SIZE = (0.08, 0.35)  # the dot's width and height, in letter heights
MIN_FILL = 0.45  # share of its bounding box a round dot's ink fills
BASELINE = 0.7  # the dot's bottom is at least this far down the letters' height
INK_SHARE = 0.2  # of the way from the paper to the letters' darkest, a pixel is ink
MIN_CONTRAST = 30  # grey levels between paper and letters, below which nothing is decided


def _has_dot(gray: np.ndarray, box: tuple[int, int, int, int]) -> bool:
    x, y, width, height = box
    if height < 8:
        return False
    left = int(x + width - OVERLAP * height)
    right = int(x + width + REACH * height)
    top, bottom = int(y + 0.3 * height), int(y + 1.15 * height)
    area = gray[max(top, 0) : bottom, max(left, 0) : right]
    word = gray[max(y, 0) : y + height, max(x, 0) : x + width]
    if area.size == 0 or word.size == 0:
        return False
    # a blurred dot is lighter than the letters: ink is a good share of the way from the paper
    # round the dot to the letters' darkest
    paper, letters = float(np.median(area)), float(np.percentile(word, 5))
    if paper - letters < MIN_CONTRAST:
        return False
    ink = (area < paper - INK_SHARE * (paper - letters)).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    # the last letter's ink reaches into the area from its left edge: not the dot
    blobs = [s for s in stats[1:] if s[cv2.CC_STAT_LEFT] > 0 and s[cv2.CC_STAT_AREA] >= 2]
    if len(blobs) != 1:
        return False
    bx, by, bw, bh, pixels = (int(v) for v in blobs[0])
    low, high = DOT_SIZE[0] * height, DOT_SIZE[1] * height
    return (
        low <= bw <= high
        and low <= bh <= high
        and pixels >= MIN_FILL * bw * bh
        and max(top, 0) + by + bh >= y + BASELINE * height
        and bx + bw < area.shape[1]
        and by + bh < area.shape[0]
    )


def _dotted(word: Word, gray: np.ndarray) -> Word:
    text = word.text.rstrip(",")
    if not DOTLESS_DEGREE.match(word.text) or not _has_dot(gray, word.box):
        return word
    return replace(word, text=text + "." + word.text[len(text) :])


def mend(lines: list[Line], gray: np.ndarray) -> list[Line]:
    """``lines`` with the final dot given to each degree that the card prints with one."""
    out = []
    for line in lines:
        words = tuple(_dotted(w, gray) for w in line.words)
        if words == line.words:
            out.append(line)
        else:
            out.append(replace(line, text=" ".join(w.text for w in words), words=words))
    return out
