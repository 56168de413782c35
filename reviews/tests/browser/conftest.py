"""The console in a real browser: Playwright on Debian's Chromium, headless.

One browser serves every test of this package: it starts with the first and closes after the
last, and each test opens its own contexts. Reviewers are signed in by a session cookie rather
than the login form (one test covers the form), so a test pays only for the pages it is about.
Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from reviews.tests.browser.helpers import ARTIFACTS, CHROMIUM

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="package")
def shared_browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread for as long as it lives, which
    # Django's async-safety check takes for async code; the ORM calls of these tests stay
    # synchronous. The variable is set only while this package runs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        ARTIFACTS.mkdir(exist_ok=True)
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            yield browser
            browser.close()


@pytest.fixture
def browser(transactional_db: None, live_server: Any, shared_browser: Any) -> Iterator[Any]:
    """The shared browser; the contexts a test opened are closed after it."""
    before = set(shared_browser.contexts)
    yield shared_browser
    for context in set(shared_browser.contexts) - before:
        context.close()
