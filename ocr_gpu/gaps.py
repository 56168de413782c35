"""Words PP-OCR's detector missed inside a row, read again from the whole row.

Glare over a laminated card washes part of a row out (``RT 012 ... KOTA SURAKARTA`` for ``RT
012/002 CIPAGANTI TEGALSARI KOTA SURAKARTA``): the detector finds the words on either side and
none between them, so the row reads with a hole and its value comes back short. The card shows
the hole is not empty: in the gap between two words of a row there is ink of letter height. Such
a row is recognised again as one line (the recogniser reads faint letters the detector passed
over), and the words it reads in the gap are taken when the read agrees with the words on both
sides of it. A gap between columns (a label and its value, a value and the text under the photo)
holds no letters and is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from statistics import median

import cv2
import numpy as np

from ocr_gpu.lines import spread
from ocr_gpu.result import Line, Word

MIN_GAP = 1.0  # text heights between two words of a row before the gap is looked at
INK_CONTRAST = 25  # grey levels darker than the gap's paper that count as ink
LETTER_HEIGHT = 0.4  # a blob of ink at least this share of the row's height is a letter
MIN_LETTER_AREA = 6
MIN_LETTERS = 3  # a colon or a speck in a gap is not a word
# Words washed out by glare fill their gap with letters edge to edge, about one and a half
# letters per text height of gap; the grain and pattern of a hard photo leave scattered blobs
# of letter height in the gap between a label and its value, or between a value and the text
# under the photo, that cover less of it and fewer to the height (measured on generated hard
# photos: washed-out words 0.92 of the gap at 1.6 letters per height; grain at most 0.84 at 0.9,
# or 0.76 at 1.6).
MIN_COVER = 0.8
MIN_DENSITY = 1.2
PAD = 4  # pixels round the row's crop

Recognise = Callable[[np.ndarray], tuple[str, float]]


def fill(lines: list[Line], card: np.ndarray, gray: np.ndarray, recognise: Recognise) -> list[Line]:
    """``lines`` with the words of an inked gap read again from the row (``card``: the colour
    card the lines were read on; ``gray``: the same card with its light evened out)."""
    return [_filled(line, card, gray, recognise) for line in lines]


def _filled(line: Line, card: np.ndarray, gray: np.ndarray, recognise: Recognise) -> Line:
    words = line.words
    if len(words) < 2:
        return line
    height = median(w.box[3] for w in words)
    inked = [
        index
        for index in range(1, len(words))
        if _gap_width(words[index - 1], words[index]) >= MIN_GAP * height
        and _letters_in_gap(words[index - 1], words[index], gray) >= MIN_LETTERS
    ]
    if len(inked) != 1:
        return line
    index = inked[0]
    top = max(min(w.box[1] for w in words) - PAD, 0)
    bottom = max(w.box[1] + w.box[3] for w in words) + PAD
    left = max(words[0].box[0] - PAD, 0)
    right = words[-1].box[0] + words[-1].box[2] + PAD
    text, confidence = recognise(np.ascontiguousarray(card[top:bottom, left:right]))
    # the read from the word before the gap to the word after it (the read may join a word
    # in the gap to either: ``012/002``)
    before, after = words[index - 1], words[index]
    span = _between(text, words[: index - 1], words[index + 1 :])
    bare = _bare(span)
    if not (bare.startswith(_bare(before.text)) and bare.endswith(_bare(after.text))):
        return line
    if len(bare) <= len(_bare(before.text + after.text)):
        return line  # nothing read in the gap
    start, stop = before.box[0], after.box[0] + after.box[2]
    box = (start, before.box[1], stop - start, before.box[3])
    found = spread(span, box, min(confidence, before.confidence))
    filled = (*words[: index - 1], *found, *words[index + 1 :])
    return line.with_words(filled)


def _gap_width(before: Word, after: Word) -> int:
    return after.box[0] - (before.box[0] + before.box[2])


def _letters_in_gap(before: Word, after: Word, gray: np.ndarray) -> int:
    """Blobs of ink of letter height in the gap between two words, when they fill it as
    printed words do (0 when they are too few or too scattered for that)."""
    top = min(before.box[1], after.box[1])
    bottom = max(before.box[1] + before.box[3], after.box[1] + after.box[3])
    crop = gray[max(top, 0) : bottom, before.box[0] + before.box[2] + 2 : after.box[0] - 2]
    if crop.size == 0:
        return 0
    paper = float(np.percentile(crop, 90))
    ink = (crop < paper - INK_CONTRAST).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    letters = [
        (x, width)
        for x, _, width, blob_height, area in stats[1:]
        if blob_height >= LETTER_HEIGHT * (bottom - top) and area >= MIN_LETTER_AREA
    ]
    covered = np.zeros(crop.shape[1], bool)
    for x, width in letters:
        covered[x : x + width] = True
    height = median(w.box[3] for w in (before, after))
    if covered.mean() < MIN_COVER or len(letters) < MIN_DENSITY * crop.shape[1] / height:
        return 0
    return len(letters)


def _bare(text: str) -> str:
    return "".join(text.split()).upper()


def _between(text: str, before: tuple[Word, ...], after: tuple[Word, ...]) -> str:
    """The part of ``text`` between the words ``before`` and ``after`` (spaces aside), when
    ``text`` starts with the one and ends with the other; else empty. Either may be no words."""
    head = _bare("".join(w.text for w in before))
    tail = _bare("".join(w.text for w in after))
    if not _bare(text).startswith(head) or not _bare(text).endswith(tail):
        return ""
    # walk the read to where ``head`` ends and ``tail`` starts, keeping the read's own spaces
    start = _offset_after(text, len(head))
    end = _offset_after(text, len(_bare(text)) - len(tail))
    return text[start:end].strip() if start < end else ""


def _offset_after(text: str, letters: int) -> int:
    """The offset in ``text`` just after its first ``letters`` non-space characters."""
    seen = 0
    for offset, char in enumerate(text):
        if seen == letters:
            return offset
        if not char.isspace():
            seen += 1
    return len(text)
