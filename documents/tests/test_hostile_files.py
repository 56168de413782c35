"""Hostile files posted to the upload endpoint: each is refused with a coded 4xx and leaves
nothing behind, or is accepted only as the genuine image it contains, stored without payloads
or metadata. Every file is generated here; no binaries are committed."""

from __future__ import annotations

import base64
import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from conftest import card_like_image
from documents.models import Document, DocumentTransition
from documents.sanitize import ORIENTATION_TAG

URL = "/api/v1/documents/"
GPS_IFD = 0x8825
SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


# --- builders ---------------------------------------------------------------------------------


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_with_chunks(png: bytes, *chunks: bytes) -> bytes:
    """``png`` with ``chunks`` inserted right after IHDR (signature 8 + IHDR 25 bytes)."""
    return png[:33] + b"".join(chunks) + png[33:]


def png_declaring(width: int, height: int, idat: bytes, bit_depth: int = 1) -> bytes:
    colour_type = 0 if bit_depth == 1 else 2
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def png_bomb(side: int) -> bytes:
    """A PNG of a few hundred kilobytes that inflates to ``side`` x ``side`` black pixels."""
    row = b"\x00" * (1 + (side + 7) // 8)
    squeeze = zlib.compressobj(9)
    idat = b"".join(squeeze.compress(row) for _ in range(side)) + squeeze.flush()
    return png_declaring(side, side, idat)


def jpeg_declaring(width: int, height: int) -> bytes:
    """A real card JPEG whose frame header claims ``width`` x ``height``."""
    data = bytearray(card_like_image())
    pos = 2
    while pos < len(data):
        marker = data[pos + 1]
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in (0xC0, 0xC1, 0xC2):
            data[pos + 5 : pos + 9] = struct.pack(">HH", height, width)
            return bytes(data)
        pos += 2 + length
    raise AssertionError("no frame header")


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def image_of(width: int, height: int, fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 200, 200)).save(buf, format=fmt)
    return buf.getvalue()


def zip_archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("index.html", SCRIPT)
    return buf.getvalue()


def pdf_of(
    *objects: bytes,
    catalog: bytes = b"",
    media_box: bytes = b"[0 0 612 792]",
    page: bytes = b"",
) -> bytes:
    """A hand-built one-page PDF; ``objects`` become objects 4, 5, ... after catalog/pages/page."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox " + media_box + b" " + page + b" >>",
        *objects,
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return out


def pdf_with_script_in_object_stream() -> bytes:
    """PDF 1.5 style: object 5, a JavaScript action, sits in Flate-compressed object stream 4,
    so no ``/JS`` appears in the file's bytes."""
    objects = zlib.compress(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")
    stream = (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
        % len(objects)
        + objects
        + b"\nendstream"
    )
    pdf = pdf_of(stream)
    assert b"/JS" not in pdf and b"JavaScript" not in pdf
    return pdf


def pdf_object_stream(stream_dict: bytes, body: bytes) -> bytes:
    """A PDF whose object 5, a JavaScript action run on open, sits in object stream 4 with the
    given dictionary entries (filters) and encoded body."""
    stream = (
        b"<< /Type /ObjStm /N 1 /First 4 "
        + stream_dict
        + b" /Length %d >>\nstream\n" % len(body)
        + body
        + b"\nendstream"
    )
    return pdf_of(stream, catalog=b"/OpenAction 5 0 R")


ACTION = b"5 0 << /S /JavaScript /JS (app.alert(1)) >>"


def run_length(data: bytes) -> bytes:
    """PDF RunLengthDecode, literal runs only."""
    out = b"".join(
        bytes((len(data[i : i + 128]) - 1,)) + data[i : i + 128] for i in range(0, len(data), 128)
    )
    return out + b"\x80"


def pdf_render_bomb() -> bytes:
    """About 146 KB: one page whose Flate content stream inflates to 60 MB of line drawing.
    Rendering it unbounded took minutes of CPU and about 1 GB of memory."""
    operators = zlib.compress(b"10 10 m 600 780 l S\n" * 3_000_000, 9)
    content = (
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(operators)
        + operators
        + b"\nendstream"
    )
    return pdf_of(content, page=b"/Contents 4 0 R")


def pdf_of_card() -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(card_like_image())).save(buf, format="PDF", resolution=150)
    return buf.getvalue()


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    """A card JPEG with EXIF (GPS, camera, orientation), XMP and a comment."""
    image = Image.open(io.BytesIO(card_like_image(1012, 638)))
    exif = image.getexif()
    exif[ORIENTATION_TAG] = orientation
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "S", (6.0, 10.0, 30.5)  # latitude ref, latitude
    gps[3], gps[4] = "E", (106.0, 49.0, 10.0)
    buf = io.BytesIO()
    image.save(
        buf,
        format="JPEG",
        exif=exif,
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">home-address-xmp</x:xmpmeta>',
        comment=b"home-address-comment",
    )
    return buf.getvalue()


def png_with_metadata() -> bytes:
    exif = Image.Exif()
    exif.get_ifd(GPS_IFD)[2] = (6.0, 10.0, 30.5)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home-address-text")
    info.add_itxt("XML:com.adobe.xmp", "home-address-xmp")
    buf = io.BytesIO()
    Image.open(io.BytesIO(card_like_image(fmt="PNG"))).save(buf, format="PNG", pnginfo=info)
    tiff = exif.tobytes()[len(b"Exif\x00\x00") :]
    time_chunk = png_chunk(b"tIME", struct.pack(">HBBBBB", 2024, 1, 2, 3, 4, 5))
    return png_with_chunks(buf.getvalue(), png_chunk(b"eXIf", tiff), time_chunk)


# --- helpers ----------------------------------------------------------------------------------


def post(client: Any, data: bytes, name: str = "card.jpg", content_type: str = "image/jpeg"):
    return client.post(
        URL,
        {"file": SimpleUploadedFile(name, data, content_type=content_type), "doc_type": "KTP"},
        format="multipart",
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_left_behind() -> None:
    assert Document.objects.count() == 0
    assert DocumentTransition.objects.count() == 0
    assert stored_files() == []


def stored_bytes() -> bytes:
    (path,) = stored_files()
    return path.read_bytes()


# --- refused ----------------------------------------------------------------------------------

# name -> (builder, upload name, declared content type, status, code)
Refused = tuple[Callable[[], bytes], str, str, int, str]
REFUSED: dict[str, Refused] = {
    "zero-size file": (lambda: b"", "card.jpg", "image/jpeg", 400, "file_empty"),
    "HTML named card.jpg as image/jpeg": (
        lambda: SCRIPT,
        "card.jpg",
        "image/jpeg",
        415,
        "unsupported_media_type",
    ),
    "ZIP named card.png as image/png": (
        zip_archive,
        "card.png",
        "image/png",
        415,
        "unsupported_media_type",
    ),
    "SVG with script named card.png": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "card.png",
        "image/png",
        415,
        "unsupported_media_type",
    ),
    "GIF named card.jpg": (
        lambda: image_of(1012, 638, "GIF"),
        "card.jpg",
        "image/jpeg",
        415,
        "unsupported_media_type",
    ),
    "WebP named card.jpg": (
        lambda: image_of(1012, 638, "WEBP"),
        "card.jpg",
        "image/jpeg",
        415,
        "unsupported_media_type",
    ),
    "PNG bomb 30000x30000 (1-bit zeros)": (
        lambda: png_bomb(30000),
        "card.png",
        "image/png",
        422,
        "image_too_many_pixels",
    ),
    "PNG declaring 100000x100000, no data": (
        lambda: png_declaring(100_000, 100_000, zlib.compress(b"\x00" * 64), bit_depth=8),
        "card.png",
        "image/png",
        422,
        "image_too_many_pixels",
    ),
    "PNG declaring 2^31-1 x 2^31-1": (
        lambda: png_declaring(2**31 - 1, 2**31 - 1, zlib.compress(b"\x00"), bit_depth=8),
        "card.png",
        "image/png",
        422,
        "image_too_many_pixels",
    ),
    "JPEG declaring 65000x65000": (
        lambda: jpeg_declaring(65_000, 65_000),
        "card.jpg",
        "image/jpeg",
        422,
        "image_too_many_pixels",
    ),
    "real JPEG of 8000x6000 (48 Mpx)": (
        lambda: image_of(8000, 6000, "JPEG"),
        "card.jpg",
        "image/jpeg",
        422,
        "image_too_many_pixels",
    ),
    "PDF with a 200x200 inch page": (
        lambda: pdf_of(media_box=b"[0 0 14400 14400]"),
        "card.pdf",
        "application/pdf",
        422,
        "image_too_many_pixels",
    ),
    "JPEG truncated at half": (
        lambda: card_like_image()[: len(card_like_image()) // 2],
        "card.jpg",
        "image/jpeg",
        422,
        "image_unreadable",
    ),
    "JPEG SOI marker only": (
        lambda: b"\xff\xd8\xff",
        "card.jpg",
        "image/jpeg",
        422,
        "image_unreadable",
    ),
    "JPEG headers, no scan data": (
        lambda: card_like_image()[:600],
        "card.jpg",
        "image/jpeg",
        422,
        "image_unreadable",
    ),
    "JPEG magic then garbage": (
        lambda: b"\xff\xd8\xff\xe0" + b"\x13\x37" * 4000,
        "card.jpg",
        "image/jpeg",
        422,
        "image_unreadable",
    ),
    "PNG truncated at half": (
        lambda: card_like_image(fmt="PNG")[: len(card_like_image(fmt="PNG")) // 2],
        "card.png",
        "image/png",
        422,
        "image_unreadable",
    ),
    "PNG with a corrupted IHDR CRC": (
        lambda: (
            card_like_image(fmt="PNG")[:29] + b"\x00\x00\x00\x00" + card_like_image(fmt="PNG")[33:]
        ),
        "card.png",
        "image/png",
        422,
        "image_unreadable",
    ),
    "PNG without IDAT": (
        lambda: png_declaring(1012, 638, b"")[:33] + png_chunk(b"IEND", b""),
        "card.png",
        "image/png",
        422,
        "image_unreadable",
    ),
    "PNG signature only": (
        lambda: b"\x89PNG\r\n\x1a\n",
        "card.png",
        "image/png",
        422,
        "image_unreadable",
    ),
    "PDF header only": (
        lambda: b"%PDF-1.7\n",
        "card.pdf",
        "application/pdf",
        422,
        "image_unreadable",
    ),
    "PDF truncated at half": (
        lambda: pdf_of_card()[: len(pdf_of_card()) // 2],
        "card.pdf",
        "application/pdf",
        422,
        "image_unreadable",
    ),
    "PDF with no pages": (
        lambda: pdf_of().replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0"),
        "card.pdf",
        "application/pdf",
        422,
        "image_unreadable",
    ),
    "PDF of 146 KB whose page holds 60 MB of drawing operators": (
        pdf_render_bomb,
        "card.pdf",
        "application/pdf",
        422,
        "pdf_too_complex",
    ),
    "JPEG 1x1 pixel": (
        lambda: image_of(1, 1, "JPEG"),
        "card.jpg",
        "image/jpeg",
        422,
        "image_too_small",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(REFUSED), ids=list(REFUSED))
def test_hostile_file_is_refused_with_a_coded_4xx_and_nothing_stored(auth_client, case):
    build, name, content_type, status, code = REFUSED[case]

    response = post(auth_client, build(), name=name, content_type=content_type)

    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response["X-Request-ID"]
    assert_nothing_left_behind()


# --- accepted only as the genuine image -------------------------------------------------------

# name -> (builder, upload name, declared content type, stored content type, absent markers)
Accepted = tuple[Callable[[], bytes], str, str, str, tuple[bytes, ...]]
ACCEPTED: dict[str, Accepted] = {
    "JPEG + ZIP polyglot": (
        lambda: card_like_image() + zip_archive(),
        "card.jpg",
        "image/jpeg",
        "image/jpeg",
        (b"PK\x03\x04", b"<script>"),
    ),
    "JPEG + HTML/script polyglot": (
        lambda: card_like_image() + SCRIPT,
        "card.jpg",
        "image/jpeg",
        "image/jpeg",
        (b"<script>", b"<html>"),
    ),
    "JPEG + PDF polyglot": (
        lambda: card_like_image() + pdf_of_card(),
        "card.jpg",
        "image/jpeg",
        "image/jpeg",
        (b"%PDF", b"/Catalog"),
    ),
    "PNG + PDF polyglot (PDF appended after IEND)": (
        lambda: card_like_image(fmt="PNG") + pdf_of_card(),
        "card.png",
        "image/png",
        "image/png",
        (b"%PDF", b"/Catalog"),
    ),
    "PNG that is also a PDF (PDF header in a chunk within the first 1 KiB)": (
        lambda: png_with_chunks(
            card_like_image(fmt="PNG"), png_chunk(b"tEXt", b"pdf\x00" + pdf_of_card())
        ),
        "card.png",
        "image/png",
        "image/png",
        (b"%PDF", b"/Catalog", b"tEXt"),
    ),
    "PNG named card.jpg sent as image/jpeg": (
        lambda: card_like_image(fmt="PNG"),
        "card.jpg",
        "image/jpeg",
        "image/png",
        (),
    ),
    "JPEG named card.pdf sent as application/pdf": (
        card_like_image,
        "card.pdf",
        "application/pdf",
        "image/jpeg",
        (),
    ),
    "JPEG with EXIF GPS, XMP and a comment": (
        jpeg_with_metadata,
        "card.jpg",
        "image/jpeg",
        "image/jpeg",
        (b"Exif\x00\x00", b"SpyCam", b"home-address", b"xmpmeta", b"\xff\xfe"),
    ),
    "PNG with eXIf GPS, tEXt, iTXt and tIME": (
        png_with_metadata,
        "card.png",
        "image/png",
        "image/png",
        (b"eXIf", b"tEXt", b"iTXt", b"tIME", b"home-address"),
    ),
}

# Scripted, booby-trapped and polyglot PDFs: only the rendering of the first page is kept, so
# whatever a file hides, and however its streams are encoded, none of it is stored or served.
# Each of the filter variants got past the former scanner of PDF syntax and was served back.
PDF_ACTIVE = (b"%PDF", b"JavaScript", b"app.alert", b"/Launch", b"cmd.exe", b"EmbeddedFiles")
PDF_CASES: dict[str, Callable[[], bytes]] = {
    "PDF with /OpenAction JavaScript": lambda: pdf_of(
        b"<< /S /JavaScript /JS (app.alert(1)) >>", catalog=b"/OpenAction 4 0 R"
    ),
    "PDF with document-level JavaScript (/Names)": lambda: pdf_of(
        b"<< /JavaScript << /Names [(x) 5 0 R] >> >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
        catalog=b"/Names 4 0 R",
    ),
    "PDF with name-escaped /J#61vaScript": lambda: pdf_of(
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>", catalog=b"/Names 4 0 R"
    ),
    "PDF with a /Launch action": lambda: pdf_of(
        b"<< /S /Launch /F (cmd.exe) >>", catalog=b"/OpenAction 4 0 R"
    ),
    "PDF with an embedded file": lambda: pdf_of(
        b"<< /EmbeddedFiles << /Names [] >> >>", catalog=b"/Names 4 0 R"
    ),
    "PDF with JavaScript in a Flate object stream": pdf_with_script_in_object_stream,
    "PDF with JavaScript in an uncompressed object stream": lambda: pdf_object_stream(b"", ACTION),
    "PDF with JavaScript in an ASCIIHex object stream": lambda: pdf_object_stream(
        b"/Filter /ASCIIHexDecode", ACTION.hex().encode() + b">"
    ),
    "PDF with JavaScript in a Flate stream tagged /Image": lambda: pdf_object_stream(
        b"/Subtype /Image /Filter /FlateDecode", zlib.compress(ACTION)
    ),
    "PDF with JavaScript in an ASCII85 object stream": lambda: pdf_object_stream(
        b"/Filter /ASCII85Decode", base64.a85encode(ACTION) + b"~>"
    ),
    "PDF with JavaScript in a RunLength object stream": lambda: pdf_object_stream(
        b"/Filter /RunLengthDecode", run_length(ACTION)
    ),
    "PDF with JavaScript under chained filters (ASCIIHex of Flate)": lambda: pdf_object_stream(
        b"/Filter [/ASCIIHexDecode /FlateDecode]", zlib.compress(ACTION).hex().encode() + b">"
    ),
    "PDF + ZIP polyglot (archive after %%EOF)": lambda: pdf_of_card() + zip_archive(),
    "PDF + HTML polyglot (script after %%EOF)": lambda: pdf_of_card() + SCRIPT,
    "PDF + JPEG polyglot (image after %%EOF)": lambda: pdf_of_card() + card_like_image(),
    "PDF whose unused stream inflates past 16 MiB": lambda: pdf_of(
        b"<< /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"\x00" * (17 * 1024 * 1024), 9)
        + b"\nendstream"
    ),
    "PDF with an /OpenAction that only sets the initial view": lambda: pdf_of(
        catalog=b"/OpenAction [3 0 R /Fit]"
    ),
}
for _name, _build in PDF_CASES.items():
    ACCEPTED[_name] = (
        _build,
        "card.pdf",
        "application/pdf",
        "image/jpeg",
        (*PDF_ACTIVE, b"PK\x03\x04", b"<script>"),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(ACCEPTED), ids=list(ACCEPTED))
def test_file_hiding_a_payload_is_stored_only_as_its_genuine_image(auth_client, case):
    build, name, content_type, stored_type, absent = ACCEPTED[case]

    response = post(auth_client, build(), name=name, content_type=content_type)

    assert response.status_code == 202, response.content
    body = response.json()
    assert body["content_type"] == stored_type
    data = stored_bytes()
    assert [marker for marker in absent if marker in data] == []
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["size_bytes"] == len(data)
    if stored_type != "application/pdf":
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            assert image.size == (body["image_width"], body["image_height"])


@pytest.mark.django_db
def test_scripted_pdf_is_served_back_only_as_the_picture_of_its_page(auth_client):
    upload = pdf_object_stream(b"/Filter /ASCIIHexDecode", ACTION.hex().encode() + b">")

    response = post(auth_client, upload, name="card.pdf", content_type="application/pdf")

    assert response.status_code == 202, response.content
    body = response.json()
    download = auth_client.get(f"{URL}{body['id']}/file/")
    served = b"".join(download.streaming_content)
    assert download["Content-Type"] == "image/jpeg"
    assert served.startswith(b"\xff\xd8\xff")
    assert f"{body['id']}.jpg" in download["Content-Disposition"]
    assert ACTION.hex().encode() not in served and b"%PDF" not in served
    with Image.open(io.BytesIO(served)) as page:
        assert page.size == (2295, 2970)  # US Letter at 270 dpi
    transition = DocumentTransition.objects.get(document_id=body["id"])
    assert transition.reason == "uploaded as PDF; its first page is stored as an image"


# --- metadata stripped on store ---------------------------------------------------------------


@pytest.mark.django_db
class TestMetadataStrippedOnStore:
    def test_jpeg_is_stored_upright_without_gps_exif_xmp_or_comment(self, auth_client):
        upload = jpeg_with_metadata(orientation=6)
        with Image.open(io.BytesIO(upload)) as original:
            assert original.getexif().get_ifd(GPS_IFD)  # the upload does carry GPS

        response = post(auth_client, upload)

        assert response.status_code == 202, response.content
        data = stored_bytes()
        with Image.open(io.BytesIO(data)) as stored:
            exif = stored.getexif()
            assert set(exif) <= {ORIENTATION_TAG}
            assert not exif.get_ifd(GPS_IFD)
            assert "comment" not in stored.info
            assert "xmp" not in stored.info
            # Orientation 6 was applied on intake: the pixels are upright, no tag is needed.
            assert stored.size == (638, 1012)
            assert exif.get(ORIENTATION_TAG, 1) == 1

    def test_downloaded_file_is_the_sanitised_one_and_matches_the_hash(self, auth_client):
        response = post(auth_client, jpeg_with_metadata())
        body = response.json()

        download = auth_client.get(f"{URL}{body['id']}/file/")

        assert download.status_code == 200
        data = b"".join(download.streaming_content)
        assert data == stored_bytes()
        assert b"home-address" not in data and b"Exif\x00\x00" not in data
        assert hashlib.sha256(data).hexdigest() == body["sha256"]

    def test_png_is_stored_without_exif_text_or_time_chunks(self, auth_client):
        response = post(auth_client, png_with_metadata(), name="card.png", content_type="image/png")

        assert response.status_code == 202, response.content
        with Image.open(io.BytesIO(stored_bytes())) as stored:
            stored.load()
            assert not stored.getexif()
            assert not getattr(stored, "text", {})

    def test_same_picture_with_other_metadata_has_the_same_hash(self, auth_client):
        """Duplicates by sha256 still work, and metadata no longer hides a resubmission."""
        first = post(auth_client, jpeg_with_metadata()).json()
        again = post(auth_client, jpeg_with_metadata()).json()
        plain = card_like_image(1012, 638)
        bare = post(auth_client, plain).json()
        exif = Image.Exif()
        exif.get_ifd(GPS_IFD)[2] = (1.0, 2.0, 3.0)
        tagged = (
            plain[:2] + jpeg_segment(0xE1, exif.tobytes()) + jpeg_segment(0xFE, b"hi") + plain[2:]
        )
        relabelled = post(auth_client, tagged).json()

        assert first["id"] != again["id"]
        assert first["sha256"] == again["sha256"]
        assert relabelled["sha256"] == bare["sha256"] != first["sha256"]  # rotated pixels differ
        assert Document.objects.filter(sha256=bare["sha256"]).count() == 2

    def test_idempotent_replay_of_a_sanitised_upload_returns_the_first_document(self, auth_client):
        upload = jpeg_with_metadata()
        first = auth_client.post(
            URL,
            {"file": SimpleUploadedFile("a.jpg", upload), "doc_type": "KTP"},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="hostile-1",
        )
        again = auth_client.post(
            URL,
            {"file": SimpleUploadedFile("a.jpg", upload), "doc_type": "KTP"},
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="hostile-1",
        )

        assert (first.status_code, again.status_code) == (202, 200)
        assert again.json()["id"] == first.json()["id"]
        assert len(stored_files()) == 1
