"""The OpenAPI schema is generated without warnings, is valid, and documents the errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS


@pytest.fixture
def schema(tmp_path: Path) -> dict:
    """``manage.py spectacular --validate --fail-on-warn``: any warning or error fails."""
    GENERATOR_STATS.reset()  # warnings from earlier schema requests in this process
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    return yaml.safe_load(out.read_text())


def _operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_schema_generates_without_warnings_and_validates(schema: dict) -> None:
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/documents/" in schema["paths"]


def test_every_authentication_class_is_described(schema: dict) -> None:
    schemes = schema["components"]["securitySchemes"]

    assert schemes["jwtAuth"]["scheme"] == "bearer"
    assert schemes["stackAuth"]["scheme"] == "bearer"
    assert schemes["serviceKey"] == {"type": "apiKey", "in": "header", "name": "X-Service-Key"}


def test_every_error_response_documents_the_error_envelope(schema: dict) -> None:
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, method, operation in _operations(schema):
        assert "401" in operation["responses"], (method, path)
        for code, response in operation["responses"].items():
            if code >= "400":
                assert response["content"]["application/json"]["schema"] == envelope, (
                    method,
                    path,
                    code,
                )
