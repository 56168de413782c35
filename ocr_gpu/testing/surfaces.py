"""What a card lies on in a photo: desks, paper, fabric, wood, stone (RGB uint8 arrays).

More than half of the surfaces are light and plain (a white desk, a sheet of paper, light cloth,
a light blue cover close to the KTP's own colour): the cases where a card's outline is faint.
"""

from __future__ import annotations

import random

import cv2
import numpy as np

LIGHT = ("white-desk", "paper", "light-fabric", "similar")
DARK = ("wood", "dark-fabric", "stone")
KINDS = LIGHT + DARK


def pick(rng: random.Random) -> str:
    """A surface kind; light, plain ones a little more often than not."""
    return rng.choice(LIGHT) if rng.random() < 0.55 else rng.choice(DARK)


def _smooth_noise(
    generator: np.random.Generator, shape: tuple[int, int], cells: tuple[int, int], sigma: float
) -> np.ndarray:
    """Low-frequency noise: a coarse random grid upsampled to ``shape`` (float32)."""
    coarse = generator.normal(0, sigma, (max(2, cells[0]), max(2, cells[1]))).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)


def _tinted(shape: tuple[int, int], rgb: tuple[float, float, float]) -> np.ndarray:
    return np.broadcast_to(np.array(rgb, np.float32), (*shape, 3)).copy()


def surface(kind: str, shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A ``shape`` (height, width) image of the surface ``kind``."""
    height, width = shape
    generator = np.random.default_rng(rng.getrandbits(32))
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "white-desk":
        level = rng.uniform(214, 246)
        base = _tinted(shape, (level, level - rng.uniform(0, 4), level - rng.uniform(0, 8)))
        base += _smooth_noise(generator, shape, (3, 4), 4)[..., None]
        base += generator.normal(0, 1.5, (height, width, 1)).astype(np.float32)
    elif kind == "paper":
        level = rng.uniform(228, 250)
        base = _tinted(shape, (level, level - rng.uniform(1, 5), level - rng.uniform(3, 12)))
        fibres = _smooth_noise(generator, shape, (height // 6, width // 40), 3)
        base += fibres[..., None] + generator.normal(0, 2, (height, width, 1)).astype(np.float32)
        if rng.random() < 0.35:  # ruled sheet: faint blue lines
            pitch = height / rng.uniform(18, 30)
            lines = (np.mod(ys + rng.uniform(0, pitch), pitch) < max(1.5, pitch * 0.05))[..., None]
            base = np.where(lines, base * np.array([0.85, 0.9, 0.98], np.float32), base)
    elif kind == "light-fabric":
        colour = rng.choice([(224, 214, 196), (210, 210, 214), (200, 214, 226), (232, 222, 222)])
        base = _tinted(shape, colour)
        period = max(3.0, width / rng.uniform(260, 420))
        weave = np.sin(xs * np.pi / period) * np.sin(ys * np.pi / period)
        base += (rng.uniform(4, 9) * weave)[..., None]
        base += _smooth_noise(generator, shape, (5, 7), 9)[..., None]  # folds
    elif kind == "similar":  # a light blue folder or cloth: the KTP's own tone
        colour = rng.choice([(190, 214, 234), (204, 222, 238), (214, 228, 236)])
        base = _tinted(shape, colour) + _smooth_noise(generator, shape, (4, 5), 5)[..., None]
        base += generator.normal(0, 2, (height, width, 1)).astype(np.float32)
    elif kind == "wood":
        colour = rng.choice([(120, 80, 50), (150, 105, 70), (90, 60, 40), (170, 130, 90)])
        grain = _smooth_noise(generator, shape, (height // 5, 3), 16)
        wave = np.sin(ys / height * rng.uniform(20, 50) + grain / 6)
        base = _tinted(shape, colour) + (grain + 8 * wave)[..., None]
    elif kind == "dark-fabric":
        colour = rng.choice([(40, 44, 52), (30, 45, 70), (60, 60, 60), (70, 40, 40)])
        period = max(2.5, width / rng.uniform(300, 500))
        weave = np.sin(xs * np.pi / period) + np.sin(ys * np.pi / period)
        base = _tinted(shape, colour) + (3 * weave)[..., None]
        base += _smooth_noise(generator, shape, (5, 6), 7)[..., None]
    elif kind == "stone":
        level = rng.uniform(90, 170)
        base = _tinted(shape, (level, level, level - 6))
        speckle = cv2.GaussianBlur(generator.normal(0, 30, shape).astype(np.float32), (0, 0), 1.2)
        base += speckle[..., None] + _smooth_noise(generator, shape, (6, 8), 10)[..., None]
    else:
        raise ValueError(f"unknown surface {kind!r}")
    return np.clip(base, 0, 255).astype(np.uint8)
