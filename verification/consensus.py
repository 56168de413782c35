"""One set of fields from several independent reads of a card, with how far they agree.

An ``OcrResult`` carries up to four reads of the same card: the primary engine's lines, the same
lines with every number re-read from its own box (PP-OCR at another scale; Tesseract with a digit
whitelist), and the second engine's whole-card read. Each read is parsed on its own; then

* an identity number (NIK, NPWP, the NIK line of an NPWP) is chosen among the values the reads
  gave - never built from pieces or guessed - by validity first (NIK structure, birth date and
  sex against the printed ones; NPWP check digit, NPWP16 equal to the NIK line), then by how
  many engines and reads gave it, then the primary read;
* every other field keeps the primary read's value (the second read's when the primary has none).

A value is ``confirmed`` when reads of two different engines gave exactly it, ``disagree`` when
another engine read something else, ``single`` when no other engine read the field. Only
confirmed identity fields may be approved without a person (``verification.checks``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ocr_gpu.result import Line, OcrResult, Word
from verification import nik as nik_rules
from verification import npwp as npwp_rules
from verification.fields import Field
from verification.textfix import parse_iso

CONFIRMED, SINGLE, DISAGREE = "confirmed", "single", "disagree"
# The fields that identify the holder: each must be confirmed for an automatic approval.
IDENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "ktp": ("nik", "nama", "tanggal_lahir", "jenis_kelamin"),
    "npwp": ("npwp", "nama", "nik"),
}
NUMBER_FIELDS: dict[str, tuple[str, ...]] = {"ktp": ("nik",), "npwp": ("nik", "npwp")}
NUMBER_LENGTHS = {"nik": (nik_rules.NIK_LENGTH,), "npwp": (15, 16)}


@dataclass(frozen=True)
class Read:
    name: str  # "ppocr", "ppocr:rescaled", "tesseract:digits", "tesseract"...
    engine: str  # reads of one engine are not independent of each other
    ocr: OcrResult


def _with_alternative(lines: list[Line], method: str) -> tuple[list[Line], str] | None:
    """The lines with each number word replaced by its ``method`` re-read (None if none)."""
    engine = ""
    out = []
    for line in lines:
        words = []
        for word in line.words:
            alternative = next((a for a in word.alternatives if a.method == method), None)
            if alternative is not None:
                engine = alternative.engine
                word = Word(text=alternative.text, confidence=alternative.confidence, box=word.box)
            words.append(word)
        text = " ".join(w.text for w in words) if words else line.text
        out.append(replace(line, words=tuple(words), text=text))
    return (out, engine) if engine else None


def reads_of(ocr: OcrResult) -> list[Read]:
    """Every independent read in ``ocr``: the primary first."""
    reads = [Read(ocr.engine, ocr.engine, ocr)]
    methods = sorted({a.method for line in ocr.lines for w in line.words for a in w.alternatives})
    for method in methods:
        found = _with_alternative(ocr.lines, method)
        if found is not None:
            lines, engine = found
            reads.append(Read(f"{engine}:{method}", engine, replace(ocr, lines=lines)))
    if ocr.second_lines:
        second = OcrResult(lines=ocr.second_lines, card_size=ocr.card_size)
        engine = ocr.second_engine or "second"
        reads.append(Read(engine, engine, second))
    return reads


Parse = Callable[[OcrResult], dict[str, Field]]


def merge(reads: list[Read], doc_type: str | None, parse: Parse) -> dict[str, Field]:
    """The fields of the card from all reads, each with its agreement (see module docstring)."""
    parsed = [(read, parse(read.ocr)) for read in reads]
    if not parsed:
        return {}
    primary = parsed[0][1]
    numbers = NUMBER_FIELDS.get(doc_type or "", ())
    names = list(dict.fromkeys([*primary, *(n for _, fields in parsed[1:] for n in fields)]))
    merged: dict[str, Field] = {}
    for name in names:
        if name not in numbers:
            merged[name] = _merge_text(name, parsed)
    for name in numbers:
        if any(name in fields for _, fields in parsed):
            merged[name] = _merge_number(name, doc_type or "", parsed, merged)
    order = {name: index for index, name in enumerate(names)}
    return dict(sorted(merged.items(), key=lambda item: order.get(item[0], len(order))))


def _merge_text(name: str, parsed: list[tuple[Read, dict[str, Field]]]) -> Field:
    primary_read, primary = parsed[0]
    chosen_read, chosen = primary_read, primary.get(name)
    if chosen is None or not chosen.value:
        for read, fields in parsed[1:]:
            candidate = fields.get(name)
            if candidate is not None and candidate.value:
                chosen_read, chosen = read, candidate
                break
    if chosen is None:
        return Field(value=None, raw="", confidence=0.0)
    if not chosen.value:
        return chosen
    return _judged(chosen, chosen_read, parsed, name)


def _judged(
    field: Field, chosen_read: Read, parsed: list[tuple[Read, dict[str, Field]]], name: str
) -> Field:
    agreeing = [r for r, f in parsed if name in f and f[name].value == field.value]
    other_engines = {
        r.engine
        for r, f in parsed
        if r.engine != chosen_read.engine and name in f and f[name].value
    }
    engines = {r.engine for r in agreeing}
    if len(engines) >= 2:
        agreement = CONFIRMED
    elif other_engines:
        agreement = DISAGREE
    else:
        agreement = SINGLE
    return replace(field, agreement=agreement, sources=tuple(r.name for r in agreeing))


def _merge_number(
    name: str, doc_type: str, parsed: list[tuple[Read, dict[str, Field]]], printed: dict[str, Field]
) -> Field:
    lengths = NUMBER_LENGTHS.get(name, ())
    if doc_type == "npwp" and name == "npwp":
        lengths = (15, 16)
    candidates: dict[str, list[tuple[Read, Field]]] = {}
    for read, fields in parsed:
        found = fields.get(name)
        if found is not None and found.value and len(found.value) in lengths:
            candidates.setdefault(found.value, []).append((read, found))
    if not candidates:
        return _merge_text(name, parsed)
    others = {other: [f.get(other) for _, f in parsed] for other in NUMBER_FIELDS.get(doc_type, ())}

    def rank(item: tuple[str, list[tuple[Read, Field]]]) -> tuple[int, int, int, int, int]:
        value, support = item
        valid, matches = _validity(name, value, doc_type, printed, others)
        engines = len({read.engine for read, _ in support})
        is_primary = int(any(read is parsed[0][0] for read, _ in support))
        return (int(valid), matches, engines, len(support), is_primary)

    _, support = max(candidates.items(), key=rank)
    chosen_read, chosen = next(
        ((r, f) for r, f in support if r is parsed[0][0]),
        support[0],
    )
    return _judged(chosen, chosen_read, parsed, name)


def _validity(
    name: str,
    value: str,
    doc_type: str,
    printed: dict[str, Field],
    others: dict[str, list[Field | None]],
) -> tuple[bool, int]:
    """(structurally valid, how many printed facts it agrees with)."""
    if name == "nik":
        valid = not nik_rules.problems(value)
        matches = 0
        parts = nik_rules.split(value)
        birth = parse_iso(printed["tanggal_lahir"].value) if "tanggal_lahir" in printed else None
        sex = printed["jenis_kelamin"].value if "jenis_kelamin" in printed else None
        if parts is not None and birth is not None:
            matches += int(
                (parts.birth_day, parts.month, parts.year2)
                == (birth.day, birth.month, birth.year % 100)
            )
        if parts is not None and sex:
            matches += int(parts.female == (sex == "PEREMPUAN"))
        if doc_type == "npwp":
            matches += int(any(f is not None and f.value == value for f in others.get("npwp", [])))
        return valid, matches
    # an NPWP number
    valid = npwp_rules.is_valid(value)
    matches = 0
    if npwp_rules.kind(value) == npwp_rules.NIK16:
        matches += int(any(f is not None and f.value == value for f in others.get("nik", [])))
    return valid, matches
