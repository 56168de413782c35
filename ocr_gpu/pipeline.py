"""Bytes in, ``OcrResult`` out: load, find the card, read it with two engines, measure quality.

Pure (no Django): the Celery task, the commands and the benchmark call ``run_ocr``.

1. The card is found by its outline (``preprocess``); when no outline can be seen (a light card
   on a light desk), by its text: the text boxes of the whole photo give the card's position.
2. The primary engine (PP-OCR, or Tesseract when ONNX Runtime is missing or fails) reads the
   whole upright card; nothing assumes where a card prints what. When the read does not look
   like a card's text, the card is read turned by 180 degrees and the better read is kept.
3. Tesseract reads the same card independently (in parallel, as its own process), and every word
   that looks like a long number is re-read from its own box (PP-OCR at another scale, Tesseract
   with a digit whitelist), so verification can accept an identity number only when reads agree.
   A whole number both whole-card reads already gave alike is not re-read. Where PP-OCR glued two
   words that Tesseract read apart, the card's pixels decide whether a space is printed there
   (``spacing``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TypeVar

import cv2
import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ocr_gpu import (
    apostrophes,
    bloodgroup,
    dots,
    gaps,
    letters,
    linereads,
    marks,
    namegaps,
    namereread,
    numberrow,
    numerals,
    rulings,
    spacing,
    tesseract,
    unread,
    zeros,
)
from ocr_gpu import lines as row_assembly
from ocr_gpu.backends import ImageBackend, select_backend
from ocr_gpu.loading import load_image
from ocr_gpu.numberreader import NumberReader, get_reader
from ocr_gpu.ppocr import PpOcrEngine, PpOcrError, PpOcrUnavailable, get_engine
from ocr_gpu.preprocess import (
    CARD_SIZE,
    Preprocessed,
    normalise_illumination,
    preprocess,
    quad_from_text,
    rotate_180,
    warp_card,
)
from ocr_gpu.quality import measure
from ocr_gpu.result import PPOCR, PPOCR_V4, TESSERACT, Alternative, Box, Line, OcrResult, Word
from ocr_gpu.tesseract import OcrEngineError, OcrTimeout

logger = logging.getLogger(__name__)

ENGINES = ("auto", PPOCR, TESSERACT)
CARD_JPEG_QUALITY = 85
FRAME_DETECT_SIDE = 1280  # a photo is searched for text at this size when no outline is seen
# A flat scan of a card (``preprocess``: no outline, a card's shape) is at most this long: a
# card scanned at 300 dpi is 1,012 pixels wide, the outside sets' scans 1,000-1,300. A larger
# image of that shape may be a phone photo (3:2) with the card in part of it: where the card
# outlined by its text (margins included) covers at most this share of the image, that is the
# card.
FLAT_SCAN_MAX_SIDE = 1400
FLAT_SCAN_TEXT_SHARE = 0.5
# Words printed on every KTP or NPWP: how many a read finds tells an upright read from an
# upside-down one without knowing where the card prints them.
CARD_WORDS = (
    "PROVINSI",
    "KABUPATEN",
    "KOTA",
    "NIK",
    "NAMA",
    "LAHIR",
    "KELAMIN",
    "ALAMAT",
    "AGAMA",
    "PEKERJAAN",
    "KEWARGANEGARAAN",
    "BERLAKU",
    "NPWP",
    "DIREKTORAT",
    "JENDERAL",
    "PAJAK",
    "KEUANGAN",
    "TERDAFTAR",
)
# A read with this many card words at this mean confidence is upright: no need to try the card
# the other way round (which costs a second read).
UPRIGHT_EVIDENCE = (3, 88.0)
NUMBER_CHARS = frozenset("0123456789OoIlSBZ")
MIN_NUMBER_CHARS = 10
T = TypeVar("T")


def _timed(timings: dict[str, float], stage: str, call: Callable[[], T]) -> T:
    start = time.perf_counter()
    try:
        return call()
    finally:
        timings[stage] = round(timings.get(stage, 0.0) + (time.perf_counter() - start) * 1000, 1)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise OcrTimeout("OCR time budget spent")
    return left


def card_evidence(lines: list[Line]) -> tuple[int, float]:
    """(card words found, mean confidence of its words) of a read: higher reads more like a
    card. An upside-down card still yields some card words (PP-OCR reads text turned over
    surprisingly well) but at a clearly lower confidence."""
    words = [w for line in lines for w in line.words if sum(c.isalnum() for c in w.text) >= 3]
    found = set()
    for word in words:
        key = "".join(c for c in word.text.upper() if c.isalpha())
        if len(key) < 3:
            continue
        for card_word in CARD_WORDS:
            if key == card_word or (len(key) >= 4 and fuzz.ratio(key, card_word) >= 80):
                found.add(card_word)
    confidence = float(np.mean([w.confidence for w in words])) if words else 0.0
    return len(found), confidence


def _better(new: tuple[int, float], old: tuple[int, float]) -> bool:
    """Whether a read is the card the right way round rather than ``old``: confidence decides
    (an upside-down read is always much less sure of itself), card words break a tie."""
    if abs(new[1] - old[1]) >= 3.0:
        return new[1] > old[1]
    return new > old


MORE_TEXT = 1.02  # a read with as many card words holds more of the card with 2 % more text


MIN_CARD_ROWS = 6  # a KTP prints 15 rows and an NPWP at least 6


def _rows(lines: list[Line]) -> int:
    return sum(1 for line in lines if line.words)


def _text_amount(lines: list[Line]) -> int:
    return sum(sum(c.isalnum() for c in line.text) for line in lines)


def _fuller(new: list[Line], old: list[Line]) -> bool:
    """Whether ``new`` holds more of the card than ``old``: more card words, or as many and
    more text (a place and date of issue the other read cut off). Confidence does not decide: a
    card located by its text may be warped less evenly than by its outline, and its rows then
    run into each other while every word still reads well. A read of a card's rows beats one of
    a few long lines (a photo's text read sideways), whatever words those hold."""
    new_rows, old_rows = _rows(new), _rows(old)
    if (new_rows >= MIN_CARD_ROWS) != (old_rows >= MIN_CARD_ROWS):
        return new_rows >= MIN_CARD_ROWS
    new_words, old_words = card_evidence(new)[0], card_evidence(old)[0]
    if new_words != old_words:
        return new_words > old_words
    return _text_amount(new) >= MORE_TEXT * _text_amount(old)


NIK_WORD = "NIK"
# A KTP's second header line names its regency or city; its first, the province, is above it.
# Jakarta's cities print without ``KOTA`` (``JAKARTA SELATAN``) under ``PROVINSI DKI JAKARTA``.
REGENCY_WORDS = ("KABUPATEN", "KOTA", "JAKARTA")  # read glued now and then: KOTASORAKARTA
EDGE_SHARE = 0.012  # a row whose text starts or ends this close to the card's edge is cut
CUT_ROWS = 3
CUT_RIGHT_ROWS = 2  # the place and date of issue under a KTP photo: the only rows by its edge


def _cut_off(lines: list[Line]) -> bool:
    """Whether the read looks cut at the card's left or right edge: several rows run into it
    (on a whole card the margins are empty), or two at the right, where a KTP prints only the
    place and date of issue under the photo (the label column at the left may sit close to the
    edge of a card found a little tight)."""
    width = CARD_SIZE[0]
    cut = cut_right = 0
    for line in lines:
        if not line.words:
            continue
        at_left = min(w.box[0] for w in line.words) <= EDGE_SHARE * width
        at_right = max(w.box[0] + w.box[2] for w in line.words) >= (1 - EDGE_SHARE) * width
        cut += at_left or at_right
        cut_right += at_right
    return cut >= CUT_ROWS or cut_right >= CUT_RIGHT_ROWS


NUMBER_ROW_DIGITS = 12  # a row with this many digits holds an identity number (NIK, NPWP)


def _headless(lines: list[Line]) -> bool:
    """Whether the read starts at the NIK row or the NPWP number, or at a KTP's regency line:
    on a KTP and an NPWP alike these sit below a header (on a KTP, the province line above the
    regency), so an outline whose top edge cut the header off (a shadow across a corner of the
    card, a card cut at the top) leaves one of them on top."""
    read = [line for line in lines if line.words]
    if not read:
        return False
    top = min(read, key=lambda line: line.box[1])
    first = "".join(c for c in top.words[0].text.upper() if c.isalpha())
    return (
        first.startswith(NIK_WORD)
        or first.startswith(REGENCY_WORDS)
        or sum(c.isdigit() for c in top.text) >= NUMBER_ROW_DIGITS
        or _no_header_above_number(read)
    )


# The first letters of a header's words: a KTP's province and regency or city, an NPWP's
# ministry, directorate or title. A read whose identity number comes before any of them lost the
# header, whatever other text of the header band it kept (``REPUBLIK INDONESIA`` printed at the
# band's far end, the part of a tilted band the outline kept).
HEADER_WORDS = (
    "PROV", "KAB", "KOTA", "JAKARTA", "DIREK", "KEMEN", "DEPAR", "KEUANG", "PAJAK", "NPWP",
    "NOMOR", "KARTU",
)  # fmt: skip


def _no_header_above_number(read: list[Line]) -> bool:
    for line in sorted(read, key=lambda line: line.box[1]):
        if sum(c.isdigit() for c in line.text) >= NUMBER_ROW_DIGITS:
            return True
        if any(
            "".join(c for c in w.text.upper() if c.isalpha()).startswith(HEADER_WORDS)
            for w in line.words
        ):
            return False
    return False


# A card is 1.586 times as long as high, and a tilt short of a quarter turn keeps its outline
# well under this; an outline found longer left a band of the card out (a dark header band the
# colour of the desk under it), whatever text the rows left in it show.
LONG_OUTLINE = 1.75


def _too_long(pre: Preprocessed) -> bool:
    width, height = pre.source_card_size
    return height > 0 and width / height > LONG_OUTLINE


# The last rows of a card: a KTP's nationality and validity rows, an NPWP's KPP and registration
# date. A read with none of them, or whose lowest row runs into the card's bottom edge, was cut
# at the bottom: an outline that left out an NPWP's coloured bottom strip, or a shadow's edge.
TAIL_WORDS = ("KEWARGANEGARAAN", "BERLAKU", "HINGGA", "KPP", "TERDAFTAR")
TAIL_SLACK, MIN_SLACK_LETTERS = 2, 6


def _tailless(lines: list[Line]) -> bool:
    """Whether the read looks cut at the card's bottom edge (see ``TAIL_WORDS``)."""
    read = [line for line in lines if line.words]
    if not read:
        return False
    words = {"".join(c for c in w.text.upper() if c.isalpha()) for line in read for w in line.words}
    lowest = max(w.box[1] + w.box[3] for line in read for w in line.words)
    return not any(_reads_as_tail(word) for word in words) or (
        lowest >= (1 - EDGE_SHARE) * CARD_SIZE[1]
    )


def _reads_as_tail(word: str) -> bool:
    """``word`` opens with a tail word, two letters off at most for a long one: on a hard photo
    ``BERTAKY`` is the validity row, read (and the card not cut)."""
    for tail in TAIL_WORDS:
        slack = TAIL_SLACK if len(tail) >= MIN_SLACK_LETTERS else 0
        if Levenshtein.distance(word[: len(tail)], tail, score_cutoff=slack) <= slack:
            return True
    return False


def _numberless(lines: list[Line]) -> bool:
    """Whether the read holds no identity number: every KTP and NPWP prints one (the NIK, the
    NPWP number) near its top, so an outline whose top edge a shadow pulled down below it leaves
    a read that starts further down the card (``NOVITA INDAH``, the name row)."""
    return not any(sum(c.isdigit() for c in line.text) >= NUMBER_ROW_DIGITS for line in lines)


def _not_a_scan(lines: list[Line]) -> bool:
    """Whether an image taken for a flat scan (a card's shape, no outline) read like a card
    turned or cut rather than the whole card: few rows (a photo's text read sideways runs into
    a line or two), no identity number, or no last row. A phone photo resized by a messaging
    app (1,280 pixels, upright, the card in its top part) has a card's shape and a scan's size."""
    return _rows(lines) < MIN_CARD_ROWS or _numberless(lines) or _tailless(lines)


def _read_upright(
    pre: Preprocessed, reader: _Reader, backend: ImageBackend
) -> tuple[Preprocessed, list[Line]]:
    """The card read the right way round: turned by 180 degrees and read again when the first
    read is not clearly upright, the better read kept; words PP-OCR read as marks alone read
    again from their own box (``ocr_gpu.marks``), and a number label's number the read passed
    over read from the ink by it (``ocr_gpu.numberrow``), before the read is judged whole."""
    card, lines = _upright(pre, reader, backend)
    if reader.primary == PPOCR and reader.ppocr is not None:
        lines = _filled(marks.fill, "marks", lines, card, reader)
        lines = _filled(numberrow.fill, "number row", lines, card, reader)
    return card, lines


def _upright(
    pre: Preprocessed, reader: _Reader, backend: ImageBackend
) -> tuple[Preprocessed, list[Line]]:
    lines = reader.read(pre)
    found, confidence = card_evidence(lines)
    if found >= UPRIGHT_EVIDENCE[0] and confidence >= UPRIGHT_EVIDENCE[1]:
        return pre, lines
    flipped = rotate_180(pre, backend)
    other = reader.read(flipped)
    if _better(card_evidence(other), (found, confidence)):
        return flipped, other
    return pre, lines


# A NIK (or a 16-digit NPWP) printed in groups of four (``6371 0250 1195 1199``) is read as
# four words, none of them number-like alone: joined, the number is re-read from its whole box
# as a number printed in one piece is.
GROUP_DIGITS = (3, 6)
GROUPED_LENGTHS = (15, 16)
GROUP_GAP = 1.5  # word heights between two groups of one number at most


def _joined_groups(lines: list[Line]) -> list[Line]:
    return [_joined_line(line) for line in lines]


def _joined_line(line: Line) -> Line:
    words = list(line.words)
    out: list[Word] = []
    index = 0
    while index < len(words):
        run = [words[index]]
        while index + len(run) < len(words) and _next_group(run[-1], words[index + len(run)]):
            run.append(words[index + len(run)])
        digits = "".join(w.text for w in run)
        if len(run) >= 3 and _digits(digits) and len(_digits(digits)) in GROUPED_LENGTHS:
            box = row_assembly.union_box(w.box for w in run)
            confidence = min(w.confidence for w in run)
            out.append(Word(text=digits, confidence=confidence, box=box))
            index += len(run)
        else:
            out.append(words[index])
            index += 1
    if len(out) == len(words):
        return line
    return line.with_words(out)


def _digits(text: str) -> str:
    """The digits of a group, which may open with the label's colon (``:6171``); "" when
    anything else is in it."""
    digits = text.lstrip(":;")
    return digits if digits.isdigit() else ""


def _next_group(word: Word, following: Word) -> bool:
    low, high = GROUP_DIGITS
    gap = following.box[0] - (word.box[0] + word.box[2])
    return (
        low <= len(_digits(word.text)) <= high
        and low <= len(following.text) <= high
        and following.text.isdigit()
        and 0 <= gap <= GROUP_GAP * max(word.box[3], 1)
    )


def looks_like_number(text: str) -> bool:
    """A word that may be an identity number: many digits (or their look-alikes)."""
    digits = sum(c.isdigit() for c in text)
    return digits >= 6 and sum(c in NUMBER_CHARS for c in text) >= MIN_NUMBER_CHARS


@dataclass
class _Reader:
    """The engines of one run: PP-OCR when available, Tesseract always."""

    primary: str
    ppocr: PpOcrEngine | None
    languages: str
    deadline: float
    fallback: str = ""
    numbers: NumberReader | None = None  # PP-OCRv4's recogniser for disputed numbers

    def read(self, pre: Preprocessed) -> list[Line]:
        if self.ppocr is not None and self.primary == PPOCR:
            try:
                return row_assembly.assemble(*self.ppocr.read_with_slopes(pre.card))
            except PpOcrError as error:
                logger.warning("ppocr failed, reading with tesseract: %s", type(error).__name__)
                self.primary, self.fallback = TESSERACT, error.code
        return self.tesseract_page(pre)

    def tesseract_page(
        self, pre: Preprocessed, psm: int = tesseract.PAGE_PSM, gray: np.ndarray | None = None
    ) -> list[Line]:
        """Tesseract's read of the card (``gray``: another image of it, the same size)."""
        segments = tesseract.read_page(
            pre.gray if gray is None else gray,
            languages=self.languages,
            timeout_s=_remaining(self.deadline),
            psm=psm,
        )
        return row_assembly.assemble(segments)

    @property
    def second_psm(self) -> int:
        """Tesseract beside PP-OCR reads as usual; when Tesseract is the primary engine, the
        second read uses its automatic page segmentation (other segments, other errors)."""
        return tesseract.PAGE_PSM if self.primary == PPOCR else tesseract.SECOND_PSM

    @property
    def second_engine(self) -> str:
        return TESSERACT if self.primary == PPOCR else f"{TESSERACT}-psm{tesseract.SECOND_PSM}"


def _choose_engine(engine: str, gpu_enabled: bool) -> tuple[str, PpOcrEngine | None, str]:
    if engine not in ENGINES:
        raise ValueError(f"unknown OCR engine {engine!r}")
    if engine == TESSERACT:
        return TESSERACT, None, ""
    try:
        return PPOCR, get_engine(use_cuda=gpu_enabled), ""
    except PpOcrUnavailable as error:
        logger.warning("ppocr unavailable, reading with tesseract: %s", error)
        return TESSERACT, None, error.code


def _find_by_text(
    image: np.ndarray,
    pre: Preprocessed,
    reader: _Reader,
    backend: ImageBackend,
    *,
    always: bool = False,
) -> Preprocessed:
    """When no outline was seen (or ``always``), the card located by the text PP-OCR detects
    in the photo. An image of a card's shape is taken for a flat scan (``flat``) unless it is
    a photo's size and its text fills only part of it: a phone photo of 3:2 (upright or
    sideways) has a card's shape too."""
    scan = pre.method == "flat" and not always
    if reader.ppocr is None or (pre.method not in ("none", "flat") and not always):
        return pre
    if scan and max(image.shape[:2]) <= FLAT_SCAN_MAX_SIDE:
        return pre
    height, width = image.shape[:2]
    scale = min(1.0, FRAME_DETECT_SIDE / max(height, width))
    small = image if scale == 1.0 else cv2.resize(image, None, fx=scale, fy=scale)
    # text in a shadow across the card is too dark to detect: the light is evened out first,
    # or the card found is only its lit part (its top rows, stretched to a card's size)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    even = cv2.cvtColor(normalise_illumination(backend.upload(gray), backend), cv2.COLOR_GRAY2BGR)
    try:
        boxes = reader.ppocr.detect(even)
    except PpOcrError:
        return pre
    quad = quad_from_text([b / scale for b in boxes], (width, height))
    if quad is None:
        return pre
    if scan and cv2.contourArea(quad) > FLAT_SCAN_TEXT_SHARE * width * height:
        return pre
    return warp_card(backend.upload(image), (width, height), quad, backend, "text")


Fill = Callable[
    [list[Line], np.ndarray, np.ndarray, Callable[[np.ndarray], tuple[str, float]]], list[Line]
]


def _filled(
    fill: Fill, what: str, lines: list[Line], card: Preprocessed, reader: _Reader
) -> list[Line]:
    """``fill`` (``gaps.fill``, ``bloodgroup.fill``: words the detector passed over, read from
    the card; ``marks.fill``: words read as marks alone) with PP-OCR's recogniser; a failure
    leaves the read as it was."""
    assert reader.ppocr is not None
    try:
        return fill(lines, card.card, card.gray, reader.ppocr.recognise)
    except PpOcrError as error:
        logger.warning("%s re-read failed: %s", what, type(error).__name__)
        return lines


def _number_start(word: Word, second: Sequence[Line]) -> int | None:
    """Where the number of a word read with its label glued on (``NIK:3471...``) starts, by the
    second read: the left edge of its word on the same row and inside the word that starts with
    a digit and holds as many digits (at least ``AGREED_DIGITS``), so nothing before the number
    was read into it (a colon read as ``2``). The second engine splits label and number at the
    gap between them, however wide the label's letters are printed against the digits."""
    count = len(_number_digits(word.text))
    if count < AGREED_DIGITS:
        return None
    x, y, w, h = word.box
    starts = [
        other.box[0]
        for line in second
        for other in line.words
        if len(_number_digits(other.text)) == count
        and other.text[:1].isdigit()
        and x < other.box[0] < x + w
        and min(y + h, other.box[1] + other.box[3]) - max(y, other.box[1]) > 0.5 * other.box[3]
    ]
    return min(starts) if len(starts) == 1 else None


def _number_rows(lines: Sequence[Line]) -> int:
    return sum(sum(c.isdigit() for c in line.text) >= NUMBER_ROW_DIGITS for line in lines)


def _framed_numbers(
    lines: list[Line], second: list[Line], card: Preprocessed, reader: _Reader
) -> list[Line]:
    """Tesseract's read with the number rows it missed read again with the card's ruled lines
    erased (``ocr_gpu.rulings``), where it has fewer number rows than PP-OCR's: Tesseract takes
    a frame round a number (an NPWP's number in a box) and all inside it for a picture. Only
    the number rows of that read are taken, in place of what the first read had there: erasing
    the rules (a photo's border too) changes Tesseract's reads elsewhere on the card, for better
    or worse."""
    if _number_rows(second) >= _number_rows(lines):
        return second
    gray = rulings.erased(card.gray)
    if gray is card.gray:
        return second
    again = reader.tesseract_page(card, reader.second_psm, gray)
    found = [
        line
        for line in again
        if _number_rows([line])
        and not _number_rows([s for s in second if _overlaps(s.box, line.box)])
    ]
    if not found:
        return second
    kept = [s for s in second if not any(_overlaps(s.box, line.box) for line in found)]
    return sorted([*kept, *found], key=lambda line: line.box[1] + line.box[3] / 2)


def _overlaps(a: Box, b: Box) -> bool:
    """Two rows' boxes share part of their width and over half the lower one's height."""
    across = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    down = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return across > 0 and down > 0.5 * min(a[3], b[3])


COLON_GAP_BAND = (0.4, 0.6)  # of the word's height: the band between a colon's dots


def _colon_before(gray: np.ndarray, box: Box, reach: int) -> tuple[int, int] | None:
    """Where the last colon within the box's first ``reach`` columns ends and where the ink
    after it starts (columns from the box's left): a colon is the one character whose columns
    hold ink above and below the middle of the line and none in it. None where no colon shows."""
    x, y, w, h = box
    reach = min(reach, w - 1)
    part = gray[max(y, 0) : y + h, max(x, 0) : x + w]
    if part.size == 0 or reach < 2 or h < 8:
        return None
    _, ink = cv2.threshold(part, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    band = slice(round(COLON_GAP_BAND[0] * h), round(COLON_GAP_BAND[1] * h))
    inked = ink.sum(axis=0) > 0
    found = None
    column = 0
    while column <= reach:
        if not inked[column]:
            column += 1
            continue
        end = column
        while end < len(inked) and inked[end]:
            end += 1
        run = ink[:, column:end]
        above, below = run[: band.start].any(), run[band.stop :].any()
        if above and below and not run[band].any():
            after = end
            while after < len(inked) and not inked[after]:
                after += 1
            if after < len(inked):
                found = (end, after)
        column = end
    return found


Area = tuple[slice, slice]  # rows, columns of an image


def _turned(plain: np.ndarray, box: Area, digits: Area) -> np.ndarray | None:
    """The number's ``box`` of ``plain`` (the card's grey before its light was evened out)
    turned over, where it shows light print on a dark ground (``_light_on_dark``); else None."""
    if not _light_on_dark(plain[box], plain[digits]):
        return None
    return np.ascontiguousarray(255 - plain[box])


def _number_area(gray: np.ndarray, word: Word, second: Sequence[Line] = ()) -> tuple[Area, Area]:
    """The word's box with a margin, and the digits' own box in it; characters before the first
    digit (a colon, a label's last letter) are cut off: where the second read saw the number
    start, or else by their share of the word's width."""
    x, y, w, h = word.box
    lead = next((i for i, c in enumerate(word.text) if c.isdigit()), 0)
    start = _number_start(word, second) if lead else None
    pad_x, pad_y = round(0.4 * h), round(0.25 * h)
    pad_left = pad_x
    if start is not None:
        cut = start - x
    elif lead:
        # the characters before the number cut off: after the colon that ends them where the
        # pixels show one (a label's letters and a colon are no digit's width: cut by their
        # share of the word, ``NIK:`` took the first digit's left part), else by their share;
        # no margin brings them back (a colon's dots taken in were read as a digit:
        # ``-572190...`` for ``57.190...``)
        share = round(w * lead / max(len(word.text), 1))
        colon = None
        if ":" in word.text[:lead]:
            colon = _colon_before(gray, word.box, share + round(w / max(len(word.text), 1)))
        if colon is not None:
            cut, pad_left = colon[1], min(pad_x, (colon[1] - colon[0]) // 2)
        else:
            cut, pad_left = share, min(pad_x, round(0.1 * h))
    else:
        cut = 0
    x += cut
    w -= cut
    top, bottom = max(0, y - pad_y), min(gray.shape[0], y + h + pad_y)
    left, right = max(0, x - pad_left), min(gray.shape[1], x + w + pad_x)
    return (slice(top, bottom), slice(left, right)), (slice(y, y + h), slice(x, x + w))


def _light_on_dark(crop: np.ndarray, inner: np.ndarray) -> bool:
    """A number printed light on a dark ground (the old NPWP card's white number on navy), told
    on the card's plain grey: the box's margin round the digits, and the ground inside the
    digits' own box (most of it), both darker than the split between ink and ground, and the
    light the lesser part of that box. Evening out the light leaves such print white ringed
    with dark, which Tesseract reads as digits and gaps alike (``16472103084048624718`` for
    ``6472 0308 0486 2471``); turned over, the plain box reads as dark print. A dark margin
    alone is no such print: a hard photo's number under a shadowed band above it."""
    if min(crop.shape[:2], default=0) < 3 or min(inner.shape[:2], default=0) < 3:
        return False
    threshold, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    border = np.concatenate([crop[0], crop[-1], crop[:, 0], crop[:, -1]])
    if float(np.median(border)) >= threshold:
        return False
    split, light = cv2.threshold(inner, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(np.median(inner)) < split and float(np.mean(light)) < 255 / 2


AGREED_DIGITS = 15  # an NPWP has 15 or 16 digits, a NIK 16


def _number_digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _agreed_numbers(lines: list[Line], second: list[Line]) -> frozenset[Word]:
    """The words of the primary read holding a whole identity number that the other engine's
    whole-card read gave exactly alike, as one word, on the same row: re-reading those boxes can
    only agree once more. The same digits elsewhere do not count: an NPWP16 equal to the NIK,
    read by the other engine on the number's row only, leaves the NIK's row with one read."""
    if not second:
        return frozenset()
    others = [
        (digits, w.box)
        for line in second
        for w in line.words
        if len(digits := _number_digits(w.text)) >= AGREED_DIGITS
    ]
    return frozenset(
        w
        for line in lines
        for w in line.words
        if len(digits := _number_digits(w.text)) >= AGREED_DIGITS
        and any(d == digits and _overlaps(w.box, box) for d, box in others)
    )


def _with_alternatives(
    lines: list[Line],
    pre: Preprocessed,
    reader: _Reader,
    pool: ThreadPoolExecutor,
    *,
    skip: frozenset[Word] = frozenset(),
    second: Sequence[Line] = (),
) -> list[Line]:
    """Every number-like word re-read from its box: PP-OCR on the crop upscaled, Tesseract
    with a digit whitelist. The alternatives ride on the word. A word in ``skip`` (both engines
    already read it alike) is not re-read; ``second``, the other engine's read, places the
    number in a word with a glued label."""
    jobs: dict[tuple[int, int], list[Future[Alternative]]] = {}
    plain = cv2.cvtColor(pre.card, cv2.COLOR_BGR2GRAY)
    for row, line in enumerate(lines):
        for index, word in enumerate(line.words):
            if not looks_like_number(word.text) or word in skip:
                continue
            box, digits = _number_area(pre.gray, word, second)
            crop = np.ascontiguousarray(pre.gray[box])
            if crop.size == 0:
                continue
            turned = _turned(plain, box, digits)
            opened = zeros.opened(crop)
            futures = [
                pool.submit(_tesseract_digits, crop, reader),
                pool.submit(_tesseract_digits, opened, reader, DIGITS_UPSCALE),
            ]
            if opened is not crop:
                futures.append(pool.submit(_tesseract_digits, opened, reader, 1.0, OPENED))
            if word.box[3] > DIGITS_HEIGHT * DOWNSCALE_ABOVE:
                downscale = DIGITS_HEIGHT / word.box[3]
                futures.append(pool.submit(_tesseract_digits, crop, reader, downscale))
            elif word.box[3] * REDUCE >= MIN_REDUCED_HEIGHT:
                futures.append(pool.submit(_tesseract_digits, crop, reader, REDUCE, REDUCED))
            if turned is not None:
                futures.append(pool.submit(_tesseract_digits, turned, reader, 1.0, TURNED))
            if reader.ppocr is not None:
                futures.append(pool.submit(_ppocr_rescaled, crop, reader.ppocr))
            if reader.numbers is not None:
                futures.append(pool.submit(_number_reread, crop, reader.numbers))
            jobs[(row, index)] = futures
    if not jobs:
        return lines
    out = []
    for row, line in enumerate(lines):
        words = []
        for index, word in enumerate(line.words):
            futures = jobs.get((row, index), [])
            alternatives = _distinct(a for a in (f.result() for f in futures) if a.text)
            words.append(replace(word, alternatives=alternatives) if alternatives else word)
        out.append(replace(line, words=tuple(words)))
    return out


# Tesseract also re-reads a number's box at twice its size, each zero with a dot or stroke inside
# drawn as a plain ring (``ocr_gpu.zeros``): monospace faces that mark their zeros read as ``8``
# or ``6`` at the card's scale, and as ``0`` opened and larger. On 301 number boxes of hard and
# mild photos of four outside sets and the generated families, one of Tesseract's two re-reads
# read the number exactly on 243 with the zeros opened, 230 without. A separate method: a value
# counts only when every one of its words was re-read the same way (``verification.consensus``).
# Kept only where it reads otherwise than at the card's scale: the same text twice from one
# engine and one box is one read, and must not outnumber the other engine's reads when the
# reads disagree.
DIGITS_UPSCALE = 2.0
UPSCALED = "digits_upscaled"
# And, where it holds marked zeros, the opened box at the card's scale: a thin monospace face
# (slashed zeros, strokes two pixels wide) that Tesseract reads exactly at the card's scale once
# its zeros are opened and not at all twice as large (``--0`` for ``73.710.786.2-713.000``).
OPENED = "digits_opened"
# And a large number (the old NPWP card's unlabelled number, a NIK printed big) at a common
# text height: Tesseract misreads digits drawn much taller than the text it was trained on
# (``66559184696-000`` for a clean ``66.531.469.6-731.000`` 76 pixels tall, read exactly at
# 24 to 60).
DIGITS_HEIGHT = 40
DOWNSCALE_ABOVE = 1.25  # box heights over this many times DIGITS_HEIGHT are also read smaller
DOWNSCALED = "digits_downscaled"
# And a number at text height read a little smaller: OCR-A's digits at the card's scale and
# larger are read with one digit off (``8`` as ``4``, ``8`` as ``6``) and often exactly at three
# fifths of their size (on an outside set's OCR-A cards, two clean cards that agreeing reads could
# not approve were confirmed; three others still read a digit off at this scale too).
REDUCE = 0.6
REDUCED = "digits_reduced"
# And, where the card's plain grey shows the number light on a dark ground (the old NPWP card's
# white number on navy), that box turned over (``_light_on_dark``). A read of its own beside
# the others, never instead of them: a hard photo's dark print under a shadowed band can pass
# for such print, and its reads as evened out keep counting.
TURNED = "digits_turned"
MIN_REDUCED_HEIGHT = 18  # pixels: smaller digits are too few pixels for Tesseract


def _distinct(alternatives: Iterable[Alternative]) -> tuple[Alternative, ...]:
    """The alternatives, each of Tesseract's texts once (at the card's scale first)."""
    kept, seen = [], set()
    for alternative in alternatives:
        if alternative.engine == TESSERACT:
            if alternative.text in seen:
                continue
            seen.add(alternative.text)
        kept.append(alternative)
    return tuple(kept)


def _tesseract_digits(
    crop: np.ndarray, reader: _Reader, scale: float = 1.0, method: str | None = None
) -> Alternative:
    if scale != 1.0:
        interpolation = cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=interpolation)
    text, confidence = tesseract.read_line(
        crop,
        languages="eng",
        timeout_s=_remaining(reader.deadline),
        whitelist=tesseract.DIGITS + ".-",
    )
    method = method or ("digits" if scale == 1.0 else UPSCALED if scale > 1 else DOWNSCALED)
    return Alternative(text=text, confidence=round(confidence, 2), engine=TESSERACT, method=method)


NUMBER_READER = "number_reader"
RESCALE = 1.5  # PP-OCR's recognisers re-read a number's box half as large again


def _rescaled(crop: np.ndarray) -> np.ndarray:
    larger = cv2.resize(crop, None, fx=RESCALE, fy=RESCALE, interpolation=cv2.INTER_CUBIC)
    return cv2.cvtColor(larger, cv2.COLOR_GRAY2BGR)


def _ppocr_rescaled(crop: np.ndarray, engine: PpOcrEngine) -> Alternative:
    try:
        text, confidence = engine.recognise(_rescaled(crop))
    except PpOcrError:
        text, confidence = "", 0.0
    return Alternative(text=text, confidence=confidence, engine=PPOCR, method="rescaled")


def _number_reread(crop: np.ndarray, reader: NumberReader) -> Alternative:
    """PP-OCRv4's read of a number's box (``ocr_gpu.numberreader``): an engine of its own in
    the consensus, which confirms a number PP-OCR's read of the card gave alike."""
    try:
        text, confidence = reader.recognise(_rescaled(crop))
    except PpOcrError:
        text, confidence = "", 0.0
    return Alternative(text=text, confidence=confidence, engine=PPOCR_V4, method=NUMBER_READER)


def _name_reread(crop: np.ndarray, reader: NumberReader) -> tuple[str, float]:
    """PP-OCRv4's read of the name's box (``ocr_gpu.namereread``); nothing when it fails."""
    try:
        return reader.recognise(crop)
    except PpOcrError:
        return "", 0.0


def _tesseract_line(crop: np.ndarray, left: int, top: int, reader: _Reader) -> list[Word]:
    found = tesseract.read_words(
        tesseract.Crop(crop, left, top),
        reader.languages,
        tesseract.LINE_PSM,
        _remaining(reader.deadline),
        min_confidence=0.0,
    )
    return tesseract.leading_pipe_as_letter([word for _, word in found])


def run_ocr(
    data: bytes,
    doc_type: str | None = None,
    *,
    gpu_enabled: bool = False,
    languages: str = "ind+eng",
    timeout_s: float = 60,
    keep_card: bool = False,
    engine: str = "auto",
    second_opinion: bool = True,
) -> OcrResult:
    """OCR one uploaded KTP/NPWP image or PDF.

    ``doc_type`` is recorded in the quality facts only: the read assumes no layout. ``engine``
    is ``auto``/``ppocr`` (PP-OCR, Tesseract when it is unavailable or fails) or ``tesseract``.
    ``second_opinion`` adds Tesseract's independent read and the number re-reads.
    ``keep_card`` adds the canonical card (upright, ``CARD_SIZE``, the image every box is
    measured on) as JPEG in ``card_image``. Raises ``ImageUnreadable`` (permanent),
    ``OcrTimeout`` (transient) and ``OcrEngineError`` (no engine could read).
    """
    started = time.perf_counter()
    deadline = time.monotonic() + timeout_s
    timings: dict[str, float] = {}
    image = _timed(timings, "load", lambda: load_image(data))
    backend = select_backend(gpu_enabled)
    primary, ppocr, fallback = _choose_engine(engine, gpu_enabled)
    numbers = get_reader(use_cuda=gpu_enabled) if ppocr is not None and second_opinion else None
    reader = _Reader(primary, ppocr, languages, deadline, fallback, numbers)
    pre = _timed(timings, "preprocess", lambda: preprocess(image, backend))
    pre = _timed(timings, "preprocess", lambda: _find_by_text(image, pre, reader, backend))
    with ThreadPoolExecutor(max_workers=3) as pool:
        second: Future[list[Line]] | None = None
        second_psm = reader.second_psm
        if second_opinion:
            second = pool.submit(reader.tesseract_page, pre, second_psm)
        card, lines = _timed(timings, "ocr", lambda: _read_upright(pre, reader, backend))
        if (
            pre.method in ("colour", "edges")
            and (
                _too_long(pre)
                or _cut_off(lines)
                or _headless(lines)
                or _numberless(lines)
                or _tailless(lines)
            )
        ) or (pre.method == "flat" and _not_a_scan(lines)):
            # the outline found was not the whole card (a shadow, a crop of it), or the image
            # taken for a flat scan was a photo: locate the card by its text instead and keep
            # whichever read holds more of the card
            by_text = _find_by_text(image, pre, reader, backend, always=True)
            if by_text is not pre:
                other_card, other = _timed(
                    timings, "ocr", lambda: _read_upright(by_text, reader, backend)
                )
                if _fuller(other, lines):
                    card, lines = other_card, other
        if second is not None and (card is not pre or reader.second_psm != second_psm):
            # turned over, or PP-OCR failed and Tesseract became the primary read: the second
            # read must be of this card and must differ from the primary read
            second.cancel()
            second = pool.submit(reader.tesseract_page, card, reader.second_psm)
        second_lines: list[Line] = []
        if second is not None:
            second_lines = _timed(timings, "second", second.result)
        if second_lines and reader.primary == PPOCR:
            second_lines = _timed(
                timings, "second", lambda: _framed_numbers(lines, second_lines, card, reader)
            )
        if reader.primary == PPOCR and reader.ppocr is not None:
            lines = _timed(timings, "gaps", lambda: _filled(gaps.fill, "gap", lines, card, reader))
            lines = _timed(
                timings,
                "gaps",
                lambda: _filled(bloodgroup.fill, "blood group", lines, card, reader),
            )
        if second_lines and reader.primary == PPOCR:
            lines, second_lines = spacing.respace(lines, second_lines, card.gray)
            lines, second_lines = letters.mend(lines, second_lines)
        lines = numerals.recount(lines, card.gray)
        lines = _joined_groups(lines)
        lines, second_lines = dots.mend(lines, card.gray), dots.mend(second_lines, card.gray)
        # the primary read only: the second read, as it read, keeps a mark taken from the
        # pixels from confirming a name (``ocr_gpu.apostrophes``)
        lines = apostrophes.mend(lines, card.gray)
        if second_opinion:
            agreed = _agreed_numbers(lines, second_lines)
            lines = _timed(
                timings,
                "numbers",
                lambda: _with_alternatives(
                    lines, card, reader, pool, skip=agreed, second=second_lines
                ),
            )
        if second_opinion and reader.numbers is not None:
            names = reader.numbers
            lines = _timed(
                timings,
                "names",
                lambda: namereread.reread(lines, card.card, lambda crop: _name_reread(crop, names)),
            )
        if second_opinion:
            # a space the card shows inside a name's word that the reads closed: the name is
            # then not approved on two agreeing reads (``verification.consensus``)
            lines = _timed(timings, "names", lambda: namegaps.mark(lines, card.gray))
        if second_lines and reader.primary == PPOCR:
            lines = _timed(
                timings,
                "lines",
                lambda: linereads.reread(
                    lines,
                    second_lines,
                    card.gray,
                    lambda image, left, top: _tesseract_line(image, left, top, reader),
                    pool,
                ),
            )
    quality = _timed(timings, "quality", lambda: measure(card.card, card.meta()))
    confidences = [w.confidence for line in lines for w in line.words]
    quality.update(
        doc_type=doc_type,
        rotation=card.rotation,
        deskew_angle=card.deskew_angle,
        detection=card.method,
        ocr_confidence_median=round(float(np.median(confidences)), 2) if confidences else 0.0,
        ocr_word_count=len(confidences),
        card_words=card_evidence(lines)[0],
        # rows of print no read holds: a line lost, told from a design's blank room
        unread_rows=[list(row) for row in unread.unread_rows(card.gray, [lines, second_lines])],
    )
    timings["total"] = round((time.perf_counter() - started) * 1000, 1)
    logger.info(
        "ocr done engine=%s backend=%s lines=%d total_ms=%.0f",
        reader.primary,
        backend.name,
        len(lines),
        timings["total"],
    )
    if reader.primary == TESSERACT and engine != TESSERACT and not reader.fallback:
        reader.fallback = "ppocr_unavailable"
    return OcrResult(
        lines=lines,
        quality=quality,
        timings_ms=timings,
        backend=backend.name,
        engine=reader.primary,
        provider=ppocr.provider if ppocr is not None and reader.primary == PPOCR else "cpu",
        card_size=CARD_SIZE,
        second_lines=second_lines,
        second_engine=reader.second_engine if second_lines else "",
        engine_fallback=reader.fallback,
        card_image=encode_card(card.card) if keep_card else None,
    )


def encode_card(card: np.ndarray, quality: int = CARD_JPEG_QUALITY) -> bytes | None:
    """The canonical BGR card as JPEG; None if encoding fails (the card is an extra)."""
    ok, encoded = cv2.imencode(".jpg", card, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return encoded.tobytes() if ok else None


__all__ = ["ENGINES", "OcrEngineError", "OcrTimeout", "card_evidence", "run_ocr"]
