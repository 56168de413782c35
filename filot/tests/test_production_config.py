"""Production mode refuses to start on missing, default, short or shared secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from filot.checks import production_config_errors

ROOT = Path(__file__).resolve().parents[2]
STRONG = {
    "DATABASE_URL": "postgres://filot:pw@db.internal:5432/filot",
    "JWT_SECRET": "j" * 48,
    "SESSION_SECRET": "s" * 64,
    "SERVICE_INTERNAL_KEY": "k" * 40 + "," + "n" * 40,
    "REDIS_URL": "rediss://cache.internal:6380/0",
    "REDIS_PASSWORD": "r" * 24,
    "CF_R2_ENDPOINT": "https://acct.r2.cloudflarestorage.com",
    "CF_R2_ACCESS_KEY_ID": "AKIAEXAMPLE",
    "CF_R2_SECRET_ACCESS_KEY": "x" * 40,
    "CF_R2_BUCKET_NAME": "filot-documents",
    "CF_ACCOUNT_ID": "acct",
    "BULI2_API_URL": "https://buli2.example/api",
    "BULI2_API_KEY": "b" * 32,
    "BULI2_SIGNATURE_SECRET": "h" * 48,
    "BULI2_OUTBOUND_SIGNATURE_SECRET": "o" * 48,
    "STACK_PROJECT_ID": "proj",
    "STACK_SECRET_SERVER_KEY": "ssk_" + "q" * 30,
    "STACK_PUBLISHABLE_CLIENT_KEY": "pck_" + "p" * 30,
    "FIELD_ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
    "FIELD_HASH_KEY": "f" * 48,
    "METRICS_TOKEN": "m" * 40,
}


# What `make test` sets for its own speed (a fast password hasher), never a production start's.
TEST_ONLY = frozenset({"PASSWORD_HASHERS"})


def test_a_strong_environment_passes():
    assert production_config_errors(STRONG) == []


def test_a_strong_password_hasher_set_explicitly_passes():
    # a strong hasher first, an old one after it to check passwords stored before a change
    hashers = ",".join(
        f"django.contrib.auth.hashers.{name}"
        for name in ("Argon2PasswordHasher", "MD5PasswordHasher")
    )

    assert production_config_errors({**STRONG, "PASSWORD_HASHERS": hashers}) == []


@pytest.mark.parametrize(
    ("change", "variable", "problem"),
    [
        ({"JWT_SECRET": ""}, "JWT_SECRET", "is not set"),
        ({"JWT_SECRET": "short-secret"}, "JWT_SECRET", "is shorter than 32 characters"),
        (
            {"JWT_SECRET": "dev-secret-change-in-production"},
            "JWT_SECRET",
            "is a known default value",
        ),
        ({"SESSION_SECRET": "j" * 48}, "JWT_SECRET", "must differ from SESSION_SECRET"),
        (
            {"SERVICE_INTERNAL_KEY": "k" * 40 + ",short"},
            "SERVICE_INTERNAL_KEY",
            "is shorter than 32 characters",
        ),
        (
            {"BULI2_SIGNATURE_SECRET": "secret"},
            "BULI2_SIGNATURE_SECRET",
            "is a known default value",
        ),
        ({"DATABASE_URL": "sqlite:///x.db"}, "DATABASE_URL", "must be a PostgreSQL URL"),
        ({"REDIS_URL": "http://cache"}, "REDIS_URL", "must start with redis:// or rediss://"),
        (
            {"PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher"},
            "PASSWORD_HASHERS",
            "must start with PBKDF2, Argon2, bcrypt or scrypt",
        ),
        ({"STACK_PROJECT_ID": ""}, "STACK_PROJECT_ID", "is not set"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS", "is not set"),
        (
            {"FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode() + ",not-a-key"},
            "FIELD_ENCRYPTION_KEYS",
            "holds a value that is not a Fernet key",
        ),
        ({"FIELD_HASH_KEY": "s" * 64}, "FIELD_HASH_KEY", "must differ from SESSION_SECRET"),
        ({"DEBUG": "true"}, "DEBUG", "must be false in production"),
        ({"DEBUG": "1"}, "DEBUG", "must be false in production"),
        (
            {"METRICS_TOKEN": "short"},
            "METRICS_TOKEN",
            "is shorter than 32 characters or a known default",
        ),
    ],
)
def test_weak_configuration_is_named_without_its_value(change, variable, problem):
    problems = production_config_errors({**STRONG, **change})
    assert (variable, problem) in problems


def _manage(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in STRONG and k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_manage_check_fails_in_production_and_never_prints_the_secret():
    env = {**STRONG, "FILOT_ENV": "production", "JWT_SECRET": "tooshort-but-secret-value"}

    plain = _manage(["check"], env)
    deploy = _manage(["check", "--deploy"], env)

    for result in (plain, deploy):
        assert result.returncode != 0
        assert "JWT_SECRET is shorter than 32 characters" in result.stderr
        assert "tooshort-but-secret-value" not in result.stderr + result.stdout


@pytest.mark.slow
def test_node_env_production_is_production_too_and_wsgi_refuses_to_load():
    env = {"NODE_ENV": "production"}
    result = subprocess.run(
        [sys.executable, "-c", "import filot.wsgi"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in STRONG and k not in TEST_ONLY},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FiLot refuses to start in production" in result.stderr
    assert "SESSION_SECRET is not set" in result.stderr


@pytest.mark.slow
def test_strong_production_configuration_passes_the_check():
    result = _manage(
        ["check", "--deploy", "--fail-level", "ERROR"],
        {**STRONG, "FILOT_ENV": "production", "ALLOWED_HOSTS": "filot.example"},
    )
    assert result.returncode == 0, result.stderr


def test_debug_false_and_no_metrics_token_are_accepted_with_a_warning():
    from filot.checks import production_config_warnings

    environment = {**STRONG, "DEBUG": "false", "METRICS_TOKEN": ""}

    assert production_config_errors(environment) == []
    assert [name for name, _ in production_config_warnings(environment)] == ["METRICS_TOKEN"]


@pytest.mark.slow
def test_production_with_debug_on_refuses_to_start():
    env = {**STRONG, "FILOT_ENV": "production", "ALLOWED_HOSTS": "filot.example", "DEBUG": "True"}

    check = _manage(["check"], env)
    wsgi = subprocess.run(
        [sys.executable, "-c", "import filot.wsgi"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in STRONG and k not in TEST_ONLY},
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert check.returncode != 0
    assert "DEBUG must be false in production" in check.stderr
    assert wsgi.returncode != 0
    assert "DEBUG must be false in production" in wsgi.stderr
