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


def _draw_words(draw: ImageDraw.ImageDraw, texts, x: float, y: int, face, gap: int) -> list[Word]:
    words = []
    for text in texts:
        left, top, right, bottom = draw.textbbox((x, y), text, face)
        draw.text((x, y), text, (30, 30, 30), face)
        words.append(Word(text, 96.0, (int(left), int(top), int(right - left), int(bottom - top))))
        x = right + gap
    return words


def _line(words: list[Word]) -> Line:
    left = min(w.box[0] for w in words)
    top = min(w.box[1] for w in words)
    right = max(w.box[0] + w.box[2] for w in words)
    bottom = max(w.box[1] + w.box[3] for w in words)
    return Line(
        " ".join(w.text for w in words),
        tuple(words),
        "page",
        (left, top, right - left, bottom - top),
    )


def _captions_over_values(value: str, face_name: str) -> tuple[np.ndarray, list[Line]]:
    """Captions printed small over their values (``Jenis Kelamin  Gol. Darah`` over
    ``PEREMPUAN  value``), and the two rows as a read that lost the group gave them."""
    small, large = _font(face_name, 15), _font(face_name, 24)
    image = Image.new("RGB", (700, 110), (232, 232, 236))
    draw = ImageDraw.Draw(image)
    captions = _draw_words(draw, ["Jenis", "Kelamin"], 20, 14, small, 6)
    captions += _draw_words(draw, ["Gol.", "Darah"], 300, 14, small, 6)
    values = _draw_words(draw, ["PEREMPUAN"], 20, 36, large, 12)
    if value:
        draw.text((300, 36), value, (30, 30, 30), large)
    card = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), 0.7)
    return card, [_line(captions), _line(values)]


@pytest.mark.parametrize("face", FACES[:2])
@pytest.mark.parametrize("value", ["O", "AB"])
def test_a_blood_group_under_its_caption_joins_the_row_of_values(value, face):
    card, lines = _captions_over_values(value, face)
    engine = ppocr.get_engine(use_cuda=False)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)

    captions, values = bloodgroup.fill(lines, card, gray, engine.recognise)

    assert captions.text == "Jenis Kelamin Gol. Darah"
    assert values.text == f"PEREMPUAN {value}"


def test_a_letter_of_the_next_row_read_already_is_no_blood_group():
    """A KTP-el's sex row whose group was lost, over the address: the address's letters under
    the label are the address's, read already."""
    face, small = _font("dejavu-sans", SIZE), _font("dejavu-sans", SIZE)
    image = Image.new("RGB", (900, 110), (214, 232, 236))
    draw = ImageDraw.Draw(image)
    row = _draw_words(
        draw, ["JENIS", "KELAMIN", ":", "LAKI-LAKI", "GOL.", "DARAH", ":"], 20, 14, face, 12
    )
    address = _draw_words(
        draw, ["ALAMAT", ":", "JL.", "ANGGREK", "AB", "BLOK", "A"], 20, 50, small, 12
    )
    card = np.asarray(image)[:, :, ::-1].copy()
    engine = ppocr.get_engine(use_cuda=False)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    lines = [_line(row), _line(address)]

    out = bloodgroup.fill(lines, card, gray, engine.recognise)

    assert [line.text for line in out] == [line.text for line in lines]


@pytest.mark.parametrize("face", FACES[:2])
def test_a_group_under_its_caption_is_told_from_a_longer_value_of_the_next_row(face):
    """Captions over values, the next row's value (``Kel/Desa``: ``GONDOKUSUMAN``) starting
    just left of the group's column and reaching under it: the group is the glyph right under
    the caption, not the first letter of that value."""
    small, large = _font(face, 15), _font(face, 24)
    image = Image.new("RGB", (700, 150), (232, 232, 236))
    draw = ImageDraw.Draw(image)
    captions = _draw_words(draw, ["Alamat"], 20, 14, small, 6)
    captions += _draw_words(draw, ["Gol.", "Darah"], 300, 14, small, 6)
    # PP-OCR boxes a caption about twice its small letters' height
    captions = [
        Word(w.text, w.confidence, (w.box[0], w.box[1] - w.box[3] // 2, w.box[2], 2 * w.box[3]))
        for w in captions
    ]
    values = _draw_words(draw, ["JL.", "RAJAWALI"], 20, 40, large, 12)
    draw.text((300, 40), "O", (30, 30, 30), large)
    _draw_words(draw, ["Kel/Desa"], 20, 62, small, 6)
    _draw_words(draw, ["GONDOKUSUMAN"], 250, 76, large, 12)
    card = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), 0.7)
    engine = ppocr.get_engine(use_cuda=False)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)

    _, filled = bloodgroup.fill([_line(captions), _line(values)], card, gray, engine.recognise)

    assert filled.text == "JL. RAJAWALI O"


def _tall(words: list[Word]) -> list[Word]:
    """Words boxed as PP-OCR boxes them: about 1.8 times their capitals' height."""
    return [
        Word(
            w.text,
            w.confidence,
            (w.box[0], w.box[1] - w.box[3] * 2 // 5, w.box[2], w.box[3] * 9 // 5),
        )
        for w in words
    ]


@pytest.mark.parametrize("face", FACES[:2])
@pytest.mark.parametrize("value", ["O", ""])
def test_a_group_lost_before_another_row_s_label_beside_it_is_read(value, face):
    """``Gol. Darah`` with ``Kewarganegaraan : WNI`` printed beside it on one row, the values
    in a column well right of the short label and its lone ``O`` lost: the group is read from
    the value's column and put before the other label; a card printing no group gets none."""
    small = _font(face, 20)
    image = Image.new("RGB", (900, 60), (232, 236, 240))
    draw = ImageDraw.Draw(image)
    label = _tall(_draw_words(draw, ["Gol.", "Darah"], 20, 18, small, 8))
    if value:
        draw.text((230, 18), value, (30, 30, 30), small)
    beside = _tall(_draw_words(draw, ["Kewarganegaraan", ":", "WNI"], 420, 18, small, 8))
    card = cv2.GaussianBlur(np.asarray(image)[:, :, ::-1].copy(), (0, 0), 0.7)
    engine = ppocr.get_engine(use_cuda=False)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)

    (out,) = bloodgroup.fill([_line(label + beside)], card, gray, engine.recognise)

    expected = (
        f"Gol. Darah {value} Kewarganegaraan : WNI" if value else "Gol. Darah Kewarganegaraan : WNI"
    )
    assert out.text == expected


@pytest.mark.parametrize("face", FACES[:2])
@pytest.mark.parametrize(("value", "expected"), [("O", "O"), ("-", "")])
def test_a_group_as_tall_as_its_label_s_capitals_is_read_and_a_dash_is_none(value, expected, face):
    """The label boxed as PP-OCR boxes it (its capitals about 0.55 of the box, the box stopping
    short of the last letter's stem), the group set well apart in letters of the label's size:
    the group is read, a printed dash stays unread, and the stem left outside the label's box is
    no letter of a group."""
    small = _font(face, 20)
    image = Image.new("RGB", (600, 60), (232, 236, 240))
    draw = ImageDraw.Draw(image)
    label = _tall(_draw_words(draw, ["GOL.", "DARAH"], 20, 18, small, 8))
    x, y, w, h = label[-1].box
    label[-1] = Word(label[-1].text, 96.0, (x, y, w - 3, h))
    draw.text((210, 18), value, (30, 30, 30), small)
    card = np.asarray(image)[:, :, ::-1].copy()
    engine = ppocr.get_engine(use_cuda=False)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)

    (out,) = bloodgroup.fill([_line(label)], card, gray, engine.recognise)

    assert out.text == " ".join(["GOL.", "DARAH", *([expected] if expected else [])])
