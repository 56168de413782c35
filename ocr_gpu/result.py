"""The plain data object that OCR hands to verification.

Everything here is JSON-serialisable through ``to_dict``/``from_dict`` so it can be stored in
``verification_results`` and passed between Celery tasks. Boxes are ``(x, y, w, h)`` in the
coordinates of the canonical (warped, upright) card image, so the review console can draw them.

One card is read by up to two engines: ``lines`` is the primary engine's read (PP-OCR, or
Tesseract when ONNX Runtime is missing or failed) and ``second_lines`` an independent read of the
same card by the other engine, so verification can confirm a value only when two reads agree.
A word that looks like a number also carries ``alternatives``: the same box re-read at another
scale or by the other engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

Box = tuple[int, int, int, int]

PPOCR = "ppocr"
# PP-OCRv4's recogniser on a disputed number's box (``ocr_gpu.numberreader``): a read of its own
PPOCR_V4 = "ppocr-v4"
TESSERACT = "tesseract"


@dataclass(frozen=True)
class Alternative:
    """Another read of one word's box: ``method`` says how (``rescaled``, ``digits``...)."""

    text: str
    confidence: float  # 0-100
    engine: str
    method: str


@dataclass(frozen=True)
class Word:
    """One word as an engine read it; ``cropped``: read from a crop of its own print after the
    read of the whole card passed over it (``ocr_gpu.marks``, ``ocr_gpu.numberrow``), so no
    whole-card read of the engine saw it."""

    text: str
    confidence: float  # 0-100 on every engine
    box: Box
    alternatives: tuple[Alternative, ...] = ()
    cropped: bool = False


@dataclass(frozen=True)
class Line:
    """One line of text in reading order (a visual row of the card, left to right).

    ``region`` is ``page`` for a whole-card read (every current read); stored results of older
    releases also carry ``header``, ``nik``, ``npwp``, ``body`` and ``issue``.
    """

    text: str
    words: tuple[Word, ...]
    region: str
    box: Box

    @property
    def confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.confidence for w in self.words) / len(self.words)

    def with_words(self, words: Iterable[Word]) -> Line:
        """The line holding ``words`` instead, its text theirs."""
        kept = tuple(words)
        return replace(self, words=kept, text=" ".join(w.text for w in kept))


def each_word(lines: list[Line], change: Callable[[Word], Word]) -> list[Line]:
    """``lines`` with ``change`` applied to every word (a line none of whose words changed
    is kept as it is)."""
    out = []
    for line in lines:
        words = tuple(change(word) for word in line.words)
        if any(new is not old for new, old in zip(words, line.words, strict=True)):
            line = line.with_words(words)
        out.append(line)
    return out


def _box(raw: Any) -> Box:
    values = list(raw or (0, 0, 0, 0))
    return (int(values[0]), int(values[1]), int(values[2]), int(values[3]))


def _words(raw_words: Any) -> tuple[Word, ...]:
    return tuple(
        Word(
            text=str(w["text"]),
            confidence=float(w["confidence"]),
            box=_box(w.get("box")),
            alternatives=tuple(
                Alternative(
                    text=str(a["text"]),
                    confidence=float(a.get("confidence", 0.0)),
                    engine=str(a.get("engine", "")),
                    method=str(a.get("method", "")),
                )
                for a in w.get("alternatives", ())
            ),
            cropped=bool(w.get("cropped", False)),
        )
        for w in raw_words or ()
    )


def lines_from_dicts(raw_lines: Any) -> list[Line]:
    return [
        Line(
            text=str(raw["text"]),
            words=_words(raw.get("words")),
            region=str(raw.get("region", "page")),
            box=_box(raw.get("box")),
        )
        for raw in raw_lines or ()
    ]


@dataclass
class OcrResult:
    lines: list[Line]
    quality: dict[str, Any] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    backend: str = "cpu"
    engine: str = TESSERACT
    provider: str = "cpu"  # where the primary engine ran: ONNX Runtime's cpu or cuda
    card_size: tuple[int, int] = (0, 0)  # width, height of the canonical card image
    # The other engine's independent read of the same card (empty when it did not run).
    second_lines: list[Line] = field(default_factory=list)
    second_engine: str = ""
    # Why the configured primary engine was not used ("" when it was), e.g. onnxruntime missing.
    engine_fallback: str = ""
    # The canonical card itself as JPEG (``run_ocr(keep_card=True)``), for the review console.
    # Not part of the stored JSON: ``to_dict`` leaves it out.
    card_image: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("card_image", None)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OcrResult:
        size = list(data.get("card_size", (0, 0)))
        return cls(
            lines=lines_from_dicts(data.get("lines")),
            quality=dict(data.get("quality", {})),
            timings_ms=dict(data.get("timings_ms", {})),
            backend=str(data.get("backend", "cpu")),
            engine=str(data.get("engine", TESSERACT)),
            provider=str(data.get("provider", "cpu")),
            card_size=(int(size[0]), int(size[1])),
            second_lines=lines_from_dicts(data.get("second_lines")),
            second_engine=str(data.get("second_engine", "")),
            engine_fallback=str(data.get("engine_fallback", "")),
        )
