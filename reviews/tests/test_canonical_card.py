"""The canonical card OCR read is stored per attempt, shown on the case page with its word
boxes (for photos too, not only flat scans) and erased with the document."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from documents import storage
from documents.models import Document
from documents.storage import card_key, put_file
from erasure.services import document_data_erase
from filot.errors import ServiceUnavailable
from ocr_gpu.models import OcrRun
from ocr_gpu.testing.cards import make_card
from reviews.models import ManualReview, StaffAccessLog
from verification.tests.flow import card_bytes, ktp_fields, process, upload

pytestmark = pytest.mark.django_db


def case_url(case: ManualReview) -> str:
    return reverse("admin:reviews_manualreview_case", args=[case.pk])


def image_url(case: ManualReview) -> str:
    return reverse("admin:reviews_manualreview_image", args=[case.pk])


def _case_for(document_id: str, result) -> ManualReview:
    """The document's open review; a card that was decided automatically gets one here."""
    case = ManualReview.objects.filter(document_id=document_id, state="open").first()
    return case or ManualReview.objects.create(document_id=document_id, verification_result=result)


def test_a_photographed_card_is_shown_straightened_with_its_boxes_and_erased_with_it(
    auth_client, client, reviewer, django_capture_on_commit_callbacks
):
    data, _ = make_card("ktp", "hard", 1)
    document_id = upload(auth_client, data, "ktp")
    result = process(document_id)
    assert result is not None
    assert result.quality["detection"] != "flat"  # a photo: the upload's geometry differs
    run = OcrRun.objects.get(document_id=document_id)
    document = Document.objects.get(pk=document_id)
    assert run.card_key == card_key(storage_key=document.storage_key, attempt=run.attempt)
    assert run.card_key.endswith(f"-card-{run.attempt}.jpg")
    assert "card_image" not in run.result  # the JSON holds the OCR output only
    with default_storage.open(run.card_key, "rb") as handle:
        assert Image.open(handle).size == (1012, 638)
    case = _case_for(document_id, result)
    client.force_login(reviewer)

    html = client.get(case_url(case)).content.decode()

    assert f'src="{image_url(case)}?view=card"' in html
    assert 'class="box" data-box="' in html
    assert "Word boxes are not drawn" not in html
    assert "straightened card the OCR read" in html
    assert f'href="{image_url(case)}?full=1"' in html  # the original stays one click away
    response = client.get(image_url(case), {"view": "card"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert served.size == (1012, 638)
    actions = list(StaffAccessLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["view_case", "view_card"]

    with django_capture_on_commit_callbacks(execute=True):
        document_data_erase(document=document, actor=None)

    assert not default_storage.exists(run.card_key)
    assert not default_storage.exists(document.storage_key)
    assert OcrRun.objects.get(pk=run.pk).card_key == ""
    assert client.get(image_url(case), {"view": "card"}).status_code == 410
    html = client.get(case_url(case)).content.decode()
    assert "?view=card" not in html


def test_erasure_deletes_the_card_of_every_attempt(make_case, django_capture_on_commit_callbacks):
    case = make_case()
    document = case.document
    Document.objects.filter(pk=document.pk).update(attempt_seq=3)
    keys = [card_key(storage_key=document.storage_key, attempt=n) for n in (1, 2, 3)]
    for key in keys:
        put_file(key, b"card")
    # Attempt 1 was recorded; 2 and 3 wrote a card but never recorded a run.
    OcrRun.objects.create(
        document=document,
        attempt=1,
        backend="cpu",
        engine="tesseract",
        result={},
        duration_ms=1,
        card_key=keys[0],
    )
    document.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        document_data_erase(document=document, actor=None)

    assert [default_storage.exists(key) for key in keys] == [False, False, False]
    assert not default_storage.exists(document.storage_key)


def test_older_rows_without_a_card_keep_the_original_upload(client, reviewer, make_case):
    case = make_case(quality={"detection": "colour", "rotation": 0, "deskew_angle": 0.3})
    OcrRun.objects.create(
        document=case.document,
        attempt=1,
        backend="cpu",
        engine="tesseract",
        result={},
        duration_ms=1,
    )
    client.force_login(reviewer)

    html = client.get(case_url(case)).content.decode()

    assert f'src="{image_url(case)}"' in html
    assert "Word boxes are not drawn" in html
    assert client.get(image_url(case), {"view": "card"}).status_code == 404


def test_a_card_that_cannot_be_stored_does_not_fail_the_ocr(
    auth_client, client, reviewer, monkeypatch, caplog
):
    fields = ktp_fields(71)
    document_id = upload(auth_client, card_bytes("ktp", fields), "ktp")
    original = storage.put_file

    def put_file_without_cards(key: str, data: bytes) -> None:
        if "-card-" in key:
            raise ServiceUnavailable("Document storage is unavailable.", code="storage_unavailable")
        original(key, data)

    monkeypatch.setattr(storage, "put_file", put_file_without_cards)

    with caplog.at_level(logging.WARNING, logger="ocr_gpu.services"):
        result = process(document_id)

    assert result is not None
    run = OcrRun.objects.get(document_id=document_id)
    assert run.card_key == ""
    warnings = [r for r in caplog.records if r.getMessage() == "canonical card not stored"]
    assert len(warnings) == 1
    logged = f"{warnings[0].getMessage()} {warnings[0].__dict__}"
    assert fields["nik"] not in logged and fields["nama"] not in logged
    case = _case_for(document_id, result)
    client.force_login(reviewer)
    html = client.get(case_url(case)).content.decode()
    assert "?view=card" not in html
    assert f'src="{image_url(case)}"' in html
