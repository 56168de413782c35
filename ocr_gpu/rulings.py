"""Ruled lines erased for Tesseract: a frame round a field, a rule under the header.

Cards print some values inside a drawn frame (the number of an NPWP in a rounded box, a thin
border round the whole card, a rule under the header band). Tesseract's page segmentation takes
a frame and everything inside it for one picture and reads none of it: on an NPWP whose number
sits in a box, its whole-card read had every line but the number, so the number had one engine's
read and went to a person. PP-OCR's detector finds text lines whatever surrounds them.

A rule is a run of ink at least an eighth of the card long, across or down, with paper on both
sides of it ``MAX_RULE`` pixels away: a letter's stroke is far shorter, and a filled band (a
header's background, white letters on it) has its own colour on at least one side. Each rule is
painted over with the paper next to it.
"""

from __future__ import annotations

import cv2
import numpy as np

RULE_SHARE = 8  # a rule spans at least 1/8 of the card's width (across) or height (down)
MAX_RULE = 7  # pixels: the paper on each side of a rule is at most this far from any of its pixels
INK = 40  # a rule's pixel is this much darker than the paper on both sides of it


def _between_paper(gray: np.ndarray, axis: int) -> np.ndarray:
    """Pixels darker by ``INK`` than the pixels ``MAX_RULE`` away on both sides along ``axis``."""
    level = gray.astype(np.int16)
    if axis == 0:
        padded = np.pad(level, ((MAX_RULE, MAX_RULE), (0, 0)), "edge")
        before, after = padded[: -2 * MAX_RULE], padded[2 * MAX_RULE :]
    else:
        padded = np.pad(level, ((0, 0), (MAX_RULE, MAX_RULE)), "edge")
        before, after = padded[:, : -2 * MAX_RULE], padded[:, 2 * MAX_RULE :]
    dark = (before - level > INK) & (after - level > INK)
    return dark.astype(np.uint8) * 255


def erased(gray: np.ndarray) -> np.ndarray:
    """``gray`` (a card) with each thin long rule painted over; ``gray`` itself if it has none."""
    height, width = gray.shape[:2]
    if min(height, width) < RULE_SHARE * MAX_RULE:
        return gray
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (width // RULE_SHARE, 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, height // RULE_SHARE))
    rules = cv2.bitwise_or(
        cv2.morphologyEx(_between_paper(gray, 0), cv2.MORPH_OPEN, across),
        cv2.morphologyEx(_between_paper(gray, 1), cv2.MORPH_OPEN, down),
    )
    if not rules.any():
        return gray
    painted = cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0
    paper = cv2.dilate(gray, np.ones((2 * MAX_RULE + 1, 2 * MAX_RULE + 1), np.uint8))
    out = gray.copy()
    out[painted] = paper[painted]
    return out
