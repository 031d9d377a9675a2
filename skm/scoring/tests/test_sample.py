"""Sample size (SPEC §4 "Sample size", Krejcie & Morgan 1970)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring import KREJCIE_MORGAN_MAX, SampleAdequacy, krejcie_morgan, sample_adequacy


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (10, 10),
        (50, 44),
        (100, 80),
        (500, 217),
        (900, 269),
        (1_000, 278),
        (1_200, 291),
        (5_000, 357),
        (10_000, 370),
        (1_000_000, 384),
    ],
)
def test_krejcie_morgan_table(population: int, sample: int) -> None:
    assert krejcie_morgan(population) == sample


def test_krejcie_morgan_small_and_invalid_populations() -> None:
    assert krejcie_morgan(1) == 1
    assert krejcie_morgan(10**12) == KREJCIE_MORGAN_MAX == 384
    with pytest.raises(ValueError):
        krejcie_morgan(0)


@given(st.integers(1, 10**7))
def test_krejcie_morgan_never_exceeds_the_population_or_384_and_grows(population: int) -> None:
    s = krejcie_morgan(population)
    assert 1 <= s <= min(population, KREJCIE_MORGAN_MAX)
    assert krejcie_morgan(population + 1) >= s


def test_sample_adequacy_with_a_stated_population() -> None:
    assert sample_adequacy(80, 100) == SampleAdequacy(required=80, n=80, adequate=True, shortfall=0)
    assert sample_adequacy(79, 100) == SampleAdequacy(80, 79, False, 1)
    assert sample_adequacy(2, 1_000) == SampleAdequacy(278, 2, False, 276)


def test_sample_adequacy_without_a_population() -> None:
    assert sample_adequacy(3, None) == SampleAdequacy(None, 3, None, None)
    assert sample_adequacy(383, None).adequate is None
    assert sample_adequacy(384, None).adequate is True
    with pytest.raises(ValueError):
        sample_adequacy(-1, None)
