"""Rows of print no read holds are found on the card's pixels; blank room, rules and a pale
background pattern are not print."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr_gpu.result import Line, Word
from ocr_gpu.testing.fonts import CANONICAL, font
from ocr_gpu.unread import unread_rows

SIZE = 28
ROWS = [
    (60, "GUNAWAN WIBISONO"),
    (130, "09.402.824.8-008.000"),
    (190, "NIK : 3173015406750202"),
    (250, "KPP PRATAMA JAKARTA DUREN SAWIT"),
    (300, "JL. KI HAJAR DEWANTARA NO. 148C"),
]


def _card(*, stripes: bool = False, blur: float = 0.0) -> tuple[np.ndarray, list[Line]]:
    """An NPWP's rows printed on a light card, a dashed rule under the number, and each row as
    an engine read it (one word per printed word, boxed where it is printed)."""
    image = Image.new("L", (1012, 400), 235)
    draw = ImageDraw.Draw(image)
    if stripes:  # a pale diagonal pattern behind the print
        for x in range(-400, 1012, 24):
            draw.line([(x, 400), (x + 400, 0)], fill=215, width=6)
    draw.line([(40, 172), (900, 172)], fill=150, width=2)
    for x in range(40, 900, 30):
        draw.line([(x, 178), (x + 12, 178)], fill=150, width=2)
    face = font(CANONICAL.text, SIZE)
    lines = []
    for top, text in ROWS:
        words, x = [], 40
        for word in text.split():
            left, upper, right, lower = draw.textbbox((x, top), word, face)
            draw.text((x, top), word, 30, face)
            words.append(Word(word, 95.0, (left, upper, right - left, lower - upper)))
            x = right + 14
        box = (words[0].box[0], top, words[-1].box[0] + words[-1].box[2] - 40, SIZE)
        lines.append(Line(text=text, words=tuple(words), region="page", box=box))
    gray = np.asarray(image)
    if blur:
        gray = cv2.GaussianBlur(gray, (0, 0), blur)
    return np.ascontiguousarray(gray), lines


@pytest.mark.parametrize("stripes", [False, True])
@pytest.mark.parametrize("blur", [0.0, 1.5])
def test_a_row_no_read_holds_is_found_and_rows_read_are_not(stripes, blur):
    gray, lines = _card(stripes=stripes, blur=blur)
    without_nik = [line for line in lines if not line.text.startswith("NIK")]

    assert unread_rows(gray, [lines, lines]) == []
    (row,) = unread_rows(gray, [without_nik, without_nik[:2]])
    assert row[0] < 190 + SIZE and row[1] > 190  # the NIK line's row


def test_a_row_one_engine_read_is_read():
    gray, lines = _card()
    without_nik = [line for line in lines if not line.text.startswith("NIK")]

    assert unread_rows(gray, [without_nik, lines]) == []


def test_nothing_read_nothing_measured():
    gray, _ = _card()

    assert unread_rows(gray, [[], []]) == []
