"""The scoring core's formulas in their plain, slow form: the reference the fast code is tested against.

This is the code of skm/scoring before it computed in integers (rounding by Fraction arithmetic,
bands on Decimals, the IKM as nine Fraction additions, means added one Fraction at a time), kept
here so hypothesis can show the fast code gives the same Fractions, bands and Decimals (SPEC §4).
bench/scoring_core.py times the same code as its baseline.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from skm.scoring import BANDS, Band, Number, UnsurTally, Weight, to_fraction


def round_half_up(x: Number, places: int = 2) -> Decimal:
    """⌊|x|·10^places + ½⌋ · sign(x) / 10^places on the Fraction."""
    if places < 0:
        raise ValueError("places must be 0 or more")
    value = to_fraction(x)
    scaled = abs(value) * 10**places
    digits = math.floor(scaled + Fraction(1, 2))
    sign = "-" if value < 0 and digits != 0 else ""
    return Decimal(f"{sign}{digits}E-{places}")


def band_for(converted: Number, *, weight: Weight | None = None) -> Band:
    """The band whose Decimal edges hold the Decimal rounding of ``converted``."""
    rounded = round_half_up(to_fraction(converted), 2)
    lowest, highest = BANDS[-1].lower, BANDS[0].upper
    if weight is not None:
        lowest = min(lowest, round_half_up(Weight(weight).ikm_range[0], 2))
    if not lowest <= rounded <= highest:
        raise ValueError(f"converted value {rounded} is outside the scale {lowest}–{highest}")
    for band in BANDS:
        if rounded >= band.lower:
            return band
    return BANDS[-1]


def band_for_nrr(nrr: Number) -> Band:
    """``band_for(nrr × 25)`` with a Fraction product."""
    return band_for(to_fraction(nrr) * 25)


def unsur_figures(t: UnsurTally, weight: Weight) -> tuple[Fraction, Fraction, Fraction, Band]:
    """NRR = total/count, weighted = NRR × w, converted = NRR × 25, band of NRR, one by one."""
    nrr = Fraction(t.total, t.count)
    return nrr, nrr * Weight(weight).fraction, nrr * 25, band_for_nrr(nrr)


def ikm(tallies: Mapping[str, UnsurTally], weight: Weight) -> tuple[Fraction, Fraction, Band]:
    """IKM (1–4) = Σ NRR_i × w by nine Fraction additions; IKM = that × 25; its band."""
    w = Weight(weight).fraction
    ikm_nrr = Fraction(0)
    for t in tallies.values():
        ikm_nrr += Fraction(t.total, t.count) * w
    return ikm_nrr, ikm_nrr * 25, band_for(ikm_nrr * 25, weight=weight)


def mean(values: Iterable[tuple[Fraction, int]], by_n: bool) -> Fraction | None:
    """Σ w·value / Σ w, w = n or 1, one Fraction addition at a time; None with no values."""
    numerator = denominator = Fraction(0)
    for value, n in values:
        w = Fraction(n) if by_n else Fraction(1)
        numerator += w * value
        denominator += w
    return numerator / denominator if denominator else None
