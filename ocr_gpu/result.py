"""The plain data object that OCR hands to verification.

Everything here is JSON-serialisable through ``to_dict``/``from_dict`` so it can be stored in
``verification_results`` and passed between Celery tasks. Boxes are ``(x, y, w, h)`` in the
coordinates of the canonical (warped, upright) card image, so the review console can draw them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-100, Tesseract's scale
    box: Box


@dataclass(frozen=True)
class Line:
    """One line of text in reading order.

    ``region`` names the card area it was read from: ``header``, ``nik``, ``npwp``, ``body``,
    ``issue`` (issue place and date under the photo), or ``page`` for a whole-page read.
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


@dataclass
class OcrResult:
    lines: list[Line]
    quality: dict[str, Any] = field(default_factory=dict)
    timings_ms: dict[str, float] = field(default_factory=dict)
    backend: str = "cpu"
    engine: str = "tesseract"
    card_size: tuple[int, int] = (0, 0)  # width, height of the canonical card image
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
        lines = [
            Line(
                text=raw["text"],
                words=tuple(
                    Word(text=w["text"], confidence=float(w["confidence"]), box=tuple(w["box"]))  # type: ignore[arg-type]
                    for w in raw.get("words", ())
                ),
                region=raw.get("region", "page"),
                box=tuple(raw.get("box", (0, 0, 0, 0))),  # type: ignore[arg-type]
            )
            for raw in data.get("lines", ())
        ]
        return cls(
            lines=lines,
            quality=dict(data.get("quality", {})),
            timings_ms=dict(data.get("timings_ms", {})),
            backend=data.get("backend", "cpu"),
            engine=data.get("engine", "tesseract"),
            card_size=tuple(data.get("card_size", (0, 0))),  # type: ignore[arg-type]
        )
