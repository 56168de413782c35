"""Fuzzing the upload endpoint: whatever bytes arrive behind a JPEG, PNG or PDF signature, the
answer is 202 or a coded 4xx in the error envelope, never a 5xx, and a refusal leaves no row and
no stored file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import card_like_image
from documents.models import Document

URL = "/api/v1/documents/"
MAGIC_EXAMPLES = 100
MUTATION_EXAMPLES = 60

MAGICS = {
    "jpeg": b"\xff\xd8\xff",
    "jpeg-jfif": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "png": b"\x89PNG\r\n\x1a\n",
    "png-ihdr": b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    "pdf": b"%PDF-1.7\n",
}


def _pdf_card() -> bytes:
    buf = io.BytesIO()
    Image.open(io.BytesIO(card_like_image())).save(buf, format="PDF", resolution=150)
    return buf.getvalue()


SEEDS = {
    "jpeg": card_like_image(),
    "progressive-jpeg": card_like_image(progressive=True),
    "png": card_like_image(fmt="PNG"),
    "pdf": _pdf_card(),
}

fuzz_settings = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def stored_file_count() -> int:
    root = Path(django_settings.MEDIA_ROOT)
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def post_and_check(client: Any, data: bytes) -> int:
    """Post ``data``; assert the contract; return the status."""
    cache.clear()  # the upload throttle (30/hour) would otherwise answer 429
    documents, files = Document.objects.count(), stored_file_count()

    response = client.post(
        URL,
        {"file": SimpleUploadedFile("card.bin", data), "doc_type": "KTP"},
        format="multipart",
    )

    status = response.status_code
    assert status < 500, response.content
    event(str(status) if status == 202 else f"{status} {response.json()['error']['code']}")
    if status == 202:
        assert Document.objects.count() == documents + 1
        assert stored_file_count() == files + 1
        return status
    assert 400 <= status < 500, response.content
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"] == response["X-Request-ID"]
    assert Document.objects.count() == documents
    assert stored_file_count() == files
    return status


@pytest.mark.django_db
@settings(fuzz_settings, max_examples=MAGIC_EXAMPLES)
@given(magic=st.sampled_from(sorted(MAGICS)), rest=st.binary(max_size=4096))
def test_arbitrary_bytes_behind_a_signature_get_202_or_a_coded_4xx(auth_client, magic, rest):
    post_and_check(auth_client, MAGICS[magic] + rest)


mutations = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12
)


@pytest.mark.django_db
@settings(fuzz_settings, max_examples=MUTATION_EXAMPLES)
@given(
    seed=st.sampled_from(sorted(SEEDS)),
    flips=mutations,
    cut=st.one_of(st.none(), st.floats(0.05, 1)),
    appended=st.binary(max_size=256),
)
def test_damaged_real_files_get_202_or_a_coded_4xx(auth_client, seed, flips, cut, appended):
    data = bytearray(SEEDS[seed])
    for where, value in flips:
        data[8 + int(where * (len(data) - 8))] = value  # the signature itself stays intact
    if cut is not None:
        data = data[: max(4, int(cut * len(data)))]

    post_and_check(auth_client, bytes(data) + appended)
