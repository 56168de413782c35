"""The Tesseract engine: both bindings, time limits, the system-check helper, page and line
reads."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator

import numpy as np
import pytesseract
import pytest
from PIL import Image, ImageDraw

from ocr_gpu import tesseract
from ocr_gpu.loading import load_image
from ocr_gpu.preprocess import preprocess
from ocr_gpu.result import Word
from ocr_gpu.tesseract import (
    Crop,
    OcrTimeout,
    _pipes_as_numerals,
    is_noise,
    read_line,
    read_page,
    read_words,
    tesseract_status,
)
from ocr_gpu.testing.cards import make_card
from ocr_gpu.testing.fonts import font, path_of


@pytest.fixture
def binding() -> Iterator[None]:
    """Whatever a test sets with ``tesseract.configure`` is undone after it."""
    yield
    tesseract.configure(binding="api", command="tesseract", tessdata="")


@pytest.fixture
def cli(binding):
    tesseract.configure(binding="cli")


@pytest.fixture
def hung_tesseract(cli, tmp_path, monkeypatch):
    """Point pytesseract at a 'tesseract' that never answers."""
    script = tmp_path / "tesseract"
    script.write_text(
        '#!/bin/sh\n[ "$1" = "--version" ] && { echo "tesseract 5.3.0"; exit 0; }\nsleep 30\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(script))
    return script


def test_hung_tesseract_raises_ocr_timeout(hung_tesseract):
    part = Crop(image=np.full((40, 200), 255, np.uint8))
    with pytest.raises(OcrTimeout):
        read_words(part, "eng", 7, timeout_s=0.5)


def test_tesseract_calls_run_single_threaded(hung_tesseract):
    part = Crop(image=np.full((40, 200), 255, np.uint8))
    with pytest.raises(OcrTimeout):
        read_words(part, "eng", 7, timeout_s=0.2)
    assert os.environ["OMP_THREAD_LIMIT"] == "1"


def test_tesseract_status_reports_ind_data():
    ok, message = tesseract_status()
    assert ok, message
    assert "ind" in message


def test_tesseract_status_names_missing_language_data():
    ok, message = tesseract_status(required_language="xxq")
    assert not ok
    assert "no 'xxq' language data" in message


def test_tesseract_status_when_tesseract_is_missing(cli, monkeypatch, tmp_path):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "nope"))
    ok, message = tesseract_status()
    assert not ok and "not installed" in message


def test_the_default_binding_reads_in_process_and_says_so():
    ok, message = tesseract_status()
    assert ok and "(in-process)" in message


def test_in_process_status_names_a_folder_without_language_data(binding, tmp_path):
    tesseract.configure(tessdata=str(tmp_path))
    ok, message = tesseract_status()
    assert not ok
    assert "no 'ind' language data (installed: none)" in message
    assert str(tmp_path) in message


def test_an_unknown_binding_is_refused():
    with pytest.raises(ValueError, match="unknown Tesseract binding 'ocx'"):
        tesseract.configure(binding="ocx")


@pytest.mark.slow
def test_both_bindings_read_a_card_word_for_word_alike(binding):
    data, truth = make_card("ktp", "mild", 21)
    gray = preprocess(load_image(data)).gray
    number_row = gray[60:160, 150:700]

    def reads() -> tuple[object, ...]:
        page = read_page(gray, languages="ind+eng", timeout_s=60)
        second = read_page(gray, languages="ind+eng", timeout_s=60, psm=3)
        line = read_line(number_row, languages="eng", timeout_s=30, whitelist="0123456789")
        return page, second, line

    in_process = reads()
    tesseract.configure(binding="cli")
    by_process = reads()

    assert in_process == by_process  # texts, boxes and confidences
    words = {w.text.strip(":") for segment in in_process[0] for w in segment}
    assert truth["fields"]["nik"] in words


def test_an_in_process_read_past_its_time_limit_raises_ocr_timeout_and_the_engine_reads_on():
    data, truth = make_card("ktp", "clean", 14)
    gray = preprocess(load_image(data)).gray

    with pytest.raises(OcrTimeout):
        read_words(Crop(gray), "ind+eng", 11, timeout_s=0.005)

    words = [w.text.strip(":") for _, w in read_words(Crop(gray), "ind+eng", 11, 60)]
    assert truth["fields"]["nik"] in words


def test_language_data_is_loaded_once_per_reading_thread_not_once_per_read():
    crop = Crop(np.full((40, 200), 255, np.uint8))
    tesseract._pool.clear()  # what earlier tests of this process loaded
    for _ in range(3):
        read_words(crop, "eng", 7, timeout_s=10)
    assert tesseract._pool.loaded("eng") == 1  # three reads one after another: one load

    start = threading.Barrier(3)

    def read() -> None:
        start.wait()
        for _ in range(3):
            read_words(crop, "eng", 7, timeout_s=10)

    threads = [threading.Thread(target=read) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 1 <= tesseract._pool.loaded("eng") <= 3  # never more than read at once


def test_specks_are_noise_and_words_are_not():
    assert is_noise([Word("~", 20.0, (500, 300, 10, 10)), Word("ay", 30.0, (600, 320, 20, 10))])
    assert not is_noise([Word("Nama", 95.0, (30, 150, 60, 20))])


@pytest.mark.slow
def test_a_page_read_finds_every_row_of_a_card_in_card_coordinates():
    data, truth = make_card("ktp", "clean", 14)
    pre = preprocess(load_image(data))

    segments = read_page(pre.gray, languages="ind+eng", timeout_s=60)

    words = [w for segment in segments for w in segment]
    assert truth["fields"]["nik"] in {w.text.strip(":") for w in words}
    for word in words:
        x, y, w, h = word.box
        assert x >= 0 and y >= 0 and x + w <= 1012 and y + h <= 638


def test_a_line_read_with_a_digit_whitelist_returns_digits_only():
    data, _ = make_card("ktp", "clean", 15)
    pre = preprocess(load_image(data))
    band = pre.gray[80:150, 200:620]  # any crop holding the number will do

    text, confidence = read_line(band, languages="eng", timeout_s=30, whitelist="0123456789")

    assert text.replace(" ", "").isdigit()
    assert 0 <= confidence <= 100


def _value_rows(rows: list[tuple[str, str]], size: int) -> np.ndarray:
    """Label and value rows printed in a plain sans face, as a card's body prints them."""
    image = Image.new("L", (700, 60 + 50 * len(rows)), 255)
    draw = ImageDraw.Draw(image)
    face = font(str(path_of("dejavu-sans")), size)
    for index, (label, value) in enumerate(rows):
        draw.text((20, 20 + 50 * index), label, font=face, fill=0)
        draw.text((200, 20 + 50 * index), value, font=face, fill=0)
    return np.asarray(image)


def test_a_lone_roman_one_tesseract_reads_as_a_pipe_is_read_as_the_letter():
    gray = _value_rows([("Alamat", ": BLOK I NO. 90"), ("Alamat", ": GG. SUKAMAJU I")], 22)
    raw = [w.text for _, w in read_words(Crop(gray), "ind+eng", 11, 60)]
    assert raw.count("|") == 2  # what Tesseract itself reads for the numerals

    segments = read_page(gray, languages="ind+eng", timeout_s=60)

    texts = [" ".join(w.text for w in segment) for segment in segments]
    assert ": BLOK I NO. 90" in texts and ": GG. SUKAMAJU I" in texts


def test_a_pipe_before_a_number_or_after_a_label_stays_a_pipe():
    # a label's colon read as a pipe is no letter of a value
    words = [
        Word("NPWP", 90.0, (20, 20, 60, 20)),
        Word("|", 90.0, (88, 20, 3, 20)),
        Word("12.345.678.9-012.000", 90.0, (100, 20, 200, 20)),
    ]
    label = [Word("Agama", 90.0, (20, 20, 70, 20)), Word("|", 90.0, (96, 20, 3, 20))]

    assert [w.text for w in _pipes_as_numerals(words)] == ["NPWP", "|", "12.345.678.9-012.000"]
    assert [w.text for w in _pipes_as_numerals(label)] == ["Agama", "|"]


@pytest.mark.parametrize(
    ("first", "second", "height", "read"),
    [
        ("|", "GUSTI", 30, "I"),  # a Balinese name's I, read alone on its line
        ("|", "GUSTI", 8, "|"),  # a speck, far shorter than the letters
        ("|", "12.345", 30, "|"),  # a colon's stroke before a number
        ("|", "Gusti", 30, "|"),  # before a word not in capitals (a label's)
    ],
)
def test_a_pipe_opening_a_line_read_alone_is_an_i_only_before_a_name_in_capitals(
    first, second, height, read
):
    words = [
        Word(first, 90.0, (10, 10, 4, height)),
        Word(second, 90.0, (24, 10, 90, 30)),
    ]

    assert tesseract.leading_pipe_as_letter(words)[0].text == read
