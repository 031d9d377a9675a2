"""Mutu and kinerja bands (SPEC §4 "Bands", "Precision")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring import BANDS, BANDS_BY_MUTU, Band, Number, Weight, band_for, band_for_nrr, round_half_up
from skm.scoring.tests import naive


@pytest.mark.parametrize(
    ("converted", "mutu"),
    [
        ("25.00", "D"),
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("100", "A"),
    ],
)
def test_published_band_edges(converted: str, mutu: str) -> None:
    assert band_for(converted).mutu == mutu


@pytest.mark.parametrize(
    ("converted", "mutu"),
    [
        ("88.305", "A"),  # → 88.31
        ("88.3049", "B"),  # → 88.30
        ("76.605", "B"),  # → 76.61
        ("76.6049", "C"),  # → 76.60
        ("64.995", "C"),  # → 65.00
        ("64.9949", "D"),  # → 64.99
        ("24.995", "D"),  # → 25.00
    ],
)
def test_category_is_decided_on_the_value_rounded_half_up(converted: str, mutu: str) -> None:
    assert band_for(converted).mutu == mutu


@pytest.mark.parametrize("converted", ["24.99", "24.9949", "100.005", "0", "-50", "250"])
def test_values_off_the_scale_are_refused(converted: str) -> None:
    with pytest.raises(ValueError):
        band_for(converted)


def test_the_lowest_ikm_of_weight_0111_is_a_d_when_the_weight_is_given() -> None:
    lowest = Weight.W0111.ikm_range[0]  # 24.975: every answer 1, weight 0.111
    with pytest.raises(ValueError):
        band_for(lowest)
    assert band_for(lowest, weight=Weight.W0111).mutu == "D"
    with pytest.raises(ValueError):
        band_for("24.97", weight=Weight.W0111)


@pytest.mark.parametrize(
    ("nrr", "mutu"),
    [
        ("4", "A"),
        ("3.5324", "A"),  # 88.31
        ("3.532", "B"),  # 88.30
        ("3.0644", "B"),  # 76.61
        ("3.064", "C"),  # 76.60
        ("2.60", "C"),  # 65.00
        ("2.5996", "D"),  # 64.99
        ("1", "D"),
    ],
)
def test_nrr_intervals_of_the_band_table(nrr: str, mutu: str) -> None:
    assert band_for_nrr(nrr).mutu == mutu


def test_nrr_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError):
        band_for_nrr("4.01")


def test_bands_are_contiguous_at_two_decimals_and_labelled() -> None:
    assert [b.mutu for b in BANDS] == ["A", "B", "C", "D"]
    for better, worse in pairwise(BANDS):
        assert better.lower - worse.upper == Decimal("0.01")
    assert BANDS[0].upper == 100 and BANDS[-1].lower == 25
    assert BANDS_BY_MUTU["A"].label == "A (Sangat Baik)"
    assert BANDS_BY_MUTU["C"].label == "C (Kurang Baik)"
    assert BANDS_BY_MUTU["D"].label_en == "D (Not good)"


@given(st.fractions(min_value=Fraction("24.995"), max_value=Fraction("100.004999")))
def test_band_for_agrees_with_comparing_the_rounded_value_to_the_edges(x: Fraction) -> None:
    rounded = round_half_up(x, 2)
    if rounded >= Decimal("88.31"):
        expected = "A"
    elif rounded >= Decimal("76.61"):
        expected = "B"
    elif rounded >= Decimal("65.00"):
        expected = "C"
    else:
        expected = "D"
    band = band_for(x)
    assert band.mutu == expected
    assert band.lower <= rounded <= band.upper


# --- the integer comparisons equal the Decimal ones (skm/scoring/tests/naive.py) -----------------


def outcome(decide: Callable[[], Band]) -> Band | str:
    """The band decided, or the message of the ValueError that refused the value."""
    try:
        return decide()
    except ValueError as error:
        return str(error)


near_the_scale = st.one_of(
    st.fractions(min_value=Fraction("24.9"), max_value=Fraction("100.1"), max_denominator=10**9),
    # within half a hundredth of an edge, ties included
    st.tuples(
        st.sampled_from([2497, 2498, 2500, 6499, 6500, 7660, 7661, 8830, 8831, 10000]), st.integers(-6, 6)
    ).map(lambda e: Fraction(e[0], 100) + Fraction(e[1], 1000)),
    st.fractions(min_value=-200, max_value=300),
)


@given(near_the_scale, st.sampled_from([None, *Weight]))
def test_band_for_equals_the_decimal_comparisons(x: Fraction, weight: Weight | None) -> None:
    assert outcome(lambda: band_for(x, weight=weight)) == outcome(lambda: naive.band_for(x, weight=weight))


@given(near_the_scale.map(lambda x: x / 25))
def test_band_for_nrr_equals_the_decimal_comparisons(nrr: Fraction) -> None:
    assert outcome(lambda: band_for_nrr(nrr)) == outcome(lambda: naive.band_for_nrr(nrr))


@pytest.mark.parametrize("converted", ["88,305", 64.995, Decimal("76.605"), 100, "24,975", "-1"])
def test_band_for_reads_every_input_type_as_before(converted: Number) -> None:
    for weight in (None, *Weight, "0.111"):
        expected = outcome(lambda: naive.band_for(converted, weight=weight))  # type: ignore[arg-type]
        assert outcome(lambda: band_for(converted, weight=weight)) == expected  # type: ignore[arg-type]
