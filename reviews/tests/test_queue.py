"""The queue: open cases oldest first, masked NIK, counters, filters, search, constant queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ManualReview
from reviews.services import review_claim, review_decide

pytestmark = pytest.mark.django_db
QUEUE = "admin:reviews_manualreview_changelist"


def _rows(response: Any) -> list[ManualReview]:
    return list(response.context["cl"].result_list)


def test_queue_lists_open_cases_oldest_first_with_the_nik_masked(client, reviewer, make_case):
    newer, older = make_case(), make_case()
    ManualReview.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    closed = make_case()
    ManualReview.objects.filter(pk=closed.pk).update(state="cancelled")
    client.force_login(reviewer)

    response = client.get(reverse(QUEUE))

    assert [r.pk for r in _rows(response)] == [older.pk, newer.pk]
    html = response.content.decode()
    full = newer.verification_result.fields["nik"]["value"]
    assert full not in html
    assert "************" + full[-4:] in html


def test_age_is_coloured_against_the_sla(client, reviewer, make_case, settings):
    settings.REVIEW_SLA_SECONDS = 3600
    _fresh, late = make_case(), make_case()
    ManualReview.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=2))
    client.force_login(reviewer)

    html = client.get(reverse(QUEUE)).content.decode()

    assert html.count("sla sla-over") == 1
    assert html.count("sla sla-ok") == 1


def test_counters_show_open_claimed_overdue_decided_and_auto_rates(
    client, reviewer, make_case, settings
):
    settings.REVIEW_SLA_SECONDS = 3600
    claimed, overdue, decided = make_case(), make_case(), make_case()
    make_case()
    ManualReview.objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - timedelta(hours=3)
    )
    review_claim(review_id=claimed.pk, reviewer=reviewer)
    review_claim(review_id=decided.pk, reviewer=reviewer)
    review_decide(review_id=decided.pk, decision="approved", reason_code="verified", actor=reviewer)
    make_case(decision="auto_approved", open_review=False)
    make_case(decision="auto_rejected", open_review=False)
    client.force_login(reviewer)

    counts = client.get(reverse(QUEUE)).context["counts"]

    assert counts["open"] == 3
    assert counts["claimed"] == 1
    assert counts["overdue"] == 1
    assert counts["decided_today"] == 1
    assert counts["processed_today"] == 6
    assert counts["auto_approve_rate"] == "17%"
    assert counts["auto_reject_rate"] == "17%"


def test_filters_by_type_reason_score_assignee_and_state(client, reviewer, make_case):
    ktp = make_case(doc_type="KTP", score=40, reason_codes=["nik_sex_mismatch"])
    npwp = make_case(doc_type="NPWP", score=70, reason_codes=["name_mismatch"])
    review_claim(review_id=npwp.pk, reviewer=reviewer)
    client.force_login(reviewer)

    def ids(**query: str) -> set[Any]:
        return {r.pk for r in _rows(client.get(reverse(QUEUE), query))}

    assert ids(doc_type="NPWP") == {npwp.pk}
    assert ids(reason="nik_sex_mismatch") == {ktp.pk}
    assert ids(score="mid") == {ktp.pk}
    assert ids(score="high") == {npwp.pk}
    assert ids(assignee="me") == {npwp.pk}
    assert ids(assignee="none") == {ktp.pk}
    assert ids(assignee=str(reviewer.pk)) == {npwp.pk}
    assert ids(state="claimed") == {npwp.pk}
    assert ids(state="unclaimed") == {ktp.pk}
    assert ids(state="decided") == set()
    assert ids(state="all") == {ktp.pk, npwp.pk}


def test_search_by_document_id_or_the_last_four_nik_digits(client, reviewer, make_case):
    first, second = make_case(), make_case()
    suffix = first.verification_result.fields["nik"]["value"][-4:]
    client.force_login(reviewer)

    def ids(term: str) -> set[Any]:
        return {r.pk for r in _rows(client.get(reverse(QUEUE), {"q": term}))}

    assert ids(str(second.document_id)) == {second.pk}
    assert ids(suffix) == {first.pk}
    assert ids("************" + suffix) == {first.pk}
    assert ids("not a thing") == set()


@pytest.mark.parametrize("rows", [10, 100])
def test_queue_queries_do_not_grow_with_rows(
    rows, client, reviewer, make_case, django_assert_num_queries, make_user
):
    owner = make_user()
    for n in range(rows):
        case = make_case(owner=owner)
        if n % 3 == 0:
            review_claim(review_id=case.pk, reviewer=reviewer)
    client.force_login(reviewer)
    client.get(reverse(QUEUE))  # warm the session and content types

    # The same number for 10 and 100 rows: session, user, permissions, counters, filters, page.
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse(QUEUE))

    assert len(_rows(response)) == rows
    html = response.content.decode()
    assert not any(
        row.verification_result.fields["nik"]["value"] in html
        for row in ManualReview.objects.select_related("verification_result")
    )


QUEUE_QUERIES = 9


def test_claim_next_opens_the_oldest_case_and_says_so_when_empty(client, reviewer, make_case):
    client.force_login(reviewer)
    response = client.post(reverse("admin:reviews_manualreview_claim_next"))
    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE)

    case = make_case()
    response = client.post(reverse("admin:reviews_manualreview_claim_next"))

    assert response["Location"] == reverse("admin:reviews_manualreview_case", args=[case.pk])
    case.refresh_from_db()
    assert case.assignee_id == reviewer.pk


def test_admin_releases_selected_cases_from_the_queue(client, admin_user, reviewer, make_case):
    case = make_case()
    review_claim(review_id=case.pk, reviewer=reviewer)
    client.force_login(admin_user)

    client.post(reverse(QUEUE), {"action": "release_selected", "_selected_action": [str(case.pk)]})

    case.refresh_from_db()
    assert case.assignee_id is None
