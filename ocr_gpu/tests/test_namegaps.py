"""A word space the card prints inside a name that every read closed is marked on the name's
word (``ocr_gpu.namegaps``); gaps between letters, and spaces the card does not show, are not."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr_gpu import namegaps
from ocr_gpu.result import Line, Word

FONT = cv2.FONT_HERSHEY_DUPLEX
SPACE = cv2.getTextSize(" ", FONT, 1.0, 2)[0][0]  # the face's own word space, in pixels
ROW = 60  # pixels between rows
OTHER_ROWS = [["JL.", "MAWAR", "NO.", "12"], ["KEBON", "JERUK"], ["KARYAWAN", "SWASTA"]]


def _print_words(
    image: np.ndarray, words: list[str], top: int, gaps: list[int], left: int = 20
) -> list[Word]:
    """``words`` printed on ``image`` from ``left``, each gap before a word as given; the words
    as PP-OCR reads them, one box each."""
    out, x = [], left
    for index, text in enumerate(words):
        x += gaps[index - 1] if index else 0
        width = cv2.getTextSize(text, FONT, 1.0, 2)[0][0]
        cv2.putText(image, text, (x, top + 30), FONT, 1.0, 0, 2)
        out.append(Word(text, 99.0, (x - 2, top + 4, width + 4, 34)))
        x += width
    return out


def _card(name: list[str], name_gap: int, rows: list[list[str]] = OTHER_ROWS):
    """A card whose name row prints ``name``'s words ``name_gap`` pixels apart after a
    ``Nama`` label, read joined into one word, over rows spaced as the face spaces words; its
    gray and its read."""
    image = np.full((ROW * (len(rows) + 2), 900), 255, np.uint8)
    label = _print_words(image, ["Nama"], 10, [])
    pieces = _print_words(image, name, 10, [name_gap] * (len(name) - 1), left=180)
    left, top = pieces[0].box[:2]
    right = pieces[-1].box[0] + pieces[-1].box[2]
    joined = Word("".join(name), 99.0, (left, top, right - left, 34))
    lines = [_line([*label, joined])]
    for index, words in enumerate(rows, start=1):
        lines.append(_line(_print_words(image, words, ROW * index + 10, [SPACE] * len(words))))
    return image, lines


def _line(words: list[Word]) -> Line:
    return Line(" ".join(w.text for w in words), tuple(words), "page", (0, 0, 1, 1))


def _marked(lines: list[Line]) -> list[str]:
    """The name's words as marked split (their letters; the space's place among them is an
    estimate from the letters' mean width)."""
    return [
        a.text.replace(" ", "") if a.text.count(" ") == 1 else a.text
        for w in lines[0].words
        for a in w.alternatives
        if a.method == namegaps.METHOD
    ]


def test_a_space_the_card_prints_inside_a_name_read_as_one_word_is_marked():
    gray, lines = _card(["SITTI", "AJENG"], SPACE)

    marked = namegaps.mark(lines, gray)

    assert _marked(marked) == ["SITTIAJENG"]
    assert marked[0].text == "Nama SITTIAJENG"  # the read's own text is never rewritten
    assert marked[1:] == lines[1:]


def test_a_narrow_space_a_face_sets_close_is_marked_against_the_card_s_own_spaces():
    # three quarters of the face's space: a person sees it, the engines read past it
    gray, lines = _card(["SITTI", "AJENG"], round(SPACE * 3 / 4))

    assert _marked(namegaps.mark(lines, gray)) == ["SITTIAJENG"]


@pytest.mark.parametrize(
    ("name", "gap"),
    [
        (["SITTIAJENG"], 0),  # printed as one word: only gaps between letters
        (["SITTI", "AJENG"], round(SPACE / 3)),  # under SPACE_SHARE of the card's spaces
        (["DU", "MARIASINAGA"], SPACE),  # a two-letter piece is no name's word
    ],
)
def test_no_space_is_marked_where_the_card_shows_none_or_the_pieces_are_no_words(name, gap):
    gray, lines = _card(name, gap)

    assert _marked(namegaps.mark(lines, gray)) == []


def test_a_card_with_too_few_spaces_to_measure_its_face_marks_nothing():
    gray, lines = _card(["SITTI", "AJENG"], SPACE, rows=[["KEBON", "JERUK"]])

    assert namegaps.mark(lines, gray) == lines
