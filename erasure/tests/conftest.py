"""The partner fixtures (a real fake BULI2 on loopback, reviews opened as verification opens
them) are shared with ``reviews/partner/tests``."""

from reviews.partner.tests.conftest import (  # noqa: F401 - fixtures
    fake_buli2,
    make_document,
    open_review,
    partner,
)
