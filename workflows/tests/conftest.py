"""Fixtures borrowed from other apps' tests (the partner's fake BULI2)."""

from reviews.partner.tests.conftest import fake_buli2, partner  # noqa: F401
