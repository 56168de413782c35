"""PP-OCRv4's read of the holder's name: a third read beside the two engines' reads of the card.

Two engines that read a name alike confirm it, but on a blurred photo both may misread one
letter alike: a hard photo's ``DESI ROSA`` read ``DEST ROSA`` by PP-OCRv6 and by Tesseract, and
approved so, while PP-OCRv4's recogniser (``ocr_gpu.numberreader``: another model of another
generation, with slips of its own) read the name's box ``DESI ROSA``. Its read of the name rides
on the name's words; the consensus (``verification.consensus``) does not approve a name whose
letters it reads otherwise and surer than PP-OCR read them. PP-OCRv4 drops and adds spaces
freely, so only its letters count.

The read of the card knows no layout, so the name's row is found by what the card prints by it:
the words after a ``Nama`` label on its row (a KTP, a labelled NPWP), or, where no such label was
read, the row under an NPWP's number (15 or 16 digits), where NPWPs print the name. One crop a
card, read on one core (about 40 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz

from ocr_gpu.lines import union_box
from ocr_gpu.result import PPOCR_V4, Alternative, Line, Word

METHOD = "name"
NAME_LABEL = "NAMA"
LABEL_SCORE = 75  # ``NAMA`` read with a letter off (``NANA``, ``NAMR``) opening its row
MIN_NUMBER_DIGITS = 15  # an NPWP's number: 15 digits, or 16
PAD = 4  # pixels round the name's words

Recognise = Callable[[np.ndarray], tuple[str, float]]


def reread(lines: list[Line], card: np.ndarray, recognise: Recognise) -> list[Line]:
    """``lines`` with the holder's name read again from its box on ``card`` (BGR), the read on
    each of its words as an alternative (engine ``ppocr-v4``, method ``name``)."""
    found = name_row(lines)
    if found is None:
        return lines
    row, indices = found
    words = [lines[row].words[i] for i in indices]
    left, top, width, height = union_box([w.box for w in words])
    crop = card[max(0, top - PAD) : top + height + PAD, max(0, left - PAD) : left + width + PAD]
    if crop.size == 0:
        return lines
    text, confidence = recognise(np.ascontiguousarray(crop))
    if not text.strip():
        return lines
    read = Alternative(text=text, confidence=confidence, engine=PPOCR_V4, method=METHOD)
    marked = lines[row].with_words(
        replace(w, alternatives=(*w.alternatives, read)) if i in indices else w
        for i, w in enumerate(lines[row].words)
    )
    return [*lines[:row], marked, *lines[row + 1 :]]


def name_row(lines: Sequence[Line]) -> tuple[int, list[int]] | None:
    """The row and the indices of the words that print the name."""
    for row, line in enumerate(lines):
        if line.words and _is_label(line.words[0].text):
            after = [i for i in range(1, len(line.words)) if _lettered(line.words[i])]
            return (row, after) if after else None
    number = next(
        (
            row
            for row, line in enumerate(lines)
            if any(_digits(w.text) >= MIN_NUMBER_DIGITS for w in line.words)
        ),
        None,
    )
    if number is None or number + 1 >= len(lines):
        return None
    below = lines[number + 1]
    if not below.words or not all(_lettered(w) for w in below.words):
        return None
    return number + 1, list(range(len(below.words)))


def _is_label(text: str) -> bool:
    letters = "".join(c for c in text.upper() if c.isalpha())
    return len(letters) == len(NAME_LABEL) and fuzz.ratio(letters, NAME_LABEL) >= LABEL_SCORE


def _lettered(word: Word) -> bool:
    """A word of a name: letters, maybe with a name's marks (``H.``, ``D'``), no digit."""
    return any(c.isalpha() for c in word.text) and not any(c.isdigit() for c in word.text)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)
