"""Tokens: FiLot's own JWTs, Stack Auth tokens against a local JWKS server, service keys."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from filot.authentication import _JwksCache
from filot.models import User

TOKEN_URL = "/api/v1/auth/token/"
REFRESH_URL = "/api/v1/auth/token/refresh/"
ME_URL = "/api/v1/me/"
PASSWORD = "correct horse battery staple"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.django_db
class TestFilotTokens:
    def test_password_login_gives_tokens_that_open_the_api(self, api_client, user):
        response = api_client.post(
            TOKEN_URL, {"email": user.email, "password": PASSWORD}, format="json"
        )

        assert response.status_code == 200
        access = response.json()["access"]
        me = api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {access}")
        assert me.status_code == 200
        assert me.json()["email"] == user.email

    def test_wrong_password_is_401_with_code(self, api_client, user):
        response = api_client.post(
            TOKEN_URL, {"email": user.email, "password": "nope"}, format="json"
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "no_active_account"

    def test_expired_access_token_is_refused(self, api_client, user):
        token = AccessToken.for_user(user)
        token.set_exp(lifetime=-timedelta(seconds=1))
        self._assert_refused(api_client, str(token))

    def test_tampered_token_is_refused(self, api_client, user):
        token = str(AccessToken.for_user(user))
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims["user_id"] = "00000000-0000-0000-0000-000000000000"
        forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
        self._assert_refused(api_client, forged)

    def test_alg_none_is_refused(self, api_client, user):
        claims = dict(AccessToken.for_user(user).payload)
        header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
        unsigned = f"{header}.{_b64(json.dumps(claims).encode())}."
        self._assert_refused(api_client, unsigned)

    def test_token_signed_with_another_secret_is_refused(self, api_client, user):
        claims = dict(AccessToken.for_user(user).payload)
        self._assert_refused(api_client, jwt.encode(claims, "x" * 40, algorithm="HS256"))

    def test_refresh_token_cannot_be_used_as_access(self, api_client, user):
        self._assert_refused(api_client, str(RefreshToken.for_user(user)))

    def test_refresh_rotates_and_blacklists_the_old_token(self, api_client, user):
        refresh = str(RefreshToken.for_user(user))

        first = api_client.post(REFRESH_URL, {"refresh": refresh}, format="json")
        replay = api_client.post(REFRESH_URL, {"refresh": refresh}, format="json")

        assert first.status_code == 200
        assert first.json()["refresh"] != refresh
        assert replay.status_code == 401
        assert replay.json()["error"]["code"] == "token_not_valid"

    def test_token_endpoint_is_throttled_per_ip(self, api_client, user, monkeypatch):
        from rest_framework.settings import api_settings
        from rest_framework.throttling import SimpleRateThrottle

        # The throttle classes read their rates once; patch them for this test only.
        monkeypatch.setattr(
            SimpleRateThrottle,
            "THROTTLE_RATES",
            {**api_settings.DEFAULT_THROTTLE_RATES, "auth": "3/minute"},
        )
        codes = [
            api_client.post(
                TOKEN_URL, {"email": user.email, "password": "bad"}, format="json"
            ).status_code
            for _ in range(4)
        ]
        # A forged X-Forwarded-For does not buy a fresh allowance (NUM_PROXIES=0).
        forged = api_client.post(
            TOKEN_URL,
            {"email": user.email, "password": "bad"},
            format="json",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
        assert codes == [401, 401, 401, 429]
        assert forged.status_code == 429
        assert forged.json()["error"]["code"] == "rate_limited"
        assert int(forged["Retry-After"]) > 0

    @staticmethod
    def _assert_refused(api_client, token: str) -> None:
        response = api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401, response.content
        assert response.json()["error"]["code"] in {"token_not_valid", "authentication_failed"}


class _Jwks:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.requests = 0
        self.fail = False

    def document(self) -> bytes:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return json.dumps({"keys": [public]}).encode()


@pytest.fixture
def stack(settings) -> Iterator[_Jwks]:
    jwks = _Jwks()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            jwks.requests += 1
            if jwks.fail:
                self.send_response(503)
                self.end_headers()
                return
            body = jwks.document()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STACK_PROJECT_ID = "proj-123"
    settings.STACK_JWKS_URL = f"http://127.0.0.1:{server.server_port}/jwks.json"
    settings.STACK_ISSUER = "https://api.stack-auth.com/api/v1/projects/proj-123"
    settings.STACK_AUDIENCE = "proj-123"
    _JwksCache._clients.clear()
    yield jwks
    server.shutdown()
    _JwksCache._clients.clear()


def stack_token(jwks: _Jwks, **overrides) -> str:
    now = int(time.time())
    claims = {
        "sub": "stack-user-1",
        "iss": "https://api.stack-auth.com/api/v1/projects/proj-123",
        "aud": "proj-123",
        "iat": now,
        "exp": now + 300,
        "email": "stack@example.test",
    }
    claims.update(overrides)
    key = overrides.pop("_key", jwks.key)
    return jwt.encode(
        {k: v for k, v in claims.items() if v is not None and k != "_key"},
        key,
        algorithm="RS256",
        headers={"kid": jwks.kid},
    )


@pytest.mark.django_db
class TestStackAuth:
    def test_valid_token_creates_the_user_by_stack_id(self, api_client, stack):
        response = api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {stack_token(stack)}")

        assert response.status_code == 200, response.content
        user = User.objects.get(stack_user_id="stack-user-1")
        assert response.json()["id"] == str(user.pk)
        api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {stack_token(stack)}")
        assert User.objects.filter(stack_user_id="stack-user-1").count() == 1
        assert stack.requests == 1  # the key set is cached

    @pytest.mark.parametrize(
        "overrides",
        [
            {"exp": int(time.time()) - 10},
            {"iss": "https://evil.example/api/v1/projects/proj-123"},
            {"aud": "another-project"},
            {"sub": None},
        ],
        ids=["expired", "wrong-issuer", "wrong-audience", "no-subject"],
    )
    def test_bad_claims_are_refused(self, api_client, stack, overrides):
        response = api_client.get(
            ME_URL, HTTP_AUTHORIZATION=f"Bearer {stack_token(stack, **overrides)}"
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "token_not_valid"
        assert not User.objects.exists()

    def test_token_signed_by_another_key_is_refused(self, api_client, stack):
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = stack_token(stack, _key=other)
        response = api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401

    def test_existing_account_with_same_email_is_not_linked(self, api_client, stack, make_user):
        local = make_user(email="stack@example.test")

        response = api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {stack_token(stack)}")

        assert response.status_code == 403
        assert response.json()["error"]["code"] == "identity_conflict"
        local.refresh_from_db()
        assert local.stack_user_id is None

    def test_unreachable_jwks_is_503_not_500(self, api_client, stack):
        stack.fail = True
        response = api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {stack_token(stack)}")
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "auth_provider_unavailable"

    def test_filot_tokens_still_work_when_stack_is_on(self, api_client, stack, user):
        token = str(AccessToken.for_user(user))
        assert api_client.get(ME_URL, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


@pytest.mark.django_db
class TestServiceKey:
    def test_rotation_accepts_every_listed_key(self, api_client, user, settings):
        settings.SERVICE_INTERNAL_KEYS = ["k" * 40, "n" * 40]
        url = f"/api/v1/internal/users/{user.pk}/kyc/"

        for key in ("k" * 40, "n" * 40):
            response = api_client.get(url, HTTP_X_SERVICE_KEY=key)
            assert response.status_code == 200
            assert response.json()["kyc_status"] == "unverified"

    def test_wrong_or_missing_key_is_refused(self, api_client, user, settings):
        settings.SERVICE_INTERNAL_KEYS = ["k" * 40]
        url = f"/api/v1/internal/users/{user.pk}/kyc/"

        wrong = api_client.get(url, HTTP_X_SERVICE_KEY="k" * 39)
        missing = api_client.get(url)

        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "service_key_invalid"
        assert missing.status_code == 401

    def test_user_token_does_not_open_internal_routes(self, auth_client):
        response = auth_client.get(f"/api/v1/internal/users/{auth_client.user.pk}/kyc/")
        assert response.status_code == 401
