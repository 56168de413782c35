"""Spaces PP-OCR dropped are put back only where the card shows one, and spaces Tesseract
added are taken out where the card shows none (``ocr_gpu.spacing``)."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np
import pytest

from ocr_gpu.result import Line, Word
from ocr_gpu.spacing import as_read, respace

FONT = cv2.FONT_HERSHEY_DUPLEX
LEFT, BASE = 20, 50


def _printed(parts: list[str], space: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A gray strip with ``parts`` printed joined by ``space``; each part's (left, right) x."""
    image = np.full((80, 700), 255, np.uint8)
    spans, x = [], LEFT
    for index, part in enumerate(parts):
        if index:
            x += cv2.getTextSize(space, FONT, 1.0, 2)[0][0] if space else 0
        width = cv2.getTextSize(part, FONT, 1.0, 2)[0][0]
        cv2.putText(image, part, (x, BASE), FONT, 1.0, 0, 2)
        spans.append((x, x + width))
        x += width
    return image, spans


def _line(words: list[Word]) -> Line:
    return Line(
        text=" ".join(w.text for w in words), words=tuple(words), region="page", box=(0, 0, 1, 1)
    )


def _glued_and_tesseract(spans: list[tuple[int, int]], parts: list[str]):
    glued = Word("".join(parts), 99.0, (spans[0][0] - 4, 22, spans[-1][1] - spans[0][0] + 8, 36))
    tesseract = [
        Word(part, 90.0, (left, 26, right - left, 26))
        for part, (left, right) in zip(parts, spans, strict=True)
    ]
    return glued, tesseract


def test_a_printed_space_ppocr_dropped_is_put_back_where_tesseract_read_it():
    parts = ["HENDRA", "AGUS", "GUNAWAN"]
    gray, spans = _printed(parts, "  ")
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract)], gray)

    assert [w.text for w in line.words] == parts and line.text == "HENDRA AGUS GUNAWAN"
    # each piece's box covers its own letters
    for word, (left, right) in zip(line.words, spans, strict=True):
        assert word.box[0] <= left + 2 and word.box[0] + word.box[2] >= right - 2


def test_a_space_is_put_back_in_a_value_read_with_its_colon_glued_on():
    """PP-OCR reads ``Nama : ESTI SUSANTI`` as ``:ESTISUSANTI``; the colon keeps its place and
    its gap, as wide as the word space, is not taken for a gap between letters."""
    parts = [":", "ESTI", "SUSANTI"]
    gray, spans = _printed(parts, "  ")
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract[1:])], gray)

    assert [w.text for w in line.words] == [":ESTI", "SUSANTI"]
    assert line.words[0].box[0] == glued.box[0]
    assert line.words[1].box[0] + line.words[1].box[2] == glued.box[0] + glued.box[2]


@pytest.mark.parametrize(("space", "read"), [("  ", "MOH. ISMAIL"), ("", "MOH.ISMAIL")])
def test_a_space_after_an_abbreviation_s_dot_is_put_back_where_the_card_prints_one(space, read):
    """PP-OCR reads ``MOH. ISMAIL`` as ``MOH.ISMAIL``; Tesseract read the two words."""
    parts = ["MOH.", "ISMAIL"]
    gray, spans = _printed(parts, space)
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract)], gray)

    assert line.text == read


def test_a_word_printed_without_a_space_is_not_split_because_tesseract_split_it():
    parts = ["WULANDARI", "PUTRI"]
    gray, spans = _printed(parts, "")
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract)], gray)

    assert [w.text for w in line.words] == ["WULANDARIPUTRI"]


@pytest.mark.parametrize(
    ("space", "expected"), [("  ", ["DEWI", "HERAWATI"]), ("", ["DEWIHERAWATI"])]
)
def test_a_space_tesseract_read_before_its_read_of_the_row_stopped_is_judged_on_the_card(
    space, expected
):
    # Tesseract's read of the row stops inside the name (``DEWI HER``): the space it read
    # there is put back where the card shows one, and only there
    parts = ["DEWI", "HERAWATI"]
    gray, spans = _printed(parts, space)
    glued, tesseract = _glued_and_tesseract(spans, parts)
    left, top, width, height = tesseract[1].box
    stopped = [tesseract[0], Word("HER", 90.0, (left, top, width * 3 // 8, height))]

    (line,), _ = respace([_line([glued])], [_line(stopped)], gray)

    assert [w.text for w in line.words] == expected


def test_words_tesseract_spelled_differently_leave_ppocrs_word_alone():
    parts = ["HENDRA", "AGUS"]
    gray, spans = _printed(parts, "  ")
    glued, tesseract = _glued_and_tesseract(spans, parts)
    misread = [tesseract[0], Word("AGIS", 90.0, tesseract[1].box)]

    (line,), (second,) = respace([_line([glued])], [_line(misread)], gray)

    assert [w.text for w in line.words] == ["HENDRAAGUS"]
    assert [w.text for w in second.words] == ["HENDRA", "AGIS"]


def test_a_space_tesseract_read_where_the_card_has_none_is_taken_out_of_its_read():
    parts = ["SEMA", "RANG"]  # the A-R gap is no wider than the gaps between other letters
    gray, spans = _printed(parts, "")
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), (second,) = respace([_line([glued])], [_line(tesseract)], gray)

    assert [w.text for w in line.words] == ["SEMARANG"]
    assert [w.text for w in second.words] == ["SEMARANG"] and second.text == "SEMARANG"
    left, right = spans[0][0], spans[1][1]
    assert (
        second.words[0].box[0] <= left and second.words[0].box[0] + second.words[0].box[2] >= right
    )
    # the words as Tesseract read them stay beside the join (names are confirmed on them)
    assert [w.text for w in as_read([second])[0].words] == ["SEMA", "RANG"]


def test_a_word_tesseract_split_and_read_in_small_letters_is_joined_where_the_card_has_no_gap():
    parts = ["SEMA", "RANG"]
    gray, spans = _printed(parts, "")
    glued, tesseract = _glued_and_tesseract(spans, parts)
    small = [replace(tesseract[0], text="Sema"), tesseract[1]]

    (line,), (second,) = respace([_line([glued])], [_line(small)], gray)

    assert [w.text for w in line.words] == ["SEMARANG"]
    assert [w.text.upper() for w in second.words] == ["SEMARANG"]


def test_a_space_the_card_leaves_in_doubt_stays_as_each_engine_read_it():
    # the N-J gap is wider than every gap between the other letters, narrower than a space
    parts = ["KEBON", "JERUK"]
    gray, spans = _printed(parts, "")
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), (second,) = respace([_line([glued])], [_line(tesseract)], gray)

    assert [w.text for w in line.words] == ["KEBONJERUK"]
    assert [w.text for w in second.words] == ["KEBON", "JERUK"]


def test_a_speck_above_the_letters_does_not_make_a_word_space_look_narrow():
    # a narrow word space, and a speck of noise in the box's top rows
    # (a hard photo's grain): the letters' height, not the speck's, measures the space
    image = np.full((80, 700), 255, np.uint8)
    parts, spans, x = ["ANDI", "ILHAM"], [], LEFT
    for part in parts:
        width = cv2.getTextSize(part, FONT, 1.0, 2)[0][0]
        cv2.putText(image, part, (x, BASE), FONT, 1.0, 0, 2)
        spans.append((x, x + width))
        x += width + 3  # with the side bearings: a space of 0.35 letter heights
    cv2.rectangle(image, (spans[0][0] + 10, 23), (spans[0][0] + 12, 25), 0, -1)
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract)], image)

    assert [w.text for w in line.words] == parts


def test_a_blurred_word_whose_letters_run_together_keeps_tesseracts_space():
    # blur fills the space and the gaps between letters alike: the card cannot tell, so the two
    # reads keep disagreeing (a name read alike only because one was made to match is not a
    # confirmation)
    parts = ["WULANDARI", "PUTRI"]
    gray, spans = _printed(parts, " ")
    blurred = cv2.GaussianBlur(gray, (0, 0), 8.0)
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), (second,) = respace([_line([glued])], [_line(tesseract)], blurred)

    assert [w.text for w in line.words] == ["WULANDARIPUTRI"]
    assert [w.text for w in second.words] == parts


def _kpp_row(space_before_marang: bool, sigma: float) -> tuple[np.ndarray, Line, Line]:
    """``KPP MADYA SEMARANG`` (or ``... SE MARANG``) printed and blurred; PP-OCR's read with
    ``SEMARANG`` as one word, Tesseract's with ``SE`` and ``MARANG`` apart."""
    space = cv2.getTextSize(" ", FONT, 1.0, 2)[0][0]
    image = np.full((80, 700), 255, np.uint8)
    parts = ["KPP", "MADYA", "SE", "MARANG"]
    gaps = [space, space, space if space_before_marang else 0, 0]
    spans, x = [], LEFT
    for part, gap in zip(parts, gaps, strict=True):
        width = cv2.getTextSize(part, FONT, 1.0, 2)[0][0]
        cv2.putText(image, part, (x, BASE), FONT, 1.0, 0, 2)
        spans.append((x, x + width))
        x += width + gap

    def padded(text: str, left: int, right: int) -> Word:
        return Word(text, 99.0, (left - 4, 22, right - left + 8, 36))

    ppocr = [padded("KPP", *spans[0]), padded("MADYA", *spans[1])]
    ppocr.append(padded("SEMARANG", spans[2][0], spans[3][1]))
    tesseract = [
        Word(part, 90.0, (left, 26, right - left, 26))
        for part, (left, right) in zip(parts, spans, strict=True)
    ]
    return cv2.GaussianBlur(image, (0, 0), sigma), _line(ppocr), _line(tesseract)


def test_a_blurred_word_loses_tesseracts_space_where_its_row_still_shows_its_word_spaces():
    # the blur runs the letters of SEMARANG together (no gap between them can be seen), but
    # the spaces before and after MADYA stay open: a place with no empty column at all is no
    # space on this row (a hard photo's ``KPP MADYA SE MARANG``)
    gray, ppocr, tesseract = _kpp_row(space_before_marang=False, sigma=2.5)

    (line,), (second,) = respace([ppocr], [tesseract], gray)

    assert line.text == "KPP MADYA SEMARANG"
    assert second.text == "KPP MADYA SEMARANG"
    assert as_read([second])[0].text == "KPP MADYA SE MARANG"


def test_a_printed_space_on_a_blurred_row_stays_where_tesseract_read_it():
    for sigma in (2.5, 5.0, 8.0):
        gray, ppocr, tesseract = _kpp_row(space_before_marang=True, sigma=sigma)

        (line,), (second,) = respace([ppocr], [tesseract], gray)

        assert line.text == second.text == "KPP MADYA SE MARANG", sigma


def _ink(letter: str) -> tuple[int, int]:
    """The first and last inked column of ``letter`` drawn at x 0."""
    scratch = np.full((80, 80), 255, np.uint8)
    cv2.putText(scratch, letter, (0, BASE), FONT, 1.0, 0, 2)
    inked = np.flatnonzero((scratch < 250).any(axis=0))
    return int(inked[0]), int(inked[-1])


def _printed_tight(parts: list[str], space: int) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """``parts`` in a face set tight (each letter touching the next), about ``space`` blank columns
    between parts: the strip, each part's (left, right) x and the letters' height."""
    image = np.full((80, 700), 255, np.uint8)
    spans, x = [], LEFT  # x: the next letter's first inked column
    for index, part in enumerate(parts):
        x += space - 1 if index else 0
        start = x
        for letter in part:
            first, last = _ink(letter)
            cv2.putText(image, letter, (x - first, BASE), FONT, 1.0, 0, 2)
            x += last - first  # the next letter's ink starts on this one's last column
        spans.append((start, x - 1))
    rows = np.flatnonzero((image < 128).any(axis=1))
    return image, spans, int(rows[-1] - rows[0] + 1)


@pytest.mark.parametrize(("space", "split"), [(0.26, True), (0.0, False)])
def test_a_narrow_space_in_a_face_set_tight_is_put_back_where_tesseract_read_it(space, split):
    """A face whose letters almost touch prints its word spaces under 0.30 of the letters'
    height: such a gap, many times wider than any between the letters, is a space. Where the
    card prints the names together, Tesseract's space stays out of PP-OCR's word."""
    parts = ["YANTI", "NURJANAH"]
    _, _, height = _printed_tight(parts, 0)
    gray, spans, _ = _printed_tight(parts, round(space * height))
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract)], gray)

    assert line.text == ("YANTI NURJANAH" if split else "YANTINURJANAH")


def test_a_narrow_gap_in_a_face_set_loose_is_no_space():
    """Gaps of a quarter of the letters' height between a word's letters: a gap as narrow
    between two names is one more such gap, and the word stays as PP-OCR read it."""
    parts = ["HENDRA", "AGUS"]
    image = np.full((80, 700), 255, np.uint8)
    spans, x = [], LEFT
    for index, part in enumerate(parts):
        start = x
        for letter in part:
            (width, _), _ = cv2.getTextSize(letter, FONT, 1.0, 2)
            cv2.putText(image, letter, (x, BASE), FONT, 1.0, 0, 2)
            inked = np.flatnonzero((image[:, x : x + width + 4] < 128).any(axis=0))
            x += int(inked[-1]) + 6  # five empty columns after each letter's ink
        spans.append((start, x - 5))
        x += 1 if index == 0 else 0  # the names' gap: one column wider than the letters'
    glued, tesseract = _glued_and_tesseract(spans, parts)

    (line,), _ = respace([_line([glued])], [_line(tesseract)], image)

    assert line.text == "HENDRAAGUS"
