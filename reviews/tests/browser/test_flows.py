"""Whole flows in the browser: reviewers sign in through the form, claim, correct and decide;
a 6000x4000 photo loads downscaled; the API docs work under the Content-Security-Policy.

Skipped when Playwright or ``/usr/bin/chromium`` is missing (``apt-get install chromium``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from filot.models import Role
from reviews.models import FieldCorrection, ManualReview
from reviews.tests.browser.helpers import (
    ARTIFACTS,
    BROWSER_TEST,
    PASSWORD,
    closes_its_connections,
    image_loaded,
    new_page,
    signed_in,
)
from verification.tests.flow import card_bytes, ktp_fields, process, upload

pytestmark = BROWSER_TEST


def _login(browser: Any, live_server: Any, email: str) -> Any:
    page = new_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def sex_swapped(seed: int) -> dict[str, str]:
    fields = ktp_fields(seed)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    return dict(fields, jenis_kelamin=swapped)


@closes_its_connections
def test_reviewers_claim_correct_approve_and_reject_in_a_browser(
    browser: Any,
    live_server: Any,
    auth_client: Any,
    make_user: Callable[..., Any],
    reviewer_group: Any,
):
    first_fields = sex_swapped(41)
    first_id = upload(auth_client, card_bytes("ktp", first_fields), "ktp")
    second_id = upload(auth_client, card_bytes("ktp", sex_swapped(42), seed=1), "ktp")
    assert process(first_id).decision == "in_review"
    assert process(second_id).decision == "in_review"
    rina = make_user(role=Role.REVIEWER, email="rina@example.test")
    make_user(role=Role.REVIEWER, email="sari@example.test")

    page = _login(browser, live_server, "rina@example.test")
    page.goto(f"{live_server.url}/admin/reviews/manualreview/")
    assert page.locator("[data-count=open]").inner_text() == "2"
    page.screenshot(path=str(ARTIFACTS / "console-queue.png"), full_page=True)
    page.click("#claim-next")
    page.wait_for_selector("#decision-form #approve")
    assert image_loaded(page, "#card-image") > 0
    page.hover('tr[data-field="nama"]')
    page.screenshot(path=str(ARTIFACTS / "console-case-hover.png"), full_page=False)
    page.fill("#id_correct__nama", "NAMA DIKOREKSI")
    page.click("#approve")  # the NIK's sex check failed: asked to confirm first
    page.wait_for_selector("#confirm-approve:visible")
    page.click("#approve")
    page.wait_for_selector("text=Next case opened.")  # decide and next: the second case

    approved = ManualReview.objects.get(document_id=first_id)
    assert (approved.decision, approved.reason_code, approved.decided_by_id) == (
        "approved",
        "verified_with_corrections",
        rina.pk,
    )
    assert FieldCorrection.objects.get(review=approved).new_value == "NAMA DIKOREKSI"
    assert ManualReview.objects.get(document_id=second_id).assignee_id == rina.pk
    page.click("#release-case")
    page.wait_for_selector("text=The case went back to the queue.")

    other = _login(browser, live_server, "sari@example.test")
    other.goto(f"{live_server.url}/admin/reviews/manualreview/")
    other.keyboard.press("n")  # claim next from the queue
    other.wait_for_selector("#decision-form #reject")
    other.select_option("#id_reason_code", "nik_sex_mismatch")
    other.fill("#id_notes", "")
    other.click("#reject")  # no note: refused with a message
    other.wait_for_selector("text=A rejection needs a note.")
    other.fill("#id_notes", "Printed sex differs from the NIK.")
    other.click("#reject")
    other.wait_for_selector("text=The queue is empty.")
    other.screenshot(path=str(ARTIFACTS / "console-rejected.png"), full_page=False)
    rejected = ManualReview.objects.get(document_id=second_id)
    assert (rejected.decision, rejected.reason_code) == ("rejected", "nik_sex_mismatch")

    assert page.csp_violations == []
    assert other.csp_violations == []


@closes_its_connections
def test_a_6000x4000_photo_loads_downscaled_without_freezing_the_page(
    browser: Any,
    live_server: Any,
    make_case: Callable[..., Any],
    make_user: Callable[..., Any],
    reviewer_group: Any,
):
    photo = Image.new("RGB", (6000, 4000), (190, 200, 215))
    buf = io.BytesIO()
    photo.save(buf, format="JPEG", quality=92)
    case = make_case(image=buf.getvalue(), size=(6000, 4000))
    page = signed_in(browser, live_server, make_user(role=Role.REVIEWER))

    page.goto(f"{live_server.url}/admin/reviews/manualreview/{case.pk}/case/")
    assert image_loaded(page, "#card-image") > 0
    natural = page.evaluate(
        "[document.getElementById('card-image').naturalWidth,"
        " document.getElementById('card-image').naturalHeight]"
    )
    boxes = page.evaluate(
        "[...document.querySelectorAll('.viewer-stage .box')]"
        ".map(box => box.getBoundingClientRect().width)"
    )
    page.click("[data-zoom='1']")
    page.click("[data-rotate='90']")
    assert page.evaluate("1 + 1") == 2  # the page still answers after zoom and rotate
    page.screenshot(path=str(ARTIFACTS / "console-big-photo.png"), full_page=False)

    assert max(natural) <= 2000
    assert natural[0] / natural[1] == pytest.approx(1.5, rel=0.01)
    assert boxes and min(boxes) > 0  # placed by case.js from data-*, no style attributes
    assert page.csp_violations == []


def test_the_api_docs_page_works_under_the_content_security_policy(browser: Any, live_server: Any):
    page = new_page(browser)

    response = page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30_000)  # the schema was fetched and drawn

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "FiLot KYC API" in page.inner_text(".information-container")
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert page.csp_violations == []
