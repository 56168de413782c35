"""OCR benchmark: both engines side by side on the same cards, speed and accuracy per level.

    .venv/bin/python benchmarks/ocr_bench.py --per-level 20 --repeats 3 \\
        --out benchmarks/out/ocr.json
    .venv/bin/python benchmarks/ocr_bench.py --cards DIR   # any folder of cards with truth

Writes the JSON and a chart beside it (``ocr.png``: time per card by engine and level).

Each engine configuration runs in a fresh worker process (one process, as a worker would), which
loads its engine once and reads every card ``--repeats`` times; latency figures are medians over
the repeats of each card's time, then p50 / p95 over the cards. The process's peak RSS is the
memory one OCR worker process needs. Configurations:

* ``ppocr``: production with ``OCR_ENGINE=auto``: PP-OCR reads, Tesseract reads beside it and
  re-reads the numbers (the second opinion verification needs to approve anything);
* ``ppocr-alone``: PP-OCR without the second opinion (what the second opinion costs);
* ``tesseract``: ``OCR_ENGINE=tesseract``: Tesseract reads, Tesseract's second segmentation beside;
* ``ppocr-cli``, ``tesseract-cli``: the same with ``TESSERACT_BINDING=cli`` (a ``tesseract``
  process per call instead of libtesseract in the worker process).

Accuracy is exact match of the parsed fields against the cards' ground truth; "decided" columns
are what the verification engine decides without a profile name or other documents. Imports only
pure modules (no Django settings needed). ``OCR_GPU_ENABLED=true`` asks for CUDA.
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
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.charts import ocr_chart
from ocr_gpu import tesseract
from ocr_gpu.testing.cards import make_card
from ocr_gpu.testing.degrade import LEVELS
from verification.evaluation import Settings, evaluate_card, find_cards

GPU = os.environ.get("OCR_GPU_ENABLED", "false").lower() in {"1", "true", "yes"}
CONFIGS: dict[str, dict[str, Any]] = {
    "ppocr": {"engine": "auto", "second_opinion": True},
    "ppocr-alone": {"engine": "ppocr", "second_opinion": False},
    "tesseract": {"engine": "tesseract", "second_opinion": True},
    "ppocr-cli": {"engine": "auto", "second_opinion": True, "binding": "cli"},
    "tesseract-cli": {"engine": "tesseract", "second_opinion": True, "binding": "cli"},
}
IDENTITY = {"ktp": ("nik", "nama", "tanggal_lahir"), "npwp": ("npwp", "nama", "nik")}


def _generate(folder: Path, per_level: int, seed: int, families: list[str]) -> None:
    """Cards of every type, level and family into ``folder`` (skipped when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_type in ("ktp", "npwp"):
        for level in LEVELS:
            for family in families:
                for index in range(per_level):
                    name = f"{doc_type}_{level}_{family}_{seed + index:05d}"
                    if (folder / f"{name}.json").exists():
                        continue
                    data, truth = make_card(doc_type, level, seed + index, family=family or None)
                    suffix = ".png" if level == "clean" else ".jpg"
                    (folder / f"{name}{suffix}").write_bytes(data)
                    (folder / f"{name}.json").write_text(json.dumps(truth) + "\n")


def _worker(args: tuple[str, list[tuple[str, str]], int]) -> dict[str, Any]:
    """Runs in a fresh process: every card ``repeats`` times with one configuration."""
    config, pairs, repeats = args
    options = dict(CONFIGS[config])
    tesseract.configure(binding=options.pop("binding", "api"))
    settings = Settings(today=date(2026, 12, 1), gpu_enabled=GPU, **options)
    rows = []
    for image, truth in pairs:
        times = []
        result = None
        for _ in range(repeats):
            start = time.perf_counter()
            result = evaluate_card(Path(image), Path(truth), settings)
            times.append((time.perf_counter() - start) * 1000)
        assert result is not None
        rows.append(
            {
                "card": Path(image).name,
                "doc_type": result.doc_type,
                "level": result.level,
                "family": result.family,
                "ms": statistics.median(times),
                "error": result.error,
                "matches": result.matches,
                "decision": result.decision,
            }
        )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "peak_rss_mib": round(peak_mib, 1)}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _share(hits: int, total: int) -> float:
    return round(100.0 * hits / total, 1) if total else 0.0


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    number = {"ktp": "nik", "npwp": "npwp"}
    ok = [r for r in rows if r["error"] is None]
    wrong_approvals = sum(
        r["decision"] == "auto_approved"
        and not all(r["matches"].get(n, True) for n in IDENTITY[r["doc_type"]])
        for r in ok
    )
    return {
        "cards": len(rows),
        "errors": len(rows) - len(ok),
        "number_exact": _share(
            sum(r["matches"].get(number[r["doc_type"]], False) for r in ok), len(rows)
        ),
        "all_fields_exact": _share(sum(all(r["matches"].values()) for r in ok), len(rows)),
        "auto_approved": _share(sum(r["decision"] == "auto_approved" for r in ok), len(rows)),
        "auto_rejected": _share(sum(r["decision"] == "auto_rejected" for r in ok), len(rows)),
        "wrong_auto_approvals": wrong_approvals,
        "p50_ms": round(_pct([r["ms"] for r in ok], 0.5)),
        "p95_ms": round(_pct([r["ms"] for r in ok], 0.95)),
    }


def _table(report: dict[str, Any]) -> str:
    lines = [
        "| engine | group | cards | number exact | all fields exact | auto-approved "
        "| auto-rejected | wrong identities approved | p50 ms | p95 ms | worker RSS MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for config, run in report["runs"].items():
        for group, s in run["groups"].items():
            lines.append(
                f"| {config} | {group} | {s['cards']} | {s['number_exact']}% | "
                f"{s['all_fields_exact']}% | {s['auto_approved']}% | {s['auto_rejected']}% | "
                f"{s['wrong_auto_approvals']} | {s['p50_ms']} | {s['p95_ms']} | "
                f"{run['peak_rss_mib']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cards", type=Path, help="a folder of cards with ground truth")
    parser.add_argument("--per-level", type=int, default=10, help="generated cards per group")
    parser.add_argument("--families", default="", help="generator families, comma-separated")
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--engines", default="ppocr,ppocr-alone,tesseract")
    parser.add_argument("--repeats", type=int, default=3, help="reads of each card")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/ocr.json"))
    args = parser.parse_args()
    folder = args.cards
    if folder is None:
        families = [f for f in args.families.split(",") if f] or [""]
        folder = Path("benchmarks/out") / f"bench-cards-{args.seed}-{args.per_level}"
        _generate(folder, args.per_level, args.seed, families)
    pairs = [(str(i), str(t)) for i, t in find_cards(folder)]
    if not pairs:
        raise SystemExit(f"no cards with ground truth in {folder}")
    runs: dict[str, Any] = {}
    for config in args.engines.split(","):
        context = multiprocessing.get_context("spawn")  # a fresh process: its RSS is its own
        with context.Pool(1) as pool:
            out = pool.apply(_worker, ((config, pairs, args.repeats),))
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in out["rows"]:
            groups[f"{row['doc_type']}/{row['level']}"].append(row)
            groups["all"].append(row)
        runs[config] = {
            "peak_rss_mib": out["peak_rss_mib"],
            "groups": {key: _summary(groups[key]) for key in sorted(groups, key=_order)},
            "cards": out["rows"],
        }
        print(f"{config}: {runs[config]['groups']['all']}", file=sys.stderr)
    report = {
        "command": " ".join(sys.argv),
        "cards_folder": str(folder),
        "gpu_enabled": GPU,
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "repeats": args.repeats,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(_table(report))
    print(f"chart: {ocr_chart(report, args.out.with_suffix('.png'))}")


def _order(key: str) -> tuple[int, str]:
    return (key == "all", key)


if __name__ == "__main__":
    main()
