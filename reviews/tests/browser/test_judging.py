"""What a reviewer needs to judge a case, on one screen: the profile name beside the card's, the
user's other card, the failing and warning checks in words at the top, a row for every field of
the card, bright spots named where they cover a field, and another user's matching document
side by side, masked."""

from __future__ import annotations

import io

from django.urls import reverse
from PIL import Image, ImageDraw

from conftest import card_like_image
from filot.models import User
from reviews.models import FieldCorrection, ManualReview, StaffAccessLog
from reviews.services import review_claim
from reviews.tests.browser.helpers import (
    BROWSER_TEST,
    KTP_ROWS,
    case_url,
    check,
    closes_its_connections,
    image_loaded,
    ktp_fields,
    screenshot,
    signed_in,
)
from verification.parsing.ktp import FIELD_NAMES

pytestmark = BROWSER_TEST

NIK = "3273014107900012"
OTHER_NIK = "3273014107900099"


def card_with_a_bright_spot_over(field: str) -> bytes:
    """A plain card picture with a saturated white patch over one field's box."""
    image = Image.open(io.BytesIO(card_like_image(1012, 638))).convert("RGB")
    x, y, w, h = next(box for name, _, box in KTP_ROWS if name == field)
    ImageDraw.Draw(image).ellipse((x - 25, y - 20, x + w + 25, y + h + 20), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95)
    return out.getvalue()


@closes_its_connections
def test_one_screen_shows_what_the_case_is_judged_by(
    browser, live_server, reviewer, make_user, make_case
):
    owner = make_user(display_name="Siti Aminah")
    make_case(
        owner=owner,
        doc_type="NPWP",
        open_review=False,
        fields={
            "npwp": {"value": OTHER_NIK, "raw": OTHER_NIK, "confidence": 93.0, "box": None},
            "nama": {"value": "SITI RAHAYU", "raw": "SITI RAHAYU", "confidence": 95.0, "box": None},
        },
        decision="auto_approved",
    )
    case = make_case(
        owner=owner,
        image=card_with_a_bright_spot_over("golongan_darah"),
        fields=ktp_fields(golongan_darah="0", kewarganegaraan=None),
        quality={"detection": "flat", "rotation": 0, "glare": 0.004, "glare_detected": False},
        checks=[
            check("image_glare", "pass", "No glare over the text."),
            check(
                "profile_name",
                "fail",
                "The profile name does not match the name on the card.",
                "profile_name_mismatch",
            ),
            check("npwp_nik", "warn", "The NPWP is not this KTP's NIK.", "npwp_nik_mismatch"),
            check("nik_structure", "pass", "The NIK has a valid structure."),
        ],
    )
    review_claim(review_id=case.pk, reviewer=reviewer)
    page = signed_in(browser, live_server, reviewer)
    page.goto(case_url(live_server, case))
    page.wait_for_selector("#glare-finding")  # looked for in the image once it loaded
    screenshot(page, "console-case-judging", full_page=True)

    # The failing and warning checks, in words, above the image and the fields.
    summary = page.inner_text("#summary")
    assert "The profile name does not match the name on the card." in summary
    assert "The NPWP is not this KTP's NIK." in summary
    assert "No glare over the text." not in summary
    assert page.evaluate(
        "document.getElementById('summary').getBoundingClientRect().bottom"
        " <= document.getElementById('fields').getBoundingClientRect().top"
    )
    # The profile name beside the card's.
    assert "Siti Aminah" in page.inner_text('tr[data-field="nama"]')
    assert "differs" in page.inner_text("#profile-name")
    # The other card with its fields, compared.
    other = page.inner_text("#other-card")
    assert OTHER_NIK in other and "SITI RAHAYU" in other
    assert page.inner_text("#other-card tr:has(th:text('nik / npwp')) td:last-child") == "differs"
    assert image_loaded(page, "#other-card img") > 0
    # A row for every field of the card type, the missed ones empty and marked.
    rows = page.eval_on_selector_all("tr[data-field]", "rows => rows.map(r => r.dataset.field)")
    assert rows[: len(FIELD_NAMES)] == list(FIELD_NAMES)
    assert page.input_value("#id_correct__kewarganegaraan") == ""
    missed = page.get_attribute("#id_correct__kewarganegaraan", "placeholder")
    assert "not read by the OCR" in missed
    assert "unread" in page.get_attribute('tr[data-field="kewarganegaraan"]', "class")
    # The bright spot the glare measure passed is named over the field it covers.
    assert "golongan_darah" in page.inner_text("#glare-finding")
    assert "bright spot" in page.inner_text('tr[data-field="golongan_darah"]')
    assert "bright spot" not in page.inner_text('tr[data-field="nama"]')
    assert "golongan_darah" in page.inner_text('tr[data-check="image_glare"]')

    page.click("#id_correct__golongan_darah")  # under the glare: "0" was an O
    page.keyboard.press("Backspace")
    page.keyboard.type("O")
    page.keyboard.press("Enter")  # on to the next field, never a decision
    assert page.evaluate("document.activeElement.id") == "id_correct__alamat"
    page.click("#id_correct__kewarganegaraan")  # which the OCR missed
    page.keyboard.type("WNI")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    page.wait_for_selector("#confirm-approve:visible")
    page.keyboard.press("a")
    page.wait_for_selector("text=Decision recorded")

    decided = ManualReview.objects.get(pk=case.pk)
    assert (decided.decision, decided.reason_code) == ("approved", "verified_with_corrections")
    corrections = FieldCorrection.objects.filter(review=decided).order_by("field")
    assert [(c.field, c.old_value, c.new_value) for c in corrections] == [
        ("golongan_darah", "0", "O"),
        ("kewarganegaraan", "", "WNI"),
    ]
    assert page.csp_violations == []


@closes_its_connections
def test_a_duplicate_is_shown_side_by_side_masked_and_only_to_reviewers(
    browser, live_server, reviewer, make_user, make_case
):
    same_picture = card_like_image(1012, 640)
    duplicate = [
        check(
            "duplicate_image",
            "fail",
            "The image matches 1 document(s) of other users.",
            "duplicate_image",
        )
    ]
    first = make_case(image=same_picture, fields=ktp_fields(nik=OTHER_NIK, nama="RINA WATI"))
    case = make_case(
        image=same_picture, fields=ktp_fields(), checks=duplicate, reason_codes=["duplicate_image"]
    )
    unrelated = make_case()
    page = signed_in(browser, live_server, reviewer)
    page.goto(case_url(live_server, case))

    shown = page.inner_text("#duplicates")
    assert "Same image" in shown
    assert "************0099" in shown and OTHER_NIK not in shown
    assert "R*** W***" in shown and "RINA WATI" not in shown
    assert image_loaded(page, "#duplicates img") == 480  # coarse blocks, not the card
    assert page.get_attribute("#duplicates a", "href") == reverse(
        "admin:reviews_manualreview_case", args=[first.pk]
    )
    screenshot(page, "console-duplicate")

    related = "admin:reviews_manualreview_related_image"
    not_related = page.request.get(
        live_server.url + reverse(related, args=[case.pk, unrelated.document_id])
    )
    assert not_related.status == 404
    logged = StaffAccessLog.objects.filter(document_id=first.document_id, review_id=case.pk)
    assert logged.filter(action="view_image").exists()

    not_a_reviewer = make_user()
    User.objects.filter(pk=not_a_reviewer.pk).update(is_staff=True)  # staff, not in the group
    staff = signed_in(browser, live_server, not_a_reviewer)
    refused = staff.request.get(
        live_server.url + reverse(related, args=[case.pk, first.document_id])
    )
    assert refused.status == 403
    assert "You may not open this page" in refused.text()
