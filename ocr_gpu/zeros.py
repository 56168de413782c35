"""Zeros with a dot or a stroke inside, opened for Tesseract: ``0`` drawn as a plain ring.

Many monospace faces mark their zero (a dot in its middle, a slash or a bar across it) to tell
it from ``O``. Tesseract's digit model reads such a zero as ``8`` or ``6`` (``7371141588870698``
for ``7371141508870698``), PP-OCR reads it right, and a number only one engine reads is never
approved, so every card printed in such a face went to a person. On the number's box the marked
zero is easy to tell apart: its outline is an oval, convex all round, where an ``8``'s is pinched
at the waist. Measured on every face installed here (2,026 eights and 327 marked zeros, sharp and
blurred): the ink of a marked zero fills at least 0.96 of its convex hull, an eight's at most
0.945 in 95 of 100 (square-bodied eights of DIN-like faces reach 0.99). A dot or stroke that
touches the ring splits its hole in two; one that does not is a blob inside the ring's one hole.
Either way the inside is cleared, and Tesseract reads the plain ring.

Only Tesseract's larger re-read of a number's box uses the opened image (``ocr_gpu.pipeline``):
a value still needs two engines to agree, so an eight opened in error makes Tesseract disagree
with PP-OCR, never agree with it.
"""

from __future__ import annotations

import cv2
import numpy as np

SOLID = 0.96  # a zero's ink over its convex hull: an oval (see above)
# A digit of the box: its height this share of the box's (which has a margin round the number;
# a frame round the number fills it), and higher than wide by this much
DIGIT_HEIGHT = (0.4, 0.9)
DIGIT_SHAPE = (0.9, 2.6)
MIN_HOLE = 4.0  # pixels: a smaller hole is a gap in the ink, not a counter
PAPER = 90  # the percentile of the crop's grey taken for the paper


def opened(gray: np.ndarray) -> np.ndarray:
    """``gray`` (a number's box) with the inside of every marked zero cleared; ``gray`` itself
    when it holds none."""
    if gray.size == 0:
        return gray
    _, ink = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return gray
    links = hierarchy[0]
    outers = [i for i in range(len(contours)) if links[i][3] == -1]
    inside: list[np.ndarray] = []
    for index in outers:
        outline = contours[index]
        if not _digit_sized(outline, gray.shape[0]) or _solidity(outline) < SOLID:
            continue
        holes = [
            contours[h] for h in _holes(links, index) if cv2.contourArea(contours[h]) > MIN_HOLE
        ]
        if len(holes) == 2:
            inside.append(cv2.convexHull(np.vstack(holes)))
        elif len(holes) == 1:
            inside.extend(_blobs_in(holes[0], [contours[i] for i in outers if i != index]))
    if not inside:
        return gray
    out = gray.copy()
    cv2.fillPoly(out, inside, int(np.percentile(gray, PAPER)))
    return out


def _digit_sized(outline: np.ndarray, box_height: int) -> bool:
    _, _, width, height = cv2.boundingRect(outline)
    low, high = DIGIT_HEIGHT
    narrow, tall = DIGIT_SHAPE
    return low * box_height <= height <= high * box_height and narrow <= height / width <= tall


def _solidity(outline: np.ndarray) -> float:
    hull = cv2.contourArea(cv2.convexHull(outline))
    return cv2.contourArea(outline) / hull if hull else 0.0


def _holes(links: np.ndarray, index: int) -> list[int]:
    found, child = [], int(links[index][2])
    while child != -1:
        found.append(child)
        child = int(links[child][0])
    return found


def _blobs_in(hole: np.ndarray, others: list[np.ndarray]) -> list[np.ndarray]:
    """The marks lying wholly inside ``hole``: a zero's loose dot."""
    x, y, w, h = cv2.boundingRect(hole)
    blobs = []
    for other in others:
        ox, oy, ow, oh = cv2.boundingRect(other)
        if x <= ox and y <= oy and ox + ow <= x + w and oy + oh <= y + h:
            blobs.append(cv2.convexHull(other))
    return blobs
