"""Tesseract reads: a whole card without a template, and single-line re-reads of a box.

Tesseract runs as a process per call (pytesseract), so every call has a hard time limit and a
hung or crashing Tesseract costs one call, never the worker. Boxes come back in the coordinates
of the image passed in (plus the crop's offset).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, replace

import numpy as np
import pytesseract

from ocr_gpu.result import Word

MIN_WORD_CONFIDENCE = 5.0
PAGE_PSM = 11  # sparse text: every text chunk of the card, in no assumed layout
SECOND_PSM = 3  # automatic page segmentation: a second, differently segmented read
LINE_PSM = 7  # one text line (a re-read of a number's box)
DIGITS = "0123456789"
# Tesseract reads a lone roman ``I`` (``BLOK I``, ``GANG SUKAMAJU I``) as a pipe, which no card
# prints. A pipe is taken for the letter where it stands as a word of the value: after a word in
# capitals (values are printed in capitals, labels are not), close to it (a word space, at most
# STROKE_GAP of the letters' height), as tall as the letters (STROKE_HEIGHT), and not before a
# number (a label's colon read as a pipe: ``NPWP | 12.345...``).
PIPE = "|"
STROKE_HEIGHT = (0.5, 1.3)
STROKE_GAP = 1.0


class OcrTimeout(Exception):
    """An OCR call ran past its time limit (transient: the task may retry)."""

    code = "ocr_timeout"


class OcrEngineError(Exception):
    """Tesseract is missing or failed."""

    code = "ocr_engine_error"


@dataclass(frozen=True)
class Crop:
    """A part of an image sent to Tesseract and where it sits in the full image."""

    image: np.ndarray
    left: int = 0
    top: int = 0
    scale: float = 1.0  # crop pixels per image pixel


def _prepare_environment() -> None:
    # Tesseract's OpenMP threads fight with our own parallel reads and Celery's processes.
    os.environ["OMP_THREAD_LIMIT"] = "1"


def read_words(
    part: Crop,
    languages: str,
    psm: int,
    timeout_s: float,
    whitelist: str | None = None,
    min_confidence: float = MIN_WORD_CONFIDENCE,
) -> list[tuple[tuple[int, int, int], Word]]:
    """Words of one Tesseract call as ((block, paragraph, line), Word) in image coordinates."""
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


def is_noise(words: list[Word]) -> bool:
    """Specks, guilloche and photo edges read as text: few characters at low confidence."""
    alnum = sum(c.isalnum() for w in words for c in w.text)
    confidence = sum(w.confidence for w in words) / len(words)
    return alnum == 0 or confidence < 25 or (alnum <= 4 and confidence < 60)


def read_page(
    gray: np.ndarray, *, languages: str, timeout_s: float, psm: int = PAGE_PSM
) -> list[list[Word]]:
    """Every text segment Tesseract finds on the card (sparse text by default), each as its
    words left to right."""
    groups: dict[tuple[int, int, int], list[Word]] = {}
    for key, word in read_words(Crop(gray), languages, psm, timeout_s):
        groups.setdefault(key, []).append(word)
    return [
        _pipes_as_numerals(sorted(group, key=lambda w: w.box[0]))
        for group in groups.values()
        if not is_noise(group)
    ]


def _pipes_as_numerals(words: list[Word]) -> list[Word]:
    """``words`` (one segment, left to right) with each pipe that stands as a lone ``I`` of a
    value (see ``STROKE_HEIGHT``) read as the letter."""
    heights = [w.box[3] for w in words if w.text != PIPE and any(c.isalpha() for c in w.text)]
    if PIPE not in (w.text for w in words) or not heights:
        return words
    height = float(np.median(heights))
    out = list(words)
    for index, word in enumerate(words):
        if word.text != PIPE or index == 0:
            continue
        before = words[index - 1]
        after = words[index + 1].text if index + 1 < len(words) else ""
        gap = word.box[0] - (before.box[0] + before.box[2])
        if (
            before.text.isalpha()
            and before.text.isupper()
            and not after[:1].isdigit()
            and STROKE_HEIGHT[0] * height <= word.box[3] <= STROKE_HEIGHT[1] * height
            and gap <= STROKE_GAP * height
        ):
            out[index] = replace(word, text="I")
    return out


def read_line(
    image: np.ndarray, *, languages: str, timeout_s: float, whitelist: str | None = None
) -> tuple[str, float]:
    """One text line read alone: (text, mean confidence); ("", 0) when nothing was read."""
    words = [w for _, w in read_words(Crop(image), languages, LINE_PSM, timeout_s, whitelist, 0.0)]
    if not words:
        return "", 0.0
    words.sort(key=lambda w: w.box[0])
    return " ".join(w.text for w in words), sum(w.confidence for w in words) / len(words)


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
