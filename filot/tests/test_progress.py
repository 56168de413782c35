"""Long commands show a progress bar on a terminal and nothing in logs or under --json."""

from __future__ import annotations

import io
import re
import sys
import time

import pytest
from django.core.management import call_command

from documents.models import Document
from filot.progress import Counter, progress
from insights.tests.conftest import checks
from verification.models import VerificationResult


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def slowly(n: int):
    for i in range(n):
        time.sleep(0.01)  # past tqdm's refresh interval, so the bar is drawn mid-way
        yield i


def test_a_terminal_gets_count_rate_and_time_left_a_log_gets_nothing():
    terminal, log = Terminal(), io.StringIO()

    assert list(progress(slowly(50), total=50, desc="cards", stream=terminal)) == list(range(50))
    assert list(progress(range(50), total=50, desc="cards", stream=log)) == list(range(50))
    assert list(progress(range(5), total=5, quiet=True, stream=terminal)) == list(range(5))

    shown = terminal.getvalue()
    # e.g. "cards:  40%|####      | 20/50 [00:00<00:00, 95.1it/s]": count, time left, rate
    assert re.search(r"cards: .*\d+/50 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+it/s\]", shown)
    assert log.getvalue() == ""
    with Counter(total=3, desc="rows", stream=log) as bar:
        bar.update(3)
    assert log.getvalue() == ""


@pytest.mark.django_db
def test_simulate_thresholds_is_quiet_under_json_and_shows_progress_otherwise(
    monkeypatch, make_user
):
    owner = make_user()

    document = Document.objects.create(
        owner=owner,
        doc_type="KTP",
        storage_key="documents/x.jpg",
        content_type="image/jpeg",
        size_bytes=1,
        sha256="0" * 64,
        image_width=1,
        image_height=1,
        status="auto_approved",
    )
    VerificationResult.objects.create(
        document=document,
        attempt=1,
        engine="ppocr",
        preprocessing_backend="cpu",
        detected_type="ktp",
        checks=checks(),
        score=100,
        decision="auto_approved",
        threshold_auto_approve=85,
        threshold_auto_reject=35,
    )
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    call_command(
        "simulate_thresholds", "--approve", "80", "--reject", "30", "--json", stdout=io.StringIO()
    )
    assert terminal.getvalue() == ""
    call_command("simulate_thresholds", "--approve", "80", "--reject", "30", stdout=io.StringIO())
    shown = terminal.getvalue()
    assert "replaying" in shown and "/1 [" in shown and "result/s" in shown
