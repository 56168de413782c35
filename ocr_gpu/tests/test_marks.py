"""Words PP-OCR's read of the whole card gave as marks alone are read again from their own box
(``ocr_gpu.marks``), with the real recogniser."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_gpu import marks, ppocr
from ocr_gpu.result import Line, Word

pytestmark = pytest.mark.slow

FONT = cv2.FONT_HERSHEY_SIMPLEX
SCALE, THICKNESS, BASE, HEIGHT = 0.9, 2, 44, 24
NIK = "3273124101850182"


def _row(label: str, value: str) -> tuple[np.ndarray, Word, Box]:
    """A card row printing ``label`` and ``value`` apart; the label's word as read, and the box
    the value's print covers."""
    image = np.full((70, 900, 3), 250, np.uint8)
    cv2.putText(image, label, (10, BASE), FONT, SCALE, (20, 20, 20), THICKNESS)
    label_width = cv2.getTextSize(label, FONT, SCALE, THICKNESS)[0][0]
    cv2.putText(image, value, (200, BASE), FONT, SCALE, (20, 20, 20), THICKNESS)
    value_width = cv2.getTextSize(value, FONT, SCALE, THICKNESS)[0][0]
    label_word = Word(label, 99.0, (10, BASE - HEIGHT + 2, label_width, HEIGHT))
    return image, label_word, (200, BASE - HEIGHT + 2, value_width, HEIGHT)


Box = tuple[int, int, int, int]


def _line(words: list[Word]) -> Line:
    return Line(" ".join(w.text for w in words), tuple(words), "page", (0, 0, 1, 1))


def _gray(card: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)


def _recognise(crop: np.ndarray) -> tuple[str, float]:
    return ppocr.get_engine(use_cuda=False).recognise(crop)


def test_a_number_read_as_marks_is_read_again_from_its_box():
    # the read of the whole card gave the number as two runs of dots over part of its print
    card, label, (x, y, w, h) = _row("NIK", NIK)
    dots = [
        Word("|......|", 53.0, (x + w // 4, y, w // 4, h)),
        Word("......", 66.0, (x + w // 2, y, w // 5, h)),
    ]

    (line,) = marks.fill([_line([label, *dots])], card, _gray(card), _recognise)

    assert line.text == f"NIK {NIK}"
    number = line.words[1]
    assert number.box[0] <= x + 2 and number.box[0] + number.box[2] >= x + w - 2  # all its print


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (":", ":"),  # a colon: one mark, narrow
        ("- - - -", "- - - -"),  # a dashed rule reads as marks again
        ("......", "......"),  # a dotted leader
    ],
)
def test_marks_that_are_marks_stay_as_read(value, read):
    card, label, box = _row("Nama", value)
    words = [label, Word(read, 80.0, box)]

    (line,) = marks.fill([_line(words)], card, _gray(card), _recognise)

    assert [w.text for w in line.words] == ["Nama", read]
