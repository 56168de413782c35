"""What the browser tests of the console share: opening pages signed in, full KTP cases,
screenshots and colour contrast."""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

CHROMIUM = Path(os.environ.get("FILOT_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PASSWORD = "correct horse battery staple"
WIDE = {"width": 1440, "height": 900}
LAPTOP = {"width": 1366, "height": 768}
BROWSER_TEST = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


def closes_its_connections(test: Callable[..., None]) -> Callable[..., None]:
    """Close the database connections the test body opened.

    Under Playwright's greenlets the test body runs in its own context, so it gets its own
    connection, which pytest-django never sees; left open, it blocks dropping the test database.
    """

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            test(*args, **kwargs)
        finally:
            connections.close_all()

    return run


def new_page(browser: Any, *, viewport: dict[str, int] = WIDE, dark: bool = False) -> Any:
    """A page in a fresh context that keeps, in ``page.csp_violations``, what the browser refused
    under the Content-Security-Policy (Chromium logs each refusal to the console)."""
    context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def signed_in(browser: Any, live_server: Any, user: Any, **page_options: Any) -> Any:
    """A page whose context carries a session of ``user``: no trip through the login form."""
    client = Client()
    client.force_login(user)
    page = new_page(browser, **page_options)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def case_url(live_server: Any, review: Any) -> str:
    return live_server.url + reverse("admin:reviews_manualreview_case", args=[review.pk])


def queue_url(live_server: Any) -> str:
    return live_server.url + reverse("admin:reviews_manualreview_changelist")


def image_loaded(page: Any, selector: str, timeout: float = 15.0) -> int:
    """Wait until the image ``selector`` has loaded and return its natural width.

    Polls from here: ``page.wait_for_function`` evaluates strings with ``eval`` inside the page,
    which the console's Content-Security-Policy refuses.
    """
    image = page.locator(selector)
    image.scroll_into_view_if_needed()
    deadline = time.monotonic() + timeout
    while True:
        width = int(image.evaluate("img => (img.complete && img.naturalWidth) || 0"))
        if width or time.monotonic() > deadline:
            return width
        page.wait_for_timeout(50)


def screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# Every field of a KTP with a box on the canonical card (1012 x 638), laid out as printed.
KTP_ROWS = (
    ("provinsi", "JAWA BARAT", (330, 20, 350, 30)),
    ("kabupaten_kota", "KOTA BANDUNG", (360, 52, 290, 30)),
    ("nik", "3273014107900012", (300, 92, 400, 40)),
    ("nama", "SITI RAHAYU", (300, 140, 260, 26)),
    ("tempat_lahir", "BANDUNG", (300, 168, 120, 26)),
    ("tanggal_lahir", "1990-07-01", (430, 168, 130, 26)),
    ("jenis_kelamin", "PEREMPUAN", (300, 196, 140, 26)),
    ("golongan_darah", "O", (640, 196, 30, 26)),
    ("alamat", "JL. SUKAJADI NO. 12", (300, 224, 300, 26)),
    ("rt_rw", "003/007", (300, 252, 110, 26)),
    ("kel_desa", "PASTEUR", (300, 280, 140, 26)),
    ("kecamatan", "SUKAJADI", (300, 308, 150, 26)),
    ("agama", "ISLAM", (300, 336, 90, 26)),
    ("status_perkawinan", "KAWIN", (300, 364, 100, 26)),
    ("pekerjaan", "KARYAWAN", (300, 392, 160, 26)),
    ("kewarganegaraan", "WNI", (300, 420, 60, 26)),
    ("berlaku_hingga", "SEUMUR HIDUP", (300, 448, 200, 26)),
)


def ktp_fields(**values: str | None) -> dict[str, Any]:
    """Extracted KTP fields as a verification result stores them; ``name=None`` leaves a field
    out (not read), ``name="..."`` changes its value."""
    fields: dict[str, Any] = {}
    for name, value, box in KTP_ROWS:
        new = values.get(name, value)
        if name in values and new is None:
            continue
        fields[name] = {"value": new, "raw": new, "confidence": 90.0, "box": list(box)}
    return fields


def check(code: str, status: str, message: str, reason: str | None = None) -> dict[str, Any]:
    return {"code": code, "status": status, "weight": 5, "message": message, "reason": reason}


PASSING = [
    check("nik_structure", "pass", "The NIK has a valid structure."),
    check("duplicate_identity", "pass", "No other user has this identity number."),
]
FAILING_SEX = [
    check(
        "nik_sex",
        "fail",
        "The sex encoded in the NIK differs from the printed one.",
        "nik_sex_mismatch",
    ),
    *PASSING,
]


# WCAG 2 contrast of an element's text against the first opaque background behind it.
CONTRAST_JS = """
(selector) => {
  const parse = (c) => {
    const m = c.match(/[\\d.]+/g).map(Number);
    return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1};
  };
  const channel = (v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  };
  const lum = ({r, g, b}) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const element = document.querySelector(selector);
  if (!element) { return null; }
  let node = element, bg = null;
  while (node && node.nodeType === 1) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.a > 0.5) { bg = c; break; }
    node = node.parentElement;
  }
  bg = bg || parse(getComputedStyle(document.body).backgroundColor);
  const fg = parse(getComputedStyle(element).color);
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
}
"""
