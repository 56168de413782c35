"""A value printed inside a drawn frame is read by Tesseract too; a frame's lines are erased for
its read, and nothing else of the card is."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ocr_gpu import rulings
from ocr_gpu.pipeline import run_ocr
from ocr_gpu.testing.capture import encode_jpeg
from ocr_gpu.testing.fonts import CANONICAL, font

WIDTH, HEIGHT = 1012, 638
PAPER, INK, BAND = (238, 240, 236), (25, 35, 60), (30, 50, 110)
NUMBER = "25.965.142.0-521.000"


def _boxed_number_npwp() -> np.ndarray:
    """An NPWP whose labelled rows come first and whose number sits in a rounded frame at the
    foot of the card (a design FiLot's generator does not draw)."""
    card = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, WIDTH, 110), fill=BAND)
    draw.text((40, 22), "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", PAPER, font(CANONICAL.text, 26))
    draw.text((40, 60), "DIREKTORAT JENDERAL PAJAK", PAPER, font(CANONICAL.bold, 30))
    rows = (
        ("Nama", "SUPARMI"),
        ("NIK", "3573015712961274"),
        ("Alamat", "JL. MELATI NO. 12 KOTA MALANG"),
        ("KPP", "KPP PRATAMA MALANG UTARA"),
        ("Terdaftar", "11-01-2020"),
    )
    for index, (label, value) in enumerate(rows):
        y = 140 + 50 * index
        draw.text((45, y), label, INK, font(CANONICAL.text, 28))
        draw.text((230, y), f": {value}", INK, font(CANONICAL.bold, 28))
    draw.rounded_rectangle((40, 440, WIDTH - 40, 590), radius=32, outline=INK, width=4)
    draw.text((75, 492), "NPWP", INK, font(CANONICAL.bold, 34))
    draw.text((230, 484), NUMBER, INK, font(CANONICAL.mono, 48))
    return np.asarray(card)


def test_the_second_engine_reads_a_number_printed_in_a_frame():
    # Tesseract takes a frame and all inside it for a picture: without the frame erased its
    # read of this card has every row but the number, and the number can never be confirmed
    result = run_ocr(encode_jpeg(_boxed_number_npwp(), 92), "npwp")

    second = ["".join(c for c in line.text if c.isdigit()) for line in result.second_lines]
    assert any("259651420521000" in digits for digits in second)


def test_only_thin_long_rules_are_erased():
    card = _boxed_number_npwp()
    gray = cv2.cvtColor(card, cv2.COLOR_RGB2GRAY)

    erased = rulings.erased(gray)

    frame_top = erased[440:444, 200:800]
    assert frame_top.min() > 180  # the frame's top rule is paper now
    assert np.array_equal(erased[:100], gray[:100])  # the header band and its words
    assert np.array_equal(erased[460:575, 80:900], gray[460:575, 80:900])  # the number
    assert np.array_equal(erased[130:400], gray[130:400])  # the labelled rows


def test_a_card_without_rules_is_returned_as_it_is():
    gray = np.full((HEIGHT, WIDTH), 236, np.uint8)
    cv2.putText(gray, "BUDI SANTOSO", (60, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 30, 3)

    assert rulings.erased(gray) is gray
