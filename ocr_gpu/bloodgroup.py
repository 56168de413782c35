"""A blood group the detector passed over, read from where the card prints it.

A KTP prints the blood group as one or two letters after ``GOL. DARAH :`` (``O``, ``AB``,
``B+``). A lone round ``O`` set apart from its label is, to PP-OCR's detector, no text at all,
and Tesseract loses it as often: both reads end the row at the colon, and the card's blood group
came back as unknown (``-``) though it is printed. So where a read's row ends with the label and
nothing after it, or holds nothing more until another row's label printed beside it, the card
right of the label is looked at: the first glyphs of letter height there are recognised alone and
taken when they read as a blood group. A card that prints the
group as unknown prints a dash, thinner than any letter, and is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from ocr_gpu.result import Line, Word

GOL = re.compile(r"^G[O0]L[.,]?$")
GROUPS = frozenset({"A", "B", "AB", "O"})
RHESUS = "+-"
# Lookalikes of the group's letters that a recogniser gives for one glyph read alone.
LOOKALIKES = str.maketrans({"0": "O", "8": "B", "4": "A"})
REACH = 5.0  # label heights right of the label the value may start in
# A letter's height, in label heights: PP-OCR boxes a label about 1.8 times its capitals' height,
# so a value's capital as tall as the label's stands about 0.55 of it.
GLYPH_HEIGHT = (0.5, 1.5)
SIGN_HEIGHT = 0.3  # at least, in label heights: a rhesus sign after the letters
GLYPH_GAP = 0.8  # label heights between two glyphs of the value
INK_CONTRAST = 40  # grey levels darker than the paper that count as ink
MIN_CONFIDENCE = 30.0
PAD = 0.35  # label heights round the glyphs' crop
# A group printed in a box under its label (small capitals over a larger letter): the glyphs
# start within BELOW_REACH label heights under the label, BELOW_SIDE either side of it, and
# stand BELOW_HEIGHT label heights tall.
BELOW_REACH = 3.0
BELOW_SIDE = 0.5
BELOW_HEIGHT = (0.8, 2.6)
# A group under a caption of a row of captions (``Tempat/Tgl Lahir  Jenis Kelamin  Gol. Darah``
# over ``SURABAYA, 27-10-1999  PEREMPUAN  O``) is printed as the values are, in label heights as
# either engine boxes the caption (Tesseract tight round its small letters, PP-OCR about
# twice their height).
UNDER_CAPTION_HEIGHT = (0.35, 2.4)

Recognise = Callable[[np.ndarray], tuple[str, float]]


def fill(lines: list[Line], card: np.ndarray, gray: np.ndarray, recognise: Recognise) -> list[Line]:
    """``lines`` with the blood group added to each row that ends at its label, where the card
    right of the label (or, for a label alone on its row, in the box under it) prints one; and,
    for the label ending a row of captions printed over their values, to the row of values under
    it, where the card prints one under the label."""
    out = list(lines)
    for index, line in enumerate(lines):
        label = _bare_label(line)
        if label is None:
            continue
        word = _read_after(line, label, card, gray, recognise)
        if word is None and _label_alone(line, label):
            word = _read_below(line, label, card, gray, recognise)
        if word is not None:
            # after the label, and after its colon: before another row's label beside it
            read = out[index].words
            at = label + 1
            while at < len(read) and read[at].box[0] < word.box[0]:
                at += 1
            out[index] = out[index].with_words((*read[:at], word, *read[at:]))
            continue
        word = _read_below(line, label, card, gray, recognise, own=True)
        under = _row_holding(lines, index, word) if word is not None else None
        if word is not None and under is not None and not _overlaps(out[under], word):
            words = sorted((*out[under].words, word), key=lambda w: w.box[0])
            out[under] = out[under].with_words(words)
    return out


def _overlaps(line: Line, word: Word) -> bool:
    """Whether a word of ``line`` already covers ``word``'s place: a letter of a value read
    there (the address under a KTP-el's sex row), not a group no read held."""
    left, right = word.box[0], word.box[0] + word.box[2]
    return any(w.box[0] < right and left < w.box[0] + w.box[2] for w in line.words)


def _row_holding(lines: list[Line], index: int, word: Word) -> int | None:
    """The row after ``lines[index]`` whose height holds ``word``'s centre (the row of values
    under a row of captions), or None."""
    centre = word.box[1] + word.box[3] / 2
    for under in range(index + 1, len(lines)):
        _, top, _, height = lines[under].box
        if top <= centre <= top + height:
            return under
    return None


def _label_alone(line: Line, label: int) -> bool:
    """Whether the row holds the label and nothing before it (``GOL. DARAH`` printed small
    over the box that holds the group)."""
    first = label - 1 if label > 0 and GOL.match(line.words[label - 1].text.upper()) else label
    return first == 0


def _bare_label(line: Line) -> int | None:
    """The index of the row's ``DARAH`` word when nothing but a colon follows it (``DARAH``,
    or a word two letters off it after ``GOL``: ``Gol Dorch`` on a blurred photo), or nothing
    within the room its value is printed in: the next words are another row's label and value
    printed beside it (``Gol. Darah   Kewarganegaraan : WNI``)."""
    for index in range(len(line.words) - 1, -1, -1):
        text = line.words[index].text.upper().rstrip(":;")
        after_gol = index > 0 and GOL.match(line.words[index - 1].text.upper()) is not None
        if text == "DARAH" or (after_gol and Levenshtein.distance(text, "DARAH") <= 2):
            return index if _room_after(line, index) else None
    return None


def _label_end(line: Line, label: int) -> int:
    """Where the label ends: its colon read as a word of its own included."""
    end = line.words[label].box[0] + line.words[label].box[2]
    for word in line.words[label + 1 :]:
        if word.text.strip(":;") or word.box[0] - end > word.box[3]:
            break
        end = word.box[0] + word.box[2]
    return end


def _room_after(line: Line, label: int) -> bool:
    """Whether the row holds nothing where the label's value is printed (``REACH`` label heights
    right of it)."""
    end, height = _label_end(line, label), line.words[label].box[3]
    return all(
        w.box[0] >= end + REACH * height for w in line.words[label + 1 :] if w.text.strip(":;")
    )


def _read_after(
    line: Line, label: int, card: np.ndarray, gray: np.ndarray, recognise: Recognise
) -> Word | None:
    _, y, _, height = line.words[label].box
    end = _label_end(line, label)
    if height < 8:
        return None
    top = max(int(y - 0.4 * height), 0)
    bottom = min(int(y + 1.4 * height), gray.shape[0])
    right = min(int(end + REACH * height), gray.shape[1])
    beside = [w.box[0] for w in line.words[label + 1 :] if w.box[0] > end]
    if beside:  # another row's label printed beside: the value is printed up to it
        right = min(max(right, min(beside) - height), gray.shape[1])
    return _read_in(card, gray, (end, top, right, bottom), height, GLYPH_HEIGHT, recognise)


def _read_below(
    line: Line,
    label: int,
    card: np.ndarray,
    gray: np.ndarray,
    recognise: Recognise,
    own: bool = False,
) -> Word | None:
    """The group printed in a box under its label: larger than the label's small letters,
    centred under it. ``own``: under the label's own words (``GOL. DARAH``), not the row's."""
    first = label - 1 if label > 0 and GOL.match(line.words[label - 1].text.upper()) else label
    words = line.words[first if own else 0 : label + 1]
    height = line.words[label].box[3]
    if height < 8:
        return None
    left = min(w.box[0] for w in words)
    right = max(w.box[0] + w.box[2] for w in words)
    top = max(w.box[1] + w.box[3] for w in words)
    area = (
        max(int(left - BELOW_SIDE * height), 0),
        top,
        min(int(right + BELOW_SIDE * height), gray.shape[1]),
        min(int(top + BELOW_REACH * height), gray.shape[0]),
    )
    sizes = UNDER_CAPTION_HEIGHT if own else BELOW_HEIGHT
    word = _read_in(card, gray, area, height, sizes, recognise, boxed=True, first_row=own)
    if word is None or not left <= word.box[0] + word.box[2] / 2 <= right:
        return None
    return word


LETTER_WIDTH = 0.3  # of its height at least: A, B and O are wide letters


def _letter(blob: tuple[int, ...], low: float) -> bool:
    """Whether a blob of ink can be a letter of the group: tall enough, as wide as a letter,
    and whole (not a piece of the label's last letter cut by the area's left edge)."""
    left, _, width, height = blob[:4]
    return height >= low and width >= LETTER_WIDTH * height and left > 0


def _read_in(
    card: np.ndarray,
    gray: np.ndarray,
    area: tuple[int, int, int, int],
    height: int,
    sizes: tuple[float, float],
    recognise: Recognise,
    boxed: bool = False,
    first_row: bool = False,
) -> Word | None:
    """The first glyphs of a letter's size (``sizes``, in label heights) in ``area`` (left,
    top, right, bottom), recognised alone, when they read as a blood group. In a box
    (``boxed``) the box's sides are no glyphs: ink wider than a letter is tall is passed over.
    ``first_row``: only the glyphs of the topmost row in the area count (under a caption, the
    value printed right under it, not a longer value of the next row reaching under it)."""
    end, top, right, bottom = area
    region = gray[top:bottom, end:right]
    if region.size == 0:
        return None
    paper = float(np.percentile(region, 75))
    ink = (region < paper - INK_CONTRAST).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    low, high = sizes[0] * height, sizes[1] * height
    blobs = sorted(
        (
            tuple(int(v) for v in s[:4])
            for s in stats[1:]
            if s[cv2.CC_STAT_HEIGHT] <= high and (not boxed or s[cv2.CC_STAT_WIDTH] <= high)
        ),
        key=lambda s: s[0],
    )
    if first_row:
        tall = [b for b in blobs if _letter(b, low)]
        if not tall:
            return None
        row = min(tall, key=lambda b: b[1])
        blobs = [b for b in blobs if row[1] <= b[1] + b[3] / 2 <= row[1] + row[3]]
    first = next((i for i, b in enumerate(blobs) if _letter(b, low)), None)
    if first is None:
        return None
    kept = [blobs[first]]
    letter_top, letter_bottom = blobs[first][1], blobs[first][1] + blobs[first][3]
    for blob in blobs[first + 1 :]:
        if len(kept) == 3 or blob[0] - (kept[-1][0] + kept[-1][2]) > GLYPH_GAP * height:
            break
        # a plus as tall as a sign, or a minus: flat, but as wide as one; either beside the
        # letters, not above or under them (a speck of the box's frame)
        sign = blob[3] >= SIGN_HEIGHT * height or SIGN_HEIGHT * height <= blob[2] <= high
        if sign and letter_top <= blob[1] + blob[3] / 2 <= letter_bottom:
            kept.append(blob)
    left = end + min(g[0] for g in kept)
    width = end + max(g[0] + g[2] for g in kept) - left
    glyph_top = top + min(g[1] for g in kept)
    glyph_height = top + max(g[1] + g[3] for g in kept) - glyph_top
    pad = int(PAD * height)
    crop = card[
        max(glyph_top - pad, 0) : glyph_top + glyph_height + pad,
        max(left - pad, 0) : left + width + pad,
    ]
    text, confidence = recognise(np.ascontiguousarray(crop))
    value = text.strip().upper().translate(LOOKALIKES).replace(" ", "")
    if value.rstrip(RHESUS) not in GROUPS or confidence < MIN_CONFIDENCE:
        return None
    return Word(text=value, confidence=confidence, box=(left, glyph_top, width, glyph_height))
