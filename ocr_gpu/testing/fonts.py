"""Fonts of the card generator: a catalogue of Debian font files and a choice per family.

Every font named here comes from a Debian package that ``scripts/install-system-deps.sh``
installs (``fonts-dejavu-core`` is required, the others are optional). A family draws its fonts
from its own sets, so a family held out of tuning also brings faces the code never saw. When a
chosen file is missing, the next one of the same role is used, ending at DejaVu, which is always
present: a machine without the optional packages still renders every family.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

FONT_ROOT = Path("/usr/share/fonts")

# name -> path under FONT_ROOT (Debian package in the comment)
CATALOGUE: dict[str, str] = {
    # fonts-dejavu-core (required)
    "dejavu-sans": "truetype/dejavu/DejaVuSans.ttf",
    "dejavu-sans-bold": "truetype/dejavu/DejaVuSans-Bold.ttf",
    "dejavu-mono-bold": "truetype/dejavu/DejaVuSansMono-Bold.ttf",
    # fonts-croscore (Arimo = Arial metrics, Cousine = Courier New metrics)
    "arimo": "truetype/croscore/Arimo-Regular.ttf",
    "arimo-bold": "truetype/croscore/Arimo-Bold.ttf",
    "cousine-bold": "truetype/croscore/Cousine-Bold.ttf",
    # fonts-freefont-ttf
    "freesans": "truetype/freefont/FreeSans.ttf",
    "freesans-bold": "truetype/freefont/FreeSansBold.ttf",
    "freemono-bold": "truetype/freefont/FreeMonoBold.ttf",
    # fonts-ocr-b (OCR-B, the face of machine-readable numbers; one weight, thickened on cards)
    "ocr-b": "opentype/ocr-b/OCRB.otf",
    # fonts-open-sans
    "opensans": "truetype/open-sans/OpenSans-Regular.ttf",
    "opensans-semibold": "truetype/open-sans/OpenSans-Semibold.ttf",
    "opensans-bold": "truetype/open-sans/OpenSans-Bold.ttf",
    "opensans-condbold": "truetype/open-sans/OpenSans-CondBold.ttf",
    # fonts-crosextra-carlito (Calibri metrics, a narrow sans)
    "carlito": "truetype/crosextra/Carlito-Regular.ttf",
    "carlito-bold": "truetype/crosextra/Carlito-Bold.ttf",
    # fonts-b612
    "b612": "opentype/b612/B612-Regular.otf",
    "b612-bold": "opentype/b612/B612-Bold.otf",
    "b612-mono-bold": "opentype/b612/B612Mono-Bold.otf",
    # fonts-noto-mono
    "noto-sans-mono-bold": "truetype/noto/NotoSansMono-Bold.ttf",
    # fonts-lato
    "lato": "truetype/lato/Lato-Regular.ttf",
    "lato-bold": "truetype/lato/Lato-Bold.ttf",
    "lato-black": "truetype/lato/Lato-Black.ttf",
    # fonts-roboto-unhinted (Roboto and its condensed cut)
    "roboto": "truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
    "roboto-bold": "truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf",
    "roboto-condensed": "truetype/roboto/unhinted/RobotoCondensed-Regular.ttf",
    "roboto-condensed-bold": "truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
    # fonts-hack, fonts-jetbrains-mono
    "hack-bold": "truetype/hack/Hack-Bold.ttf",
    "jetbrains-mono-bold": "truetype/jetbrains-mono/JetBrainsMono-Bold.ttf",
}

# Last resort per role: the fonts of fonts-dejavu-core.
FALLBACK = {
    "text": "dejavu-sans",
    "bold": "dejavu-sans-bold",
    "header": "dejavu-sans-bold",
    "mono": "dejavu-mono-bold",
}


@dataclass(frozen=True)
class Fonts:
    """The faces of one card, by role, as file paths; ``mono_stroke`` thickens the number."""

    text: str
    bold: str
    header: str
    mono: str
    mono_stroke: float = 0.0  # outline width in base pixels (OCR-B has no bold weight)


def path_of(name: str) -> Path:
    return FONT_ROOT / CATALOGUE[name]


def available(name: str) -> bool:
    return path_of(name).exists()


def _resolve(role: str, names: tuple[str, ...]) -> str:
    for name in names:
        if available(name):
            return str(path_of(name))
    return str(path_of(FALLBACK[role]))


# The canonical card's faces: fixed, so its drawing is the same on every machine.
CANONICAL = Fonts(
    text=str(path_of("dejavu-sans")),
    bold=str(path_of("dejavu-sans-bold")),
    header=str(path_of("dejavu-sans-bold")),
    mono=str(path_of("dejavu-mono-bold")),
)

# Per family: (text, bold) pairs of one typeface, header faces, number faces (name, stroke).
TEXT_FACES: dict[str, list[tuple[str, str]]] = {
    "a": [("dejavu-sans", "dejavu-sans-bold"), ("arimo", "arimo-bold")],
    "b": [("opensans", "opensans-bold"), ("freesans", "freesans-bold")],
    "c": [("carlito", "carlito-bold"), ("b612", "b612-bold")],
    "d": [
        ("lato", "lato-bold"),
        ("roboto", "roboto-bold"),
        ("roboto-condensed", "roboto-condensed-bold"),
    ],
}
HEADER_FACES: dict[str, list[str]] = {
    "a": ["dejavu-sans-bold", "arimo-bold"],
    "b": ["opensans-condbold", "freesans-bold", "opensans-bold"],
    "c": ["carlito-bold", "b612-bold", "freesans-bold"],
    "d": ["roboto-bold", "lato-black", "roboto-condensed-bold"],
}
NUMBER_FACES: dict[str, list[tuple[str, float]]] = {
    "a": [("dejavu-mono-bold", 0.0), ("cousine-bold", 0.0)],
    "b": [("ocr-b", 0.8), ("ocr-b", 0.4), ("freemono-bold", 0.5)],
    "c": [("b612-mono-bold", 0.0), ("noto-sans-mono-bold", 0.0), ("ocr-b", 1.0)],
    "d": [("hack-bold", 0.0), ("jetbrains-mono-bold", 0.0), ("ocr-b", 0.6)],
}


def pick_fonts(family: str, rng: random.Random) -> Fonts:
    """Draw one card's faces from ``family``'s sets (always three draws, whatever is installed)."""
    text, bold = rng.choice(TEXT_FACES[family])
    header = rng.choice(HEADER_FACES[family])
    number, stroke = rng.choice(NUMBER_FACES[family])
    return Fonts(
        text=_resolve("text", (text,)),
        bold=_resolve("bold", (bold,)),
        header=_resolve("header", (header, bold)),
        mono=_resolve("mono", (number,)),
        mono_stroke=stroke if available(number) else 0.0,
    )


LEGACY_KINDS = {"regular": CANONICAL.text, "bold": CANONICAL.bold, "mono": CANONICAL.mono}


@cache
def font(face: str, size: int) -> ImageFont.FreeTypeFont:
    """A loaded face: a file path, or one of the canonical kinds ``regular``/``bold``/``mono``."""
    return ImageFont.truetype(LEGACY_KINDS.get(face, face), size)
