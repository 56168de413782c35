"""A decision comes only from its own button or key, with a reason of its own kind, and a refused
decision loses nothing the reviewer typed. Each test presses the keys a reviewer would."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

from documents.models import Document
from reviews.models import ManualReview
from reviews.services import review_claim
from reviews.tests.browser.helpers import (
    BROWSER_TEST,
    FAILING_SEX,
    PASSING,
    case_url,
    closes_its_connections,
    ktp_fields,
    signed_in,
)

pytestmark = BROWSER_TEST


def _open_claimed(browser: Any, live_server: Any, reviewer: Any, case: ManualReview) -> Any:
    review_claim(review_id=case.pk, reviewer=reviewer)
    page = signed_in(browser, live_server, reviewer)
    page.goto(case_url(live_server, case))
    page.wait_for_selector("#decision-form #approve")
    return page


def _type_into(page: Any, selector: str, text: str) -> None:
    """Click into a field, go to its end and type, as a person would."""
    page.click(selector)
    page.keyboard.press("End")
    page.keyboard.type(text)


def _leave_field(page: Any) -> None:
    page.keyboard.press("Escape")
    page.locator("h1").click()


def _settled(page: Any) -> None:
    """Let a submission the last key might have started reach the server and come back."""
    page.wait_for_load_state("networkidle")


@closes_its_connections
def test_enter_in_a_field_never_records_a_decision(browser, live_server, reviewer, make_case):
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    page = _open_claimed(browser, live_server, reviewer, case)

    page.select_option("#id_reason_code", "image_blurry")
    _type_into(page, "#id_correct__pekerjaan", " SWASTA")
    page.keyboard.press("Enter")
    _settled(page)

    assert Document.objects.get(pk=case.document_id).status == "in_review"
    assert ManualReview.objects.get(pk=case.pk).state == "open"
    assert "Decision recorded" not in page.inner_text("body")
    assert page.input_value("#id_correct__pekerjaan") == "KARYAWAN SWASTA"

    _type_into(page, "#id_notes", "Too blurry to read the occupation.")
    page.keyboard.press("Enter")  # a new line in the note, nothing more
    _settled(page)
    assert ManualReview.objects.get(pk=case.pk).state == "open"

    _leave_field(page)
    page.keyboard.press("s")  # the decision's own key
    page.wait_for_selector("text=Decision recorded")
    decided = ManualReview.objects.get(pk=case.pk)
    assert (decided.decision, decided.reason_code) == ("resubmission", "image_blurry")
    assert decided.corrected_fields == {"pekerjaan": "KARYAWAN SWASTA"}


@closes_its_connections
def test_approve_refuses_a_rejection_finding_and_resubmission_a_final_one(
    browser, live_server, reviewer, make_case
):
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    page = _open_claimed(browser, live_server, reviewer, case)

    page.select_option("#id_reason_code", "nik_sex_mismatch")
    _leave_field(page)
    page.keyboard.press("a")
    page.wait_for_selector("text=not a reason to approve")
    _settled(page)
    assert ManualReview.objects.get(pk=case.pk).state == "open"

    page.keyboard.press("s")  # nik_sex_mismatch is final: the user cannot fix it by retaking
    page.wait_for_selector("text=not a reason to request resubmission")
    _settled(page)
    assert Document.objects.get(pk=case.document_id).status == "in_review"

    page.select_option("#id_reason_code", "verified")
    _leave_field(page)
    page.keyboard.press("a")
    page.wait_for_selector("text=Decision recorded")
    decided = ManualReview.objects.get(pk=case.pk)
    assert (decided.decision, decided.reason_code) == ("approved", "verified")


@closes_its_connections
def test_every_input_survives_a_refused_decision(
    browser, live_server, reviewer, other_reviewer, make_case
):
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    page = _open_claimed(browser, live_server, reviewer, case)

    _type_into(page, "#id_correct__alamat", " BLOK C")
    _type_into(page, "#id_correct__pekerjaan", " SWASTA")
    page.select_option("#id_reason_code", "nik_sex_mismatch")
    page.click("#id_notes")  # the reason started a note: the reviewer deletes it
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    _leave_field(page)
    page.keyboard.press("r")  # no note: refused
    page.wait_for_selector("text=A rejection needs a note.")

    assert page.input_value("#id_correct__alamat") == "JL. SUKAJADI NO. 12 BLOK C"
    assert page.input_value("#id_correct__pekerjaan") == "KARYAWAN SWASTA"
    assert page.input_value("#id_reason_code") == "nik_sex_mismatch"

    # Meanwhile the claim runs out and another reviewer takes the case.
    ManualReview.objects.filter(pk=case.pk).update(
        claim_expires_at=timezone.now() - timedelta(seconds=1)
    )
    review_claim(review_id=case.pk, reviewer=other_reviewer)
    _type_into(page, "#id_notes", "Printed sex differs from the NIK.")
    _leave_field(page)
    page.keyboard.press("r")
    page.wait_for_selector(f"text={other_reviewer.email}")

    assert page.input_value("#id_correct__alamat") == "JL. SUKAJADI NO. 12 BLOK C"
    assert page.input_value("#id_correct__pekerjaan") == "KARYAWAN SWASTA"
    assert page.input_value("#id_notes") == "Printed sex differs from the NIK."
    assert page.input_value("#id_reason_code") == "nik_sex_mismatch"
    assert ManualReview.objects.get(pk=case.pk).state == "open"


@closes_its_connections
def test_one_key_approve_on_a_case_with_failing_checks_asks_first(
    browser, live_server, reviewer, make_case
):
    case = make_case(fields=ktp_fields(), checks=FAILING_SEX)
    page = _open_claimed(browser, live_server, reviewer, case)

    page.select_option("#id_reason_code", "verified")
    _leave_field(page)
    page.keyboard.press("a")
    page.wait_for_selector("#confirm-approve:visible")
    _settled(page)

    assert ManualReview.objects.get(pk=case.pk).state == "open"
    assert "nik_sex" in page.inner_text("#confirm-approve")

    page.keyboard.press("a")  # the second key confirms
    page.wait_for_selector("text=Decision recorded")
    assert ManualReview.objects.get(pk=case.pk).decision == "approved"


@closes_its_connections
def test_a_decision_on_a_case_held_by_another_reviewer_names_the_holder(
    browser, live_server, reviewer, other_reviewer, make_case
):
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    review_claim(review_id=case.pk, reviewer=other_reviewer)
    page = signed_in(browser, live_server, reviewer)
    page.goto(case_url(live_server, case))
    assert other_reviewer.email in page.inner_text("#case-state")

    # A decision posted without ever holding the case (a forged or replayed form).
    token = page.input_value("input[name=csrfmiddlewaretoken] >> nth=0")
    response = page.request.post(
        case_url(live_server, case),
        form={"csrfmiddlewaretoken": token, "action": "approve", "reason_code": "verified"},
    )
    refusal = re.search(r'class="error">([^<]*)<', response.text())

    assert refusal is not None
    assert f"held by {other_reviewer.email}" in refusal.group(1)
    assert "your claim" not in refusal.group(1).lower()
    assert ManualReview.objects.get(pk=case.pk).state == "open"
