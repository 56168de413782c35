"""A roman numeral read with a stroke too few is counted on the card (``ocr_gpu.numerals``)."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_gpu.numerals import count_strokes, recount
from ocr_gpu.result import Line, Word

FONT = cv2.FONT_HERSHEY_SIMPLEX
LEFT, BASE = 20, 50


def _printed(words: list[str]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """A gray strip with ``words`` printed a space apart; each word's (left, right) x."""
    image = np.full((80, 900), 255, np.uint8)
    spans, x = [], LEFT
    space = cv2.getTextSize(" ", FONT, 1.0, 2)[0][0]
    for word in words:
        width = cv2.getTextSize(word, FONT, 1.0, 2)[0][0]
        cv2.putText(image, word, (x, BASE), FONT, 1.0, 0, 2)
        spans.append((x, x + width))
        x += width + space
    return image, spans


def _read(text: str, span: tuple[int, int]) -> Line:
    word = Word(text, 95.0, (span[0] - 2, 24, span[1] - span[0] + 4, 32))
    return Line(text=text, words=(word,), region="page", box=word.box)


def test_a_numeral_read_with_a_stroke_too_few_gets_the_strokes_the_card_shows():
    gray, spans = _printed(["SUKAMAJU", "III", "NO.", "118"])

    (line,) = recount([_read("II", spans[1])], gray)

    assert line.text == "III" and line.words[0].text == "III"


def test_specks_of_a_grainy_photo_beside_the_strokes_do_not_stop_the_count():
    # a pixel of grain in the box, just before the first stroke and just after the last, as a
    # noisy photo leaves them (``GANG SUKAMAJU III`` read ``II``)
    gray, spans = _printed(["SUKAMAJU", "III", "NO."])
    left, right = spans[1]
    gray[53, left - 1] = gray[30, right + 2] = 0

    (line,) = recount([_read("II", spans[1])], gray)

    assert line.text == "III"


def test_a_numeral_is_never_given_fewer_strokes_than_were_read():
    # blur merges two strokes into one: the card is believed only when it shows more strokes
    gray, spans = _printed(["BLOK", "II"])
    assert count_strokes(gray, (spans[1][0] - 2, 24, spans[1][1] - spans[1][0] + 4, 32)) == 2

    (line,) = recount([_read("III", spans[1])], gray)

    assert line.text == "III"


def test_a_box_over_letters_that_are_not_bare_strokes_is_left_as_read():
    gray, spans = _printed(["GANG", "HII"])

    assert count_strokes(gray, (spans[1][0] - 2, 24, spans[1][1] - spans[1][0] + 4, 32)) is None
    (line,) = recount([_read("I", spans[1])], gray)
    assert line.text == "I"


def test_only_words_read_as_numerals_are_recounted():
    gray, spans = _printed(["III"])

    looks_alike, digits = recount([_read("Il", spans[0]), _read("11", spans[0])], gray)

    assert looks_alike.text == "Il" and digits.text == "11"


def _blurred(words: list[str]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """``words`` printed bold with the tight pitch of a card's ``I`` (a third of the letter
    height), then blurred as a shaken photo blurs them: the strokes run into one another."""
    image = np.full((80, 900), 255, np.uint8)
    spans, x = [], LEFT
    space = cv2.getTextSize(" ", FONT, 1.0, 3)[0][0]
    for word in words:
        start = x
        for letter in word:
            cv2.putText(image, letter, (x, BASE), FONT, 1.0, 0, 3)
            x += 7 if letter == "I" else cv2.getTextSize(letter, FONT, 1.0, 3)[0][0]
        spans.append((start, x))
        x += space
    return cv2.GaussianBlur(image, (0, 0), 1.5), spans


def _box(span: tuple[int, int]) -> tuple[int, int, int, int]:
    return (span[0] - 2, 24, span[1] - span[0] + 4, 32)


def test_strokes_blurred_into_one_run_of_ink_are_still_counted():
    gray, spans = _blurred(["SUKAMAJU", "III", "NO."])
    _, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    left, right = spans[1]
    assert binary[24:56, left + 2 : right - 2].any(axis=0).all()  # no gap between the strokes

    (line,) = recount([_read("II", spans[1])], gray)

    assert line.text == "III"


def test_two_stems_joined_by_a_bar_or_a_bowl_are_not_two_strokes():
    for letter in ("H", "U", "N", "O"):
        gray, spans = _blurred(["GANG", letter, "NO."])

        assert count_strokes(gray, _box(spans[1])) is None, letter
        (line,) = recount([_read("I", spans[1])], gray)
        assert line.text == "I", letter


def test_strokes_at_the_end_of_a_longer_word_are_not_a_numeral():
    gray, spans = _printed(["SUKAMAJUIII"])
    right = spans[0][1]
    strokes = (right - 3 * 12, 24, 3 * 12, 32)  # the box over the last three strokes only

    assert count_strokes(gray, strokes) is None
