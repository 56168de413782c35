"""Tesseract reads: a whole card without a template, and single-line re-reads of a box.

Two bindings run the same engine (the system's libtesseract, so both read alike):

* ``api`` (the default): ``tesserocr`` in the worker process. Each language set is loaded once
  per process and kept in a small pool (one API per thread at a time), so a call costs only the
  recognition: a card's page read about a third of the process call, a number's re-read a tenth.
  ``Recognize`` stops at the call's time limit; Celery's hard limit backs it up.
* ``cli``: a ``tesseract`` process per call (pytesseract): a hung or crashing Tesseract costs one
  call, never the worker, at the price of loading the language data on every call.

Boxes come back in the coordinates of the image passed in (plus the crop's offset).
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import pytesseract
import tesserocr

from ocr_gpu.result import Word

BINDINGS = ("api", "cli")
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


@dataclass
class _Config:
    binding: str = "api"
    tessdata: str = ""  # the language data's folder for ``api``; "" for libtesseract's own


_config = _Config()


def configure(
    *, binding: str | None = None, command: str | None = None, tessdata: str | None = None
) -> None:
    """Set the binding (``api``/``cli``), the ``tesseract`` binary of ``cli`` and the language
    data folder of ``api`` (the app does this from the settings at start-up)."""
    if binding is not None:
        if binding not in BINDINGS:
            raise ValueError(
                f"unknown Tesseract binding {binding!r} (one of {', '.join(BINDINGS)})"
            )
        _config.binding = binding
    if command is not None:
        pytesseract.pytesseract.tesseract_cmd = command
    if tessdata is not None:
        if tessdata != _config.tessdata:
            _pool.clear()
        _config.tessdata = tessdata


class _ApiPool:
    """Loaded ``tesserocr`` APIs by language set. An API serves one call at a time; a call
    takes a free one or loads another (at most one per thread that reads at once), and gives it
    back after its read."""

    def __init__(self) -> None:
        self._free: dict[tuple[str, str], list[tesserocr.PyTessBaseAPI]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def api(self, languages: str) -> Iterator[tesserocr.PyTessBaseAPI]:
        key = (_config.tessdata, languages)
        with self._lock:
            free = self._free.setdefault(key, [])
            api = free.pop() if free else None
        if api is None:
            try:
                api = tesserocr.PyTessBaseAPI(
                    lang=languages, oem=tesserocr.OEM.LSTM_ONLY, **_tessdata_folder()
                )
            except RuntimeError as error:
                raise OcrEngineError(f"tesseract failed to load {languages}: {error}") from error
        try:
            yield api
        finally:
            with self._lock:
                if key == (_config.tessdata, languages):
                    self._free.setdefault(key, []).append(api)

    def loaded(self, languages: str) -> int:
        """How many APIs for ``languages`` are loaded and free."""
        with self._lock:
            return len(self._free.get((_config.tessdata, languages), []))

    def clear(self) -> None:
        with self._lock:
            for apis in self._free.values():
                for api in apis:
                    api.End()
            self._free.clear()


_pool = _ApiPool()


def _tessdata_folder() -> dict[str, str]:
    """tesserocr's ``path`` argument for the configured folder (with the slash it needs); none
    for libtesseract's own."""
    return {"path": _config.tessdata.rstrip("/") + "/"} if _config.tessdata else {}


Rows = list[tuple[tuple[int, int, int], float, str, tuple[int, int, int, int]]]


def _api_rows(
    image: np.ndarray, languages: str, psm: int, timeout_s: float, whitelist: str | None
) -> Rows:
    """(block, paragraph, line), confidence, text and box of each word, read in-process."""
    image = np.ascontiguousarray(image)
    height, width = image.shape[:2]
    depth = 1 if image.ndim == 2 else image.shape[2]
    timeout_ms = max(round(timeout_s * 1000), 1)
    with _pool.api(languages) as api:
        api.SetPageSegMode(psm)
        api.SetVariable("tessedit_char_whitelist", whitelist or "")
        api.SetImageBytes(image.tobytes(), width, height, depth, width * depth)
        started = time.monotonic()
        if not api.Recognize(timeout=timeout_ms):
            if time.monotonic() - started >= 0.9 * timeout_s:
                raise OcrTimeout(f"tesseract ran past {timeout_s:.1f}s")
            raise OcrEngineError("tesseract failed to recognise the image")
        tsv = api.GetTSVText(0)
    rows: Rows = []
    for line in tsv.splitlines():
        field = line.split("\t")
        if len(field) < 12 or field[0] != "5":  # level 5: a word
            continue
        key = (int(field[2]), int(field[3]), int(field[4]))
        box = (int(field[6]), int(field[7]), int(field[8]), int(field[9]))
        # whole points, as pytesseract gives them: both bindings read alike
        rows.append((key, float(int(float(field[10]))), field[11], box))
    return rows


def _cli_rows(
    image: np.ndarray, languages: str, psm: int, timeout_s: float, whitelist: str | None
) -> Rows:
    """The same, from a ``tesseract`` process killed at the time limit."""
    config = f"--psm {psm} --oem 1"
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    try:
        data = pytesseract.image_to_data(
            image,
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
    return [
        (
            (data["block_num"][i], data["par_num"][i], data["line_num"][i]),
            float(data["conf"][i]),
            str(text),
            (data["left"][i], data["top"][i], data["width"][i], data["height"][i]),
        )
        for i, text in enumerate(data["text"])
    ]


def read_words(
    part: Crop,
    languages: str,
    psm: int,
    timeout_s: float,
    whitelist: str | None = None,
    min_confidence: float = MIN_WORD_CONFIDENCE,
) -> list[tuple[tuple[int, int, int], Word]]:
    """Words of one Tesseract call as ((block, paragraph, line), Word) in image coordinates."""
    read = _api_rows if _config.binding == "api" else _cli_rows
    words = []
    for key, confidence, text, (left, top, width, height) in read(
        part.image, languages, psm, timeout_s, whitelist
    ):
        text = text.strip()
        if not text or confidence < min_confidence:
            continue
        box = (
            part.left + round(left / part.scale),
            part.top + round(top / part.scale),
            round(width / part.scale),
            round(height / part.scale),
        )
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


def leading_pipe_as_letter(words: list[Word]) -> list[Word]:
    """``words`` (one line read alone, left to right) with a pipe opening it read as ``I``
    when an upper-case word follows it and it stands as tall as that word's letters: a
    Balinese name's ``I`` (``I GUSTI NGURAH``) read with no label before it."""
    if len(words) < 2 or words[0].text != PIPE:
        return words
    after = words[1]
    tall = STROKE_HEIGHT[0] * after.box[3] <= words[0].box[3] <= STROKE_HEIGHT[1] * after.box[3]
    if not (after.text.isalpha() and after.text.isupper() and tall):
        return words
    return [replace(words[0], text="I"), *words[1:]]


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
    """Whether Tesseract runs through the configured binding and has ``required_language``
    data (for a Django system check)."""
    if _config.binding == "api":
        return _api_status(required_language)
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = list(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError, subprocess.SubprocessError) as error:
        return False, f"tesseract is not installed or not on PATH: {error}"
    except pytesseract.TesseractError as error:
        return False, f"tesseract does not run: {error}"
    return _languages_status(f"tesseract {version}", languages, required_language)


def _api_status(required_language: str) -> tuple[bool, str]:
    version = tesserocr.tesseract_version().split("\n", 1)[0]  # "tesseract 5.3.0"
    folder, languages = tesserocr.get_languages(**_tessdata_folder())
    ok, detail = _languages_status(f"{version} (in-process)", languages, required_language)
    return ok, detail if ok else f"{detail} in {folder}"


def _languages_status(
    version: str, languages: list[str], required_language: str
) -> tuple[bool, str]:
    if required_language not in languages:
        return False, (
            f"{version} has no '{required_language}' language data "
            f"(installed: {', '.join(sorted(languages)) or 'none'})"
        )
    return True, f"{version} with {', '.join(sorted(languages))}"
