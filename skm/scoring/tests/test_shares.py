"""Percentages by the largest remainder method: they add up to exactly 100 (SPEC §6, §8)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring.shares import largest_remainder


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=12), st.integers(0, 3))
def test_shares_add_up_to_100_and_stay_within_one_unit_of_the_exact_share(counts, places) -> None:
    keyed = {f"k{i}": c for i, c in enumerate(counts)}
    shares = largest_remainder(keyed, places)
    total = sum(counts)
    unit = Fraction(1, 10**places)
    if total == 0:
        assert all(v == 0 for v in shares.values())
        return
    assert sum(shares.values()) == Decimal(100)
    for key, count in keyed.items():
        shown = shares[key]
        assert shown.as_tuple().exponent == -places  # written at the shown precision
        exact = Fraction(100 * count, total)
        assert abs(Fraction(shown) - exact) < unit
        assert shown >= 0


def test_three_thirds() -> None:
    assert largest_remainder({"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }


def test_the_largest_remainder_gets_the_unit() -> None:
    # 2/7 = 28.571…, 5/7 = 71.428…: the first remainder is larger.
    assert largest_remainder({"L": 2, "P": 5}, 1) == {"L": Decimal("28.6"), "P": Decimal("71.4")}


def test_no_answers_no_shares_and_bad_input() -> None:
    assert largest_remainder({"L": 0, "P": 0}) == {"L": Decimal("0.00"), "P": Decimal("0.00")}
    with pytest.raises(ValueError):
        largest_remainder({"L": -1})
    with pytest.raises(ValueError):
        largest_remainder({"L": 1}, -1)
