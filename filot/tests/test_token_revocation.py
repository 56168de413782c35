"""Tokens stop working when they should: after a password change, a deactivation or the
user's deletion; and odd tokens or URLs get a coded 4xx, never a 500."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from filot.models import Role, User
from filot.services import user_deactivate, user_set_password
from filot.tests.test_auth import ME_URL, PASSWORD, REFRESH_URL, TOKEN_URL, stack, stack_token

pytestmark = pytest.mark.django_db
__all__ = ["stack"]  # the fixture, used by name


def sign_in(api_client, user, password: str = PASSWORD) -> dict[str, str]:
    response = api_client.post(
        TOKEN_URL, {"email": user.email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def me(api_client, access: str):
    return api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {access}")


def refresh(api_client, token: str):
    return api_client.post(REFRESH_URL, {"refresh": token}, format="json")


def assert_401(response, *codes: str) -> None:
    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] in codes


class TestPasswordChange:
    def test_set_password_refuses_every_earlier_token(self, api_client, user):
        tokens = sign_in(api_client, user)

        user.set_password("a new horse battery staple")
        user.save()

        assert_401(me(api_client, tokens["access"]), "password_changed")
        assert_401(refresh(api_client, tokens["refresh"]), "password_changed")
        fresh = sign_in(api_client, user, "a new horse battery staple")
        assert me(api_client, fresh["access"]).status_code == 200
        assert refresh(api_client, fresh["refresh"]).status_code == 200

    def test_the_service_also_blacklists_the_refresh_tokens(self, api_client, user):
        tokens = sign_in(api_client, user)

        user_set_password(user=user, password="a new horse battery staple")

        assert_401(me(api_client, tokens["access"]), "password_changed")
        assert_401(refresh(api_client, tokens["refresh"]), "token_not_valid")

    def test_tokens_of_other_users_keep_working(self, api_client, user, make_user):
        other = make_user()
        theirs = sign_in(api_client, other)

        user_set_password(user=user, password="a new horse battery staple")

        assert me(api_client, theirs["access"]).status_code == 200


class TestDeactivation:
    def test_deactivation_refuses_tokens_and_reactivation_revives_none(self, api_client, user):
        tokens = sign_in(api_client, user)

        user_deactivate(user=user)

        assert_401(me(api_client, tokens["access"]), "user_inactive")
        assert_401(refresh(api_client, tokens["refresh"]), "token_not_valid", "no_active_account")
        user.is_active = True
        user.save()
        assert_401(refresh(api_client, tokens["refresh"]), "token_not_valid")

    def test_deactivating_in_the_admin_revokes_the_refresh_tokens(
        self, api_client, client, user, make_user
    ):
        tokens = sign_in(api_client, user)
        client.force_login(make_user(role=Role.ADMIN))
        page = f"/admin/filot/user/{user.pk}/change/"
        form = {
            "email": user.email,
            "display_name": "",
            "phone": "",
            "is_active": "",  # unticked
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "last_login_0": "",
            "last_login_1": "",
        }

        response = client.post(page, form)

        assert response.status_code == 302, response.content[:2000]
        user.refresh_from_db()
        assert not user.is_active
        user.is_active = True
        user.save()
        assert_401(refresh(api_client, tokens["refresh"]), "token_not_valid")


class TestNoServerErrors:
    def test_refresh_token_of_a_deleted_user_is_401(self, api_client, make_user):
        doomed = make_user()
        tokens = sign_in(api_client, doomed)
        User.objects.filter(pk=doomed.pk).delete()

        assert_401(refresh(api_client, tokens["refresh"]), "no_active_account")
        assert_401(me(api_client, tokens["access"]), "user_not_found")

    def test_stack_token_with_an_es256_header_against_the_rsa_key_is_401(self, api_client, stack):
        other = ec.generate_private_key(ec.SECP256R1())
        token = jwt.encode(
            {"sub": "x", "iss": "i", "aud": "proj-123", "exp": 9999999999},
            other,
            algorithm="ES256",
            headers={"kid": stack.kid},
        )

        assert_401(me(api_client, token), "token_not_valid")

    def test_stack_email_that_is_a_local_email_plus_a_space_is_not_linked(
        self, api_client, stack, make_user
    ):
        local = make_user(email="stack@example.test")

        response = me(api_client, stack_token(stack, email="Stack@example.test "))

        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "identity_conflict"
        local.refresh_from_db()
        assert local.stack_user_id is None
        assert User.objects.count() == 1

    def test_console_case_url_with_a_malformed_id_is_404(self, client, make_user):
        client.force_login(make_user(role=Role.ADMIN))

        response = client.get("/admin/reviews/manualreview/notauuid/change/")

        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
