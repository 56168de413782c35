"""System checks of the partner configuration.

``BULI2_API_URL``, ``BULI2_API_KEY`` and ``BULI2_SIGNATURE_SECRET`` are already required in
production by ``filot.checks``; this adds FiLot's own outbound signing secret and the rotation
settings.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.utils.dateparse import parse_datetime

from reviews.partner import signing


@checks.register(checks.Tags.security)
def check_partner_config(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    outbound = settings.BULI2_OUTBOUND_SIGNATURE_SECRET
    if settings.PRODUCTION and not outbound:
        # Not an error until filot.checks lists it as required; without it nothing is sent
        # (deliveries wait in the outbox), never sent unsigned.
        errors.append(
            checks.Warning(
                "BULI2_OUTBOUND_SIGNATURE_SECRET is not set: no event will be delivered to BULI2.",
                hint="Set FiLot's own signing secret for requests to BULI2.",
                id="partner.W002",
            )
        )
    elif settings.PRODUCTION and (
        outbound == settings.DEV_BULI2_OUTBOUND_SIGNATURE_SECRET or len(outbound) < 32
    ):
        errors.append(
            checks.Error(
                "BULI2_OUTBOUND_SIGNATURE_SECRET is a default or shorter than 32 characters.",
                hint="Set FiLot's own signing secret for requests to BULI2.",
                id="partner.E001",
            )
        )
    if settings.PRODUCTION and outbound and outbound == settings.BULI2_SIGNATURE_SECRET:
        errors.append(
            checks.Error(
                "BULI2_OUTBOUND_SIGNATURE_SECRET must differ from BULI2_SIGNATURE_SECRET.",
                id="partner.E002",
            )
        )
    for name in (
        "BULI2_SIGNATURE_SECRET",
        "BULI2_SIGNATURE_SECRET_PREVIOUS",
        "BULI2_OUTBOUND_SIGNATURE_SECRET",
    ):
        value = getattr(settings, name)
        if value:
            try:
                signing.secret_key(value)
            except ValueError:
                errors.append(
                    checks.Error(f"{name} starts with whsec_ but is not base64.", id="partner.E003")
                )
    callback = settings.BULI2_CALLBACK_URL
    if settings.PRODUCTION and settings.BULI2_API_URL and not callback.startswith("https://"):
        errors.append(
            checks.Warning(
                "BULI2_CALLBACK_URL is not an https:// URL; BULI2 cannot send decisions back.",
                hint="Set it to https://<public host>/api/v1/partners/buli2/callbacks/.",
                id="partner.W003",
            )
        )
    expiry = settings.BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT
    parsed = parse_datetime(expiry) if expiry else None
    if expiry and (parsed is None or parsed.tzinfo is None):
        errors.append(
            checks.Error(
                "BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT must be an ISO 8601 datetime with "
                "a time zone.",
                id="partner.E004",
            )
        )
    if settings.BULI2_SIGNATURE_SECRET_PREVIOUS and not expiry:
        errors.append(
            checks.Warning(
                "BULI2_SIGNATURE_SECRET_PREVIOUS is set without an expiry and is not accepted.",
                hint="Set BULI2_SIGNATURE_SECRET_PREVIOUS_EXPIRES_AT to end the rotation window.",
                id="partner.W001",
            )
        )
    return errors
