"""Outbox rows written with the change, and delivered to a real (fake) BULI2 over HTTP."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from filot import health_details
from filot.testing.worker import wait_for
from reviews.models import ManualReview
from reviews.partner import breaker
from reviews.partner import services as partner_services
from reviews.partner.fake_server import Mode
from reviews.partner.models import OutboxEvent
from reviews.partner.services import (
    outbox_deliver,
    outbox_replay,
    outbox_sweep,
    partner_tell_decision,
)
from reviews.partner.tests.conftest import API_KEY, CALLBACK_URL, NIK
from reviews.services import review_decide

pytestmark = pytest.mark.django_db


def deliver(row: OutboxEvent) -> str:
    row.refresh_from_db()
    return outbox_deliver(outbox_id=row.pk, token=str(row.claim_token))


def redispatch(row: OutboxEvent) -> OutboxEvent:
    """What the sweep does for a due row: a fresh claim token (no worker runs here)."""
    OutboxEvent.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now(), locked_until=None)
    outbox_sweep()
    row.refresh_from_db()
    return row


def test_opening_a_review_writes_an_escalation_row_with_the_fields(partner, open_review):
    review = open_review()

    row = OutboxEvent.objects.get()
    assert (row.event_type, row.status, row.review_id) == ("review.escalated", "pending", review.pk)
    data = row.payload["data"]
    assert row.payload["id"] == str(row.event_id)
    assert data["review_id"] == str(review.pk)
    assert data["fields"]["nik"] == {"value": NIK, "confidence": 0.91}
    assert data["score"] == 62
    assert data["reason_codes"] == ["low_confidence"]
    assert data["callback_url"] == CALLBACK_URL


def test_the_row_rolls_back_with_the_change(partner, open_review, make_document):
    with pytest.raises(RuntimeError), transaction.atomic():
        document = make_document()
        partner_tell_decision(
            document=document, decision="auto_approved", source="verification", reason_codes=[]
        )
        assert OutboxEvent.objects.count() == 1
        raise RuntimeError("the decision failed")

    assert not OutboxEvent.objects.exists()


def test_a_console_decision_writes_a_decision_row(partner, open_review):
    review = open_review()

    review_decide(review_id=review.pk, decision="rejected", reason_code="nik_invalid", actor=None)

    row = OutboxEvent.objects.get(event_type="document.decided")
    assert row.payload["data"]["decision"] == "rejected"
    assert row.payload["data"]["reason_codes"] == ["nik_invalid"]
    assert row.payload["data"]["source"] == "console"


def test_a_reviewer_decision_commits_with_its_partner_row_or_not_at_all(
    partner, open_review, monkeypatch
):
    review = open_review()

    def refuse(**_: object) -> None:
        raise DatabaseError("the outbox row could not be written")

    with monkeypatch.context() as patched:
        patched.setattr(partner_services, "outbox_enqueue", refuse)
        with pytest.raises(DatabaseError):
            review_decide(
                review_id=review.pk, decision="approved", reason_code="verified", actor=None
            )
    review.refresh_from_db()
    assert (review.state, review.document.status) == ("open", "in_review")
    assert not OutboxEvent.objects.filter(event_type="document.decided").exists()

    review_decide(review_id=review.pk, decision="approved", reason_code="verified", actor=None)

    review.refresh_from_db()
    assert (review.state, review.document.status) == ("decided", "approved")
    row = OutboxEvent.objects.get(event_type="document.decided")
    assert (row.review_id, row.payload["data"]["decision"]) == (review.pk, "approved")


def test_a_resubmission_request_is_sent_as_a_rejection_that_says_so(partner, open_review):
    review = open_review()

    review_decide(
        review_id=review.pk, decision="resubmission", reason_code="image_blurry", actor=None
    )

    data = OutboxEvent.objects.get(event_type="document.decided").payload["data"]
    assert (data["decision"], data["review_decision"]) == ("rejected", "resubmission")
    assert data["reason_codes"] == ["image_blurry"]


def test_nothing_is_written_when_buli2_is_not_configured(settings, open_review):
    settings.BULI2_API_URL = ""

    open_review()

    assert not OutboxEvent.objects.exists()


def test_a_delivered_escalation_stores_the_partner_task_id(partner, open_review):
    review = open_review()
    row = OutboxEvent.objects.get()

    assert deliver(row) == "delivered"

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code) == ("delivered", 1, 201)
    assert row.delivered_at is not None
    task_id = ManualReview.objects.get(pk=review.pk).partner_task_id
    assert task_id.startswith("buli2-")
    assert row.partner_reference == task_id
    (record,) = partner.records()
    assert (record.path, record.idempotency_key) == ("/internal/reviews", str(row.event_id))
    assert record.authorized and record.signature_ok
    assert partner.body(str(row.event_id)) == row.payload


def test_a_4xx_fails_at_once_and_is_not_retried(partner, open_review):
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=422)

    assert deliver(row) == "failed"

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code) == ("failed", 1, 422)
    assert outbox_sweep()["dispatched"] == 0
    assert partner.hits() == 1
    assert breaker.get_breaker().fail_counter == 0  # BULI2 answered: not an outage


def test_a_redirect_is_not_followed(partner, open_review):
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=307)

    assert deliver(row) == "failed"
    assert partner.hits() == 1


def test_429_honours_retry_after(partner, open_review):
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=429, retry_after=7)
    before = timezone.now()

    assert deliver(row) == "retry"

    row.refresh_from_db()
    assert (row.status, row.last_status_code) == ("pending", 429)
    wait = (row.next_attempt_at - before).total_seconds()
    assert 7 <= wait < 9
    assert outbox_sweep()["dispatched"] == 0  # not due yet


def test_a_5xx_is_retried_with_backoff(partner, open_review, settings):
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=503)
    before = timezone.now()

    assert deliver(row) == "retry"

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, 503)
    wait = (row.next_attempt_at - before).total_seconds()
    assert settings.BULI2_RETRY_BASE_SECONDS / 2 <= wait <= settings.BULI2_RETRY_BASE_SECONDS + 1
    assert row.locked_until is None and row.claim_token is None


@pytest.mark.parametrize("mode", [Mode(drop=True), Mode(delay=1.5)])
def test_dropped_connections_and_timeouts_are_retried(partner, open_review, settings, mode):
    settings.BULI2_READ_TIMEOUT = 0.5
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = mode

    assert deliver(row) == "retry"

    row.refresh_from_db()
    assert row.status == "pending"
    assert row.last_status_code is None
    assert row.last_error in {"ConnectionError", "ReadTimeout"}


def test_retries_end_dead_after_the_window_and_the_row_is_kept(partner, open_review, settings):
    settings.BULI2_RETRY_WINDOW_SECONDS = 0.5
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=500)

    assert deliver(row) == "dead"

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code) == ("dead", 1, 500)


def test_the_breaker_opens_and_then_no_call_is_made(partner, open_review, settings, redis_client):
    settings.BULI2_BREAKER_FAIL_MAX = 2
    settings.BULI2_BREAKER_RESET_SECONDS = 30
    for _ in range(3):
        open_review()
    first, second, third = OutboxEvent.objects.order_by("id")
    partner.mode = Mode(status=500)

    assert deliver(first) == "retry"
    assert deliver(second) == "retry"
    assert breaker.state() == "open"
    assert deliver(third) == "breaker_open"

    assert partner.hits() == 2
    assert redis_client.get("filot:partner:buli2:pybreaker:state") == b"open"
    third.refresh_from_db()
    assert (third.attempts, third.status) == (0, "pending")
    assert third.next_attempt_at > timezone.now() + timedelta(seconds=25)

    detail = health_details.collect()["partner"]
    assert detail["breaker"] == "open"
    assert detail["outbox"]["pending"] == 3

    call_command("reset_circuit_breaker")

    assert breaker.state() == "closed"
    partner.mode = Mode()
    assert deliver(redispatch(third)) == "delivered"


def test_after_the_cooldown_one_probe_closes_the_breaker(partner, open_review, settings):
    settings.BULI2_BREAKER_FAIL_MAX = 1
    settings.BULI2_BREAKER_RESET_SECONDS = 1
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=502)
    assert deliver(row) == "retry"
    assert breaker.state() == "open"
    partner.mode = Mode()
    cooldown_over = breaker._reopens_at(breaker.get_breaker())
    wait_for(lambda: datetime.now(UTC) >= cooldown_over, timeout=10, what="the cooldown to end")

    assert deliver(redispatch(row)) == "delivered"

    assert breaker.state() == "closed"


def test_a_stale_message_does_nothing(partner, open_review):
    open_review()
    row = OutboxEvent.objects.get()

    assert outbox_deliver(outbox_id=row.pk, token="00000000-0000-0000-0000-000000000000") == (
        "skipped"
    )
    assert partner.hits() == 0


def test_the_sweep_redispatches_rows_whose_message_was_lost(partner, open_review):
    open_review()
    open_review()
    lost, _waiting = OutboxEvent.objects.order_by("id")
    OutboxEvent.objects.filter(pk=lost.pk).update(locked_until=timezone.now() - timedelta(1))
    old_token = lost.claim_token

    assert outbox_sweep()["dispatched"] == 1

    lost.refresh_from_db()
    assert lost.claim_token != old_token
    assert outbox_deliver(outbox_id=lost.pk, token=str(old_token)) == "skipped"
    assert deliver(lost) == "delivered"


def test_replay_puts_failed_and_dead_rows_back(partner, open_review):
    for _ in range(3):
        open_review()
    failed, dead, delivered = OutboxEvent.objects.order_by("id")
    OutboxEvent.objects.filter(pk=failed.pk).update(status="failed")
    OutboxEvent.objects.filter(pk=dead.pk).update(status="dead")
    OutboxEvent.objects.filter(pk=delivered.pk).update(
        status="delivered", delivered_at=timezone.now()
    )

    call_command("replay_partner_events", "--dead")
    assert OutboxEvent.objects.get(pk=dead.pk).status == "pending"
    assert OutboxEvent.objects.get(pk=failed.pk).status == "failed"

    call_command(
        "replay_partner_events", "--id", str(failed.event_id), "--id", str(delivered.event_id)
    )
    assert OutboxEvent.objects.get(pk=failed.pk).status == "pending"
    assert OutboxEvent.objects.get(pk=delivered.pk).status == "delivered"
    assert deliver(OutboxEvent.objects.get(pk=failed.pk)) == "delivered"
    assert outbox_replay(statuses=["pending", "delivered"]) == 0

    with pytest.raises(CommandError):
        call_command("replay_partner_events")


def test_the_admin_lists_and_replays(partner, open_review, admin_client):
    open_review()
    row = OutboxEvent.objects.get()
    OutboxEvent.objects.filter(pk=row.pk).update(status="dead")

    listing = admin_client.get("/admin/partner/outboxevent/?status__exact=dead")
    assert listing.status_code == 200
    assert str(row.event_id) in listing.content.decode()
    assert NIK not in listing.content.decode()
    response = admin_client.post(
        "/admin/partner/outboxevent/",
        {"action": "replay", "_selected_action": [row.pk]},
    )

    assert response.status_code == 302
    assert OutboxEvent.objects.get(pk=row.pk).status == "pending"


def test_health_and_metrics_show_the_breaker(client, partner):
    health = client.get("/health").json()
    assert health["details"]["partner"]["breaker"] == "closed"

    metrics = client.get("/metrics").content.decode()
    assert "filot_partner_circuit_state 0.0" in metrics
    assert 'filot_partner_outbox{status="dead"}' in metrics


def test_metrics_of_the_production_web_show_the_outbox_backlog(
    client, partner, monkeypatch, tmp_path
):
    """The web image sums gunicorn processes through PROMETHEUS_MULTIPROC_DIR; the BULI2
    backlog (alerted on at 50 pending) must be on that /metrics too, not only in one process."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))

    metrics = client.get("/metrics").content.decode()

    assert 'filot_partner_outbox{status="pending"}' in metrics
    assert "filot_partner_circuit_state 0.0" in metrics


def test_deliveries_log_ids_not_payloads(partner, open_review, caplog):
    caplog.set_level(logging.DEBUG)
    open_review()
    row = OutboxEvent.objects.get()
    partner.mode = Mode(status=500)

    deliver(row)
    partner.mode = Mode()
    deliver(redispatch(row))

    text = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert str(row.event_id) in text
    assert NIK not in text
    assert API_KEY not in text
