"""A row's published IKM against its unsur values: recomputed with 0.111 and with 1/9, judged
within the rounding of the published figures, giving the row's verdict (SPEC §4, §8)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.recaps.reader import UNSUR_COLUMNS
from skm.recaps.rows import Figure, RecapRow, Scale
from skm.recaps.verdicts import Note, Problem, Verdict, problem
from skm.scoring import Weight, format_id, ikm_from_converted, ikm_from_nrr

WEIGHTS: tuple[Weight, ...] = (Weight.W0111, Weight.NINTH)


def recompute(values: Sequence[Fraction], scale: Scale, weight: Weight) -> Fraction:
    """The IKM (25–100) from nine unsur values on their scale (SPEC §4, via skm.scoring.ikm)."""
    if scale is Scale.NRR:
        return ikm_from_nrr(values, weight)
    return ikm_from_converted(values, weight)


@dataclass(frozen=True)
class WeightCheck:
    """The IKM recomputed with one weight and whether the published IKM fits it.

    ``low`` and ``high`` bound the published IKMs that fit: the IKM recomputed from the unsur
    values at either end of their rounding (each published value stands for anything within half
    a unit of its last written decimal, kept inside the scale), widened by half a unit of the
    IKM's own last decimal (its half-up rounding). ``matches`` is ``low ≤ published ≤ high``, or
    None when no IKM was published.
    """

    weight: Weight
    ikm: Fraction
    low: Fraction
    high: Fraction
    matches: bool | None

    @property
    def tolerance(self) -> Fraction:
        """The largest distance from ``ikm`` that still fits."""
        return max(self.ikm - self.low, self.high - self.ikm)

    def widened(self, by: Fraction, published: Figure | None) -> WeightCheck:
        low, high = self.low - by, self.high + by
        matches = None if published is None else low <= published.value <= high
        return WeightCheck(self.weight, self.ikm, low, high, matches)


def weight_check(unsur: Sequence[Figure], scale: Scale, ikm: Figure | None, weight: Weight) -> WeightCheck:
    """Recompute the IKM with ``weight`` and judge the published one within its rounding (§8).

    Each published unsur value ``u_i`` written with ``d_i`` decimals stands for any value within
    ``h_i = ½·10^-d_i`` of it (kept inside the scale: "4" is 3,5–4); the IKM formula of
    :mod:`skm.scoring.ikm` applied to the lower and to the upper ends gives the range of IKMs the
    true values could have had (for NRR values ``w × 25 × Σ(u_i ± h_i)``). The published IKM,
    itself rounded half up to ``D`` decimals, fits when it lies within that range widened by
    ``H = ½·10^-D``. A row written with 3 decimals is thus held to a tighter bound than one
    written with 0.
    """
    low_bound, high_bound = scale.bounds
    values = [f.value for f in unsur]
    value = recompute(values, scale, weight)
    low = recompute([max(low_bound, f.value - f.half_unit) for f in unsur], scale, weight)
    high = recompute([min(high_bound, f.value + f.half_unit) for f in unsur], scale, weight)
    if ikm is None:
        return WeightCheck(weight, value, low, high, None)
    check = WeightCheck(weight, value, low, high, None)
    return check.widened(ikm.half_unit, ikm)


def _nrr_places(converted: Fraction) -> int | None:
    """Decimals of converted / 25 when it has at most 3 (81,75 → 3,27 → 2), else None."""
    nrr = converted / 25
    for places in range(4):
        if (nrr * 10**places).denominator == 1:
            return places
    return None


def nrr_derived_precision(figures: tuple[Figure, ...]) -> tuple[tuple[Figure, ...], list[Note]]:
    """Converted values that are NRR × 25 carry the rounding of the NRR, not their own.

    Seed 003 prints "81,75 82,00 80,00 …" under "3,27 3,28 3,2 …": exact multiples of 25 × 0,01,
    so each stands for 3,27 ± 0,005, i.e. 81,75 ± 0,125, not ± 0,005. When all nine values divided
    by 25 have at most 3 decimals (by chance with two-decimal values: 1 in 5⁹), the row is read
    with the precision of NRRs written with that many decimals. Returns the figures and a note.
    """
    places = [_nrr_places(f.value) for f in figures]
    if any(p is None for p in places):
        return figures, []
    nrr_places = max(p for p in places if p is not None)
    half = Fraction(25, 2 * 10**nrr_places)
    if all(f.half_unit >= half for f in figures):
        return figures, []
    adjusted = tuple(Figure(f.text, f.value, f.decimals, max(f.half_unit, half)) for f in figures)
    example = figures[0]
    note = Note(
        "nrr_derived",
        ngettext(
            "Nilai konversi tampaknya NRR {places} desimal × 25 ({value} = {nrr} × 25): "
            "ketelitiannya mengikuti NRR, ±{half} per unsur.",
            "Nilai konversi tampaknya NRR {places} desimal × 25 ({value} = {nrr} × 25): "
            "ketelitiannya mengikuti NRR, ±{half} per unsur.",
            nrr_places,
        ).format(
            places=nrr_places,
            value=example.display,
            nrr=format_id(example.value / 25, nrr_places),
            half=format_id(half, 4 if nrr_places < 3 else 5).rstrip("0"),
        ),
    )
    return adjusted, [note]


def fits_hint(unsur: list[Figure], scale: Scale, ikm: Figure | None) -> str:
    """Which weight the IKM would fit if an odd value were read on the other scale."""
    low, high = scale.bounds
    if ikm is None or len(unsur) != len(UNSUR_COLUMNS):
        return ""
    if not all(low <= f.value <= high for f in unsur):
        return ""
    fitting = [w.label for w in WEIGHTS if weight_check(unsur, scale, ikm, w).matches]
    if not fitting:
        return ""
    weights = f" {_('atau')} ".join(fitting)
    return " " + _("Dengan nilai itu IKM cocok dengan bobot {weight}.").format(weight=weights)


def _mismatch_hint(recap: RecapRow, checks: dict[Weight, WeightCheck]) -> str:
    ikm = recap.ikm
    if ikm is None:
        return ""
    for column, figure in zip(UNSUR_COLUMNS, recap.unsur, strict=True):
        if figure is not None and figure.value == ikm.value:
            return " " + _("IKM sama dengan nilai {unsur}: kemungkinan salah salin kolom.").format(
                unsur=column.upper()
            )
    for weight, check in checks.items():
        scaled = check.ikm * 10**ikm.decimals
        if Fraction(math.floor(scaled), 10**ikm.decimals) == ikm.value:
            return " " + _(
                "IKM tampaknya dipotong, bukan dibulatkan (bobot {weight}: {exact} → {ikm})."
            ).format(
                weight=weight.label,
                exact=format_id(check.ikm, ikm.decimals + 2),
                ikm=ikm.display,
            )
    return ""


def _unverifiable() -> Note:
    return Note(
        "unverifiable", _("IKM tanpa nilai unsur yang dapat dipakai: kebenarannya tidak dapat diperiksa.")
    )


def judge(
    recap: RecapRow,
    checks: dict[Weight, WeightCheck],
    usable: bool,
    problems: list[Problem],
    notes: list[Note],
    hint: str = "",
) -> Verdict:
    """The verdict of a row from its weight checks; its problems and notes are added to the lists.

    ``hint`` explains a mismatch better than the row alone can (an annual row's sub-periods)."""
    if not usable:
        if recap.ikm is None and not any(f is not None for f in recap.unsur):
            problems.append(problem("figures_missing", n=recap.n))
        notes.append(_unverifiable())
        return Verdict.UNVERIFIABLE
    shown = {w: format_id(c.ikm, 2) for w, c in checks.items()}
    if recap.ikm is None:
        problems.append(problem("ikm_missing", w0111=shown[Weight.W0111], w19=shown[Weight.NINTH]))
        notes.append(_unverifiable())
        return Verdict.UNVERIFIABLE
    fitting = [w for w, c in checks.items() if c.matches]
    if len(fitting) == len(WEIGHTS):
        ambiguous = _(
            "Angka terlalu kasar untuk menentukan bobot: IKM {ikm} cocok dengan bobot 0,111 ({w0111}) "
            "maupun 1/9 ({w19}) dalam batas pembulatan."
        )
        notes.append(
            Note(
                "ambiguous",
                ambiguous.format(ikm=recap.ikm.display, w0111=shown[Weight.W0111], w19=shown[Weight.NINTH]),
            )
        )
        return Verdict.AMBIGUOUS
    if fitting:
        return Verdict(fitting[0].value)
    problems.append(
        problem(
            "ikm_mismatch",
            ikm=recap.ikm.display,
            w0111=shown[Weight.W0111],
            w19=shown[Weight.NINTH],
            hint=hint or _mismatch_hint(recap, checks),
        )
    )
    return Verdict.INCONSISTENT
