"""Inspection of an uploaded file before anything is stored.

The type comes from magic bytes, never from the name or Content-Type. Images are really
decoded under a pixel limit (decompression bombs refused), turned upright by EXIF and
re-encoded without metadata, which also drops anything appended to the image (polyglots).
PDFs are accepted only when their first page renders.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from filot.errors import FilotError

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"
EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf"}


class UploadRejected(FilotError):
    """A refused file: the status and code say why (413 size, 415 type, 422 content)."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    max_pixels: int
    min_long_side: int
    min_short_side: int
    pdf_dpi: int


@dataclass(frozen=True)
class InspectedUpload:
    data: bytes  # what is stored: re-encoded image, or the PDF as received
    content_type: str
    width: int
    height: int
    sha256: str  # of the bytes the client sent
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
    digest = hashlib.sha256(data).hexdigest()
    if content_type == PDF:
        picture = _render_pdf(data, limits)
        stored = data
    else:
        stored, picture = _reencode_image(data, content_type, limits)
    width, height = picture.size
    _check_resolution(width, height, limits)
    return InspectedUpload(
        data=stored,
        content_type=content_type,
        width=width,
        height=height,
        sha256=digest,
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
    grey = np.asarray(image.convert("L"), dtype=np.float32)
    small = cv2.resize(grey, (sample, sample), interpolation=cv2.INTER_AREA)
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


def _reencode_image(
    data: bytes, content_type: str, limits: UploadLimits
) -> tuple[bytes, Image.Image]:
    expected_format = "JPEG" if content_type == JPEG else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data), formats=[expected_format])
            if image.width * image.height > limits.max_pixels:
                raise UploadRejected(
                    "The image has too many pixels.",
                    code="image_too_many_pixels",
                    details={"max_pixels": limits.max_pixels},
                    status_code=422,
                )
            image.load()
            image = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected(
            "The image has too many pixels.",
            code="image_too_many_pixels",
            details={"max_pixels": limits.max_pixels},
            status_code=422,
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _unreadable("image") from exc

    out = io.BytesIO()
    if expected_format == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=95, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, format="PNG", optimize=False)
    return out.getvalue(), image


def _render_pdf(data: bytes, limits: UploadLimits) -> Image.Image:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _unreadable("PDF") from exc
    try:
        if len(pdf) < 1:
            raise _unreadable("PDF")
        page = pdf[0]
        scale = limits.pdf_dpi / 72
        width_pt, height_pt = page.get_size()
        width, height = round(width_pt * scale), round(height_pt * scale)
        if width <= 0 or height <= 0 or width * height > limits.max_pixels:
            raise UploadRejected(
                "The PDF page is too large to render.",
                code="image_too_many_pixels",
                details={"max_pixels": limits.max_pixels},
                status_code=422,
            )
        rendered: Image.Image = page.render(scale=scale).to_pil()
        return rendered
    except pdfium.PdfiumError as exc:
        raise _unreadable("PDF") from exc
    finally:
        pdf.close()


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
