"""The local production stack (docker-compose.yml) commits no secret: every one comes from a
git-ignored `.env`, and a generated `.env` passes the production check."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from filot.checks import REQUIRED, production_config_errors

ROOT = Path(__file__).resolve().parents[2]
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::\?[^}]*)?\}")
SECRETS = (set(REQUIRED) - {"DATABASE_URL", "REDIS_URL", "CF_R2_ENDPOINT", "CF_R2_BUCKET_NAME"}) | {
    "POSTGRES_PASSWORD",
    "MINIO_ROOT_USER",
    "MINIO_ROOT_PASSWORD",
    "METRICS_TOKEN",
    "REDISCLI_AUTH",
}
NOT_SECRET = {"CF_ACCOUNT_ID", "BULI2_API_URL"}  # required, but addresses and names


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def environments(document: dict[str, Any]) -> list[dict[str, str]]:
    found = [document["x-filot-env"]]
    for service in document["services"].values():
        environment = service.get("environment")
        if isinstance(environment, dict):
            found.append(environment)
    return found


def generated_env() -> dict[str, str]:
    output = subprocess.run(
        [sys.executable, str(ROOT / "scripts/generate-env.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    return dict(
        line.split("=", 1) for line in output.splitlines() if line and not line.startswith("#")
    )


def interpolate(value: str, env: dict[str, str]) -> str:
    return INTERPOLATION.sub(lambda m: env[m.group(1)], value)


def test_every_secret_in_the_compose_file_comes_from_the_environment():
    document = compose()

    for environment in environments(document):
        for name, value in environment.items():
            if name in SECRETS - NOT_SECRET:
                assert INTERPOLATION.fullmatch(str(value)), f"{name} is committed in the file"
    database_url = document["x-filot-env"]["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in database_url
    redis = " ".join(document["services"]["redis"]["command"])
    assert "--requirepass ${REDIS_PASSWORD:?" in redis


def test_env_is_ignored_and_the_example_names_every_variable_without_values():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", ".env"], cwd=ROOT, timeout=30, check=False
    )
    assert ignored.returncode == 0, ".env must be git-ignored"
    used = set(INTERPOLATION.findall((ROOT / "docker-compose.yml").read_text()))
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(example) == used
    assert set(example.values()) == {""}


def test_a_generated_env_gives_a_stack_that_passes_the_production_check():
    env = generated_env()

    filot_env = {
        name: interpolate(str(value), env) for name, value in compose()["x-filot-env"].items()
    }

    assert production_config_errors(filot_env) == []
    assert generated_env() != env  # fresh values every time
