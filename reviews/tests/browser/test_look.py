"""Look and layout: readable in light and dark mode, whole numbers and values that grow with
their content at 1366 x 768, an admin-looking 403, correction links that lead nowhere
forbidden, outcomes in the decided list, a prominent Claim next, a sidebar that folds and stays
folded, a favicon. The case page is photographed in both modes at 1440 x 900 and 1366 x 768."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from reviews.models import ManualReview
from reviews.services import review_claim, review_decide, review_decide_with_corrections
from reviews.tests.browser.helpers import (
    BROWSER_TEST,
    CONTRAST_JS,
    LAPTOP,
    PASSING,
    WIDE,
    case_url,
    closes_its_connections,
    image_loaded,
    ktp_fields,
    queue_url,
    screenshot,
    signed_in,
)
from verification.tests.flow import card_bytes, process, upload
from verification.tests.flow import ktp_fields as random_ktp_fields

pytestmark = BROWSER_TEST

READABLE = 4.5  # WCAG AA for normal text
LONG_NAME = "RADEN AJENG SRI WAHYUNINGSIH PUSPITASARI KUSUMAWARDHANI"
LONG_ADDRESS = " GANG MAWAR INDAH BLOK C NOMOR 127 KOMPLEKS PERUMAHAN GRIYA ASRI PERMAI"


def contrast(page: Any, selector: str) -> float:
    ratio = page.evaluate(CONTRAST_JS, selector)
    assert ratio is not None, f"{selector} is not on the page"
    return float(ratio)


def hidden_overflow(page: Any) -> list[str]:
    """Value fields whose text does not fit in them (cut off, or scrolled out of sight)."""
    return page.eval_on_selector_all(
        "textarea.value",
        """fields => fields.filter(f => f.scrollWidth > f.clientWidth + 1
                                      || f.scrollHeight > f.clientHeight + 2).map(f => f.id)""",
    )


def single_line(page: Any, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "f => f.clientHeight < 2 * parseFloat(getComputedStyle(f).lineHeight)",
    )


@closes_its_connections
def test_the_case_page_in_light_and_dark_at_1440_and_1366(
    browser, live_server, auth_client, reviewer
):
    fields = dict(random_ktp_fields(51), nama=LONG_NAME)
    swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
    document_id = upload(auth_client, card_bytes("ktp", dict(fields, jenis_kelamin=swapped)), "ktp")
    assert process(document_id).decision == "in_review"
    case = ManualReview.objects.get(document_id=document_id, state="open")
    review_claim(review_id=case.pk, reviewer=reviewer)
    page = signed_in(browser, live_server, reviewer, viewport=LAPTOP)
    page.goto(case_url(live_server, case))
    assert image_loaded(page, "#card-image") > 0

    # A long address typed in grows its field; every value stays whole at 1366 x 768.
    before = page.eval_on_selector("#id_correct__alamat", "f => f.clientHeight")
    page.click("#id_correct__alamat")
    page.keyboard.press("End")
    page.keyboard.type(LONG_ADDRESS)
    page.hover('tr[data-field="nama"]')
    assert page.eval_on_selector("#id_correct__alamat", "f => f.clientHeight") > before
    for viewport in (LAPTOP, WIDE):
        page.set_viewport_size(viewport)
        assert hidden_overflow(page) == []
        assert single_line(page, "#id_correct__nik")  # all 16 digits on one line
        for dark in (False, True):
            page.emulate_media(color_scheme="dark" if dark else "light")
            page.hover('tr[data-field="nama"]')
            mode = "dark" if dark else "light"
            for selector in (
                "#case-state",
                "#state-badge",
                'tr.hot th[scope="row"] label',
                ".finding-fail .mark",
                "#profile-summary",
                "#shortcuts",
            ):
                assert contrast(page, selector) >= READABLE, (mode, selector)
            size = f"{viewport['width']}x{viewport['height']}"
            page.mouse.move(0, 0)
            page.evaluate("window.scrollTo(0, 0)")
            screenshot(page, f"console-case-{mode}-{size}")
    assert page.csp_violations == []


@closes_its_connections
def test_every_state_reads_clearly_in_both_modes_and_the_decided_list_shows_outcomes(
    browser, live_server, reviewer, other_reviewer, admin_user, make_case
):
    held, free, approved, rejected, resubmitted = (
        make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[]) for _ in range(5)
    )
    review_claim(review_id=held.pk, reviewer=other_reviewer)
    for case, decision, code in (
        (approved, "approved", "verified"),
        (rejected, "rejected", "nik_invalid"),
        (resubmitted, "resubmission", "image_blurry"),
    ):
        review_decide(review_id=case.pk, decision=decision, reason_code=code, actor=admin_user)
    page = signed_in(browser, live_server, reviewer)

    backgrounds: dict[tuple[str, bool], str] = {}
    for name, case in (
        ("held", held),
        ("free", free),
        ("approved", approved),
        ("rejected", rejected),
        ("resubmission", resubmitted),
    ):
        page.goto(case_url(live_server, case))
        assert page.get_attribute("#case-state", "data-state") == name
        for dark in (False, True):
            page.emulate_media(color_scheme="dark" if dark else "light")
            assert contrast(page, "#case-state") >= READABLE, (name, dark)
            assert contrast(page, "#state-badge") >= READABLE, (name, dark)
            backgrounds[name, dark] = page.eval_on_selector(
                "#case-state", "b => getComputedStyle(b).backgroundColor"
            )
        page.emulate_media(color_scheme="light")
    for dark in (False, True):  # open, held and decided look different
        shown = {backgrounds[name, dark] for name in ("free", "held", "approved", "rejected")}
        assert len(shown) == 4
    assert "Resubmission requested" in page.text_content("#state-badge")
    screenshot(page, "console-case-resubmission")

    page.goto(queue_url(live_server) + "?state=decided")
    rows = page.eval_on_selector_all("#result_list tbody tr", "rows => rows.map(r => r.innerText)")
    by_case = {
        str(c.pk)[:8]: next(row for row in rows if str(c.pk)[:8] in row)
        for c in (approved, rejected, resubmitted)
    }
    assert "Approved verified" in by_case[str(approved.pk)[:8]]
    assert "Rejected nik_invalid" in by_case[str(rejected.pk)[:8]]
    assert "Resubmission requested image_blurry" in by_case[str(resubmitted.pk)[:8]]
    page.emulate_media(color_scheme="dark")
    assert contrast(page, ".outcome-resubmission") >= READABLE
    screenshot(page, "console-decided-list-dark")


@closes_its_connections
def test_a_403_is_an_admin_page_and_correction_links_lead_nowhere_forbidden(
    browser, live_server, reviewer, make_case
):
    case = make_case(fields=ktp_fields(), checks=PASSING, reason_codes=[])
    review_claim(review_id=case.pk, reviewer=reviewer)
    review_decide_with_corrections(
        review_id=case.pk,
        actor=reviewer,
        decision="approved",
        reason_code="verified_with_corrections",
        corrections={"pekerjaan": "KARYAWAN SWASTA"},
    )
    page = signed_in(browser, live_server, reviewer)

    forbidden = page.goto(live_server.url + reverse("admin:filot_user_changelist"))
    assert forbidden.status == 403
    assert "You may not open this page" in page.inner_text("#content")
    assert page.is_visible("#header #site-name")  # the console's own look, not JSON
    screenshot(page, "console-403")

    page.goto(live_server.url + reverse("admin:reviews_fieldcorrection_changelist"))
    assert reviewer.email in page.inner_text("#result_list")
    page.click("#result_list tbody tr th a")  # the correction's own page
    page.wait_for_url("**/change/")
    assert reviewer.email in page.inner_text("#content")
    for url in page.eval_on_selector_all(
        "#content a[href], #nav-sidebar a[href], .breadcrumbs a[href]",
        "links => links.map(a => a.href)",
    ):
        assert page.request.get(url).status != 403, url


@closes_its_connections
def test_claim_next_is_prominent_the_sidebar_folds_and_stays_folded_and_a_favicon(
    browser, live_server, reviewer, make_case
):
    make_case()
    page = signed_in(browser, live_server, reviewer, viewport=LAPTOP)
    page.goto(queue_url(live_server))

    claim = page.locator("#claim-next").bounding_box()
    search = page.locator("#changelist-search input[type=submit]").bounding_box()
    assert claim["y"] + claim["height"] < LAPTOP["height"] / 2  # at the top, not below the fold
    assert claim["height"] > search["height"] and claim["width"] > 2 * search["width"]
    icon = page.get_attribute("link[rel=icon]", "href")
    answer = page.request.get(live_server.url + icon)
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg")

    assert page.is_visible("#nav-sidebar")
    page.keyboard.press("[")
    page.wait_for_selector("#nav-sidebar", state="hidden")
    page.reload()
    assert not page.is_visible("#nav-sidebar")  # remembered
    page.keyboard.press("n")
    page.wait_for_selector("#decision-form")
    assert not page.is_visible("#nav-sidebar")
    screenshot(page, "console-case-sidebar-folded-1366x768")
