"""The console's browser fixtures (one headless Chromium per package, contexts closed after
each test), shared with the decision-quality pages."""

from __future__ import annotations

from reviews.tests.browser.conftest import browser, shared_browser  # noqa: F401
