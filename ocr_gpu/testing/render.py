"""Drawing of synthetic KTP / NPWP cards (layout in pixels of a 1012 x 638 card, scaled)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from verification.npwp import format_number as format_npwp

BASE_SIZE = (1012, 638)
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
FONT_FILES = {
    "regular": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    "bold": ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "mono": ("LiberationMono-Bold.ttf", "DejaVuSansMono-Bold.ttf"),
}
KTP_LABEL_X, KTP_COLON_X, KTP_VALUE_X, KTP_VALUE_MAX_X = 30, 222, 236, 715
KTP_BODY_TOP, KTP_ROW_STEP = 150, 30
KTP_PHOTO = (745, 125, 955, 390)  # left, top, right, bottom


@dataclass(frozen=True)
class Part:
    x: int
    text: str
    font: str
    size: int
    anchor: str = "la"  # Pillow text anchor: left/ascender, or "ma" for centred


@dataclass(frozen=True)
class Row:
    """One printed line: its text as read naturally and how to draw it."""

    text: str
    region: str
    y: int
    parts: tuple[Part, ...]


@cache
def font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    for name in FONT_FILES[kind]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size)
    raise FileNotFoundError(f"no font for {kind!r} in {FONT_DIRS}")


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


def _ddmmyyyy(iso: str) -> str:
    if len(iso) == 10 and iso[4] == "-":
        return f"{iso[8:10]}-{iso[5:7]}-{iso[0:4]}"
    return iso


def ktp_rows(fields: dict[str, str]) -> list[Row]:
    rows = [
        Row(
            f"PROVINSI {fields['provinsi']}",
            "header",
            16,
            (Part(506, f"PROVINSI {fields['provinsi']}", "bold", 27, "ma"),),
        ),
        Row(
            fields["kabupaten_kota"],
            "header",
            50,
            (Part(506, fields["kabupaten_kota"], "bold", 27, "ma"),),
        ),
        Row(
            f"NIK : {fields['nik']}",
            "nik",
            94,
            (
                Part(KTP_LABEL_X, "NIK", "bold", 32),
                Part(KTP_COLON_X - 20, ":", "bold", 32),
                Part(KTP_VALUE_X, fields["nik"], "mono", 36),
            ),
        ),
    ]
    birth = f"{fields['tempat_lahir']}, {_ddmmyyyy(fields['tanggal_lahir'])}"
    berlaku = _ddmmyyyy(fields["berlaku_hingga"])
    body = [
        ("Nama", fields["nama"]),
        ("Tempat/Tgl Lahir", birth),
        ("Jenis Kelamin", fields["jenis_kelamin"]),
        ("Alamat", fields["alamat"]),
        ("RT/RW", fields["rt_rw"]),
        ("Kel/Desa", fields["kel_desa"]),
        ("Kecamatan", fields["kecamatan"]),
        ("Agama", fields["agama"]),
        ("Status Perkawinan", fields["status_perkawinan"]),
        ("Pekerjaan", fields["pekerjaan"]),
        ("Kewarganegaraan", fields["kewarganegaraan"]),
        ("Berlaku Hingga", berlaku),
    ]
    y = KTP_BODY_TOP
    for label, value in body:
        pieces = wrap(value, "regular", 22, KTP_VALUE_MAX_X - KTP_VALUE_X)
        parts = [
            Part(KTP_LABEL_X, label, "regular", 22),
            Part(KTP_COLON_X, ":", "regular", 22),
            Part(KTP_VALUE_X, pieces[0], "regular", 22),
        ]
        text = f"{label} : {pieces[0]}"
        if label == "Jenis Kelamin":
            gol = fields["golongan_darah"]
            parts += [
                Part(475, "Gol. Darah", "regular", 22),
                Part(590, ":", "regular", 22),
                Part(604, gol, "regular", 22),
            ]
            text += f" Gol. Darah : {gol}"
        rows.append(Row(text, "body", y, tuple(parts)))
        y += KTP_ROW_STEP
        for piece in pieces[1:]:
            rows.append(Row(piece, "body", y, (Part(KTP_VALUE_X, piece, "regular", 22),)))
            y += KTP_ROW_STEP
    centre = (KTP_PHOTO[0] + KTP_PHOTO[2]) // 2
    issued = _ddmmyyyy(fields["tanggal_diterbitkan"])
    rows.append(
        Row(
            fields["tempat_diterbitkan"],
            "issue",
            402,
            (Part(centre, fields["tempat_diterbitkan"], "regular", 20, "ma"),),
        )
    )
    rows.append(Row(issued, "issue", 430, (Part(centre, issued, "regular", 20, "ma"),)))
    return rows


def npwp_rows(fields: dict[str, str]) -> list[Row]:
    rows = [
        Row("NPWP", "header", 22, (Part(160, "NPWP", "bold", 50),)),
        Row(
            "DIREKTORAT JENDERAL PAJAK",
            "header",
            86,
            (Part(160, "DIREKTORAT JENDERAL PAJAK", "bold", 24),),
        ),
        Row(
            format_npwp(fields["npwp"]),
            "npwp",
            165,
            (Part(40, format_npwp(fields["npwp"]), "mono", 40),),
        ),
    ]
    y = 245
    for piece in wrap(fields["nama"], "bold", 28, 900):
        rows.append(Row(piece, "body", y, (Part(40, piece, "bold", 28),)))
        y += 38
    nik = f"NIK : {fields['nik']}"
    rows.append(Row(nik, "body", y, (Part(40, nik, "regular", 24),)))
    y += 38
    for piece in wrap(fields["alamat"], "regular", 24, 900):
        rows.append(Row(piece, "body", y, (Part(40, piece, "regular", 24),)))
        y += 33
    y += 8
    rows.append(Row(fields["kpp"], "body", y, (Part(40, fields["kpp"], "regular", 24),)))
    registered = f"Terdaftar : {_ddmmyyyy(fields['tanggal_terdaftar'])}"
    rows.append(Row(registered, "body", y + 36, (Part(40, registered, "regular", 24),)))
    return rows


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


def _draw_rows(image: Image.Image, rows: list[Row], scale: float) -> None:
    draw = ImageDraw.Draw(image)
    for row in rows:
        for part in row.parts:
            draw.text(
                (part.x * scale, row.y * scale),
                part.text,
                fill=(20, 20, 28),
                font=font(part.font, max(8, round(part.size * scale))),
                anchor=part.anchor,
            )


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
    fields: dict[str, str], size: tuple[int, int] = BASE_SIZE, rng: random.Random | None = None
) -> Image.Image:
    """Draw a light-blue KTP-el front side; ``rng`` only varies the background and squiggle."""
    rng = rng or random.Random(fields["nik"])
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
    _draw_rows(image, ktp_rows(fields), scale)
    return image


def render_npwp(
    fields: dict[str, str], size: tuple[int, int] = BASE_SIZE, rng: random.Random | None = None
) -> Image.Image:
    """Draw an NPWP card: DJP header, formatted number, name, NIK, address, KPP, date."""
    rng = rng or random.Random(fields["npwp"])
    scale = size[0] / BASE_SIZE[0]
    image = _background(size, (246, 246, 240), (226, 228, 222), (232, 228, 210), rng)
    draw = ImageDraw.Draw(image)
    draw.ellipse((35 * scale, 25 * scale, 135 * scale, 125 * scale), fill=(235, 190, 40))
    draw.ellipse((60 * scale, 50 * scale, 110 * scale, 100 * scale), fill=(20, 60, 130))
    draw.rectangle((0, 140 * scale, size[0], 146 * scale), fill=(20, 60, 130))
    _draw_rows(image, npwp_rows(fields), scale)
    return image
