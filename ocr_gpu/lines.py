"""Text segments of any engine into the card's visual rows, top to bottom, left to right.

An engine returns text in pieces (PP-OCR: one detected box per piece; Tesseract sparse mode: one
chunk per piece). A card prints label and value on one row, often far apart ("Nama" ... ": BUDI"),
and the issue place under the photo on the same height as a body row. Pieces whose vertical
centres lie within half a text height of each other and that do not overlap horizontally form
one row; within a row, words keep their boxes, so a reader can still tell columns apart by the
gaps between them. Nothing here knows where a card prints what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median

from ocr_gpu.result import Box, Line, Word

ROW_TOLERANCE = 0.5  # share of the text height two pieces' centres may differ by in one row
MIN_OVERLAP = 0.35  # share of the lower piece's height the two must share vertically
REGION = "page"


def union_box(boxes: Iterable[Box]) -> Box:
    boxes = list(boxes)
    if not boxes:
        return (0, 0, 0, 0)
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)


@dataclass
class _Row:
    pieces: list[tuple[Box, list[Word]]] = field(default_factory=list)

    @property
    def box(self) -> Box:
        return union_box(b for b, _ in self.pieces)

    def centre(self) -> float:
        return median(b[1] + b[3] / 2 for b, _ in self.pieces)

    def height(self) -> float:
        return median(b[3] for b, _ in self.pieces)

    def overlaps_horizontally(self, box: Box) -> bool:
        slack = 0.3 * box[3]
        return any(
            box[0] + slack < b[0] + b[2] and b[0] + slack < box[0] + box[2] for b, _ in self.pieces
        )


def _fits(row: _Row, box: Box) -> float | None:
    """How far ``box`` is from ``row`` (smaller is better), None when it is not on the row."""
    centre = box[1] + box[3] / 2
    distance = abs(centre - row.centre())
    height = max(row.height(), float(box[3]))
    top = max(row.box[1], box[1])
    bottom = min(row.box[1] + row.box[3], box[1] + box[3])
    overlap = (bottom - top) / max(1.0, min(row.height(), float(box[3])))
    if distance > ROW_TOLERANCE * height or overlap < MIN_OVERLAP:
        return None
    if row.overlaps_horizontally(box):
        return None
    return distance


def assemble(segments: Sequence[Sequence[Word]]) -> list[Line]:
    """Rows of the card from an engine's pieces (each piece's words left to right)."""
    pieces = [(union_box(w.box for w in words), list(words)) for words in segments if words]
    pieces.sort(key=lambda piece: (piece[0][1] + piece[0][3] / 2, piece[0][0]))
    rows: list[_Row] = []
    for box, words in pieces:
        best: tuple[float, _Row] | None = None
        for row in rows[-6:]:  # rows are built top-down: only recent ones can take a piece
            distance = _fits(row, box)
            if distance is not None and (best is None or distance < best[0]):
                best = (distance, row)
        if best is None:
            rows.append(_Row([(box, words)]))
        else:
            best[1].pieces.append((box, words))
    lines = []
    for row in sorted(rows, key=lambda r: r.centre()):
        words = sorted((w for _, ws in row.pieces for w in ws), key=lambda w: w.box[0])
        lines.append(
            Line(
                text=" ".join(w.text for w in words),
                words=tuple(words),
                region=REGION,
                box=union_box(w.box for w in words),
            )
        )
    return lines
