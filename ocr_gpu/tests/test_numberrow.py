"""A number label whose number the read of the whole card passed over gets it read from the ink
by the label (``ocr_gpu.numberrow``), with the real recogniser."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from ocr_gpu import numberrow
from ocr_gpu.result import OcrResult, Word
from ocr_gpu.testing.recognisers import CountedRecogniser
from ocr_gpu.testing.rows import line_of

pytestmark = pytest.mark.slow

FONT = cv2.FONT_HERSHEY_SIMPLEX
NIK = "3273124101850182"
NPWP = "87.822.338.7-869.000"


def _card() -> np.ndarray:
    return np.full((400, 1000, 3), 248, np.uint8)


def _print(card: np.ndarray, text: str, x: int, base: int, scale: float) -> Word:
    """``text`` printed on ``card`` with its baseline at ``base``: the word as a read gives it."""
    (width, height), _ = cv2.getTextSize(text, FONT, scale, 2)
    cv2.putText(card, text, (x, base), FONT, scale, (25, 25, 25), 2)
    return Word(text, 98.0, (x, base - height, width, height + 2))


def _gray(card: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)


def test_a_nik_the_read_passed_over_is_read_from_the_ink_right_of_its_label():
    card = _card()
    label = _print(card, "NIK", 30, 80, 0.9)
    _print(card, ":", 200, 80, 0.9)
    _print(card, NIK, 240, 84, 1.2)  # printed larger than the label, as KTPs do
    name = _print(card, "Nama", 30, 140, 0.8)
    lines = [line_of([label]), line_of([name, _print(card, "SITI AMINAH", 240, 140, 0.8)])]

    out = numberrow.fill(lines, card, _gray(card), CountedRecogniser())

    assert [w.text for w in out[0].words] == ["NIK", NIK]
    assert out[1] is lines[1]
    # marked as read from a crop (no whole-card read saw it), through storage too
    stored = OcrResult.from_dict(json.loads(json.dumps(OcrResult(lines=out).to_dict())))
    assert [w.cropped for w in stored.lines[0].words] == [False, True]


def test_pieces_of_the_number_give_way_to_its_whole_read():
    card = _card()
    label = _print(card, "NIK", 30, 80, 0.9)
    _print(card, NIK, 240, 84, 1.2)
    pieces = [Word("2", 60.0, (300, 60, 20, 28)), Word("5", 60.0, (500, 60, 20, 28))]

    (line,) = numberrow.fill([line_of([label, *pieces])], card, _gray(card), CountedRecogniser())

    assert [w.text for w in line.words] == ["NIK", NIK]


@pytest.mark.parametrize("pieces", [False, True])
def test_an_npwp_number_printed_under_its_label_is_read_as_a_row_of_its_own(pieces):
    card = _card()
    label = _print(card, "NPWP", 30, 60, 0.8)
    _print(card, NPWP, 30, 130, 1.4)
    name = _print(card, "ZAINUDDIN", 30, 200, 0.9)
    lines = [line_of([label]), line_of([name])]
    if pieces:  # the read gave a few of its digits, as a row of their own: they give way
        read = [Word("7", 60.0, (60, 95, 20, 36)), Word("0", 60.0, (200, 95, 20, 36))]
        lines.insert(1, line_of(read))

    out = numberrow.fill(lines, card, _gray(card), CountedRecogniser())

    assert [line.text for line in out] == ["NPWP", NPWP, "ZAINUDDIN"]


def test_a_label_with_its_number_read_or_nothing_printed_by_it_is_left_as_read():
    card = _card()
    label = _print(card, "NIK", 30, 80, 0.9)
    number = _print(card, NIK, 240, 84, 1.2)
    other = _print(card, "NIK", 30, 200, 0.9)
    _print(card, ":", 200, 200, 0.9)  # a colon and no number: a design printing none there
    lines = [line_of([label, number]), line_of([other])]
    recognise = CountedRecogniser()

    out = numberrow.fill(lines, card, _gray(card), recognise)

    assert out == lines
    assert recognise.calls == 0
