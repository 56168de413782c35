"""A registry of informational ``/health`` details (the partner breaker state, for example)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[[], Any]] = {}


def register(name: str, provider: Callable[[], Any]) -> None:
    _providers[name] = provider


def collect() -> dict[str, Any]:
    details: dict[str, Any] = {}
    for name, provider in _providers.items():
        try:
            details[name] = provider()
        except Exception as exc:  # noqa: BLE001 - a detail never breaks the health answer
            details[name] = {"error": type(exc).__name__}
    return details
