"""KTP-el front side in four layout families, on a 1012 x 638 base card.

``a`` is the canonical drawing (centred header, colon in its own column, NIK high on the card);
``b`` sets the NIK lower with the label colons attached to the labels and a tighter row pitch;
``c`` sets the NIK just under a two-size header, prints no colons in the body, uses small labels
and a wide pitch; ``d`` sets the NIK low under a large two-size header, with a colon column, a
tight pitch and a bigger place and date of issue. Within a family each block (header, NIK, body,
photo, issue, signature) moves independently by a few pixels, and faces come from the family's
own font sets. Option ``issue-top`` (some cards of ``b``) prints the place and date of issue
above the photo instead of under it, level with the NIK.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

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
    portrait,
    shade,
    signature,
    text_width,
    wrap,
)


@dataclass(frozen=True)
class KtpSpec:
    header_x: int
    header_y: tuple[int, int]
    header_size: tuple[int, int]
    nik_y: int
    nik_label: tuple[int, int]  # x, size
    nik_colon: str  # "column" | "attached" | "none"
    nik_colon_x: int
    nik_x: int
    nik_size: int
    colon: str  # body colons: "column" | "attached" | "none"
    body_top: int
    pitch: int
    label_x: int
    label_size: int
    colon_x: int
    value_x: int
    value_size: int
    value_max_x: int
    name_max_x: int
    gol: tuple[int, int, int]  # label x, colon x, value x
    photo: tuple[int, int, int, int]
    issue_x: int  # centre of the issue place and date
    issue_y: tuple[int, int]
    issue_size: int
    signature: tuple[int, int, int, int]


SPECS = {
    "a": KtpSpec(
        header_x=506, header_y=(16, 50), header_size=(27, 27),
        nik_y=94, nik_label=(30, 32), nik_colon="column", nik_colon_x=202, nik_x=236, nik_size=36,
        colon="column", body_top=150, pitch=30, label_x=30, label_size=22, colon_x=222,
        value_x=236, value_size=22, value_max_x=715, name_max_x=715, gol=(475, 590, 604),
        photo=(745, 125, 955, 390), issue_x=850, issue_y=(402, 430), issue_size=20,
        signature=(775, 470, 925, 530),
    ),
    "b": KtpSpec(
        header_x=430, header_y=(22, 56), header_size=(26, 26),
        nik_y=124, nik_label=(40, 30), nik_colon="column", nik_colon_x=184, nik_x=206, nik_size=40,
        colon="attached", body_top=186, pitch=27, label_x=40, label_size=20, colon_x=0,
        value_x=236, value_size=21, value_max_x=735, name_max_x=655, gol=(480, 0, 598),
        photo=(772, 158, 952, 392), issue_x=862, issue_y=(404, 428), issue_size=18,
        signature=(792, 458, 932, 512),
    ),
    "c": KtpSpec(
        header_x=506, header_y=(5, 31), header_size=(21, 26),
        nik_y=72, nik_label=(24, 34), nik_colon="none", nik_colon_x=0, nik_x=176, nik_size=38,
        colon="none", body_top=132, pitch=32, label_x=24, label_size=18, colon_x=0,
        value_x=206, value_size=22, value_max_x=705, name_max_x=575, gol=(488, 0, 606),
        photo=(728, 98, 932, 348), issue_x=830, issue_y=(362, 388), issue_size=19,
        signature=(760, 418, 905, 478),
    ),
    "d": KtpSpec(
        header_x=506, header_y=(18, 54), header_size=(25, 31),
        nik_y=150, nik_label=(36, 30), nik_colon="column", nik_colon_x=150, nik_x=172, nik_size=34,
        colon="column", body_top=204, pitch=27, label_x=36, label_size=19, colon_x=212,
        value_x=226, value_size=20, value_max_x=690, name_max_x=610, gol=(470, 575, 589),
        photo=(738, 150, 948, 400), issue_x=843, issue_y=(412, 438), issue_size=21,
        signature=(772, 470, 912, 528),
    ),
}  # fmt: skip

# Per family: (top colour, bottom colour, guilloche colour, gradient angle, guilloche kind).
PALETTES: dict[str, list[tuple[Colour, Colour, Colour, float, str]]] = {
    "a": [
        ((206, 228, 242), (178, 210, 236), (190, 214, 236), 1.5708, "waves"),
        ((214, 232, 244), (184, 214, 238), (196, 220, 240), 1.4, "waves"),
    ],
    "b": [
        ((222, 238, 246), (190, 222, 240), (176, 210, 232), 0.3, "rosette"),
        ((208, 230, 240), (226, 240, 246), (186, 214, 234), 2.2, "rosette"),
    ],
    "c": [
        ((196, 222, 240), (214, 234, 236), (182, 212, 232), 0.0, "mesh"),
        ((204, 226, 246), (188, 216, 230), (176, 206, 228), 0.8, "mesh"),
    ],
    "d": [
        ((218, 236, 238), (186, 216, 232), (170, 204, 224), 1.1, "waves"),
        ((226, 238, 248), (200, 222, 238), (184, 212, 230), 2.6, "rosette"),
    ],
}
HEADER_INK = {"a": (20, 20, 28), "b": (12, 12, 16), "c": (22, 30, 70), "d": (28, 24, 20)}


def _labelled(
    spec: KtpSpec, style: Style, label: str, value: str, x: tuple[int, int, int]
) -> tuple[str, list[Part]]:
    """Text and parts of ``label : value`` in the family's colon style; ``x`` = label, colon, value.

    A label smaller than its value sits on the value's baseline.
    """
    face, size = style.fonts.text, spec.label_size
    dy = round((spec.value_size - size) * 0.8)
    if spec.colon == "column":
        parts = [Part(x[0], label, face, size, dy=dy), Part(x[1], ":", face, size, dy=dy)]
        text = f"{label} : {value}"
    elif spec.colon == "attached":
        parts = [Part(x[0], f"{label}:", face, size, dy=dy)]
        text = f"{label}: {value}"
    else:
        parts = [Part(x[0], label, face, size, dy=dy)]
        text = f"{label} {value}"
    return text, parts


def _moved(parts: list[Part], dx: int) -> tuple[Part, ...]:
    if not dx:
        return tuple(parts)
    return tuple(replace(p, x=p.x + dx) for p in parts)


LABELS = (
    "Nama", "Tempat/Tgl Lahir", "Jenis Kelamin", "Alamat", "RT/RW", "Kel/Desa", "Kecamatan",
    "Agama", "Status Perkawinan", "Pekerjaan", "Kewarganegaraan", "Berlaku Hingga",
)  # fmt: skip


def fitted(spec: KtpSpec, style: Style) -> KtpSpec:
    """The family's columns, pushed right where this card's faces make a label run into them.

    The canonical card keeps its fixed columns (where ``Status Perkawinan`` touches its colon).
    """
    if style.canonical:
        return spec
    face, size = style.fonts.text, spec.label_size
    suffix = ":" if spec.colon == "attached" else ""
    widest = max(text_width(label + suffix, face, size) for label in LABELS)
    colon_x = max(spec.colon_x, round(spec.label_x + widest + 8))
    value_x = max(
        spec.value_x,
        (colon_x + 14) if spec.colon == "column" else round(spec.label_x + widest + 16),
    )
    gol = text_width("Gol. Darah" + suffix, face, size)
    gol_colon = max(spec.gol[1], round(spec.gol[0] + gol + 6))
    gol_value = max(
        spec.gol[2], (gol_colon + 14) if spec.colon == "column" else round(spec.gol[0] + gol + 14)
    )
    nik_label = text_width("NIK", style.fonts.bold, spec.nik_label[1])
    nik_colon_x = max(spec.nik_colon_x, round(spec.nik_label[0] + nik_label + 10))
    nik_x = max(spec.nik_x, nik_colon_x + 20)
    return replace(
        spec,
        colon_x=colon_x,
        value_x=value_x,
        gol=(spec.gol[0], gol_colon, gol_value),
        nik_colon_x=nik_colon_x,
        nik_x=nik_x,
    )


# Base pixels between the date of issue and the photo's top on a card printing them above it.
ISSUE_TOP_GAP = 12


def ktp_header(fields: dict[str, str]) -> tuple[str, str]:
    return f"PROVINSI {fields['provinsi']}", fields["kabupaten_kota"]


def ktp_rows(fields: dict[str, str], style: Style | None = None) -> list[Row]:
    """The printed lines of a KTP front in reading order (issue place and date last)."""
    style = style or Style()
    spec = fitted(SPECS[style.family], style)
    faces = style.fonts
    text_face = faces.text
    rows: list[Row] = []
    hx, hy = style.shift("header")
    for line, y, size in zip(ktp_header(fields), spec.header_y, spec.header_size, strict=True):
        part = Part(spec.header_x + hx, line, faces.header, size, "ma")
        rows.append(Row(line, "header", max(3, y + hy), (part,)))  # never off the card

    nx, ny = style.shift("nik")
    bold, mono = faces.bold, faces.mono
    label_x, label_size = spec.nik_label
    nik_parts = [Part(label_x, "NIK", bold, label_size)]
    if spec.nik_colon == "column":
        nik_parts.append(Part(spec.nik_colon_x, ":", bold, label_size))
        nik_text = f"NIK : {fields['nik']}"
    elif spec.nik_colon == "attached":
        nik_parts[0] = Part(label_x, "NIK:", bold, label_size)
        nik_text = f"NIK: {fields['nik']}"
    else:
        nik_text = f"NIK {fields['nik']}"
    nik_parts.append(Part(spec.nik_x, fields["nik"], mono, spec.nik_size, stroke=faces.mono_stroke))
    rows.append(Row(nik_text, "nik", spec.nik_y + ny, _moved(nik_parts, nx)))

    birth = f"{fields['tempat_lahir']}, {ddmmyyyy(fields['tanggal_lahir'])}"
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
        ("Berlaku Hingga", ddmmyyyy(fields["berlaku_hingga"])),
    ]
    bx, by = style.shift("body")
    gx, _ = style.shift("gol")  # same row as Jenis Kelamin: moves sideways only
    size = spec.value_size
    y = spec.body_top + by
    for label, value in body:
        max_x = spec.name_max_x if label == "Nama" else spec.value_max_x
        room = max_x - spec.value_x
        squeeze = 1.0
        if "squeeze" in style.options and label != "Nama":
            squeeze = max(0.72, min(1.0, room / max(1.0, text_width(value, text_face, size))))
        pieces = wrap(value, text_face, size, round(room / squeeze))
        text, parts = _labelled(
            spec, style, label, pieces[0], (spec.label_x, spec.colon_x, spec.value_x)
        )
        parts.append(Part(spec.value_x, pieces[0], text_face, size, squeeze=squeeze))
        parts = list(_moved(parts, bx))
        if label == "Jenis Kelamin":
            gol_text, gol_parts = _labelled(
                spec, style, "Gol. Darah", fields["golongan_darah"], spec.gol
            )
            gol_parts.append(Part(spec.gol[2], fields["golongan_darah"], text_face, size))
            parts += _moved(gol_parts, gx + bx)
            text += f" {gol_text}"
        rows.append(Row(text, "body", y, tuple(parts)))
        y += spec.pitch
        for piece in pieces[1:]:
            part = Part(spec.value_x + bx, piece, text_face, size, squeeze=squeeze)
            rows.append(Row(piece, "body", y, (part,)))
            y += spec.pitch

    ix, iy = style.shift("issue")
    issue_y = spec.issue_y
    if "issue-top" in style.options:  # above the photo, level with the header's foot and the NIK
        _, py = style.shift("photo")
        step = spec.issue_y[1] - spec.issue_y[0]
        first = spec.photo[1] + py - step - spec.issue_size - ISSUE_TOP_GAP
        issue_y, iy = (first, first + step), 0
    issued = ddmmyyyy(fields["tanggal_diterbitkan"])
    for text, y in zip((fields["tempat_diterbitkan"], issued), issue_y, strict=True):
        part = Part(spec.issue_x + ix, text, text_face, spec.issue_size, "ma")
        rows.append(Row(text, "issue", y + iy, (part,)))
    return rows


def draw_ktp(
    fields: dict[str, str], size: tuple[int, int], rng: random.Random, style: Style
) -> Image.Image:
    """Draw a (non-canonical) KTP front of ``style`` at ``size``."""
    spec = SPECS[style.family]
    scale = size[0] / BASE_SIZE[0]
    top, bottom, line, angle, kind = PALETTES[style.family][style.palette]
    image = gradient(size, top, bottom, angle)
    guilloche(image, line, rng, kind, scale)
    emblem(image, (size[0] * 0.42, size[1] * 0.6), size[1] * 0.26, shade(bottom, -7))

    px, py = style.shift("photo")
    left, top_, right, bottom_ = (
        round((v + (px if i % 2 == 0 else py)) * scale) for i, v in enumerate(spec.photo)
    )
    backdrop = rng.choice([(196, 40, 44), (40, 84, 172), (30, 70, 160)])
    image.paste(portrait((right - left, bottom_ - top_), backdrop, rng), (left, top_))

    sx, sy = style.shift("signature")
    sl, st, sr, sb = spec.signature
    signature(
        ImageDraw.Draw(image),
        ((sl + sx) * scale, (st + sy) * scale, (sr + sx) * scale, (sb + sy) * scale),
        rng,
        loops=style.family != "a",
    )
    rows = ktp_rows(fields, style)
    header = [r for r in rows if r.region == "header"]
    rest = [r for r in rows if r.region != "header"]
    draw_rows(image, header, scale, HEADER_INK[style.family])
    draw_rows(image, rest, scale, style.ink)
    return image
