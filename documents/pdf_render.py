"""The first page of an uploaded PDF, rendered where a hostile file cannot hurt the web worker.

A PDF can be small and still take minutes of CPU and gigabytes of memory to draw (a 146 KB file
whose page holds 60 MB of drawing operators). The page is therefore rendered by a child process
(``documents/pdf_render_child.py``) that limits its own CPU time and address space before it
reads the file, under a wall-clock timeout here. The web worker only waits on a pipe, so it
stays alive and the request ends with ``pdf_too_complex`` (422) within a few seconds.

Only the rendered picture leaves the child; the PDF itself is never stored or served.
"""

from __future__ import annotations

import logging
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from documents.pdf_render_child import EXIT_TOO_MANY_PIXELS, EXIT_UNREADABLE
from filot.errors import FilotError

logger = logging.getLogger(__name__)
CHILD = Path(__file__).with_name("pdf_render_child.py")
_HEADER = struct.Struct(">II")


@dataclass(frozen=True)
class RenderLimits:
    dpi: int
    max_pixels: int
    cpu_seconds: int
    memory_bytes: int
    timeout_seconds: float


class PdfRenderRefused(FilotError):
    status_code = 422


def too_complex() -> PdfRenderRefused:
    return PdfRenderRefused(
        "The PDF is too complex to render; upload a photo or a plain scan of the card.",
        code="pdf_too_complex",
    )


def render_first_page(data: bytes, limits: RenderLimits) -> Image.Image:
    """The first page as an RGB picture at ``limits.dpi``.

    Raises ``PdfRenderRefused``: ``image_unreadable`` for a file pdfium cannot open or without
    pages, ``image_too_many_pixels`` for a page too large at the DPI, and ``pdf_too_complex``
    when the child runs out of CPU time, memory or wall-clock time.
    """
    command = [
        sys.executable,
        "-I",
        str(CHILD),
        str(limits.dpi),
        str(limits.max_pixels),
        str(limits.cpu_seconds),
        str(limits.memory_bytes),
    ]
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argv: this interpreter, a file of ours
            command,
            input=data,
            capture_output=True,
            timeout=limits.timeout_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("pdf render refused", extra={"reason": "wall_clock_timeout"})
        raise too_complex() from None
    if completed.returncode == EXIT_UNREADABLE:
        raise PdfRenderRefused(
            "The PDF could not be read; upload a complete, uncorrupted file.",
            code="image_unreadable",
        )
    if completed.returncode == EXIT_TOO_MANY_PIXELS:
        raise PdfRenderRefused(
            "The PDF page is too large to render.",
            code="image_too_many_pixels",
            details={"max_pixels": limits.max_pixels},
        )
    output = completed.stdout
    if completed.returncode != 0 or len(output) < _HEADER.size:
        # Killed for CPU time (a signal), aborted or out of memory: the file asked for more
        # than a card scan ever needs. Only the status is logged, never the child's output.
        logger.warning(
            "pdf render refused", extra={"reason": "limits", "exit_status": completed.returncode}
        )
        raise too_complex()
    width, height = _HEADER.unpack_from(output)
    pixels = output[_HEADER.size :]
    if width * height * 3 != len(pixels):
        raise too_complex()
    return Image.frombytes("RGB", (width, height), pixels)
