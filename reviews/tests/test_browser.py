"""The console in a real browser (Playwright + Debian's Chromium, headless): a reviewer logs in,
claims the next case, corrects a field and approves; another rejects with a reason; a 6000x4000
photo loads downscaled. Screenshots go to ``test-artifacts/``.

Skipped when Playwright or ``/usr/bin/chromium`` is missing (``apt-get install chromium``).
"""

from __future__ import annotations

import functools
import io
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from PIL import Image

from filot.models import Role
from reviews.models import FieldCorrection, ManualReview
from verification.tests.flow import card_bytes, ktp_fields, process, upload

CHROMIUM = Path(os.environ.get("FILOT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery staple"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def browser(
    transactional_db: None, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    # The test database is set up before the (session-long) live server starts, so the server
    # and its keep-alive request threads are gone before the database is dropped.
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
    # stay synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


def closes_its_connections(test: Callable[..., None]) -> Callable[..., None]:
    """Close the database connections the test body opened.

    Under Playwright's greenlets the test body runs in its own context, so it gets its own
    connection, which pytest-django never sees; left open, it blocks dropping the test database.
    """

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            test(*args, **kwargs)
        finally:
            connections.close_all()

    return run


def _page(browser: Any) -> Any:
    """A new page that keeps, in ``page.csp_violations``, what the browser refused under the
    Content-Security-Policy (Chromium logs each refusal to the console)."""
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def _login(browser: Any, live_server: Any, email: str) -> Any:
    page = _page(browser)
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
    page.wait_for_function("document.getElementById('card-image').complete")
    page.hover('tr[data-field="nama"]')
    page.screenshot(path=str(ARTIFACTS / "console-case-hover.png"), full_page=False)
    page.fill("#id_correct__nama", "NAMA DIKOREKSI")
    page.select_option("#id_reason_code", "verified")
    page.click("#approve")
    page.wait_for_selector("text=Decision recorded: Approve.")
    page.screenshot(path=str(ARTIFACTS / "console-approved.png"), full_page=False)

    approved = ManualReview.objects.get(document_id=first_id)
    assert (approved.decision, approved.decided_by_id) == ("approved", rina.pk)
    assert FieldCorrection.objects.get(review=approved).new_value == "NAMA DIKOREKSI"

    other = _login(browser, live_server, "sari@example.test")
    other.goto(f"{live_server.url}/admin/reviews/manualreview/")
    other.click("#claim-next")
    other.wait_for_selector("#decision-form #reject")
    other.select_option("#id_reason_code", "nik_sex_mismatch")
    other.click("#reject")  # no note yet: refused with a message
    other.wait_for_selector("text=A rejection needs a note.")
    other.fill("#id_notes", "Printed sex differs from the NIK.")
    other.click("#reject")
    other.wait_for_selector("text=Decision recorded: Reject.")
    other.screenshot(path=str(ARTIFACTS / "console-rejected.png"), full_page=False)
    rejected = ManualReview.objects.get(document_id=second_id)
    assert (rejected.decision, rejected.reason_code) == ("rejected", "nik_sex_mismatch")

    other.keyboard.press("n")  # next case: the queue is empty now
    other.wait_for_selector("text=The queue is empty")
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
    make_user(role=Role.REVIEWER, email="big@example.test")
    page = _login(browser, live_server, "big@example.test")

    started = time.monotonic()
    page.goto(f"{live_server.url}/admin/reviews/manualreview/{case.pk}/case/")
    page.wait_for_function(
        "document.getElementById('card-image').complete"
        " && document.getElementById('card-image').naturalWidth > 0"
    )
    elapsed = time.monotonic() - started
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
    assert elapsed < 10
    assert boxes and min(boxes) > 0  # placed by case.js from data-*, no style attributes
    assert page.csp_violations == []


def test_the_api_docs_page_works_under_the_content_security_policy(browser: Any, live_server: Any):
    page = _page(browser)

    response = page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=30_000)  # the schema was fetched and drawn

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "FiLot KYC API" in page.inner_text(".information-container")
    page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert page.csp_violations == []
