"""The perceptual hash behind the near-identical picture check."""

from __future__ import annotations

import io
import itertools

import pytest
from django.conf import settings
from PIL import Image

from documents.validation import hamming_distance, perceptual_hash
from ocr_gpu.testing.cards import make_card


def picture(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def resaved(data: bytes, scale: float, quality: int) -> Image.Image:
    image = picture(data).convert("RGB")
    image = image.resize((round(image.width * scale), round(image.height * scale)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality)
    return picture(out.getvalue())


@pytest.mark.parametrize("level", ["clean", "mild", "hard"])
def test_a_resized_recompressed_copy_stays_within_the_limit(level):
    data, _ = make_card("ktp", level, 21)
    original = perceptual_hash(picture(data))
    for scale, quality in [(0.5, 40), (0.75, 60), (0.9, 85)]:
        copy = perceptual_hash(resaved(data, scale, quality))
        assert hamming_distance(original, copy) <= settings.NEAR_IMAGE_MAX_DISTANCE


@pytest.mark.parametrize("level", ["clean", "mild"])
def test_flat_scans_of_different_peoples_cards_are_told_apart(level):
    hashes = [perceptual_hash(picture(make_card("ktp", level, seed)[0])) for seed in range(8)]
    for a, b in itertools.combinations(hashes, 2):
        assert hamming_distance(a, b) > settings.NEAR_IMAGE_MAX_DISTANCE


def test_hash_has_256_bits():
    assert len(perceptual_hash(picture(make_card("npwp", "clean", 1)[0]))) == 64
