"""The operators' manage.py commands: what they report and what they change."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from documents.models import Document, DocumentTransition
from documents.status import DocumentStatus
from filot.models import Role
from filot.tests.test_metrics import make_document
from verification.models import VerificationResult

S = DocumentStatus


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@pytest.mark.parametrize(
    "command",
    [
        "queue_stats",
        "purge_queue",
        "recover_stuck_documents",
        "reprocess_documents",
        "purge_expired_documents",
        "check_production_config",
    ],
)
def test_every_command_explains_itself(command):
    with pytest.raises(SystemExit) as exit_info:
        call_command(command, "--help", stdout=StringIO())
    assert exit_info.value.code == 0


def test_queue_stats_counts_messages_and_waiting_documents(user, redis_client):
    redis_client.lpush("ocr_gpu", "a", "b")
    redis_client.lpush("ocr_gpu\x06\x169", "high priority")
    make_document(user, S.QUEUED)
    report = json.loads(run("queue_stats", "--json"))
    assert report["queues"]["ocr_gpu"]["waiting"] == 3
    assert report["queues"]["default"]["waiting"] == 0
    assert report["queues"]["ocr_gpu"]["heartbeat_age_seconds"] is None
    assert report["documents"]["queued"]["count"] == 1
    assert "ocr_gpu" in run("queue_stats")


def test_purge_queue_asks_first_and_dry_run_keeps_everything(redis_client, monkeypatch):
    redis_client.lpush("default", "a", "b")
    assert "2 messages would be deleted" in run("purge_queue", "default", "--dry-run")
    assert redis_client.llen("default") == 2
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not confirmed"):
        run("purge_queue", "default")
    assert redis_client.llen("default") == 2
    monkeypatch.setattr("builtins.input", lambda prompt: "default")
    assert "2 messages deleted" in run("purge_queue", "default")
    assert redis_client.llen("default") == 0


def test_recover_stuck_documents_requeues_after_the_given_age(user, redis_client):
    stuck = make_document(user, S.PROCESSING, attempts=1)
    Document.objects.filter(pk=stuck.pk).update(
        status_changed_at=timezone.now() - timedelta(minutes=10)
    )
    fresh = make_document(user, S.PROCESSING, attempts=1)

    assert "1 processing" in run("recover_stuck_documents", "--older-than", "300", "--dry-run")
    assert Document.objects.get(pk=stuck.pk).status == S.PROCESSING
    output = run("recover_stuck_documents", "--older-than", "300")

    assert "recovered 1" in output
    assert Document.objects.get(pk=stuck.pk).status == S.QUEUED
    assert Document.objects.get(pk=fresh.pk).status == S.PROCESSING


def test_reprocess_documents_requeues_failed_ones_since_a_date(
    user, make_user, redis_client, django_capture_on_commit_callbacks
):
    admin = make_user(role=Role.ADMIN, email="ops@example.test")
    old = make_document(user, S.FAILED, last_error_code="ocr_timeout", attempts=3)
    Document.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    recent = make_document(user, S.FAILED, last_error_code="ocr_timeout", attempts=3)
    since = (timezone.now() - timedelta(days=1)).date().isoformat()

    dry = run("reprocess_documents", "--since", since, "--actor", admin.email, "--dry-run")
    assert "1 documents would be reprocessed" in dry
    with django_capture_on_commit_callbacks(execute=True):
        output = run("reprocess_documents", "--since", since, "--actor", admin.email)

    assert "reprocessed 1" in output
    assert Document.objects.get(pk=recent.pk).status == S.QUEUED
    assert Document.objects.get(pk=old.pk).status == S.FAILED
    assert redis_client.llen("ocr_gpu") == 1
    with pytest.raises(CommandError, match="staff"):
        run("reprocess_documents", "--actor", user.email)


def test_purge_expired_documents_erases_old_settled_documents_and_keeps_decisions(
    user, settings, django_capture_on_commit_callbacks
):
    old = make_document(user, S.AUTO_APPROVED)
    (settings.MEDIA_ROOT / old.storage_key).parent.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / old.storage_key).write_bytes(b"card")
    VerificationResult.objects.create(
        document=old,
        attempt=1,
        engine="tesseract",
        preprocessing_backend="cpu",
        detected_type="ktp",
        ocr_text="NIK 3171234567890001",
        fields={"nik": {"value": "3171234567890001"}},
        score=92,
        decision="auto_approved",
        reason_codes=[],
        threshold_auto_approve=85,
        threshold_auto_reject=35,
    )
    reviewing = make_document(user, S.IN_REVIEW)
    recent = make_document(user, S.AUTO_APPROVED)
    ancient = timezone.now() - timedelta(days=400)
    Document.objects.filter(pk__in=[old.pk, reviewing.pk]).update(created_at=ancient)

    assert "1 documents would be erased" in run(
        "purge_expired_documents", "--older-than", "365", "--dry-run"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert "erased 1" in run("purge_expired_documents", "--older-than", "365")

    old.refresh_from_db()
    assert old.erased_at is not None and old.storage_key == ""
    assert not any(p.is_file() for p in settings.MEDIA_ROOT.rglob("*"))  # the file is gone
    result = old.verification_results.get()
    assert (result.score, result.decision, result.fields, result.ocr_text) == (
        92,
        "auto_approved",
        {},
        "",
    )
    audit = DocumentTransition.objects.filter(document=old).latest("created_at")
    assert audit.reason == "retention: older than 365 days"
    assert audit.actor_label == "system:retention"
    assert Document.objects.get(pk=reviewing.pk).erased_at is None
    assert Document.objects.get(pk=recent.pk).erased_at is None


def test_check_production_config_fails_on_weak_settings_and_names_them(monkeypatch, db):
    monkeypatch.setenv("JWT_SECRET", "short")
    monkeypatch.delenv("BULI2_API_KEY", raising=False)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_production_config", "--json", stdout=out)
    assert exit_info.value.code == 1
    report = json.loads(out.getvalue())
    problems = {row["variable"]: row["problem"] for row in report["variables"]}
    assert "shorter than 32" in problems["JWT_SECRET"]
    assert problems["BULI2_API_KEY"] == "is not set"
    assert "short" not in out.getvalue().replace("shorter", "")  # the value is never printed
    assert report["services"]["database"]["ok"] is True
    assert report["services"]["redis"]["ok"] is True
    assert report["services"]["tesseract"]["ok"] is True
    assert report["services"]["storage"]["ok"] is True


def test_check_production_config_passes_with_a_sound_environment(monkeypatch, db):
    from filot.checks import REQUIRED

    for n, name in enumerate(sorted(REQUIRED)):
        monkeypatch.setenv(name, f"{name.lower()}-{n}-" + "x7Qm2v9Lp4Rt8Kd1Zs6Wc3Yb5Nh0Jf" * 2)
    monkeypatch.setenv("DATABASE_URL", "postgres://filot@db.internal/filot")
    monkeypatch.setenv("REDIS_URL", "rediss://cache.internal:6380/0")
    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    monkeypatch.delenv("PASSWORD_HASHERS", raising=False)  # `make test`'s fast hasher
    report = json.loads(run("check_production_config", "--json"))
    assert report["variables"] == []
    assert report["ok"] is True
