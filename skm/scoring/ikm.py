"""NRR per unsur and the IKM of one unit (SPEC §4 "Computation").

``NRR_i`` = mean of the answers to unsur *i*, blanks excluded; ``IKM (1–4) = Σ NRR_i × w``;
``IKM unit = IKM (1–4) × 25`` on the 25–100 scale; per-unsur converted value = ``NRR_i × 25``.
Everything is exact (Fraction); rounding happens only for display and for the category.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from skm.scoring.bands import Band, band_for_hundredths, lowest_hundredths
from skm.scoring.elements import ELEMENTS
from skm.scoring.rounding import Number, half_up_digits, round_half_up, to_fraction
from skm.scoring.weights import DEFAULT_WEIGHT, UNSUR_COUNT, Weight

Answer = int | None
"""One answer on the 1–4 scale (a=1 … d=4); None is a blank."""

_SCALE = range(1, 5)


def check_answer(value: object) -> int | None:
    """Return a valid answer (1–4 or None for a blank) or raise ValueError (SPEC §3 scale)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in _SCALE:
        raise ValueError(f"an answer must be 1, 2, 3, 4 or blank, not {value!r}")
    return value


def check_unsur_count(keys: Collection[object]) -> None:
    """Refuse an IKM over other than nine unsur: its weight is 1/9 or 0.111 each (SPEC §4)."""
    if len(keys) != UNSUR_COUNT:
        raise ValueError(f"the IKM weighs {UNSUR_COUNT} unsur, each by 0.111 or 1/9; got {len(keys)}")


@dataclass(frozen=True)
class UnsurTally:
    """Number of non-blank answers to one unsur and their sum: what an NRR is made of (SPEC §4)."""

    count: int
    total: int

    def __post_init__(self) -> None:
        if self.count < 0 or not self.count <= self.total <= 4 * self.count:
            raise ValueError(f"{self.count} answers on the 1–4 scale cannot sum to {self.total}")

    @property
    def nrr(self) -> Fraction | None:
        """NRR = total / count, the mean of the non-blank answers; None with no answer (SPEC §4)."""
        return Fraction(self.total, self.count) if self.count else None

    def __add__(self, other: UnsurTally) -> UnsurTally:
        """Pool two tallies of the same unsur (SPEC §4 aggregation, "pooled")."""
        return UnsurTally(self.count + other.count, self.total + other.total)


def tally(values: Iterable[Answer]) -> UnsurTally:
    """Tally the answers to one unsur; None (blank) does not count (SPEC §4 NRR).

    Raises ValueError for a value outside 1–4.
    """
    count = total = 0
    for value in values:
        answer = check_answer(value)
        if answer is not None:
            count += 1
            total += answer
    return UnsurTally(count, total)


@dataclass(frozen=True)
class UnsurScore:
    """One unsur's figures for the per-unsur table of SPEC §6 (SPEC §4 "Computation").

    ``weighted = nrr × w``; ``converted = nrr × 25``; ``band`` is decided on ``converted``.
    """

    element: str
    nrr: Fraction
    weighted: Fraction
    converted: Fraction
    band: Band


@dataclass(frozen=True)
class Score:
    """NRR per unsur and the IKM of one unit, service or period (SPEC §4 "Computation").

    ``ikm_nrr = Σ NRR_i × w`` (1–4 scale), ``ikm = ikm_nrr × 25`` (25–100 scale). Both are None,
    with ``missing`` naming the unsur, when some unsur has no answer at all. ``unsur`` holds the
    unsur that have answers, in the order of the input; ``tallies`` holds every unsur's tally, so
    scores can be pooled (SPEC §4 aggregation).
    """

    weight: Weight
    n: int
    unsur: dict[str, UnsurScore]
    ikm_nrr: Fraction | None
    ikm: Fraction | None
    band: Band | None
    missing: tuple[str, ...]
    tallies: dict[str, UnsurTally] = field(default_factory=dict)

    def display(self, places: int = 2) -> Decimal | None:
        """The IKM rounded half up to ``places`` decimals, or None (SPEC §4 "Precision")."""
        return None if self.ikm is None else round_half_up(self.ikm, places)

    def sorted_unsur(self) -> list[UnsurScore]:
        """Unsur from the highest NRR to the lowest, ties in input order (SPEC §6 unit results)."""
        return sorted(self.unsur.values(), key=lambda u: u.nrr, reverse=True)


def score_tallies(tallies: Mapping[str, UnsurTally], n: int, weight: Weight = DEFAULT_WEIGHT) -> Score:
    """Score one unit from its per-unsur tallies (SPEC §4 "Computation").

    NRR_i = total_i / count_i (blanks excluded); IKM (1–4) = Σ NRR_i × w; IKM = that × 25. The IKM
    exists only when every unsur of ``tallies`` has at least one answer. ``n`` is the number of
    respondents; no unsur can have more answers than that. ``tallies`` must hold nine unsur.

    Computed in integers, exactly: each Fraction is built once from its numerator and denominator
    (NRR × w = total·w_num / count·w_den), Σ total_i/count_i is one numerator over the lcm of the
    counts, and bands are decided on hundredths (:func:`~skm.scoring.bands.band_for_hundredths`).
    """
    if n < 0:
        raise ValueError("the number of respondents cannot be negative")
    check_unsur_count(tallies.keys())
    weight = Weight(weight)
    w = weight.fraction
    w_num, w_den = w.numerator, w.denominator
    unsur: dict[str, UnsurScore] = {}
    missing: list[str] = []
    counts: list[int] = []
    totals: list[int] = []
    for element, t in tallies.items():
        count, total = t.count, t.total
        if count > n:
            raise ValueError(f"{element}: {count} answers from {n} respondents")
        if not count:
            missing.append(element)
            continue
        counts.append(count)
        totals.append(total)
        # NRR × 25 rounded half up, in hundredths: ⌊(2·25·total·100 + count) / 2·count⌋
        rounded = (5000 * total + count) // (2 * count)
        unsur[element] = UnsurScore(
            element,
            Fraction(total, count),
            Fraction(total * w_num, count * w_den),
            Fraction(25 * total, count),
            band_for_hundredths(rounded),
        )
    ikm_nrr: Fraction | None = None
    ikm: Fraction | None = None
    band: Band | None = None
    if not missing:
        common = math.lcm(*counts)  # Σ total_i/count_i = Σ total_i·(common/count_i) / common
        numerator = sum(total * (common // count) for total, count in zip(totals, counts, strict=True))
        ikm_nrr = Fraction(numerator * w_num, common * w_den)
        ikm = Fraction(25 * numerator * w_num, common * w_den)
        rounded = half_up_digits(25 * numerator * w_num, common * w_den, 2)
        band = band_for_hundredths(rounded, lowest_hundredths(weight))
    return Score(weight, n, unsur, ikm_nrr, ikm, band, tuple(missing), dict(tallies))


def score_answers(
    answers: Iterable[Mapping[str, Answer]],
    weight: Weight = DEFAULT_WEIGHT,
    elements: Sequence[str] = ELEMENTS,
) -> Score:
    """Score raw answers, one mapping element → 1–4 or None per respondent (SPEC §4).

    A key that is absent counts as a blank; keys outside ``elements`` (a Pemda's own questions)
    never enter the IKM (SPEC §3). Equivalent to tallying each element and calling
    :func:`score_tallies` with n = the number of respondents.
    """
    if len(set(elements)) != len(elements):
        raise ValueError("an element is listed twice")
    counts = dict.fromkeys(elements, 0)
    totals = dict.fromkeys(elements, 0)
    n = 0
    for answer in answers:
        n += 1
        for element in elements:
            value = check_answer(answer.get(element))
            if value is not None:
                counts[element] += 1
                totals[element] += value
    tallies = {e: UnsurTally(counts[e], totals[e]) for e in elements}
    return score_tallies(tallies, n, weight)


def _values(figures: Mapping[str, Number] | Sequence[Number]) -> list[Fraction]:
    if isinstance(figures, str):
        raise ValueError("expected one figure per unsur, not a single string")
    values = figures.values() if isinstance(figures, Mapping) else figures
    result = [to_fraction(v) for v in values]
    check_unsur_count(result)
    return result


def ikm_from_nrr(nrrs: Mapping[str, Number] | Sequence[Number], weight: Weight = DEFAULT_WEIGHT) -> Fraction:
    """IKM on the 25–100 scale from nine NRR values: ``25 × Σ NRR_i × w`` (SPEC §4).

    Used to recompute a published recap (SPEC §8). Each NRR must lie on the 1–4 scale.
    """
    values = _values(nrrs)
    for value in values:
        if not 1 <= value <= 4:
            raise ValueError(f"NRR {float(value)} is outside the 1–4 scale")
    return 25 * Weight(weight).fraction * sum(values, Fraction(0))


def ikm_from_converted(
    values: Mapping[str, Number] | Sequence[Number], weight: Weight = DEFAULT_WEIGHT
) -> Fraction:
    """IKM on the 25–100 scale from nine converted values: ``w × Σ converted_i`` (SPEC §4).

    Used to recompute a published recap that prints converted values (seed 003, SPEC §8). Each
    value must lie on the 25–100 scale.
    """
    converted = _values(values)
    for value in converted:
        if not 25 <= value <= 100:
            raise ValueError(f"converted value {float(value)} is outside the 25–100 scale")
    return Weight(weight).fraction * sum(converted, Fraction(0))
