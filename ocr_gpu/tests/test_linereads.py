"""A line of letters Tesseract's card read differs on is read again alone, and each word carries
what Tesseract read in its box (``ocr_gpu.linereads``)."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr_gpu import linereads, tesseract
from ocr_gpu.result import TESSERACT, Line, Word
from ocr_gpu.testing.fonts import CANONICAL

NAVY, WHITE, INK, PAPER = (24, 44, 92), (250, 250, 250), (30, 30, 30), (236, 238, 232)


def _card(rows: list[tuple[str, tuple[int, int, int]]], ground: tuple[int, int, int]):
    """A card of ``rows`` (text, colour) on ``ground``; its grey pixels and each row as a
    PP-OCR read gives it: one word per printed word, boxed where it is drawn."""
    face = ImageFont.truetype(CANONICAL.bold, 26)  # the canonical card's face, always present
    image = Image.new("RGB", (760, 60 + 56 * len(rows)), ground)
    draw = ImageDraw.Draw(image)
    lines = []
    for row, (text, colour) in enumerate(rows):
        x, y, words = 40.0, 30 + 56 * row, []
        for piece in text.split():
            left, top, right, bottom = draw.textbbox((x, y), piece, face)
            draw.text((x, y), piece, colour, face)
            box = (int(left), int(top), int(right - left), int(bottom - top))
            words.append(Word(piece, 97.0, box))
            x = right + 16
        left, top = words[0].box[0], min(w.box[1] for w in words)
        right = words[-1].box[0] + words[-1].box[2]
        bottom = max(w.box[1] + w.box[3] for w in words)
        lines.append(Line(text, tuple(words), "page", (left, top, right - left, bottom - top)))
    gray = np.asarray(image.convert("L")).copy()
    return gray, lines


def _card_read(text: str, box: tuple[int, int, int, int]) -> list[Line]:
    """Tesseract's card read of one row: ``text`` over ``box``, one word per piece."""
    x, y, w, h = box
    pieces = text.split()
    step = w // len(pieces)
    words = tuple(Word(p, 90.0, (x + i * step, y, step - 8, h)) for i, p in enumerate(pieces))
    return [Line(text, words, "page", box)]


def _read(image: np.ndarray, left: int, top: int) -> list[Word]:
    found = tesseract.read_words(
        tesseract.Crop(image, left, top), "ind+eng", tesseract.LINE_PSM, 10.0, min_confidence=0
    )
    return [word for _, word in found]


def _rereads(line: Line) -> list[str]:
    return [
        next((a.text for a in w.alternatives if a.method == linereads.LINE), "") for w in line.words
    ]


def test_a_name_in_white_on_navy_the_card_read_misspelt_is_read_alone_word_by_word():
    gray, lines = _card([("SUTRISNO KUSUMA", WHITE), ("Nama", WHITE)], NAVY)
    name = lines[0]
    card_read = _card_read("SUTBISNO KUSUMA", name.box)

    out = linereads.reread(lines, card_read, gray, _read)

    assert _rereads(out[0]) == ["SUTRISNO", "KUSUMA"]
    assert {a.engine for w in out[0].words for a in w.alternatives} == {TESSERACT}
    assert out[1] == lines[1]  # a label alone has no upper-case run of three letters


def test_lines_the_card_read_holds_alike_carry_its_words_and_numbers_are_not_read_again():
    gray, lines = _card([("RATNA WULANDARI", INK), ("NIK 3174012501900003", INK)], PAPER)
    calls: list[tuple[int, int]] = []

    def counted(image: np.ndarray, left: int, top: int) -> list[Word]:
        calls.append((left, top))
        return _read(image, left, top)

    same = _card_read("RATNA WULANDARI", lines[0].box)
    out = linereads.reread(lines, same, gray, counted)
    assert calls == []  # the card read holds the name's line: its words are Tesseract's read
    assert _rereads(out[0]) == ["RATNA", "WULANDARI"]
    assert out[1] == lines[1]

    spaced = _card_read("RATNA WULAN DARI", lines[0].box)
    out = linereads.reread(lines, spaced, gray, counted)
    assert len(calls) == 1  # the name's line: the NIK is re-read as a number
    assert _rereads(out[0]) == ["RATNA", "WULANDARI"]


def test_words_tesseract_split_or_did_not_read_are_kept_as_it_read_them():
    line = Line(
        "RATNA WULANDARI PUTRI",
        (
            Word("RATNA", 95.0, (10, 10, 90, 30)),
            Word("WULANDARI", 95.0, (110, 10, 160, 30)),
            Word("PUTRI", 95.0, (290, 10, 80, 30)),
        ),
        "page",
        (10, 10, 360, 30),
    )
    read = [
        Word("RATNA", 90.0, (11, 10, 88, 30)),
        Word("WULAN", 80.0, (110, 10, 85, 30)),
        Word("DARI", 70.0, (200, 10, 70, 30)),
    ]

    out = linereads.attach(line, read)

    assert _rereads(out) == ["RATNA", "WULAN DARI", ""]
    assert out.words[1].alternatives[0].confidence == 75.0


def test_a_birth_date_the_card_read_lost_is_read_alone_with_its_place():
    gray, lines = _card([("JAKARTA, 01-01-2003", INK), ("PEREMPUAN", INK)], PAPER)
    card_read = _card_read("PEREMPUAN", lines[1].box)  # the card read lost the first row

    out = linereads.reread(lines, card_read, gray, _read)

    assert _rereads(out[0]) == ["JAKARTA,", "01-01-2003"]
    assert _rereads(out[1]) == ["PEREMPUAN"]  # as the card read read it
