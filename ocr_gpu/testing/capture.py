"""How users capture cards: flatbed scans and phone photos with their faults.

A photo places the card (rounded corners, a soft drop shadow) on a surface from ``surfaces``
with perspective and rotation, then applies what goes wrong when people photograph cards:
an occluder's shadow, glare on the laminate, uneven or low light, defocus or motion blur,
sensor noise, moire (a photo of a screen or a printed copy) and JPEG compression. ``mild`` is a
careful capture; ``hard`` piles up faults but keeps every line legible to a person. With
``camera`` the frame is a phone camera's (12 MP or 8 MP) encoded as a phone does (JPEG 92-96,
about 3 to 6 MB).
All sizes are relative to the card's size in the frame, so faults scale with resolution.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np

from ocr_gpu.testing import surfaces

CAMERA_FRAMES = ((4000, 3000), (3264, 2448))
ID1_CORNER = 3.18 / 85.6  # corner radius of an ID-1 card, as a share of its width


def encode_jpeg(rgb: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(
        ".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality]
    )
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def _generator(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(32))


def _noise(image: np.ndarray, sigma: float, rng: random.Random) -> np.ndarray:
    height, width = image.shape[:2]
    generator = _generator(rng)
    noisy = image.astype(np.float32)
    noisy += generator.standard_normal((height, width, 1), dtype=np.float32) * sigma
    noisy += generator.standard_normal(image.shape, dtype=np.float32) * (sigma * 0.4)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def _soft(layer: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of a float mask; wide blurs are done on a smaller copy (same look, faster)."""
    if sigma <= 4:
        return cv2.GaussianBlur(layer, (0, 0), max(sigma, 0.3))
    factor = sigma / 2
    height, width = layer.shape[:2]
    small = cv2.resize(
        layer,
        (max(2, round(width / factor)), max(2, round(height / factor))),
        interpolation=cv2.INTER_AREA,
    )
    small = cv2.GaussianBlur(small, (0, 0), 2.0)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)


def _ramp(shape: tuple[int, ...], low: float, high: float, rng: random.Random) -> np.ndarray:
    """A smooth multiplicative light field from ``low`` to ``high`` across the frame."""
    height, width = shape[:2]
    angle = rng.uniform(0, math.tau)
    xs = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    ys = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    ramp = xs * math.cos(angle) + ys * math.sin(angle)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    return (low + (high - low) * ramp)[..., None]


def _rounded_mask(width: int, height: int) -> np.ndarray:
    mask = np.zeros((height, width), np.uint8)
    radius = max(2, round(width * ID1_CORNER))
    cv2.rectangle(mask, (radius, 0), (width - 1 - radius, height - 1), 255, -1)
    cv2.rectangle(mask, (0, radius), (width - 1, height - 1 - radius), 255, -1)
    for cx, cy in (
        (radius, radius),
        (width - 1 - radius, radius),
        (radius, height - 1 - radius),
        (width - 1 - radius, height - 1 - radius),
    ):
        cv2.circle(mask, (cx, cy), radius, 255, -1, lineType=cv2.LINE_AA)
    return mask


def _corners(
    card: tuple[int, int], frame: tuple[int, int], share: float, tilt: float, angle: float,
    rng: random.Random,
) -> np.ndarray:  # fmt: skip
    """Where the card's corners land in the frame: rotated, tilted, scaled to ``share``."""
    card_w, card_h = card
    frame_w, frame_h = frame
    half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float32) * [card_w / 2, card_h / 2]
    rad = math.radians(angle)
    rot = np.array([[math.cos(rad), -math.sin(rad)], [math.sin(rad), math.cos(rad)]], np.float32)
    # Perspective: one side further from the camera looks shorter; plus a little corner jitter.
    side = rng.choice([0, 1, 2, 3])
    shrink = 1 - tilt
    near = half.copy()
    edges = {0: (0, 1), 1: (1, 2), 2: (2, 3), 3: (3, 0)}[side]
    for index in edges:
        near[index] *= shrink
    near += np.array(
        [[rng.uniform(-1, 1) * tilt * card_w * 0.15 for _ in range(2)] for _ in range(4)],
        np.float32,
    )
    corners = (near @ rot.T).astype(np.float32)
    span = corners.max(axis=0) - corners.min(axis=0)
    area = abs(float(cv2.contourArea(corners)))
    scale = min(
        math.sqrt(share * frame_w * frame_h / max(area, 1.0)),
        0.97 * frame_w / span[0],
        0.97 * frame_h / span[1],
    )
    corners = corners * scale
    span = span * scale
    room = (np.array([frame_w, frame_h], np.float32) - span) / 2
    centre = np.array([frame_w, frame_h], np.float32) / 2 + room * 0.8 * np.array(
        [rng.uniform(-1, 1), rng.uniform(-1, 1)], np.float32
    )
    middle = (corners.max(axis=0) + corners.min(axis=0)) / 2
    return (corners - middle + centre).astype(np.float32)


def _place(
    card: np.ndarray, frame: np.ndarray, corners: np.ndarray, rng: random.Random
) -> tuple[np.ndarray, np.ndarray, float]:
    """Composite the card onto ``frame``; returns the frame, the card mask and its unit size."""
    card_h, card_w = card.shape[:2]
    frame_h, frame_w = frame.shape[:2]
    source = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, corners)
    size = (frame_w, frame_h)
    warped = cv2.warpPerspective(card, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(_rounded_mask(card_w, card_h), matrix, size, flags=cv2.INTER_LINEAR)
    alpha = mask.astype(np.float32)[..., None] / 255
    unit = float(np.linalg.norm(corners[1] - corners[0])) / 1012  # one base pixel in the frame
    # Soft drop shadow on the surface, offset away from the light.
    offset = (rng.uniform(-1, 1) * 6 * unit, rng.uniform(0.2, 1) * 6 * unit)
    shift = np.array([[1, 0, offset[0]], [0, 1, offset[1]]], np.float32)
    shadow = cv2.warpAffine(alpha[..., 0], shift, size)
    shadow = _soft(shadow, max(1.0, 8 * unit))[..., None]
    ground = frame.astype(np.float32) * (1 - rng.uniform(0.2, 0.45) * shadow)
    out = warped.astype(np.float32) * alpha + ground * (1 - alpha)
    # The card's edge catches the light or falls dark: a thin band along the outline.
    soft = cv2.GaussianBlur(alpha[..., 0], (0, 0), max(0.7, 1.2 * unit))
    band = (4 * soft * (1 - soft))[..., None]
    out *= 1 + rng.choice([-0.18, -0.1, 0.06]) * band
    return np.clip(out, 0, 255).astype(np.uint8), alpha, unit


def _glare(image: np.ndarray, alpha: np.ndarray, corners: np.ndarray, strength: float,
           rng: random.Random) -> np.ndarray:  # fmt: skip
    """A soft specular patch on the card's laminate, never fully white."""
    height, width = image.shape[:2]
    centre = corners.mean(axis=0) + (corners[2] - corners[0]) * [
        rng.uniform(-0.3, 0.3),
        rng.uniform(-0.3, 0.3),
    ]
    card_w = float(np.linalg.norm(corners[1] - corners[0]))
    axes = (card_w * rng.uniform(0.08, 0.2), card_w * rng.uniform(0.04, 0.1))
    layer = np.zeros((height, width), np.float32)
    cv2.ellipse(layer, (int(centre[0]), int(centre[1])), (int(axes[0]), int(axes[1])),
                rng.uniform(0, 180), 0, 360, 1.0, -1)  # fmt: skip
    light = _soft(layer, axes[1] * 0.6)[..., None] * strength * alpha
    return (image.astype(np.float32) * (1 - light) + 255 * light).astype(np.uint8)


def _occluder_shadow(
    image: np.ndarray, depth: float, unit: float, rng: random.Random
) -> np.ndarray:
    """The shadow of a hand or phone: a soft-edged polygon entering from one edge."""
    height, width = image.shape[:2]
    edge = rng.choice(["left", "right", "top", "bottom"])
    reach = rng.uniform(0.25, 0.5)
    a, b = sorted(rng.uniform(0, 1) for _ in range(2))
    if edge in ("left", "right"):
        x0 = 0 if edge == "left" else width
        x1 = width * reach if edge == "left" else width * (1 - reach)
        points = [
            (x0, height * a - height * 0.3),
            (x1, height * a),
            (x1 + rng.uniform(-0.1, 0.1) * width, height * b + height * 0.2),
            (x0, height * b + height * 0.5),
        ]
    else:
        y0 = 0 if edge == "top" else height
        y1 = height * reach if edge == "top" else height * (1 - reach)
        points = [
            (width * a - width * 0.3, y0),
            (width * a, y1),
            (width * b + width * 0.2, y1 + rng.uniform(-0.1, 0.1) * height),
            (width * b + width * 0.5, y0),
        ]
    layer = np.zeros((height, width), np.float32)
    cv2.fillPoly(layer, [np.array(points, np.int32)], 1.0)
    layer = _soft(layer, max(2.0, 14 * unit))
    return (image.astype(np.float32) * (1 - depth * layer[..., None])).astype(np.uint8)


def _defocus(image: np.ndarray, radius: float) -> np.ndarray:
    if radius < 0.6:
        return cv2.GaussianBlur(image, (0, 0), max(0.3, radius))
    size = math.ceil(radius) * 2 + 1
    kernel = np.zeros((size, size), np.float32)
    cv2.circle(kernel, (size // 2, size // 2), max(1, round(radius)), 1.0, -1, lineType=cv2.LINE_AA)
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def _motion(image: np.ndarray, length: float, rng: random.Random) -> np.ndarray:
    size = max(3, round(length) | 1)
    kernel = np.zeros((size, size), np.float32)
    angle = rng.uniform(0, math.pi)
    c = size // 2
    dx, dy = math.cos(angle) * c, math.sin(angle) * c
    cv2.line(
        kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1, cv2.LINE_AA
    )
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def _moire(image: np.ndarray, strength: float, unit: float, rng: random.Random) -> np.ndarray:
    """Interference of two fine gratings at slightly different pitch and angle."""
    height, width = image.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    pitch = max(2.2, rng.uniform(2.5, 4.5) * unit)
    waves = []
    for turn in (rng.uniform(0, math.pi), rng.uniform(0, math.pi)):
        waves.append(np.sin((xs * math.cos(turn) + ys * math.sin(turn)) * math.tau / pitch))
        pitch *= rng.uniform(1.03, 1.08)
    pattern = (waves[0] * waves[1])[..., None]
    tint = np.array([rng.uniform(0.8, 1.2) for _ in range(3)], np.float32)
    return np.clip(image.astype(np.float32) * (1 + strength * pattern * tint), 0, 255).astype(
        np.uint8
    )


def _low_light(image: np.ndarray, rng: random.Random) -> np.ndarray:
    gain = rng.uniform(0.38, 0.58)
    cast = np.array(
        rng.choice([(1.06, 1.0, 0.86), (0.92, 0.98, 1.08), (1.0, 1.0, 1.0)]), np.float32
    )
    dark = 255 * (image.astype(np.float32) / 255) ** rng.uniform(1.05, 1.25) * gain * cast
    return np.clip(dark, 0, 255).astype(np.uint8)


def photo(card_rgb: np.ndarray, level: str, rng: random.Random, camera: bool) -> bytes:
    """A phone photo of the card at ``level`` (``clean``, ``mild`` or ``hard``)."""
    card_h, card_w = card_rgb.shape[:2]
    hard = level == "hard"
    portrait = rng.random() < 0.2
    if camera:
        frame_size = rng.choice(CAMERA_FRAMES)
    else:
        long_side = round(card_w * rng.uniform(1.15, 1.6))
        frame_size = (long_side, round(long_side * 3 / 4))
    if portrait:
        frame_size = (frame_size[1], frame_size[0])
    share = rng.uniform(0.3, 0.9) if hard else rng.uniform(0.45, 0.9)
    angle = rng.uniform(-15, 15) if hard else rng.uniform(-6, 6)
    tilt = rng.uniform(0.03, 0.12) if hard else rng.uniform(0.0, 0.05)
    corners = _corners((card_w, card_h), frame_size, share, tilt, angle, rng)
    ground = surfaces.surface(surfaces.pick(rng), (frame_size[1], frame_size[0]), rng)
    frame, alpha, unit = _place(card_rgb, ground, corners, rng)

    faults = {"shadow", "glare", "low-light", "motion", "defocus", "moire"}
    chosen = set(rng.sample(sorted(faults), rng.randint(2, 3))) if hard else set()
    if not hard and rng.random() < 0.3:
        chosen.add(rng.choice(["shadow", "glare"]))
    if "shadow" in chosen:
        frame = _occluder_shadow(
            frame, rng.uniform(0.3, 0.55) if hard else rng.uniform(0.15, 0.3), unit, rng
        )
    if "glare" in chosen:
        frame = _glare(
            frame, alpha, corners, rng.uniform(0.55, 0.8) if hard else rng.uniform(0.3, 0.5), rng
        )
    low, high = (0.72, 1.05) if hard else (0.85, 1.05)
    frame = np.clip(frame.astype(np.float32) * _ramp(frame.shape, low, high, rng), 0, 255).astype(
        np.uint8
    )
    if "low-light" in chosen:
        frame = _low_light(frame, rng)
    if "moire" in chosen:
        frame = _moire(frame, rng.uniform(0.08, 0.16), unit, rng)
    # Optics: every photo is a little soft; hard ones defocused or shaken.
    if "motion" in chosen:
        frame = _motion(frame, rng.uniform(3, 6) * unit, rng)
    elif "defocus" in chosen:
        frame = _defocus(frame, rng.uniform(1.2, 2.0) * unit)
    else:
        frame = cv2.GaussianBlur(frame, (0, 0), max(0.3, rng.uniform(0.3, 0.8) * unit))
    sigma = rng.uniform(5, 9) if hard else rng.uniform(2, 4.5)
    if "low-light" in chosen:
        sigma *= 1.6
    if camera:  # a phone sensor at full resolution: visible grain, little compression
        sigma = max(sigma, rng.uniform(5, 7))
    frame = _noise(frame, sigma, rng)
    if camera:
        quality = rng.randint(92, 96)
    else:
        quality = rng.randint(35, 60) if hard else rng.randint(62, 88)
    return encode_jpeg(frame, quality)


def scan(card_rgb: np.ndarray, rng: random.Random) -> bytes:
    """A flatbed scan: card on the scanner's bed, slightly rotated, soft, JPEG."""
    height, width = card_rgb.shape[:2]
    margin = round(width * rng.uniform(0.03, 0.1))
    bed = rng.randint(225, 252)
    canvas = np.full((height + 2 * margin, width + 2 * margin, 3), bed, np.uint8)
    mask = _rounded_mask(width, height)[..., None].astype(np.float32) / 255
    inner = canvas[margin : margin + height, margin : margin + width].astype(np.float32)
    canvas[margin : margin + height, margin : margin + width] = (
        card_rgb * mask + inner * (1 - mask)
    ).astype(np.uint8)
    centre = (canvas.shape[1] / 2, canvas.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, rng.uniform(-3, 3), 1.0)
    canvas = cv2.warpAffine(
        canvas, matrix, canvas.shape[1::-1], flags=cv2.INTER_LINEAR, borderValue=(bed, bed, bed)
    )
    canvas = cv2.GaussianBlur(canvas, (0, 0), rng.uniform(0.4, 0.9))
    canvas = np.clip(
        canvas.astype(np.float32) * _ramp(canvas.shape, 0.86, 1.04, rng), 0, 255
    ).astype(np.uint8)
    return encode_jpeg(_noise(canvas, rng.uniform(1.5, 4), rng), rng.randint(60, 88))
