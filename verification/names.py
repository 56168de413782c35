"""Indonesian personal names: normalisation and tolerant comparison.

Names on a KTP, an NPWP and a user's profile differ in ways that are not a different person:
titles (DR., IR., H., HJ., PROF.), academic degrees (S.KOM, S.E., M.M.), ``BIN``/``BINTI``
patronymic markers, punctuation, spacing and letter case. ``normalise_name`` removes those;
``compare_names`` then scores what is left, and ``profile_match`` is more tolerant (a display
name may be a short or informal form of the legal name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from verification.verdicts import CheckStatus

TITLES = frozenset(
    {
        "DR",
        "DRS",
        "DRA",
        "DRG",
        "IR",
        "H",
        "HJ",
        "HAJI",
        "HAJJAH",
        "PROF",
        "KH",
        "NY",
        "NN",
        "TN",
        "SDR",
        "SDRI",
        "BPK",
        "IBU",
        "MR",
        "MRS",
        "MS",
    }
)
DEGREES = frozenset(
    {
        "SE",
        "SH",
        "ST",
        "SPD",
        "SPDI",
        "SKOM",
        "SSOS",
        "SSI",
        "SIP",
        "SKM",
        "SKED",
        "SAG",
        "SPSI",
        "SFARM",
        "SHUT",
        "SP",
        "SSN",
        "STP",
        "SKEP",
        "SIKOM",
        "MM",
        "MBA",
        "MSI",
        "MSC",
        "MKOM",
        "MT",
        "MH",
        "MPD",
        "MAG",
        "MKES",
        "MHUM",
        "MAP",
        "MAK",
        "ME",
        "AMD",
        "AMK",
        "AMKEB",
        "BSC",
        "BA",
        "PHD",
        "LLM",
        "SPA",
        "SPOG",
        "SPPD",
        "SPB",
    }
)
PATRONYMIC = frozenset({"BIN", "BINTI", "BT", "BTE"})
_DOTTED_DEGREE = re.compile(r"^(?:[A-Z]{1,3}\.)+[A-Z]{0,6}\.?$")


def _is_dotted_degree(token: str) -> bool:
    bare = re.sub(r"[^A-Z]", "", token)
    return "." in token and len(bare) >= 2 and bool(_DOTTED_DEGREE.match(token))


def _strip_once(name: str) -> str:
    text = name.upper().replace(",", " , ")
    tokens: list[tuple[str, str, bool]] = []  # (token, letters only, after a comma)
    after_comma = False
    for token in text.split():
        if token == ",":  # noqa: S105 - a comma separates the name from trailing degrees
            after_comma = True
            continue
        bare = re.sub(r"[^A-Z]", "", token)
        if bare and bare not in PATRONYMIC:
            tokens.append((token, bare, after_comma))
    start, end = 0, len(tokens)
    while start < end and tokens[start][1] in TITLES:
        start += 1
    while end > start and (tokens[end - 1][1] in DEGREES or _is_dotted_degree(tokens[end - 1][0])):
        end -= 1
    kept = [
        bare
        for token, bare, comma in tokens[start:end]
        if not ("." in token and bare in TITLES)
        and not (comma and (bare in DEGREES or _is_dotted_degree(token)))
    ]
    return " ".join(kept)


def normalise_name(name: str) -> str:
    """Upper case, titles / degrees / BIN / BINTI and punctuation removed, single spaces.

    Idempotent: ``normalise_name(normalise_name(x)) == normalise_name(x)``.
    """
    current = _strip_once(name)
    while True:  # each pass only removes tokens, so this ends
        following = _strip_once(current)
        if following == current:
            return current
        current = following


@dataclass(frozen=True)
class NameMatch:
    score: float  # 0-100
    status: CheckStatus  # pass, warn or fail


def _score(a: str, b: str) -> float:
    return max(
        fuzz.token_sort_ratio(a, b),
        fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
    )


def compare_names(a: str, b: str, *, pass_at: float = 90.0, warn_at: float = 75.0) -> NameMatch:
    """Two legal names (KTP vs NPWP): pass when the normalised names agree up to OCR slips."""
    left, right = normalise_name(a), normalise_name(b)
    if not left or not right:
        return NameMatch(0.0, CheckStatus.FAIL)
    score = 100.0 if left == right else _score(left, right)
    if score >= pass_at:
        return NameMatch(score, CheckStatus.PASS)
    subset = set(left.split()) <= set(right.split()) or set(right.split()) <= set(left.split())
    if score >= warn_at or subset:
        return NameMatch(score, CheckStatus.WARN)
    return NameMatch(score, CheckStatus.FAIL)


def profile_match(profile: str, legal: str) -> NameMatch:
    """A user's display name against the legal name: a short form or a partial name passes."""
    left, right = normalise_name(profile), normalise_name(legal)
    if not left or not right:
        return NameMatch(0.0, CheckStatus.FAIL)
    score = max(_score(left, right), float(fuzz.token_set_ratio(left, right)))
    if score >= 85:
        return NameMatch(score, CheckStatus.PASS)
    if score >= 65:
        return NameMatch(score, CheckStatus.WARN)
    return NameMatch(score, CheckStatus.FAIL)
