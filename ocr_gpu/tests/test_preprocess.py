"""Card detection, warping, orientation to landscape, deskew, and the backend choice."""

from __future__ import annotations

import logging

import cv2
import numpy as np
import pytest

from ocr_gpu.backends import CpuBackend, CudaBackend, cuda_device_count, select_backend
from ocr_gpu.loading import load_image
from ocr_gpu.preprocess import (
    CARD_SIZE,
    _part_of,
    estimate_skew,
    preprocess,
    quad_from_text,
    rotate_small,
)
from ocr_gpu.testing.cards import make_card


def _image(doc_type: str, level: str, seed: int) -> np.ndarray:
    return load_image(make_card(doc_type, level, seed)[0])


def test_flat_scan_passes_through_unharmed():
    # given a clean scan that is exactly the card
    scan = _image("ktp", "clean", 3)
    # when
    pre = preprocess(scan)
    # then it is kept as it is: no turn, no skew, same pixels
    assert pre.card_found and pre.rotation == 0 and pre.deskew_angle == 0.0
    assert pre.card.shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])
    assert np.abs(pre.card.astype(int) - scan.astype(int)).mean() < 1.0


@pytest.mark.parametrize("doc_type", ["ktp", "npwp"])
@pytest.mark.parametrize("seed", [21, 22, 23])
def test_card_is_found_in_a_table_photo(doc_type, seed):
    pre = preprocess(_image(doc_type, "hard", seed))
    assert pre.card_found and pre.method in {"colour", "edges"}
    assert 0.3 < pre.card_area_share < 0.7
    assert pre.card.shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])


@pytest.mark.parametrize("doc_type", ["ktp", "npwp"])
def test_card_is_found_on_a_scanner_bed(doc_type):
    pre = preprocess(_image(doc_type, "mild", 31))
    assert pre.card_found and pre.method != "flat"
    assert 0.6 < pre.card_area_share < 0.95


def test_photo_without_a_card_does_not_find_one():
    # given a 4:3 photo of a textured wall: noise, blotches, no card
    rng = np.random.default_rng(5)
    blotches = cv2.resize(rng.integers(0, 255, (12, 16, 3), dtype=np.uint8), (1280, 960))
    photo = np.clip(blotches.astype(int) + rng.normal(0, 20, blotches.shape), 0, 255)
    # when
    pre = preprocess(photo.astype(np.uint8))
    # then
    assert not pre.card_found and pre.card_area_share == 0.0
    assert pre.card.shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])


def test_sideways_photo_is_turned_to_landscape():
    photo = cv2.rotate(_image("ktp", "hard", 24), cv2.ROTATE_90_CLOCKWISE)
    pre = preprocess(photo)
    assert pre.card_found and pre.rotation in {90, 270}
    assert pre.card.shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])


def test_small_skew_is_measured_and_undone():
    # given a clean card turned 2 degrees clockwise
    gray = cv2.cvtColor(_image("ktp", "clean", 4), cv2.COLOR_BGR2GRAY)
    tilted = rotate_small(gray, 2.0)
    # when / then
    assert estimate_skew(tilted) == pytest.approx(2.0, abs=0.3)
    assert estimate_skew(gray) == pytest.approx(0.0, abs=0.3)


def _in_uneven_light(image: np.ndarray, *, light_on_dark: bool = False) -> np.ndarray:
    """The card lit from one corner: a third as bright at the top left as at the bottom right."""
    if light_on_dark:
        image = 255 - image
    height, width = image.shape[:2]
    rows, columns = np.mgrid[0:height, 0:width]
    light = 0.35 + 0.65 * (columns / width + rows / height) / 2
    return np.clip(image * light[..., None], 0, 255).astype(np.uint8)


@pytest.mark.parametrize("light_on_dark", [False, True])
@pytest.mark.parametrize("seed", [3, 4])
def test_skew_is_measured_on_the_print_not_the_light(seed, light_on_dark):
    # given a scan in uneven light (dark print on a light card, or light print on a dark one),
    # upright and turned 2 degrees clockwise
    card = _image("ktp", "clean", seed)
    upright = _in_uneven_light(card, light_on_dark=light_on_dark)
    tilted = _in_uneven_light(rotate_small(card, 2.0), light_on_dark=light_on_dark)
    # when / then the upright one is left upright and the tilted one turned back (a threshold
    # of the raw grey lines up the light's gradient instead: no turn, or 4 degrees the wrong way)
    assert preprocess(upright).deskew_angle == 0.0
    assert preprocess(tilted).deskew_angle == pytest.approx(2.0, abs=0.3)


def test_backend_falls_back_to_cpu_when_cuda_is_absent(caplog):
    if cuda_device_count() > 0:
        pytest.skip("a CUDA device is present here")
    with caplog.at_level(logging.INFO, logger="ocr_gpu.backends"):
        backend = select_backend(gpu_enabled=True)
    assert backend.name == "cpu"
    assert backend.fallback_reason == "OpenCV has no CUDA device here"
    assert "reason=OpenCV has no CUDA device here" in caplog.text


def test_backend_is_cpu_without_a_reason_when_gpu_is_disabled():
    backend = select_backend(gpu_enabled=False)
    assert (backend.name, backend.fallback_reason) == ("cpu", None)


@pytest.mark.skipif(cuda_device_count() == 0, reason="OpenCV has no CUDA device here")
def test_cuda_backend_matches_cpu_backend():
    # given the same photo through both backends
    photo = _image("ktp", "hard", 25)
    cpu, cuda = preprocess(photo, CpuBackend()), preprocess(photo, CudaBackend())
    # then the same card comes out (interpolation differs slightly between implementations)
    assert cuda.card_found == cpu.card_found
    assert cuda.card_area_share == pytest.approx(cpu.card_area_share, abs=0.02)
    assert np.abs(cuda.gray.astype(int) - cpu.gray.astype(int)).mean() < 6


def _turned(
    rows: list[tuple[int, int, int]], angle_deg: float, height: int, at: tuple[int, int]
) -> list[np.ndarray]:
    """Boxes ``height`` high of rows given as (x, y, width), turned by ``angle_deg`` and moved
    to ``at`` in the photo, as a detector gives them."""
    turn = np.radians(angle_deg)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    boxes = []
    for x, y, width in rows:
        corners = np.array(
            [[x, y], [x + width, y], [x + width, y + height], [x, y + height]], float
        )
        boxes.append((corners @ rotation.T + list(at)).astype(np.float32))
    return boxes


def _row_boxes(angle_deg: float, at: tuple[int, int] = (400, 300)) -> list[np.ndarray]:
    """Text boxes of a card as a detector gives them: a long label column, a short header at
    the right, the place and date of issue far right under the photo; turned by ``angle_deg``."""
    rows = [(300, 40, 260), (300, 80, 300)]  # header: x, y, width
    rows += [(60, 130 + 36 * i, w) for i, w in enumerate([620, 380, 420, 300, 520, 200, 260])]
    rows += [(820, 420, 130), (830, 452, 110)]
    return _turned(rows, angle_deg, 24, at)


def _top_edge_angle(quad: np.ndarray) -> float:
    (x0, y0), (x1, y1) = quad[0], quad[1]
    return float(np.degrees(np.arctan2(y1 - y0, x1 - x0)))


@pytest.mark.parametrize("angle", [0.0, 8.0, -12.0])
def test_a_card_located_by_its_text_lies_along_its_rows(angle):
    """The smallest rectangle around a card's ragged text lies askew (3 degrees for these
    upright rows), which warped a card found on a light desk into a tilted, cut-off one; the
    rectangle follows the rows the detector boxed."""
    quad = quad_from_text(_row_boxes(angle), (2400, 2000))

    assert quad is not None
    assert abs(_top_edge_angle(quad) - angle) < 0.5
    assert abs(_top_edge_angle(quad[[3, 2]]) - angle) < 0.5  # the bottom edge too


@pytest.mark.parametrize("angle", [0.0, 6.0, -9.0])
def test_a_card_whose_text_block_is_higher_than_wide_is_still_located_lying_down(angle):
    """Short values under a header, the issue place under the photo at the left, the card's
    right half blank: the text's box is higher than wide, and a card located by it was stood
    on its short edge and read sideways (a legible hard photo rejected as unreadable)."""
    rows = [(120, 20, 200), (120, 52, 150), (160, 110, 170)]  # header, NIK
    rows += [(160, 150 + 30 * i, w) for i, w in enumerate([150, 170, 120, 90, 160, 60, 140])]
    rows += [(10, 330, 70), (10, 356, 80), (160, 420, 160)]  # issue place and date, validity

    quad = quad_from_text(_turned(rows, angle, 20, (900, 700)), (2400, 2000))

    assert quad is not None
    top = float(np.linalg.norm(quad[1] - quad[0]))
    side = float(np.linalg.norm(quad[3] - quad[0]))
    assert top / side == pytest.approx(1.586, abs=0.02)
    assert abs(_top_edge_angle(quad) - angle) < 0.5


@pytest.mark.parametrize("angle", [90.0, 84.0, -95.0])
def test_a_card_standing_on_its_short_edge_is_located_along_its_rows(angle):
    """A card photographed standing up on a light desk: its rows run up the photo, and the
    rectangle round its text, taken the long way across the rows, was warped into a card whose
    words stood on end (an NPWP held upright came back with no field)."""
    quad = quad_from_text(_row_boxes(angle, at=(1200, 1200)), (2400, 2400))

    assert quad is not None
    edges = [quad[(i + 1) % 4] - quad[i] for i in range(4)]
    longest = max(edges, key=lambda edge: float(np.hypot(*edge)))
    # the card's long edges follow the rows, within half a degree
    rows = np.degrees(np.arctan2(longest[1], longest[0])) - angle
    assert min(abs((rows + 90) % 180 - 90), 90) < 0.5


def _quad(*corners: tuple[float, float]) -> np.ndarray:
    return np.array(corners, np.float32)


def test_a_piece_of_a_card_the_colour_mask_kept_gives_way_to_the_cards_outline():
    # a light card under uneven light: the colour mask lost its darker lower left, and the quad
    # found cuts across the card's text from the top left corner to the bottom right one
    outline = _quad((21, 59), (628, 96), (594, 454), (22, 430))
    piece = _quad((22, 63), (625, 96), (592, 451), (138, 310))

    assert _part_of(piece, outline)
    assert not _part_of(outline, piece)


def test_a_card_on_a_larger_sheet_is_not_taken_for_a_piece_of_the_sheet():
    sheet = _quad((40, 40), (600, 40), (600, 440), (40, 440))
    card = _quad((200, 150), (400, 150), (400, 276), (200, 276))

    assert not _part_of(card, sheet)


def test_an_outline_more_askew_than_the_piece_it_holds_is_not_preferred():
    # a card running out of the frame: the edges drew a wedge of the desk into their quad
    piece = _quad((130, 370), (590, 220), (620, 470), (200, 470))
    wedge = _quad((15, 390), (595, 215), (625, 478), (150, 470))

    assert not _part_of(piece, wedge)
