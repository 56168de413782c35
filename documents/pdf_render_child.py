"""Render the first page of an untrusted PDF, inside resource limits. Run as a child process.

``python -I pdf_render_child.py DPI MAX_PIXELS CPU_SECONDS MEMORY_BYTES`` reads the PDF on
stdin and writes the page on stdout: width and height as two big-endian 32-bit integers, then
the RGB pixels row by row. It limits itself before it reads a byte of the PDF (CPU time,
address space, no core file), so a page that would take minutes or gigabytes to draw kills this
process, never the web worker that started it. ``documents.pdf_render`` is the parent side.

Exit status: 0 rendered, 3 not a readable PDF (or no page), 4 the page has too many pixels at
the DPI. Anything else (a signal for CPU time, an abort or ``MemoryError`` for memory) means the
PDF was too complex to render within the limits.

This file imports nothing from FiLot: it runs isolated (``-I``), with only the libraries.
"""

from __future__ import annotations

import resource
import struct
import sys

import pypdfium2 as pdfium

EXIT_UNREADABLE = 3
EXIT_TOO_MANY_PIXELS = 4
EXIT_OUT_OF_MEMORY = 5


def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def render(data: bytes, dpi: int, max_pixels: int) -> int:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return EXIT_UNREADABLE
    try:
        if len(document) < 1:
            return EXIT_UNREADABLE
        page = document[0]
        scale = dpi / 72
        width_pt, height_pt = page.get_size()
        width, height = round(width_pt * scale), round(height_pt * scale)
        if width <= 0 or height <= 0 or width * height > max_pixels:
            return EXIT_TOO_MANY_PIXELS
        # Forms are never initialised, so no form script can run; nothing here executes
        # JavaScript or follows an action.
        bitmap = page.render(scale=scale, may_draw_forms=False)
        picture = bitmap.to_pil().convert("RGB")
    except pdfium.PdfiumError:
        return EXIT_UNREADABLE
    finally:
        document.close()
    out = sys.stdout.buffer
    out.write(struct.pack(">II", *picture.size))
    out.write(picture.tobytes())
    out.flush()
    return 0


def main(argv: list[str]) -> int:
    dpi, max_pixels, cpu_seconds, memory_bytes = (int(value) for value in argv[1:5])
    _limit(cpu_seconds, memory_bytes)
    data = sys.stdin.buffer.read()
    try:
        return render(data, dpi, max_pixels)
    except MemoryError:
        return EXIT_OUT_OF_MEMORY


if __name__ == "__main__":
    sys.exit(main(sys.argv))
