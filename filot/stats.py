"""Small statistics for decision quality: a proportion's confidence interval and agreement.

Both are textbook formulas, written out here rather than pulled in with SciPy or statsmodels
(hundreds of megabytes for two functions); the tests check them against worked values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Z_95 = 1.959963984540054  # the 97.5 % quantile of the standard normal distribution


@dataclass(frozen=True)
class Proportion:
    """``hits`` of ``n`` with its Wilson score interval (``low``/``high`` None when n == 0)."""

    hits: int
    n: int
    low: float | None
    high: float | None

    @property
    def rate(self) -> float | None:
        return self.hits / self.n if self.n else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "hits": self.hits,
            "n": self.n,
            "rate": _round(self.rate),
            "ci95": [_round(self.low), _round(self.high)] if self.n else None,
        }

    def __str__(self) -> str:
        if not self.n or self.low is None or self.high is None:
            return "no sample"
        return (
            f"{self.hits}/{self.n} = {100 * self.hits / self.n:.1f} % "
            f"(95 % CI {100 * self.low:.1f}-{100 * self.high:.1f} %)"
        )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def wilson(hits: int, n: int, z: float = Z_95) -> Proportion:
    """Wilson score interval of ``hits`` successes in ``n`` trials (Wilson 1927).

    Unlike the normal approximation it stays inside [0, 1] and is usable at 0 or n hits and for
    small samples, which is what rare false decisions give.
    """
    if n < 0 or not 0 <= hits <= n:
        raise ValueError("need 0 <= hits <= n")
    if n == 0:
        return Proportion(hits=0, n=0, low=None, high=None)
    p = hits / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Proportion(hits=hits, n=n, low=max(0.0, centre - half), high=min(1.0, centre + half))


def cohen_kappa(first: Sequence[Any], second: Sequence[Any]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items (Cohen 1960).

    ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed agreement and ``p_e`` the agreement
    expected from each rater's label frequencies. None when it is undefined: no items, or both
    raters gave every item the same single label (``p_e == 1``).
    """
    if len(first) != len(second):
        raise ValueError("both raters must label the same items")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[label] * counts_b[label] for label in counts_a) / (n * n)
    if expected >= 1.0:
        return None
    return float((observed - expected) / (1 - expected))
