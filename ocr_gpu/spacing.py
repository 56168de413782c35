"""Spaces PP-OCR dropped, put back where Tesseract read two words and the card shows a gap.

PP-OCR now and then reads two names printed close together as one word (``HENDRAAGUS`` for
``HENDRA AGUS``); a holder's name must be read alike to the space by both engines before FiLot
approves it, so such a card would always go to a person. Neither read can be trusted to decide
the space on its own (Tesseract splits squeezed words too: ``PU TRI``). The printed card decides:
where Tesseract's words, joined, spell a PP-OCR word, each place Tesseract put a space is looked
at in the card's pixels, and PP-OCR's word is split there only when the columns between the
letters are empty over a word space's width. A narrow gap between letters never splits a word.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import cv2
import numpy as np

from ocr_gpu.lines import spread, union_box
from ocr_gpu.result import TESSERACT, Alternative, Box, Line, Word

# Empty columns, as a share of the letters' height (inked rows), that make a space; the gap must
# also be wider than every gap between letters of the word. Measured on the generated card
# families' clean cards (PP-OCR's words and the spaces it read): the widest gap inside a word is
# 0.12-0.31 of the letter height (95th percentile 0.29), a word space 0.35-0.72 (5th percentile
# 0.35); the narrow spaces PP-OCR glues measure 0.30-0.35.
MIN_GAP = 0.30
# A face set tight (its letters touching or a pixel or two apart) prints its word spaces narrow
# too: ``YANTI NURJANAH`` on an outside set's card leaves 0.28 of the letter height between the
# names and at most 0.04 between letters. Such a space counts where it is TIGHT_GAP of the
# letters' height or more and TIGHT_RATIO times the widest gap between the word's letters (at
# least a pixel). On outside sets' cards, the spaces Tesseract read inside a printed word measured
# 0.11 of the height or less.
TIGHT_GAP = 0.20
TIGHT_RATIO = 4
MIN_LETTERS = 4
SLACK = 3  # pixels either side of Tesseract's space searched for the gap
# Tesseract's space is taken out only where the gap is no wider than the gaps between the word's
# letters, under JOIN_GAP of the letters' height (a word space measures 0.35 or more), and the
# card shows the gaps between at least RESOLVED_GAPS of the word's letters. A wide bold face on a
# hard photo leaves gaps of 0.21 letter heights between letters (``CIBE UNYING``).
JOIN_GAP = 0.25
RESOLVED_GAPS = 0.6
# On a blurred word the letters run together and a space cannot be told from the gaps between
# letters; but where the same row still shows every space between the words PP-OCR read apart
# at least ROW_SPACE of the letters' height, a place with almost no empty columns (under
# BLURRED_JOIN of the height) is not a space either (``SE MARANG``, ``KARANG ANYAR``). Measured
# on hard photos of the generated families: such spurious spaces leave 0-0.08 of the letters'
# height empty; printed spaces 0.15 or more where their row's other spaces keep 0.2.
ROW_SPACE = 0.2
BLURRED_JOIN = 0.10
GLUED_MARKS = ":"  # a value's colon PP-OCR reads as part of the value's first word
SPLIT = "split"  # the method of the alternative that keeps a joined word's pieces
LETTER_ROW_INK = 0.2  # a row holds letters when it has this share of the inkiest row's ink


def respace(
    lines: list[Line], second: list[Line], gray: np.ndarray
) -> tuple[list[Line], list[Line]]:
    """``lines`` (PP-OCR's read) with glued words split where ``second`` (Tesseract's read of
    the same card) has a space and the card shows one; and ``second`` with the words it split
    joined again where the card shows no more room between them than between the word's letters
    (``CIBEUNYI NG``). A space the card leaves in doubt is left as each engine read it."""
    if not second:
        return lines, second
    out = []
    joins: dict[int, int] = {}  # id of a Tesseract word -> how many words from it make one
    for line in lines:
        words: list[Word] = []
        for word in line.words:
            pieces, joined = _split(word, second, gray, line)
            words.extend(pieces)
            joins.update(joined)
        if len(words) != len(line.words):
            line = line.with_words(words)
        out.append(line)
    return out, [_joined(line, joins) for line in second] if joins else second


def _joined(line: Line, joins: dict[int, int]) -> Line:
    words: list[Word] = []
    index = 0
    while index < len(line.words):
        count = joins.get(id(line.words[index]), 1)
        run = line.words[index : index + count]
        if len(run) == 1:
            words.append(run[0])
        else:
            box = union_box(w.box for w in run)
            confidence = min(w.confidence for w in run)
            # the words as Tesseract read them stay beside the join: a name is confirmed on
            # what each engine read, never on a space the card's pixels took out
            split = Alternative(" ".join(w.text for w in run), confidence, TESSERACT, SPLIT)
            words.append(Word("".join(w.text for w in run), confidence, box, (split,)))
        index += count
    if len(words) == len(line.words):
        return line
    return line.with_words(words)


def as_read(lines: list[Line]) -> list[Line]:
    """``lines`` with every word ``respace`` joined split again as its engine read it."""
    out = []
    for line in lines:
        words: list[Word] = []
        for word in line.words:
            split = next((a for a in word.alternatives if a.method == SPLIT), None)
            if split is None:
                words.append(word)
                continue
            words.extend(spread(split.text, word.box, word.confidence))
        if len(words) == len(line.words):
            out.append(line)
        else:
            out.append(line.with_words(words))
    return out


def _split(
    word: Word, second: list[Line], gray: np.ndarray, line: Line | None = None
) -> tuple[list[Word], dict[int, int]]:
    """PP-OCR's ``word`` (of ``line``) cut where the card shows a space Tesseract read, and the
    runs of Tesseract's words to join (first word's id -> count) where the card shows none.
    A value's colon PP-OCR read glued on (``:ESTISUSANTI``) stays on the first piece; the gaps
    are measured from where Tesseract's first word starts, so the colon's is not a letter gap.
    An abbreviation's dot counts as a letter (``MOH.ISMAIL``)."""
    marks = len(word.text) - len(word.text.lstrip(GLUED_MARKS))
    whole, word = word, replace(word, text=word.text[marks:])
    if len(word.text) < MIN_LETTERS or not word.text.replace(".", "").isalpha():
        return [whole], {}
    run = _spelled_by(word, second)
    if run is None:
        return [whole], {}
    if marks:
        x, y, w, h = word.box
        start = min(max(x, run[0].box[0] - SLACK), x + w - 1)
        word = replace(word, box=(start, y, x + w - start, h))
    measured = empty_columns(gray, word.box)
    if measured is None:
        return [whole], {}
    empty, height = measured
    left = word.box[0]
    proposed: list[tuple[int, tuple[int, int] | None]] = []  # (characters before, gap)
    taken = 0
    for before, after in itertools.pairwise(run):
        taken += len(before.text)
        start = before.box[0] + before.box[2] - SLACK - left
        stop = after.box[0] + SLACK - left
        proposed.append((taken, widest_run(empty, max(start, 0), min(stop, len(empty)))))
    at_spaces = {gap for _, gap in proposed if gap is not None}
    letter_gaps = [b - a for a, b in gaps(empty) if (a, b) not in at_spaces]
    widest_letter_gap = max(letter_gaps, default=0)
    # a space is only judged absent where the card shows the gaps between most letters: on a
    # blurred word the letters run together and no gap, space or not, can be seen
    resolved = len(gaps(empty)) >= RESOLVED_GAPS * (len(word.text) - 1)
    row_spaces = _row_spaces(line, gray) if line is not None else []
    spaced_row = bool(row_spaces) and min(row_spaces) >= ROW_SPACE * height
    pieces: list[tuple[str, int]] = []  # (text, cut x in card pixels) of each piece but the last
    no_space = []  # index into run of each word that joins the one before it
    for index, (taken, gap) in enumerate(proposed, start=1):
        width = 0 if gap is None else gap[1] - gap[0]
        if gap is not None and _a_space(width, height, widest_letter_gap):
            pieces.append((word.text[:taken], left + (gap[0] + gap[1]) // 2))
        elif width <= widest_letter_gap and (
            (resolved and width < JOIN_GAP * height)
            or (spaced_row and width < BLURRED_JOIN * height)
        ):
            no_space.append(index)
    joins = _runs_to_join(run, no_space)
    if not pieces:
        return [whole], joins
    out, start_char, start_x = [], 0, whole.box[0]
    for end_char, cut in [(len(t), x) for t, x in pieces] + [(len(word.text), left + word.box[2])]:
        box: Box = (start_x, word.box[1], cut - start_x, word.box[3])
        colon = whole.text[:marks] if start_char == 0 else ""
        out.append(replace(word, text=colon + word.text[start_char:end_char], box=box))
        start_char, start_x = end_char, cut
    return out, joins


def _a_space(width: int, height: int, widest_letter_gap: int) -> bool:
    """Whether a gap ``width`` pixels wide between letters ``height`` tall is a word space,
    beside gaps between the word's letters at most ``widest_letter_gap`` wide."""
    if width >= MIN_GAP * height and width > widest_letter_gap:
        return True
    return width >= TIGHT_GAP * height and width >= TIGHT_RATIO * max(widest_letter_gap, 1)


def _row_spaces(line: Line, gray: np.ndarray) -> list[int]:
    """The empty columns (widest run) at each space between two words of ``line``."""
    widths = (
        space_between(gray, before, after) for before, after in itertools.pairwise(line.words)
    )
    return [width for width in widths if width is not None]


def space_between(gray: np.ndarray, before: Word, after: Word) -> int | None:
    """The widest run of empty columns between the words ``before`` and ``after`` (0 where
    their letters leave none), or None where the card cannot be measured there."""
    box = union_box((before.box, after.box))
    measured = empty_columns(gray, box)
    if measured is None:
        return None
    start = before.box[0] + before.box[2] - SLACK - box[0]
    stop = after.box[0] + SLACK - box[0]
    gap = widest_run(measured[0], max(start, 0), min(stop, len(measured[0])))
    return 0 if gap is None else gap[1] - gap[0]


def _runs_to_join(run: list[Word], no_space: list[int]) -> dict[int, int]:
    """Words ``no_space`` (each joins the one before it) as runs: first word's id -> count."""
    joins: dict[int, int] = {}
    first = 0
    for index in range(1, len(run) + 1):
        if index < len(run) and index in no_space:
            continue
        if index - first > 1:
            joins[id(run[first])] = index - first
        first = index
    return joins


# Tesseract's read of a row may stop inside a word (``DEWI HER`` for ``DEWI HERAWATI``): its
# words spell the start of PP-OCR's word, at least this share of it, and the spaces they show
# there are judged on the card as any others.
MIN_PREFIX = 0.5


def _spelled_by(word: Word, second: list[Line]) -> list[Word] | None:
    """Two or more consecutive words of one line of ``second`` on ``word``'s row and within
    its extent that, joined, spell ``word`` (in any letter case); failing that, two or more
    that end their line and spell the start of ``word`` (``MIN_PREFIX`` of it or more)."""
    x, y, w, h = word.box
    wanted = word.text.upper()  # Tesseract reads a word in small letters now and then: Tim
    started: list[Word] | None = None
    for line in second:
        row = [
            o
            for o in line.words
            if y <= o.box[1] + o.box[3] / 2 <= y + h
            and o.box[0] + o.box[2] > x
            and o.box[0] < x + w
        ]
        for first in range(len(row)):
            joined = ""
            for last in range(first, len(row)):
                joined += row[last].text.upper()
                if not wanted.startswith(joined):
                    break
                if joined == wanted and last > first:
                    return row[first : last + 1]
                if (
                    last > first
                    and row[last] is line.words[-1]
                    and len(joined) >= MIN_PREFIX * len(wanted)
                ):
                    started = started or row[first : last + 1]
    return started


def empty_columns(gray: np.ndarray, box: Box) -> tuple[np.ndarray, int] | None:
    """Per column of the word's box, True where no ink (Otsu's threshold within the box), and
    the letters' height: the span of the rows holding at least ``LETTER_ROW_INK`` of the
    inkiest row's ink (on a clean card every inked row; on a grainy photo not the specks)."""
    x, y, w, h = box
    crop = gray[max(y, 0) : y + h, max(x, 0) : x + w]
    if crop.size == 0 or crop.shape[1] != w:
        return None
    _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = binary > 0
    per_row = ink.sum(axis=1)
    if not per_row.any():
        return None
    rows = np.flatnonzero(per_row >= LETTER_ROW_INK * per_row.max())
    return np.asarray(~ink.any(axis=0)), int(rows[-1] - rows[0] + 1)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Every run of True in a one-dimensional mask, as (first, past-last)."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def gaps(empty: np.ndarray) -> list[tuple[int, int]]:
    """Every run of empty columns between two inked columns, as (first, past-last)."""
    return [(a, b) for a, b in runs(empty) if a > 0 and b < len(empty)]


def widest_run(empty: np.ndarray, start: int, stop: int) -> tuple[int, int] | None:
    """The widest run of empty columns between two inked columns of the word that reaches into
    [start, stop), as (first, past-last)."""
    reaching = [(a, b) for a, b in gaps(empty) if a < stop and b > start]
    return max(reaching, key=lambda gap: gap[1] - gap[0], default=None)
