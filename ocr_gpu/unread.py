"""Rows of print on the card that no read holds: where a line of text may have gone unread.

Whether a card prints a line at all (an NPWP without a NIK line) cannot be told from the reads
alone where its design leaves blank room between rows: the room a lost row would leave is as
tall as the blank. The card's pixels tell: print is dark, glyph-sized and set in rows. Ink is
found against its own neighbourhood (a pale stripe or guilloche of the background is not dark
enough against the paper beside it), and a row is three glyph-sized marks or more side by side;
a rule or a dashed separator is too thin to be a glyph, a logo, a photo or the card's edge too
large. Marks inside a row some read holds are that row's.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

import cv2
import numpy as np

from ocr_gpu.result import Line

INK_CONTRAST = 25  # grey levels under the neighbourhood's mean that make a pixel ink
GLYPH_HEIGHTS = (0.3, 1.5)  # a glyph's height as a share of the reads' median word height
MAX_GLYPH_WIDTH = 2.0  # and its width at most this many word heights (letters glued together)
MIN_GLYPHS = 3  # glyph-sized marks side by side that make a row of print
READ_MARGIN = 0.3  # share of a read word's height its box is taken wider, for glyphs it cut


def unread_rows(gray: np.ndarray, reads: Sequence[Sequence[Line]]) -> list[tuple[int, int]]:
    """The rows of print (top, bottom) on the card ``gray`` that no word of ``reads`` holds."""
    # words, not rows: a tilted photo's row box is as tall as its slope, and covers its
    # neighbours' print
    boxes = [word.box for read in reads for line in read for word in line.words]
    heights = [box[3] for box in boxes if box[3] > 0]
    if not heights or gray.size == 0:
        return []
    height = float(median(heights))
    block = max(3, int(2 * height) | 1)
    ink = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, INK_CONTRAST
    )
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    low, high = GLYPH_HEIGHTS[0] * height, GLYPH_HEIGHTS[1] * height
    glyphs = []
    for index in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[index])
        if not low <= h <= high or w > MAX_GLYPH_WIDTH * height:
            continue
        cy = y + h / 2
        if any(_inside(x + w / 2, cy, box) for box in boxes):
            continue
        glyphs.append((cy, y, y + h))
    rows: list[tuple[int, int]] = []
    group: list[tuple[float, int, int]] = []
    for glyph in sorted(glyphs):
        if group and glyph[0] - group[-1][0] > height / 2:
            rows.extend(_row(group))
            group = []
        group.append(glyph)
    rows.extend(_row(group))
    return rows


def _inside(x: float, y: float, box: tuple[int, int, int, int]) -> bool:
    left, top, width, height = box
    margin = READ_MARGIN * height
    return (
        left - margin <= x <= left + width + margin and top - margin <= y <= top + height + margin
    )


def _row(group: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    if len(group) < MIN_GLYPHS:
        return []
    return [(min(g[1] for g in group), max(g[2] for g in group))]
