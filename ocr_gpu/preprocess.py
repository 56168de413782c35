"""Find the card in an image and turn it into a canonical, upright, evenly lit card image.

Steps: quadrilateral detection on a small copy (colour distance from the frame border, and
edges), perspective warp from the full-resolution image to ``CARD_SIZE`` (ID-1 aspect 1.586),
90-degree turn when the image is a sideways flat scan, small-angle deskew by projection
profile, and illumination normalisation (divide by a text-free background estimate).
Upside-down (180 degree) cards are not decided here: ``rotate_180`` is offered for the caller,
which compares OCR confidence of both ways round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from ocr_gpu.backends import CpuBackend, ImageBackend

CARD_SIZE = (1012, 638)  # width, height
CARD_ASPECT = CARD_SIZE[0] / CARD_SIZE[1]
DETECT_SIDE = 640
MIN_CARD_SHARE, MAX_CARD_SHARE = 0.12, 0.97
MIN_FILL = 0.88
ASPECT_RANGE = (1.3, 2.0)  # apparent aspect of a card quad under perspective
# The colour quad is a piece of the card the edges outline (``_part_of``) when the outline's
# area is LARGER_WHOLE times its own or more, PART_INSIDE of it lies within the outline, and
# SHARED_CORNERS of its corners lie within SHARED_CORNER of the outline's diagonal from one of
# the outline's.
LARGER_WHOLE = 1.05
PART_INSIDE = 0.95
SHARED_CORNER = 0.04
SHARED_CORNERS = 1
FLAT_SCAN_ASPECT = (1.45, 1.75)


@dataclass(frozen=True)
class Preprocessed:
    card: np.ndarray  # canonical BGR card, CARD_SIZE
    gray: np.ndarray  # illumination-normalised grayscale of ``card`` for OCR
    warped: np.ndarray  # ``card`` before deskew (kept to redo the deskew after a half turn)
    card_found: bool
    card_area_share: float
    rotation: int  # clockwise degrees applied: 0, 90, 180, 270
    deskew_angle: float  # clockwise skew found and removed, degrees
    source_card_size: tuple[float, float]  # source pixels across the card (width, height)
    frame_size: tuple[int, int]  # width, height of the decoded image
    method: str = "none"  # "colour", "edges", "flat" or "none"
    extra: dict[str, Any] = field(default_factory=dict)

    def meta(self) -> dict[str, Any]:
        return {
            "card_found": self.card_found,
            "card_area_share": round(self.card_area_share, 4),
            "rotation": self.rotation,
            "deskew_angle": round(self.deskew_angle, 2),
            "detection": self.method,
            "source_card_width": round(self.source_card_size[0], 1),
            "source_card_height": round(self.source_card_size[1], 1),
        }


def order_corners(points: np.ndarray) -> np.ndarray:
    """Corners clockwise from top-left (image coordinates, y down)."""
    pts = points.reshape(4, 2).astype(np.float32)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise on screen, starting anywhere
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def _side_lengths(quad: np.ndarray) -> tuple[float, float]:
    top = np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])
    side = np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])
    return float(top / 2), float(side / 2)


def _quad_from_contour(contour: np.ndarray) -> np.ndarray:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.03, 0.045, 0.06):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) == 4:
            return approx.reshape(4, 2).astype(np.float32)
    return cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)


def _candidates(mask: np.ndarray) -> list[np.ndarray]:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    return sorted(contours, key=cv2.contourArea, reverse=True)[:3]


def _colour_mask(small: np.ndarray, backend: ImageBackend) -> np.ndarray:
    lab = backend.cvt_color(small, cv2.COLOR_BGR2Lab).astype(np.float32)
    border = np.concatenate(
        [
            lab[:4].reshape(-1, 3),
            lab[-4:].reshape(-1, 3),
            lab[:, :4].reshape(-1, 3),
            lab[:, -4:].reshape(-1, 3),
        ]
    )
    distance = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    distance = np.clip(distance * (255 / max(float(distance.max()), 1.0)), 0, 255).astype(np.uint8)
    distance = backend.gaussian_blur(distance, 5, 0)
    _, mask = cv2.threshold(distance, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = backend.morphology(mask, "close", 9)
    return backend.morphology(mask, "open", 7)


def _edge_mask(small: np.ndarray, backend: ImageBackend) -> np.ndarray:
    gray = backend.gaussian_blur(backend.cvt_color(small, cv2.COLOR_BGR2GRAY), 5, 0)
    edges = cv2.Canny(gray, 25, 75)
    return backend.morphology(edges, "dilate", 3)


def find_card(
    frame: Any, size: tuple[int, int], backend: ImageBackend
) -> tuple[np.ndarray, str] | None:
    """The card's corners in frame coordinates (clockwise from top-left) or None.

    ``frame`` is the backend's handle of the photo (``size`` = width, height). Only a copy of at
    most ``DETECT_SIDE`` pixels comes back from the device; the masks and contours of so small
    an image cost less on the CPU than their transfers would.
    """
    width, height = size
    scale = min(1.0, DETECT_SIDE / max(height, width))
    small = backend.download(
        backend.resize(frame, (round(width * scale), round(height * scale)), shrink=True)
        if scale < 1.0
        else frame
    )
    area = small.shape[0] * small.shape[1]
    cpu = CpuBackend()
    colour = _best_quad(_colour_mask(small, cpu), area)
    edges = _best_quad(_edge_mask(small, cpu), area)
    if colour is not None and (edges is None or not _part_of(colour, edges)):
        return colour / scale, "colour"
    return None if edges is None else (edges / scale, "edges")


def _part_of(part: np.ndarray, whole: np.ndarray) -> bool:
    """Whether the quad ``part`` is a piece of the card whose outline is ``whole``: it lies
    within it, is smaller, and shares a corner with it.

    Under uneven light (glare, a lamp's gradient across the card) the colour mask may lose the
    part of a light card nearest the desk's colour, and its quad then cuts across the card's
    text along a diagonal (or leaves out a dark header band) while keeping some of the card's
    own corners. A card lying on a larger sheet (paper, a folder) sits inside the sheet's
    outline too, but shares none of its corners.
    """
    part_area = cv2.contourArea(part)
    whole_area = cv2.contourArea(whole)
    if whole_area < LARGER_WHOLE * part_area:
        return False
    inside, _ = cv2.intersectConvexConvex(part, whole)
    if inside < PART_INSIDE * part_area:
        return False
    if _skew(whole) > _skew(part):  # an outline no squarer than the piece is no better a card
        return False
    near = SHARED_CORNER * float(np.linalg.norm(whole[2] - whole[0]))
    shared = sum(1 for corner in part if min(np.linalg.norm(whole - corner, axis=1)) <= near)
    return shared >= SHARED_CORNERS


def _touches_border(contour: np.ndarray, shape: tuple[int, ...]) -> bool:
    x, y, w, h = cv2.boundingRect(contour)
    return x <= 1 or y <= 1 or x + w >= shape[1] - 1 or y + h >= shape[0] - 1


def _best_quad(mask: np.ndarray, area: int) -> np.ndarray | None:
    """The largest card-like quadrilateral among the mask's outer contours."""
    best: tuple[float, np.ndarray] | None = None
    for contour in _candidates(mask):
        if _touches_border(contour, mask.shape):
            continue
        quad = order_corners(_quad_from_contour(contour))
        quad_area = cv2.contourArea(quad)
        share = quad_area / area
        if not MIN_CARD_SHARE <= share <= MAX_CARD_SHARE:
            continue
        fill = cv2.contourArea(contour) / max(quad_area, 1.0)
        long_side, short_side = sorted(_side_lengths(quad), reverse=True)
        aspect = long_side / max(short_side, 1.0)
        if fill < MIN_FILL or not ASPECT_RANGE[0] <= aspect <= ASPECT_RANGE[1]:
            continue
        score = share * min(fill, 1.0)
        if best is None or score > best[0]:
            best = (score, quad)
    return None if best is None else best[1]


def _skew(quad: np.ndarray) -> float:
    """How far the quad's corners are from right angles: the largest difference, in degrees."""
    worst = 0.0
    for index, corner in enumerate(quad):
        before, after = quad[index - 1] - corner, quad[(index + 1) % 4] - corner
        cosine = float(np.dot(before, after)) / max(
            float(np.linalg.norm(before) * np.linalg.norm(after)), 1e-9
        )
        worst = max(worst, abs(math.degrees(math.acos(max(-1.0, min(1.0, cosine)))) - 90))
    return worst


def estimate_skew(gray: np.ndarray, limit: float = 4.0) -> float:
    """Clockwise text skew in degrees that maximises the row-profile contrast."""
    gray = gray[:, : gray.shape[1] * 7 // 10]  # the text column; photos sit on the right
    small = cv2.resize(
        gray, (400, round(400 * gray.shape[0] / gray.shape[1])), interpolation=cv2.INTER_AREA
    )
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = ink.astype(np.float32)
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def score(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        rotated = cv2.warpAffine(ink, matrix, small.shape[::-1], flags=cv2.INTER_NEAREST)
        return float(np.var(rotated.sum(axis=1)))

    coarse = max(np.arange(-limit, limit + 0.01, 0.5), key=score)
    fine = max(np.arange(coarse - 0.4, coarse + 0.41, 0.1), key=score)
    return round(float(fine), 2)


def rotate_small(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate clockwise by ``angle`` degrees about the centre, keeping the size."""
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    return cv2.warpAffine(
        image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )


def normalise_illumination(gray: Any, backend: ImageBackend) -> np.ndarray:
    """Flatten shadows and uneven light: divide by the text-free (max-filtered) background.

    The background (a large dilation and blur: the costly part) is computed where ``gray``
    is; the division runs on the CPU."""
    background = backend.download(
        backend.gaussian_blur(backend.morphology(gray, "dilate", 15), 31, 0)
    )
    return cv2.divide(backend.download(gray), np.maximum(background, 1), scale=255)


def _finish(card_handle: Any, backend: ImageBackend, **fields: Any) -> Preprocessed:
    """Grayscale, light normalised and deskewed card from the warped card's handle."""
    gray_handle = backend.cvt_color(card_handle, cv2.COLOR_BGR2GRAY)
    normalised = normalise_illumination(gray_handle, backend)
    card = backend.download(card_handle)
    warped = card
    # the skew is measured on the light-evened card: on the raw grey, a card's gradient, a
    # shadow or a dim corner outweighs its print in the threshold, and the rows the estimate
    # lines up are the light's, not the text's (a hard photo turned 4 degrees the wrong way)
    angle = estimate_skew(normalised)
    if abs(angle) >= 0.5:
        card = rotate_small(card, -angle)
        normalised = rotate_small(normalised, -angle)
    else:
        angle = 0.0
    return Preprocessed(card=card, gray=normalised, warped=warped, deskew_angle=angle, **fields)


def warp_card(
    frame: Any, size: tuple[int, int], quad: np.ndarray, backend: ImageBackend, method: str
) -> Preprocessed:
    """The card inside ``quad`` (clockwise from top-left, frame coordinates) made canonical;
    ``frame`` is the backend's handle of the photo and ``size`` its width and height."""
    width, height = size
    top, side = _side_lengths(quad)
    rotation = 0
    if side > top:  # card stands on its short edge: make it landscape
        quad = np.roll(quad, -1, axis=0)
        rotation, (top, side) = 270, (side, top)
    target = np.array(
        [
            [0, 0],
            [CARD_SIZE[0] - 1, 0],
            [CARD_SIZE[0] - 1, CARD_SIZE[1] - 1],
            [0, CARD_SIZE[1] - 1],
        ],
        np.float32,
    )
    matrix = cv2.getPerspectiveTransform(quad.astype(np.float32), target)
    card = backend.warp_perspective(frame, matrix, CARD_SIZE)
    share = float(cv2.contourArea(quad)) / (width * height)
    return _finish(
        card,
        backend,
        card_found=True,
        card_area_share=min(share, 1.0),
        rotation=rotation,
        source_card_size=(top, side),
        frame_size=(width, height),
        method=method,
    )


def preprocess(image: np.ndarray, backend: ImageBackend | None = None) -> Preprocessed:
    """Canonical upright card from a decoded BGR image (a scan or a photo).

    When no outline is found, ``method`` is ``flat`` (the image has a card's shape: a scan) or
    ``none``; the caller may then locate the card by its text (``quad_from_text``).
    """
    backend = backend or CpuBackend()
    height, width = image.shape[:2]
    frame = (width, height)
    handle = backend.upload(image)  # the photo goes to the device once
    found = find_card(handle, frame, backend)
    if found is not None:
        quad, method = found
        return warp_card(handle, frame, quad, backend, method)
    rotation = 0
    if height > width:
        image = cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
        handle = backend.upload(image)
        rotation, (width, height) = 270, (height, width)
    flat = FLAT_SCAN_ASPECT[0] <= width / height <= FLAT_SCAN_ASPECT[1]
    card = backend.resize(handle, CARD_SIZE, shrink=width >= CARD_SIZE[0])
    return _finish(
        card,
        backend,
        card_found=flat,
        card_area_share=1.0 if flat else 0.0,
        rotation=rotation,
        source_card_size=(float(width), float(height)),
        frame_size=frame,
        method="flat" if flat else "none",
    )


# The printed text of a KTP or NPWP covers most of the card: its margins, as shares of the
# text block's width and height, give the card's edge when the edge itself cannot be seen
# (a light card on a light desk).
TEXT_MARGIN = (0.05, 0.09)
MIN_TEXT_BOXES = 4


SIGNS = ((-1, -1), (1, -1), (1, 1), (-1, 1))  # a rectangle's corners, clockwise from top-left
ROW_BOX_SHAPE = 2.0  # a detected box this many times as long as high follows its text row


def _rows_direction(boxes: list[np.ndarray]) -> float | None:
    """The direction of the card's text rows (radians, image coordinates): the median, weighted
    by length, of the long sides of the detected boxes that are clearly rows; None when no box
    is. Rows that run more up than across (a card photographed standing on its short edge) come
    back near a quarter turn, between 45 and 135 degrees, so the card is framed along them."""
    sides: list[tuple[float, float, float]] = []  # dx, dy, length of each row box's long side
    for box in boxes:
        points = np.asarray(box, np.float64).reshape(-1, 2)
        if len(points) != 4:
            continue
        edges = [points[(i + 1) % 4] - points[i] for i in range(4)]
        lengths = [float(np.hypot(*edge)) for edge in edges]
        longest = int(np.argmax(lengths))
        if lengths[longest] < ROW_BOX_SHAPE * min(lengths):
            continue
        dx, dy = edges[longest]
        sides.append((float(dx), float(dy), lengths[longest]))
    if not sides:
        return None
    # each side walked one way: rightwards for rows across, downwards for rows up the photo, so
    # the angles of one card's rows lie together and not at both ends of the range
    across = _weighted_median([_angle(dx, dy, dx < 0) for dx, dy, _ in sides], sides)
    if abs(across) < np.pi / 4:
        return across
    return _weighted_median([_angle(dx, dy, dy < 0) for dx, dy, _ in sides], sides)


def _angle(dx: float, dy: float, reverse: bool) -> float:
    return float(np.arctan2(-dy, -dx) if reverse else np.arctan2(dy, dx))


def _weighted_median(angles: list[float], sides: list[tuple[float, float, float]]) -> float:
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray([length for _, _, length in sides])[order])
    return float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def quad_from_text(boxes: list[np.ndarray], frame: tuple[int, int]) -> np.ndarray | None:
    """The card's corners estimated from its text boxes (4 x 2 quads in image coordinates):
    the rectangle around the text along the direction of its rows, grown by the card's margins,
    clockwise from top-left. None when there is too little text to tell.

    The rows' direction comes from the detected boxes themselves: the smallest rectangle
    around the text (the old estimate, kept where no box is clearly a row) may lie askew, since
    a card's text fills a ragged shape (a long label column, a short header, the place and date
    of issue far right) whose smallest box need not follow its rows."""
    if len(boxes) < MIN_TEXT_BOXES:
        return None
    points = np.concatenate([np.asarray(b, np.float64).reshape(-1, 2) for b in boxes])
    angle = _rows_direction(boxes)
    rows_seen = angle is not None
    if angle is None:
        _, (w, h), degrees = cv2.minAreaRect(points.astype(np.float32))
        # the rectangle's long side is its width
        angle = float(np.radians(degrees + (90.0 if w < h else 0.0)))
    along = np.array([np.cos(angle), np.sin(angle)])
    across = np.array([-np.sin(angle), np.cos(angle)])
    u, v = points @ along, points @ across
    centre = along * (u.min() + u.max()) / 2 + across * (v.min() + v.max()) / 2
    half_w = float(np.ptp(u)) * (1 + 2 * TEXT_MARGIN[0]) / 2
    half_h = float(np.ptp(v)) * (1 + 2 * TEXT_MARGIN[1]) / 2
    if rows_seen and half_w < half_h:
        # rows of short values under a tall header and a blank right half: a text block higher
        # than wide on a card whose rows run across, which the warp would stand on its short
        # edge and read sideways. The card is as long as its aspect makes it, either way round
        half_w = half_h * CARD_ASPECT
    corners = np.array(
        [centre + su * half_w * along + sv * half_h * across for su, sv in SIGNS], np.float32
    )
    corners[:, 0] = np.clip(corners[:, 0], 0, frame[0] - 1)
    corners[:, 1] = np.clip(corners[:, 1], 0, frame[1] - 1)
    return order_corners(corners)


def rotate_180(pre: Preprocessed, backend: ImageBackend | None = None) -> Preprocessed:
    """The same card turned upside down (used when the upright read looks wrong).

    The deskew is redone: it looks at the text column, which was on the other side.
    """
    backend = backend or CpuBackend()
    return _finish(
        backend.upload(cv2.rotate(pre.warped, cv2.ROTATE_180)),
        backend,
        card_found=pre.card_found,
        card_area_share=pre.card_area_share,
        rotation=(pre.rotation + 180) % 360,
        source_card_size=pre.source_card_size,
        frame_size=pre.frame_size,
        method=pre.method,
    )
