"""The alert rules and the Grafana dashboard only use metrics FiLot really exposes."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import yaml

import ocr_gpu.metrics
import verification.metrics
from filot.metrics import OCR_LAST_STARTED_KEY

ROOT = Path(__file__).resolve().parents[2]
METRIC = re.compile(r"\b((?:filot|django)_[a-z0-9_]+)")
SUFFIXES = ("_bucket", "_count", "_sum", "_created")


def exposed_names(body: str) -> set[str]:
    return {line.split()[2] for line in body.splitlines() if line.startswith("# HELP ")}


def family(name: str) -> str:
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def alert_expressions() -> list[str]:
    rules = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((ROOT / "deploy/grafana/filot.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def referenced(expressions: list[str]) -> set[str]:
    return {family(name) for expr in expressions for name in METRIC.findall(expr)}


def _exposed(api_client, redis_client) -> set[str]:
    assert ocr_gpu.metrics and verification.metrics  # workers expose these families

    redis_client.set(OCR_LAST_STARTED_KEY, str(time.time()))
    redis_client.set("filot:heartbeat:ocr_gpu", str(time.time()))
    names = exposed_names(api_client.get("/metrics").content.decode())
    # Counters are exposed as NAME_total; histograms by their family name.
    return names | {n.removesuffix("_total") for n in names} | {f"{n}_total" for n in names}


def test_every_metric_in_the_alert_rules_is_exposed(api_client, redis_client, db):
    exposed = _exposed(api_client, redis_client)
    missing = referenced(alert_expressions()) - exposed
    assert not missing, f"alerts use metrics nobody exposes: {sorted(missing)}"


def test_every_metric_on_the_dashboard_is_exposed(api_client, redis_client, db):
    exposed = _exposed(api_client, redis_client)
    missing = referenced(dashboard_expressions()) - exposed
    assert not missing, f"dashboard uses metrics nobody exposes: {sorted(missing)}"


def test_dashboard_panels_have_unique_ids_and_a_datasource():
    dashboard = json.loads((ROOT / "deploy/grafana/filot.json").read_text())
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    assert all(panel["datasource"]["uid"] == "${datasource}" for panel in dashboard["panels"])
