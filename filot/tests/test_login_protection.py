"""Password guessing is locked out (django-axes), and staff can be held to a TOTP second factor
(django-otp)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django_otp.admin import OTPAdminSite
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from filot.models import Role

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "correct horse battery staple"


def sign_in(client, email: str, password: str):
    return client.post(TOKEN_URL, {"email": email, "password": password}, format="json")


def test_token_endpoint_locks_an_account_after_five_failures_from_one_address(
    api_client, make_user
):
    victim = make_user(email="victim@example.test")
    bystander = make_user(email="bystander@example.test")
    codes = [sign_in(api_client, victim.email, f"guess-{n}").status_code for n in range(5)]
    assert codes == [401, 401, 401, 401, 429]  # the fifth failure locks the account

    locked = sign_in(api_client, victim.email, PASSWORD)  # even the right password now

    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_failed_logins"
    assert sign_in(api_client, bystander.email, PASSWORD).status_code == 200


def test_a_success_before_the_limit_resets_the_count(api_client, make_user):
    user = make_user(email="forgetful@example.test")
    for _ in range(4):
        assert sign_in(api_client, user.email, "wrong").status_code == 401
    assert sign_in(api_client, user.email, PASSWORD).status_code == 200
    for _ in range(4):
        assert sign_in(api_client, user.email, "wrong").status_code == 401
    assert sign_in(api_client, user.email, PASSWORD).status_code == 200


def test_admin_login_is_locked_after_five_failures(client, make_user):
    staff = make_user(role=Role.REVIEWER, email="reviewer@example.test")
    codes = [
        client.post(
            "/admin/login/", {"username": staff.email, "password": f"guess-{n}"}
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]  # the form with an error, then the lockout
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not client.session.get("_auth_user_id")


@pytest.fixture
def otp_admin(monkeypatch):
    """The admin as production runs it (STAFF_TOTP_REQUIRED)."""
    monkeypatch.setattr(admin.site, "__class__", OTPAdminSite)


def test_staff_without_a_totp_code_cannot_open_the_console(client, make_user, otp_admin):
    staff = make_user(role=Role.ADMIN, email="admin@example.test")
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)

    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})

    assert response.status_code == 200  # the login form again
    assert client.get("/admin/").status_code == 302  # still sent to the login page


def test_staff_with_a_current_totp_code_gets_in(client, make_user, otp_admin):
    staff = make_user(role=Role.ADMIN, email="admin@example.test")
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"

    response = client.post(
        "/admin/login/",
        {
            "username": staff.email,
            "password": PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": code,
        },
    )

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_add_totp_device_prints_an_otpauth_url(make_user):
    from io import StringIO

    from django.core.management import call_command

    staff = make_user(role=Role.REVIEWER, email="rev@example.test")
    out = StringIO()
    call_command("add_totp_device", staff.email, stdout=out)
    assert out.getvalue().startswith("otpauth://totp/")
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
