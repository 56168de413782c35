"""A blood group no read held is read from where the card prints it (``ocr_gpu.bloodgroup``)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_gpu import bloodgroup, ppocr
from ocr_gpu.result import Line, Word
from ocr_gpu.testing.fonts import available, path_of

pytestmark = pytest.mark.slow

FACES = ["dejavu-sans", "arimo-bold", "opensans", "lato-bold"]
SIZE = 24


def _font(face_name: str, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size``; the test skips, naming the face, where its Debian package is not
    installed (``.ci/run`` installs every face these tests draw with)."""
    if not available(face_name):
        pytest.skip(f"font {face_name} is not installed")
    return ImageFont.truetype(str(path_of(face_name)), size)


def _row(value: str, face_name: str, gap: int, blur: float) -> tuple[np.ndarray, Line]:
    """``JENIS KELAMIN : PEREMPUAN   GOL. DARAH : value`` on a light card, the value ``gap``
    pixels right of the colon, and the row as a read that lost the value gave it."""
    face = _font(face_name, SIZE)
    image = Image.new("RGB", (900, 70), (214, 232, 236))
    draw = ImageDraw.Draw(image)
    words, x = [], 20.0
    for text in ("JENIS", "KELAMIN", ":", "PEREMPUAN", "GOL.", "DARAH", ":"):
        left, top, right, bottom = draw.textbbox((x, 20), text, face)
        draw.text((x, 20), text, (30, 30, 30), face)
        words.append(Word(text, 96.0, (int(left), int(top), int(right - left), int(bottom - top))))
        x = right + (60 if text == "PEREMPUAN" else 12)
    if value:
        draw.text((x - 12 + gap, 20), value, (30, 30, 30), face)
    card = np.asarray(image)[:, :, ::-1].copy()
    if blur:
        card = cv2.GaussianBlur(card, (0, 0), blur)
    line = Line(" ".join(w.text for w in words), tuple(words), "page", (20, 20, 700, 30))
    return card, line


def _filled(card: np.ndarray, line: Line) -> str:
    engine = ppocr.get_engine(use_cuda=False)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    (out,) = bloodgroup.fill([line], card, gray, engine.recognise)
    return out.text


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("value", ["O", "A", "AB", "B+"])
def test_a_blood_group_set_apart_from_its_label_is_read_from_the_card(value, face):
    card, line = _row(value, face, gap=28, blur=0.8)

    assert _filled(card, line) == f"{line.text} {value}"


@pytest.mark.parametrize("face", FACES)
def test_a_card_that_prints_no_group_gets_none(face):
    for value in ("", "-"):  # nothing, or the dash of an unknown group
        card, line = _row(value, face, gap=28, blur=0.8)

        assert _filled(card, line) == line.text


def test_a_row_whose_group_was_read_is_left_alone():
    card, line = _row("O", "dejavu-sans", gap=28, blur=0.0)
    read = Word("O", 90.0, (line.box[0] + 600, 20, 18, 24))
    whole = Line(f"{line.text} O", (*line.words, read), "page", line.box)

    assert _filled(card, whole) == whole.text


def _boxed(value: str, face_name: str) -> tuple[np.ndarray, Line]:
    """``GOL. DARAH`` in small print at the top of a framed box, the group larger under it,
    and the label's row as a read that lost the group gave it."""
    small, large = _font(face_name, 16), _font(face_name, 28)
    image = Image.new("RGB", (400, 120), (244, 240, 228))
    draw = ImageDraw.Draw(image)
    draw.rectangle((150, 10, 260, 100), outline=(40, 50, 90), width=2)
    words, x = [], 168.0
    for text in ("GOL.", "DARAH"):
        left, top, right, bottom = draw.textbbox((x, 18), text, small)
        draw.text((x, 18), text, (40, 50, 90), small)
        words.append(Word(text, 96.0, (int(left), int(top), int(right - left), int(bottom - top))))
        x = right + 6
    if value:
        width = draw.textlength(value, large)
        draw.text((205 - width / 2, 50), value, (20, 20, 20), large)
    card = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), 0.7)
    line = Line("GOL. DARAH", tuple(words), "page", (168, 18, 80, 16))
    return card, line


@pytest.mark.parametrize("face", FACES[:2])
@pytest.mark.parametrize("value", ["O", "AB", "B-"])
def test_a_blood_group_in_a_box_under_its_label_is_read_from_the_card(value, face):
    card, line = _boxed(value, face)

    assert _filled(card, line) == f"GOL. DARAH {value}"


def test_a_box_under_the_label_with_no_group_in_it_adds_nothing():
    card, line = _boxed("", "dejavu-sans")

    assert _filled(card, line) == "GOL. DARAH"
