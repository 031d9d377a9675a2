"""The weight of each unsur in the IKM (SPEC §4 "Computation").

The regulation weights each of the nine unsur by 1/9 and prints it rounded as 0.111; most reports
(seed 001) compute with 0.111, Kabupaten Banjar (seed 003) with 1/9 exactly. The weight is a
per-Pemda setting and every figure is computed with its Pemda's weight.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

UNSUR_COUNT = 9
"""The IKM weights nine unsur; a weight is 1/UNSUR_COUNT, exactly or rounded (SPEC §3, §4)."""


class Weight(StrEnum):
    """Weight of one unsur's NRR in the IKM: ``IKM = Σ NRR_i × w`` (SPEC §4)."""

    W0111 = "0.111"
    NINTH = "1/9"

    @property
    def fraction(self) -> Fraction:
        """The weight as an exact Fraction: 111/1000 or 1/9 (SPEC §4)."""
        return Fraction(111, 1000) if self is Weight.W0111 else Fraction(1, 9)

    @property
    def label(self) -> str:
        """Indonesian display of the weight: "0,111" or "1/9" (SPEC §9)."""
        return "0,111" if self is Weight.W0111 else "1/9"

    @property
    def ikm_range(self) -> tuple[Fraction, Fraction]:
        """Lowest and highest IKM (25–100 scale) this weight can give: ``[25·9w, 100·9w]``.

        With 1/9 that is exactly [25, 100]; with 0.111 it is [24.975, 99.9] (SPEC §4).
        """
        total = UNSUR_COUNT * self.fraction
        return 25 * total, 100 * total


DEFAULT_WEIGHT = Weight.W0111
"""The regulation's rounded weight, used unless a Pemda chooses 1/9 (SPEC §4)."""
