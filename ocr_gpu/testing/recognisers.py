"""PP-OCR's recogniser as the tests of re-reads drive it (``gaps``, ``numberrow``)."""

from __future__ import annotations

import numpy as np

from ocr_gpu import ppocr


class CountedRecogniser:
    """PP-OCR's recogniser (the real engine, on the CPU), counting its calls."""

    def __init__(self) -> None:
        self.engine = ppocr.get_engine(use_cuda=False)
        self.calls = 0

    def __call__(self, crop: np.ndarray) -> tuple[str, float]:
        self.calls += 1
        return self.engine.recognise(crop)
