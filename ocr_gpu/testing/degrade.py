"""Turn a rendered card into a scan (``clean``/``mild``) or a phone photo (``hard``).

The canonical mode (``varied=False``) is the fixed capture the unit tests were written against:
a scanner bed for ``mild``, a photo on a dark table for ``hard``. ``varied=True`` draws from
``capture``: scans and phone photos on light and dark surfaces with perspective, rotation up to
15 degrees, defocus and motion blur, glare, shadow, low light, noise, moire and JPEG loss;
``camera=True`` gives mild and hard photos at a phone camera's size.
"""

from __future__ import annotations

import io
import math
import random
from typing import Literal

import cv2
import numpy as np
from PIL import Image

from ocr_gpu.testing import capture

Level = Literal["clean", "mild", "hard"]
LEVELS: tuple[Level, ...] = ("clean", "mild", "hard")


def _encode_jpeg(bgr: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def _noise(bgr: np.ndarray, sigma: float, rng: random.Random) -> np.ndarray:
    generator = np.random.default_rng(rng.getrandbits(32))
    noisy = bgr.astype(np.float32) + generator.normal(0, sigma, bgr.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _light_gradient(
    shape: tuple[int, ...], low: float, high: float, rng: random.Random
) -> np.ndarray:
    """A smooth multiplicative light field between ``low`` and ``high``."""
    height, width = shape[:2]
    angle = rng.uniform(0, math.tau)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ramp = xs / width * math.cos(angle) + ys / height * math.sin(angle)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    return (low + (high - low) * ramp)[..., None]


def _mild(bgr: np.ndarray, rng: random.Random) -> bytes:
    height, width = bgr.shape[:2]
    margin = round(width * rng.uniform(0.05, 0.08))
    paper = rng.randint(232, 248)
    canvas = np.full((height + 2 * margin, width + 2 * margin, 3), paper, np.uint8)
    # The card's edge casts a thin shadow on the scanner bed, as on real scans.
    cv2.rectangle(
        canvas,
        (margin - 2, margin - 2),
        (margin + width + 1, margin + height + 1),
        (paper - 70, paper - 70, paper - 70),
        2,
    )
    canvas = cv2.GaussianBlur(canvas, (5, 5), 1.2)
    canvas[margin : margin + height, margin : margin + width] = bgr
    centre = (canvas.shape[1] / 2, canvas.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, rng.uniform(-3, 3), 1.0)
    canvas = cv2.warpAffine(
        canvas,
        matrix,
        canvas.shape[1::-1],
        flags=cv2.INTER_LINEAR,
        borderValue=(paper, paper, paper),
    )
    canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.5, 0.9))
    lit = canvas.astype(np.float32) * _light_gradient(canvas.shape, 0.82, 1.04, rng)
    canvas = _noise(np.clip(lit, 0, 255).astype(np.uint8), rng.uniform(2, 5), rng)
    return _encode_jpeg(canvas, rng.randint(60, 80))


def _table(shape: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A wood-ish or cloth-ish background with streaks."""
    height, width = shape
    base = np.array(
        rng.choice([(40, 70, 110), (60, 60, 60), (90, 110, 130), (30, 45, 70)]), np.float32
    )
    generator = np.random.default_rng(rng.getrandbits(32))
    streaks = cv2.resize(
        generator.normal(0, 18, (height // 8 + 1, 4)).astype(np.float32),
        (width, height),
        interpolation=cv2.INTER_CUBIC,
    )
    grain = generator.normal(0, 6, (height, width)).astype(np.float32)
    table = base[None, None, :] + (streaks + grain)[..., None]
    return np.clip(table, 0, 255).astype(np.uint8)


def _glare(bgr: np.ndarray, centre: tuple[float, float], radius: float) -> np.ndarray:
    height, width = bgr.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    distance = np.hypot(xs - centre[0], ys - centre[1]) / radius
    alpha = np.clip(1.2 - distance, 0, 1)[..., None] ** 1.5
    return (bgr.astype(np.float32) * (1 - alpha) + 255 * alpha).astype(np.uint8)


def _hard(bgr: np.ndarray, rng: random.Random) -> bytes:
    card_h, card_w = bgr.shape[:2]
    share = rng.uniform(0.42, 0.58)  # card area / frame area
    angle = math.radians(rng.uniform(-15, 15))
    half = (
        np.array(
            [[-card_w, -card_h], [card_w, -card_h], [card_w, card_h], [-card_w, card_h]], np.float32
        )
        / 2
    )
    rot = np.array(
        [[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]], np.float32
    )
    jitter = card_w * 0.05
    corners = half @ rot.T + np.array(
        [[rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)] for _ in range(4)], np.float32
    )
    # Frame (4:3) sized for the wanted card share, but large enough to hold the whole card with
    # a margin, as a user framing a photo would; the card sits off-centre where there is room.
    span = corners.max(axis=0) - corners.min(axis=0)
    frame_w = round(
        max(math.sqrt(card_w * card_h / share * 4 / 3), span[0] * 1.08, span[1] * 1.08 * 4 / 3)
    )
    frame_h = round(frame_w * 3 / 4)
    room = (np.array([frame_w, frame_h]) - span) / 2 * 0.8
    offset = np.array(
        [
            frame_w / 2 + rng.uniform(-room[0], room[0]),
            frame_h / 2 + rng.uniform(-room[1], room[1]),
        ],
        np.float32,
    )
    corners = (corners - (corners.max(axis=0) + corners.min(axis=0)) / 2 + offset).astype(
        np.float32
    )
    source = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners)
    frame = _table((frame_h, frame_w), rng)
    warped = cv2.warpPerspective(bgr, matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(
        np.full((card_h, card_w), 255, np.uint8), matrix, (frame_w, frame_h), flags=cv2.INTER_LINEAR
    )
    alpha = (mask.astype(np.float32) / 255)[..., None]
    frame = (warped * alpha + frame * (1 - alpha)).astype(np.uint8)
    spot = corners.mean(axis=0) + np.array(
        [rng.uniform(-0.25, 0.25) * card_w, rng.uniform(-0.25, 0.25) * card_h]
    )
    frame = _glare(frame, (float(spot[0]), float(spot[1])), card_w * rng.uniform(0.07, 0.12))
    frame = (frame.astype(np.float32) * _light_gradient(frame.shape, 0.7, 1.05, rng)).astype(
        np.uint8
    )
    frame = cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.8, 1.3))
    frame = _noise(frame, rng.uniform(4, 8), rng)
    return _encode_jpeg(frame, rng.randint(35, 55))


def degrade(
    image: Image.Image,
    level: Level,
    rng: random.Random,
    *,
    varied: bool = False,
    camera: bool = False,
) -> bytes:
    """Encode ``image`` as a file of the given quality level.

    Canonical: clean: lossless PNG of the card itself (a flat scan); mild: scan on a scanner
    bed, rotated up to 3 degrees, slight blur, uneven light, noise, JPEG 60-80; hard: phone photo
    on a table, perspective, rotation up to 15 degrees, glare spot, blur, JPEG 35-55, card about
    half the frame. Varied: clean is still the flat PNG; mild is a scan (a third) or a careful
    photo; hard a photo with two or three faults (see ``capture``), strong but legible.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if varied or camera:
        rgb = np.asarray(image.convert("RGB"))
        if level == "clean":
            buffer = io.BytesIO()
            image.convert("RGB").save(buffer, "PNG")
            return buffer.getvalue()
        if level == "mild" and not camera and rng.random() < 0.35:
            return capture.scan(rgb, rng)
        return capture.photo(rgb, level, rng, camera)
    if level == "clean":
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "PNG")
        return buffer.getvalue()
    bgr = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2BGR)
    if level == "mild":
        return _mild(bgr, rng)
    if level == "hard":
        return _hard(bgr, rng)
    raise ValueError(f"unknown level {level!r}")
