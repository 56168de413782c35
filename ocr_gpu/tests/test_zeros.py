"""Zeros with a dot or a stroke inside are opened for Tesseract's larger re-read; eights, plain
zeros and a frame round the number are left as printed."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_gpu import zeros

CELL, HEIGHT, STROKE = 40, 44, 4
PAPER, INK = 235, 30


def _glyphs(*kinds: str, frame: bool = False) -> np.ndarray:
    """One glyph per cell, drawn apart: ``zero`` (a plain ring), ``slashed``, ``barred`` (a bar
    across, touching the ring), ``dotted`` (a loose dot inside), ``eight``."""
    image = np.full((HEIGHT + 30, CELL * len(kinds) + 30), PAPER, np.uint8)
    for index, kind in enumerate(kinds):
        cx, cy = 15 + CELL * index + CELL // 2, 15 + HEIGHT // 2
        if kind == "eight":
            for dy, ry in ((-10, 10), (11, 11)):
                cv2.ellipse(image, (cx, cy + dy), (11, ry), 0, 0, 360, INK, STROKE, cv2.LINE_AA)
            continue
        cv2.ellipse(image, (cx, cy), (12, 20), 0, 0, 360, INK, STROKE, cv2.LINE_AA)
        if kind == "slashed":
            cv2.line(image, (cx + 9, cy - 16), (cx - 9, cy + 16), INK, STROKE, cv2.LINE_AA)
        elif kind == "barred":
            cv2.line(image, (cx - 11, cy), (cx + 11, cy), INK, STROKE, cv2.LINE_AA)
        elif kind == "dotted":
            cv2.circle(image, (cx, cy), 3, INK, -1, cv2.LINE_AA)
    if frame:
        cv2.rectangle(image, (3, 3), (image.shape[1] - 4, image.shape[0] - 4), INK, 2)
    return image


def _holes_per_glyph(image: np.ndarray) -> list[int]:
    """Left to right, each glyph's holes (a loose dot inside a ring counts as a hole)."""
    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_TREE, cv2.CHAIN_APPROX_NONE)
    links = hierarchy[0]
    glyphs = []
    for index, contour in enumerate(contours):
        x, _, _, h = cv2.boundingRect(contour)
        if links[index][3] == -1 and h > HEIGHT // 2:
            holes, child = 0, links[index][2]
            while child != -1:
                holes += 1 + (links[child][2] != -1)  # a dot inside the hole: one more
                child = links[child][0]
            glyphs.append((x, holes))
    return [holes for _, holes in sorted(glyphs)]


def test_a_zero_with_a_mark_inside_is_drawn_as_a_plain_ring():
    printed = _glyphs("slashed", "barred", "dotted", "zero")
    assert _holes_per_glyph(printed) == [2, 2, 2, 1]

    assert _holes_per_glyph(zeros.opened(printed)) == [1, 1, 1, 1]


def test_an_eight_and_a_plain_zero_are_left_as_printed():
    printed = _glyphs("eight", "zero", "eight")

    assert zeros.opened(printed) is printed


def test_a_frame_round_the_number_is_no_zero():
    # a boxed NPWP number: the frame is a ring round every digit, not a zero round marks
    printed = _glyphs("eight", "zero", "eight", frame=True)

    assert zeros.opened(printed) is printed
    opened = zeros.opened(_glyphs("slashed", "eight", frame=True))
    assert _holes_per_glyph(opened[8:-8, 8:-8]) == [1, 2]  # inside the frame
