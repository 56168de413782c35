"""PP-OCR (PP-OCRv6 detection and recognition) through rapidocr on ONNX Runtime.

The models ship inside the ``rapidocr`` wheel (Apache-2.0), so nothing is downloaded at run
time. One engine is built per worker process and per provider, on first use (``get_engine``),
never per task. With ``use_cuda`` the CUDA execution provider of ``onnxruntime-gpu`` runs both
models on the GPU; when it is not available ONNX Runtime runs on the CPU and ``provider`` says so.

Everything returned is in the coordinates of the image passed in; confidences are 0-100 like
Tesseract's, so the rest of FiLot compares reads of both engines on one scale.
"""

from __future__ import annotations

import logging
import os
import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

import cv2
import numpy as np

from ocr_gpu.result import PPOCR, Box, Word

logger = logging.getLogger(__name__)

DETECT_LONG_SIDE = 768  # detection input: long side in pixels (the canonical card is 1012 wide)
MIN_TEXT_SCORE = 0.5
# Recognition one segment at a time: a batch is padded to its widest segment, and a card's
# segments range from a two-letter value to a full address line, so batching wastes work (on
# two CPU cores one at a time reads a card in about three quarters of the time of rapidocr's
# default of six).
REC_BATCH = 1
# Recognition input: 48 pixels high, and at least REC_MIN_WIDTH wide. rapidocr pads every
# segment to 320 pixels (PaddleOCR's training shape), so a colon, a blood group or ``WNI`` cost
# the model as much as a full line. Padded to 160, a card's segments are recognised about a
# quarter faster (the whole read, Tesseract beside it, about 5 %), and 2,040 outside cards read
# as many fields right (22 more, 28 fewer, of 24,000) and approve as many (5 more, 1 fewer).
REC_MIN_WIDTH = 160
# rapidocr keeps the stages of the last call as its settings: every call names all three.
READ = {"use_det": True, "use_cls": False, "use_rec": True}
DETECT = {"use_det": True, "use_cls": False, "use_rec": False}
RECOGNISE = {"use_det": False, "use_cls": False, "use_rec": True}


class PpOcrUnavailable(Exception):
    """rapidocr or ONNX Runtime is missing, or the models do not load."""

    code = "ppocr_unavailable"


class PpOcrError(Exception):
    """The engine loaded but failed on an image."""

    code = "ppocr_error"


@dataclass(frozen=True)
class Status:
    ok: bool
    message: str
    providers: tuple[str, ...] = ()


def _threads() -> int:
    """Parallel recognitions on the CPU: ``OCR_PPOCR_THREADS``, else every core this process
    may use.

    Each ONNX Runtime session runs one thread per call, and the segments of a card are
    recognised on this many threads at once, each taking the next segment when it is done.
    Tesseract reads the same card beside PP-OCR (its own process), so the cores are shared by
    whole segments, never by ONNX Runtime's intra-op threads waiting on one another: on two
    cores a card reads in about 1.0 s, against 1.4 s with two intra-op threads per call.
    """
    configured = os.environ.get("OCR_PPOCR_THREADS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, len(os.sched_getaffinity(0)))


class _ParallelRecognizer:
    """rapidocr's recogniser with a card's segments recognised on several threads, one
    segment per call (``TextRecognizer`` keeps no state between calls, and an ONNX Runtime
    session may run calls from several threads). Results come back in the segments' order."""

    def __init__(self, recognizer: Any, workers: int) -> None:
        self._recognizer = recognizer
        self._workers = workers
        self._pool, self._pid = self._new_pool(), os.getpid()
        self.session = recognizer.session

    def _new_pool(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="ppocr-rec")

    def _executor(self) -> ThreadPoolExecutor:
        # a process forked from this one (a prefork worker, a test's child) has none of the
        # pool's threads: work sent to the inherited pool would wait for ever
        if os.getpid() != self._pid:
            self._pool, self._pid = self._new_pool(), os.getpid()
        return self._pool

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recognizer, name)

    def __call__(self, args: Any) -> Any:
        from rapidocr.ch_ppocr_rec.typings import TextRecInput, TextRecOutput

        images = [args.img] if isinstance(args.img, np.ndarray) else list(args.img or ())
        if len(images) <= 1:
            return self._recognizer(args)
        outputs = list(
            self._executor().map(
                lambda image: self._recognizer(
                    TextRecInput(img=[image], return_word_box=args.return_word_box)
                ),
                images,
            )
        )
        return TextRecOutput(
            imgs=images,
            txts=tuple(o.txts[0] for o in outputs),
            scores=[o.scores[0] for o in outputs],
            word_results=tuple(o.word_results[0] for o in outputs),
            elapse=sum(o.elapse or 0.0 for o in outputs),
            viser=outputs[0].viser,
        )


class PpOcrEngine:
    """One loaded rapidocr pipeline (detection + recognition, no angle classifier: the
    pipeline turns the card upright itself)."""

    name = PPOCR

    def __init__(self, *, use_cuda: bool) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as error:  # the CPU-only image may be built without it
            raise PpOcrUnavailable(f"rapidocr is not installed: {error}") from error
        params: dict[str, Any] = {
            "Global.use_cls": False,
            "Global.return_word_box": True,
            "Global.log_level": "warning",
            "Global.text_score": MIN_TEXT_SCORE,
            "Det.limit_type": "max",
            "Det.limit_side_len": DETECT_LONG_SIDE,
            "Rec.rec_batch_num": REC_BATCH,
            "Rec.rec_img_shape": [3, 48, REC_MIN_WIDTH],
            "EngineConfig.onnxruntime.use_cuda": use_cuda,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            # ONNX Runtime's arena keeps the buffers of one call for the next (rapidocr turns it
            # off): detection runs about 5 % faster on the CPU
            "EngineConfig.onnxruntime.enable_cpu_mem_arena": True,
        }
        try:
            # typed loosely: its call returns a union of four output types by the flags given
            ocr: Any = RapidOCR(params=params)
            # rapidocr loads each model on first use: load both now, once per process, on a
            # line of text (a blank image would make rapidocr log a warning)
            sample = np.full((64, 320, 3), 255, np.uint8)
            cv2.putText(sample, "FILOT 2026", (10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
            ocr(sample, **READ)
            ocr(sample, **RECOGNISE)
            frame: Any = ocr
            if not use_cuda and _threads() > 1:
                ocr.text_rec = _ParallelRecognizer(ocr.text_rec, _threads())
                # a photo is searched for the card's text before anything else reads it, so
                # that detection has every core: a second detector (rapidocr loads only the
                # models it is asked for) with ONNX Runtime's threads, one per core
                frame = RapidOCR(
                    params=params | {"EngineConfig.onnxruntime.intra_op_num_threads": _threads()}
                )
                frame(sample, **DETECT)
            self.providers = tuple(ocr.text_det.session.session.get_providers())
        except Exception as error:
            raise PpOcrUnavailable(f"PP-OCR models did not load: {error}") from error
        self._ocr = ocr
        self._frame = frame
        self.use_cuda = use_cuda
        self._lock = threading.Lock()  # ONNX sessions are shared; one image at a time

    @property
    def provider(self) -> str:
        return "cuda" if self.providers and self.providers[0].startswith("CUDA") else "cpu"

    def read(self, image: np.ndarray) -> list[list[Word]]:
        """Every detected text segment of ``image`` as its words (left to right)."""
        return self.read_with_slopes(image)[0]

    def read_with_slopes(self, image: np.ndarray) -> tuple[list[list[Word]], list[float | None]]:
        """``read``, and the slope of each segment's detected box (its text line's dy/dx; None
        for a box too narrow to tell)."""
        try:
            with self._lock:
                output = self._ocr(image, **READ)
        except Exception as error:
            raise PpOcrError(f"PP-OCR failed: {type(error).__name__}: {error}") from error
        if output.boxes is None or output.txts is None:
            return [], []
        segments: list[list[Word]] = []
        slopes: list[float | None] = []
        word_results = output.word_results or ()
        for index, (quad, text, score) in enumerate(
            zip(output.boxes, output.txts, output.scores, strict=True)
        ):
            pieces = word_results[index] if index < len(word_results) else ()
            words = _words(str(text), _percent(score), quad, pieces)
            if words:
                segments.append(words)
                slopes.append(quad_slope(quad))
        return segments, slopes

    def detect(self, image: np.ndarray) -> list[np.ndarray]:
        """Text boxes only (4 x 2 float quads), no recognition: used to find a card whose
        outline cannot be seen (on the CPU with every core's thread)."""
        try:
            with self._lock:
                output = self._frame(image, **DETECT)
        except Exception as error:
            raise PpOcrError(f"PP-OCR detection failed: {error}") from error
        boxes = output.boxes
        return [] if boxes is None else [np.asarray(b, dtype=np.float32) for b in boxes]

    def recognise(self, crop: np.ndarray) -> tuple[str, float]:
        """Recognition alone on one text-line crop: (text, confidence 0-100)."""
        return recognise_line(self._ocr, self._lock, crop, "PP-OCR")


def recognise_line(
    ocr: Any, lock: threading.Lock, crop: np.ndarray, model: str
) -> tuple[str, float]:
    """rapidocr's recognition alone (``ocr``, its calls one at a time under ``lock``) on one
    text-line crop: (text, confidence 0-100). Raises PpOcrError naming ``model``."""
    if crop.size == 0:
        return "", 0.0
    try:
        with lock:
            output = ocr(crop, **RECOGNISE)
    except Exception as error:
        raise PpOcrError(f"{model} recognition failed: {error}") from error
    texts = list(output.txts or ())
    scores = list(output.scores or ())
    if not texts:
        return "", 0.0
    return unicodedata.normalize("NFKC", str(texts[0])), _percent(scores[0] if scores else 0.0)


def quad_slope(quad: Any) -> float | None:
    """The slope (dy/dx) of a detected box's long sides: the text line's direction."""
    points = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
    if len(points) != 4:
        return None
    sides = [points[(i + 1) % 4] - points[i] for i in range(4)]
    long_sides = sorted(sides, key=lambda side: abs(side[0]), reverse=True)[:2]
    # the two long sides run in opposite directions round the box: turn both left to right
    dx = sum(abs(side[0]) for side in long_sides)
    dy = sum(side[1] if side[0] > 0 else -side[1] for side in long_sides)
    return float(dy / dx) if dx > 0 else None


def _percent(score: Any) -> float:
    return round(float(score) * 100, 2)


def _aabb(quad: Any) -> Box:
    points = np.asarray(quad, dtype=np.float32).reshape(-1, 2)
    left, top = np.floor(points.min(axis=0))
    right, bottom = np.ceil(points.max(axis=0))
    return (int(left), int(top), int(right - left), int(bottom - top))


def _words(text: str, score: float, quad: Any, pieces: Any) -> list[Word]:
    """The segment's words (its text split at spaces), each with its own box.

    rapidocr's word pieces are cut wherever the glyphs leave a gap, which can fall inside a
    word (``SULAW`` ``ESI``); the pieces of each word are joined. When the pieces do not add up
    to the text, boxes are shared out along the segment by character count.
    """
    # PP-OCR's recogniser also reads Chinese and sometimes answers with full-width punctuation
    # (the full-width colon U+FF1A for ``:``); NFKC turns it into the ASCII a card prints
    names = unicodedata.normalize("NFKC", text).split()
    if not names:
        return []
    boxes = _piece_boxes(names, pieces) or _proportional_boxes(names, quad)
    return [
        Word(text=name, confidence=score, box=box) for name, box in zip(names, boxes, strict=True)
    ]


def _piece_boxes(names: list[str], pieces: Any) -> list[Box] | None:
    queue = [
        (unicodedata.normalize("NFKC", str(p[0])).replace(" ", ""), _aabb(p[2]))
        for p in pieces or ()
        if str(p[0]).strip()
    ]
    boxes: list[Box] = []
    for name in names:
        taken, parts = "", []
        while queue and len(taken) < len(name):
            piece, piece_box = queue.pop(0)
            taken += piece
            parts.append(piece_box)
        if taken != name:
            return None
        left = min(b[0] for b in parts)
        top = min(b[1] for b in parts)
        right = max(b[0] + b[2] for b in parts)
        bottom = max(b[1] + b[3] for b in parts)
        boxes.append((left, top, right - left, bottom - top))
    return boxes if not queue else None


def _proportional_boxes(names: list[str], quad: Any) -> list[Box]:
    """Each word's share of the segment's quadrilateral by character count (so the words of
    a tilted line keep the line's tilt), as boxes."""
    points = np.asarray(quad, dtype=np.float32).reshape(4, 2)
    top_left, top_right, bottom_right, bottom_left = points
    total = sum(len(n) for n in names) + len(names) - 1
    boxes, offset = [], 0
    for name in names:
        start, end = offset / total, (offset + len(name)) / total
        corners = [
            top_left + (top_right - top_left) * start,
            top_left + (top_right - top_left) * end,
            bottom_left + (bottom_right - bottom_left) * end,
            bottom_left + (bottom_right - bottom_left) * start,
        ]
        boxes.append(_aabb(corners))
        offset += len(name) + 1
    return boxes


_load_lock = threading.Lock()


@cache
def _engine(use_cuda: bool) -> PpOcrEngine:
    engine = PpOcrEngine(use_cuda=use_cuda)
    logger.info("ppocr loaded providers=%s", ",".join(engine.providers))
    return engine


def get_engine(*, use_cuda: bool) -> PpOcrEngine:
    """The process's engine for this provider choice, loaded once (raises PpOcrUnavailable)."""
    with _load_lock:
        return _engine(use_cuda)


def status(*, use_cuda: bool = False) -> Status:
    """Whether PP-OCR loads here and on which ONNX Runtime providers (for a system check)."""
    try:
        engine = get_engine(use_cuda=use_cuda)
    except PpOcrUnavailable as error:
        return Status(ok=False, message=str(error))
    return Status(ok=True, message="PP-OCR loaded", providers=engine.providers)
