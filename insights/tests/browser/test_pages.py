"""The decision-quality pages in Chromium: a lead types thresholds and replays them, reads
accuracy, blind QA and agreement, downloads the decisions; a reviewer may not; a blind QA case
in the console. Screenshots go to test-artifacts/."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from insights.tests.conftest import checks
from reviews.models import FieldCorrection, ManualReview
from reviews.qa import qa_cases_sample
from reviews.services import review_claim
from reviews.tests.browser.helpers import (
    BROWSER_TEST,
    case_url,
    closes_its_connections,
    image_loaded,
    screenshot,
    signed_in,
)

pytestmark = BROWSER_TEST


def small_history(make_decided, other_reviewer):
    make_decided(checks(), human="approved", qa=True)
    make_decided(checks(), human="rejected", qa=True, reason="nik_invalid")
    make_decided(checks(fields="warn"))
    for human in ("approved", "approved", "rejected"):
        make_decided(checks(fields="warn", colour="warn"), human=human)
    make_decided(checks(identity="fail", colour="warn"), human="rejected")
    make_decided(checks(identity="fail", fields="warn"))
    first = make_decided(
        checks(fields="fail"),
        human="rejected",
        reason="nik_invalid",
        fields={"nik": {"value": "3273014107900012"}, "nama": {"value": "SITI RAHAYU"}},
    )
    review = ManualReview.objects.get(verification_result=first, purpose="decision")
    FieldCorrection.objects.create(review=review, document=first.document, field="alamat")
    second = ManualReview.objects.create(
        document=first.document, verification_result=first, purpose="second", checked_review=review
    )
    ManualReview.objects.filter(pk=second.pk).update(
        state="decided",
        decision="rejected",
        reason_code="nik_invalid",
        source="console",
        decided_by=other_reviewer,
        decided_at=review.decided_at,
    )


@closes_its_connections
def test_a_lead_replays_other_thresholds_and_downloads_the_decisions(
    browser, live_server, make_decided, admin_user, other_reviewer
):
    small_history(make_decided, other_reviewer)
    page = signed_in(browser, live_server, admin_user)
    page.goto(live_server.url + reverse("admin:index"))
    page.click("text=What-if, accuracy and QA")

    # Today's thresholds are filled in; the lead types others and presses Enter.
    assert page.input_value("#id_approve") == "85"
    page.click("#id_approve")
    page.keyboard.press("Control+A")
    page.keyboard.type("75")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("40")
    page.keyboard.press("Enter")
    page.wait_for_url("**/what-if/?*approve=75*")

    outcomes = page.inner_text("#outcomes")
    assert "auto-approved\t3\t6\t+3" in outcomes
    assert "auto-rejected\t1\t2\t+1" in outcomes
    assert "1/2 = 50.0 %" in page.inner_text('#human tr[data-thresholds="current"]')
    assert "2/5 = 40.0 %" in page.inner_text('#human tr[data-thresholds="proposed"]')
    assert image_loaded(page, "#score-chart") > 600
    assert page.csp_violations == []
    screenshot(page, "insights-whatif", full_page=True)

    with page.expect_download() as download:
        page.click("#export")
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert len(rows) == 9
    assert "************0012" in {row["identity_masked"] for row in rows}
    assert "3273014107900012" not in download.value.path().read_text()

    # Reject above approve: the form says why and keeps the page.
    page.fill("#id_reject", "90")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-errors")
    assert "reject < approve" in page.inner_text("#form-errors")


@closes_its_connections
def test_accuracy_qa_and_agreement_page_in_light_and_dark(
    browser, live_server, make_decided, admin_user, other_reviewer
):
    small_history(make_decided, other_reviewer)
    for dark in (False, True):
        page = signed_in(browser, live_server, admin_user, dark=dark)
        page.goto(live_server.url + reverse("admin:insights_decisionquality_quality"))

        assert "1/2 = 50.0 %" in page.inner_text('#qa-rates tr[data-rate="approvals"]')
        assert "no sample" in page.inner_text('#qa-rates tr[data-rate="rejections"]')
        assert "1 case reviewed twice" in page.inner_text("#agreement")
        assert "KTP" in page.inner_text('#field-rates tr[data-field="KTP-alamat"]')
        assert image_loaded(page, "#correction-chart") > 600
        assert page.csp_violations == []
        screenshot(page, f"insights-quality-{'dark' if dark else 'light'}", full_page=True)


@closes_its_connections
def test_a_reviewer_may_not_open_the_pages_and_judges_a_qa_case_blind(
    browser, live_server, make_decided, reviewer
):
    make_decided(checks(), fields={"nik": {"value": "3273014107900012"}})
    [qa] = qa_cases_sample(share=1.0)
    review_claim(review_id=qa.pk, reviewer=reviewer)
    page = signed_in(browser, live_server, reviewer)

    response = page.goto(live_server.url + reverse("admin:insights_decisionquality_whatif"))
    assert response.status == 403
    page.goto(case_url(live_server, qa))

    assert "Blind QA case" in page.inner_text("#case-state")
    assert page.locator("#score").count() == 0
    assert "auto-approved" not in page.inner_text("body").lower()
    screenshot(page, "console-blind-qa-case")
