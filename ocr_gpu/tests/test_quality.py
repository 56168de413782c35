"""Image-quality measures: sharpness, glare, colour, detection facts."""

from __future__ import annotations

import cv2
import numpy as np

from ocr_gpu.loading import load_image
from ocr_gpu.quality import glare_share, measure, sharpness
from ocr_gpu.testing.cards import make_card

META = {"card_found": True, "card_area_share": 1.0, "source_card_width": 1012.0,
        "source_card_height": 638.0}  # fmt: skip


def _card() -> np.ndarray:
    return load_image(make_card("ktp", "clean", 12)[0])


def test_blurred_card_is_less_sharp():
    card = _card()
    blurred = cv2.GaussianBlur(card, (0, 0), 3)
    sharp_q, blur_q = measure(card, META), measure(blurred, META)
    assert blur_q["sharpness"] < sharp_q["sharpness"] / 4
    assert blur_q["blurry"] and not sharp_q["blurry"]


def test_glare_spot_raises_glare():
    # given a card with a white specular spot over the text column
    card = _card()
    spotted = card.copy()
    cv2.circle(spotted, (300, 350), 90, (255, 255, 255), -1)
    gray = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    spotted_gray = cv2.cvtColor(spotted, cv2.COLOR_BGR2GRAY)
    # then
    assert glare_share(gray) < 0.01
    assert glare_share(spotted_gray) > 0.05
    assert measure(spotted, META)["glare_detected"]


def _scanned_on_white_paper(card: np.ndarray) -> np.ndarray:
    """The card as a flatbed scan gives it: white paper round it, resized to the card's size
    (no outline was found, so the whole scan is read as the card)."""
    height, width = card.shape[:2]
    page = np.full((height + 120, width + 120, 3), 255, np.uint8)
    page[60 : 60 + height, 60 : 60 + width] = card
    return cv2.resize(page, (width, height), interpolation=cv2.INTER_AREA)


def test_white_paper_round_a_scanned_card_is_no_glare():
    scan = _scanned_on_white_paper(_card())
    flat = {**META, "card_found": False, "detection": "flat"}

    assert not measure(scan, flat)["glare_detected"]


def test_glare_on_a_scanned_card_still_counts_and_at_an_outlined_card_s_edge_too():
    card = _card()
    spotted = card.copy()
    cv2.circle(spotted, (300, 350), 110, (255, 255, 255), -1)
    flat = {**META, "card_found": False, "detection": "flat"}
    assert measure(_scanned_on_white_paper(spotted), flat)["glare_detected"]
    # an outlined card has no paper round it: a spot reaching its edge is glare
    edge = card.copy()
    cv2.circle(edge, (0, 350), 150, (255, 255, 255), -1)
    assert measure(edge, {**META, "detection": "colour"})["glare_detected"]


def test_grayscale_copy_is_suspected():
    card = _card()
    gray = cv2.cvtColor(cv2.cvtColor(card, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    assert not measure(card, META)["grayscale_suspected"]
    assert measure(gray, META)["grayscale_suspected"]


def test_small_card_in_the_frame_is_low_resolution():
    small = {**META, "source_card_width": 400.0, "source_card_height": 250.0}
    assert measure(_card(), small)["low_resolution"]
    assert not measure(_card(), META)["low_resolution"]


def test_dark_image_has_low_brightness_and_contrast_is_measured():
    card = _card()
    dark = (card * 0.3).astype(np.uint8)
    bright_q, dark_q = measure(card, META), measure(dark, META)
    assert dark_q["brightness"] < bright_q["brightness"] / 2
    assert 0 < dark_q["contrast"] < bright_q["contrast"]
    assert sharpness(cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)) > 100
