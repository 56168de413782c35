"""``manage.py verify_document PATH...``: OCR, parse and assess local files without the API.

Needs no database, Redis or network: thresholds and OCR settings come from Django settings,
the context is today's date with no profile name, counterpart or duplicates. Output is for the
operator's terminal (it shows the card's fields); nothing is logged beyond codes and timings.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ocr_gpu.loading import ImageUnreadable
from ocr_gpu.pipeline import run_ocr
from ocr_gpu.tesseract import OcrEngineError, OcrTimeout
from verification.engine import Context, assess, parse
from verification.verdicts import CheckStatus


class FileError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class Command(BaseCommand):
    help = "Run OCR, parsing and the verification checks on local KTP/NPWP images or PDFs."
    requires_system_checks: list[str] = []  # offline tool: no database, no Redis

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--type",
            choices=("ktp", "npwp"),
            default=None,
            dest="doc_type",
            help="declared document type (default: detect it)",
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per line and file")
        parser.add_argument(
            "--profile-name", default="", help="compare the card name with this name"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failures = 0
        for path in options["paths"]:
            try:
                report = self.verify(path, options["doc_type"], options["profile_name"])
            except FileError as error:
                failures += 1
                self.emit_error(path, error, as_json=options["json"])
                continue
            if options["json"]:
                self.stdout.write(json.dumps(report, ensure_ascii=False))
            else:
                self.stdout.write(format_report(report))
        if failures:
            raise CommandError(f"{failures} file(s) could not be verified", returncode=2)

    def verify(self, path: Path, doc_type: str | None, profile_name: str) -> dict[str, Any]:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise FileError("file_unreadable", f"cannot read the file: {error.strerror}") from error
        try:
            ocr = run_ocr(
                data,
                doc_type,
                gpu_enabled=settings.OCR_GPU_ENABLED,
                languages=settings.OCR_LANGUAGES,
                timeout_s=float(settings.OCR_SOFT_TIME_LIMIT),
                engine=settings.OCR_ENGINE,
            )
        except ImageUnreadable as error:
            raise FileError(error.code, error.message) from error
        except (OcrTimeout, OcrEngineError) as error:
            raise FileError(error.code, str(error)) from error
        started = time.perf_counter()
        parsed = parse(ocr, doc_type)
        parsed_at = time.perf_counter()
        assessment = assess(
            parsed,
            ocr.quality,
            Context(today=timezone.localdate(), profile_name=profile_name),
            approve_at=settings.AI_SCORE_THRESHOLD_AUTO_APPROVE,
            reject_at=settings.AI_SCORE_THRESHOLD_AUTO_REJECT,
        )
        finished = time.perf_counter()
        timings = dict(ocr.timings_ms)
        timings["parse"] = round((parsed_at - started) * 1000, 1)
        timings["assess"] = round((finished - parsed_at) * 1000, 1)
        return {
            "file": str(path),
            "doc_type": parsed.detected_type,
            "fields": {name: f.to_dict() for name, f in parsed.fields.items()},
            "checks": [c.to_dict() for c in assessment.checks],
            "quality": ocr.quality,
            "score": assessment.score,
            "decision": assessment.decision,
            "reasons": assessment.reasons,
            "breakdown": assessment.breakdown,
            "timings_ms": timings,
        }

    def emit_error(self, path: Path, error: FileError, *, as_json: bool) -> None:
        if as_json:
            line = {"file": str(path), "error": {"code": error.code, "message": error.message}}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
        else:
            self.stderr.write(f"{path}: error {error.code}: {error.message}")


def format_report(report: dict[str, Any]) -> str:
    """The human-readable form of one file's report."""
    lines = [
        f"{report['file']}: {report['doc_type']} score {report['score']} -> {report['decision']}"
        + (f" ({', '.join(report['reasons'])})" if report["reasons"] else "")
    ]
    lines.append("  fields:")
    for name, value in report["fields"].items():
        shown = value["value"] if value["value"] is not None else f"? (read {value['raw']!r})"
        lines.append(f"    {name:<22} {shown}  [{value['confidence']:.0f}]")
    lines.append("  checks:")
    for check in report["checks"]:
        if check["status"] == CheckStatus.SKIP:
            continue
        reason = f" [{check['reason']}]" if check["reason"] else ""
        lines.append(f"    {check['status']:<5} {check['code']:<24} {check['message']}{reason}")
    components = report["breakdown"].get("components", {})
    parts = ", ".join(f"{k} {v['earned']}/{v['points']}" for k, v in components.items())
    caps = ", ".join(f"{c['name']}<={c['limit']}" for c in report["breakdown"].get("caps", []))
    lines.append(f"  score: {parts}" + (f"; caps {caps}" if caps else ""))
    total = report["timings_ms"].get("total", 0.0)
    lines.append(f"  ocr {total:.0f} ms")
    return "\n".join(lines)
