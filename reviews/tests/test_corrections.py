"""Accuracy from reviewers' corrections: the rates exported at scrape time, and the alert that
reads them (promtool evaluates the real rule on the values /metrics gave)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from reviews.corrections import quality_level, reviewed_documents, weekly_rates
from reviews.models import FieldCorrection, ManualReview

pytestmark = pytest.mark.django_db
RULES = Path(__file__).resolve().parents[2] / "deploy/prometheus/alerts.yml"
SAMPLE = re.compile(r"^(filot_(?:field_correction_rate|reviewed_documents)\{[^}]*\}) (\S+)$")


@pytest.fixture
def reviewed(make_case, reviewer):
    """``reviewed(n, ago, corrected={field: k}, purpose=..., source=...)``: n KTP documents
    decided ``ago``, the first k of them with ``field`` corrected."""

    def decided(review, ago, source="console"):
        ManualReview.objects.filter(pk=review.pk).update(
            state="decided",
            decision="approved",
            reason_code="verified",
            source=source,
            decided_by=reviewer,
            decided_at=timezone.now() - ago,
        )

    def _make(n, ago, corrected=None, purpose="decision", source="console"):
        for i in range(n):
            case = make_case()
            if purpose == "second":  # the first review, long ago, then its second review
                decided(case, timedelta(days=30))
                case = ManualReview.objects.create(
                    document=case.document,
                    verification_result=case.verification_result,
                    purpose="second",
                    checked_review=case,
                )
            decided(case, ago, source)
            for name, count in (corrected or {}).items():
                if i < count:
                    FieldCorrection.objects.create(
                        review=case, document=case.document, field=name, new_value="X"
                    )

    return _make


def scrape(api_client) -> dict[str, float]:
    body = api_client.get("/metrics").content.decode()
    return {
        m.group(1): float(m.group(2)) for line in body.splitlines() if (m := SAMPLE.match(line))
    }


def series(name: str, field: str | None, window: str) -> str:
    labels = {"doc_type": "KTP", "engine": "tesseract", "quality": "good", "window": window}
    if field:
        labels["field"] = field
    # The exposition writes labels in alphabetical order.
    return name + "{" + ",".join(f'{k}="{labels[k]}"' for k in sorted(labels)) + "}"


def test_the_rates_of_the_last_day_and_the_week_before_are_exported(reviewed, api_client):
    reviewed(20, timedelta(hours=3), {"alamat": 6, "nama": 1})
    reviewed(40, timedelta(days=3), {"alamat": 4, "nama": 2})
    reviewed(5, timedelta(days=20), {"alamat": 5})  # older than the baseline: left out
    reviewed(3, timedelta(hours=2), {"alamat": 3}, purpose="second")  # the same documents again
    reviewed(3, timedelta(hours=2), {"alamat": 3}, source="partner")  # no console corrections

    metrics = scrape(api_client)

    assert metrics[series("filot_reviewed_documents", None, "last_24h")] == 20
    assert metrics[series("filot_reviewed_documents", None, "previous_7d")] == 40
    assert metrics[series("filot_field_correction_rate", "alamat", "last_24h")] == 0.3
    assert metrics[series("filot_field_correction_rate", "alamat", "previous_7d")] == 0.1
    assert metrics[series("filot_field_correction_rate", "nama", "last_24h")] == 0.05
    assert metrics[series("filot_field_correction_rate", "agama", "last_24h")] == 0.0


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_the_alert_fires_on_the_field_whose_rate_doubled(reviewed, api_client, tmp_path):
    reviewed(20, timedelta(hours=3), {"alamat": 6, "nama": 1})
    reviewed(40, timedelta(days=3), {"alamat": 4, "nama": 2})
    metrics = scrape(api_client)
    tests = {
        "rule_files": [str(RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {"series": name, "values": f"{value}x60"} for name, value in metrics.items()
                ],
                "alert_rule_test": [
                    {
                        "eval_time": "45m",
                        "alertname": "FilotFieldCorrectionRateDoubled",
                        "exp_alerts": [
                            {
                                "exp_labels": {
                                    "severity": "warning",
                                    "doc_type": "KTP",
                                    "field": "alamat",
                                    "engine": "tesseract",
                                    "quality": "good",
                                },
                                "exp_annotations": {
                                    "summary": "Reviewers corrected KTP alamat on 30% of "
                                    "documents in 24 h (tesseract, good photos): twice the "
                                    "7-day rate",
                                    "runbook": "docs/operations.md#correction-rate",
                                },
                            }
                        ],
                    }
                ],
            }
        ],
    }
    test_file = tmp_path / "correction.test.yml"
    test_file.write_text(yaml.safe_dump(tests))

    run = subprocess.run(
        ["promtool", "test", "rules", str(test_file)], capture_output=True, text=True, check=False
    )

    assert run.returncode == 0, run.stdout + run.stderr


def test_quality_levels_and_weekly_series(reviewed):
    reviewed(4, timedelta(days=1), {"alamat": 2})
    reviewed(2, timedelta(days=8), {"alamat": 1})
    rows = reviewed_documents(since=timezone.now() - timedelta(weeks=4))

    weekly = weekly_rates(rows, weeks=4, today=timezone.localdate())

    assert quality_level(["image_blurry", "low_confidence"]) == "poor"
    assert quality_level(["image_grayscale"]) == "fair"
    assert quality_level(["nik_sex_mismatch"]) == "good"
    assert len(weekly["weeks"]) == 4
    assert sum(weekly["reviewed"]["KTP"]) == 6
    assert ("KTP", "alamat") in weekly["series"]
    assert [v for v in weekly["series"][("KTP", "alamat")] if v is not None]
