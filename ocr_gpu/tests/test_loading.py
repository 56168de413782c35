"""Decoding uploads: JPEG/PNG with EXIF orientation and alpha, PDF first page, bad files."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from ocr_gpu.loading import ImageUnreadable, load_image
from ocr_gpu.testing.cards import make_card


def _encode(image: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _marker_image() -> Image.Image:
    """300x200, red block in the top-left corner: shows which way up it was decoded."""
    image = Image.new("RGB", (300, 200), "white")
    image.paste((255, 0, 0), (0, 0, 60, 40))
    return image


def test_png_is_decoded_to_bgr_uint8():
    bgr = load_image(_encode(_marker_image(), "PNG"))
    assert bgr.dtype == np.uint8 and bgr.shape == (200, 300, 3)
    assert tuple(bgr[10, 10]) == (0, 0, 255)  # red, in BGR order


def test_jpeg_exif_orientation_is_applied():
    # given a JPEG stored sideways with EXIF orientation 6 ("rotate 90 CW to view")
    stored = _marker_image().transpose(Image.Transpose.ROTATE_90)  # marker now bottom-left
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _encode(stored, "JPEG", exif=exif, quality=95)
    # when
    bgr = load_image(data)
    # then it comes out upright, red marker back in the top-left
    assert bgr.shape == (200, 300, 3)
    assert bgr[10, 10, 2] > 200 and bgr[10, 10, 0] < 60


def test_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (50, 40), (0, 0, 0, 0))
    image.paste((0, 0, 0, 255), (0, 0, 10, 10))
    bgr = load_image(_encode(image, "PNG"))
    assert tuple(bgr[30, 30]) == (255, 255, 255)
    assert tuple(bgr[5, 5]) == (0, 0, 0)


def test_pdf_first_page_is_rendered():
    # given a one-page PDF made from a card image (Pillow writes it at 72 dpi)
    card = Image.open(io.BytesIO(make_card("ktp", "clean", 1)[0]))
    data = _encode(card.convert("RGB"), "PDF")
    # when
    bgr = load_image(data)
    # then it is rendered at about 270 dpi: 270/72 times the pixel size, same aspect
    assert bgr.shape[1] == pytest.approx(1012 * 270 / 72, rel=0.02)
    assert bgr.shape[1] / bgr.shape[0] == pytest.approx(1012 / 638, rel=0.01)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "image_empty"),
        (b"not an image at all", "image_unreadable"),
        (b"%PDF-1.4 garbage without objects", "pdf_unreadable"),
    ],
)
def test_bad_bytes_raise_image_unreadable(data, code):
    with pytest.raises(ImageUnreadable) as caught:
        load_image(data)
    assert caught.value.code == code
    assert caught.value.permanent


def test_truncated_jpeg_raises_image_unreadable():
    data, _ = make_card("npwp", "mild", 2)
    with pytest.raises(ImageUnreadable) as caught:
        load_image(data[: len(data) // 2])
    assert caught.value.code == "image_unreadable"
