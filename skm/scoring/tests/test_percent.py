"""Largest-remainder percentages (skm.scoring.percent): they add to 100 and stay within one unit."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring.percent import largest_remainder


def test_three_equal_groups():
    assert largest_remainder([1, 1, 1], 2) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_whole_percent_and_a_zero():
    assert largest_remainder([2, 1, 0], 0) == [Decimal(67), Decimal(33), Decimal(0)]


def test_nothing_to_share():
    assert largest_remainder([0, 0], 1) == [Decimal("0.0"), Decimal("0.0")]
    assert largest_remainder([], 2) == []


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        largest_remainder([3, -1], 2)


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=12), st.integers(0, 3))
def test_adds_to_100_and_stays_within_one_unit(counts, places):
    shares = largest_remainder(counts, places)
    assert len(shares) == len(counts)
    if sum(counts) == 0:
        assert all(s == 0 for s in shares)
        return
    assert sum(shares) == 100
    unit = Fraction(1, 10**places)
    for count, share in zip(counts, shares, strict=True):
        exact = Fraction(100 * count, sum(counts))
        assert abs(Fraction(share) - exact) < unit
        assert share.as_tuple().exponent == -places
        if count == 0:
            assert share == 0
