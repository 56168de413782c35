"""Partner configuration checks and the backoff schedule."""

from __future__ import annotations

import pytest

from reviews.partner.checks import check_partner_config
from reviews.partner.services import backoff_seconds


def ids(settings) -> set[str]:
    return {message.id for message in check_partner_config()}


def test_production_refuses_a_weak_outbound_secret_and_warns_when_missing(settings):
    settings.PRODUCTION = True
    settings.BULI2_OUTBOUND_SIGNATURE_SECRET = ""
    assert "partner.W002" in ids(settings)
    settings.BULI2_OUTBOUND_SIGNATURE_SECRET = "short"
    assert "partner.E001" in ids(settings)
    settings.BULI2_OUTBOUND_SIGNATURE_SECRET = settings.DEV_BULI2_OUTBOUND_SIGNATURE_SECRET
    assert "partner.E001" in ids(settings)
    settings.BULI2_OUTBOUND_SIGNATURE_SECRET = settings.BULI2_SIGNATURE_SECRET = "s" * 40
    assert "partner.E002" in ids(settings)
    settings.BULI2_SIGNATURE_SECRET = "b" * 40
    settings.BULI2_API_URL = "https://buli2.example"
    assert "partner.W003" in ids(settings)  # the localhost default callback URL
    settings.BULI2_CALLBACK_URL = "https://filot.example/api/v1/partners/buli2/callbacks/"
    assert ids(settings) == set()


def test_development_defaults_pass(settings):
    settings.PRODUCTION = False
    assert ids(settings) == set()


def test_rotation_settings_are_checked(settings):
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS = "whsec_%%%"
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT = "2026-01-01T00:00:00"
    assert {"partner.E003", "partner.E004"} <= ids(settings)
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS = "previous-secret"
    settings.BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT = ""
    assert "partner.W001" in ids(settings)


@pytest.mark.parametrize("attempts", [1, 2, 5, 30])
def test_backoff_grows_with_jitter_up_to_the_cap(settings, attempts):
    settings.BULI2_RETRY_BASE_SECONDS = 30
    settings.BULI2_RETRY_MAX_SECONDS = 3600
    ceiling = min(3600, 30 * 2 ** (attempts - 1))
    delays = {backoff_seconds(attempts) for _ in range(20)}
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 1
