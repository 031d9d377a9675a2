"""Figures above one unit (SPEC §4 "Aggregating above one unit").

Three methods, all offered, the first the default; every aggregate names its method and the level
it averages over:

1. mean of unit IKMs, unweighted — the national recap template's rule, and what the reports do
   for a city from its units or services, a parent unit from its children and a year from its
   semesters or quarters (per unsur and for the IKM, n the sum);
2. pooled — all answers together, scored as one unit (needs each part's tallies);
3. respondent-weighted mean of the parts' figures.

Pooled equals respondent-weighted only when no answer is blank. A part with no respondents is
"no data": it is listed in ``skipped`` and never enters an aggregate as a zero (SPEC §8).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from skm.scoring.bands import Band, band_for
from skm.scoring.elements import ELEMENTS
from skm.scoring.ikm import Score, UnsurTally, score_tallies
from skm.scoring.rounding import Number, round_half_up, to_fraction
from skm.scoring.text import Translate, gettext_noop, untranslated
from skm.scoring.weights import DEFAULT_WEIGHT, Weight

_METHOD_LABELS: dict[str, str] = {
    "mean_of_units": gettext_noop("Rata-rata IKM (tidak tertimbang)"),
    "pooled": gettext_noop("Gabungan seluruh jawaban"),
    "respondent_weighted": gettext_noop("Rata-rata tertimbang jumlah responden"),
}


class Method(StrEnum):
    """How parts are combined into one figure (SPEC §4 "Aggregating above one unit")."""

    MEAN_OF_UNITS = "mean_of_units"
    POOLED = "pooled"
    RESPONDENT_WEIGHTED = "respondent_weighted"

    @property
    def label(self) -> str:
        """Name of the method, for footnotes that state it (SPEC §4, §6): an Indonesian message id."""
        return _METHOD_LABELS[self.value]


# value → (label, a count of its parts: "{count} unit")
_LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "unit": (gettext_noop("Kelompok unit layanan"), gettext_noop("{count} unit")),
    "service": (gettext_noop("Kelompok jenis layanan"), gettext_noop("{count} jenis layanan")),
    "services_of_unit": (
        gettext_noop("Unit layanan dari jenis layanannya"),
        gettext_noop("{count} jenis layanan"),
    ),
    "perangkat_daerah": (
        gettext_noop("Perangkat Daerah dari unit di bawahnya"),
        gettext_noop("{count} unit"),
    ),
    "pemda": (gettext_noop("Pemerintah Daerah"), gettext_noop("{count} unit")),
    "year_from_subperiods": (
        gettext_noop("Tahunan dari periode semester/triwulan"),
        gettext_noop("{count} periode"),
    ),
}


class Level(StrEnum):
    """What an aggregate is and what its parts are (SPEC §4: "the level it averages over").

    UNIT: a group of units (e.g. one unit type); SERVICE: a group of service products (seed 000:
    a city from its 103 services); SERVICES_OF_UNIT: a unit from its services; PERANGKAT_DAERAH:
    a parent from its children; PEMDA: a Pemda from its units; YEAR_FROM_SUBPERIODS: a year from
    its semesters or quarters.
    """

    UNIT = "unit"
    SERVICE = "service"
    SERVICES_OF_UNIT = "services_of_unit"
    PERANGKAT_DAERAH = "perangkat_daerah"
    PEMDA = "pemda"
    YEAR_FROM_SUBPERIODS = "year_from_subperiods"

    @property
    def label(self) -> str:
        """Name of the level (SPEC §4, §6): an Indonesian message id."""
        return _LEVEL_LABELS[self.value][0]

    @property
    def part_noun(self) -> str:
        """Indonesian noun for the parts averaged at this level: "unit", "periode"…"""
        return _LEVEL_LABELS[self.value][1].removeprefix("{count} ")

    def parts(self, count: int, translate: Translate = untranslated) -> str:
        """A number of parts of this level: "12 unit", "2 periode"."""
        return translate(_LEVEL_LABELS[self.value][1]).format(count=count)


def _within(value: Fraction, low: int, high: int, *, open_below: bool = False) -> bool:
    """``low ≤ value ≤ high`` (``low < value`` if ``open_below``).

    For a Fraction p/q (q > 0) the same verdict as comparing it, in integers: low·q ≤ p ≤ high·q.
    """
    if type(value) is not Fraction:
        return (low < value if open_below else low <= value) and value <= high
    p, q = value.numerator, value.denominator
    return (low * q < p if open_below else low * q <= p) and p <= high * q


@dataclass(frozen=True)
class Part:
    """One unit, service or sub-period entering an aggregate (SPEC §4).

    ``nrr`` may lack unsur (a published row with an IKM but no unsur values); ``ikm`` is None only
    for a part with no respondents, which aggregates skip. ``tallies`` are needed for POOLED.
    """

    label: str
    nrr: Mapping[str, Fraction]
    ikm: Fraction | None
    n: int
    tallies: Mapping[str, UnsurTally] | None = None

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError(f"{self.label}: the number of respondents cannot be negative")
        if self.n > 0 and self.ikm is None:
            raise ValueError(f"{self.label}: {self.n} respondents but no IKM")
        if self.ikm is not None and not _within(self.ikm, 0, 100, open_below=True):
            raise ValueError(f"{self.label}: IKM {float(self.ikm)} is outside the 25–100 scale")
        for element, value in self.nrr.items():
            if not _within(value, 1, 4):
                raise ValueError(f"{self.label}: NRR of {element} is outside the 1–4 scale")

    @classmethod
    def from_score(cls, label: str, score: Score) -> Part:
        """A part from a computed :class:`~skm.scoring.ikm.Score`, with its tallies (SPEC §4).

        A score whose IKM is missing because some unsur has no answer cannot be averaged; it
        raises ValueError (a score with no respondents becomes a "no data" part).
        """
        if score.n > 0 and score.ikm is None:
            raise ValueError(f"{label}: no answers to {', '.join(score.missing)}, so no IKM")
        nrr = {element: u.nrr for element, u in score.unsur.items()}
        return cls(label, nrr, score.ikm, score.n, dict(score.tallies))

    @classmethod
    def from_published(
        cls,
        label: str,
        nrr_values: Mapping[str, Number] | Sequence[Number],
        ikm: Number | None,
        n: int,
        *,
        elements: Sequence[str] = ELEMENTS,
        converted: bool = False,
    ) -> Part:
        """A part from a published recap row: unsur values, IKM, respondents (SPEC §4, §8).

        ``nrr_values`` is a mapping element → value, or a sequence read in the order of
        ``elements`` (pass the Pemda's order: seed 003 puts pengaduan before sarana). With
        ``converted=True`` the values are on the 25–100 scale and are divided by 25. A row with
        n = 0 is "no data" whatever it prints (often IKM "0,00"): it keeps no figures.
        """
        if n == 0:
            return cls(label, {}, None, 0)
        if isinstance(nrr_values, str):
            raise ValueError(f"{label}: expected one value per unsur, not a single string")
        if isinstance(nrr_values, Mapping):
            pairs = list(nrr_values.items())
        else:
            if len(nrr_values) not in (0, len(elements)):
                raise ValueError(f"{label}: {len(nrr_values)} unsur values for {len(elements)} elements")
            pairs = list(zip(elements, nrr_values, strict=False))
        scale = Fraction(1, 25) if converted else Fraction(1)
        nrr = {element: to_fraction(value) * scale for element, value in pairs}
        return cls(label, nrr, None if ikm is None else to_fraction(ikm), n)


@dataclass(frozen=True)
class Aggregate:
    """An aggregate figure that names its method and level (SPEC §4, §6 footnotes).

    ``nrr`` is per unsur on the 1–4 scale; ``ikm`` on the 25–100 scale (None with no data);
    ``n`` the sum of the parts' respondents; ``parts`` the number of parts used; ``skipped`` the
    labels of parts without respondents; ``description`` an Indonesian sentence for a footnote
    (:func:`describe` gives it in another language).
    """

    method: Method
    level: Level
    weight: Weight
    nrr: dict[str, Fraction]
    ikm: Fraction | None
    band: Band | None
    n: int
    parts: int
    skipped: tuple[str, ...]
    description: str

    def display(self, places: int = 2) -> Decimal | None:
        """The IKM rounded half up to ``places`` decimals, or None (SPEC §4 "Precision")."""
        return None if self.ikm is None else round_half_up(self.ikm, places)


def _mean(values: Sequence[Fraction], ns: Sequence[int] | None) -> Fraction | None:
    """Mean of ``values``, unweighted or (with ``ns``) weighted by each n; None when there are none.

    ``Σ n_i·p_i/q_i / Σ n_i`` as one exact Fraction: over the common denominator L = lcm(q_i) the
    numerator is ``Σ n_i·p_i·(L/q_i)``, so there is one gcd at the end rather than one per addition
    (whose denominators grow with every part).
    """
    weights = len(values) if ns is None else sum(ns)
    if not weights:
        return None
    denominators = [value.denominator for value in values]
    common = math.lcm(*denominators)
    if ns is None:
        numerator = sum(v.numerator * (common // q) for v, q in zip(values, denominators, strict=True))
    else:
        numerator = sum(
            n * v.numerator * (common // q) for v, q, n in zip(values, denominators, ns, strict=True)
        )
    return Fraction(numerator, common * weights)


_DESCRIPTIONS: dict[str, str] = {
    "mean_of_units": gettext_noop("rata-rata IKM {parts} (tidak tertimbang)"),
    "respondent_weighted": gettext_noop("rata-rata IKM {parts}, tertimbang jumlah responden"),
    "pooled": gettext_noop("seluruh jawaban {n} responden dari {parts} digabung sebagai satu unit"),
}
_NO_DATA = gettext_noop("tidak ada data")
_SKIPPED = gettext_noop("; {parts} tanpa responden tidak dihitung")


def describe(
    method: Method, level: Level, used: int, n: int, skipped: int, translate: Translate = untranslated
) -> str:
    """The footnote of an aggregate: its level, its method and what it counted (SPEC §4, §6).

    In Indonesian unless ``translate`` (Django's gettext, where the footnote is shown) says otherwise.
    """
    if used == 0:
        text = translate(_NO_DATA)
    else:
        text = translate(_DESCRIPTIONS[method.value]).format(parts=level.parts(used, translate), n=n)
    if skipped:
        text += translate(_SKIPPED).format(parts=level.parts(skipped, translate))
    return f"{translate(level.label)}: {text}."


def aggregate(
    parts: Sequence[Part],
    method: Method = Method.MEAN_OF_UNITS,
    level: Level = Level.PEMDA,
    weight: Weight = DEFAULT_WEIGHT,
) -> Aggregate:
    """Combine parts into one figure by ``method`` (SPEC §4 "Aggregating above one unit").

    - MEAN_OF_UNITS: IKM = (1/k) Σ IKM_p and NRR_i = (1/k) Σ NRR_p,i over the k parts with data
      (for NRR_i, over the parts that report unsur i);
    - RESPONDENT_WEIGHTED: the same means weighted by each part's n;
    - POOLED: tallies summed per unsur and scored as one unit with ``weight``
      (:func:`~skm.scoring.ikm.score_tallies`); every part with data must carry tallies.

    n is always the sum of the parts' n. Parts with n = 0 are skipped, never counted as zeros.
    For the mean methods ``weight`` only sets the scale the category is read on; the parts' IKMs
    must have been computed with it. ``method``, ``level`` and ``weight`` may also be given as
    their stored values ("pooled", "pemda", "1/9").
    """
    method, level, weight = Method(method), Level(level), Weight(weight)
    used = [p for p in parts if p.n > 0]
    skipped = tuple(p.label for p in parts if p.n == 0)
    n = sum(p.n for p in used)
    nrr: dict[str, Fraction] = {}
    ikm: Fraction | None = None
    band: Band | None = None
    if method is Method.POOLED:
        if used:
            lacking = [p.label for p in used if p.tallies is None]
            if lacking:
                raise ValueError(
                    "the pooled method needs the answer tallies of every part; none for: "
                    + ", ".join(lacking)
                )
            # Summed as plain ints, one UnsurTally per unsur at the end: the same as adding the
            # tallies (UnsurTally.__add__), whose sums of valid tallies are always valid.
            counts: dict[str, int] = {}
            totals: dict[str, int] = {}
            for tallies in (p.tallies for p in used if p.tallies is not None):
                for element, t in tallies.items():
                    counts[element] = counts.get(element, 0) + t.count
                    totals[element] = totals.get(element, 0) + t.total
            pooled = {element: UnsurTally(count, totals[element]) for element, count in counts.items()}
            score = score_tallies(pooled, n, weight)
            nrr = {element: u.nrr for element, u in score.unsur.items()}
            ikm, band = score.ikm, score.band
    else:
        by_n = method is Method.RESPONDENT_WEIGHTED
        # Each unsur's values (and the n of their parts), unsur in the order they first appear.
        values: dict[str, tuple[list[Fraction], list[int]]] = {}
        for p in used:
            for element, value in p.nrr.items():
                unsur_values, unsur_ns = values.setdefault(element, ([], []))
                unsur_values.append(value)
                unsur_ns.append(p.n)
        for element, (unsur_values, unsur_ns) in values.items():
            mean = _mean(unsur_values, unsur_ns if by_n else None)
            if mean is not None:
                nrr[element] = mean
        ikms = [(p.ikm, p.n) for p in used if p.ikm is not None]
        ikm = _mean([value for value, _ in ikms], [n for _, n in ikms] if by_n else None)
        band = None if ikm is None else band_for(ikm, weight=weight)
    description = describe(method, level, len(used), n, len(skipped))
    return Aggregate(method, level, weight, nrr, ikm, band, n, len(used), skipped, description)
