"""Verification of stored OCR output: duplicates, cross-document checks, idempotency,
reprocessing and erasure, on PostgreSQL with real OCR of generated cards."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone
from prometheus_client import REGISTRY

from conftest import bearer_for
from documents.models import Document, DocumentTransition
from documents.services import document_erase, document_reprocess, sweep_stuck_documents
from documents.status import DocumentStatus
from filot.logging import JsonFormatter
from filot.models import Role
from reviews.models import ManualReview, ReviewDecision, ReviewState
from verification.models import IdentityFingerprint, VerificationResult
from verification.services import verification_record
from verification.tests.flow import (
    URL,
    card_bytes,
    ktp_fields,
    npwp_for,
    process,
    reencoded,
    upload,
)

pytestmark = pytest.mark.slow
S = DocumentStatus


@pytest.fixture
def second_client(make_user, api_client):
    from rest_framework.test import APIClient

    client = APIClient()
    other = make_user(email="second@example.test")
    client.credentials(HTTP_AUTHORIZATION=bearer_for(other))
    client.user = other
    return client


def codes(result: VerificationResult) -> set[str]:
    return set(result.reason_codes)


def check(result: VerificationResult, code: str) -> dict:
    found = [c for c in result.checks if c["code"] == code]
    assert found, f"no check {code} in {[c['code'] for c in result.checks]}"
    return found[0]


def test_a_valid_clean_card_is_approved_and_its_result_explains_why(auth_client):
    document_id = upload(auth_client, card_bytes("ktp", ktp_fields(1)), "ktp")
    result = process(document_id)

    assert result.decision == "auto_approved"
    assert result.score >= 85
    assert Document.objects.get(pk=document_id).status == S.AUTO_APPROVED
    assert not ManualReview.objects.filter(document_id=document_id).exists()
    assert check(result, "nik_format")["status"] == "pass"
    assert result.threshold_auto_approve == 85
    assert result.threshold_auto_reject == 35
    body = auth_client.get(f"{URL}{document_id}/").json()
    assert body["verification"]["decision"] == "auto_approved"
    assert body["verification"]["fields"]["nik"]["value"] == ktp_fields(1)["nik"]
    listed = auth_client.get(URL).json()["results"][0]
    assert listed["verification"]["fields"]["nik"]["value"] != ktp_fields(1)["nik"]  # masked


def test_the_same_file_from_another_user_is_a_duplicate_never_approved(auth_client, second_client):
    data = card_bytes("ktp", ktp_fields(2))
    first = process(upload(auth_client, data, "ktp"))
    assert first.decision == "auto_approved"

    second = process(upload(second_client, data, "ktp"))

    assert second.decision == "in_review"
    assert {"duplicate_identity", "duplicate_image"} <= codes(second)
    review = ManualReview.objects.get(document_id=second.document_id)
    assert (review.state, review.verification_result_id) == (ReviewState.OPEN, second.pk)
    # The uploader is not told that someone else has this card (documents/serializers.py).
    body = second_client.get(f"{URL}{second.document_id}/").json()
    reasons = {r["code"]: r for r in body["verification"]["reasons"]}
    assert reasons["manual_review"]["retryable"] is False
    assert "duplicate" not in str(body)


def test_a_resized_recompressed_copy_is_caught_as_a_near_identical_picture(
    auth_client, second_client
):
    data = card_bytes("ktp", ktp_fields(3))
    process(upload(auth_client, data, "ktp"))

    copy = process(upload(second_client, reencoded(data), "ktp"))

    assert copy.decision != "auto_approved"
    assert "duplicate_image" in codes(copy)


def test_different_people_are_not_duplicates_of_each_other(auth_client, second_client):
    process(upload(auth_client, card_bytes("ktp", ktp_fields(4)), "ktp"))
    other = process(upload(second_client, card_bytes("ktp", ktp_fields(5)), "ktp"))

    assert not codes(other) & {"duplicate_identity", "duplicate_image"}
    assert other.decision == "auto_approved"


def test_the_same_users_second_upload_is_not_a_duplicate(auth_client):
    data = card_bytes("ktp", ktp_fields(6))
    process(upload(auth_client, data, "ktp"))
    again = process(upload(auth_client, reencoded(data), "ktp"))
    assert not codes(again) & {"duplicate_identity", "duplicate_image"}


def test_ktp_and_npwp_of_the_same_person_agree(auth_client):
    ktp = ktp_fields(7)
    process(upload(auth_client, card_bytes("ktp", ktp), "ktp"))

    npwp = process(upload(auth_client, card_bytes("npwp", npwp_for(ktp)), "npwp"))

    assert npwp.decision == "auto_approved"
    assert check(npwp, "cross_nik_npwp")["status"] == "pass"
    assert check(npwp, "cross_name")["status"] == "pass"
    kyc = auth_client.get("/api/v1/me/").json()
    assert kyc["kyc_status"] == "verified"


def test_an_npwp_of_someone_else_is_flagged_against_the_ktp(auth_client):
    ktp = ktp_fields(8)
    stranger = ktp_fields(9)
    process(upload(auth_client, card_bytes("ktp", ktp), "ktp"))

    npwp = process(upload(auth_client, card_bytes("npwp", npwp_for(stranger)), "npwp"))

    assert npwp.decision != "auto_approved"
    assert {"npwp_nik_mismatch", "name_mismatch"} & codes(npwp)


def test_a_card_with_a_tampered_sex_goes_to_a_reviewer(auth_client):
    fields = ktp_fields(10)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    result = process(
        upload(auth_client, card_bytes("ktp", dict(fields, jenis_kelamin=swapped)), "ktp")
    )

    assert result.decision == "in_review"
    assert "nik_sex_mismatch" in codes(result)
    assert ManualReview.objects.filter(document_id=result.document_id, state="open").count() == 1


def test_verifying_twice_writes_one_result_one_move_and_one_review(auth_client):
    fields = ktp_fields(11)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    document_id = upload(auth_client, card_bytes("ktp", dict(fields, jenis_kelamin=swapped)), "ktp")
    first = process(document_id)

    second = verification_record(document_id=document_id)

    assert second.pk == first.pk
    assert VerificationResult.objects.filter(document_id=document_id).count() == 1
    assert ManualReview.objects.filter(document_id=document_id).count() == 1
    moves = DocumentTransition.objects.filter(document_id=document_id, to_status=S.IN_REVIEW)
    assert moves.count() == 1


def test_reprocessing_adds_a_result_and_keeps_the_reviewers_corrections(auth_client, make_user):
    fields = ktp_fields(12)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    document_id = upload(auth_client, card_bytes("ktp", dict(fields, jenis_kelamin=swapped)), "ktp")
    first = process(document_id)
    review = ManualReview.objects.get(document_id=document_id)
    reviewer = make_user(role=Role.REVIEWER)
    review.corrected_fields = {"jenis_kelamin": fields["jenis_kelamin"]}
    review.notes = "checked against the NIK"
    review.save()
    admin = make_user(role=Role.ADMIN)

    document_reprocess(document=Document.objects.get(pk=document_id), actor=admin)
    second = process(document_id)

    assert second.pk != first.pk
    assert second.attempt == first.attempt + 1
    assert VerificationResult.objects.get(pk=first.pk).score == first.score  # untouched
    review.refresh_from_db()
    assert review.corrected_fields == {"jenis_kelamin": fields["jenis_kelamin"]}
    assert review.notes == "checked against the NIK"
    assert ManualReview.objects.filter(document_id=document_id, state="open").count() == 1
    assert reviewer.pk  # a reviewer exists to pick the new review up


def test_erasure_removes_the_fingerprints_so_the_identity_no_longer_matches(
    auth_client, second_client, make_user
):
    fields = ktp_fields(13)
    first = process(upload(auth_client, card_bytes("ktp", fields), "ktp"))
    assert IdentityFingerprint.objects.filter(document_id=first.document_id).exists()
    document_erase(
        document=Document.objects.get(pk=first.document_id), actor=make_user(role=Role.ADMIN)
    )
    assert not IdentityFingerprint.objects.filter(document_id=first.document_id).exists()

    again = process(upload(second_client, card_bytes("ktp", fields, seed=1), "ktp"))

    assert not codes(again) & {"duplicate_identity", "duplicate_image"}


def test_a_lost_verification_message_is_published_again_by_the_sweeper(
    auth_client, settings, redis_client
):
    from ocr_gpu.tasks import ocr_document

    document_id = upload(auth_client, card_bytes("ktp", ktp_fields(14)), "ktp")
    assert ocr_document.apply(args=(document_id,)).get() == "done"
    redis_client.delete("default")  # the hand-over message is lost

    counts = sweep_stuck_documents(now=timezone.now() + timedelta(minutes=30))

    assert counts["reverified"] == 1
    assert counts["recovered"] == 0  # the OCR output is kept, not thrown away
    assert redis_client.llen("default") == 1
    assert verification_record(document_id=document_id).decision == "auto_approved"


def test_thresholds_that_overlap_stop_the_service(settings):
    settings.AI_SCORE_THRESHOLD_AUTO_APPROVE = 40
    settings.AI_SCORE_THRESHOLD_AUTO_REJECT = 60
    with pytest.raises(SystemCheckError, match=r"verification\.E001"):
        call_command("check")


def test_a_decided_review_is_not_touched_by_a_later_result(auth_client, make_user):
    fields = ktp_fields(15)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    document_id = upload(auth_client, card_bytes("ktp", dict(fields, jenis_kelamin=swapped)), "ktp")
    process(document_id)
    review = ManualReview.objects.get(document_id=document_id)
    reviewer = make_user(role=Role.REVIEWER)
    ManualReview.objects.filter(pk=review.pk).update(
        state=ReviewState.DECIDED,
        decision=ReviewDecision.REJECTED,
        decided_by=reviewer,
        decided_at=timezone.now(),
        reason_code="nik_sex_mismatch",
    )
    Document.objects.filter(pk=document_id).update(status=S.REJECTED)

    document_reprocess(
        document=Document.objects.get(pk=document_id), actor=make_user(role=Role.ADMIN)
    )
    process(document_id)

    review.refresh_from_db()
    assert (review.state, review.decision, review.decided_by_id) == (
        ReviewState.DECIDED,
        ReviewDecision.REJECTED,
        reviewer.pk,
    )


def test_the_decision_log_line_carries_the_seconds_from_upload_to_decision(auth_client, caplog):
    """The CloudWatch p95 alarm (deploy/aws/filot.yaml) reads this field of the JSON line."""

    def observed() -> float:
        return REGISTRY.get_sample_value("filot_pipeline_seconds_sum", {"doc_type": "KTP"}) or 0.0

    before = observed()
    caplog.set_level(logging.INFO, logger="verification.services")
    document_id = upload(auth_client, card_bytes("ktp", ktp_fields(21)), "ktp")
    process(document_id)

    [record] = [r for r in caplog.records if r.getMessage() == "document decided"]
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "document decided"
    assert isinstance(line["pipeline_seconds"], float)
    assert line["pipeline_seconds"] >= 0
    assert line["pipeline_seconds"] == pytest.approx(observed() - before, abs=0.001)
