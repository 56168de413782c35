"""The extracted-field value object shared by the parsers, checks and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Field:
    """One extracted field.

    ``value`` is normalised (upper case, wrapped lines joined by one space, dates
    ``YYYY-MM-DD``, NIK/NPWP digits only, RT/RW ``001/002``) or ``None`` when the text could not
    be turned into a valid value; ``raw`` keeps what OCR read; ``confidence`` is the mean
    engine confidence (0-100) of the words the value came from; ``box`` is ``(x, y, w, h)``
    in canonical card coordinates, ``None`` when unknown.

    ``agreement`` says how the independent reads of the card (``verification.consensus``)
    bear the value out: ``confirmed`` (two engines read exactly this value), ``single`` (only
    one engine read the field), ``disagree`` (the engines read different values), ``unsure``
    (an identity number both engines read alike, each less sure of it than of a number it reads
    right), ``letters_lost`` (a name both engines read alike on a card where a read lost an ``I``
    of a printed word, so the name may have lost one too), ``u_or_v`` (a name both engines read
    alike with a U where a V reads as well: between two vowels, or a word's first letter before
    one), ``words_joined`` (a name both engines read alike with a word longer than names' words
    run: words read as one), ``outread`` (a name both engines read alike whose box PP-OCRv4 reads
    with other letters, surer of them), ``space_seen`` (a name both engines read alike with a
    space inside one of its words that PP-OCRv4's read of its box or the card's print shows),
    ``region_off`` (a KTP's NIK both engines read alike whose regency code is one look-alike
    digit off the regency the header names); empty when not assessed. ``sources`` names the
    reads that gave this exact value.
    """

    value: str | None
    raw: str
    confidence: float
    box: Box | None = None
    agreement: str = ""
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "value": self.value,
            "raw": self.raw,
            "confidence": round(float(self.confidence), 2),
            "box": list(self.box) if self.box is not None else None,
        }
        if self.agreement:
            data["agreement"] = self.agreement
            data["sources"] = list(self.sources)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Field:
        box = data.get("box")
        return cls(
            value=data.get("value"),
            raw=str(data.get("raw", "")),
            confidence=float(data.get("confidence", 0.0)),
            box=(int(box[0]), int(box[1]), int(box[2]), int(box[3])) if box else None,
            agreement=str(data.get("agreement", "")),
            sources=tuple(str(s) for s in data.get("sources", ())),
        )
