"""Cells of a card row: runs of words separated by wide gaps.

A card row holds a label and its value (``Nama : BUDI``), sometimes a second label and value
(``LAKI-LAKI   Gol. Darah : O``), and sometimes text of another column at the same height (the
issue place under the photo). Words of one value are a space apart; columns are much further
apart. A gap wider than ``CELL_GAP`` text heights starts a new cell. Rows without word boxes
(plain text) are one cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from verification.parsing import LineView, Segment, Token

CELL_GAP = 1.6  # text heights


@dataclass(frozen=True)
class Cell:
    """Characters ``start:end`` of a row: one column's text on that row."""

    view: LineView
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.view.text[self.start : self.end]

    @property
    def segment(self) -> Segment:
        return Segment(self.view, self.start, self.end)

    def tokens(self) -> list[Token]:
        return self.view.tokens_in(self.start, self.end)

    @property
    def left(self) -> int | None:
        boxes = [t.box for t in self.tokens() if t.box is not None]
        return min(b[0] for b in boxes) if boxes else None

    @property
    def right(self) -> int | None:
        boxes = [t.box for t in self.tokens() if t.box is not None]
        return max(b[0] + b[2] for b in boxes) if boxes else None

    @property
    def centre_x(self) -> float | None:
        left, right = self.left, self.right
        return None if left is None or right is None else (left + right) / 2

    @property
    def top(self) -> int | None:
        boxes = [t.box for t in self.tokens() if t.box is not None]
        return min(b[1] for b in boxes) if boxes else None


def text_height(view: LineView) -> float:
    heights = [t.box[3] for t in view.tokens if t.box is not None and t.box[3] > 0]
    return float(median(heights)) if heights else 0.0


def split_cells(view: LineView, gap: float = CELL_GAP) -> list[Cell]:
    """The row's cells, left to right."""
    tokens = view.tokens
    if not tokens:
        return []
    height = text_height(view)
    cells: list[Cell] = []
    start = tokens[0].start
    previous = tokens[0]
    for token in tokens[1:]:
        if (
            height > 0
            and previous.box is not None
            and token.box is not None
            and token.box[0] - (previous.box[0] + previous.box[2]) > gap * height
        ):
            cells.append(Cell(view, start, previous.end))
            start = token.start
        previous = token
    cells.append(Cell(view, start, previous.end))
    return cells


def cell_at(cells: list[Cell], offset: int) -> int | None:
    """Index of the cell holding character ``offset`` (or the first cell after it)."""
    for index, cell in enumerate(cells):
        if offset < cell.end:
            return index
    return None


def row_top(view: LineView) -> float:
    tops = [t.box[1] for t in view.tokens if t.box is not None]
    return float(min(tops)) if tops else 0.0


def row_centre(view: LineView) -> float:
    boxes = [t.box for t in view.tokens if t.box is not None]
    if not boxes:
        return 0.0
    return float(median(b[1] + b[3] / 2 for b in boxes))
