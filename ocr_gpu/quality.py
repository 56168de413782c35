"""Image-quality measures of a canonical card (pure functions, numbers and flags only).

Thresholds are the starting points from domain-rules 3.7: variance of Laplacian < 100 is
blurry, glare over > 5 % of the text area, cropped card under 720 x 480 source pixels is small.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

BLUR_THRESHOLD = 100.0
GLARE_THRESHOLD = 0.05
MIN_CARD_PIXELS = (720, 480)
GRAYSCALE_COLOURFULNESS = 6.0
TEXT_AREA = (0.0, 0.0, 0.72, 1.0)  # left part of the card: text, no photo
OUTLINED = frozenset({"colour", "edges"})  # detections that cut the card out by its outline


def _text_area(image: np.ndarray) -> np.ndarray:
    height, width = image.shape[:2]
    x0, y0, x1, y1 = TEXT_AREA
    return image[round(y0 * height) : round(y1 * height), round(x0 * width) : round(x1 * width)]


def sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian over the text area (higher is sharper)."""
    return float(cv2.Laplacian(_text_area(gray), cv2.CV_64F).var())


def glare_share(gray: np.ndarray, *, paper_around: bool = False) -> float:
    """Share of the text area covered by saturated, blob-sized bright spots. ``paper_around``:
    the image is the whole scan or photo (no outline was found to cut the card out), so white
    paper round the card reaches the image's edges; bright spots touching the top, bottom or
    left edge are that paper, not glare over the card."""
    area = _text_area(gray)
    threshold = min(254.0, max(240.0, float(np.median(area)) + 20))
    saturated = (area >= threshold).astype(np.uint8)
    spots = cv2.morphologyEx(saturated, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    if paper_around:
        _, labels = cv2.connectedComponents(spots, connectivity=8)
        edges = np.concatenate((labels[0], labels[-1], labels[:, 0]))
        spots[np.isin(labels, edges[edges > 0])] = 0
    return float(spots.mean())


def colourfulness(bgr: np.ndarray) -> float:
    """Hasler and Suesstrunk's colourfulness; near 0 for grayscale images and photocopies."""
    b, g, r = (bgr[..., i].astype(np.float32) for i in range(3))
    rg, yb = r - g, 0.5 * (r + g) - b
    return float(np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean()))


def measure(card_bgr: np.ndarray, meta: dict[str, Any]) -> dict[str, Any]:
    """Quality of a canonical card; ``meta`` is ``Preprocessed.meta()`` (detection facts)."""
    gray = cv2.cvtColor(card_bgr, cv2.COLOR_BGR2GRAY)
    sharp = sharpness(gray)
    # the card cut out along its outline has no paper round it
    glare = glare_share(gray, paper_around=meta.get("detection") not in OUTLINED)
    colour = colourfulness(card_bgr)
    exact_gray = bool(
        np.array_equal(card_bgr[..., 0], card_bgr[..., 1])
        and np.array_equal(card_bgr[..., 1], card_bgr[..., 2])
    )
    width = float(meta.get("source_card_width", 0.0))
    height = float(meta.get("source_card_height", 0.0))
    return {
        "sharpness": round(sharp, 2),
        "blurry": sharp < BLUR_THRESHOLD,
        "glare": round(glare, 4),
        "glare_detected": glare > GLARE_THRESHOLD,
        "brightness": round(float(gray.mean()) / 255, 4),
        "contrast": round(float(np.percentile(gray, 95) - np.percentile(gray, 5)) / 255, 4),
        "colourfulness": round(colour, 2),
        "grayscale_suspected": exact_gray or colour < GRAYSCALE_COLOURFULNESS,
        "card_found": bool(meta.get("card_found", False)),
        "card_area_share": float(meta.get("card_area_share", 0.0)),
        "card_source_width": width,
        "card_source_height": height,
        "low_resolution": width < MIN_CARD_PIXELS[0] or height < MIN_CARD_PIXELS[1],
    }
