"""Progress bars for long management commands: on a terminal only.

A person running ``reprocess_documents`` by hand sees a count, the rate and the time left;
the same command under cron, in a container's log or with ``--json`` writes nothing extra, so
logs and machine-readable output stay clean. The bar goes to standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def interactive(stream: IO[str] | None = None) -> bool:
    """Whether ``stream`` (standard error by default) is a terminal a person is watching."""
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress(
    iterable: Iterable[T],
    *,
    total: int | None = None,
    desc: str = "",
    unit: str = "it",
    quiet: bool = False,
    stream: IO[str] | None = None,
) -> Iterator[T]:
    """``iterable`` with a tqdm bar on an interactive ``stream``; unchanged otherwise or when
    ``quiet`` (``--json``)."""
    stream = stream if stream is not None else sys.stderr
    if quiet or not interactive(stream):
        yield from iterable
        return
    bar = tqdm(
        iterable, total=total, desc=desc, unit=unit, file=stream, dynamic_ncols=True, leave=False
    )
    try:
        yield from bar
    finally:
        bar.close()


class Counter:
    """A bar advanced by hand (``update(n)``), for work done in batches or in other processes.
    Does nothing when quiet or not on a terminal."""

    def __init__(
        self,
        *,
        total: int | None,
        desc: str = "",
        unit: str = "it",
        quiet: bool = False,
        stream: IO[str] | None = None,
    ) -> None:
        stream = stream if stream is not None else sys.stderr
        self._bar: Any = None
        if not quiet and interactive(stream):
            self._bar = tqdm(
                total=total, desc=desc, unit=unit, file=stream, dynamic_ncols=True, leave=False
            )

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def describe(self, desc: str) -> None:
        if self._bar is not None:
            self._bar.set_description(desc)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> Counter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
