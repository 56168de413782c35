"""Extraction and decision accuracy over generated cards with ground truth.

The folder format is ``manage.py generate_cards``'s: ``<name>.png|.jpg`` beside ``<name>.json``
holding ``{"doc_type", "level", "seed", "fields"}``. A truth file may also carry ``"tamper"``
(written by ``write_tampered_cards``): such a card is internally inconsistent and must not be
auto-approved. Everything else is a valid card and is expected to be auto-approved. A field
the card does not print (the NIK line of an older NPWP) is left out of ``fields``, or given as
``""`` or ``null``: FiLot must then return no value for it.

Pure and picklable so the benchmark and the ``evaluate_extraction`` command can fan out over a
process pool.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ocr_gpu.pipeline import run_ocr
from ocr_gpu.testing.cards import random_ktp
from ocr_gpu.testing.degrade import Level, degrade
from ocr_gpu.testing.render import render_ktp
from verification.engine import Context, assess, parse
from verification.scoring import AUTO_APPROVED, AUTO_REJECTED

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
NUMBER_FIELD = {"ktp": "nik", "npwp": "npwp"}
# Fields that name the holder: an automatic approval with any of them wrong is the worst error.
IDENTITY_TRUTH = {"ktp": ("nik", "nama", "tanggal_lahir"), "npwp": ("npwp", "nama", "nik")}
DEFAULT_FAMILY = "a"  # cards written before families existed
TAMPER_KINDS = ("nik_digit", "sex_swap", "dob_shift")


@dataclass(frozen=True)
class Settings:
    today: date
    approve_at: int = 85
    reject_at: int = 35
    gpu_enabled: bool = False
    languages: str = "ind+eng"
    timeout_s: float = 60.0
    engine: str = "auto"
    second_opinion: bool = True


@dataclass
class CardResult:
    name: str
    doc_type: str
    level: str
    tamper: str | None
    family: str = DEFAULT_FAMILY
    matches: dict[str, bool] = field(default_factory=dict)  # field name -> exact match
    decision: str = ""
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    error: str | None = None
    ms: float = 0.0


def find_cards(folder: Path) -> list[tuple[Path, Path]]:
    """(image, truth) pairs in ``folder``, sorted by name."""
    pairs = []
    for truth in sorted(folder.glob("*.json")):
        image = next(
            (truth.with_suffix(s) for s in IMAGE_SUFFIXES if truth.with_suffix(s).exists()), None
        )
        if image is not None:
            pairs.append((image, truth))
    return pairs


def evaluate_card(image: Path, truth_path: Path, settings: Settings) -> CardResult:
    """OCR, parse and assess one card against its ground truth (errors are recorded)."""
    truth = json.loads(truth_path.read_text())
    doc_type = str(truth["doc_type"])
    result = CardResult(
        name=image.name,
        doc_type=doc_type,
        level=str(truth["level"]),
        tamper=truth.get("tamper"),
        family=str(truth.get("family") or DEFAULT_FAMILY),
    )
    try:
        ocr = run_ocr(
            image.read_bytes(),
            doc_type,
            gpu_enabled=settings.gpu_enabled,
            languages=settings.languages,
            timeout_s=settings.timeout_s,
            engine=settings.engine,
            second_opinion=settings.second_opinion,
        )
    except Exception as error:  # noqa: BLE001 - one bad card must not stop the evaluation
        result.error = getattr(error, "code", type(error).__name__)
        return result
    parsed = parse(ocr, doc_type)
    result.matches = {
        name: field_matches(parsed.value(name), expected)
        for name, expected in truth["fields"].items()
    }
    assessment = assess(
        parsed,
        ocr.quality,
        Context(today=settings.today),
        approve_at=settings.approve_at,
        reject_at=settings.reject_at,
    )
    result.decision = assessment.decision
    result.score = assessment.score
    result.reasons = assessment.reasons
    result.ms = float(ocr.timings_ms.get("total", 0.0))
    return result


def field_matches(value: str | None, expected: str | None) -> bool:
    """Whether FiLot's ``value`` is the truth's ``expected``; an empty ``expected`` marks a
    field the card does not print, which FiLot must leave empty too."""
    if not expected:
        return not value
    return value == expected


def _evaluate_pair(args: tuple[Path, Path, Settings]) -> CardResult:
    return evaluate_card(*args)


def evaluate_folder(
    folder: Path,
    settings: Settings,
    workers: int = 1,
    progress: Callable[[Iterable[CardResult], int], Iterable[CardResult]] | None = None,
) -> list[CardResult]:
    """Every card of ``folder``, in order; ``progress(results, total)`` may wrap the results
    as they come (a terminal's progress bar)."""
    jobs = [(image, truth, settings) for image, truth in find_cards(folder)]
    watch = progress or (lambda results, total: results)
    if workers <= 1:
        return list(watch((_evaluate_pair(job) for job in jobs), len(jobs)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(watch(pool.map(_evaluate_pair, jobs, chunksize=4), len(jobs)))


def _share(hits: int, total: int) -> float:
    return round(100.0 * hits / total, 2) if total else 0.0


def _group(cards: list[CardResult]) -> dict[str, Any]:
    read = [c for c in cards if c.error is None]
    names = sorted({name for c in read for name in c.matches})
    number = NUMBER_FIELD[cards[0].doc_type]
    identity = IDENTITY_TRUTH[cards[0].doc_type]
    wrong_approvals = [
        c
        for c in read
        if c.decision == AUTO_APPROVED and not all(c.matches.get(n, True) for n in identity)
    ]
    return {
        "cards": len(cards),
        "errors": len(cards) - len(read),
        "number_field": number,
        "number_exact": _share(sum(c.matches.get(number, False) for c in read), len(cards)),
        "all_fields_exact": _share(sum(all(c.matches.values()) for c in read), len(cards)),
        # each field over the cards that print it (an older NPWP has no NIK line); a card that
        # could not be read misses every field
        "fields": {
            name: _share(
                sum(c.matches.get(name, False) for c in read),
                sum(name in c.matches for c in read) + len(cards) - len(read),
            )
            for name in names
        },
        "decisions": dict(Counter(c.decision or "error" for c in cards)),
        "auto_approved": _share(sum(c.decision == AUTO_APPROVED for c in cards), len(cards)),
        "auto_rejected": _share(sum(c.decision == AUTO_REJECTED for c in cards), len(cards)),
        "wrong_auto_approvals": len(wrong_approvals),
        "reasons": dict(Counter(r for c in cards for r in c.reasons).most_common()),
        "median_ms": sorted(c.ms for c in read)[len(read) // 2] if read else 0.0,
    }


def summarise(results: Iterable[CardResult], by_family: bool = False) -> dict[str, Any]:
    """Per (doc_type, level), or per (family, doc_type, level): field exact-match %, number
    exact-match %, decisions, wrong identities approved; plus the tampered cards' decisions."""
    groups: dict[str, list[CardResult]] = defaultdict(list)
    tampered: list[CardResult] = []
    for result in results:
        key = f"{result.doc_type}/{result.level}"
        if by_family:
            key = f"{result.family}/{key}"
        (tampered if result.tamper else groups[key]).append(result)
    summary: dict[str, Any] = {"groups": {}, "tampered": {}}
    for key in sorted(groups):
        summary["groups"][key] = _group(groups[key])
    by_kind: dict[str, list[CardResult]] = defaultdict(list)
    for result in tampered:
        by_kind[str(result.tamper)].append(result)
    for kind in sorted(by_kind):
        cards = by_kind[kind]
        summary["tampered"][kind] = {
            "cards": len(cards),
            "decisions": dict(Counter(c.decision or "error" for c in cards)),
            "false_accepts": sum(c.decision == AUTO_APPROVED for c in cards),
        }
    return summary


def compare_families(results: Iterable[CardResult], held_out: str) -> dict[str, Any]:
    """Leave-one-family-out: the same measures on the families the code was tuned on and on
    the ``held_out`` family it never saw, per (doc_type, level)."""
    sides: dict[str, dict[str, list[CardResult]]] = {"tuned": defaultdict(list)}
    sides["held_out"] = defaultdict(list)
    for result in results:
        if result.tamper:
            continue
        side = "held_out" if result.family == held_out else "tuned"
        sides[side][f"{result.doc_type}/{result.level}"].append(result)
    return {
        "held_out_family": held_out,
        "tuned_families": sorted({r.family for r in results if r.family != held_out}),
        "groups": {
            side: {key: _group(cards) for key, cards in sorted(groups.items())}
            for side, groups in sides.items()
        },
    }


def format_comparison(comparison: dict[str, Any]) -> str:
    """A Markdown table of ``compare_families``: tuned and held-out figures side by side."""
    tuned, held = comparison["groups"]["tuned"], comparison["groups"]["held_out"]
    lines = [
        f"tuned families: {', '.join(comparison['tuned_families']) or '-'}; "
        f"held-out family: {comparison['held_out_family']}",
        "",
        "| type/level | number exact (tuned / held out) | all fields exact | auto-approved "
        "| auto-rejected | wrong identities approved |",
        "|---|---|---|---|---|---|",
    ]

    def pair(key: str, measure: str, unit: str = "%") -> str:
        left = tuned.get(key, {}).get(measure)
        right = held.get(key, {}).get(measure)
        show = [f"{v:g}{unit}" if v is not None else "-" for v in (left, right)]
        return " / ".join(show)

    for key in sorted(set(tuned) | set(held)):
        lines.append(
            f"| {key} | {pair(key, 'number_exact')} | {pair(key, 'all_fields_exact')} | "
            f"{pair(key, 'auto_approved')} | {pair(key, 'auto_rejected')} | "
            f"{pair(key, 'wrong_auto_approvals', '')} |"
        )
    return "\n".join(lines)


def format_summary(summary: dict[str, Any]) -> str:
    """A plain-text report of ``summarise``'s output."""
    lines = []
    for key, group in summary["groups"].items():
        lines.append(
            f"{key}: {group['cards']} cards, {group['errors']} errors, "
            f"{group['number_field']} exact {group['number_exact']}%, "
            f"all fields exact {group['all_fields_exact']}%, "
            f"auto_approved {group['auto_approved']}%, auto_rejected {group['auto_rejected']}%, "
            f"wrong identities approved {group['wrong_auto_approvals']}, "
            f"median {group['median_ms']:.0f} ms"
        )
        for name, share in group["fields"].items():
            lines.append(f"    {name:<22} {share:6.2f}%")
        decisions = ", ".join(f"{k}={v}" for k, v in sorted(group["decisions"].items()))
        lines.append(f"    decisions (expected auto_approved): {decisions}")
        if group["reasons"]:
            reasons = ", ".join(f"{k}={v}" for k, v in group["reasons"].items())
            lines.append(f"    reasons: {reasons}")
    for kind, group in summary["tampered"].items():
        decisions = ", ".join(f"{k}={v}" for k, v in sorted(group["decisions"].items()))
        lines.append(
            f"tampered/{kind}: {group['cards']} cards, false accepts {group['false_accepts']}; "
            f"{decisions}"
        )
    return "\n".join(lines)


def results_as_dicts(results: Iterable[CardResult]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]


# --- tampered cards -----------------------------------------------------------------------------


def tampered_fields(kind: str, rng: random.Random) -> dict[str, str]:
    """A KTP whose printed fields contradict each other in one way a forger would produce.

    ``nik_digit``: one digit of the NIK's birth-date part changed; ``sex_swap``: the printed
    sex flipped; ``dob_shift``: the printed birth date moved by 1-400 days. (A changed serial
    or kecamatan digit is undetectable offline: the card stays self-consistent.)
    """
    fields = random_ktp(rng)
    if kind == "nik_digit":
        nik = fields["nik"]
        position = rng.randint(6, 11)
        digit = rng.choice([d for d in "0123456789" if d != nik[position]])
        return {**fields, "nik": nik[:position] + digit + nik[position + 1 :]}
    if kind == "sex_swap":
        swapped = "PEREMPUAN" if fields["jenis_kelamin"] == "LAKI-LAKI" else "LAKI-LAKI"
        return {**fields, "jenis_kelamin": swapped}
    if kind == "dob_shift":
        birth = date.fromisoformat(fields["tanggal_lahir"])
        shift = timedelta(days=rng.choice([-1, 1]) * rng.randint(1, 400))
        return {**fields, "tanggal_lahir": (birth + shift).isoformat()}
    raise ValueError(f"unknown tamper kind {kind!r}")


def write_tampered_cards(folder: Path, count: int, level: Level = "clean", seed: int = 0) -> int:
    """Write ``count`` tampered KTPs of each kind (image + truth with ``"tamper"``)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for kind in TAMPER_KINDS:
        for index in range(count):
            rng = random.Random(f"tamper:{kind}:{level}:{seed + index}")
            fields = tampered_fields(kind, rng)
            data = degrade(render_ktp(fields, rng=rng), level, rng)
            name = f"tampered_{kind}_{level}_{seed + index:05d}"
            suffix = ".png" if level == "clean" else ".jpg"
            (folder / f"{name}{suffix}").write_bytes(data)
            truth = {
                "doc_type": "ktp",
                "level": level,
                "seed": seed + index,
                "tamper": kind,
                "fields": fields,
            }
            (folder / f"{name}.json").write_text(json.dumps(truth, indent=2) + "\n")
            written += 1
    return written
