"""NPWP cards in four designs, on a 1012 x 638 base card.

``a`` is the canonical drawing (``NPWP`` title, the bare number under a rule, bold name);
``b`` the Directorate General of Taxes card with a dark blue header band
(``KEMENTERIAN KEUANGAN REPUBLIK INDONESIA`` / ``DIREKTORAT JENDERAL PAJAK``) and
``NPWP : <number>`` on the label line; ``c`` the older ``DEPARTEMEN KEUANGAN`` card with the
number under its label, the name in plain weight, the address broken after its RT/RW and, on
some cards, the date of registration (its month by name) at the right end of the KPP line; ``d``
a one-line centred ``DIREKTORAT JENDERAL PAJAK`` header over a thin rule, the logo at the right,
``NPWP : <number>`` on the label line and the date of registration at the foot.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw

from ocr_gpu.testing.drawing import (
    BASE_SIZE,
    Colour,
    Part,
    Row,
    Style,
    ddmmyyyy,
    draw_rows,
    emblem,
    gradient,
    guilloche,
    shade,
    text_width,
    wrap,
)

MONTHS = (
    "JANUARI", "FEBRUARI", "MARET", "APRIL", "MEI", "JUNI",
    "JULI", "AGUSTUS", "SEPTEMBER", "OKTOBER", "NOVEMBER", "DESEMBER",
)  # fmt: skip

WHITE: Colour = (250, 250, 252)


def format_npwp(number: str) -> str:
    """The number as a card prints it: ``XX.XXX.XXX.X-XXX.XXX`` for 15 digits; other lengths
    unchanged."""
    if len(number) != 15:
        return number
    n = number
    return f"{n[0:2]}.{n[2:5]}.{n[5:8]}.{n[8]}-{n[9:12]}.{n[12:15]}"


@dataclass(frozen=True)
class NpwpSpec:
    headers: tuple[tuple[str, int, int, int], ...]  # text, x, y, size
    header_anchor: str
    header_on_band: bool
    number_label: str  # "none" | "line" (NPWP : number) | "above" (label, number under it)
    label_y: int
    number_y: int
    number_x: int
    number_size: int
    name_y: int
    name_size: int
    name_pitch: int
    line_size: int
    line_pitch: int
    address_size: int
    address_pitch: int
    address_width: int
    left: int
    date_y: int | None  # fixed position of the registration date, or under the KPP


SPECS = {
    "a": NpwpSpec(
        headers=(("NPWP", 160, 22, 50), ("DIREKTORAT JENDERAL PAJAK", 160, 86, 24)),
        header_anchor="la", header_on_band=False, number_label="none", label_y=165,
        number_y=165, number_x=40, number_size=40, name_y=245, name_size=28, name_pitch=38,
        line_size=24, line_pitch=38, address_size=24, address_pitch=33, address_width=900,
        left=40, date_y=None,
    ),
    "b": NpwpSpec(
        headers=(
            ("KEMENTERIAN KEUANGAN REPUBLIK INDONESIA", 142, 24, 22),
            ("DIREKTORAT JENDERAL PAJAK", 142, 58, 32),
        ),
        header_anchor="la", header_on_band=True, number_label="line", label_y=160,
        number_y=156, number_x=178, number_size=38, name_y=222, name_size=29, name_pitch=40,
        line_size=23, line_pitch=38, address_size=22, address_pitch=30, address_width=700,
        left=40, date_y=566,
    ),
    "c": NpwpSpec(
        headers=(
            ("DEPARTEMEN KEUANGAN REPUBLIK INDONESIA", 560, 22, 22),
            ("DIREKTORAT JENDERAL PAJAK", 560, 54, 27),
        ),
        header_anchor="ma", header_on_band=False, number_label="above", label_y=124,
        number_y=162, number_x=60, number_size=42, name_y=236, name_size=28, name_pitch=40,
        line_size=24, line_pitch=36, address_size=24, address_pitch=31, address_width=860,
        left=60, date_y=None,
    ),
    "d": NpwpSpec(
        headers=(("DIREKTORAT JENDERAL PAJAK", 506, 30, 30),),
        header_anchor="ma", header_on_band=False, number_label="line", label_y=128,
        number_y=124, number_x=170, number_size=36, name_y=190, name_size=27, name_pitch=36,
        line_size=22, line_pitch=34, address_size=22, address_pitch=29, address_width=760,
        left=48, date_y=574,
    ),
}  # fmt: skip

# Per family: card top / bottom colours, guilloche colour and kind, header band or ink colour.
PALETTES: dict[str, list[tuple[Colour, Colour, Colour, str, Colour]]] = {
    "a": [((246, 246, 240), (226, 228, 222), (232, 228, 210), "waves", (20, 60, 130))],
    "b": [
        ((244, 247, 250), (222, 232, 242), (214, 226, 238), "mesh", (16, 46, 104)),
        ((250, 250, 250), (232, 236, 240), (222, 228, 236), "rosette", (10, 36, 90)),
    ],
    "c": [
        ((248, 245, 228), (236, 232, 206), (214, 226, 196), "rosette", (20, 50, 110)),
        ((244, 244, 232), (228, 232, 214), (206, 222, 200), "waves", (30, 60, 120)),
    ],
    "d": [
        ((240, 246, 248), (216, 230, 236), (204, 222, 230), "waves", (12, 52, 112)),
        ((248, 248, 244), (230, 234, 236), (216, 226, 232), "mesh", (24, 44, 96)),
    ],
}


def long_date(iso: str) -> str:
    """``2021-03-13`` as the older card prints it: ``13 MARET 2021`` (no leading zero)."""
    return f"{int(iso[8:10])} {MONTHS[int(iso[5:7]) - 1]} {iso[0:4]}"


def address_lines(
    alamat: str, face: str, spec: NpwpSpec, break_after_rt: bool
) -> tuple[list[str], int]:
    """The address over one to three lines and its type size (smaller when it is long).

    With ``break_after_rt`` the first line ends after ``RT nnn/nnn`` where that still fits in
    three lines. Joined with single spaces, the lines give ``alamat`` back.
    """
    match = re.search(r"\bRT \d{3}/\d{3}\b", alamat) if break_after_rt else None
    chunks = [alamat]
    if match and match.end() < len(alamat):
        chunks = [alamat[: match.end()], alamat[match.end() :].strip()]
    for size in range(spec.address_size, 15, -1):
        for attempt in (chunks, [alamat]):
            lines = [
                piece for chunk in attempt for piece in wrap(chunk, face, size, spec.address_width)
            ]
            if len(lines) <= 3:
                return lines, size
    return lines, 16


def npwp_rows(fields: dict[str, str], style: Style | None = None) -> list[Row]:
    """The printed lines of an NPWP card in reading order."""
    style = style or Style()
    spec = SPECS[style.family]
    faces = style.fonts
    rows: list[Row] = []
    hx, hy = style.shift("header")
    fill = WHITE if spec.header_on_band else None
    for index, (text, x, y, size) in enumerate(spec.headers):
        face = faces.bold if style.family == "a" or index == 1 else faces.header
        part = Part(x + hx, text, face, size, spec.header_anchor, fill=fill)
        rows.append(Row(text, "header", y + hy, (part,)))

    nx, ny = style.shift("number")
    number = format_npwp(fields["npwp"])
    mono = Part(spec.number_x + nx, number, faces.mono, spec.number_size, stroke=faces.mono_stroke)
    label = Part(spec.left + nx, "NPWP", faces.bold, round(spec.number_size * 0.8))
    if spec.number_label == "line":
        colon = Part(spec.number_x - 30 + nx, ":", faces.bold, label.size)
        rows.append(Row(f"NPWP : {number}", "npwp", spec.number_y + ny, (label, colon, mono)))
    elif spec.number_label == "above":
        title = "NPWP :" if "label-colon" in style.options else "NPWP"
        label = Part(label.x, title, label.font, round(spec.number_size * 0.62))
        rows.append(Row(title, "npwp", spec.label_y + ny, (label,)))
        rows.append(Row(number, "npwp", spec.number_y + ny, (mono,)))
    else:
        rows.append(Row(number, "npwp", spec.number_y + ny, (mono,)))

    bx, by = style.shift("body")
    left = spec.left + bx
    y = spec.name_y + by
    plain = "name-plain" in style.options or (
        style.family == "c" and "name-bold" not in style.options
    )
    name_face = faces.text if plain else faces.bold
    for piece in wrap(fields["nama"], name_face, spec.name_size, 900 - (left - 40)):
        rows.append(Row(piece, "body", y, (Part(left, piece, name_face, spec.name_size),)))
        y += spec.name_pitch
    nik = f"NIK : {fields['nik']}"
    rows.append(Row(nik, "body", y, (Part(left, nik, faces.text, spec.line_size),)))
    y += spec.line_pitch
    lines, size = address_lines(fields["alamat"], faces.text, spec, style.family == "c")
    for piece in lines:
        rows.append(Row(piece, "body", y, (Part(left, piece, faces.text, size),)))
        y += spec.address_pitch
    y += 8
    kpp = Part(left, fields["kpp"], faces.text, spec.line_size)
    if "date-kpp" in style.options:
        # the older card: the date, its month by name, at the right end of the KPP line
        registered = f"Tanggal Terdaftar : {long_date(fields['tanggal_terdaftar'])}"
        size = spec.line_size - 2
        right = BASE_SIZE[0] - spec.left
        room = right - left - text_width(kpp.text, kpp.font, kpp.size) - 24
        if text_width(registered, faces.text, size) <= room:
            date = Part(right, registered, faces.text, size, anchor="ra", dy=2)
            rows.append(Row(f"{kpp.text} {registered}", "body", y, (kpp, date)))
            return rows
    rows.append(Row(kpp.text, "body", y, (kpp,)))

    separator = "/" if "date-slash" in style.options else "-"
    title = "Tanggal Terdaftar" if "date-long" in style.options else "Terdaftar"
    registered = f"{title} : {ddmmyyyy(fields['tanggal_terdaftar'], separator)}"
    fx, fy = style.shift("foot")
    date_y = spec.date_y + fy if spec.date_y is not None else y + 36
    part = Part(spec.left + fx, registered, faces.text, spec.line_size - (2 if spec.date_y else 0))
    rows.append(Row(registered, "body", date_y, (part,)))
    return rows


def _logo(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], ring: Colour) -> None:
    left, top, right, bottom = box
    inset = (right - left) * 0.25
    draw.ellipse(box, fill=(235, 190, 40))
    draw.ellipse((left + inset, top + inset, right - inset, bottom - inset), fill=ring)


def draw_npwp(
    fields: dict[str, str], size: tuple[int, int], rng: random.Random, style: Style
) -> Image.Image:
    """Draw a (non-canonical) NPWP card of ``style`` at ``size``."""
    scale = size[0] / BASE_SIZE[0]
    palettes = PALETTES[style.family]
    top, bottom, line, kind, brand = palettes[style.palette % len(palettes)]
    image = gradient(size, top, bottom, 1.5708)
    guilloche(image, line, rng, kind, scale)
    draw = ImageDraw.Draw(image)
    width = size[0]
    hx, hy = style.shift("header")
    if style.family == "b":
        band = round((124 + hy) * scale)
        draw.rectangle((0, 0, width, band), fill=brand)
        draw.rectangle((0, band, width, band + round(5 * scale)), fill=(235, 190, 40))
        _logo(
            draw,
            ((26 + hx) * scale, (14 + hy) * scale, (120 + hx) * scale, (108 + hy) * scale),
            brand,
        )
        emblem(image, (width * 0.8, size[1] * 0.62), size[1] * 0.28, shade(bottom, -6))
    elif style.family == "c":
        _logo(
            draw,
            ((40 + hx) * scale, (16 + hy) * scale, (112 + hx) * scale, (88 + hy) * scale),
            brand,
        )
        for y in (102, 108):
            draw.line(
                (30 * scale, (y + hy) * scale, width - 30 * scale, (y + hy) * scale),
                fill=brand,
                width=max(1, round(2 * scale)),
            )
        emblem(image, (width * 0.5, size[1] * 0.62), size[1] * 0.3, shade(bottom, -7))
    elif style.family == "d":
        # the logo at the right, a thin rule under the centred header
        _logo(
            draw,
            ((880 + hx) * scale, (14 + hy) * scale, (960 + hx) * scale, (94 + hy) * scale),
            brand,
        )
        draw.rectangle(
            (40 * scale, (80 + hy) * scale, width - 150 * scale, (83 + hy) * scale), fill=brand
        )
        emblem(image, (width * 0.78, size[1] * 0.58), size[1] * 0.26, shade(bottom, -6))
    else:
        _logo(
            draw,
            ((35 + hx) * scale, (25 + hy) * scale, (135 + hx) * scale, (125 + hy) * scale),
            brand,
        )
        draw.rectangle((0, (140 + hy) * scale, width, (146 + hy) * scale), fill=brand)
    rows = npwp_rows(fields, style)
    header = [r for r in rows if r.region == "header"]
    draw_rows(image, header, scale, brand if style.family == "c" else style.ink)
    draw_rows(image, [r for r in rows if r.region != "header"], scale, style.ink)
    return image
