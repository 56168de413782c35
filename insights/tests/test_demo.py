"""The demo history `make run` seeds: once, consistent with today's rules, with every kind of
evidence the pages show."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from insights.demo import history_seed
from insights.whatif import Thresholds, history, simulate
from reviews.models import FieldCorrection, ManualReview

pytestmark = pytest.mark.django_db


def test_the_demo_history_is_seeded_once_and_replays_as_stored(settings):
    assert history_seed(documents=60) == 60
    assert history_seed(documents=60) == 0
    call_command("seed_demo_history")  # says it is there, adds nothing

    simulation = simulate(history(), current=Thresholds(85, 35), proposed=Thresholds(80, 40))

    assert simulation.documents == 60
    assert simulation.changed_since_stored == 0  # stored decisions are today's rules' ones
    assert simulation.human["current"].labelled > 10
    kinds = set(ManualReview.objects.values_list("purpose", flat=True))
    assert kinds == {"decision", "qa", "second"}
    assert FieldCorrection.objects.exists()


def test_the_demo_history_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo_history")
