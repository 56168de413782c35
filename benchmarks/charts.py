"""PNG charts of the benchmarks' JSON, written beside it (``load.json`` -> ``load.png``).

    .venv/bin/python benchmarks/charts.py load benchmarks/out/load.json
    .venv/bin/python benchmarks/charts.py ocr benchmarks/out/ocr.json
    .venv/bin/python benchmarks/charts.py extraction benchmarks/out/extraction.json

``benchmarks/load/run.py`` and ``benchmarks/ocr_bench.py`` call these after writing their JSON;
the extraction chart reads ``manage.py evaluate_extraction DIR --by-family --json``. matplotlib
on its Agg canvas (no display), object API only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

LEVELS = ("clean", "mild", "hard")
SATURATED = 0.9  # a step saturates when less than 90 % of what was offered is served


def _save(figure: Figure, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100, bbox_inches="tight")
    return out


def offered_rps(step: dict[str, Any], settings: dict[str, Any]) -> float:
    """Requests per second a load step sends: uploads, their polls, queue listings, callbacks."""
    rate = float(step["rate"])
    return (
        rate * (1 + float(settings.get("poll_ratio", 1.0)))
        + float(settings.get("reviewer_rate", 1.0))
        + float(settings.get("callback_rate", 2.0))
    )


def saturation(report: dict[str, Any]) -> dict[str, Any] | None:
    """The first step whose served rate fell below 90 % of the offered one, if any."""
    for step in report["steps"]:
        offered = offered_rps(step, report.get("settings", {}))
        served = float(step["completed_in_window_rps"])
        if served < SATURATED * offered:
            return {"offered": offered, "served": served, "rate": step["rate"]}
    return None


def load_chart(report: dict[str, Any], out: Path) -> Path:
    """Upload latency percentiles (log scale) and served requests/s against offered load, with
    the saturation point marked."""
    settings = report.get("settings", {})
    steps = report["steps"]
    offered = [offered_rps(s, settings) for s in steps]
    figure = Figure(figsize=(8, 4.5))
    axes = figure.add_subplot()
    for key, style in (("p50_ms", "o-"), ("p95_ms", "s-"), ("p99_ms", "^-")):
        axes.plot(
            offered,
            [max(s["latency"]["upload"][key], 1.0) for s in steps],
            style,
            label=f"upload {key[:3]}",
        )
    axes.set_yscale("log")
    axes.margins(x=0.08)
    axes.set_xlabel("offered load (requests/s, all endpoints)")
    axes.set_ylabel("upload latency (ms, from the scheduled send)")
    served = axes.twinx()
    served.plot(offered, [s["completed_in_window_rps"] for s in steps], "k--", label="served")
    served.plot(offered, offered, color="#999999", linewidth=0.8, label="served = offered")
    served.set_ylabel("requests/s served in the step")
    point = saturation(report)
    if point is not None:
        axes.axvline(point["offered"], color="#D55E00", linewidth=1.5)
        axes.annotate(
            f"saturation: {point['served']:.1f} of {point['offered']:.1f} req/s served",
            (point["offered"], 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-6, -12),
            textcoords="offset points",
            ha="right",
            fontsize=8,
            color="#D55E00",
        )
    lines = axes.get_legend_handles_labels()
    more = served.get_legend_handles_labels()
    axes.legend(lines[0] + more[0], lines[1] + more[1], fontsize=8, loc="upper left")
    cpus = report.get("machine", {}).get("cpus", "?")
    axes.set_title(f"Upload latency against offered load ({cpus} CPUs)", fontsize=10)
    return _save(figure, out)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def ocr_chart(report: dict[str, Any], out: Path) -> Path:
    """OCR time per card by engine configuration and degradation level, per card type: the
    median as a bar, the p95 as its whisker."""
    runs = report["runs"]
    configs = list(runs)
    doc_types = sorted({row["doc_type"] for run in runs.values() for row in run["cards"]})
    figure = Figure(figsize=(4.5 * max(len(doc_types), 1), 4))
    width = 0.8 / max(len(configs), 1)
    for index, doc_type in enumerate(doc_types):
        axes = figure.add_subplot(1, len(doc_types), index + 1)
        for offset, config in enumerate(configs):
            medians, whiskers = [], []
            for level in LEVELS:
                times = [
                    row["ms"]
                    for row in runs[config]["cards"]
                    if row["doc_type"] == doc_type and row["level"] == level and not row["error"]
                ]
                median = statistics.median(times) if times else 0.0
                medians.append(median)
                whiskers.append(_pct(times, 0.95) - median if times else 0.0)
            axes.bar(
                [i + offset * width for i in range(len(LEVELS))],
                medians,
                width,
                yerr=[[0] * len(LEVELS), whiskers],
                capsize=3,
                label=config,
            )
        axes.set_xticks([i + width * (len(configs) - 1) / 2 for i in range(len(LEVELS))])
        axes.set_xticklabels(LEVELS)
        axes.set_title(doc_type.upper(), fontsize=10)
        if index == 0:
            axes.set_ylabel("ms per card (median, whisker to p95)")
        axes.legend(fontsize=8)
    gpu = "GPU" if report.get("gpu_enabled") else "no GPU"
    figure.suptitle(
        f"OCR time per card by engine and level ({report.get('cpus', '?')} CPUs, {gpu})",
        fontsize=10,
    )
    figure.tight_layout()
    return _save(figure, out)


def extraction_chart(summary: dict[str, Any], out: Path) -> Path:
    """Field exact-match % as a heat map per card type: a row per family and level (or level,
    without ``--by-family``), a column per field."""
    by_type: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for key, group in summary["groups"].items():
        parts = key.split("/")
        doc_type = parts[-2]
        by_type[doc_type]["/".join(p for i, p in enumerate(parts) if i != len(parts) - 2)] = group[
            "fields"
        ]
    figure = Figure(figsize=(12, 3.2 * max(len(by_type), 1)))
    order = {level: i for i, level in enumerate(LEVELS)}
    for index, doc_type in enumerate(sorted(by_type)):
        rows = sorted(
            by_type[doc_type], key=lambda r: (r.split("/")[0], order.get(r.split("/")[-1], 9))
        )
        fields = sorted({name for row in rows for name in by_type[doc_type][row]})
        grid = [[by_type[doc_type][row].get(name, float("nan")) for name in fields] for row in rows]
        axes = figure.add_subplot(len(by_type), 1, index + 1)
        image = axes.imshow(grid, cmap="RdYlGn", vmin=50, vmax=100, aspect="auto")
        axes.set_xticks(range(len(fields)))
        axes.set_xticklabels(fields, rotation=40, ha="right", fontsize=8)
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels(rows, fontsize=8)
        for y, line in enumerate(grid):
            for x, value in enumerate(line):
                if value == value:  # not NaN
                    axes.text(x, y, f"{value:.0f}", ha="center", va="center", fontsize=7)
        axes.set_title(f"{doc_type.upper()}: fields read exactly (%)", fontsize=10)
        figure.colorbar(image, ax=axes, fraction=0.02)
    figure.tight_layout()
    return _save(figure, out)


CHARTS = {"load": load_chart, "ocr": ocr_chart, "extraction": extraction_chart}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("kind", choices=sorted(CHARTS))
    parser.add_argument("report", type=Path, help="the benchmark's JSON")
    parser.add_argument("--out", type=Path, help="PNG to write (default: beside the JSON)")
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text())
    written = CHARTS[args.kind](report, args.out or args.report.with_suffix(".png"))
    print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
