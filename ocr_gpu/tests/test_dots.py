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
        "JL. KH. AHMAD DAHLAN",
        "KP. SAWAH LR. MELATI KM. 5",
        # printed without the dots: none is added
        "JL MAWAR NO 12",
        "KOMP GRIYA ASRI",
        "JL KH AHMAD DAHLAN",
        "KP SAWAH LR MELATI KM 5",
    ],
)
def test_an_address_word_s_dot_is_given_back_only_where_printed(printed, blur):
    gray, line = _address(printed, blur)

    assert dots.mend([line], gray)[0].text == printed


def _dot_run_into_the_foot(dot: bool) -> tuple[np.ndarray, Line]:
    """``JL. MAWAR`` as a blurred photo prints it: the dot run into the L's foot, joined to it by
    a neck two thirds as dark as the ink (a blob of its own at no share of the ink), and the
    engine's box for ``JL`` ending inside the dot; with ``dot`` False, ``JL MAWAR``."""
    image = Image.new("L", (500, 80), 200)
    draw = ImageDraw.Draw(image)
    face = font(CANONICAL.text, SIZE)
    draw.text((40, 20), "JL", 40, face)
    left = draw.textbbox((40, 20), "JL", face)[0]
    # the L's own box: its foot's last column and the baseline
    _, top, _, bottom = draw.textbbox((40 + draw.textlength("J", face), 20), "L", face)
    side = round(0.16 * SIZE)
    ink = np.asarray(image)[bottom - side : bottom, left:] < 120
    right = left + int(np.nonzero(ink.any(axis=0))[0].max()) + 1
    end = right
    if dot:
        draw.rectangle((right - 2, bottom - side, right, bottom - 1), fill=96)  # the neck
        draw.rectangle((right + 1, bottom - side, right + side, bottom - 1), fill=40)
        end = right + 1 + side // 2
    x = right + side + round(0.3 * SIZE)
    draw.text((x, 20), "MAWAR", 40, face)
    left2, _, right2, _ = draw.textbbox((x, 20), "MAWAR", face)
    words = (
        Word("JL", 95.0, (left, top, end - left, bottom - top)),
        Word("MAWAR", 95.0, (left2, top, right2 - left2, bottom - top)),
    )
    line = Line(text="JL MAWAR", words=words, region="page", box=(left, top, right2 - left, SIZE))
    return np.asarray(image), line


@pytest.mark.parametrize("dot", [True, False])
def test_a_dot_run_into_the_last_letter_s_foot_is_found_and_none_is_added_without_it(dot):
    gray, line = _dot_run_into_the_foot(dot)

    assert dots.mend([line], gray)[0].text == ("JL. MAWAR" if dot else "JL MAWAR")
