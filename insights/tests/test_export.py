"""The decisions export: what analysts get, and that no personal data leaves with it."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from insights.export import COLUMNS
from insights.tests.conftest import checks
from reviews.models import FieldCorrection, ManualReview

pytestmark = pytest.mark.django_db

NIK = "3273014107900012"
NAME = "SITI RAHAYU"


@pytest.fixture
def decided_with_personal_data(make_decided, reviewer):
    fields = {
        "nik": {"value": NIK, "raw": NIK, "confidence": 90.0, "box": None},
        "nama": {"value": NAME, "raw": NAME, "confidence": 90.0, "box": None},
    }
    result = make_decided(
        checks(fields="warn", colour="warn"), human="approved", reason="verified", fields=fields
    )
    review = ManualReview.objects.get(verification_result=result)
    ManualReview.objects.filter(pk=review.pk).update(notes=f"Looks like {NAME}, NIK {NIK}")
    FieldCorrection.objects.create(
        review=review,
        document=result.document,
        field="nama",
        old_value="SITI RAHAJU",
        new_value=NAME,
        reviewer=reviewer,
    )
    auto = make_decided(checks(), fields=fields)
    return result, auto


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_masks_identity_numbers_and_carries_no_names(decided_with_personal_data):
    reviewed, auto = decided_with_personal_data
    out = io.StringIO()

    call_command("export_decisions", stdout=out)

    text = out.getvalue()
    assert NIK not in text and NIK[:12] not in text
    assert NAME not in text and "RAHAJU" not in text and "Looks like" not in text
    assert reviewed.document.owner.email not in text
    rows = {row["result_id"]: row for row in rows_of(text)}
    assert list(rows_of(text)[0]) == list(COLUMNS)
    row = rows[str(reviewed.pk)]
    assert row["identity_masked"] == "************0012"
    assert row["score"] == "77"
    assert row["machine_decision"] == "in_review"
    assert row["human_decision"] == "approved" and row["human_reason"] == "verified"
    assert row["review_kind"] == "decision"
    assert row["corrected_fields"] == "nama"
    assert row["checks"] == "identity_verified=pass|fields_confidence=warn|image_colour=warn"
    assert rows[str(auto.pk)]["machine_decision"] == "auto_approved"
    assert rows[str(auto.pk)]["human_decision"] == ""


def test_staff_download_and_command_agree_and_others_are_refused(
    decided_with_personal_data, admin_user, reviewer, client, tmp_path
):
    target = tmp_path / "decisions.csv"
    call_command("export_decisions", "--out", str(target), "--doc-type", "KTP")
    url = reverse("admin:insights_decisionquality_export") + "?doc_type=KTP"

    client.force_login(reviewer)
    assert client.get(url).status_code == 403
    client.force_login(admin_user)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert rows_of(body) == rows_of(target.read_text())
    assert len(rows_of(body)) == 2
    assert (
        client.get(reverse("admin:insights_decisionquality_export") + "?since=soon").status_code
        == 400
    )
