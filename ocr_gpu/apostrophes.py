"""An apostrophe inside a word that the primary engine lost, looked for on the card.

Names of Arabic origin print an apostrophe between two letters (``BA'ASYIR``, ``MA'RUF``,
``JA'FAR``). Set tight, the mark hangs over the letters beside it, and PP-OCR reads the word
without it; Tesseract does too, now and then, and a name both engines read alike without its
apostrophe would be confirmed, and approved, wrong. So the card decides, as for a final dot
(``ocr_gpu.dots``): inside an all-capital word, a small blob of ink apart from the letters,
hanging from their top line, is an apostrophe (capitals have no dots or accents above them).

Only the primary read is mended. The second engine's read stays as it read, so a mark the second
engine did not see makes the two reads of the name differ, and the name goes to a person
(``verification.consensus`` confirms a name only when two engines read it alike): where the mark
is taken from the pixels, its place among the letters is an estimate, and a person checks it.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from ocr_gpu.result import Line, Word, each_word

CAPITALS = re.compile(r"^[A-Z]{4,}$")
MIN_HEIGHT = 14  # pixels of letter height below which no mark is told from noise
MIN_CONTRAST = 40  # grey levels between paper and letters, below which nothing is decided
# Of the way from the paper to the letters' darkest, a pixel is ink. At this share the letters
# hold together: at a higher one a faint letter comes apart (the bowl of a blurred ``P`` stands
# off its stem, the size and place of an apostrophe). The mark must hold ink dark at DARK_SHARE
# too (it is print, not a smudge).
INK_SHARE = 0.3
DARK_SHARE = 0.6
# A piece of a letter that a hairline joins to it (a serif of a ``T``'s bar, an ``S``'s end in a
# thin-stroked serif face) comes apart at INK_SHARE on a blurred photo and joins its letter again
# where fainter ink counts; a printed mark stands apart at this share too.
LOOSE_SHARE = 0.15
MARK_HEIGHT = (0.15, 0.5)  # the mark's height, in letter heights
MARK_WIDTH = 0.3  # at most, in letter heights
# The mark hangs from the letters' top line: its top within HANG letter heights of it, its foot
# between MIN_REACH and REACH down the letters (a comma of the row above ends above them).
HANG = 0.12
MIN_REACH, REACH = 0.15, 0.55
# Each capital's share of a word's width, relative to a typical capital (a sans card face):
# enough to place a mark between the right two letters of a word.
NARROW = {"I": 0.35, "J": 0.6, "L": 0.75, "F": 0.8, "E": 0.85, "T": 0.85}
WIDE = {"M": 1.25, "W": 1.4}
# The vowels an apostrophe follows in an Indonesian name: the a, i and u of the Arabic it spells
# (``MA'RUF``, ``NI'MAH``, ``NU'MAN``). A mark after an ``E`` or an ``O`` is a letter's piece or a
# speck (``KEMENTE'RIAN``, ``INDO'NESIA`` on hard photos of the outside sets, none printed so).
VOWELS = frozenset("AIU")
ABOUT = 0.2  # letters: a boundary this much further from the mark than the nearest is as near


def mend(lines: list[Line], gray: np.ndarray) -> list[Line]:
    """``lines`` with an apostrophe in each all-capital word whose box on the card shows one."""
    return each_word(lines, lambda word: _mended(word, gray))


def _mended(word: Word, gray: np.ndarray) -> Word:
    if not CAPITALS.match(word.text):
        return word
    at = mark_position(gray, word.box, word.text)
    if at is None:
        return word
    return replace(word, text=word.text[:at] + "'" + word.text[at:])


def mark_position(gray: np.ndarray, box: tuple[int, int, int, int], text: str) -> int | None:
    """Where an apostrophe printed inside the word ``text`` in ``box`` goes (the number of
    letters before it), or None when the word's pixels show none."""
    x, y, width, height = box
    if height < MIN_HEIGHT or width < height:
        return None
    margin = int(0.15 * height)
    top, left = max(y - margin, 0), max(x, 0)
    area = gray[top : y + height + margin, left : x + width]
    if area.size == 0:
        return None
    paper, letters = float(np.median(area)), float(np.percentile(area, 3))
    if paper - letters < MIN_CONTRAST:
        return None
    dark = area < paper - DARK_SHARE * (paper - letters)
    ink = (area < paper - INK_SHARE * (paper - letters)).astype(np.uint8)
    loose = (area < paper - LOOSE_SHARE * (paper - letters)).astype(np.uint8)
    found = _mark(ink, dark, loose)
    return _place(text, found) if found is not None else None


def _mark(ink: np.ndarray, dark: np.ndarray, loose: np.ndarray) -> float | None:
    """The one mark in ``ink`` (the word's box, a margin above and below) hanging from the
    letters' top line, as its place across the letters (0 to 1); ``loose``: the same box with
    fainter ink counted, where the mark must still stand apart."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    _, loose_labels, loose_stats, _ = cv2.connectedComponentsWithStats(loose, connectivity=8)
    blobs = [s for s in stats[1:] if s[cv2.CC_STAT_AREA] >= 4]
    tallest = max((int(s[cv2.CC_STAT_HEIGHT]) for s in blobs), default=0)
    tall = [s for s in blobs if s[cv2.CC_STAT_HEIGHT] >= 0.6 * tallest]  # the letters
    if len(tall) < 2:
        return None
    cap_top = float(np.median([s[cv2.CC_STAT_TOP] for s in tall]))
    cap = float(np.median([s[cv2.CC_STAT_HEIGHT] for s in tall]))
    ink_left = min(int(s[cv2.CC_STAT_LEFT]) for s in tall)
    ink_right = max(int(s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH]) for s in tall)
    marks = []
    for index in range(1, count):
        bx, by, bw, bh, pixels = (int(v) for v in stats[index])
        if not (
            MARK_HEIGHT[0] * cap <= bh <= MARK_HEIGHT[1] * cap
            and bw <= MARK_WIDTH * cap
            and pixels >= 4
            and cap_top - HANG * cap <= by <= cap_top + HANG * cap
            and cap_top + MIN_REACH * cap <= by + bh <= cap_top + REACH * cap
            and by > 0
            and ink_left < bx
            and bx + bw < ink_right
            and dark[labels == index].any()
            and _apart(loose_labels, loose_stats, labels == index, cap)
        ):
            continue
        marks.append(bx + bw / 2)
    if len(marks) != 1:
        return None  # none, or specks and streaks the letters' top line happens to cross
    return (marks[0] - ink_left) / max(ink_right - ink_left, 1)


def _apart(labels: np.ndarray, stats: np.ndarray, pixels: np.ndarray, cap: float) -> bool:
    """Whether the blob at ``pixels`` is still a blob of a mark's size with fainter ink counted
    (``labels``, ``stats``): not joined to a letter."""
    found = np.unique(labels[pixels])
    found = found[found > 0]
    if len(found) != 1:
        return False
    height = int(stats[found[0], cv2.CC_STAT_HEIGHT])
    width = int(stats[found[0], cv2.CC_STAT_WIDTH])
    return height <= MARK_HEIGHT[1] * cap + 2 and width <= 1.5 * MARK_WIDTH * cap + 2


def _place(text: str, share: float) -> int | None:
    """The letter boundary nearest ``share`` of the word's width (each capital weighted by its
    usual width) that follows an ``A``, ``I`` or ``U``: an apostrophe in an Indonesian name
    follows one (``MA'RUF``, ``SYA'BAN``, ``NU'MAN``). A mark after a consonant is a letter's
    piece (a serif face's spur of ``G`` or terminal of ``S`` that a blurred photo parts from
    it)."""
    weights = [NARROW.get(c, WIDE.get(c, 1.0)) for c in text]
    total = sum(weights)
    bounds, reached = [], 0.0
    for weight in weights[:-1]:
        reached += weight
        bounds.append(reached / total)
    letter = 1.0 / len(text)
    near = [i for i, b in enumerate(bounds, start=1) if abs(b - share) <= 0.6 * letter]
    if not near:
        return None

    def off(i: int) -> float:
        return abs(bounds[i - 1] - share)

    nearest = min(off(i) for i in near)
    # the mark's place is an estimate: a boundary after a vowel about as near as the nearest
    after_vowel = [i for i in near if text[i - 1] in VOWELS and off(i) <= nearest + ABOUT * letter]
    return min(after_vowel, key=off) if after_vowel else None
