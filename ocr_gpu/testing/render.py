"""Drawing of synthetic KTP / NPWP cards (layout in pixels of a 1012 x 638 card, scaled).

Without a ``style`` a card is the canonical one: family ``a`` in fixed faces, nothing moved, on
the background the unit tests were written against. With a ``Style`` (see ``cards.card_style``)
it is drawn by its family's design in ``ktp_design`` / ``npwp_design``.
"""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from ocr_gpu.testing import ktp_design, npwp_design
from ocr_gpu.testing.drawing import BASE_SIZE, Part, Row, Style, draw_rows, wrap
from ocr_gpu.testing.fonts import font

__all__ = [
    "BASE_SIZE",
    "Part",
    "Row",
    "Style",
    "font",
    "ktp_rows",
    "npwp_rows",
    "render_ktp",
    "render_npwp",
    "wrap",
]
KTP_PHOTO = ktp_design.SPECS["a"].photo  # left, top, right, bottom of the canonical photo


def ktp_rows(fields: dict[str, str], style: Style | None = None) -> list[Row]:
    """The printed lines of a KTP front in reading order, with their regions and drawing."""
    return ktp_design.ktp_rows(fields, style)


def npwp_rows(fields: dict[str, str], style: Style | None = None) -> list[Row]:
    """The printed lines of an NPWP card in reading order, with their regions and drawing."""
    return npwp_design.npwp_rows(fields, style)


def _background(
    size: tuple[int, int],
    top: tuple[int, int, int],
    bottom: tuple[int, int, int],
    line: tuple[int, int, int],
    rng: random.Random,
) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    phase = rng.uniform(0, math.tau)
    for k in range(0, height + 40, 14):  # faint guilloche: interleaved sine waves
        points = [(x, k + 6 * math.sin(x / 37 + phase + k / 29)) for x in range(0, width + 8, 8)]
        draw.line(points, fill=line, width=1)
    return image


def _signature(
    draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], rng: random.Random
) -> None:
    left, top, right, bottom = box
    points = []
    for i in range(60):
        t = i / 59
        x = left + (right - left) * t
        y = (top + bottom) / 2 + (bottom - top) / 2.5 * math.sin(
            t * rng.uniform(8, 14) + rng.random()
        )
        points.append((x, y))
    draw.line(points, fill=(30, 30, 60), width=2)


def render_ktp(
    fields: dict[str, str],
    size: tuple[int, int] = BASE_SIZE,
    rng: random.Random | None = None,
    *,
    style: Style | None = None,
) -> Image.Image:
    """Draw a KTP-el front side; ``rng`` varies the background, photo and signature."""
    rng = rng or random.Random(fields["nik"])
    if style is not None and not style.canonical:
        return ktp_design.draw_ktp(fields, size, rng, style)
    scale = size[0] / BASE_SIZE[0]
    image = _background(size, (206, 228, 242), (178, 210, 236), (190, 214, 236), rng)
    left, top, right, bottom = (round(v * scale) for v in KTP_PHOTO)
    width, height = right - left, bottom - top
    photo = Image.new("RGB", (width, height), rng.choice([(200, 40, 40), (40, 80, 170)]))
    pen = ImageDraw.Draw(photo)
    pen.ellipse((width * 0.28, height * 0.14, width * 0.72, height * 0.6), fill=(224, 190, 160))
    pen.ellipse((width * 0.05, height * 0.62, width * 0.95, height * 1.4), fill=(245, 245, 245))
    image.paste(photo, (left, top))
    _signature(
        ImageDraw.Draw(image),
        (left + 30 * scale, 470 * scale, right - 30 * scale, 530 * scale),
        rng,
    )
    draw_rows(image, ktp_rows(fields), scale)
    return image


def render_npwp(
    fields: dict[str, str],
    size: tuple[int, int] = BASE_SIZE,
    rng: random.Random | None = None,
    *,
    style: Style | None = None,
) -> Image.Image:
    """Draw an NPWP card: DJP header, formatted number, name, NIK, address, KPP, date."""
    rng = rng or random.Random(fields["npwp"])
    if style is not None and not style.canonical:
        return npwp_design.draw_npwp(fields, size, rng, style)
    scale = size[0] / BASE_SIZE[0]
    image = _background(size, (246, 246, 240), (226, 228, 222), (232, 228, 210), rng)
    draw = ImageDraw.Draw(image)
    draw.ellipse((35 * scale, 25 * scale, 135 * scale, 125 * scale), fill=(235, 190, 40))
    draw.ellipse((60 * scale, 50 * scale, 110 * scale, 100 * scale), fill=(20, 60, 130))
    draw.rectangle((0, 140 * scale, size[0], 146 * scale), fill=(20, 60, 130))
    draw_rows(image, npwp_rows(fields), scale)
    return image
