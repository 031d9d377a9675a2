"""Unsur prioritas perbaikan: the unsur a unit should improve first (SPEC §4, §8 RTL)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from skm.scoring.rounding import Number, round_half_up, to_fraction


def priority_unsur(nrr: Mapping[str, Number], count: int = 3, places: int | None = 2) -> list[str]:
    """The ``count`` lowest unsur, lowest first, plus any unsur tied with the count-th (SPEC §4).

    Values are NRRs (1–4). Ties are judged on the NRRs rounded half up to ``places`` decimals, as
    the reports print them (None compares the exact values); unsur with equal values keep the order
    of ``nrr``. Seed 003, Kecamatan Pengaron: waktu = kompetensi = 3,46 tie for third, so four
    unsur are listed. The admin's own choice of priorities is kept outside this function.
    """
    if count < 0:
        raise ValueError("count cannot be negative")
    values: dict[str, Fraction] = {}
    for element, value in nrr.items():
        exact = to_fraction(value)
        values[element] = exact if places is None else Fraction(round_half_up(exact, places))
    ranked = sorted(values, key=values.__getitem__)  # sorted() is stable: input order on ties
    if count == 0 or not ranked:
        return []
    if count >= len(ranked):
        return ranked
    threshold = values[ranked[count - 1]]
    return [element for element in ranked if values[element] <= threshold]
