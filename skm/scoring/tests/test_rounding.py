"""Exact figures, half-up rounding, Indonesian display (SPEC §4 "Precision", §9)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring import Number, decimals_of, format_id, round_half_up, to_fraction
from skm.scoring.tests import naive


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("88,93", Fraction(8893, 100)),
        ("1.234,50", Fraction(2469, 2)),
        ("1.234.567", Fraction(1234567)),
        ("88.93", Fraction(8893, 100)),
        ("1.234", Fraction(1234, 1000)),  # one dot, no comma: the machine decimal point
        (" -3,5 ", Fraction(-7, 2)),
        ("88", Fraction(88)),
    ],
)
def test_to_fraction_reads_indonesian_and_machine_text(text: str, expected: Fraction) -> None:
    assert to_fraction(text) == expected


def test_to_fraction_reads_floats_through_their_repr() -> None:
    assert to_fraction(0.1) == Fraction(1, 10)
    assert to_fraction(88.305) == Fraction(88305, 1000)
    assert to_fraction(Decimal("76.605")) == Fraction(76605, 1000)
    assert to_fraction(3) == 3


@pytest.mark.parametrize("bad", ["", "abc", "1,2,3", "88.", ",5", "12.34,5", "1.234.5", "1,234.50", "1e3"])
def test_to_fraction_refuses_text_that_is_not_a_figure(bad: str) -> None:
    with pytest.raises(ValueError):
        to_fraction(bad)


@pytest.mark.parametrize("bad", [True, math.nan, math.inf, Decimal("NaN"), Decimal("-Infinity")])
def test_to_fraction_refuses_booleans_and_non_finite_values(bad: object) -> None:
    with pytest.raises(ValueError):
        to_fraction(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("89.0561", 2, "89.06"),  # seed 001 printed 89,05: truncated
        (88.305, 2, "88.31"),
        ("88,635", 2, "88.64"),  # seed 003, RSUD Ratu Zalecha, mean of 87,61 and 89,66
        ("86,875", 2, "86.88"),
        (88.3049, 2, "88.30"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (88, 2, "88.00"),
        (Fraction(1, 3), 3, "0.333"),
        (Fraction(2, 3), 4, "0.6667"),
        ("-0,001", 2, "0.00"),
    ],
)
def test_round_half_up_examples(value: object, places: int, expected: str) -> None:
    result = round_half_up(value, places)  # type: ignore[arg-type]
    assert str(result) == expected


def test_round_half_up_refuses_negative_places() -> None:
    with pytest.raises(ValueError):
        round_half_up(1, -1)


@given(
    st.fractions(min_value=0, max_value=10_000, max_denominator=100_000),
    st.integers(0, 4),
)
def test_round_half_up_never_truncates(x: Fraction, places: int) -> None:
    unit = Fraction(1, 10**places)
    rounded = Fraction(round_half_up(x, places))
    assert rounded - unit / 2 <= x < rounded + unit / 2
    truncated = Fraction(math.floor(x / unit)) * unit
    assert rounded >= truncated
    if x - truncated >= unit / 2:
        assert rounded == truncated + unit


@given(st.decimals(min_value=-1000, max_value=1000, places=5), st.integers(0, 3))
def test_round_half_up_matches_decimal_round_half_up(x: Decimal, places: int) -> None:
    expected = x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert round_half_up(x, places) == expected


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("87,6", 1),
        ("88", 0),
        ("86,712", 3),
        ("88,93", 2),
        ("88.93", 2),
        ("1.234,5", 1),
        ("1.234.567", 0),
    ],
)
def test_decimals_of_counts_written_decimals(text: str, places: int) -> None:
    assert decimals_of(text) == places


def test_decimals_of_refuses_non_figures() -> None:
    with pytest.raises(ValueError):
        decimals_of("88,")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (1234.5, 2, "1.234,50"),
        ("88.925", 2, "88,93"),
        ("86,712", 3, "86,712"),
        (Fraction(8797, 100), 0, "88"),
        (1234567.891, 2, "1.234.567,89"),
        (-1234.5, 2, "-1.234,50"),
        (-0.001, 2, "0,00"),
        ("89,0561", 2, "89,06"),  # seed 001's truncation, done right
    ],
)
def test_format_id(value: object, places: int, expected: str) -> None:
    assert format_id(value, places) == expected  # type: ignore[arg-type]


@given(st.fractions(min_value=-(10**7), max_value=10**7, max_denominator=10_000), st.integers(1, 4))
def test_format_id_reads_back_as_the_rounded_value(x: Fraction, places: int) -> None:
    assert to_fraction(format_id(x, places)) == Fraction(round_half_up(x, places))


def test_a_whole_number_with_one_thousands_dot_is_ambiguous_and_reads_as_a_decimal() -> None:
    # "1.000" could be Indonesian one thousand or a machine 1.000; figures (NRR, IKM) are
    # read the machine way, so whole thousands must be written with a comma or no dot.
    assert format_id(1000, 0) == "1.000"
    assert to_fraction("1.000") == 1
    assert to_fraction(format_id(1000, 2)) == 1000


# --- the integer rounding equals the plain Fraction formula (skm/scoring/tests/naive.py) --------


def assert_same_decimal(result: Decimal, expected: Decimal) -> None:
    """Equal, and written the same: sign, digits and exponent (``88.30`` is not ``88.3``)."""
    assert result.as_tuple() == expected.as_tuple()


@given(st.fractions(max_denominator=10**12), st.integers(0, 4))
def test_round_half_up_equals_the_fraction_formula(x: Fraction, places: int) -> None:
    assert_same_decimal(round_half_up(x, places), naive.round_half_up(x, places))


@given(st.integers(-(10**40), 10**40), st.integers(0, 4))
def test_round_half_up_decides_ties_as_the_fraction_formula(k: int, places: int) -> None:
    tie = Fraction(2 * k + 1, 2 * 10**places)  # exactly halfway between two results
    result = round_half_up(tie, places)
    assert_same_decimal(result, naive.round_half_up(tie, places))
    assert abs(Fraction(result)) == abs(tie) + Fraction(1, 2 * 10**places)  # away from zero


@given(
    st.one_of(
        st.integers(-(10**30), 10**30),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.floats(allow_nan=False, allow_infinity=False),
        st.decimals(min_value=-(10**6), max_value=10**6, places=4).map(lambda d: f"{d:f}".replace(".", ",")),
    ),
    st.integers(0, 4),
)
def test_round_half_up_equals_the_fraction_formula_for_every_input_type(x: Number, places: int) -> None:
    assert_same_decimal(round_half_up(x, places), naive.round_half_up(x, places))


@pytest.mark.parametrize("bad", [True, "abc", float("nan"), Decimal("Infinity"), None, [1]])
def test_round_half_up_refuses_what_the_fraction_formula_refuses(bad: object) -> None:
    with pytest.raises(ValueError) as fast:
        round_half_up(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError) as plain:
        naive.round_half_up(bad)  # type: ignore[arg-type]
    assert str(fast.value) == str(plain.value)
