"""Rows of words as a read of a card gives them, for the tests of steps that work on rows."""

from __future__ import annotations

from collections.abc import Sequence

from ocr_gpu.result import Line, Word


def line_of(words: Sequence[Word]) -> Line:
    """One row of ``words`` (a page region), its box spanning theirs and as tall as the tallest."""
    box = (
        min(w.box[0] for w in words),
        min(w.box[1] for w in words),
        max(w.box[0] + w.box[2] for w in words) - min(w.box[0] for w in words),
        max(w.box[3] for w in words),
    )
    return Line(" ".join(w.text for w in words), tuple(words), "page", box)
