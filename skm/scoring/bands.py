"""Mutu and kinerja bands of the IKM (SPEC §4 "Bands").

A category is always decided on the converted value (25–100) rounded half up to 2 decimals, as the
reports publish it; the edges below are the published ones and, at 2 decimals, leave no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from skm.scoring.rounding import Number, half_up_digits, to_fraction
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
# Edges in hundredths (integers): a value rounded to 2 places is compared with them exactly.
_EDGES: tuple[tuple[int, Band], ...] = tuple((int(band.lower * 100), band) for band in BANDS)
_LOWEST_HUNDREDTHS = int(_LOWEST * 100)
_HIGHEST_HUNDREDTHS = int(_HIGHEST * 100)


def hundredths(converted: Number) -> int:
    """``converted`` rounded half up to 2 places, in hundredths: 88.305 → 8831 (SPEC §4 "Precision").

    The integer ``round_half_up(converted, 2) × 100``, computed without a Decimal.
    """
    value = to_fraction(converted)
    digits = half_up_digits(value.numerator, value.denominator, 2)
    return -digits if value.numerator < 0 else digits


@cache
def lowest_hundredths(weight: Weight) -> int:
    """Lowest converted value accepted as D with ``weight``, in hundredths: 2498 for 0.111 (SPEC §4).

    25.00, or the lowest IKM the weight can give rounded half up (24.975 → 24.98) if that is lower.
    Cached: ``Weight.ikm_range`` and its rounding are the same on every call.
    """
    return min(_LOWEST_HUNDREDTHS, hundredths(weight.ikm_range[0]))


def band_for_hundredths(rounded: int, lowest: int = _LOWEST_HUNDREDTHS) -> Band:
    """Band of a converted value already rounded half up to hundredths (see :func:`hundredths`).

    SPEC §4 "Bands": ``rounded`` must lie in ``lowest``–10000 (25.00–100.00, or down to the
    weight's lowest IKM), else ValueError. Integer comparisons with the edges ×100: exact, since
    the edges and the rounded value both have 2 decimals.
    """
    if not lowest <= rounded <= _HIGHEST_HUNDREDTHS:
        shown, floor = Decimal(f"{rounded}E-2"), Decimal(f"{lowest}E-2")
        raise ValueError(f"converted value {shown} is outside the scale {floor}–{_HIGHEST}")
    for edge, band in _EDGES:
        if rounded >= edge:
            return band
    return BANDS[-1]


def band_for(converted: Number, *, weight: Weight | None = None) -> Band:
    """Band of a converted value (25–100 scale), decided on the value rounded half up to 2 places.

    SPEC §4 "Bands" and "Precision": 88.305 → 88.31 → A, 88.3049 → 88.30 → B, 76.605 → 76.61 → B,
    64.995 → 65.00 → C. A rounded value outside 25.00–100.00 raises ValueError. An IKM computed with
    the rounded weight 0.111 can reach down to 24.975 (all answers 1): pass ``weight`` and the
    lowest value that weight can give (24.98 once rounded) is accepted as D.
    """
    rounded = hundredths(converted)
    lowest = _LOWEST_HUNDREDTHS if weight is None else lowest_hundredths(Weight(weight))
    return band_for_hundredths(rounded, lowest)


def band_for_nrr(nrr: Number) -> Band:
    """Band of an NRR (1–4 scale): ``band_for(nrr × 25)`` (SPEC §4, per-unsur category).

    For p/q, ``nrr × 25`` rounded is ⌊(2·25·|p|·100 + q) / 2q⌋ hundredths: no Fraction product.
    """
    value = to_fraction(nrr)
    digits = half_up_digits(25 * value.numerator, value.denominator, 2)
    return band_for_hundredths(-digits if value.numerator < 0 else digits)
