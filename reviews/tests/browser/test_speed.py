"""Working a queue fast: decide and next, reasons by keyboard with recent ones one key away and a
note per reason, and a lease that counts down, grows while the reviewer works and says clearly
when it has run out."""

from __future__ import annotations

from django.urls import reverse

from reviews.models import ManualReview, ReviewerSettings
from reviews.reasons import NOTE_TEMPLATES
from reviews.services import review_claim, review_decide
from reviews.tests.browser.helpers import (
    BROWSER_TEST,
    PASSING,
    case_url,
    closes_its_connections,
    ktp_fields,
    screenshot,
    signed_in,
)

pytestmark = BROWSER_TEST


@closes_its_connections
def test_decide_and_next_opens_the_next_case_and_is_a_setting_per_reviewer(
    browser, live_server, reviewer, make_case
):
    first, second = (make_case(checks=PASSING, reason_codes=[]) for _ in range(2))
    review_claim(review_id=first.pk, reviewer=reviewer)
    page = signed_in(browser, live_server, reviewer)
    page.goto(case_url(live_server, first))

    page.keyboard.press("a")  # on by default: the next case opens
    page.wait_for_url(case_url(live_server, second))
    assert "Next case opened." in page.inner_text(".messagelist")
    assert ManualReview.objects.get(pk=second.pk).assignee_id == reviewer.pk

    with page.expect_response(lambda r: r.url.endswith("/preferences/")):
        page.click("#decide-and-next")  # off: stay on the decided case
    assert ReviewerSettings.objects.get(user=reviewer).decide_and_next is False
    page.keyboard.press("a")
    page.wait_for_selector("text=Decision recorded")

    assert page.url == case_url(live_server, second)
    assert page.get_attribute("#case-state", "data-state") == "approved"
    assert not page.is_checked("#decide-and-next")  # remembered


@closes_its_connections
def test_reasons_by_keyboard_filter_as_typed_recent_ones_on_digits_and_notes_per_reason(
    browser, live_server, reviewer, make_case
):
    for code in ("nik_invalid", "image_blurry"):  # decided earlier, the blurry one last
        earlier = make_case()
        review_claim(review_id=earlier.pk, reviewer=reviewer)
        review_decide(review_id=earlier.pk, decision="rejected", reason_code=code, actor=reviewer)
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    review_claim(review_id=case.pk, reviewer=reviewer)
    page = signed_in(browser, live_server, reviewer)
    page.goto(case_url(live_server, case))

    assert page.inner_text("#recent-reasons").split() == [
        "Recent:",
        "1",
        "image_blurry",
        "2",
        "nik_invalid",
    ]
    page.keyboard.press("/")
    page.keyboard.type("glare")
    visible = page.eval_on_selector_all(
        "#id_reason_code option", "options => options.filter(o => !o.hidden).map(o => o.value)"
    )
    assert visible == ["image_glare"]
    page.keyboard.press("Enter")  # takes the match and leaves the search
    assert page.input_value("#id_reason_code") == "image_glare"
    assert page.input_value("#id_notes") == NOTE_TEMPLATES["image_glare"]

    page.keyboard.press("2")  # a recent reason, one key; its note replaces the untouched one
    assert page.input_value("#id_reason_code") == "nik_invalid"
    assert page.input_value("#id_notes") == NOTE_TEMPLATES["nik_invalid"]
    page.keyboard.press("r")
    page.wait_for_selector("text=Decision recorded")

    decided = ManualReview.objects.get(pk=case.pk)
    assert (decided.decision, decided.reason_code, decided.notes) == (
        "rejected",
        "nik_invalid",
        NOTE_TEMPLATES["nik_invalid"],
    )


@closes_its_connections
def test_the_lease_counts_down_grows_while_the_reviewer_works_and_says_when_it_ran_out(
    browser, live_server, reviewer, make_case, settings
):
    settings.REVIEW_CLAIM_SECONDS = 6
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    page = signed_in(browser, live_server, reviewer)
    review_claim(review_id=case.pk, reviewer=reviewer)
    page.goto(case_url(live_server, case))
    assert page.inner_text("#lease-left").endswith("left")
    granted = ManualReview.objects.get(pk=case.pk).claim_expires_at

    lease = reverse("admin:reviews_manualreview_lease", args=[case.pk])
    with page.expect_response(lambda r: r.url.endswith(lease), timeout=10_000):
        page.click("#id_correct__pekerjaan")  # working on the case
        page.keyboard.type(" SWASTA")
    assert ManualReview.objects.get(pk=case.pk).claim_expires_at > granted

    page.keyboard.press("Escape")  # then idle until the lease runs out
    page.wait_for_selector("#lease-expired:visible", timeout=15_000)
    assert "ran out at" in page.inner_text("#lease-expired")
    assert page.get_attribute("#case-state", "class") == "banner banner-expired"
    assert page.is_disabled("#approve")
    screenshot(page, "console-lease-expired")
    page.keyboard.press("a")
    assert ManualReview.objects.get(pk=case.pk).state == "open"

    settings.REVIEW_CLAIM_SECONDS = 900
    with page.expect_response(lambda r: r.url.endswith(lease)):
        page.click("#reclaim")
    page.wait_for_selector("#lease-expired", state="hidden")
    assert page.is_enabled("#approve")
    assert page.input_value("#id_correct__pekerjaan") == "KARYAWAN SWASTA"  # kept
