"""A degree's final dot both engines lost is given back where the card prints it, and only
there."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr_gpu import dots
from ocr_gpu.result import Line, Word
from ocr_gpu.testing.fonts import CANONICAL, font

SIZE = 30


def _printed(degree: str, blur: float) -> tuple[np.ndarray, Word]:
    """``degree`` printed on a light card, blurred as a photo blurs it, and the word as an
    engine read it: the box ends at the last letter, and the text has no final dot."""
    image = Image.new("L", (400, 80), 200)
    draw = ImageDraw.Draw(image)
    face = font(CANONICAL.text, SIZE)
    draw.text((40, 20), degree, 40, face)
    read = degree.rstrip(".")
    left, top, right, bottom = draw.textbbox((40, 20), read, face)
    gray = np.asarray(image)
    if blur:
        gray = cv2.GaussianBlur(gray, (0, 0), blur)
    return gray, Word(read, 95.0, (left, top, right - left, bottom - top))


def _mended(gray: np.ndarray, word: Word) -> str:
    words = (Word("AMINAH,", 95.0, (0, 0, 1, 1)), word)
    line = Line(text=f"AMINAH, {word.text}", words=words, region="page", box=word.box)
    return dots.mend([line], gray)[0].text


@pytest.mark.parametrize("blur", [0.0, 1.5])
@pytest.mark.parametrize("degree", ["S.PD.", "M.M.", "S.KOM."])
def test_a_final_dot_printed_on_the_card_is_given_back(degree, blur):
    gray, word = _printed(degree, blur)

    assert _mended(gray, word) == f"AMINAH, {degree}"


@pytest.mark.parametrize("blur", [0.0, 1.5])
@pytest.mark.parametrize("degree", ["S.SOS", "S.KEP", "S.IP"])
def test_no_dot_is_added_to_a_degree_printed_without_one(degree, blur):
    gray, word = _printed(degree, blur)

    assert _mended(gray, word) == f"AMINAH, {degree}"


def test_words_that_are_no_degree_are_left_alone():
    gray, _ = _printed("BUDI.", 0.0)
    word = Word("BUDI", 95.0, (40, 24, 60, 22))

    line = Line(text="BUDI", words=(word,), region="page", box=word.box)

    assert dots.mend([line], gray)[0].text == "BUDI"


def _address(printed: str, blur: float) -> tuple[np.ndarray, Line]:
    """``printed`` as one address row, and the row as the engines read it: each word's box
    ends at its last letter, and no word has its final dot."""
    image = Image.new("L", (700, 80), 200)
    draw = ImageDraw.Draw(image)
    face = font(CANONICAL.text, SIZE)
    draw.text((40, 20), printed, 40, face)
    words, x = [], 40
    for word in printed.split():
        read = word.rstrip(".")
        left, top, right, bottom = draw.textbbox((x, 20), read, face)
        words.append(Word(read, 95.0, (left, top, right - left, bottom - top)))
        x += round(draw.textlength(word + " ", face))
    gray = np.asarray(image)
    if blur:
        gray = cv2.GaussianBlur(gray, (0, 0), blur)
    box = (40, 20, x - 40, SIZE)
    return gray, Line(
        text=" ".join(w.text for w in words), words=tuple(words), region="page", box=box
    )


@pytest.mark.parametrize("blur", [0.0, 1.0])
@pytest.mark.parametrize(
    "printed",
    [
        "JL. MAWAR NO. 12",
        "GG. BERSAMA NO. 5",
        # printed without the dots: none is added
        "JL MAWAR NO 12",
        "KOMP GRIYA ASRI",
    ],
)
def test_an_address_word_s_dot_is_given_back_only_where_printed(printed, blur):
    gray, line = _address(printed, blur)

    assert dots.mend([line], gray)[0].text == printed
