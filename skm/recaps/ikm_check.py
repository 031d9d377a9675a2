"""A row's published IKM against its unsur values: recomputed with 0.111 and with 1/9, judged
within the rounding of the published figures, giving the row's verdict (SPEC §4, §8).

Three readings of the unsur values, the first that can judge wins (:func:`ikm_checks`): *exact*
(with n respondents and no blank answer every NRR is k/n), *counted* (with blanks an NRR is k/m
for some m ≤ n) and *rounded* (each value anywhere within its rounding). NRR-derived
values are never read more coarsely than a two-decimal NRR (:func:`nrr_precision`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.recaps.reader import UNSUR_COLUMNS
from skm.recaps.rows import Figure, RecapRow, Scale
from skm.recaps.verdicts import Note, Problem, Verdict, problem
from skm.scoring import Weight, format_id, ikm_from_converted, ikm_from_nrr

WEIGHTS: tuple[Weight, ...] = (Weight.W0111, Weight.NINTH)

# Reports print NRRs with two or three decimals, dropping trailing zeros ("3,6" is 3,60): an NRR,
# or a converted value derived from one, is never read more coarsely than ± half a unit of the
# second decimal of the NRR.
NRR_HALF = Fraction(1, 200)


class Reading(TextChoices):
    """How the unsur values were read for a :class:`WeightCheck` (JSON ``reading``)."""

    EXACT = "exact"
    COUNTED = "counted"
    ROUNDED = "rounded"


def recompute(values: Sequence[Fraction], scale: Scale, weight: Weight) -> Fraction:
    """The IKM (25–100) from nine unsur values on their scale (SPEC §4, via skm.scoring.ikm)."""
    if scale is Scale.NRR:
        return ikm_from_nrr(values, weight)
    return ikm_from_converted(values, weight)


@dataclass(frozen=True)
class WeightCheck:
    """The IKM recomputed with one weight and whether the published IKM fits it.

    ``low`` and ``high`` bound the published IKMs that fit: the IKM recomputed from the unsur
    values at either end of what they may stand for, widened by half a unit of the IKM's own last
    decimal (its half-up rounding). ``reading`` says what the values may stand for: anything
    within their rounding (``rounded``: half a unit of the last written decimal, kept inside the
    scale), or only the k/n (``exact``) or k/m, m ≤ n (``counted``) within it. ``matches`` is
    ``low ≤ published ≤ high``, or None when no IKM was published.
    """

    weight: Weight
    ikm: Fraction
    low: Fraction
    high: Fraction
    matches: bool | None
    reading: Reading = Reading.ROUNDED

    @property
    def tolerance(self) -> Fraction:
        """The largest distance from ``ikm`` that still fits."""
        return max(self.ikm - self.low, self.high - self.ikm)

    def widened(self, by: Fraction, published: Figure | None) -> WeightCheck:
        low, high = self.low - by, self.high + by
        matches = None if published is None else low <= published.value <= high
        return WeightCheck(self.weight, self.ikm, low, high, matches, self.reading)


def weight_check(unsur: Sequence[Figure], scale: Scale, ikm: Figure | None, weight: Weight) -> WeightCheck:
    """Recompute the IKM with ``weight`` and judge the published one within its rounding (§8).

    Each published unsur value ``u_i`` written with ``d_i`` decimals stands for any value within
    ``h_i = ½·10^-d_i`` of it (kept inside the scale: "4" is 3,5–4); the IKM formula of
    :mod:`skm.scoring.ikm` applied to the lower and to the upper ends gives the range of IKMs the
    true values could have had (for NRR values ``w × 25 × Σ(u_i ± h_i)``). The published IKM,
    itself rounded half up to ``D`` decimals, fits when it lies within that range widened by
    ``H = ½·10^-D``. A row written with 3 decimals is thus held to a tighter bound than one
    written with 0. This is the *rounded* reading of the figures as given; a row's check first
    applies :func:`nrr_precision` and tries the readings of :func:`ikm_checks`.
    """
    low_bound, high_bound = scale.bounds
    ranges = [(max(low_bound, f.value - f.half_unit), min(high_bound, f.value + f.half_unit)) for f in unsur]
    return _check_between(unsur, ranges, scale, ikm, weight, Reading.ROUNDED)


def _check_between(
    unsur: Sequence[Figure],
    ranges: Sequence[tuple[Fraction, Fraction]],
    scale: Scale,
    ikm: Figure | None,
    weight: Weight,
    reading: Reading,
) -> WeightCheck:
    """The IKM range from each value's (low, high), judged against the published IKM; ``ikm``
    stays the IKM of the printed values (JSON ``ikm_0111``, ``ikm_1_9``)."""
    lows = [low for low, _high in ranges]
    highs = [high for _low, high in ranges]
    check = WeightCheck(
        weight,
        recompute([f.value for f in unsur], scale, weight),
        recompute(lows, scale, weight),
        recompute(highs, scale, weight),
        None,
        reading,
    )
    if ikm is None:
        return check
    return check.widened(ikm.half_unit, ikm)


def _farey_bounds(x: Fraction, n: int) -> tuple[Fraction, Fraction]:
    """The largest fraction ≤ x and the smallest ≥ x whose denominators are at most n: x itself
    twice when its denominator is, else its two neighbours in the Farey sequence of order n (the
    Stern–Brocot walk of :meth:`fractions.Fraction.limit_denominator`)."""
    if x.denominator <= n:
        return x, x
    p0, q0, p1, q1 = 0, 1, 1, 0
    num, den = x.numerator, x.denominator
    while True:
        a = num // den
        q2 = q0 + a * q1
        if q2 > n:
            break
        p0, q0, p1, q1 = p1, q1, p0 + a * p1, q2
        num, den = den, num - a * den
    k = (n - q0) // q1
    one, other = Fraction(p0 + k * p1, q0 + k * q1), Fraction(p1, q1)
    return (one, other) if one < other else (other, one)


def _nrr_range(low: Fraction, high: Fraction, n: int, counted: bool) -> tuple[Fraction, Fraction] | None:
    """The smallest and largest NRR within ``low``–``high`` (inside 1–4) that n respondents can
    give: k/n (``counted`` False: nobody left the unsur blank), or k/m for some 1 ≤ m ≤ n
    (``counted``: blanks allowed). None when there is none."""
    if counted:
        least, most = _farey_bounds(low, n)[1], _farey_bounds(high, n)[0]
    else:
        least = Fraction(-(-low.numerator * n // low.denominator), n)
        most = Fraction(high.numerator * n // high.denominator, n)
    return (least, most) if least <= most else None


def value_ranges(
    unsur: Sequence[Figure], scale: Scale, n: int, *, counted: bool = False
) -> list[tuple[Fraction, Fraction]] | None:
    """What each unsur value can be when it came from n respondents: the smallest and largest k/n
    NRR within its rounding (on the row's scale: × 25 for converted values), or with ``counted``
    any k/m, m ≤ n (blank answers). None when some value admits none: then the figures did not
    come from n respondents that way (blanks, or a count that is not the one behind the values)."""
    to_nrr = Fraction(scale.factor, 25)
    low_bound, high_bound = scale.bounds
    ranges = []
    for figure in unsur:
        low = max(low_bound, figure.value - figure.half_unit) * to_nrr
        high = min(high_bound, figure.value + figure.half_unit) * to_nrr
        found = _nrr_range(low, high, n, counted)
        if found is None:
            return None
        ranges.append((found[0] / to_nrr, found[1] / to_nrr))
    return ranges


def ikm_checks(
    unsur: Sequence[Figure], scale: Scale, ikm: Figure | None, n: int | None
) -> tuple[dict[Weight, WeightCheck], list[Note]]:
    """Both weight checks of a row, on the most precise reading of its unsur values that can judge.

    With n respondents and no blank answer every NRR is k/n, so the *exact* reading is tried first
    (a small sample's values are exact: with 2 respondents "87,50" is 3,5 and nothing near it); it
    judges when the published IKM fits a weight on it. Otherwise the *counted* reading allows blanks
    (k/m, m ≤ n) and judges whatever it finds; when some value is no such fraction either (n is not
    the count behind the values), the *rounded* reading. Each reading only narrows the one after
    it, and the true values always lie within the counted and the rounded one, so a correctly
    computed row is never called inconsistent; without blanks it is never given the other weight.
    """
    rounded = {w: weight_check(unsur, scale, ikm, w) for w in WEIGHTS}
    if ikm is None or n is None or n < 1:
        return rounded, []
    exact_ranges = value_ranges(unsur, scale, n)
    if exact_ranges is not None:
        exact = {w: _check_between(unsur, exact_ranges, scale, ikm, w, Reading.EXACT) for w in WEIGHTS}
        if any(c.matches for c in exact.values()):
            return exact, _reading_notes(exact, rounded, n)
    counted_ranges = value_ranges(unsur, scale, n, counted=True)
    if counted_ranges is not None:
        counted = {w: _check_between(unsur, counted_ranges, scale, ikm, w, Reading.COUNTED) for w in WEIGHTS}
        return counted, _reading_notes(counted, rounded, n)
    return rounded, []


def _reading_notes(
    checks: dict[Weight, WeightCheck], rounded: dict[Weight, WeightCheck], n: int
) -> list[Note]:
    """A note when reading the values as counts tells more than their rounding alone."""
    if [c.matches for c in checks.values()] == [c.matches for c in rounded.values()]:
        return []
    shown = {w: format_id(c.ikm, 2) for w, c in checks.items()}
    if next(iter(checks.values())).reading is Reading.EXACT:
        text = _(
            "Dengan {n} responden tanpa jawaban kosong setiap NRR adalah kelipatan 1/{n}: nilai unsur "
            "dibaca tepat (IKM {w0111} dengan bobot 0,111, {w19} dengan 1/9)."
        )
        code = "exact_reading"
    else:
        text = _(
            "Dengan {n} responden setiap NRR adalah pecahan berpenyebut paling besar {n}, juga bila "
            "ada jawaban kosong: nilai unsur dibaca sebagai pecahan itu (IKM {w0111} dengan bobot "
            "0,111, {w19} dengan 1/9)."
        )
        code = "counted_reading"
    return [Note(code, text.format(n=format_id(n, 0), w0111=shown[Weight.W0111], w19=shown[Weight.NINTH]))]


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
    with the precision of NRRs written with that many decimals, and at least two: reports print
    NRRs with two or three decimals and drop trailing zeros, so "87,50" and "87,5" are 3,50 × 25
    (± 0,125), never 3,5 ± 0,05, and "95" is 3,80 × 25, not 95 ± 0,5: no value is read more coarsely
    than a two-decimal NRR (± 0,125). A value written finer than its NRR's rounding keeps its own
    ("79,9" under three-decimal NRRs: ± 0,05). Returns the figures and a note.
    """
    places = [_nrr_places(f.value) for f in figures]
    if any(p is None for p in places):
        return figures, []
    nrr_places = max(2, *(p for p in places if p is not None))
    half = Fraction(25, 2 * 10**nrr_places)
    coarsest = 25 * NRR_HALF
    adjusted = tuple(
        Figure(f.text, f.value, f.decimals, min(max(f.half_unit, half), coarsest)) for f in figures
    )
    changed = [(f, a.half_unit) for f, a in zip(figures, adjusted, strict=True) if a.half_unit != f.half_unit]
    if not changed:
        return figures, []
    example, example_half = changed[0]
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
            half=format_id(example_half, 4 if nrr_places < 3 else 5).rstrip("0"),
        ),
    )
    return adjusted, [note]


def nrr_precision(figures: tuple[Figure, ...], scale: Scale) -> tuple[tuple[Figure, ...], list[Note]]:
    """The figures at the precision their NRRs carry: converted values that are NRR × 25 as
    :func:`nrr_derived_precision` says; NRRs written with fewer than two decimals as two, a
    trailing zero dropped ("3,6" is 3,60 ± 0,005, "4" is 4,00). Returns the figures and a note."""
    if scale is Scale.CONVERTED:
        return nrr_derived_precision(figures)
    short = [f for f in figures if f.half_unit > NRR_HALF]
    if not short:
        return figures, []
    adjusted = tuple(Figure(f.text, f.value, f.decimals, NRR_HALF) if f in short else f for f in figures)
    note = Note(
        "nrr_two_decimals",
        _(
            "NRR ditulis dengan kurang dari dua desimal ({value}) dibaca sebagai dua desimal yang nol "
            "akhirnya dibuang: {padded} ± 0,005."
        ).format(value=short[0].display, padded=format_id(short[0].value, 2)),
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
