"""The threshold what-if on a history worked out by hand.

Scores (validity 40, fields 20, quality 15 points; warn earns half):
    A  all pass                      100   today auto-approved, at 75/40 auto-approved
    B  fields warn                    87   (65/75)   approved  / approved
    C  fields + colour warn           77   (57.5/75) review    / approved
    D  fields fail                    73   (55/75)   review    / review
    E  identity fail, colour warn     37   (27.5/75) review    / rejected
    F  identity fail, fields warn     33   (25/75)   rejected  / rejected
    G  a duplicate (capped at 60)     60            review    / review  (always: a duplicate)
    H  no identity check at all      100            review    / review  (the identity gate;
       stored as auto-approved by the rules of its time)
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from insights.tests.conftest import checks
from insights.whatif import Thresholds, history, simulate
from verification.models import VerificationResult

pytestmark = pytest.mark.django_db

A = checks()
B = checks(fields="warn")
C = checks(fields="warn", colour="warn")
D = checks(fields="fail")
E = checks(identity="fail", colour="warn")
F = checks(identity="fail", fields="warn")
G = checks(duplicate_identity="fail")
H = checks(identity=None)


@pytest.fixture
def hand_history(make_decided):
    make_decided(A, human="approved", qa=True)
    make_decided(A, human="rejected", qa=True)
    make_decided(A)
    make_decided(B)
    for human in ("approved", "approved", "rejected", "resubmission"):
        make_decided(C, human=human)
    make_decided(D, human="rejected")
    make_decided(D, human="approved")
    for human in ("approved", "rejected", "rejected"):
        make_decided(E, human=human)
    make_decided(F, human="approved", qa=True)
    make_decided(F)
    make_decided(G, human="rejected")
    make_decided(H, stored="auto_approved")


def run() -> dict:
    simulation = simulate(
        history(), current=Thresholds(85, 35), proposed=Thresholds(approve_at=75, reject_at=40)
    )
    return simulation.to_dict()


def test_scores_are_the_hand_computed_ones(make_decided):
    scores = [make_decided(rows).score for rows in (A, B, C, D, E, F, G, H)]
    assert scores == [100, 87, 77, 73, 37, 33, 60, 100]


def test_moves_between_the_three_outcomes(hand_history):
    report = run()

    assert report["documents"] == 17
    assert report["totals"]["current"] == {"auto_approved": 4, "in_review": 11, "auto_rejected": 2}
    assert report["totals"]["proposed"] == {"auto_approved": 8, "in_review": 4, "auto_rejected": 5}
    assert report["moves"] == {
        "auto_approved": {"auto_approved": 4, "in_review": 0, "auto_rejected": 0},
        "in_review": {"auto_approved": 4, "in_review": 4, "auto_rejected": 3},
        "auto_rejected": {"auto_approved": 0, "in_review": 0, "auto_rejected": 2},
    }
    # G (duplicate) and H (no identity check) go to a person whatever the thresholds.
    assert report["forced"] == 2
    # H was auto-approved before the identity gate; today's rules send it to review.
    assert report["changed_since_stored"] == 1


def test_false_decisions_against_people_with_wilson_intervals(hand_history):
    human = run()["human"]

    # 13 documents a person decided. Today: of the two QA'd auto-approvals (A) one was
    # rejected; the one QA'd auto-rejection (F) was approved.
    assert human["current"]["labelled"] == 13
    assert human["current"]["to_review"] == 10
    assert human["current"]["false_approvals"] == {
        "hits": 1,
        "n": 2,
        "rate": 0.5,
        "ci95": [0.0945, 0.9055],  # Wilson: 0.5 -/+ 1.96 sqrt(.25/2 + 1.96²/16) / (1 + 1.96²/2)
    }
    assert human["current"]["false_rejections"] == {
        "hits": 1,
        "n": 1,
        "rate": 1.0,
        "ci95": [0.2065, 1.0],  # 1/1: centre (1 + 1.96²/2) / (1 + 1.96²) = 0.6033
    }
    # At 75 / 40: the four C join the approvals (a rejection and a resubmission among them):
    # 3 of 6 wrong; E's three join the rejections (one approved by a person) with F: 2 of 4.
    assert human["proposed"]["false_approvals"] == {
        "hits": 3,
        "n": 6,
        "rate": 0.5,
        "ci95": [0.1876, 0.8124],
    }
    assert human["proposed"]["false_rejections"] == {
        "hits": 2,
        "n": 4,
        "rate": 0.5,
        "ci95": [0.15, 0.85],
    }
    assert human["proposed"]["to_review"] == 3


def test_only_the_latest_result_of_a_document_counts_and_filters_apply(make_decided):
    first = make_decided(A)
    make_decided(C, doc_type="NPWP")
    VerificationResult.objects.create(
        document=first.document,
        attempt=2,
        engine="ppocr",
        preprocessing_backend="cpu",
        detected_type="ktp",
        checks=E,
        score=37,
        decision="in_review",
        threshold_auto_approve=85,
        threshold_auto_reject=35,
    )

    everything = simulate(history(), current=Thresholds(85, 35), proposed=Thresholds(85, 35))
    npwp = simulate(
        history(doc_type="NPWP"), current=Thresholds(85, 35), proposed=Thresholds(85, 35)
    )

    assert everything.documents == 2
    assert everything.totals("current") == {"auto_approved": 0, "in_review": 2, "auto_rejected": 0}
    assert npwp.documents == 1


def test_the_command_prints_json_and_text_and_draws_the_chart(hand_history, tmp_path):
    out = StringIO()
    call_command("simulate_thresholds", "--approve", "75", "--reject", "40", "--json", stdout=out)
    assert json.loads(out.getvalue()) == run()

    text = StringIO()
    chart = tmp_path / "scores.png"
    call_command(
        "simulate_thresholds",
        "--approve",
        "75",
        "--reject",
        "40",
        "--chart",
        str(chart),
        stdout=text,
    )
    assert "What-if on 17 documents" in text.getvalue()
    assert "false approvals:  3/6 = 50.0 % (95 % CI 18.8-81.2 %)" in text.getvalue()
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(("approve", "reject"), [("40", "40"), ("101", "35"), ("85", "-1")])
def test_the_command_refuses_thresholds_out_of_order(approve, reject):
    with pytest.raises(CommandError, match="invalid_thresholds"):
        call_command("simulate_thresholds", "--approve", approve, "--reject", reject)
