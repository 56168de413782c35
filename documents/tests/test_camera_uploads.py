"""Uploads of the size real users send: 12-megapixel phone photos, large PNG scans and files
right at the size limit, whether Django keeps the upload in memory or in a temporary file."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from conftest import card_like_image
from documents.models import Document
from filot.testing.images import camera_photo, large_png_scan, padded_to

URL = "/api/v1/documents/"
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def camera_jpeg() -> bytes:
    photo = camera_photo(card_like_image(), seed=1)
    assert 3_000_000 <= len(photo) <= 6_000_000  # what a 12 MP phone camera writes
    return photo


def post(client, data: bytes, name: str = "IMG_0001.jpg"):
    return client.post(
        URL,
        {"file": SimpleUploadedFile(name, data), "doc_type": "KTP"},
        format="multipart",
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture(params=["on disk", "in memory"])
def upload_buffering(request, settings) -> str:
    """Django keeps an upload above FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file."""
    if request.param == "in memory":
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * MiB
    else:
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    return request.param


@pytest.mark.django_db
class TestCameraSizedUploads:
    def test_12_megapixel_phone_photo_is_accepted(self, auth_client, camera_jpeg, upload_buffering):
        response = post(auth_client, camera_jpeg)

        assert response.status_code == 202, response.content
        body = response.json()
        assert body["content_type"] == "image/jpeg"
        document = Document.objects.get(pk=body["id"])
        (stored,) = stored_files()
        data = stored.read_bytes()
        assert body["sha256"] == document.sha256 == hashlib.sha256(data).hexdigest()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            assert image.size == (body["image_width"], body["image_height"])
            # The card is kept at a size OCR reads well: the long side is at least 1600 px.
            assert max(image.size) >= 1600

    def test_large_png_scan_is_accepted(self, auth_client, upload_buffering):
        scan = large_png_scan(card_like_image())

        response = post(auth_client, scan, name="scan.png")

        assert response.status_code == 202, response.content
        assert response.json()["content_type"] == "image/png"
        assert len(stored_files()) == 1

    def test_file_of_9_9_mib_is_accepted(self, auth_client, camera_jpeg, upload_buffering):
        response = post(auth_client, padded_to(camera_jpeg, int(9.9 * MiB)))

        assert response.status_code == 202, response.content
        assert len(stored_files()) == 1

    def test_file_of_exactly_the_limit_is_accepted(self, auth_client, camera_jpeg):
        response = post(auth_client, padded_to(camera_jpeg, settings.DOCUMENT_MAX_UPLOAD_BYTES))

        assert response.status_code == 202, response.content

    def test_one_byte_over_the_limit_is_413(self, auth_client, camera_jpeg, upload_buffering):
        response = post(auth_client, padded_to(camera_jpeg, settings.DOCUMENT_MAX_UPLOAD_BYTES + 1))

        assert response.status_code == 413, response.content
        error = response.json()["error"]
        assert error["code"] == "file_too_large"
        assert error["details"] == {"max_bytes": 10 * MiB}
        assert Document.objects.count() == 0
        assert stored_files() == []

    def test_upload_over_the_limit_stops_being_buffered_at_the_limit(
        self, auth_client, settings, camera_jpeg
    ):
        """The size is checked as the file streams in: the rest of the body is drained, never
        written to a temporary file."""
        from documents import uploads

        settings.DOCUMENT_MAX_UPLOAD_BYTES = 1 * MiB
        seen: list[int] = []
        original = uploads.UploadSizeLimitHandler.receive_data_chunk

        def counting(handler, raw_data, start):
            seen.append(start + len(raw_data))
            return original(handler, raw_data, start)

        uploads.UploadSizeLimitHandler.receive_data_chunk = counting
        try:
            response = post(auth_client, camera_jpeg)
        finally:
            uploads.UploadSizeLimitHandler.receive_data_chunk = original

        assert response.status_code == 413, response.content
        assert response.json()["error"]["details"] == {"max_bytes": 1 * MiB}
        assert max(seen) <= 1 * MiB + 64 * 1024  # one chunk past the limit, not the whole file


@pytest.mark.slow
@pytest.mark.parametrize("orientation", [1, 6], ids=["landscape", "held upright (EXIF 6)"])
def test_camera_photo_is_stored_smaller_and_still_read(auth_client, orientation):
    """A 12 MP photo is stored at 2000 x 1500 and OCR still reads every digit of the NIK."""
    from verification.tests.flow import card_bytes, ktp_fields, process

    fields = ktp_fields(81)
    photo = camera_photo(card_bytes("ktp", fields), seed=81, orientation=orientation)
    response = post(auth_client, photo)
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["image_width"], body["image_height"]) == (2000, 1500)

    result = process(body["id"])

    assert result.fields["nik"]["value"] == fields["nik"]
    assert result.decision != "auto_rejected", result.reason_codes
