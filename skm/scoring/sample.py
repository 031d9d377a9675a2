"""Sample size and its adequacy (SPEC §4 "Sample size").

Krejcie & Morgan (1970): ``s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P))`` with χ² = 3.841, P = 0.5,
d = 0.05, rounded to the nearest whole number as in their table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

_CHI_SQUARE = Fraction(3841, 1000)
_P = Fraction(1, 2)
_D = Fraction(5, 100)

KREJCIE_MORGAN_MAX = 384
"""The sample that suffices for any population: s tends to 384.1 as N grows (SPEC §4)."""


def krejcie_morgan(population: int) -> int:
    """Required sample for a population N (Krejcie & Morgan 1970; SPEC §4 "Sample size").

    ``s = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P))``, χ² = 3.841, P = 0.5, d = 0.05, computed exactly
    and rounded half up to a whole number: 10 → 10, 100 → 80, 1,000 → 278, 1,000,000 → 384.
    """
    if isinstance(population, bool) or population < 1:
        raise ValueError("the population must be at least 1")
    spread = _CHI_SQUARE * _P * (1 - _P)
    s = spread * population / (_D**2 * (population - 1) + spread)
    return math.floor(s + Fraction(1, 2))


@dataclass(frozen=True)
class SampleAdequacy:
    """Whether n respondents suffice for the stated population (SPEC §4 "Sample size").

    ``required`` and ``shortfall`` are None when the population is unknown; ``adequate`` is then
    None too, unless n reaches 384, which suffices for any population.
    """

    required: int | None
    n: int
    adequate: bool | None
    shortfall: int | None


def sample_adequacy(n: int, population: int | None) -> SampleAdequacy:
    """Compare n with the Krejcie & Morgan sample for ``population`` (SPEC §4 "Sample size").

    ``shortfall = max(0, required − n)``. With no stated population only n ≥ 384 can be called
    adequate, since no population needs more (Krejcie & Morgan's limit as N → ∞).
    """
    if n < 0:
        raise ValueError("the number of respondents cannot be negative")
    if population is None:
        return SampleAdequacy(None, n, True if n >= KREJCIE_MORGAN_MAX else None, None)
    required = krejcie_morgan(population)
    return SampleAdequacy(required, n, n >= required, max(0, required - n))
