"""A final dot both engines may lose, looked for on the card: a degree's, an address word's.

A degree after a name is letters between dots (``S.PD.``, ``M.M.``, ``S.KOM``), printed with a
final dot or without one; an address abbreviates its words with one (``JL.``, ``GG.``, ``NO.``,
``KEL.``). That dot is the smallest mark of its row; on a blurred photo both engines drop it now
and then and agree on ``S.PD`` or ``JL``, and a dot no engine read must not be added where the
card prints none. So the card decides: right after such a word (its box as the engine gave it,
up to the next word's), a small round blob of ink sitting on the letters' baseline, with
nothing else there, is its dot.
"""

from __future__ import annotations

import re
from dataclasses import replace

import cv2
import numpy as np

from ocr_gpu.result import Line, Word

# Letters between dots without a final dot: ``S.PD``, ``M.M``, ``S.KOM``.
DOTLESS_DEGREE = re.compile(r"^(?:[A-Z]{1,2}\.)+[A-Z]{1,4},?$")
# Address words cards abbreviate with a dot (the words of ``verification.textfix``'s list that
# are only ever abbreviations: ``NO`` and ``GG`` are never whole words of an address; ``KH`` is
# the Kyai Haji of a street named after one, ``JL. KH. AHMAD DAHLAN``; ``KP``, ``LR``, ``LK`` and
# ``LINGK`` a kampung, a lorong and a lingkungan; ``KM`` a kilometre post).
ABBREVIATIONS = frozenset(
    {
        "JL",
        "JLN",
        "GG",
        "NO",
        "KEL",
        "KEC",
        "KAB",
        "KOMP",
        "DS",
        "DSN",
        "BLK",
        "KH",
        "KP",
        "KM",
        "LR",
        "LK",
        "LINGK",
        "ADM",
    }
)
REACH = 0.6  # letter heights right of the word's box the dot may lie in
OVERLAP = 0.15  # letter heights of the word's box the dot may lie in (a box cut tight)
DOT_SIZE = (0.06, 0.35)  # the dot's width and height, in letter heights
MIN_FILL = 0.45  # share of its bounding box a round dot's ink fills
BASELINE = 0.7  # the dot's bottom is at least this far down the letters' height
# Of the way from the paper to the letters' darkest, a pixel is ink: a blurred dot is much lighter
# than the letters (the first share finds it), and a blurred dot close to a letter's foot (``L.``)
# runs into it at that share and stands apart at the second.
INK_SHARES = (0.2, 0.45, 0.6)
MIN_CONTRAST = 30  # grey levels between paper and letters, below which nothing is decided


def _has_dot(gray: np.ndarray, box: tuple[int, int, int, int], limit: int | None = None) -> bool:
    """A dot right after the word in ``box``, left of ``limit`` (the next word's left end)."""
    x, y, width, height = box
    if height < 8:
        return False
    left = int(x + width - OVERLAP * height)
    right = int(x + width + REACH * height)
    if limit is not None:
        right = min(right, limit - 1)
    if right - (x + width) < DOT_SIZE[0] * height + 2:
        return False
    top, bottom = int(y + 0.3 * height), int(y + 1.15 * height)
    area = gray[max(top, 0) : bottom, max(left, 0) : right]
    word = gray[max(y, 0) : y + height, max(x, 0) : x + width]
    if area.size == 0 or word.size == 0:
        return False
    paper, letters = float(np.median(area)), float(np.percentile(word, 5))
    if paper - letters < MIN_CONTRAST:
        return False
    below_top = max(top, 0) - y
    return any(
        _one_dot(area < paper - share * (paper - letters), below_top, height)
        for share in INK_SHARES
    ) or _dot_at_foot(gray, box, limit, paper, letters)


# A dot a blur ran into the last letter's foot (``JL.``: the dot sits right after the L's foot)
# is no blob of its own at any share, but a bump on the baseline: along the row, the ink of the
# letters' foot band dips and rises again before the paper, with no ink above the bump.
FOOT_BAND = (0.68, 1.1)  # of the letter height: the band the foot and the dot are in
STEM_BAND = (0.1, 0.55)  # the band above it, where a dot has no ink and a letter has
INKED = 0.35  # of the way from paper to letters: darker than this is ink
BUMP_INK = 0.6  # the bump's darkest is at least this
BUMP_RISE = 0.2  # and this much darker than the dip before it
FOOT_ABOVE_DIP = 0.15  # the letter's foot left of the dip is this much darker than the dip
MIN_GAP_COLUMNS = 2  # paper columns between the dot and the next word
FOOT_REACH = 0.3  # letter heights left of the dip the foot is looked for in
LEFT_REACH = 0.6  # letter heights left of the box's end the profile starts (a box cut short)


def _dot_at_foot(
    gray: np.ndarray,
    box: tuple[int, int, int, int],
    limit: int | None,
    paper: float,
    letters: float,
) -> bool:
    x, y, width, height = box
    start = max(int(x + width - LEFT_REACH * height), 0)
    stop = int(x + width + (REACH + 0.1) * height)
    if limit is not None:
        stop = min(stop, limit)
    if stop - start < 4:
        return False
    contrast = paper - letters
    foot = gray[int(y + FOOT_BAND[0] * height) : int(y + FOOT_BAND[1] * height), start:stop]
    stem = gray[max(int(y + STEM_BAND[0] * height), 0) : int(y + STEM_BAND[1] * height), start:stop]
    if foot.size == 0 or stem.size == 0:
        return False
    ink = (paper - foot.min(axis=0).astype(float)) / contrast
    above = (paper - stem.min(axis=0).astype(float)) / contrast
    # from the right: the next word's first letter, paper, the bump, the dip, the letter's foot
    k = len(ink) - 1
    while k > 0 and ink[k] > INKED:
        k -= 1
    gap = k
    while k > 0 and ink[k] <= INKED:
        k -= 1
    if gap - k < MIN_GAP_COLUMNS:
        return False
    end = k
    while k > 0 and ink[k - 1] >= ink[k]:
        k -= 1
    peak = ink[k]
    while k > 0 and ink[k - 1] <= ink[k]:
        k -= 1
    dip_at, dip = k, ink[k]
    if dip_at == 0:
        return False
    left = ink[max(0, dip_at - int(FOOT_REACH * height)) : dip_at].max()
    wide = int(np.count_nonzero(ink[dip_at : end + 1] >= dip + (peak - dip) / 2))
    return bool(
        peak >= BUMP_INK
        and peak - dip >= BUMP_RISE
        and left >= dip + FOOT_ABOVE_DIP
        and DOT_SIZE[0] * height <= wide <= DOT_SIZE[1] * height
        and above[dip_at : end + 1].max() <= INKED
    )


def _one_dot(ink: np.ndarray, top: int, height: int) -> bool:
    """``ink`` (the area right of the word, ``top`` pixels below the word's top) holds one blob
    apart from the last letter, and it is the size and place of a dot."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    # the last letter's ink reaches into the area from its left edge, the next word's from its
    # right edge: neither is the dot
    right = ink.shape[1]
    blobs = [
        s
        for s in stats[1:]
        if s[cv2.CC_STAT_LEFT] > 0
        and s[cv2.CC_STAT_LEFT] + s[cv2.CC_STAT_WIDTH] < right
        and s[cv2.CC_STAT_AREA] >= 2
    ]
    if len(blobs) != 1:
        return False
    _, by, bw, bh, pixels = (int(v) for v in blobs[0])
    low, high = DOT_SIZE[0] * height, DOT_SIZE[1] * height
    return (
        low <= bw <= high
        and low <= bh <= high
        and pixels >= MIN_FILL * bw * bh
        and top + by + bh >= BASELINE * height
        and by + bh < ink.shape[0]
    )


def _dotted(word: Word, gray: np.ndarray, limit: int | None) -> Word:
    text = word.text.rstrip(",")
    if not (DOTLESS_DEGREE.match(word.text) or word.text in ABBREVIATIONS):
        return word
    if not _has_dot(gray, word.box, limit):
        return word
    return replace(word, text=text + "." + word.text[len(text) :])


def mend(lines: list[Line], gray: np.ndarray) -> list[Line]:
    """``lines`` with the final dot given to each degree and address abbreviation that the card
    prints with one."""
    out = []
    for line in lines:
        following = [w.box[0] for w in line.words[1:]] + [None]
        words = tuple(
            _dotted(w, gray, limit) for w, limit in zip(line.words, following, strict=True)
        )
        if words == line.words:
            out.append(line)
        else:
            out.append(line.with_words(words))
    return out
