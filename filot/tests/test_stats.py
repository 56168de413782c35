"""The interval and agreement statistics against worked textbook values."""

from __future__ import annotations

import pytest

from filot.stats import cohen_kappa, wilson


def test_wilson_interval_matches_worked_values():
    # Wilson (1927); e.g. Newcombe 1998, table I: 0/10 -> 0-0.2775, 1/10 -> 0.0179-0.4042.
    zero = wilson(0, 10)
    one = wilson(1, 10)
    assert (zero.low, round(zero.high, 4)) == (0.0, 0.2775)
    assert (round(one.low, 4), round(one.high, 4)) == (0.0179, 0.4042)
    assert str(one) == "1/10 = 10.0 % (95 % CI 1.8-40.4 %)"
    assert wilson(0, 0).to_dict() == {"hits": 0, "n": 0, "rate": None, "ci95": None}
    with pytest.raises(ValueError, match="hits"):
        wilson(3, 2)


def test_cohen_kappa_matches_the_worked_example():
    # 50 items: both yes 20, first yes second no 5, first no second yes 10, both no 15.
    # p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)
    assert cohen_kappa(["a", "b"], ["a", "b"]) == 1.0
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None  # no variation: undefined
    assert cohen_kappa([], []) is None
