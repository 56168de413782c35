"""Uploading documents through the API: what is accepted, what is refused, and why."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from conftest import card_like_image
from documents.models import Document, DocumentTransition

URL = "/api/v1/documents/"


def upload(client, data: bytes, doc_type: str = "KTP", name: str = "card.jpg", **headers):
    return client.post(
        URL,
        {"file": io.BytesIO(data) if data is not None else None, "doc_type": doc_type}
        if data is not None
        else {"doc_type": doc_type},
        format="multipart",
        **headers,
    )


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["request_id"] == response["X-Request-ID"]
    assert Document.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
class TestAcceptedUploads:
    def test_jpeg_upload_answers_202_with_location_and_queued_document(
        self, auth_client, jpeg_bytes
    ):
        response = upload(auth_client, jpeg_bytes)

        assert response.status_code == 202
        body = response.json()
        assert body["status"] == "queued"
        assert body["doc_type"] == "KTP"
        assert body["content_type"] == "image/jpeg"
        assert (body["image_width"], body["image_height"]) == (1012, 638)
        assert response["Location"] == f"/api/v1/documents/{body['id']}/"
        document = Document.objects.get(pk=body["id"])
        assert document.owner == auth_client.user
        assert document.storage_key == f"documents/{auth_client.user.pk}/{document.pk}.jpg"
        assert [p.name for p in stored_files()] == [f"{document.pk}.jpg"]
        transition = DocumentTransition.objects.get(document=document)
        assert (transition.from_status, transition.to_status) == ("", "queued")
        assert transition.actor == auth_client.user

    def test_type_comes_from_magic_bytes_not_name_or_content_type(self, auth_client, png_bytes):
        response = auth_client.post(
            URL,
            {"file": _named(png_bytes, "photo.jpg"), "doc_type": "npwp"},
            format="multipart",
        )

        assert response.status_code == 202
        assert response.json()["content_type"] == "image/png"
        assert response.json()["doc_type"] == "NPWP"

    def test_pdf_is_stored_as_the_picture_of_its_first_page(self, auth_client):
        buf = io.BytesIO()
        Image.open(io.BytesIO(card_like_image())).save(buf, format="PDF", resolution=150)

        response = upload(auth_client, buf.getvalue(), doc_type="NPWP")

        assert response.status_code == 202, response.content
        body = response.json()
        assert body["content_type"] == "image/jpeg"
        # 1012 x 638 pixels at 150 dpi, rendered at 270 dpi
        assert (body["image_width"], body["image_height"]) == (1822, 1149)
        (stored,) = stored_files()
        assert stored.suffix == ".jpg"
        with Image.open(stored) as page:
            assert page.format == "JPEG"
            assert page.size == (1822, 1149)

    def test_a_card_scanned_on_an_a4_page_is_stored_large_enough_to_be_approved(self, auth_client):
        # the card at its real size (85.6 mm, 1011 pixels at 300 dpi) on an A4 page at 300 dpi
        page = Image.new("RGB", (2480, 3508), "white")
        card = Image.open(io.BytesIO(card_like_image(1011, 638))).convert("RGB")
        page.paste(card, (300, 300))
        buf = io.BytesIO()
        page.save(buf, format="PDF", resolution=300)

        response = upload(auth_client, buf.getvalue())

        assert response.status_code == 202, response.content
        body = response.json()
        # the page is stored as rendered, not halved: the card is 85.6 mm of its width
        card_pixels = body["image_width"] * 85.6 / 210
        assert card_pixels >= 800  # verification.checks.APPROVAL_MIN_CARD_WIDTH
        (stored,) = stored_files()
        with Image.open(stored) as picture:
            assert picture.size == (body["image_width"], body["image_height"])

    def test_exif_orientation_is_applied_and_metadata_stripped(self, auth_client):
        image = Image.open(io.BytesIO(card_like_image(1012, 638)))
        exif = image.getexif()
        exif[0x0112] = 6  # rotate 90 degrees clockwise on display
        exif.get_ifd(0x8825)[2] = (6.0, 10.0, 0.0)  # GPS latitude
        buf = io.BytesIO()
        image.save(buf, format="JPEG", exif=exif)

        response = upload(auth_client, buf.getvalue())

        assert response.status_code == 202
        body = response.json()
        assert (body["image_width"], body["image_height"]) == (638, 1012)
        stored = Image.open(stored_files()[0])
        assert stored.size == (638, 1012)
        assert not stored.getexif()

    def test_appended_payload_does_not_survive_reencoding(self, auth_client, jpeg_bytes):
        polyglot = jpeg_bytes + b"PK\x03\x04" + b"<script>alert(1)</script>" * 20

        response = upload(auth_client, polyglot)

        assert response.status_code == 202
        data = stored_files()[0].read_bytes()
        assert b"<script>" not in data
        assert b"PK\x03\x04" not in data


@pytest.mark.django_db
class TestRefusedUploads:
    def test_empty_file(self, auth_client):
        assert_refused(upload(auth_client, b""), 400, "file_empty")

    def test_missing_file_field(self, auth_client):
        response = auth_client.post(URL, {"doc_type": "KTP"}, format="multipart")
        assert_refused(response, 400, "invalid_request")
        assert "file" in response.json()["error"]["details"]["fields"]

    def test_bad_doc_type(self, auth_client, jpeg_bytes):
        response = upload(auth_client, jpeg_bytes, doc_type="SIM")
        assert_refused(response, 400, "invalid_request")
        assert "doc_type" in response.json()["error"]["details"]["fields"]

    def test_wrong_magic_bytes(self, auth_client):
        assert_refused(
            upload(auth_client, b"GIF89a" + b"\x00" * 2000), 415, "unsupported_media_type"
        )

    def test_html_named_as_jpeg(self, auth_client):
        response = auth_client.post(
            URL,
            {"file": _named(b"<html>hi</html>", "x.jpg"), "doc_type": "KTP"},
            format="multipart",
        )
        assert_refused(response, 415, "unsupported_media_type")

    def test_truncated_jpeg(self, auth_client, jpeg_bytes):
        assert_refused(
            upload(auth_client, jpeg_bytes[: len(jpeg_bytes) // 2]), 422, "image_unreadable"
        )

    def test_png_magic_with_garbage(self, auth_client):
        assert_refused(
            upload(auth_client, b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 100),
            422,
            "image_unreadable",
        )

    def test_png_decompression_bomb(self, auth_client):
        assert_refused(upload(auth_client, _png_bomb(30000, 30000)), 422, "image_too_many_pixels")

    def test_oversize_file_over_the_setting(self, auth_client, settings, jpeg_bytes):
        settings.DOCUMENT_MAX_UPLOAD_BYTES = 50_000
        big = jpeg_bytes + os.urandom(60_000)
        assert_refused(upload(auth_client, big), 413, "file_too_large")

    def test_body_over_the_default_10_mib_is_refused_before_parsing(self, auth_client, jpeg_bytes):
        big = jpeg_bytes + os.urandom(11 * 1024 * 1024)
        response = upload(auth_client, big)
        assert_refused(response, 413, "file_too_large")
        assert response.json()["error"]["details"]["max_bytes"] == 10 * 1024 * 1024

    def test_image_too_small(self, auth_client):
        response = upload(auth_client, card_like_image(320, 200))
        assert_refused(response, 422, "image_too_small")
        assert response.json()["error"]["details"]["width"] == 320

    def test_pdf_that_does_not_render(self, auth_client):
        assert_refused(upload(auth_client, b"%PDF-1.4\n%garbage\n" * 10), 422, "image_unreadable")

    def test_anonymous_upload_is_401(self, api_client, jpeg_bytes):
        response = upload(api_client, jpeg_bytes)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
class TestIdempotency:
    def test_same_key_and_file_returns_first_document(self, auth_client, jpeg_bytes):
        first = upload(auth_client, jpeg_bytes, HTTP_IDEMPOTENCY_KEY="abc-123")
        again = upload(auth_client, jpeg_bytes, HTTP_IDEMPOTENCY_KEY="abc-123")

        assert first.status_code == 202
        assert again.status_code == 200
        assert again.json()["id"] == first.json()["id"]
        assert Document.objects.count() == 1
        assert len(stored_files()) == 1

    def test_same_key_with_other_file_is_409(self, auth_client, jpeg_bytes, png_bytes):
        upload(auth_client, jpeg_bytes, HTTP_IDEMPOTENCY_KEY="abc-123")
        conflict = upload(auth_client, png_bytes, HTTP_IDEMPOTENCY_KEY="abc-123")

        assert conflict.status_code == 409
        assert conflict.json()["error"]["code"] == "idempotency_key_reused"
        assert Document.objects.count() == 1
        assert len(stored_files()) == 1

    def test_keys_are_scoped_per_user(self, auth_client, make_user, jpeg_bytes):
        from conftest import bearer_for

        upload(auth_client, jpeg_bytes, HTTP_IDEMPOTENCY_KEY="shared")
        auth_client.credentials(HTTP_AUTHORIZATION=bearer_for(make_user()))
        other = upload(auth_client, jpeg_bytes, HTTP_IDEMPOTENCY_KEY="shared")

        assert other.status_code == 202
        assert Document.objects.count() == 2

    def test_malformed_key_is_400(self, auth_client, jpeg_bytes):
        response = upload(auth_client, jpeg_bytes, HTTP_IDEMPOTENCY_KEY="x" * 300)
        assert_refused(response, 400, "invalid_idempotency_key")


def _named(data: bytes, name: str) -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG that declares width x height pixels of zeros."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * width
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
