"""``manage.py check_production_config``: the checklist's sections 1 and 6 as one report."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from filot.checks import production_config_errors, production_config_warnings
from filot.middleware import FORWARDED_SEEN_KEY


def _database() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def _redis() -> str:
    if not settings.REDIS_URL:
        raise RuntimeError("REDIS_URL is not set")
    from filot.metrics import broker

    client = broker()
    try:
        client.ping()
    finally:
        client.close()
    return "ping ok"


def _tesseract() -> str:
    from ocr_gpu.tesseract import tesseract_status

    ok, detail = tesseract_status(settings.OCR_LANGUAGES.split("+")[0])
    if not ok:
        raise RuntimeError(detail)
    return detail


def _storage() -> str:
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}.txt", ContentFile(b"probe"))
    try:
        if default_storage.open(name).read() != b"probe":
            raise RuntimeError("read back different bytes")
    finally:
        default_storage.delete(name)
    return type(default_storage).__name__


def _cors() -> str:
    origins = list(getattr(settings, "CORS_ALLOWED_ORIGINS", []))
    if getattr(settings, "CORS_ALLOW_ALL_ORIGINS", False):
        raise RuntimeError("CORS_ALLOW_ALL_ORIGINS is on")
    if not origins:
        raise RuntimeError("no CORS_ALLOWED_ORIGINS configured")
    insecure = [o for o in origins if o.startswith("http://") and "localhost" not in o]
    if settings.PRODUCTION and insecure:
        raise RuntimeError(f"{len(insecure)} origin(s) without https")
    return f"{len(origins)} origin(s)"


def _throttles() -> str:
    rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
    missing = [scope for scope in ("uploads", "auth", "user") if not rates.get(scope)]
    if missing:
        raise RuntimeError(f"no rate for {', '.join(missing)}")
    return ", ".join(f"{scope} {rate}" for scope, rate in sorted(rates.items()))


def proxy_warnings() -> list[str]:
    """Warnings about the proxy in front of FiLot, from what requests showed."""
    if settings.NUM_PROXIES:
        return []
    from django.core.cache import cache

    try:
        seen = cache.get(FORWARDED_SEEN_KEY)
    except Exception:  # noqa: BLE001 - the cache check above reports an unreachable Redis
        return []
    if not seen:
        return []
    return [
        f"NUM_PROXIES is 0 but requests arrived with X-Forwarded-For (first noted {seen}): "
        "behind a proxy every client shares its address, so throttles and the sign-in lockout "
        "are shared; set NUM_PROXIES to the number of proxies in front of FiLot"
    ]


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "redis": _redis,
    "tesseract": _tesseract,
    "storage": _storage,
    "cors": _cors,
    "throttles": _throttles,
}


class Command(BaseCommand):
    help = (
        "Report the production checklist's environment (section 1) and service checks "
        "(section 6): every required variable present, strong and distinct; database and Redis "
        "reachable; Tesseract with its Indonesian data; storage writable; CORS and throttles "
        "configured. Exits 1 when anything fails. Values are never printed, only names."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        report: dict[str, Any] = {"variables": [], "services": {}, "warnings": []}
        for name, problem in production_config_errors(os.environ):
            report["variables"].append({"variable": name, "problem": problem})
        for name, warning in production_config_warnings(os.environ):
            report["warnings"].append(f"{name} {warning}")
        report["warnings"].extend(proxy_warnings())
        for name, check in CHECKS.items():
            try:
                report["services"][name] = {"ok": True, "detail": check()}
            except Exception as exc:  # noqa: BLE001 - every failure is reported
                report["services"][name] = {"ok": False, "detail": str(exc) or type(exc).__name__}
        failed = bool(report["variables"]) or not all(
            row["ok"] for row in report["services"].values()
        )
        report["ok"] = not failed
        if options["json"]:
            self.stdout.write(json.dumps(report))
        else:
            for row in report["variables"]:
                self.stdout.write(f"FAIL  {row['variable']} {row['problem']}")
            if not report["variables"]:
                self.stdout.write("ok    environment: every required variable is set and strong")
            for name, row in report["services"].items():
                self.stdout.write(f"{'ok  ' if row['ok'] else 'FAIL'}  {name}: {row['detail']}")
            for warning in report["warnings"]:
                self.stdout.write(f"warn  {warning}")
        if failed:
            raise SystemExit(1)
