"""Lossless removal of metadata from stored JPEG and PNG files.

Only container segments are dropped; the compressed picture data is copied byte for byte, so
the decoded pixels are identical and nothing is re-encoded. What goes: EXIF (GPS, camera,
dates), XMP, Photoshop/IPTC blocks and comments in JPEG; ``eXIf``, text and time chunks in
PNG; and anything after the end of the image (appended archives or scripts).

EXIF orientation is a display instruction the OCR loader honours
(``ocr_gpu.loading.load_image`` calls ``ImageOps.exif_transpose``), so when the source says
the picture is rotated or mirrored a minimal EXIF block with only the Orientation tag is kept.
Intake already turns images upright before storing them, so in practice stored files carry
no EXIF at all; keeping the tag here makes the functions safe on any input.
"""

from __future__ import annotations

import struct
import warnings
import zlib

from PIL import Image

JPEG_SOI = b"\xff\xd8"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ORIENTATION_TAG = 0x0112

_APP1, _APP13, _COM = 0xE1, 0xED, 0xFE
_DROPPED_JPEG_MARKERS = frozenset({_APP1, _APP13, _COM})
_SOS, _EOI, _TEM = 0xDA, 0xD9, 0x01
_EXIF_HEADER = b"Exif\x00\x00"
_DROPPED_PNG_CHUNKS = frozenset({b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"})


class MalformedImage(ValueError):
    """The marker or chunk structure is broken; the caller should refuse the file."""


def strip_metadata(data: bytes, content_type: str) -> bytes:
    """Sanitise ``data`` by its type; PDFs and anything else come back unchanged."""
    if content_type == "image/jpeg":
        return strip_jpeg(data)
    if content_type == "image/png":
        return strip_png(data)
    return data


def orientation_of(exif_tiff: bytes) -> int:
    """The EXIF Orientation (1-8) in a TIFF-structured EXIF block, 1 when absent or unreadable."""
    exif = Image.Exif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns on corrupt EXIF; it is dropped anyway
            exif.load(exif_tiff)
            value = exif.get(ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block only means "no orientation"
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def orientation_only_exif(orientation: int) -> bytes:
    """A TIFF-structured EXIF block (no ``Exif\\0\\0`` prefix) holding only Orientation."""
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    return exif.tobytes()[len(_EXIF_HEADER) :]


def strip_jpeg(data: bytes) -> bytes:
    """Drop APP1 (EXIF, XMP), APP13 (Photoshop/IPTC) and COM segments and any bytes after EOI.

    Raises ``MalformedImage`` when the marker stream is broken.
    """
    if not data.startswith(JPEG_SOI):
        raise MalformedImage("not a JPEG")
    out = bytearray(JPEG_SOI)
    orientation: int | None = None  # from the first EXIF block, the one readers honour
    pos = 2
    size = len(data)
    while True:
        # Fill bytes (0xFF runs) may precede a marker.
        if pos >= size or data[pos] != 0xFF:
            raise MalformedImage(f"expected a marker at offset {pos}")
        while pos < size and data[pos] == 0xFF:
            pos += 1
        if pos >= size:
            raise MalformedImage("file ends inside a marker")
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            out += b"\xff\xd9"
            break
        if marker == _TEM or 0xD0 <= marker <= 0xD7:
            out += bytes((0xFF, marker))  # standalone markers carry no length
            continue
        if pos + 2 > size:
            raise MalformedImage("file ends inside a segment length")
        (length,) = struct.unpack(">H", data[pos : pos + 2])
        end = pos + length
        if length < 2 or end > size:
            raise MalformedImage(f"segment 0x{marker:02X} runs past the end of the file")
        payload = data[pos + 2 : end]
        if marker == _APP1 and payload.startswith(_EXIF_HEADER) and orientation is None:
            orientation = orientation_of(payload[len(_EXIF_HEADER) :])
        if marker not in _DROPPED_JPEG_MARKERS:
            out += bytes((0xFF, marker)) + data[pos:end]
        pos = end
        if marker == _SOS:
            scan_end = _entropy_coded_end(data, pos)
            out += data[pos:scan_end]
            pos = scan_end
    if orientation is not None and orientation != 1:
        at = 2
        if out[2:4] == b"\xff\xe0":  # keep a JFIF APP0 first, as the JFIF spec asks
            at = 4 + struct.unpack(">H", out[4:6])[0]
        out[at:at] = _jpeg_app1(_EXIF_HEADER + orientation_only_exif(orientation))
    return bytes(out)


def _entropy_coded_end(data: bytes, pos: int) -> int:
    """Offset of the first marker after the scan data starting at ``pos``."""
    size = len(data)
    while True:
        found = data.find(b"\xff", pos)
        if found < 0 or found + 1 >= size:
            raise MalformedImage("scan data has no end marker")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos = found + 2  # stuffed 0xFF or restart marker: still scan data
        elif following == 0xFF:
            pos = found + 1  # fill byte; look again from the next 0xFF
        else:
            return found


def _jpeg_app1(payload: bytes) -> bytes:
    if len(payload) + 2 > 0xFFFF:
        raise MalformedImage("EXIF block too large")
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def strip_png(data: bytes) -> bytes:
    """Drop ``eXIf``, ``tEXt``, ``iTXt``, ``zTXt`` and ``tIME`` chunks and bytes after IEND.

    Raises ``MalformedImage`` when the chunk structure is broken.
    """
    if not data.startswith(PNG_SIGNATURE):
        raise MalformedImage("not a PNG")
    out = bytearray(PNG_SIGNATURE)
    exif_at: int | None = None  # where the first eXIf chunk was
    orientation = 1  # from the last eXIf chunk, the one Pillow honours
    pos = len(PNG_SIGNATURE)
    size = len(data)
    while True:
        if pos + 8 > size:
            raise MalformedImage("file ends before IEND")
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        end = pos + 12 + length
        if end > size:
            raise MalformedImage(f"chunk {kind!r} runs past the end of the file")
        if kind == b"eXIf":
            exif_at = len(out) if exif_at is None else exif_at
            orientation = orientation_of(data[pos + 8 : pos + 8 + length])
        elif kind not in _DROPPED_PNG_CHUNKS:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            break
    if exif_at is not None and orientation != 1:
        out[exif_at:exif_at] = _png_chunk(b"eXIf", orientation_only_exif(orientation))
    return bytes(out)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)
