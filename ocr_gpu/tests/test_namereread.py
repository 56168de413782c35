"""The holder's name read again from its box by PP-OCRv4's recogniser (``ocr_gpu.namereread``),
with the real model: the row is found by the ``Nama`` label or under an NPWP's number."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from ocr_gpu import namereread, numberreader
from ocr_gpu.result import Line, OcrResult, Word
from ocr_gpu.testing.rows import line_of

pytestmark = pytest.mark.slow

FONT = cv2.FONT_HERSHEY_SIMPLEX


class CountedReader:
    """PP-OCRv4's recogniser (the real model, on the CPU), counting its calls."""

    def __init__(self) -> None:
        reader = numberreader.get_reader(use_cuda=False)
        assert reader is not None, "requirements-models.txt is installed by make venv"
        self.reader = reader
        self.calls = 0

    def __call__(self, crop: np.ndarray) -> tuple[str, float]:
        self.calls += 1
        return self.reader.recognise(crop)


def _card() -> np.ndarray:
    return np.full((400, 1000, 3), 248, np.uint8)


def _print(card: np.ndarray, text: str, x: int, base: int, scale: float = 0.9) -> list[Word]:
    """``text`` printed on ``card`` with its baseline at ``base``: its words as a read gives them
    (each with its own box)."""
    words = []
    for part in text.split():
        (width, height), _ = cv2.getTextSize(part, FONT, scale, 2)
        cv2.putText(card, part, (x, base), FONT, scale, (25, 25, 25), 2)
        words.append(Word(part, 98.0, (x, base - height, width, height + 4)))
        x += width + int(18 * scale)
    return words


def _name_reads(line: Line) -> list[str]:
    return [a.text for w in line.words for a in w.alternatives if a.method == namereread.METHOD]


def test_the_name_after_its_label_is_read_again_from_its_box():
    card = _card()
    nik = _print(card, "NIK : 3273124101850182", 30, 80)
    name = _print(card, "Nama", 30, 140) + _print(card, ": SITI AMINAH", 200, 140)
    born = _print(card, "Lahir : BANDUNG", 30, 200)
    lines = [line_of(nik), line_of(name), line_of(born)]
    reader = CountedReader()

    out = namereread.reread(lines, card, reader)

    assert reader.calls == 1
    assert out[0] is lines[0] and out[2] is lines[2]
    # the label and the colon keep no read; each word of the value carries the one read of
    # the value's box
    assert [w.alternatives for w in out[1].words[:2]] == [(), ()]
    reads = _name_reads(out[1])
    assert len(reads) == 2 and len(set(reads)) == 1
    assert "".join(c for c in reads[0] if c.isalpha()) == "SITIAMINAH"
    (alternative,) = out[1].words[2].alternatives
    assert (alternative.engine, alternative.method) == ("ppocr-v4", "name")
    # kept through storage, as every alternative is
    stored = OcrResult.from_dict(json.loads(json.dumps(OcrResult(lines=out).to_dict())))
    assert _name_reads(stored.lines[1]) == reads


def test_an_npwp_s_name_under_its_number_is_read_again():
    card = _card()
    number = _print(card, "NPWP : 86.148.695.9-911.000", 30, 80)
    name = _print(card, "ABDULLAH SYAHPUTRA", 30, 140, 1.0)
    address = _print(card, "JL. PEJANGGIK NO. 5", 30, 200)
    lines = [line_of(number), line_of(name), line_of(address)]

    out = namereread.reread(lines, card, CountedReader())

    reads = _name_reads(out[1])
    assert len(reads) == 2
    assert "".join(c for c in reads[0] if c.isalpha()) == "ABDULLAHSYAHPUTRA"
    assert not _name_reads(out[0]) and not _name_reads(out[2])


@pytest.mark.parametrize(
    "rows",
    [
        # a label alone on its row: no name beside it to read
        [("Nama", 30, 140), ("Lahir : BANDUNG", 30, 200)],
        # no label, and the row under the number holds digits: no name row is known
        [("NPWP : 86.148.695.9-911.000", 30, 80), ("NIK : 3273124101850182", 30, 140)],
        # no label and no number at all
        [("KEMENTERIAN KEUANGAN", 30, 80), ("ABDULLAH", 30, 140)],
    ],
)
def test_no_name_row_found_reads_nothing(rows):
    card = _card()
    lines = [line_of(_print(card, text, x, base)) for text, x, base in rows]
    reader = CountedReader()

    out = namereread.reread(lines, card, reader)

    assert out == lines
    assert reader.calls == 0
