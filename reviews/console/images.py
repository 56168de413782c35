"""Card images for the console: read from storage, downscaled for the viewer."""

from __future__ import annotations

import io
from collections.abc import Iterator

from PIL import Image, ImageOps

from documents.models import Document
from documents.storage import read_file
from ocr_gpu.loading import load_image

FULL = 2000  # longest side, in pixels, of the image the case page shows
PREVIEW = 1012  # longest side of a related card shown beside the case
MASK_CELLS = 24  # a masked preview keeps this many cells across: layout, never text
CHUNK = 64 * 1024


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def _decode(data: bytes, max_side: int | None) -> Image.Image:
    if data[:5] == b"%PDF-":
        # The first page, rendered as the OCR saw it (pure decoding, no OCR).
        bgr = load_image(data)
        return Image.fromarray(bgr[:, :, ::-1])
    opened = Image.open(io.BytesIO(data))
    if max_side and opened.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: a 6000x4000 photo costs a fraction.
        opened.draft("RGB", (max_side, max_side))
    image: Image.Image = ImageOps.exif_transpose(opened) or opened
    return image.convert("RGB")


def image_for_viewer(document: Document, *, max_side: int | None) -> tuple[Iterator[bytes], str]:
    """The document's picture, longest side at most ``max_side`` (``None``: as uploaded)."""
    data = read_file(document.storage_key)
    if max_side is None and document.content_type in ("image/jpeg", "image/png"):
        return _chunks(data), document.content_type
    image = _decode(data, max_side)
    if max_side and max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return _chunks(out.getvalue()), "image/jpeg"


def card_for_viewer(key: str) -> tuple[Iterator[bytes], str]:
    """The stored canonical card (a 1012x638 JPEG written by OCR), served as it is."""
    return _chunks(read_file(key)), "image/jpeg"


def _jpeg(image: Image.Image) -> tuple[Iterator[bytes], str]:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return _chunks(out.getvalue()), "image/jpeg"


def preview_for_viewer(document: Document) -> tuple[Iterator[bytes], str]:
    """The same user's other card beside the case: the upload, downscaled."""
    image = _decode(read_file(document.storage_key), PREVIEW)
    image.thumbnail((PREVIEW, PREVIEW), Image.Resampling.LANCZOS)
    return _jpeg(image)


def masked_preview(document: Document) -> tuple[Iterator[bytes], str]:
    """Another user's matching picture as coarse blocks: enough to see that two uploads are
    the same photo (layout, colours, where the portrait is), too coarse to read a word."""
    image = _decode(read_file(document.storage_key), 400)
    width, height = image.size
    cells = (MASK_CELLS, max(1, round(MASK_CELLS * height / max(width, 1))))
    coarse = image.resize(cells, Image.Resampling.BOX)
    shown = (480, max(1, round(480 * height / max(width, 1))))
    return _jpeg(coarse.resize(shown, Image.Resampling.NEAREST))
