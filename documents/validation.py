"""Inspection of an uploaded file before anything is stored.

The type comes from magic bytes, never from the name or Content-Type. Images are really
decoded under a pixel limit (decompression bombs refused), turned upright by EXIF and
re-encoded without metadata, which also drops anything appended to the image (polyglots).
PDFs are accepted only when their first page renders, they carry no active content (scripts,
launch actions, embedded files, forms that submit) and nothing follows their end marker.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zlib
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
    sha256: str  # of the bytes the client sent (``document_submit`` hashes what it stores)
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
        _refuse_hostile_pdf(data)
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


# Names that make a PDF do something when opened or clicked. ``/OpenAction`` with an array is
# only an initial view (page and zoom) and is allowed; any other ``/OpenAction`` is an action.
_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|AA|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm|ImportData|GoToE"
    rb"|OpenAction(?![\s\x00]*\[))(?=[\s\x00/<>\[\]()%{}]|$)"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INFLATE_BUDGET = 16 * 1024 * 1024  # card PDFs hold kilobytes of non-image streams
_PDF_TAIL_FILLER = b" \t\r\n\x00\x0c"


def _pdf_unescape(text: bytes) -> bytes:
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), text)


def _pdf_scanned_text(data: bytes) -> list[bytes]:
    """The object syntax of a PDF: everything outside streams, plus inflated object streams.

    Binary stream data (the picture itself) is skipped: random bytes would match short names
    like ``/JS`` now and then. Compressed object streams (PDF 1.5) hide dictionaries, so every
    non-image Flate stream is inflated under a budget; a PDF over the budget is refused.
    """
    texts: list[bytes] = []
    budget = _PDF_INFLATE_BUDGET
    position = 0
    for match in _PDF_STREAM.finditer(data):
        head = data[position : match.start()]
        texts.append(head)
        position = match.end()
        dictionary = _pdf_unescape(head[head.rfind(b"obj") + 1 :])
        if b"/Image" in dictionary or b"/Flate" not in dictionary:
            continue
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget + 1)
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget < 0:
            raise UploadRejected(
                "The PDF holds too much compressed data to inspect; upload a plain scan.",
                code="pdf_too_complex",
                status_code=422,
            )
        texts.append(inflated)
    texts.append(data[position:])
    return [_pdf_unescape(text) for text in texts]


def _refuse_hostile_pdf(data: bytes) -> None:
    """Refuse a PDF with scripts or other actions, or with data after its last ``%%EOF``."""
    for text in _pdf_scanned_text(data):
        found = _PDF_ACTIVE.search(text)
        if found is not None:
            raise UploadRejected(
                "PDFs with scripts, actions, forms or attachments are not accepted; "
                "upload a plain scan or a photo of the card.",
                code="pdf_active_content",
                details={"feature": found.group(1).decode("ascii")},
                status_code=422,
            )
    if not data.rstrip(_PDF_TAIL_FILLER).endswith(b"%%EOF"):
        raise UploadRejected(
            "The PDF has data after its end, or its end is missing; upload a plain PDF.",
            code="pdf_trailing_data",
            status_code=422,
        )


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
