"""Who may do what in the console: the reviewer group, create_reviewer, and every console URL
against anonymous, client, staff without the group, reviewer and admin."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from filot.models import Role, User
from reviews.models import ManualReview
from reviews.services import REVIEWER_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_reviewer_group_has_exactly_the_console_permissions(reviewer_group):
    granted = {(p.content_type.app_label, p.codename) for p in reviewer_group.permissions.all()}

    assert granted == set(REVIEWER_PERMISSIONS)
    assert not any(codename.startswith("delete_") for _, codename in granted)
    assert not any(app == "filot" for app, _ in granted)


def test_a_reviewer_cannot_reach_user_admin_or_delete_anything(reviewer, make_case, client):
    case = make_case()
    client.force_login(reviewer)

    assert client.get(reverse("admin:filot_user_changelist")).status_code == 403
    assert not reviewer.has_perm("filot.view_user")
    assert not reviewer.has_perm("documents.delete_document")
    assert not reviewer.has_perm("reviews.delete_manualreview")
    response = client.post(
        reverse("admin:reviews_manualreview_changelist"),
        {"action": "delete_selected", "_selected_action": [str(case.pk)]},
    )
    assert ManualReview.objects.filter(pk=case.pk).exists()
    assert response.status_code in (200, 302)


def test_create_reviewer_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEW_REVIEWER_PASSWORD", "a long and unusual passphrase 42")
    out = io.StringIO()

    call_command(
        "create_reviewer",
        "Rina@Example.test",
        "--password-from-env",
        "NEW_REVIEWER_PASSWORD",
        stdout=out,
    )

    user = User.objects.get(email="rina@example.test")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a long and unusual passphrase 42")
    assert user.has_perm("reviews.work_manualreview")
    assert user.has_perm("documents.view_document")
    assert not user.has_perm("filot.change_user")
    assert "created" in out.getvalue()


def test_create_reviewer_prompts_twice_and_refuses_a_mismatch(monkeypatch):
    answers = iter(["first passphrase is long", "second passphrase differs"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    with pytest.raises(CommandError, match="do not match"):
        call_command("create_reviewer", "x@example.test")
    assert not User.objects.filter(email="x@example.test").exists()

    answers = iter(["a long and unusual passphrase 42"] * 2)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_reviewer", "x@example.test", stdout=io.StringIO())
    assert User.objects.get(email="x@example.test").groups.filter(name="reviewer").exists()


def test_create_reviewer_refuses_weak_or_missing_passwords_and_duplicates(monkeypatch, reviewer):
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError):
        call_command("create_reviewer", "weak@example.test", "--password-from-env", "WEAK")
    with pytest.raises(CommandError, match="empty or not set"):
        call_command("create_reviewer", "none@example.test", "--password-from-env", "UNSET_VAR_X")
    monkeypatch.setenv("GOOD", "a long and unusual passphrase 42")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_reviewer", reviewer.email, "--password-from-env", "GOOD")


# --- the permission matrix ------------------------------------------------------------------

ALLOWED, LOGIN, FORBIDDEN = "allowed", "login", "forbidden"


def _urls(case: ManualReview) -> list[tuple[str, str, str]]:
    """(name, method, url) of every console URL."""
    return [
        ("queue", "get", reverse("admin:reviews_manualreview_changelist")),
        ("case", "get", reverse("admin:reviews_manualreview_case", args=[case.pk])),
        ("image", "get", reverse("admin:reviews_manualreview_image", args=[case.pk])),
        ("claim_next", "post", reverse("admin:reviews_manualreview_claim_next")),
        ("claim", "post", reverse("admin:reviews_manualreview_claim", args=[case.pk])),
        ("release", "post", reverse("admin:reviews_manualreview_release", args=[case.pk])),
        ("reassign", "post", reverse("admin:reviews_manualreview_reassign", args=[case.pk])),
        ("access_log", "get", reverse("admin:reviews_staffaccesslog_changelist")),
        ("corrections", "get", reverse("admin:reviews_fieldcorrection_changelist")),
    ]


EXPECTED: dict[str, dict[str, str]] = {
    "anonymous": dict.fromkeys(
        (
            "queue",
            "case",
            "image",
            "claim_next",
            "claim",
            "release",
            "reassign",
            "access_log",
            "corrections",
        ),
        LOGIN,
    ),
    "client": dict.fromkeys(
        (
            "queue",
            "case",
            "image",
            "claim_next",
            "claim",
            "release",
            "reassign",
            "access_log",
            "corrections",
        ),
        LOGIN,
    ),
    "staff_without_group": {
        "queue": FORBIDDEN,
        "case": FORBIDDEN,
        "image": FORBIDDEN,
        "claim_next": FORBIDDEN,
        "claim": FORBIDDEN,
        "release": FORBIDDEN,
        "reassign": FORBIDDEN,
        "access_log": FORBIDDEN,
        "corrections": FORBIDDEN,
    },
    "reviewer": {
        "queue": ALLOWED,
        "case": ALLOWED,
        "image": ALLOWED,
        "claim_next": ALLOWED,
        "claim": ALLOWED,
        "release": ALLOWED,
        "reassign": FORBIDDEN,
        "access_log": FORBIDDEN,
        "corrections": ALLOWED,
    },
    "admin": dict.fromkeys(
        (
            "queue",
            "case",
            "image",
            "claim_next",
            "claim",
            "release",
            "reassign",
            "access_log",
            "corrections",
        ),
        ALLOWED,
    ),
}


def _outcome(response: Any) -> str:
    if response.status_code == 302 and "/admin/login/" in response["Location"]:
        return LOGIN
    if response.status_code == 403:
        return FORBIDDEN
    assert response.status_code in (200, 302), response.status_code
    return ALLOWED


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_permission_matrix_of_every_console_url(
    who: str,
    client: Any,
    make_case: Callable[..., Any],
    make_user: Callable[..., Any],
    reviewer_group: Any,
):
    users = {
        "anonymous": None,
        "client": make_user(role=Role.CLIENT),
        "staff_without_group": make_user(role=Role.CLIENT),
        "reviewer": make_user(role=Role.REVIEWER),
        "admin": make_user(role=Role.ADMIN),
    }
    if users["staff_without_group"] is not None:
        staff = users["staff_without_group"]
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        staff.groups.set([])
    user = users[who]
    if user is not None:
        client.force_login(user)
    case = make_case()

    seen = {}
    for name, method, url in _urls(case):
        response = getattr(client, method)(url)
        seen[name] = _outcome(response)

    assert seen == EXPECTED[who]
    assert Group.objects.filter(name="reviewer").exists()


def test_migrate_sets_up_the_reviewer_group_with_the_console_permissions(django_db_setup):
    # The test database was built by ``migrate``; no fixture has touched the group here.
    group = Group.objects.get(name="reviewer")

    granted = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}

    assert granted == set(REVIEWER_PERMISSIONS)


def test_a_403_inside_the_console_is_an_admin_page_and_stays_json_in_the_api(reviewer, client):
    client.force_login(reviewer)

    console = client.get(reverse("admin:filot_user_changelist"))
    api = client.get("/api/v1/internal/users/nobody/kyc/")

    assert console.status_code == 403
    assert console["Content-Type"].startswith("text/html")
    assert "You may not open this page" in console.content.decode()
    assert 'id="site-name"' in console.content.decode()
    assert api.status_code in (401, 403)
    assert api["Content-Type"] == "application/json"
