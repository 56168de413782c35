"""Deployment security: ``check --deploy`` is clean in production, every response carries the
security headers, and the console and the API docs run under a strict Content-Security-Policy.

The production cases run ``manage.py`` or a short script in a subprocess, because production
mode is decided when settings are imported (``FILOT_ENV=production``).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from filot.models import Role
from filot.tests.test_production_config import STRONG

ROOT = Path(__file__).resolve().parents[2]
HOST = "filot.example"


def production_env(**overrides: str) -> dict[str, str]:
    """The process environment of a production deployment with strong, distinct values.

    Whatever the test run's own environment says about the same settings is dropped.
    """
    production = {
        **STRONG,
        "FILOT_ENV": "production",
        "ALLOWED_HOSTS": HOST,
        # Django's own check wants 50+ characters of some variety, not 48 times "s".
        "SESSION_SECRET": secrets.token_urlsafe(64),
        "BULI2_CALLBACK_URL": f"https://{HOST}/api/v1/partners/buli2/callbacks/",
        **overrides,
    }
    dropped = {
        "NODE_ENV",
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "CSP_REPORT_URI",
        "PASSWORD_HASHERS",  # `make test`'s fast hasher
        *production,
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**clean, **production}


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineCode(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes and blocks,
    event-handler attributes and javascript: links."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("inline <style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            scheme = (value or "").strip().lower()
            if name in ("href", "src", "action") and scheme.startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:...>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


# --- production: the deploy check and the headers over HTTPS ---------------------------------


@pytest.mark.slow
def test_deploy_check_is_clean_in_production_without_warnings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.slow
def test_deploy_check_warns_when_hsts_is_turned_off():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(SECURE_HSTS_SECONDS="0"),
    )

    assert result.returncode != 0
    assert "security.W004" in result.stderr


# Requests through the test client inside a production-mode process, with the static files
# collected as a release collects them (whitenoise's manifest). None of the requests needs the
# database or Redis (an unreachable host in STRONG).
PROBE = textwrap.dedent(
    """
    import json, django
    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client(headers={"host": settings.ALLOWED_HOSTS[0]})
    answers = {
        "https": client.get("/admin/login/", secure=True),
        "http": client.get("/admin/login/"),
        "proxied": client.get("/admin/login/", headers={"x-forwarded-proto": "https"}),
        "docs": client.get("/api/docs/", secure=True),
        "api": client.get("/api/v1/me/", secure=True),
    }
    print(json.dumps({
        name: {
            "status": r.status_code,
            "headers": dict(r.headers),
            "cookies": {k: bool(m["secure"]) for k, m in r.cookies.items()},
            "body": r.content.decode(),
        }
        for name, r in answers.items()
    }))
    """
)


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    var = str(tmp_path_factory.mktemp("var"))
    collected = run_python(
        ["manage.py", "collectstatic", "--noinput", "-v", "0"], production_env(FILOT_VAR_DIR=var)
    )
    assert collected.returncode == 0, collected.stderr
    return var


def probe(var_dir: str, **overrides: str) -> dict[str, Any]:
    env = production_env(
        DJANGO_SETTINGS_MODULE="filot.settings", FILOT_VAR_DIR=var_dir, **overrides
    )
    result = run_python(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    answers: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answers


@pytest.mark.slow
def test_production_redirects_to_https_and_sends_hsts_and_secure_cookies(var_dir):
    answers = probe(var_dir)

    https = answers["https"]
    assert https["status"] == 200
    assert https["headers"]["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert https["headers"]["X-Content-Type-Options"] == "nosniff"
    assert https["headers"]["X-Frame-Options"] == "DENY"
    assert https["headers"]["Referrer-Policy"] == "same-origin"
    assert https["headers"]["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "script-src 'self'" in https["headers"]["Content-Security-Policy"]
    assert https["cookies"] == {"csrftoken": True}  # sent over HTTPS only
    # Plain HTTP is sent to HTTPS; the proxy's X-Forwarded-Proto: https counts as HTTPS.
    assert answers["http"]["status"] == 301
    assert answers["http"]["headers"]["Location"] == f"https://{HOST}/admin/login/"
    assert "Strict-Transport-Security" not in answers["http"]["headers"]
    assert answers["proxied"]["status"] == 200
    assert "Strict-Transport-Security" in answers["proxied"]["headers"]
    # The API docs page and the JSON API work in production too, under the same policy.
    assert answers["docs"]["status"] == 200
    assert inline_code(answers["docs"]["body"]) == []
    assert "/static/filot/api-docs." in answers["docs"]["body"]  # hashed by the manifest
    assert answers["api"]["status"] == 401
    assert json.loads(answers["api"]["body"])["error"]["code"]
    assert "Strict-Transport-Security" in answers["api"]["headers"]


@pytest.mark.slow
def test_hsts_and_the_proxy_header_are_configurable(var_dir):
    answers = probe(
        var_dir,
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        SECURE_PROXY_SSL_HEADER="",  # reached directly: a client's header proves nothing
    )

    assert answers["https"]["headers"]["Strict-Transport-Security"] == "max-age=3600"
    assert answers["proxied"]["status"] == 301


# --- every environment: headers and the Content-Security-Policy ------------------------------


def assert_security_headers(response: Any) -> dict[str, list[str]]:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in value for values in policy.values() for value in values)
    return policy


@pytest.mark.django_db
def test_console_pages_send_a_strict_csp_and_hold_no_inline_code(client, make_user):
    login = client.get("/admin/login/")
    admin = make_user(role=Role.ADMIN, email="admin@example.test")
    client.force_login(admin)
    urls = [
        "/admin/",
        "/admin/reviews/manualreview/",
        reverse("admin:filot_user_change", args=[admin.pk]),  # filter_horizontal widget
    ]
    pages = {"/admin/login/": login, **{url: client.get(url) for url in urls}}

    for url, response in pages.items():
        assert response.status_code == 200, url
        assert_security_headers(response)
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert inline_code(response.content.decode()) == [], url


def test_the_inline_code_finder_finds_what_csp_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<div style="left:1%"></div><button onclick="go()"></button><a href="javascript:x()">'
    )

    assert inline_code(html) == [
        "inline <script>",
        "<div style=...>",
        "<button onclick=...>",
        "<a href=javascript:...>",
    ]


@pytest.mark.django_db
def test_api_json_responses_keep_their_shape_with_the_security_headers(api_client):
    response = api_client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"]
    assert_security_headers(response)


@pytest.mark.django_db
def test_api_docs_page_loads_its_script_from_its_own_origin(client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/", {"script": ""})
    schema = client.get("/api/schema/")

    assert page.status_code == 200
    assert_security_headers(page)
    html = page.content.decode()
    assert inline_code(html) == []
    assert 'src="/api/docs/?script="' in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert schema.status_code == 200
