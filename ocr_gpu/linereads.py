"""Tesseract's read of a line on its own, where its read of the whole card differs.

A holder's name, birth date and sex are confirmed only when two engines read them exactly
alike (``verification.consensus``). Tesseract's whole-card read (sparse text) loses values that
its read of the same line alone gets right: a name in white on a dark band (``SUTBISNO`` for
``SUTRISNO``), a name joined to the label row below it, a wide space read as two words
(``WULAN DARI``). On the outside sets' cards whose names PP-OCR read right but Tesseract's
card read did not, Tesseract read the name's line alone exactly on six of eight.

So each line of the primary read that may hold such a value (``_worth_reading``), and that the
second read has no identical line for, is read again by Tesseract from its own box; each word
of the line carries the words Tesseract read inside its box as an ``Alternative`` of method
``LINE``. A line the second read holds exactly carries that line's words: Tesseract's parse of
its own read may still have lost the field (its caption lost). Either is Tesseract's read only:
with PP-OCR's it may confirm a value, never alone, and the verification layer takes it only
for the words of one value that were all read so (``verification.consensus``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import replace

import numpy as np

from ocr_gpu.result import TESSERACT, Alternative, Box, Line, Word

LINE = "line"
# Lines re-read per card at most, top first: on the outside sets a median of one to three lines
# per card qualify, nine in ten cards eight or fewer; each costs 30-90 ms of Tesseract.
MAX_LINES = 8
MIN_LETTERS = 3  # a line's longest upper-case run: labels alone ("Nama") are not values
DATE_DIGITS = 6  # a date's digits (``1-5-1990``) in a line without a run of capitals
NUMBER_DIGITS = 12  # a word with this many digits is an identity number
PAD = (0.4, 0.25)  # margin around the line's box, in line heights (as a number's crop)


def _overlaps(box: Box, other: Box) -> bool:
    x, y, w, h = box
    ox, oy, ow, oh = other
    rows = min(y + h, oy + oh) - max(y, oy)
    columns = min(x + w, ox + ow) - max(x, ox)
    return rows > 0.5 * min(h, oh) and columns > 0


def _longest_capitals(text: str) -> int:
    longest = run = 0
    for char in text:
        run = run + 1 if char.isalpha() and char.isupper() else 0
        longest = max(longest, run)
    return longest


def _worth_reading(line: Line) -> bool:
    """A row that may hold a name, a sex or a date: an upper-case run of ``MIN_LETTERS`` or a
    date's digits; not an identity number's row (its number is re-read on its own)."""
    text = " ".join(w.text for w in line.words)
    if any(sum(c.isdigit() for c in w.text) >= NUMBER_DIGITS for w in line.words):
        return False
    return _longest_capitals(text) >= MIN_LETTERS or sum(c.isdigit() for c in text) >= DATE_DIGITS


def _alike(line: Line, second: Sequence[Line]) -> Line | None:
    """The line of ``second`` over ``line`` holding exactly its text, if any."""
    text = " ".join(w.text for w in line.words)
    return next(
        (
            other
            for other in second
            if " ".join(w.text for w in other.words) == text and _overlaps(line.box, other.box)
        ),
        None,
    )


def alike(lines: Sequence[Line], second: Sequence[Line]) -> dict[int, Line]:
    """The lines of ``lines`` worth a re-read (``_worth_reading``) that a line of ``second``
    over them holds exactly, by index, with that line: Tesseract's card read already read them
    so, and its words are their Tesseract read (its parse of the card may still have placed a
    field elsewhere or nowhere: a caption lost, a label read as a value)."""
    found = {}
    for index, line in enumerate(lines):
        if _worth_reading(line) and (other := _alike(line, second)) is not None:
            found[index] = other
    return found


def disputed(lines: Sequence[Line], second: Sequence[Line]) -> list[int]:
    """Indexes of the lines of ``lines`` worth a re-read (``_worth_reading``) that no line of
    ``second`` over them holds with exactly their text. At most ``MAX_LINES``, top first."""
    found = [
        index
        for index, line in enumerate(lines)
        if _worth_reading(line) and _alike(line, second) is None
    ]
    found.sort(key=lambda i: lines[i].box[1])
    return sorted(found[:MAX_LINES])


def crop(gray: np.ndarray, line: Line) -> tuple[np.ndarray, int, int]:
    """The line's box with a margin, and the crop's top-left corner on the card."""
    x, y, w, h = line.box
    pad_x, pad_y = round(PAD[0] * h), round(PAD[1] * h)
    top, left = max(0, y - pad_y), max(0, x - pad_x)
    bottom, right = min(gray.shape[0], y + h + pad_y), min(gray.shape[1], x + w + pad_x)
    return np.ascontiguousarray(gray[top:bottom, left:right]), left, top


def attach(line: Line, read: Sequence[Word]) -> Line:
    """``line`` with each word carrying the words of ``read`` (card coordinates) whose centres
    fall in its columns, joined by spaces, as a ``LINE`` alternative; a word none fall in
    carries none."""
    words = []
    for word in line.words:
        x, _, w, _ = word.box
        inside = sorted(
            (r for r in read if x <= r.box[0] + r.box[2] / 2 <= x + w), key=lambda r: r.box[0]
        )
        if not inside:
            words.append(word)
            continue
        text = " ".join(r.text for r in inside)
        confidence = round(sum(r.confidence for r in inside) / len(inside), 2)
        alternative = Alternative(text=text, confidence=confidence, engine=TESSERACT, method=LINE)
        words.append(replace(word, alternatives=(*word.alternatives, alternative)))
    return replace(line, words=tuple(words))


# Tesseract's read of a crop: its words in card coordinates, given the crop's top-left corner.
ReadLine = Callable[[np.ndarray, int, int], list[Word]]


def reread(
    lines: list[Line],
    second: Sequence[Line],
    gray: np.ndarray,
    read: ReadLine,
    pool: Executor | None = None,
) -> list[Line]:
    """``lines`` with each ``disputed`` line's words carrying its re-read, and each line
    ``second`` holds ``alike`` carrying that line's words (``attach``); the re-reads run on
    ``pool`` when one is given."""
    jobs: dict[int, Future[list[Word]] | list[Word]] = {
        index: list(other.words) for index, other in alike(lines, second).items()
    }
    for index in disputed(lines, second):
        image, left, top = crop(gray, lines[index])
        jobs[index] = pool.submit(read, image, left, top) if pool else read(image, left, top)
    out = []
    for index, line in enumerate(lines):
        job = jobs.get(index)
        if job is not None:
            line = attach(line, job.result() if isinstance(job, Future) else job)
        out.append(line)
    return out


__all__ = ["LINE", "ReadLine", "alike", "attach", "crop", "disputed", "reread"]
