"""Reading, downloading, reprocessing and erasing documents through the API."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from conftest import bearer_for
from documents.models import Document, DocumentTransition
from documents.status import DocumentStatus
from verification.models import VerificationResult

URL = "/api/v1/documents/"


@pytest.fixture
def uploaded(auth_client, jpeg_bytes):
    response = auth_client.post(
        URL, {"file": io.BytesIO(jpeg_bytes), "doc_type": "KTP"}, format="multipart"
    )
    assert response.status_code == 202
    return Document.objects.get(pk=response.json()["id"])


def add_result(document, *, nik="3204011708900001", score=90, decision="auto_approved"):
    return VerificationResult.objects.create(
        document=document,
        attempt=document.verification_results.count() + 1,
        engine="tesseract",
        preprocessing_backend="cpu",
        detected_type="ktp",
        ocr_text="NIK " + nik,
        fields={
            "nik": {"value": nik, "confidence": 91.0},
            "nama": {"value": "BUDI", "confidence": 88.0},
        },
        checks=[{"name": "nik_format", "passed": True}],
        score=score,
        decision=decision,
        reason_codes=[],
        threshold_auto_approve=85,
        threshold_auto_reject=35,
    )


@pytest.mark.django_db
class TestReading:
    def test_list_shows_own_documents_with_nik_masked(
        self, auth_client, uploaded, make_user, jpeg_bytes
    ):
        add_result(uploaded)
        other = make_user()
        Document.objects.create(
            owner=other,
            doc_type="KTP",
            storage_key="documents/x/y.jpg",
            content_type="image/jpeg",
            size_bytes=1,
            sha256="0" * 64,
            image_width=1,
            image_height=1,
        )

        response = auth_client.get(URL)

        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        item = body["results"][0]
        assert item["id"] == str(uploaded.pk)
        assert item["verification"]["fields"]["nik"]["value"] == "************0001"
        assert "3204011708900001" not in response.content.decode()

    def test_detail_shows_full_values_checks_and_thresholds(self, auth_client, uploaded):
        add_result(uploaded)

        body = auth_client.get(f"{URL}{uploaded.pk}/").json()

        assert body["verification"]["fields"]["nik"]["value"] == "3204011708900001"
        assert body["verification"]["thresholds"] == {"auto_approve": 85, "auto_reject": 35}
        assert body["verification"]["checks"][0]["name"] == "nik_format"

    def test_list_filters_by_type_and_status(self, auth_client, uploaded):
        assert auth_client.get(URL, {"doc_type": "NPWP"}).json()["count"] == 0
        assert auth_client.get(URL, {"doc_type": "KTP", "status": "queued"}).json()["count"] == 1
        bad = auth_client.get(URL, {"status": "nonsense"})
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "invalid_request"

    def test_list_queries_do_not_grow_with_rows(
        self, auth_client, uploaded, django_assert_max_num_queries
    ):
        for _ in range(15):
            add_result(uploaded)
        with django_assert_max_num_queries(6):
            auth_client.get(URL)

    @pytest.mark.parametrize("suffix", ["", "file/", "reprocess/"])
    def test_another_users_document_is_404_everywhere(
        self, api_client, uploaded, make_user, suffix
    ):
        api_client.credentials(HTTP_AUTHORIZATION=bearer_for(make_user()))
        method = api_client.post if suffix == "reprocess/" else api_client.get
        response = method(f"{URL}{uploaded.pk}/{suffix}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        assert api_client.delete(f"{URL}{uploaded.pk}/").status_code == 404
        assert Document.objects.get(pk=uploaded.pk).erased_at is None

    @pytest.mark.parametrize("bad_id", ["123", "not-a-uuid", "%27%20OR%201=1", str(uuid.uuid4())])
    def test_unknown_or_malformed_ids_are_404_not_500(self, auth_client, bad_id):
        for suffix in ("", "file/"):
            response = auth_client.get(f"{URL}{bad_id}/{suffix}")
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
class TestFileDownload:
    def test_local_storage_streams_the_stored_file(self, auth_client, uploaded):
        response = auth_client.get(f"{URL}{uploaded.pk}/file/")

        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "no-store"
        data = b"".join(response.streaming_content)
        assert data == (Path(settings.MEDIA_ROOT) / uploaded.storage_key).read_bytes()


@pytest.mark.django_db
class TestReprocess:
    def test_owner_can_reprocess_a_failed_document(self, auth_client, uploaded):
        Document.objects.filter(pk=uploaded.pk).update(
            status="failed", attempts=3, last_error_code="ocr_timeout"
        )

        response = auth_client.post(f"{URL}{uploaded.pk}/reprocess/")

        assert response.status_code == 202
        uploaded.refresh_from_db()
        assert (uploaded.status, uploaded.attempts, uploaded.last_error_code) == ("queued", 0, "")
        last = DocumentTransition.objects.filter(document=uploaded).last()
        assert (last.from_status, last.to_status, last.actor) == (
            "failed",
            "queued",
            auth_client.user,
        )

    @pytest.mark.parametrize(
        "status", ["queued", "processing", "auto_approved", "in_review", "rejected"]
    )
    def test_owner_cannot_reprocess_other_statuses(self, auth_client, uploaded, status):
        Document.objects.filter(pk=uploaded.pk).update(status=status)

        response = auth_client.post(f"{URL}{uploaded.pk}/reprocess/")

        assert response.status_code == 409
        assert response.json()["error"]["code"] == "reprocess_not_allowed"
        assert Document.objects.get(pk=uploaded.pk).status == status

    def test_staff_may_reprocess_a_decided_document(self, auth_client, uploaded):
        auth_client.user.is_staff = True
        auth_client.user.save()
        Document.objects.filter(pk=uploaded.pk).update(status=DocumentStatus.AUTO_REJECTED)

        assert auth_client.post(f"{URL}{uploaded.pk}/reprocess/").status_code == 202
        assert Document.objects.get(pk=uploaded.pk).status == "queued"


@pytest.mark.django_db(transaction=True)
class TestErasure:
    def test_delete_removes_file_and_personal_fields_but_keeps_the_decision(
        self, auth_client, uploaded
    ):
        result = add_result(uploaded)
        path = Path(settings.MEDIA_ROOT) / uploaded.storage_key
        assert path.exists()

        response = auth_client.delete(f"{URL}{uploaded.pk}/")

        assert response.status_code == 204
        assert not path.exists()
        uploaded.refresh_from_db()
        assert uploaded.erased_at is not None and uploaded.storage_key == ""
        result.refresh_from_db()
        assert (result.score, result.decision) == (90, "auto_approved")
        assert result.fields == {} and result.ocr_text == ""
        assert auth_client.get(f"{URL}{uploaded.pk}/").status_code == 404
        assert auth_client.get(URL).json()["count"] == 0
