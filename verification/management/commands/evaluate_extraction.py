"""``manage.py evaluate_extraction DIR``: field accuracy and decisions over generated cards."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from filot.progress import progress
from ocr_gpu.pipeline import ENGINES
from ocr_gpu.testing.degrade import LEVELS
from verification.evaluation import (
    Settings,
    compare_families,
    evaluate_folder,
    format_comparison,
    format_summary,
    summarise,
    write_tampered_cards,
)


class Command(BaseCommand):
    help = (
        "OCR, parse and assess every card in DIR (images with ground-truth JSON beside them, as "
        "written by generate_cards) and print per-field exact-match accuracy by type and level, "
        "number exact-match and the decisions (valid cards are expected to be auto-approved)."
    )
    requires_system_checks: list[str] = []  # files only: no database, no Redis

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")
        parser.add_argument("--workers", type=int, default=1, help="parallel OCR processes")
        parser.add_argument(
            "--today", type=date.fromisoformat, default=None, help="reference date (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--add-tampered",
            type=int,
            default=0,
            metavar="N",
            help="first write N tampered KTPs of each kind into DIR",
        )
        parser.add_argument("--tampered-level", choices=LEVELS, default="clean")
        parser.add_argument(
            "--engine", choices=ENGINES, default=None, help="OCR engine (default: OCR_ENGINE)"
        )
        parser.add_argument(
            "--by-family", action="store_true", help="report each card family separately"
        )
        parser.add_argument(
            "--held-out",
            metavar="FAMILY",
            default="",
            help="leave-one-family-out: put the figures of FAMILY (never tuned on) beside the "
            "figures of the other families",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["folder"]
        if options["add_tampered"]:
            folder.mkdir(parents=True, exist_ok=True)
            write_tampered_cards(folder, options["add_tampered"], options["tampered_level"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        run = Settings(
            today=options["today"] or timezone.localdate(),
            approve_at=settings.AI_SCORE_THRESHOLD_AUTO_APPROVE,
            reject_at=settings.AI_SCORE_THRESHOLD_AUTO_REJECT,
            gpu_enabled=settings.OCR_GPU_ENABLED,
            languages=settings.OCR_LANGUAGES,
            timeout_s=float(settings.OCR_SOFT_TIME_LIMIT),
            engine=options["engine"] or settings.OCR_ENGINE,
        )
        results = evaluate_folder(
            folder,
            run,
            workers=max(1, options["workers"]),
            progress=lambda items, total: progress(
                items, total=total, desc="cards", unit="card", quiet=options["json"]
            ),
        )
        if not results:
            raise CommandError(f"no card images with ground truth in {folder}")
        summary = summarise(results, by_family=options["by_family"])
        comparison = compare_families(results, options["held_out"]) if options["held_out"] else None
        if options["json"]:
            payload = {**summary, "comparison": comparison} if comparison else summary
            self.stdout.write(json.dumps(payload, sort_keys=True))
            return
        self.stdout.write(format_summary(summary))
        if comparison:
            self.stdout.write("")
            self.stdout.write(format_comparison(comparison))
