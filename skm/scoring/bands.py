"""Mutu and kinerja bands of the IKM (SPEC §4 "Bands").

A category is always decided on the converted value (25–100) rounded half up to 2 decimals, as the
reports publish it; the edges below are the published ones and, at 2 decimals, leave no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from skm.scoring.rounding import Number, round_half_up, to_fraction
from skm.scoring.text import gettext_noop
from skm.scoring.weights import Weight


@dataclass(frozen=True)
class Band:
    """One row of the band table of SPEC §4: mutu, kinerja and the converted-value edges.

    ``kinerja`` is an Indonesian message id (skm.scoring.text): pages translate it with gettext.
    """

    mutu: str
    kinerja: str
    kinerja_en: str
    lower: Decimal
    upper: Decimal

    @property
    def label(self) -> str:
        """Category as the reports print it, e.g. "A (Sangat Baik)" (SPEC §4, §6)."""
        return f"{self.mutu} ({self.kinerja})"

    @property
    def label_en(self) -> str:
        """English category, e.g. "A (Very good)" (SPEC §9)."""
        return f"{self.mutu} ({self.kinerja_en})"


BANDS: tuple[Band, ...] = (
    Band("A", gettext_noop("Sangat Baik"), "Very good", Decimal("88.31"), Decimal("100.00")),
    Band("B", gettext_noop("Baik"), "Good", Decimal("76.61"), Decimal("88.30")),
    Band("C", gettext_noop("Kurang Baik"), "Less than good", Decimal("65.00"), Decimal("76.60")),
    Band("D", gettext_noop("Tidak Baik"), "Not good", Decimal("25.00"), Decimal("64.99")),
)
"""The four bands, best first, with the converted-value edges of SPEC §4."""

BANDS_BY_MUTU: dict[str, Band] = {band.mutu: band for band in BANDS}
"""Bands by their mutu letter, for reading a published category (SPEC §8 recap checks)."""

_LOWEST = BANDS[-1].lower
_HIGHEST = BANDS[0].upper


def band_for(converted: Number, *, weight: Weight | None = None) -> Band:
    """Band of a converted value (25–100 scale), decided on the value rounded half up to 2 places.

    SPEC §4 "Bands" and "Precision": 88.305 → 88.31 → A, 88.3049 → 88.30 → B, 76.605 → 76.61 → B,
    64.995 → 65.00 → C. A rounded value outside 25.00–100.00 raises ValueError. An IKM computed with
    the rounded weight 0.111 can reach down to 24.975 (all answers 1): pass ``weight`` and the
    lowest value that weight can give (24.98 once rounded) is accepted as D.
    """
    rounded = round_half_up(to_fraction(converted), 2)
    lowest = _LOWEST
    if weight is not None:
        lowest = min(lowest, round_half_up(Weight(weight).ikm_range[0], 2))
    if not lowest <= rounded <= _HIGHEST:
        raise ValueError(f"converted value {rounded} is outside the scale {lowest}–{_HIGHEST}")
    for band in BANDS:
        if rounded >= band.lower:
            return band
    return BANDS[-1]


def band_for_nrr(nrr: Number) -> Band:
    """Band of an NRR (1–4 scale): ``band_for(nrr × 25)`` (SPEC §4, per-unsur category)."""
    return band_for(to_fraction(nrr) * 25)
