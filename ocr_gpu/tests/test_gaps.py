"""Words PP-OCR's detector missed inside a row are read again from the row (``ocr_gpu.gaps``)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_gpu import gaps
from ocr_gpu.result import Line, Word
from ocr_gpu.testing.recognisers import CountedRecogniser

pytestmark = pytest.mark.slow

FONT = cv2.FONT_HERSHEY_SIMPLEX
SCALE, THICKNESS, BASE, HEIGHT = 0.8, 2, 40, 22


def _row(words: list[str], faint: set[int]) -> tuple[np.ndarray, list[Word]]:
    """A card row printing ``words``; the words at the ``faint`` indexes washed out by glare
    (light grey on white), the others black. The words read: the dark ones, with their boxes."""
    image = np.full((60, 1000, 3), 255, np.uint8)
    space = cv2.getTextSize(" ", FONT, SCALE, THICKNESS)[0][0]
    read, x = [], 10
    for index, word in enumerate(words):
        width = cv2.getTextSize(word, FONT, SCALE, THICKNESS)[0][0]
        ink = (200, 200, 200) if index in faint else (20, 20, 20)
        cv2.putText(image, word, (x, BASE), FONT, SCALE, ink, THICKNESS)
        if index not in faint:
            read.append(Word(word, 96.0, (x, BASE - HEIGHT + 4, width, HEIGHT)))
        x += width + space
    return image, read


def _line(words: list[Word]) -> Line:
    return Line(" ".join(w.text for w in words), tuple(words), "page", (0, 0, 1, 1))


def _even(card: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    return cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX)


def test_words_washed_out_inside_a_row_are_read_again_from_the_row():
    card, read = _row(["RT", "012/002", "CIPAGANTI", "TEGALSARI", "KOTA", "SURAKARTA"], {2, 3})
    recognise = CountedRecogniser()

    (line,) = gaps.fill([_line(read)], card, _even(card), recognise)

    assert line.text == "RT 012/002 CIPAGANTI TEGALSARI KOTA SURAKARTA"
    assert recognise.calls == 1
    boxes = [w.box for w in line.words]
    assert boxes == sorted(boxes)  # the words found lie in the gap, in order


def test_a_gap_between_columns_is_not_read_again():
    # a label, its colon and its value, a column's width apart: the gap holds only the colon
    card = np.full((60, 1000, 3), 255, np.uint8)
    read = []
    for text, x in (("Agama", 10), (":", 200), ("ISLAM", 236)):
        width = cv2.getTextSize(text, FONT, SCALE, THICKNESS)[0][0]
        cv2.putText(card, text, (x, BASE), FONT, SCALE, (20, 20, 20), THICKNESS)
        read.append(Word(text, 96.0, (x, BASE - HEIGHT + 4, width, HEIGHT)))
    recognise = CountedRecogniser()

    (line,) = gaps.fill([_line(read)], card, _even(card), recognise)

    assert line.text == "Agama : ISLAM"
    assert recognise.calls == 0


def test_a_read_of_the_row_that_disagrees_with_the_words_either_side_is_not_taken():
    card, read = _row(["RT", "012/002", "CIPAGANTI", "KOTA", "SURAKARTA"], {2})
    wrong = [Word("RT", 96.0, read[0].box), Word("019/003", 96.0, read[1].box), *read[2:]]

    (line,) = gaps.fill([_line(wrong)], card, _even(card), CountedRecogniser())

    assert line.text == "RT 019/003 KOTA SURAKARTA"
