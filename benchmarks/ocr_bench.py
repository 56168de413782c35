"""OCR benchmark on generated cards: accuracy per level and type, latency, throughput, memory.

    .venv/bin/python benchmarks/ocr_bench.py --per-level 60 --workers 1,2 \\
        --out benchmarks/out/ocr.json

Imports only pure modules (no Django settings needed). ``OCR_GPU_ENABLED=true`` asks for the
CUDA backend (falls back to the CPU when OpenCV has no CUDA device).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz.distance import Levenshtein

from ocr_gpu.pipeline import run_ocr
from ocr_gpu.testing.cards import card_lines, make_card
from ocr_gpu.testing.degrade import LEVELS
from ocr_gpu.testing.metrics import squash

STAGES = ("load", "preprocess", "quality", "ocr")
GPU = os.environ.get("OCR_GPU_ENABLED", "false").lower() in {"1", "true", "yes"}
LANGUAGES = os.environ.get("OCR_LANGUAGES", "ind+eng")


def _work(item: tuple[str, str, int, bytes, dict[str, str]]) -> dict[str, Any]:
    doc_type, level, seed, data, fields = item
    start = time.perf_counter()
    result = run_ocr(data, doc_type, gpu_enabled=GPU, languages=LANGUAGES)
    e2e = (time.perf_counter() - start) * 1000
    region = "nik" if doc_type == "ktp" else "npwp"
    number = fields["nik"] if doc_type == "ktp" else fields["npwp"]
    read_number = "".join(
        c for line in result.lines if line.region == region for c in line.text if c.isdigit()
    )
    expected = "\n".join(squash(line) for line in card_lines(doc_type, fields))
    read = "\n".join(squash(line.text) for line in result.lines)
    return {
        "doc_type": doc_type,
        "level": level,
        "seed": seed,
        "e2e_ms": e2e,
        "timings": result.timings_ms,
        "number_errors": Levenshtein.distance(number, read_number),
        "number_chars": len(number),
        "card_errors": Levenshtein.distance(expected, read),
        "card_chars": len(expected),
        "backend": result.backend,
    }


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _run(items: list[Any], workers: int) -> tuple[list[dict[str, Any]], float]:
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        rows = list(pool.imap_unordered(_work, items, chunksize=1))
    return rows, time.perf_counter() - start


def _summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[f"{row['level']}/{row['doc_type']}"].append(row)
        groups["all"].append(row)
    summary = {}
    for key, group in groups.items():
        entry = {
            "n": len(group),
            "number_cer": sum(r["number_errors"] for r in group)
            / max(sum(r["number_chars"] for r in group), 1),
            "card_cer": sum(r["card_errors"] for r in group)
            / max(sum(r["card_chars"] for r in group), 1),
            "number_exact": sum(r["number_errors"] == 0 for r in group) / len(group),
            "e2e_p50": _pct([r["e2e_ms"] for r in group], 0.5),
            "e2e_p95": _pct([r["e2e_ms"] for r in group], 0.95),
        }
        for stage in STAGES:
            values = [r["timings"].get(stage, 0.0) for r in group]
            entry[f"{stage}_p50"], entry[f"{stage}_p95"] = _pct(values, 0.5), _pct(values, 0.95)
        summary[key] = entry
    return summary


def _median_of(summaries: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    return {
        key: {
            field: statistics.median(s[key][field] for s in summaries)
            for field in summaries[0][key]
        }
        for key in summaries[0]
    }


def _table(summary: dict[str, dict[str, float]], throughput: dict[int, float]) -> str:
    head = (
        "| level/type | n | number CER | number exact | card CER | e2e p50 ms | e2e p95 ms | "
        + " | ".join(f"{s} p50/p95" for s in STAGES)
        + " |"
    )
    lines = [head, "|" + "---|" * (7 + len(STAGES))]
    for key in sorted(summary, key=lambda k: (k == "all", k)):
        e = summary[key]
        stages = " | ".join(f"{e[f'{s}_p50']:.0f}/{e[f'{s}_p95']:.0f}" for s in STAGES)
        lines.append(
            f"| {key} | {e['n']:.0f} | {e['number_cer']:.2%} | {e['number_exact']:.0%} | "
            f"{e['card_cer']:.2%} | {e['e2e_p50']:.0f} | {e['e2e_p95']:.0f} | {stages} |"
        )
    lines.append("")
    lines.append("| workers | images/s |")
    lines.append("|---|---|")
    lines.extend(f"| {w} | {ips:.2f} |" for w, ips in throughput.items())
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-level", type=int, default=10, help="cards per level and type")
    parser.add_argument("--workers", default="1,2", help="comma-separated process counts")
    parser.add_argument("--repeats", type=int, default=3, help="timing runs per worker count")
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/ocr.json"))
    args = parser.parse_args()
    items = [
        (doc_type, level, args.seed + i, *make_card(doc_type, level, args.seed + i))
        for doc_type in ("ktp", "npwp")
        for level in LEVELS
        for i in range(args.per_level)
    ]
    items = [(t, lv, s, data, truth["fields"]) for t, lv, s, data, truth in items]
    workers = [int(w) for w in args.workers.split(",")]
    summaries: list[dict[str, dict[str, float]]] = []
    throughput_runs: dict[int, list[float]] = defaultdict(list)
    for repeat in range(args.repeats):
        for count in workers:
            rows, wall = _run(items, count)
            throughput_runs[count].append(len(items) / wall)
            if count == workers[0]:  # latency is measured without contention
                summaries.append(_summarise(rows))
            print(f"run {repeat + 1}/{args.repeats} workers={count}: {len(items) / wall:.2f} img/s",
                  file=sys.stderr)  # fmt: skip
    summary = _median_of(summaries)
    throughput = {w: statistics.median(v) for w, v in throughput_runs.items()}
    peak_kib = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    report = {
        "command": " ".join(sys.argv),
        "backend": rows[0]["backend"] if rows else "cpu",
        "gpu_enabled": GPU,
        "languages": LANGUAGES,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "cards": len(items),
        "repeats": args.repeats,
        "summary": summary,
        "images_per_second": throughput,
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"backend={report['backend']} languages={LANGUAGES} cards={len(items)} "
          f"repeats={args.repeats} peak_rss={report['peak_rss_mib']} MiB")  # fmt: skip
    print(_table(summary, throughput))


if __name__ == "__main__":
    main()
