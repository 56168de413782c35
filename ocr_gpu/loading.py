"""Decode an uploaded file (JPEG, PNG, PDF first page) into a BGR ``uint8`` array."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

PDF_DPI = 270  # as intake renders a PDF (DOCUMENT_PDF_RENDER_DPI): an A4 scan's card 910 px wide
MAX_PIXELS = 60_000_000  # refuse decompression bombs before decoding


class ImageUnreadable(Exception):
    """The file cannot be decoded as an image; retrying will not help (permanent)."""

    permanent = True

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _load_pdf(data: bytes) -> np.ndarray:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise ImageUnreadable("pdf_unreadable", f"PDF cannot be opened: {error}") from error
    try:
        if len(document) == 0:
            raise ImageUnreadable("pdf_empty", "PDF has no pages")
        page = document[0]
        width_pt, height_pt = page.get_size()
        scale = PDF_DPI / 72
        if width_pt * height_pt * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width_pt * height_pt)) ** 0.5
        rgb = page.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])


def _flatten(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def load_image(data: bytes) -> np.ndarray:
    """Decode ``data`` to BGR uint8, applying EXIF orientation and flattening alpha on white.

    Raises ``ImageUnreadable`` for empty, truncated, corrupt or oversized files.
    """
    if not data:
        raise ImageUnreadable("image_empty", "the file is empty")
    if data[:5] == b"%PDF-":
        return _load_pdf(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
            if opened.width * opened.height > MAX_PIXELS:
                raise ImageUnreadable("image_too_large", "the image has too many pixels")
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened) or opened
            rgb = _flatten(image)
    except ImageUnreadable:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as error:
        raise ImageUnreadable("image_unreadable", f"image cannot be decoded: {error}") from error
    return np.ascontiguousarray(np.asarray(rgb)[:, :, ::-1])
