"""Shared pieces of the KTP / NPWP parsers: line views with character offsets, fuzzy labels.

A ``LineView`` joins an OCR line's words with single spaces and remembers which characters each
word covers, so a value cut out of the text by offsets gets the confidence and box of exactly the
words it came from. Labels are matched with rapidfuzz on letters only, over every split point of
the line's start, so ``Tgi Lahir``, ``RTARW`` or a label glued to its value
(``PerkawinanCERAI``) still separate cleanly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import fuzz

from ocr_gpu.result import Line, OcrResult, Word
from verification.fields import Box, Field
from verification.textfix import compact, opens_balinese_name

SEPARATORS = " :;=|.,_~"
COLON_LOOKALIKES = frozenset({"1", "|", "l", "I", "!", "i", ";", "=", "-"})
# A lone ``I`` after a label is a word, not a misread colon, where the colon itself was read
# before it, or where it opens a Balinese name (``I KADEK WIRAWAN``, ``1 PUTU``: see
# ``textfix.BALINESE_NAMES``).
LETTER_I = "I"
GLUED_PENALTY = 15.0
JUNK_CONFIDENCE = 50.0  # punctuation-only words below this are specks, not text
DEFAULT_MIN_LABEL_SCORE = 75.0


@dataclass(frozen=True)
class Token:
    text: str
    start: int  # character offsets in ``LineView.text``
    end: int
    confidence: float
    box: Box | None


class LineView:
    """An OCR line as text plus word offsets; words right of ``max_x`` are left out."""

    def __init__(self, line: Line, max_x: int | None = None) -> None:
        self.region = line.region
        words: Sequence[Word | None]
        if line.words:
            words = [
                w
                for w in line.words
                if (max_x is None or w.box[0] < max_x)
                and (w.confidence >= JUNK_CONFIDENCE or any(c.isalnum() for c in w.text))
            ]
            texts = [w.text for w in words if w is not None]
        else:  # text without word data: one token per whitespace-separated piece
            texts = line.text.split()
            words = [None] * len(texts)
        tokens: list[Token] = []
        offset = 0
        for text, word in zip(texts, words, strict=True):
            tokens.append(
                Token(
                    text=text,
                    start=offset,
                    end=offset + len(text),
                    confidence=word.confidence if word is not None else 0.0,
                    box=word.box if word is not None else None,
                )
            )
            offset += len(text) + 1
        self.tokens = tokens
        self.text = " ".join(texts)
        self.box: Box | None = line.box if line.words else None

    @property
    def left(self) -> int | None:
        boxes = [t.box for t in self.tokens if t.box is not None]
        return min(b[0] for b in boxes) if boxes else None

    @property
    def confidence(self) -> float:
        if not self.tokens:
            return 0.0
        return sum(t.confidence for t in self.tokens) / len(self.tokens)

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if t.end > start and t.start < end]


@dataclass(frozen=True)
class Segment:
    """Characters ``start:end`` of a line: one piece of a (possibly wrapped) value."""

    line: LineView
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.line.text[self.start : self.end]

    def tokens(self) -> list[Token]:
        return self.line.tokens_in(self.start, self.end)


def union_box(boxes: Iterable[Box]) -> Box | None:
    boxes = list(boxes)
    if not boxes:
        return None
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)


def make_field(value: str | None, segments: Sequence[Segment]) -> Field:
    """A Field whose raw text, confidence and box come from ``segments``."""
    raw = " ".join(s.text.strip() for s in segments if s.text.strip())
    tokens = [t for s in segments for t in s.tokens()]
    confidence = sum(t.confidence for t in tokens) / len(tokens) if tokens else 0.0
    box = union_box(t.box for t in tokens if t.box is not None)
    return Field(value=value or None, raw=raw, confidence=round(confidence, 2), box=box)


@dataclass(frozen=True)
class LabelMatch:
    key: str
    score: float
    label_end: int  # offset just after the label's last character
    value_start: int  # offset of the value's first character


def skip_separators(text: str, start: int) -> int:
    """Offset of the first value character after a label: separators and a lone colon
    look-alike (``1``, ``|``, ``i``) followed by more text are skipped, but not the word ``I``
    (``Nama : I KADEK WIRAWAN``)."""
    index = start
    while index < len(text) and text[index] in SEPARATORS and not _pipe_i(text, start, index):
        index += 1
    rest = text[index:]
    if (
        len(rest) > 2
        and rest[0] in COLON_LOOKALIKES
        and rest[1] == " "
        and index > start
        and not _word_i(rest, colon_read=":" in text[start:index])
    ):
        index += 1
        while index < len(text) and text[index] in SEPARATORS:
            index += 1
    return index


def _pipe_i(text: str, start: int, index: int) -> bool:
    """Whether the ``|`` at ``index`` is the ``I`` opening a Balinese name: Tesseract reads
    the ``I`` of ``: I KETUT`` as a pipe. Only after the colon was read (``: | KETUT``): a pipe
    alone may be the colon (``NAMA | WAYAN`` for ``NAMA : WAYAN``), and the name goes to a
    person when the engines disagree on its ``I``."""
    return (
        text[index] == "|"
        and ":" in text[start:index]
        and text[index + 1 : index + 2] == " "
        and opens_balinese_name("|", text[index + 2 :])
    )


def _word_i(rest: str, *, colon_read: bool) -> bool:
    """Whether the ``I`` opening ``rest`` (a value after its label) is a word of the value."""
    return (rest[0] == LETTER_I and colon_read) or opens_balinese_name(rest[0], rest[2:])


@cache
def _compact_label(label: str) -> str:
    return compact(label)


def match_label(
    text: str,
    labels: Mapping[str, tuple[str, ...]],
    min_score: float = DEFAULT_MIN_LABEL_SCORE,
) -> LabelMatch | None:
    """The label ``text`` starts with, fuzzily; None when no label scores ``min_score``.

    Every split point near the label's length is tried; a split inside a word is accepted when
    the case changes there (``PerkawinanCERAI``), otherwise it pays a small penalty.
    """
    upper = text.upper()
    best: tuple[float, int, int] | None = None  # score, label length, -end: higher is better
    best_key = ""
    # ``compact(upper[:end])`` for every end a label may reach, built once for all labels
    reach = min(len(text), max((len(v) for vs in labels.values() for v in vs), default=0) + 8)
    prefixes = [""]
    for char in upper[:reach]:
        prefixes.append(prefixes[-1] + char if char.isalnum() else prefixes[-1])
    lengths = [len(prefix) for prefix in prefixes]  # never decreasing
    for key, variants in labels.items():
        for variant in variants:
            target = _compact_label(variant)
            slack = max(2, len(target) // 3)
            # the ends whose prefix is one letter or more, within ``slack`` of the label's length
            last = min(len(text), len(variant) + 8)
            first = bisect_left(lengths, max(1, len(target) - slack), 1, last + 1)
            stop = bisect_right(lengths, len(target) + slack, 1, last + 1)
            for end in range(first, stop):
                candidate = prefixes[end]
                if not upper[end - 1].isalnum():
                    continue
                score = fuzz.ratio(candidate, target)
                glued = end < len(text) and text[end].isalnum()
                if glued and not (text[end - 1].islower() and text[end].isupper()):
                    score -= GLUED_PENALTY
                rank = (score, len(target), -end)
                if best is None or rank > best:
                    best, best_key = rank, key
    if best is None or best[0] < min_score:
        return None
    score, _, end = best
    return LabelMatch(
        key=best_key, score=score, label_end=-end, value_start=skip_separators(text, -end)
    )


def lines_to_ocr(
    rows: Iterable[str | tuple[str, str]],
    confidence: float = 95.0,
    card_size: tuple[int, int] = (0, 0),
) -> OcrResult:
    """An ``OcrResult`` from plain text rows (``"text"`` or ``(text, region)``), for tests and
    for text that did not come from Tesseract. Word boxes are synthetic (row index * 30)."""
    lines: list[Line] = []
    for index, row in enumerate(rows):
        text, region = (row, "page") if isinstance(row, str) else row
        words = []
        x = 0
        for piece in text.split():
            words.append(
                Word(text=piece, confidence=confidence, box=(x, index * 30, len(piece) * 10, 20))
            )
            x += (len(piece) + 1) * 10
        box = union_box(w.box for w in words) or (0, index * 30, 0, 0)
        lines.append(
            Line(text=" ".join(w.text for w in words), words=tuple(words), region=region, box=box)
        )
    return OcrResult(lines=lines, card_size=card_size)


@dataclass
class Parsed:
    """What the parsers extracted from one card (see ``verification.engine``)."""

    declared_type: str | None
    detected_type: str  # "ktp" | "npwp" | "unknown"
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def parsed_type(self) -> str | None:
        """The layout the fields were read with: detected, else declared."""
        if self.detected_type in ("ktp", "npwp"):
            return self.detected_type
        return self.declared_type

    def value(self, name: str) -> str | None:
        found = self.fields.get(name)
        return found.value if found is not None else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "declared_type": self.declared_type,
            "detected_type": self.detected_type,
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parsed:
        return cls(
            declared_type=data.get("declared_type"),
            detected_type=str(data.get("detected_type", "unknown")),
            fields={name: Field.from_dict(f) for name, f in dict(data.get("fields", {})).items()},
        )
