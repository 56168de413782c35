"""Intake cost per upload: what the web worker spends checking a file before it is stored.

    .venv/bin/python benchmarks/intake_bench.py --repeats 15 --out benchmarks/out/intake.json

For each kind of file users send (a generated card, a 12-megapixel phone photo upright and
turned by EXIF, a large PNG scan, a PDF scan) it times ``documents.validation.inspect_upload``
followed by ``strip_metadata`` and the SHA-256 of the stored bytes, exactly what
``documents.services.document_submit`` runs before it writes the object. CPU time of this
process and wall time; the medians of ``--repeats`` runs after two warm-up runs. A PDF's page
is drawn by a child process, so its cost shows in wall time (and the child's CPU time).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "filot.settings")

import django

django.setup()

from PIL import Image  # noqa: E402

from documents.sanitize import strip_metadata  # noqa: E402
from documents.services import upload_limits  # noqa: E402
from documents.validation import inspect_upload  # noqa: E402
from filot.testing.images import camera_photo, large_png_scan  # noqa: E402
from ocr_gpu.testing.cards import make_card  # noqa: E402


def _pdf_of(picture: bytes, dpi: int) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(picture)).convert("RGB").save(out, format="PDF", resolution=dpi)
    return out.getvalue()


def files() -> dict[str, bytes]:
    card, _ = make_card("ktp", "clean", 1)
    photo, _ = make_card("ktp", "hard", 1)
    return {
        "generated card, PNG 1012x638": card,
        "generated phone photo, JPEG ~1650x1240": photo,
        "12 MP camera photo, JPEG 4000x3000": camera_photo(card, seed=1),
        "12 MP camera photo held upright (EXIF 6)": camera_photo(card, seed=2, orientation=6),
        "large PNG scan, 3508x2480 (A4, 300 dpi)": large_png_scan(card),
        "PDF of a card scan (first page rendered)": _pdf_of(card, 150),
    }


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(data: bytes, repeats: int) -> dict[str, Any]:
    limits = upload_limits()
    cpu, wall, child = [], [], []
    for run in range(repeats + 2):
        started_cpu, started_wall, started_child = (
            time.process_time(),
            time.perf_counter(),
            _child_cpu(),
        )
        inspected = inspect_upload(data, limits)
        stored = strip_metadata(inspected.data, inspected.content_type)
        hashlib.sha256(stored).hexdigest()
        if run >= 2:  # warm-up runs are not counted
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started_wall) * 1000)
            child.append((_child_cpu() - started_child) * 1000)
    return {
        "upload_bytes": len(data),
        "stored": f"{inspected.content_type} {inspected.width}x{inspected.height}",
        "stored_bytes": len(stored),
        "cpu_ms_median": round(statistics.median(cpu), 1),
        "wall_ms_median": round(statistics.median(wall), 1),
        "wall_ms_max": round(max(wall), 1),
        "child_cpu_ms_median": round(statistics.median(child), 1),
        "runs": repeats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/intake.json"))
    args = parser.parse_args()

    results = {name: measure(data, args.repeats) for name, data in files().items()}
    header = (
        f"{'file':44} {'upload':>9} {'stored as':>22} {'cpu ms':>7} {'wall ms':>8} {'child':>6}"
    )
    print(header)
    for name, row in results.items():
        print(
            f"{name:44} {row['upload_bytes'] / 1e6:7.2f}MB {row['stored']:>22} "
            f"{row['cpu_ms_median']:7.1f} {row['wall_ms_median']:8.1f} "
            f"{row['child_cpu_ms_median']:6.0f}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                "repeats": args.repeats,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"\nmedians of {args.repeats} runs; written to {args.out}")


if __name__ == "__main__":
    main()
