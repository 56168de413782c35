"""``manage.py generate_cards OUT_DIR``: synthetic KTP/NPWP images with ground-truth JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from filot.progress import Counter
from ocr_gpu.testing.cards import FAMILIES, make_card
from ocr_gpu.testing.degrade import LEVELS

DOC_TYPES = ("ktp", "npwp")


def family_for(seed: int, choice: str) -> str:
    """The layout family of card ``seed``: the one asked for, or spread evenly over all."""
    return FAMILIES[seed % len(FAMILIES)] if choice == "all" else choice


class Command(BaseCommand):
    help = (
        "Write synthetic KTP/NPWP card images (<type>_<family>_<level>_<seed>.png|.jpg) and "
        "their ground truth (.json: doc_type, level, seed, family, fields)."
    )
    requires_system_checks: list[str] = []  # pure file generation: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out_dir", type=Path)
        parser.add_argument("--count", type=int, default=10, help="cards per type and level")
        parser.add_argument("--level", choices=[*LEVELS, "all"], default="all")
        parser.add_argument("--type", choices=[*DOC_TYPES, "all"], default="all", dest="doc_type")
        parser.add_argument(
            "--family",
            choices=[*FAMILIES, "all"],
            default="all",
            help="layout family; 'all' spreads the cards over every family (by seed)",
        )
        parser.add_argument("--seed", type=int, default=0, help="first seed; card i uses seed+i")
        parser.add_argument(
            "--camera",
            action="store_true",
            help="mild and hard photos at a phone camera's size (8 or 12 MP, a few MB each)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out_dir: Path = options["out_dir"]
        out_dir.mkdir(parents=True, exist_ok=True)
        levels = LEVELS if options["level"] == "all" else (options["level"],)
        doc_types = DOC_TYPES if options["doc_type"] == "all" else (options["doc_type"],)
        camera: bool = options["camera"]
        written = 0
        bar = Counter(
            total=len(doc_types) * len(levels) * options["count"], desc="cards", unit="card"
        )
        for doc_type in doc_types:
            for level in levels:
                for index in range(options["count"]):
                    seed = options["seed"] + index
                    family = family_for(seed, options["family"])
                    data, truth = make_card(doc_type, level, seed, family=family, camera=camera)
                    name = f"{doc_type}_{family}_{level}_{seed:05d}"
                    suffix = ".png" if level == "clean" else ".jpg"
                    (out_dir / f"{name}{suffix}").write_bytes(data)
                    (out_dir / f"{name}.json").write_text(
                        json.dumps(truth, indent=2, ensure_ascii=False) + "\n"
                    )
                    written += 1
                    bar.update()
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"wrote {written} cards to {out_dir}"))
