"""A second recogniser for identity numbers: PP-OCRv4's recognition model on a number's box.

Tesseract, the second opinion on every card, misreads digits drawn in faces unlike print: the
segments of a seven- or fourteen-segment display, the squares of a pixel face, a bitmap face
scaled up (``7`` for ``1``, ``8`` or ``9`` for ``0``, a digit dropped). PP-OCR reads them, and a
number one engine reads cannot be approved (``verification.consensus``), so clean cards of such
designs went to a person for their number alone.

PP-OCRv4's recogniser is another model of another generation (trained before PP-OCRv6, on
another architecture), so its slips are largely its own; where it agreed with PP-OCRv6 on a
wrong number in the outside sets, the number was not a valid one, or the two read one crop cut
short (the consensus then counts them as one reading). It reads only the boxes of numbers the
two whole-card reads disagree on, the crop PP-OCR re-reads, and the holder's name's box, a third
read of the name (``ocr_gpu.namereread``): about 40 ms a box on one core, and about 10 MiB more
memory per worker process. The README gives what it changed on the outside
sets.

The model ships in the ``rapidocr_onnxruntime`` wheel (Apache-2.0), installed for its files
alone (``requirements-models.txt``: no code of it is imported) and checked by its SHA-256
before it is loaded. Without it FiLot reads as before and such numbers go to review.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ocr_gpu.ppocr import RECOGNISE, PpOcrUnavailable, recognise_line
from ocr_gpu.result import PPOCR_V4

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "rapidocr_onnxruntime"
MODEL_FILE = ("models", "ch_PP-OCRv4_rec_infer.onnx")
MODEL_SHA256 = "48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b"


def model_path() -> Path:
    """Where the installed wheel holds the model (raises PpOcrUnavailable when it is not
    installed or the file is not the pinned one). The package is located, never imported."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or ()) if spec else []
    if not locations:
        raise PpOcrUnavailable(
            f"{MODEL_PACKAGE} is not installed (pip install --no-deps --require-hashes "
            "-r requirements-models.txt)"
        )
    path = Path(locations[0]).joinpath(*MODEL_FILE)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise PpOcrUnavailable(f"the PP-OCRv4 model is missing: {error.strerror}") from error
    if digest != MODEL_SHA256:
        raise PpOcrUnavailable("the PP-OCRv4 model is not the pinned file (SHA-256 differs)")
    return path


class NumberReader:
    """PP-OCRv4's recogniser alone (no detection: it reads one number's box)."""

    name = PPOCR_V4

    def __init__(self, *, use_cuda: bool) -> None:
        path = model_path()
        try:
            from rapidocr import RapidOCR
            from rapidocr.utils.typings import OCRVersion
        except ImportError as error:
            raise PpOcrUnavailable(f"rapidocr is not installed: {error}") from error
        params: dict[str, Any] = {
            "Global.use_cls": False,
            "Global.log_level": "warning",
            "Rec.model_path": str(path),
            "Rec.ocr_version": OCRVersion.PPOCRV4,
            "Rec.rec_batch_num": 1,
            "EngineConfig.onnxruntime.use_cuda": use_cuda,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        try:
            ocr: Any = RapidOCR(params=params)
            ocr(np.full((48, 160, 3), 255, np.uint8), **RECOGNISE)  # loads the model now
        except Exception as error:
            raise PpOcrUnavailable(f"the PP-OCRv4 model did not load: {error}") from error
        self._ocr = ocr
        self._lock = threading.Lock()

    def recognise(self, crop: np.ndarray) -> tuple[str, float]:
        """One text-line crop (BGR) read: (text, confidence 0-100)."""
        return recognise_line(self._ocr, self._lock, crop, "PP-OCRv4")


_load_lock = threading.Lock()


@cache
def _reader(use_cuda: bool) -> NumberReader | None:
    try:
        reader = NumberReader(use_cuda=use_cuda)
    except PpOcrUnavailable as error:
        logger.warning("number reader unavailable, numbers have one PP-OCR read: %s", error)
        return None
    logger.info("number reader loaded")
    return reader


def get_reader(*, use_cuda: bool) -> NumberReader | None:
    """The process's number reader, loaded once; None where the model is not installed."""
    with _load_lock:
        return _reader(use_cuda)
