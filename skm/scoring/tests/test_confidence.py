"""Confidence interval of an IKM (SPEC §4 "Sample size")."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skm.scoring import (
    ELEMENTS,
    Weight,
    ikm_confidence_interval,
    ikm_confidence_interval_from_answers,
    score_answers,
    t_quantile,
)
from skm.scoring.tests.strategies import respondents, weights


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 1, 12.706),
        (0.975, 2, 4.303),
        (0.975, 10, 2.228),
        (0.975, 30, 2.042),
        (0.975, 120, 1.980),
        (0.975, 1000, 1.962),
        (0.995, 5, 4.032),
        (0.95, 20, 1.725),
        (0.9, 3, 1.638),
    ],
)
def test_t_quantile_matches_the_tables(p: float, df: int, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=6e-4)


def test_t_quantile_is_symmetric_and_continuous_where_the_method_changes() -> None:
    assert t_quantile(0.5, 7) == 0
    assert t_quantile(0.025, 7) == pytest.approx(-t_quantile(0.975, 7))
    t200, t201 = t_quantile(0.975, 200), t_quantile(0.975, 201)
    assert 0 < t200 - t201 < 1e-4
    with pytest.raises(ValueError):
        t_quantile(1.0, 5)
    with pytest.raises(ValueError):
        t_quantile(0.9, 0)


def answers_with_totals(*values: int) -> list[dict[str, int | None]]:
    """One respondent per value, answering ``value`` to every unsur."""
    return [dict.fromkeys(ELEMENTS, v) for v in values]


def test_fewer_than_two_respondents_give_no_interval() -> None:
    assert ikm_confidence_interval(1, 90, 8100) is None
    assert ikm_confidence_interval_from_answers(answers_with_totals(4)) is None
    assert ikm_confidence_interval_from_answers([]) is None


def test_two_respondents_leave_almost_the_whole_scale_open() -> None:
    interval = ikm_confidence_interval_from_answers(answers_with_totals(4, 3), Weight.NINTH)
    assert interval is not None
    # mean 87.5, S = 17.68, t(0.975, 1) = 12.706: far beyond the scale, so clipped to it
    assert (interval.low, interval.high) == (Fraction(25), Fraction(100))
    assert interval.method == "student_t(df=1)"


def test_two_identical_sangat_baik_questionnaires_are_not_a_certainty() -> None:
    answers = answers_with_totals(4, 4)
    floored = ikm_confidence_interval_from_answers(answers, Weight.NINTH)
    assert floored is not None
    assert floored.high == 100 and floored.low < 85
    assert "variance_floor" in floored.method
    raw = ikm_confidence_interval(2, 200, 20000, weight=Weight.NINTH, variance_floor=False)
    assert raw is not None and raw.low == raw.high == 100


def test_the_interval_narrows_with_more_respondents() -> None:
    small = ikm_confidence_interval_from_answers(answers_with_totals(3, 4, 3, 4) * 3)
    large = ikm_confidence_interval_from_answers(answers_with_totals(3, 4, 3, 4) * 30)
    assert small is not None and large is not None
    assert large.high - large.low < small.high - small.low
    assert large.low > small.low and large.high < small.high


def test_the_finite_population_correction_narrows_and_a_census_is_exact() -> None:
    answers = answers_with_totals(3, 4, 2, 4, 3, 3, 4, 4, 3, 2)
    mean = score_answers(answers, Weight.NINTH).ikm
    free = ikm_confidence_interval_from_answers(answers, Weight.NINTH)
    finite = ikm_confidence_interval_from_answers(answers, Weight.NINTH, population=20)
    census = ikm_confidence_interval_from_answers(answers, Weight.NINTH, population=10)
    assert free is not None and finite is not None and census is not None
    assert finite.high - finite.low < free.high - free.low
    assert "fpc(N=20)" in finite.method
    assert census.low == census.high == mean
    with pytest.raises(ValueError):
        ikm_confidence_interval_from_answers(answers, population=9)


def test_a_known_interval() -> None:
    # Ten respondents, totals per respondent 9 × (3, 4, 2, 4, 3, 3, 4, 4, 3, 2), weight 1/9:
    # scores 75, 100, 50, … mean 80, S² = 3500/9, t(0.975, 9) = 2.262157
    interval = ikm_confidence_interval_from_answers(
        answers_with_totals(3, 4, 2, 4, 3, 3, 4, 4, 3, 2), Weight.NINTH
    )
    assert interval is not None
    half = 2.262157 * (Fraction(3500, 9) / 10) ** 0.5
    assert float(interval.low) == pytest.approx(80 - half, abs=1e-4)
    assert float(interval.high) == pytest.approx(80 + half, abs=1e-4)
    low, high = interval.display()
    assert (str(low), str(high)) == ("65.89", "94.11")


def test_only_complete_respondents_count_and_inconsistent_sums_are_refused() -> None:
    answers = answers_with_totals(3, 4, 2)
    with_blank = [*answers, {**dict.fromkeys(ELEMENTS, 1), "waktu": None}]
    assert ikm_confidence_interval_from_answers(with_blank) == (ikm_confidence_interval_from_answers(answers))
    with pytest.raises(ValueError):
        ikm_confidence_interval(3, 240, 100)  # Σs² < (Σs)²/n
    with pytest.raises(ValueError):
        ikm_confidence_interval(3, 3000, 3_000_000)  # mean 1000 is off the scale
    with pytest.raises(ValueError):
        ikm_confidence_interval(3, 240, 19200, level=1.5)


@settings(deadline=None)
@given(respondents(blanks=False, min_size=2), weights, st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_the_interval_holds_the_ikm_and_stays_on_the_scale(
    answers: list[dict[str, int | None]], weight: Weight, level: float
) -> None:
    ikm = score_answers(answers, weight).ikm
    interval = ikm_confidence_interval_from_answers(answers, weight, level=level)
    assert interval is not None and ikm is not None
    low, high = weight.ikm_range
    assert low <= interval.low <= ikm <= interval.high <= high
    assert interval.level == level
