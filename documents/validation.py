"""Inspection of an uploaded file before anything is stored.

The type comes from magic bytes, never from the name or Content-Type. Images are really
decoded under a pixel limit (decompression bombs refused), turned upright by EXIF and
re-encoded without metadata, which also drops anything appended to the image (polyglots).
A PDF is never stored: its first page is rendered in a resource-limited child process and the
rendering is stored as a JPEG, so no script, action, attachment or appended payload in the file
can reach anyone who downloads the document.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from documents.pdf_render import RenderLimits, render_first_page
from filot.errors import FilotError

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf"}
ORIENTATION_TAG = 0x0112
JPEG_QUALITY = 90  # no visible loss on a card; 4:2:0 like the phone's own file
PNG_COMPRESS_LEVEL = 3  # most of level 6's size at a third of its time


class UploadRejected(FilotError):
    """A refused file: the status and code say why (413 size, 415 type, 422 content)."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int
    min_long_side: int
    min_short_side: int
    pdf_dpi: int
    # A picture is stored reduced by 2, 4 or 8 while its long side stays at least this.
    store_min_long_side: int = 1600
    pdf_cpu_seconds: int = 3
    pdf_memory_bytes: int = 512 * 1024 * 1024
    pdf_timeout_seconds: float = 10.0

    def render_limits(self) -> RenderLimits:
        return RenderLimits(
            dpi=self.pdf_dpi,
            max_pixels=self.max_pixels,
            cpu_seconds=self.pdf_cpu_seconds,
            memory_bytes=self.pdf_memory_bytes,
            timeout_seconds=self.pdf_timeout_seconds,
        )


@dataclass(frozen=True)
class InspectedUpload:
    data: bytes  # what is stored: the re-encoded picture (a PDF's rendered first page)
    content_type: str  # of ``data``
    source_content_type: str  # what the client sent
    width: int
    height: int
    phash: str  # perceptual hash of the picture, for near-duplicate detection

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def detect_content_type(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def inspect_upload(data: bytes, limits: UploadLimits) -> InspectedUpload:
    """Check an upload and return what is to be stored; raises ``UploadRejected``.

    Cost is bounded by design: a JPEG is decoded once, at the reduced scale it is stored at
    (``_reduction``), and re-encoded at that size; a PDF's page is drawn by a child process under
    CPU, memory and time limits (``documents.pdf_render``).
    """
    if not data:
        raise UploadRejected("The file is empty.", code="file_empty", status_code=400)
    if len(data) > limits.max_bytes:
        raise too_large(limits.max_bytes)
    content_type = detect_content_type(data[:16])
    if content_type is None:
        raise UploadRejected(
            "Only JPEG, PNG and PDF files are accepted.",
            code="unsupported_media_type",
            status_code=415,
        )
    source_type = content_type
    if content_type == PDF:
        # Only the rendered page is kept: scripts, actions, attachments and anything hidden in
        # the file's structure go with the PDF, whatever filters encode them.
        page = render_first_page(data, limits.render_limits())
        _check_resolution(page.width, page.height, limits)
        picture = _reduced(page, limits)
        stored, content_type = _encode(picture, JPEG), JPEG
    else:
        stored, picture = _reencode_image(data, content_type, limits)
    return InspectedUpload(
        data=stored,
        content_type=content_type,
        source_content_type=source_type,
        width=picture.width,
        height=picture.height,
        phash=perceptual_hash(picture),
    )


def perceptual_hash(image: Image.Image, bits_side: int = 16, sample: int = 64) -> str:
    """256-bit DCT perceptual hash (64 hex digits) that survives resizing and re-compression.

    The picture is reduced to 64x64 grey levels; the 16x16 lowest DCT frequencies are compared
    with their median. Measured on generated KTPs (``benchmarks/``): the same picture resized to
    50-90 % and re-saved as JPEG 40-85 stays within 4 bits, while different people's cards of the
    one template differ by 12 bits or more. A 64-bit difference hash could not tell two flat
    scans of different cards apart (1 bit), which is why it is not used.
    """
    grey = image if image.mode == "L" else image.convert("L")
    # BOX is the exact area average, as cv2's INTER_AREA, at a quarter of its time.
    small = np.asarray(grey.resize((sample, sample), Image.Resampling.BOX), dtype=np.float32)
    low = cv2.dct(small)[:bits_side, :bits_side].flatten()
    bits = low > np.median(low[1:])
    return f"{int(''.join('1' if b else '0' for b in bits), 2):0{bits_side * bits_side // 4}x}"


def hamming_distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


def too_large(max_bytes: int) -> UploadRejected:
    return UploadRejected(
        f"The file is larger than {max_bytes // (1024 * 1024)} MiB.",
        code="file_too_large",
        details={"max_bytes": max_bytes},
        status_code=413,
    )


def _unreadable(kind: str) -> UploadRejected:
    return UploadRejected(
        f"The {kind} could not be read; upload a complete, uncorrupted file.",
        code="image_unreadable",
        status_code=422,
    )


def _too_many_pixels(limits: UploadLimits) -> UploadRejected:
    return UploadRejected(
        "The image has too many pixels.",
        code="image_too_many_pixels",
        details={"max_pixels": limits.max_pixels},
        status_code=422,
    )


def _reduction(width: int, height: int, keep_long_side: int) -> int:
    """The largest of 1, 2, 4 and 8 that leaves the long side at least ``keep_long_side``.

    A 12-megapixel photo (4000 x 3000) is stored at 2000 x 1500: the card in it still spans
    more than the 1012 px OCR reads it at, and JPEG decodes at 1/2, 1/4 and 1/8 scale for a
    fraction of the full cost.
    """
    factor = 1
    while factor < 8 and max(width, height) // (factor * 2) >= keep_long_side:
        factor *= 2
    return factor


def _storable(image: Image.Image, content_type: str) -> Image.Image:
    """``image`` in a mode its stored format keeps (and ``Image.reduce`` handles)."""
    if content_type == JPEG:
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    if image.mode in ("1", "I;16", "I;16B", "I"):
        return image.convert("L")
    return image.convert(
        "RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB"
    )


def _reduced(image: Image.Image, limits: UploadLimits) -> Image.Image:
    factor = _reduction(image.width, image.height, limits.store_min_long_side)
    return image.reduce(factor) if factor > 1 else image


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    image = _storable(image, content_type)
    if content_type == JPEG:
        image.save(out, format="JPEG", quality=JPEG_QUALITY)
    else:
        image.save(out, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return out.getvalue()


def _upright_size(image: Image.Image) -> tuple[int, int]:
    orientation = image.getexif().get(ORIENTATION_TAG, 1)
    if orientation in (5, 6, 7, 8):
        return image.height, image.width
    return image.width, image.height


def _reencode_image(
    data: bytes, content_type: str, limits: UploadLimits
) -> tuple[bytes, Image.Image]:
    """Decode once (a large JPEG at reduced scale), turn upright, re-encode without metadata."""
    expected_format = "JPEG" if content_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=[expected_format])
            if image.width * image.height > limits.max_pixels:
                raise _too_many_pixels(limits)
            _check_resolution(*_upright_size(image), limits)
            factor = _reduction(image.width, image.height, limits.store_min_long_side)
            if factor > 1 and expected_format == "JPEG":
                # Decoded at 1/factor by the JPEG library itself: one decode, a quarter of the
                # work or less, and nothing larger than what is stored is ever in memory.
                image.draft(None, (image.width // factor, image.height // factor))
            image.load()
            if factor > 1 and max(image.size) // 2 >= limits.store_min_long_side:
                # A PNG, or a JPEG the library would not scale.
                image = _reduced(_storable(image, content_type), limits)
            ImageOps.exif_transpose(image, in_place=True)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels(limits) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _unreadable("image") from exc
    return _encode(image, content_type), image


def _check_resolution(width: int, height: int, limits: UploadLimits) -> None:
    long_side, short_side = max(width, height), min(width, height)
    if long_side < limits.min_long_side or short_side < limits.min_short_side:
        raise UploadRejected(
            f"The image is too small; it must be at least "
            f"{limits.min_long_side}x{limits.min_short_side} pixels.",
            code="image_too_small",
            details={
                "width": width,
                "height": height,
                "min_long_side": limits.min_long_side,
                "min_short_side": limits.min_short_side,
            },
            status_code=422,
        )
