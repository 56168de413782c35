"""A real in-review case: a generated KTP with the sex swapped, read by Tesseract in-process,
opened and decided in the console."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.models import Document
from documents.services import document_reprocess
from reviews.models import FieldCorrection, ManualReview
from reviews.services import review_claim, review_decide_with_corrections
from verification.tests.flow import card_bytes, ktp_fields, process, upload

pytestmark = pytest.mark.django_db


def sex_swapped(seed: int) -> dict[str, str]:
    fields = ktp_fields(seed)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    return dict(fields, jenis_kelamin=swapped)


def test_a_real_ocr_case_shows_word_boxes_and_takes_a_corrected_approval(
    auth_client, client, reviewer
):
    fields = sex_swapped(33)
    document_id = upload(auth_client, card_bytes("ktp", fields), "ktp")
    result = process(document_id)
    assert result.decision == "in_review"
    case = ManualReview.objects.get(document_id=document_id, state="open")
    client.force_login(reviewer)

    claimed = client.post(reverse("admin:reviews_manualreview_claim_next"))
    assert claimed["Location"] == reverse("admin:reviews_manualreview_case", args=[case.pk])
    html = client.get(claimed["Location"]).content.decode()

    assert 'data-field="nik"' in html
    assert f">{fields['nik']}</textarea>" in html
    assert 'data-box="nik"' in html  # drawn on the stored canonical card, whatever the photo
    assert "?view=card" in html
    assert "nik_sex" in html

    client.post(
        claimed["Location"],
        {
            "action": "approve",
            "reason_code": "verified_with_corrections",
            "confirm_failing": "on",  # nik_sex failed: approving it is confirmed
            "correct__nama": fields["nama"] + " X",
        },
    )
    case.refresh_from_db()
    assert case.decision == "approved"
    assert FieldCorrection.objects.get(review=case).new_value == fields["nama"] + " X"


def test_a_reprocess_never_overwrites_the_reviewers_corrections(
    auth_client, client, reviewer, admin_user
):
    fields = sex_swapped(34)
    document_id = upload(auth_client, card_bytes("ktp", fields), "ktp")
    assert process(document_id).decision == "in_review"
    case = ManualReview.objects.get(document_id=document_id, state="open")
    review_claim(review_id=case.pk, reviewer=reviewer)
    review_decide_with_corrections(
        review_id=case.pk,
        actor=reviewer,
        decision="approved",
        reason_code="verified",
        corrections={"jenis_kelamin": fields["jenis_kelamin"] + " (KOREKSI)"},
    )

    document_reprocess(document=Document.objects.get(pk=document_id), actor=admin_user)
    process(document_id)

    case.refresh_from_db()
    assert case.corrected_fields == {"jenis_kelamin": fields["jenis_kelamin"] + " (KOREKSI)"}
    assert FieldCorrection.objects.filter(document_id=document_id).count() == 1
    reopened = ManualReview.objects.filter(document_id=document_id, state="open").first()
    if reopened is not None:  # the new round shows the earlier correction in its history
        client.force_login(reviewer)
        html = client.get(
            reverse("admin:reviews_manualreview_case", args=[reopened.pk])
        ).content.decode()
        assert "(KOREKSI)" in html
