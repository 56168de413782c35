"""Pictures as users send them, for tests and benchmarks: camera-sized photos of a card.

A generated card is a small, clean file; a phone photo of the same card is 12 megapixels and
3-6 MB, with the card in perspective on a textured background and sensor noise that makes the
JPEG as large as a real one. These builders make such files in a fraction of a second.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image

EXIF_ORIENTATION = 0x0112


def _bgr(card: bytes | np.ndarray) -> np.ndarray:
    if isinstance(card, np.ndarray):
        return card
    decoded = cv2.imdecode(np.frombuffer(card, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None:
        raise ValueError("the card image cannot be decoded")
    return decoded


def camera_frame(
    card: bytes | np.ndarray,
    *,
    width: int = 4000,
    height: int = 3000,
    card_share: float = 0.62,
    noise: int = 12,
    seed: int = 0,
) -> np.ndarray:
    """``card`` photographed on a table: a ``width`` x ``height`` BGR frame.

    The card spans ``card_share`` of the frame's width, slightly in perspective, over a smooth
    random background; per-pixel noise of +-``noise`` levels stands in for the sensor's.
    """
    rng = np.random.default_rng(seed)
    bgr = _bgr(card)
    card_h, card_w = bgr.shape[:2]
    frame = cv2.resize(
        rng.integers(60, 200, (max(height // 50, 2), max(width // 50, 2), 3), dtype=np.uint8),
        (width, height),
        interpolation=cv2.INTER_CUBIC,
    )
    span_w = int(width * card_share)
    span_h = int(span_w * card_h / card_w)
    x0, y0 = (width - span_w) // 2, (height - span_h) // 2
    tilt = span_w // 60
    source = np.array([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]], np.float32)
    target = np.array(
        [
            [x0 + tilt, y0],
            [x0 + span_w, y0 + tilt],
            [x0 + span_w - tilt, y0 + span_h],
            [x0, y0 + span_h - tilt],
        ],
        np.float32,
    )
    matrix = cv2.getPerspectiveTransform(source, target)
    cv2.warpPerspective(bgr, matrix, (width, height), dst=frame, borderMode=cv2.BORDER_TRANSPARENT)
    if noise:
        grain = np.asarray(rng.integers(0, 2 * noise + 1, frame.shape, dtype=np.uint8))
        frame = cv2.subtract(cv2.add(frame, grain), np.full(frame.shape, noise, np.uint8))
    return frame


def camera_photo(
    card: bytes | np.ndarray,
    *,
    width: int = 4000,
    height: int = 3000,
    quality: int = 92,
    orientation: int = 1,
    seed: int = 0,
    **frame: int | float,
) -> bytes:
    """A camera JPEG of ``card`` (12 MP and about 3.5-4.5 MB with the defaults).

    ``orientation`` other than 1 stores the frame turned as a phone held upright does, with the
    EXIF Orientation tag that tells a viewer how to turn it back (6: rotate 90 clockwise).
    """
    bgr = camera_frame(card, width=width, height=height, seed=seed, **frame)  # type: ignore[arg-type]
    if orientation == 1:
        ok, buffer = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("JPEG encoding failed")
        return bytes(buffer.tobytes())
    undo = {
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }[orientation]
    image = Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)).transpose(undo)
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, exif=exif)
    return out.getvalue()


def large_png_scan(card: bytes | np.ndarray, *, width: int = 3508, height: int = 2480) -> bytes:
    """A flatbed scan saved as PNG: the card on a white A4 page at 300 dpi (8.7 MP)."""
    bgr = _bgr(card)
    page = np.full((height, width, 3), 250, np.uint8)
    card_w = width // 3
    card_h = int(card_w * bgr.shape[0] / bgr.shape[1])
    page[200 : 200 + card_h, 200 : 200 + card_w] = cv2.resize(
        bgr, (card_w, card_h), interpolation=cv2.INTER_CUBIC
    )
    ok, buffer = cv2.imencode(".png", page)
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return bytes(buffer.tobytes())


def padded_to(data: bytes, size: int) -> bytes:
    """``data`` (a JPEG or PNG) followed by random bytes up to exactly ``size`` bytes.

    Bytes after the end of an image are dropped on intake, so the upload stays a valid picture
    of exactly the wanted size; the random tail does not compress in transit.
    """
    if len(data) > size:
        raise ValueError(f"the picture is already {len(data)} bytes, over {size}")
    return data + np.random.default_rng(size).integers(0, 256, size - len(data), np.uint8).tobytes()
