"""Lossless metadata removal (``documents.sanitize``): pure functions, no database."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps, PngImagePlugin

from conftest import card_like_image
from documents.sanitize import (
    ORIENTATION_TAG,
    MalformedImage,
    orientation_of,
    orientation_only_exif,
    strip_jpeg,
    strip_metadata,
    strip_png,
)

GPS_IFD = 0x8825


def segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def exif_block(orientation: int | None = None, gps: bool = True) -> bytes:
    """``Exif\\0\\0`` + TIFF, as carried in a JPEG APP1 segment."""
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION_TAG] = orientation
    exif[0x010F] = "SpyCam"
    if gps:
        exif.get_ifd(GPS_IFD)[2] = (6.0, 10.0, 30.5)
    return exif.tobytes()


def pixels(data: bytes, upright: bool = False) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        shown = ImageOps.exif_transpose(image) if upright else image
        return np.asarray(shown)


def segments_of(data: bytes) -> list[int]:
    """Markers of the header segments, up to and including the first SOS."""
    found, pos = [], 2
    while True:
        marker = data[pos + 1]
        found.append(marker)
        if marker == 0xDA:
            return found
        pos += 2 + struct.unpack(">H", data[pos + 2 : pos + 4])[0]


def chunks_of(data: bytes) -> list[bytes]:
    found, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        found.append(kind)
        pos += 12 + length
    return found


PLAIN_JPEG = card_like_image(640, 400)
PLAIN_PNG = card_like_image(640, 400, fmt="PNG")
XMP = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>secret-xmp</x:xmpmeta>"
IPTC = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0csecret-iptc\x00"
ICC = b"ICC_PROFILE\x00\x01\x01" + b"not-a-real-profile"


def tagged_jpeg(*extra: bytes, tail: bytes = b"") -> bytes:
    return PLAIN_JPEG[:2] + b"".join(extra) + PLAIN_JPEG[2:] + tail


class TestJpeg:
    def test_exif_xmp_photoshop_and_comments_are_cut_out_and_the_rest_kept_byte_for_byte(self):
        dirty = tagged_jpeg(
            segment(0xE1, exif_block()),
            segment(0xE1, XMP),
            segment(0xED, IPTC),
            segment(0xFE, b"secret-comment"),
            segment(0xE2, ICC),
        )

        clean = strip_jpeg(dirty)

        assert clean == PLAIN_JPEG[:2] + segment(0xE2, ICC) + PLAIN_JPEG[2:]
        assert b"secret" not in clean and b"SpyCam" not in clean
        assert np.array_equal(pixels(clean), pixels(dirty))

    def test_a_clean_jpeg_comes_back_unchanged(self):
        assert strip_jpeg(PLAIN_JPEG) == PLAIN_JPEG

    def test_bytes_after_the_end_of_image_are_dropped(self):
        clean = strip_jpeg(tagged_jpeg(tail=b"PK\x03\x04<script>alert(1)</script>"))

        assert clean == PLAIN_JPEG

    @pytest.mark.parametrize("orientation", [2, 3, 5, 6, 8])
    def test_a_turned_picture_keeps_only_its_orientation_tag(self, orientation):
        dirty = tagged_jpeg(segment(0xE1, exif_block(orientation)))

        clean = strip_jpeg(dirty)

        with Image.open(io.BytesIO(clean)) as image:
            exif = image.getexif()
            assert dict(exif) == {ORIENTATION_TAG: orientation}
            assert not exif.get_ifd(GPS_IFD)
        assert b"SpyCam" not in clean
        assert segments_of(clean)[:2] == [0xE0, 0xE1]  # JFIF APP0 stays first
        assert np.array_equal(pixels(clean, upright=True), pixels(dirty, upright=True))

    @pytest.mark.parametrize("orientation", [None, 1, 9, 0])
    def test_no_exif_is_kept_when_the_picture_needs_no_turning(self, orientation):
        clean = strip_jpeg(tagged_jpeg(segment(0xE1, exif_block(orientation))))

        assert 0xE1 not in segments_of(clean)

    def test_only_the_first_exif_block_decides_the_orientation_as_readers_do(self):
        dirty = tagged_jpeg(segment(0xE1, exif_block(1)), segment(0xE1, exif_block(6)))

        assert 0xE1 not in segments_of(strip_jpeg(dirty))

    def test_a_broken_exif_block_is_dropped_without_error(self):
        clean = strip_jpeg(tagged_jpeg(segment(0xE1, b"Exif\x00\x00MM\x00*garbage")))

        assert clean == PLAIN_JPEG

    @pytest.mark.parametrize(
        "options",
        [
            {"progressive": True},
            {"restart_marker_blocks": 2},
            {"quality": 30, "subsampling": 0},
            {"progressive": True, "restart_marker_rows": 1},
        ],
    )
    def test_pixels_are_identical_for_progressive_and_restart_coded_jpegs(self, options):
        buf = io.BytesIO()
        Image.open(io.BytesIO(PLAIN_JPEG)).save(
            buf, format="JPEG", comment=b"secret-comment", **options
        )
        dirty = buf.getvalue()

        clean = strip_jpeg(dirty)

        assert b"secret-comment" not in clean
        assert np.array_equal(pixels(clean), pixels(dirty))

    def test_fill_bytes_before_a_marker_are_tolerated(self):
        dirty = PLAIN_JPEG[:2] + b"\xff\xff" + segment(0xFE, b"secret")[1:] + PLAIN_JPEG[2:]

        assert strip_jpeg(dirty) == PLAIN_JPEG

    @pytest.mark.parametrize(
        "broken",
        [
            b"",
            b"\x89PNG\r\n\x1a\n",
            b"\xff\xd8",
            b"\xff\xd8\xff",
            b"\xff\xd8\x00\x00",
            b"\xff\xd8\xff\xe0\x00",
            b"\xff\xd8\xff\xe0\x00\x01",
            b"\xff\xd8\xff\xe0\xff\xff",
            PLAIN_JPEG[: len(PLAIN_JPEG) // 2],
            PLAIN_JPEG[:-2],
        ],
    )
    def test_broken_marker_streams_are_refused(self, broken):
        with pytest.raises(MalformedImage):
            strip_jpeg(broken)


PNG_METADATA = {
    b"eXIf": exif_block()[6:],
    b"tEXt": b"Comment\x00secret-text",
    b"zTXt": b"Author\x00\x00" + zlib.compress(b"secret-ztxt"),
    b"iTXt": b"XML:com.adobe.xmp\x00\x00\x00\x00\x00secret-xmp",
    b"tIME": struct.pack(">HBBBBB", 2024, 1, 2, 3, 4, 5),
}


def png_with(*chunks: bytes, tail: bytes = b"") -> bytes:
    return PLAIN_PNG[:33] + b"".join(chunks) + PLAIN_PNG[33:] + tail


class TestPng:
    def test_exif_text_and_time_chunks_are_cut_out_and_the_rest_kept_byte_for_byte(self):
        kept = chunk(b"pHYs", struct.pack(">IIB", 3780, 3780, 1))
        dirty = png_with(*(chunk(kind, body) for kind, body in PNG_METADATA.items()), kept)

        clean = strip_png(dirty)

        assert clean == png_with(kept)
        assert b"secret" not in clean
        assert np.array_equal(pixels(clean), pixels(dirty))

    def test_text_written_by_pillow_is_removed(self):
        info = PngImagePlugin.PngInfo()
        info.add_text("Comment", "secret-text")
        info.add_text("Software", "secret-compressed", zip=True)
        buf = io.BytesIO()
        Image.open(io.BytesIO(PLAIN_PNG)).save(buf, format="PNG", pnginfo=info)

        clean = strip_png(buf.getvalue())

        assert chunks_of(clean) == chunks_of(PLAIN_PNG)

    def test_bytes_after_iend_are_dropped(self):
        assert strip_png(PLAIN_PNG + b"%PDF-1.7 appended") == PLAIN_PNG

    def test_a_turned_picture_keeps_an_exif_chunk_with_only_its_orientation(self):
        # Two eXIf chunks (the spec allows one): Pillow, and so OCR, honours the last.
        dirty = png_with(chunk(b"eXIf", exif_block(3)[6:]), chunk(b"eXIf", exif_block(8)[6:]))

        clean = strip_png(dirty)

        assert chunks_of(clean).count(b"eXIf") == 1
        with Image.open(io.BytesIO(clean)) as image:
            image.load()
            assert dict(image.getexif()) == {ORIENTATION_TAG: 8}
        assert np.array_equal(pixels(clean, upright=True), pixels(dirty, upright=True))

    @pytest.mark.parametrize(
        "broken",
        [
            b"",
            b"\xff\xd8\xff",
            b"\x89PNG\r\n\x1a\n",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
            PLAIN_PNG[: len(PLAIN_PNG) // 2],
            PLAIN_PNG[:-12],  # no IEND
        ],
    )
    def test_broken_chunk_streams_are_refused(self, broken):
        with pytest.raises(MalformedImage):
            strip_png(broken)


class TestDispatchAndHelpers:
    def test_pdfs_and_unknown_types_pass_through(self):
        assert strip_metadata(b"%PDF-1.7 /JS", "application/pdf") == b"%PDF-1.7 /JS"

    def test_dispatch_by_content_type(self):
        dirty = tagged_jpeg(segment(0xFE, b"secret"))
        assert strip_metadata(dirty, "image/jpeg") == PLAIN_JPEG
        assert strip_metadata(PLAIN_PNG + b"x", "image/png") == PLAIN_PNG

    def test_orientation_helpers_round_trip(self):
        assert orientation_of(orientation_only_exif(6)) == 6
        assert orientation_of(b"") == 1
        assert orientation_of(b"II*\x00garbage") == 1


# --- properties -------------------------------------------------------------------------------

JPEG_EXAMPLES = 40
PNG_EXAMPLES = 40
GARBAGE_EXAMPLES = 300

metadata = st.lists(
    st.sampled_from(
        [
            segment(0xE1, exif_block()),
            segment(0xE1, XMP),
            segment(0xED, IPTC),
            segment(0xFE, b"secret-comment"),
        ]
    ),
    max_size=4,
)


@settings(max_examples=JPEG_EXAMPLES, deadline=None)
@given(
    st.integers(8, 120),
    st.integers(8, 120),
    st.sampled_from(["RGB", "L", "CMYK"]),
    st.integers(10, 95),
    st.booleans(),
    metadata,
    st.binary(max_size=64),
)
def test_jpeg_pixels_survive_and_metadata_does_not(
    width, height, mode, quality, progressive, extra, tail
):
    noise = np.random.default_rng(width * height).integers(0, 255, (height, width, 3), np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).convert(mode).save(
        buf, format="JPEG", quality=quality, progressive=progressive
    )
    plain = buf.getvalue()
    dirty = plain[:2] + b"".join(extra) + plain[2:] + tail

    clean = strip_jpeg(dirty)

    assert np.array_equal(pixels(clean), pixels(dirty))
    assert b"secret" not in clean and b"SpyCam" not in clean
    assert strip_jpeg(clean) == clean


@settings(max_examples=PNG_EXAMPLES, deadline=None)
@given(
    st.integers(1, 80),
    st.integers(1, 80),
    st.sampled_from(["RGB", "RGBA", "L", "P", "1"]),
    st.lists(st.sampled_from([b"tEXt", b"zTXt", b"iTXt", b"tIME", b"eXIf"]), max_size=5),
    st.binary(max_size=64),
)
def test_png_pixels_survive_and_metadata_does_not(width, height, mode, kinds, tail):
    noise = np.random.default_rng(width + height).integers(0, 255, (height, width, 3), np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise).convert(mode).save(buf, format="PNG")
    plain = buf.getvalue()
    dirty = (
        plain[:33] + b"".join(chunk(kind, PNG_METADATA[kind]) for kind in kinds) + plain[33:] + tail
    )

    clean = strip_png(dirty)

    assert clean == plain
    assert np.array_equal(pixels(clean), pixels(dirty))


@settings(max_examples=GARBAGE_EXAMPLES, deadline=None)
@given(st.sampled_from([b"\xff\xd8", b"\x89PNG\r\n\x1a\n", PLAIN_JPEG[:200]]), st.binary())
def test_arbitrary_bytes_either_sanitise_or_raise_malformed_image(magic, rest):
    data = magic + rest
    try:
        clean = strip_jpeg(data) if data[:2] == b"\xff\xd8" else strip_png(data)
    except MalformedImage:
        return
    assert len(clean) <= len(data) + 64  # at most a minimal orientation block is added
