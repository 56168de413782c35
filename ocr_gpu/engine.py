"""Tesseract reads of a canonical card, region by region, into ``ocr_gpu.result.Line`` objects.

The main read covers the card with the photo column and the number band painted out and uses
``--psm 6`` (one uniform block), so a label and its value on the same row come back as one
line ("Nama : BUDI SANTOSO"). The number band (NIK / NPWP) is read alone as a single line with a
character whitelist, and the issue place/date under the photo alone; the reads run in parallel
Tesseract processes. Boxes are mapped back to canonical card coordinates.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pytesseract

from ocr_gpu.layouts import HEADER_PROBE, Fraction, Layout
from ocr_gpu.result import Line, Word

COLON_LOOKALIKES = frozenset({"1", "|", "l", "I", "!", "i", ";", ".", "="})
MIN_WORD_CONFIDENCE = 5.0


class OcrTimeout(Exception):
    """A Tesseract call ran past its time limit (transient: the task may retry)."""

    code = "ocr_timeout"


class OcrEngineError(Exception):
    """Tesseract is missing or failed."""

    code = "ocr_engine_error"


@dataclass(frozen=True)
class Crop:
    """A part of the card sent to Tesseract and how to map its boxes back."""

    image: np.ndarray
    left: int
    top: int
    scale: float = 1.0


def _prepare_environment() -> None:
    # Tesseract's OpenMP threads fight with our own parallel reads and Celery's processes.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def crop(gray: np.ndarray, box: Fraction, masks: Iterable[Fraction] = ()) -> Crop:
    """Cut ``box`` out of ``gray`` with ``masks`` painted white (all boxes are fractions)."""
    height, width = gray.shape[:2]
    image = gray.copy()
    for x0, y0, x1, y1 in masks:
        image[round(y0 * height) : round(y1 * height), round(x0 * width) : round(x1 * width)] = 255
    left, top = round(box[0] * width), round(box[1] * height)
    right, bottom = round(box[2] * width), round(box[3] * height)
    return Crop(image=np.ascontiguousarray(image[top:bottom, left:right]), left=left, top=top)


def read_words(
    part: Crop,
    languages: str,
    psm: int,
    timeout_s: float,
    whitelist: str | None = None,
    min_confidence: float = MIN_WORD_CONFIDENCE,
) -> list[tuple[tuple[int, int, int], Word]]:
    """Words of one Tesseract call as ((block, paragraph, line), Word) in card coordinates."""
    _prepare_environment()
    config = f"--psm {psm} --oem 1"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    try:
        data = pytesseract.image_to_data(
            part.image,
            lang=languages,
            config=config,
            output_type=pytesseract.Output.DICT,
            timeout=max(timeout_s, 0.01),
        )
    except RuntimeError as error:
        if "timeout" in str(error).lower():
            raise OcrTimeout(f"tesseract ran past {timeout_s:.1f}s") from error
        raise OcrEngineError(f"tesseract failed: {error}") from error
    except (pytesseract.TesseractError, pytesseract.TesseractNotFoundError, OSError) as error:
        raise OcrEngineError(f"tesseract failed: {error}") from error
    words = []
    for index, text in enumerate(data["text"]):
        confidence = float(data["conf"][index])
        text = text.strip()
        if not text or confidence < min_confidence:
            continue
        box = (
            part.left + round(data["left"][index] / part.scale),
            part.top + round(data["top"][index] / part.scale),
            round(data["width"][index] / part.scale),
            round(data["height"][index] / part.scale),
        )
        key = (data["block_num"][index], data["par_num"][index], data["line_num"][index])
        words.append((key, Word(text=text, confidence=confidence, box=box)))
    return words


def union_box(words: Iterable[Word]) -> tuple[int, int, int, int]:
    boxes = [w.box for w in words]
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)


def make_line(words: Iterable[Word], region: str) -> Line:
    ordered = tuple(sorted(words, key=lambda w: w.box[0]))
    return Line(
        text=" ".join(w.text for w in ordered), words=ordered, region=region, box=union_box(ordered)
    )


def is_noise(words: list[Word]) -> bool:
    """Specks, guilloche and photo edges read as text: few characters at low confidence."""
    alnum = sum(c.isalnum() for w in words for c in w.text)
    confidence = sum(w.confidence for w in words) / len(words)
    return alnum == 0 or confidence < 25 or (alnum <= 4 and confidence < 60)


def group_lines(keyed: list[tuple[tuple[int, int, int], Word]]) -> list[list[Word]]:
    """Words grouped by Tesseract's (block, paragraph, line), top to bottom."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for key, word in keyed:
        groups.setdefault(key, []).append(word)
    lines = [group for group in groups.values() if not is_noise(group)]
    return sorted(lines, key=lambda group: union_box(group)[1] + union_box(group)[3] / 2)


def _fix_colons(words: list[Word], column: tuple[float, float], width: int) -> list[Word]:
    """A lone ``1``/``|`` in the colon column of a label row is the row's colon."""
    fixed = []
    for word in words:
        centre = (word.box[0] + word.box[2] / 2) / width
        if word.text in COLON_LOOKALIKES and column[0] <= centre <= column[1]:
            word = Word(text=":", confidence=word.confidence, box=word.box)
        fixed.append(word)
    return fixed


def _number_line(label_words: list[Word], number_words: list[Word], layout: Layout) -> list[Line]:
    words = label_words + number_words
    return [make_line(words, layout.number_region)] if words else []


def read_card(
    gray: np.ndarray, layout: Layout, *, languages: str = "ind+eng", timeout_s: float = 60.0
) -> list[Line]:
    """All lines of a canonical card in reading order: header, number, body rows, issue."""
    height, width = gray.shape[:2]
    # Digits read best with the English model; fall back to the first configured language.
    number_language = "eng" if "eng" in languages.split("+") else languages.split("+")[0]
    main = crop(gray, (0.0, 0.0, 1.0, 1.0), layout.masks)
    number = crop(gray, layout.number_box)
    with ThreadPoolExecutor(max_workers=3) as pool:
        main_future = pool.submit(read_words, main, languages, 6, timeout_s)
        number_future = pool.submit(
            read_words, number, number_language, 7, timeout_s, layout.number_whitelist, 0.0
        )
        issue_future = None
        if layout.issue_box is not None:
            issue_future = pool.submit(
                read_words, crop(gray, layout.issue_box), languages, 6, timeout_s
            )
        # Each call has its own Tesseract time limit, so waiting on the futures is bounded.
        main_words = main_future.result()
        number_words = [w for _, w in number_future.result()]
        issue_words = issue_future.result() if issue_future is not None else []
    header: list[Line] = []
    body: list[Line] = []
    label_words: list[Word] = []
    for group in group_lines(main_words):
        box = union_box(group)
        centre = (box[1] + box[3] / 2) / height
        if layout.colon_column is not None:
            group = _fix_colons(group, layout.colon_column, width)
        if centre < layout.header_until:
            header.append(make_line(group, "header"))
        elif centre < layout.number_band[1]:
            label_words.extend(group)
        else:
            body.append(make_line(group, "body"))
    issue = [make_line(group, "issue") for group in group_lines(issue_words)]
    return header + _number_line(label_words, number_words, layout) + body + issue


def read_header(
    gray: np.ndarray, *, languages: str = "ind+eng", timeout_s: float = 60.0
) -> list[Line]:
    """A quick read of the top band, used to tell a KTP from an NPWP."""
    keyed = read_words(crop(gray, HEADER_PROBE), languages.split("+")[0], 6, timeout_s)
    return [make_line(group, "header") for group in group_lines(keyed)]


def read_score(lines: Iterable[Line]) -> float:
    """Mean confidence of real-looking words (2+ alphanumerics); 0 when nothing was read."""
    scores = [
        w.confidence for line in lines for w in line.words if sum(c.isalnum() for c in w.text) >= 2
    ]
    return float(np.mean(scores)) if scores else 0.0


def tesseract_status(required_language: str = "ind") -> tuple[bool, str]:
    """Whether Tesseract runs and has ``required_language`` data (for a Django system check)."""
    try:
        version = pytesseract.get_tesseract_version()
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError, subprocess.SubprocessError) as error:
        return False, f"tesseract is not installed or not on PATH: {error}"
    except pytesseract.TesseractError as error:
        return False, f"tesseract does not run: {error}"
    if required_language not in languages:
        return False, (
            f"tesseract {version} has no '{required_language}' language data "
            f"(installed: {', '.join(sorted(languages)) or 'none'})"
        )
    return True, f"tesseract {version} with {', '.join(sorted(languages))}"
