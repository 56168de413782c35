"""The Tesseract layer: timeouts, the system-check helper, line assembly by layout."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytesseract
import pytest

from ocr_gpu.engine import (
    Crop,
    OcrTimeout,
    crop,
    group_lines,
    read_card,
    read_words,
    tesseract_status,
)
from ocr_gpu.layouts import KTP
from ocr_gpu.loading import load_image
from ocr_gpu.preprocess import preprocess
from ocr_gpu.result import Word
from ocr_gpu.testing.cards import card_lines, make_card


@pytest.fixture
def hung_tesseract(tmp_path, monkeypatch):
    """Point pytesseract at a 'tesseract' that never answers."""
    script = tmp_path / "tesseract"
    script.write_text(
        '#!/bin/sh\n[ "$1" = "--version" ] && { echo "tesseract 5.3.0"; exit 0; }\nsleep 30\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(script))
    return script


def test_hung_tesseract_raises_ocr_timeout(hung_tesseract):
    part = Crop(image=np.full((40, 200), 255, np.uint8), left=0, top=0)
    with pytest.raises(OcrTimeout):
        read_words(part, "eng", 7, timeout_s=0.5)


def test_tesseract_calls_run_single_threaded(hung_tesseract):
    part = Crop(image=np.full((40, 200), 255, np.uint8), left=0, top=0)
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


def test_tesseract_status_when_tesseract_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "nope"))
    ok, message = tesseract_status()
    assert not ok and "not installed" in message


def test_crop_paints_masks_white_and_keeps_offsets():
    gray = np.zeros((100, 200), np.uint8)
    part = crop(gray, (0.5, 0.5, 1.0, 1.0), masks=[(0.75, 0.0, 1.0, 1.0)])
    assert (part.left, part.top, part.image.shape) == (100, 50, (50, 100))
    assert part.image[:, :50].max() == 0 and part.image[:, 50:].min() == 255


def test_noise_lines_are_dropped_and_lines_sorted_top_down():
    words = [
        ((1, 1, 2), Word("Nama", 95.0, (30, 150, 60, 20))),
        ((1, 1, 1), Word("PROVINSI", 96.0, (300, 16, 120, 25))),
        ((1, 1, 3), Word("~", 20.0, (500, 300, 10, 10))),
        ((1, 1, 4), Word("ay", 30.0, (600, 320, 20, 10))),
    ]
    lines = group_lines(words)
    assert [[w.text for w in line] for line in lines] == [["PROVINSI"], ["Nama"]]


@pytest.mark.slow
def test_ktp_rows_come_back_as_label_colon_value_lines():
    # given a clean KTP
    data, truth = make_card("ktp", "clean", 14)
    pre = preprocess(load_image(data))
    # when
    lines = read_card(pre.gray, KTP, languages="ind+eng", timeout_s=60)
    # then the regions come in reading order and each label row is one line
    regions = [line.region for line in lines]
    assert regions[:3] == ["header", "header", "nik"]
    assert regions[-2:] == ["issue", "issue"]
    assert set(regions[3:-2]) == {"body"}
    texts = [line.text for line in lines]
    nama = f"Nama : {card_lines('ktp', truth['fields'])[3].split(' : ', 1)[1]}"
    assert nama in texts
    assert any(t.startswith("Jenis Kelamin : ") and "Gol. Darah" in t for t in texts)
    assert lines[2].text.endswith(truth["fields"]["nik"])
    # and boxes are in canonical card coordinates
    for line in lines:
        x, y, w, h = line.box
        assert x >= 0 and y >= 0 and x + w <= 1012 and y + h <= 638
