"""The case page: fields with boxes, checks, audit, decisions through the form, the image view
and the staff access log."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from documents.models import Document
from reviews.models import FieldCorrection, ManualReview, StaffAccessLog
from reviews.services import review_claim, review_decide

pytestmark = pytest.mark.django_db


def case_url(case: ManualReview) -> str:
    return reverse("admin:reviews_manualreview_case", args=[case.pk])


def image_url(case: ManualReview) -> str:
    return reverse("admin:reviews_manualreview_image", args=[case.pk])


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_case_page_shows_fields_boxes_checks_and_audit_and_logs_the_view(
    client, reviewer, make_case
):
    case = make_case()
    client.force_login(reviewer)

    response = client.get(case_url(case))

    assert response.status_code == 200
    html = response.content.decode()
    nik = case.verification_result.fields["nik"]["value"]
    assert f">{nik}</textarea>" in html  # the full number only on the (logged) case page
    assert 'data-box="nik"' in html  # flat scan: boxes drawn over the upload
    assert 'data-left="29.644"' in html  # 300 / 1012 of the card's width
    assert " style=" not in html  # placed by case.js: the CSP refuses style attributes
    assert "nik_sex_mismatch" in html
    assert 'id="audit"' in html
    assert "Claim this case" in html
    assert 'name="action" value="approve"' not in html  # claim first
    log = StaffAccessLog.objects.get()
    assert (log.user_id, log.document_id, log.action) == (
        reviewer.pk,
        case.document_id,
        "view_case",
    )


def test_boxes_are_not_drawn_when_the_card_was_perspective_corrected(client, reviewer, make_case):
    case = make_case(quality={"detection": "colour", "rotation": 0, "deskew_angle": 0.3})
    client.force_login(reviewer)

    html = client.get(case_url(case)).content.decode()

    assert "data-box=" not in html
    assert "Word boxes are not drawn" in html


def test_claim_correct_and_approve_through_the_page(client, reviewer, make_case):
    case = make_case()
    client.force_login(reviewer)
    client.post(reverse("admin:reviews_manualreview_claim", args=[case.pk]))
    page = client.get(case_url(case)).content.decode()
    assert 'name="action" value="approve"' in page
    assert "<kbd>A</kbd>" in page and "<kbd>N</kbd>" in page

    response = client.post(
        case_url(case),
        {
            "action": "approve",
            "reason_code": "",  # approve without a reason: verified, with corrections
            "notes": "",
            "confirm_failing": "on",
            "correct__nama": "BUDI SANTOSO",
            "correct__jenis_kelamin": "LAKI-LAKI",
        },
        follow=True,
    )

    said = f"Decision recorded: Approved (verified_with_corrections) on case {str(case.pk)[:8]}."
    assert f"{said} The queue is empty." in _messages(response)  # decide and next: none left
    case.refresh_from_db()
    assert (case.state, case.decision, case.reason_code) == (
        "decided",
        "approved",
        "verified_with_corrections",
    )
    assert case.corrected_fields == {"nama": "BUDI SANTOSO"}
    correction = FieldCorrection.objects.get()
    assert (correction.field, correction.new_value, correction.reviewer_id) == (
        "nama",
        "BUDI SANTOSO",
        reviewer.pk,
    )
    assert Document.objects.get(pk=case.document_id).status == "approved"
    html = client.get(case_url(case)).content.decode()
    assert 'id="next-case"' in html
    assert "BUDI SANTOSO" in html  # the audit shows the correction


def test_reject_needs_a_note_and_resubmission_a_retryable_reason(client, reviewer, make_case):
    case = make_case()
    client.force_login(reviewer)
    review_claim(review_id=case.pk, reviewer=reviewer)

    no_note = client.post(case_url(case), {"action": "reject", "reason_code": "name_mismatch"})
    not_retryable = client.post(
        case_url(case), {"action": "resubmit", "reason_code": "name_mismatch"}
    )
    finding = client.post(
        case_url(case), {"action": "approve", "reason_code": "nik_invalid", "confirm_failing": "on"}
    )
    unconfirmed = client.post(case_url(case), {"action": "approve", "reason_code": ""})

    assert "A rejection needs a note." in no_note.content.decode()
    assert "name_mismatch is not a reason to request resubmission" in not_retryable.content.decode()
    assert "nik_invalid is not a reason to approve" in finding.content.decode()
    assert unconfirmed.context["form"].errors["confirm_failing"]  # nik_sex failed
    assert {no_note.status_code, finding.status_code, unconfirmed.status_code} == {400}
    assert ManualReview.objects.get(pk=case.pk).state == "open"

    client.post(case_url(case), {"action": "resubmit", "reason_code": "image_blurry"})
    case.refresh_from_db()
    assert (case.decision, case.reason_code) == ("resubmission", "image_blurry")
    assert Document.objects.get(pk=case.document_id).status == "rejected"


def test_a_stale_tab_gets_a_clear_message_and_changes_nothing(
    client, reviewer, admin_user, make_case
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    client.force_login(reviewer)
    client.get(case_url(case))  # the tab is open...
    review_decide(  # ...when an admin decides elsewhere
        review_id=case.pk, decision="rejected", reason_code="name_mismatch", actor=admin_user
    )

    response = client.post(
        case_url(case),
        {"action": "approve", "reason_code": "verified", "confirm_failing": "on"},
        follow=True,
    )

    assert response.status_code == 409
    assert any("review_already_decided" in m for m in _messages(response))
    assert ManualReview.objects.get(pk=case.pk).decision == "rejected"


def test_a_lost_claim_gets_a_message_naming_who_holds_the_case(
    client, reviewer, other_reviewer, make_case
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    ManualReview.objects.filter(pk=case.pk).update(assignee=other_reviewer)
    client.force_login(reviewer)

    response = client.post(
        case_url(case),
        {"action": "approve", "reason_code": "verified", "confirm_failing": "on"},
        follow=True,
    )

    assert any(
        f"held by {other_reviewer.email}" in m and "(held_by_other)" in m
        for m in _messages(response)
    )
    assert ManualReview.objects.get(pk=case.pk).state == "open"


def test_an_expired_own_claim_and_an_unclaimed_case_say_so(client, reviewer, make_case):
    mine, nobodys = make_case(), make_case()
    review_claim(review_id=mine.pk, reviewer=reviewer)
    ManualReview.objects.filter(pk=mine.pk).update(
        claim_expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(reviewer)
    post = {"action": "reject", "reason_code": "nik_invalid", "notes": "Not a valid NIK."}

    expired = _messages(client.post(case_url(mine), post, follow=True))
    unclaimed = _messages(client.post(case_url(nobodys), post, follow=True))

    assert any("Your claim on this case ran out" in m for m in expired)
    assert any("You do not hold this case" in m for m in unclaimed)


def test_admin_reassigns_from_the_case_page(
    client, admin_user, reviewer, other_reviewer, make_case
):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    client.force_login(admin_user)

    client.post(
        reverse("admin:reviews_manualreview_reassign", args=[case.pk]),
        {"assignee": str(other_reviewer.pk)},
    )

    case.refresh_from_db()
    assert case.assignee_id == other_reviewer.pk


def test_a_6000x4000_photo_is_served_downscaled_and_fast(client, reviewer, make_case):
    big = Image.new("RGB", (6000, 4000), (200, 180, 160))
    buf = io.BytesIO()
    big.save(buf, format="JPEG", quality=90)
    case = make_case(image=buf.getvalue(), size=(6000, 4000))
    client.force_login(reviewer)

    started = time.monotonic()
    page = client.get(case_url(case))
    response = client.get(image_url(case))
    body = b"".join(response.streaming_content)
    elapsed = time.monotonic() - started

    assert page.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))
    served = Image.open(io.BytesIO(body))
    assert max(served.size) <= 2000
    assert served.size[0] / served.size[1] == pytest.approx(1.5, rel=0.01)
    assert elapsed < 5

    full = client.get(image_url(case), {"full": "1"})
    assert Image.open(io.BytesIO(b"".join(full.streaming_content))).size == (6000, 4000)
    actions = list(StaffAccessLog.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["view_case", "view_image", "view_image_full"]


def test_duplicates_link_the_other_users_documents(client, reviewer, make_case):
    from conftest import card_like_image

    same = card_like_image(1012, 640)
    failing = [
        {
            "code": "duplicate_image",
            "status": "fail",
            "weight": 10,
            "message": "The image matches 1 document(s) of other users.",
            "reason": "duplicate_image",
        }
    ]
    first = make_case(image=same)
    second = make_case(image=same, checks=failing, reason_codes=["duplicate_image"])
    client.force_login(reviewer)

    html = client.get(case_url(second)).content.decode()

    assert "Same image" in html
    assert reverse("admin:reviews_manualreview_case", args=[first.pk]) in html  # its case
    assert first.verification_result.fields["nik"]["value"][-4:] in html
    assert first.verification_result.fields["nik"]["value"] not in html.split('id="duplicates"')[1]


def test_the_users_other_documents_and_earlier_attempts_are_listed(
    client, reviewer, make_case, make_user
):
    owner = make_user()
    earlier = make_case(owner=owner, doc_type="NPWP")
    case = make_case(owner=owner)
    client.force_login(reviewer)

    html = client.get(case_url(case)).content.decode()

    assert str(earlier.document_id) in html
    assert 'id="attempts"' in html
