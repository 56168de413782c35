"""Drawing primitives shared by the card designs: printed rows, styles, backgrounds, photo."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from ocr_gpu.testing.fonts import CANONICAL, Fonts, font

BASE_SIZE = (1012, 638)  # ISO ID-1 at about 300 dpi; every design is laid out on it, then scaled
Colour = tuple[int, int, int]
INK: Colour = (20, 20, 28)


@dataclass(frozen=True)
class Part:
    x: int
    text: str
    font: str  # a font file path, or a canonical kind (regular, bold, mono)
    size: int
    anchor: str = "la"  # Pillow text anchor: left/ascender, or "ma" for centred
    stroke: float = 0.0  # extra outline in base pixels: a heavier print of the same face
    fill: Colour | None = None  # None: the card's ink
    squeeze: float = 1.0  # horizontal compression, as printers do with values too long
    dy: int = 0  # offset from the row's top, e.g. to sit a small label on the value's baseline


@dataclass(frozen=True)
class Row:
    """One printed line: its text as read naturally and how to draw it."""

    text: str
    region: str
    y: int
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Style:
    """How one card is printed: design family, faces, per-block offsets and design options.

    The default is the canonical card: family ``a`` in fixed faces, nothing moved.
    """

    family: str = "a"
    fonts: Fonts = CANONICAL
    jitter: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    options: frozenset[str] = frozenset()
    ink: Colour = INK
    palette: int = 0

    @property
    def canonical(self) -> bool:
        return self == Style()

    def shift(self, block: str) -> tuple[int, int]:
        return self.jitter.get(block, (0, 0))


BLOCKS = ("header", "nik", "body", "gol", "photo", "issue", "signature", "number", "name", "foot")


def random_jitter(rng: random.Random, dx: int = 9, dy: int = 7) -> dict[str, tuple[int, int]]:
    """Independent offsets of each block, in base pixels (print drift between card runs)."""
    return {block: (rng.randint(-dx, dx), rng.randint(-dy, dy)) for block in BLOCKS}


def wrap(text: str, kind: str, size: int, width: int) -> list[str]:
    """Greedy word wrap to ``width`` pixels."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and font(kind, size).getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines


def text_width(text: str, face: str, size: int) -> float:
    return float(font(face, size).getlength(text))


def ddmmyyyy(iso: str, separator: str = "-") -> str:
    if len(iso) == 10 and iso[4] == "-":
        return f"{iso[8:10]}{separator}{iso[5:7]}{separator}{iso[0:4]}"
    return iso


def shade(colour: Colour, delta: int) -> Colour:
    """``colour`` made darker (negative ``delta``) or lighter, clipped to 0-255."""
    r, g, b = (min(255, max(0, c + delta)) for c in colour)
    return (r, g, b)


def _draw_squeezed(
    image: Image.Image,
    xy: tuple[float, float],
    part: Part,
    face: ImageFont.FreeTypeFont,
    fill: Colour,
) -> None:
    draw = ImageDraw.Draw(image)
    stroke = round(part.stroke * image.width / BASE_SIZE[0])
    box = draw.textbbox(xy, part.text, font=face, anchor=part.anchor, stroke_width=stroke)
    left, top = math.floor(box[0]), math.floor(box[1])
    width, height = max(1, math.ceil(box[2]) - left), max(1, math.ceil(box[3]) - top)
    layer = Image.new("L", (width, height), 0)
    ImageDraw.Draw(layer).text(
        (xy[0] - left, xy[1] - top),
        part.text,
        fill=255,
        font=face,
        anchor=part.anchor,
        stroke_width=stroke,
        stroke_fill=255,
    )
    narrow = max(1, round(width * part.squeeze))
    layer = layer.resize((narrow, height), Image.Resampling.LANCZOS)
    x = left if part.anchor[0] == "l" else left + (width - narrow) // 2
    image.paste(Image.new("RGB", layer.size, fill), (round(x), top), layer)


def draw_rows(image: Image.Image, rows: Sequence[Row], scale: float, ink: Colour = INK) -> None:
    draw = ImageDraw.Draw(image)
    for row in rows:
        for part in row.parts:
            face = font(part.font, max(8, round(part.size * scale)))
            xy = (part.x * scale, (row.y + part.dy) * scale)
            fill = part.fill or ink
            if part.squeeze < 1.0:
                _draw_squeezed(image, xy, part, face, fill)
                continue
            stroke = round(part.stroke * scale)
            draw.text(
                xy,
                part.text,
                fill=fill,
                font=face,
                anchor=part.anchor,
                stroke_width=stroke,
                stroke_fill=fill if stroke else None,
            )


def gradient(size: tuple[int, int], start: Colour, end: Colour, angle: float) -> Image.Image:
    """A linear colour gradient along ``angle`` (radians, 0 = left to right)."""
    cells = [(x, y) for y in range(40) for x in range(64)]
    ramp = [x / 63 * math.cos(angle) + y / 39 * math.sin(angle) for x, y in cells]
    low, high = min(ramp), max(ramp)
    small = Image.new("RGB", (64, 40))
    small.putdata(
        [
            tuple(
                round(a + (b - a) * (r - low) / (high - low))
                for a, b in zip(start, end, strict=True)
            )
            for r in ramp
        ]
    )
    return small.resize(size, Image.Resampling.BICUBIC)


def guilloche(
    image: Image.Image, colour: Colour, rng: random.Random, kind: str, scale: float
) -> None:
    """Fine security lines: ``waves`` (interleaved sines), ``rosette`` (rings) or ``mesh``."""
    draw = ImageDraw.Draw(image)
    width, height = image.size
    phase = rng.uniform(0, math.tau)
    step = max(6, round(rng.uniform(11, 17) * scale))
    points: list[tuple[float, float]]
    if kind == "waves":
        amplitude = rng.uniform(4, 9) * scale
        for k in range(-step, height + step, step):
            points = [
                (float(x), k + amplitude * math.sin(x / (40 * scale) + phase + k / 31))
                for x in range(0, width + 8, 8)
            ]
            draw.line(points, fill=colour, width=1)
    elif kind == "rosette":
        cx, cy = width * rng.uniform(0.3, 0.7), height * rng.uniform(0.4, 0.7)
        for radius in range(step, int(max(width, height) * 1.2), step):
            points = []
            for i in range(181):
                t = i / 180 * math.tau
                r = radius * (1 + 0.03 * math.sin(12 * t + phase))
                points.append((cx + r * math.cos(t), cy + r * 0.8 * math.sin(t)))
            draw.line(points, fill=colour, width=1)
    else:  # mesh: two families of crossing diagonal waves
        for k in range(-height, width + height, step * 2):
            for sign in (1, -1):
                points = [
                    (k + sign * y * 0.7 + 5 * scale * math.sin(y / (23 * scale) + phase), float(y))
                    for y in range(0, height + 8, 8)
                ]
                draw.line(points, fill=colour, width=1)


def emblem(image: Image.Image, centre: tuple[float, float], radius: float, colour: Colour) -> None:
    """A faint round seal with a star, standing in for the Garuda or DJP watermark."""
    draw = ImageDraw.Draw(image)
    cx, cy = centre
    width = max(1, round(radius / 40))
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=colour, width=width)
    inner = radius * 0.82
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=colour, width=width)
    star = []
    for i in range(10):
        r = inner * (0.75 if i % 2 == 0 else 0.32)
        t = -math.pi / 2 + i * math.pi / 5
        star.append((cx + r * math.cos(t), cy + r * math.sin(t)))
    draw.polygon(star, outline=colour, width=width)


def portrait(size: tuple[int, int], backdrop: Colour, rng: random.Random) -> Image.Image:
    """A passport-style photo: plain red or blue backdrop, head, hair, shoulders."""
    width, height = size
    photo = Image.new("RGB", size, backdrop)
    pen = ImageDraw.Draw(photo)
    skin = rng.choice([(224, 190, 160), (200, 160, 120), (170, 125, 90), (232, 200, 175)])
    shirt = rng.choice([(245, 245, 245), (30, 30, 40), (60, 70, 110), (120, 30, 40)])
    hair = rng.choice([(20, 18, 16), (40, 30, 25), (15, 15, 15)])
    cx = width * rng.uniform(0.46, 0.54)
    pen.ellipse((cx - width * 0.45, height * 0.64, cx + width * 0.45, height * 1.5), fill=shirt)
    pen.rectangle((cx - width * 0.09, height * 0.5, cx + width * 0.09, height * 0.7), fill=skin)
    pen.ellipse((cx - width * 0.23, height * 0.1, cx + width * 0.23, height * 0.48), fill=hair)
    pen.ellipse((cx - width * 0.2, height * 0.16, cx + width * 0.2, height * 0.6), fill=skin)
    if rng.random() < 0.5:  # hijab or cap
        pen.pieslice(
            (cx - width * 0.25, height * 0.08, cx + width * 0.25, height * 0.5),
            180,
            360,
            fill=rng.choice([(30, 30, 30), (200, 200, 210), (90, 40, 60)]),
        )
    eye_y = height * 0.34
    for dx in (-0.08, 0.08):
        pen.ellipse(
            (cx + width * (dx - 0.025), eye_y, cx + width * (dx + 0.025), eye_y + height * 0.02),
            fill=(30, 25, 20),
        )
    pen.line(
        (cx - width * 0.06, height * 0.5, cx + width * 0.06, height * 0.5),
        fill=(150, 80, 70),
        width=2,
    )
    return photo


def signature(
    draw: ImageDraw.ImageDraw,
    box: tuple[float, float, float, float],
    rng: random.Random,
    colour: Colour = (30, 30, 60),
    loops: bool = False,
) -> None:
    """A scribble across ``box``: a sum of waves, with (``loops``) cursive loops and a flourish."""
    left, top, right, bottom = box
    waves = [(rng.uniform(6, 16), rng.uniform(0, math.tau), rng.uniform(0.2, 1)) for _ in range(3)]
    total = sum(weight for _, _, weight in waves)
    points = []
    for i in range(120):
        t = i / 119
        x = left + (right - left) * t
        wave = sum(w * math.sin(t * f + p) for f, p, w in waves) / total
        y = (top + bottom) / 2 + (bottom - top) / 2.2 * wave
        if loops:
            x += (right - left) * 0.035 * math.cos(t * waves[0][0] * 2.3)
        points.append((x, y))
    draw.line(points, fill=colour, width=2, joint="curve")
    if loops:
        y = bottom - (bottom - top) * rng.uniform(0.05, 0.3)
        draw.line(
            (left + (right - left) * 0.2, y, right, y - (bottom - top) * 0.2), fill=colour, width=2
        )


# The segments of a seven-segment display: a, the top, clockwise to f, and g across the middle.
SEGMENTS = dict(
    zip(
        "0123456789",
        ("abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"),
        strict=True,
    )
)


def draw_segments(
    draw: ImageDraw.ImageDraw,
    number: str,
    xy: tuple[int, int],
    height: int,
    fill: int | Colour,
    stroke: int,
) -> tuple[int, int, int, int]:
    """``number`` drawn as a seven-segment display draws it (digits half as wide as tall, a
    quarter of a digit apart), its top left at ``xy``: the box its segments cover."""
    left, top = xy
    width = height // 2
    pitch = width + width // 2
    middle = top + height // 2
    for index, digit in enumerate(number):
        x = left + index * pitch
        ends = {
            "a": ((x, top), (x + width, top)),
            "b": ((x + width, top), (x + width, middle)),
            "c": ((x + width, middle), (x + width, top + height)),
            "d": ((x, top + height), (x + width, top + height)),
            "e": ((x, middle), (x, top + height)),
            "f": ((x, top), (x, middle)),
            "g": ((x, middle), (x + width, middle)),
        }
        for segment in SEGMENTS[digit]:
            (x0, y0), (x1, y1) = ends[segment]
            draw.line((x0, y0, x1, y1), fill=fill, width=stroke)
    span = len(number) * pitch - width // 2
    return (left - stroke, top - stroke, span + 2 * stroke, height + 2 * stroke)
