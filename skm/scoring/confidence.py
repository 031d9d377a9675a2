"""What an IKM from n respondents is worth: a confidence interval (SPEC §4 "Sample size").

Published reports rank units with one to three respondents as "Sangat Baik"; the interval says how
little such a figure pins down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from statistics import NormalDist

from skm.scoring.elements import ELEMENTS
from skm.scoring.ikm import Answer, check_answer, check_unsur_count
from skm.scoring.rounding import Number, round_half_up, to_fraction
from skm.scoring.weights import DEFAULT_WEIGHT, Weight

_SERIES_MAX_DF = 200


@dataclass(frozen=True)
class Interval:
    """A confidence interval for an IKM on the 25–100 scale (SPEC §4 "Sample size").

    ``method`` records how it was made, e.g. ``"student_t(df=9)+fpc(N=120)"``.
    """

    low: Fraction
    high: Fraction
    level: float
    method: str

    def display(self, places: int = 2) -> tuple[Decimal, Decimal]:
        """Both ends rounded half up to ``places`` decimals (SPEC §4 "Precision")."""
        return round_half_up(self.low, places), round_half_up(self.high, places)


def _t_cdf(t: float, df: int) -> float:
    """P(T ≤ t) for t ≥ 0 and an integer df: Abramowitz & Stegun 26.7.3–26.7.4 (finite series)."""
    theta = math.atan(t / math.sqrt(df))
    sin, cos2 = math.sin(theta), math.cos(theta) ** 2
    if df % 2 == 0:
        term = total = 1.0
        for k in range(1, (df - 2) // 2 + 1):
            term *= cos2 * (2 * k - 1) / (2 * k)
            total += term
        two_sided = sin * total
    else:
        series = 0.0
        if df > 1:
            term = series = math.cos(theta)
            for k in range(1, (df - 3) // 2 + 1):
                term *= cos2 * (2 * k) / (2 * k + 1)
                series += term
        two_sided = 2 / math.pi * (theta + sin * series)
    return 0.5 + two_sided / 2


def _cornish_fisher(p: float, df: int) -> float:
    """t quantile from the normal one: Cornish–Fisher expansion, A&S 26.7.5 (error O(df⁻⁵))."""
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def t_quantile(p: float, df: int) -> float:
    """Quantile of Student's t with ``df`` degrees of freedom: t such that P(T ≤ t) = p.

    Exact closed forms for df 1 and 2; for df ≤ 200 the exact finite series of the t
    distribution function for integer df (Abramowitz & Stegun 26.7.3–4) inverted by bisection;
    above that the Cornish–Fisher expansion (A&S 26.7.5). Any p, so any confidence level;
    no scipy. t(0.975, 1) = 12.706, t(0.975, 10) = 2.228, t(0.975, 120) = 1.980.
    Used by :func:`ikm_confidence_interval` (SPEC §4 "Sample size").
    """
    if not 0 < p < 1:
        raise ValueError("p must lie strictly between 0 and 1")
    if df < 1:
        raise ValueError("df must be at least 1")
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1 - p, df)
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    if df > _SERIES_MAX_DF:
        return _cornish_fisher(p, df)
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < p:
        low, high = high, 2 * high
    while True:
        middle = (low + high) / 2
        if middle in (low, high):
            return middle
        if _t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle


def ikm_confidence_interval(
    n: int,
    score_sum: Number,
    score_sumsq: Number,
    population: int | None = None,
    level: float = 0.95,
    *,
    weight: Weight = DEFAULT_WEIGHT,
    variance_floor: bool = True,
) -> Interval | None:
    """Confidence interval of the IKM from the n respondents who answered all nine unsur.

    Each such respondent r has the score ``s_r = 25 × w × Σ_i u_ri``; ``score_sum = Σ s_r`` and
    ``score_sumsq = Σ s_r²``. When no answer is blank, every NRR is a mean over the same
    respondents, so the IKM ``25 × w × Σ_i NRR_i`` *is* the mean of s_r: a linear function of
    the respondents' mean score, whose uncertainty is that of a sample mean (SPEC §4).

    Method: ``mean ± t(1 − (1 − level)/2, n − 1) × √(S² / n) × √((N − n) / (N − 1))``, then clipped
    to ``[25·9w, 100·9w]``.

    - Student's t rather than the normal quantile, because many units have small n; with one to
      three respondents the interval is so wide that it shows what a "Sangat Baik" on two answers
      is worth. With n < 2 there is no variance estimate and the result is None.
    - The finite-population correction, because units state their population (service users in
      the period); a survey of every user (n = N) has no sampling error.
    - Clipped, because the scale is bounded and a t interval is not.
    - When all respondents gave the same total, S² = 0 would give a zero-width interval that
      claims certainty from, say, two all-4 questionnaires. With ``variance_floor`` (default) S²
      is then replaced by the smallest non-zero value the data could show — one respondent one
      answer step (25·w) away from the rest: S² = (25·w)² / n.
    """
    if n < 0:
        raise ValueError("the number of respondents cannot be negative")
    if not 0 < level < 1:
        raise ValueError("the confidence level must lie strictly between 0 and 1")
    if population is not None and population < n:
        raise ValueError(f"{n} respondents cannot come from a population of {population}")
    if n < 2:
        return None
    weight = Weight(weight)
    total, total_sq = to_fraction(score_sum), to_fraction(score_sumsq)
    lowest, highest = weight.ikm_range
    mean = total / n
    if not lowest <= mean <= highest:
        raise ValueError(f"mean score {float(mean)} is outside the range of weight {weight}")
    squares = total_sq - total * total / n
    if squares < 0:
        raise ValueError("the sum of squares is smaller than the sum allows")
    variance = squares / (n - 1)
    method = f"student_t(df={n - 1})"
    if variance == 0 and variance_floor:
        step = 25 * weight.fraction
        variance = step * step / n
        method += "+variance_floor"
    variance_of_mean = variance / n
    if population is not None:
        variance_of_mean *= Fraction(population - n, population - 1)
        method += f"+fpc(N={population})"
    t = t_quantile(1 - (1 - level) / 2, n - 1)
    half_width = Fraction(t * math.sqrt(variance_of_mean))
    low = max(lowest, mean - half_width)
    high = min(highest, mean + half_width)
    return Interval(low, high, level, method)


def ikm_confidence_interval_from_answers(
    answers: Iterable[Mapping[str, Answer]],
    weight: Weight = DEFAULT_WEIGHT,
    population: int | None = None,
    level: float = 0.95,
    elements: Sequence[str] = ELEMENTS,
) -> Interval | None:
    """:func:`ikm_confidence_interval` from raw answers (SPEC §4 "Sample size").

    Only respondents who answered every element count; their scores are
    ``s_r = 25 × w × Σ_i u_ri``. With blanks the IKM (computed per unsur) and the mean of s_r can
    differ slightly; the interval is about the latter.
    """
    check_unsur_count(elements)
    weight = Weight(weight)
    n = total = total_sq = 0
    for answer in answers:
        values = [check_answer(answer.get(element)) for element in elements]
        points = [v for v in values if v is not None]
        if len(points) < len(values):
            continue
        s = sum(points)
        n += 1
        total += s
        total_sq += s * s
    factor = 25 * weight.fraction
    return ikm_confidence_interval(
        n, factor * total, factor * factor * total_sq, population, level, weight=weight
    )
