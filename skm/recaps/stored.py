"""Stored recaps as members of the results (SPEC §4, §5, §8): the one place results read them.

A unit with a stored recap for a range and no answers in it enters the Pemda's (or PD's) aggregate
with its recap's figures, marked as a recap. The period must match exactly: the recap's period is
the range itself (a Period of the Pemda with that start and end, or, for history without a Period,
the standard range of its kind and year). A whole calendar year with no annual recap of a unit
takes the unweighted mean of its semester (else quarter) recaps, n their sum (SPEC §4: "a year =
mean of its semesters/quarters when only period recaps exist").

- ``no data`` recaps (no respondents) never enter (SPEC §8: never a zero in an average);
- ``unverifiable`` recaps (an IKM but no unsur values) enter with their IKM only: the mean methods
  use it, the pooled method cannot and lists them apart (:attr:`RecapPart.ikm_only`);
- a unit with several services and no unit row is the unweighted mean of its services.

Pooled needs answer tallies, which a recap lacks: results approximate it as
:mod:`skm.recaps.aggregates` does (the respondent-weighted mean of per-unsur NRRs, then
IKM = Σ NRR × w × 25), and say so (:data:`POOLED_WITH_RECAPS`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Q
from django.utils.translation import gettext_lazy

from skm.organisation.models import Pemda, PerangkatDaerah, Period, Unit
from skm.recaps.models import StoredRecap
from skm.recaps.verdicts import Verdict
from skm.scoring.aggregate import Level, Method, Part, aggregate
from skm.scoring.ikm import ikm_from_converted
from skm.scoring.weights import Weight

Range = tuple[dt.date, dt.date]

POOLED_WITH_RECAPS = gettext_lazy(
    "Sebagian unit masuk dari rekap, yang tidak memuat tabulasi jawaban: gabungan (pooled) "
    "didekati dengan rata-rata NRR per unsur tertimbang jumlah responden, lalu IKM = Σ NRR × bobot × 25."
)

SUBPERIOD_KINDS = (
    (Period.Kind.SEMESTER_1, Period.Kind.SEMESTER_2),
    (Period.Kind.TRIWULAN_1, Period.Kind.TRIWULAN_2, Period.Kind.TRIWULAN_3, Period.Kind.TRIWULAN_4),
)


@dataclass(frozen=True)
class RecapPart:
    """A unit's figure for a range, from its stored recap(s)."""

    unit_id: int
    part: Part
    history: bool  # from imported history only
    ikm_only: bool  # no unsur values (unverifiable): the pooled method cannot use it


def recap_range(recap: StoredRecap) -> Range | None:
    """The date range a stored recap covers: its period's, else the standard range of its kind
    and year (None for a custom range without a Period)."""
    if recap.period_id is not None and recap.period is not None:
        return recap.period.start, recap.period.end
    try:
        return Period.standard_range(recap.period_kind, recap.year)
    except ValueError:
        return None


def recap_units_of(pemda: Pemda, periods: Sequence[Period]) -> dict[int, set[int]]:
    """`recap_units` for several periods in one query: period id → unit ids (every period a key)."""
    found: dict[int, set[int]] = {p.pk: set() for p in periods}
    if not periods:
        return found
    by_kind_year = {(p.kind, p.year): p.pk for p in periods}
    # One plain filter (kinds × years may match a pair no period has: dropped below).
    match = Q(period__in=[p.pk for p in periods]) | Q(
        period__isnull=True,
        period_kind__in={k for k, _y in by_kind_year},
        year__in={y for _k, y in by_kind_year},
    )
    rows = StoredRecap.objects.filter(pemda=pemda).filter(match)
    for unit_id, period_id, kind, year in rows.values_list("unit_id", "period_id", "period_kind", "year"):
        target = period_id if period_id is not None else by_kind_year.get((kind, year))
        if target in found:
            found[target].add(unit_id)
    return found


def recap_units(pemda: Pemda, period: Period) -> set[int]:
    """The units of `pemda` with a stored recap for `period` (compliance: they have reported).

    A recap counts for the period it names, or — history without a Period — for the same kind and
    year. Recaps of units with no data count too: the unit reported that it had no respondents."""
    return recap_units_of(pemda, [period])[period.pk]


def _part(label: str, recaps: Sequence[StoredRecap], elements: Sequence[str], weight: Weight) -> Part | None:
    """One recap row as a part: every element's value or none (IKM only)."""
    recap = recaps[0]
    if not recap.n:
        return None
    values = recap.converted_values()
    full = all(e in values for e in elements) and recap.verdict != Verdict.UNVERIFIABLE
    ikm: Fraction | None = None
    if recap.ikm is not None:
        ikm = Fraction(recap.ikm)
    elif full:
        ikm = ikm_from_converted([values[e] for e in elements], weight)
    if ikm is None:
        return None
    nrr = {e: values[e] for e in elements} if full else {}
    return Part.from_published(label, nrr, ikm, recap.n, converted=True)


def _mean(label: str, parts: Sequence[Part], level: Level, elements: Sequence[str], weight: Weight) -> Part:
    if len(parts) == 1:
        only = parts[0]
        return Part(label, only.nrr, only.ikm, only.n)
    combined = aggregate(parts, Method.MEAN_OF_UNITS, level, weight)
    full = all(len(p.nrr) == len(elements) for p in parts)
    return Part(label, combined.nrr if full else {}, combined.ikm, combined.n)


def _unit_part(
    label: str, recaps: Sequence[StoredRecap], elements: Sequence[str], weight: Weight
) -> Part | None:
    """The unit's row when it has one (no service named), else the mean of its services."""
    usable = [r for r in recaps if r.verdict != Verdict.NO_DATA and r.n]
    whole = [r for r in usable if not r.service]
    if whole:
        return _part(label, whole, elements, weight)
    parts = [p for r in usable if (p := _part(label, [r], elements, weight)) is not None]
    return _mean(label, parts, Level.SERVICES_OF_UNIT, elements, weight) if parts else None


def _whole_year(span: Range) -> int | None:
    start, end = span
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return start.year
    return None


def recap_parts(
    pemda: Pemda,
    ranges: Sequence[Range],
    elements: Sequence[str],
    *,
    units: Iterable[int] | None = None,
    perangkat_daerah: PerangkatDaerah | None = None,
    loaded: Sequence[StoredRecap] | None = None,
) -> list[dict[int, RecapPart]]:
    """For each range, unit id → the unit's recap figure for exactly that range (see the module
    docstring), from one query (none with ``loaded``, the recaps already read). ``units`` limits
    the units considered."""
    weight = pemda.weight_enum
    if loaded is None:
        years = {y for start, end in ranges for y in range(start.year, end.year + 1)}
        found = StoredRecap.objects.filter(pemda=pemda, year__in=years).select_related("period", "unit")
        if perangkat_daerah is not None:
            found = found.filter(unit__perangkat_daerah=perangkat_daerah)
        if units is not None:
            found = found.filter(unit_id__in=list(units))
        loaded = list(found.order_by("unit_id", "service", "pk"))
    by_range: dict[Range, list[StoredRecap]] = defaultdict(list)
    everything = list(loaded)
    for recap in everything:
        span = recap_range(recap)
        if span is not None:
            by_range[span].append(recap)
    out: list[dict[int, RecapPart]] = []
    for span in ranges:
        members: dict[int, RecapPart] = {}
        exact: dict[int, list[StoredRecap]] = defaultdict(list)
        for recap in by_range.get(span, []):
            exact[recap.unit_id].append(recap)
        for unit_id, recaps in exact.items():
            part = _unit_part(recaps[0].unit.name, recaps, elements, weight)
            if part is not None:
                members[unit_id] = _member(unit_id, part, recaps)
        year = _whole_year(span)
        if year is not None:
            members.update(_years_from_subperiods(everything, year, elements, weight, skip=set(exact)))
        out.append(members)
    return out


def _member(unit_id: int, part: Part, recaps: Sequence[StoredRecap]) -> RecapPart:
    history = all(r.is_history for r in recaps)
    return RecapPart(unit_id, part, history=history, ikm_only=len(part.nrr) == 0)


def _years_from_subperiods(
    recaps: Sequence[StoredRecap],
    year: int,
    elements: Sequence[str],
    weight: Weight,
    *,
    skip: set[int],
) -> dict[int, RecapPart]:
    """Units without a recap for the whole year: the mean of their semester (else quarter) recaps."""
    members: dict[int, RecapPart] = {}
    for kinds in SUBPERIOD_KINDS:
        by_unit: dict[int, dict[str, list[StoredRecap]]] = defaultdict(lambda: defaultdict(list))
        for recap in recaps:
            wanted = recap.year == year and recap.period_kind in kinds
            if wanted and recap.unit_id not in skip and recap.unit_id not in members:
                by_unit[recap.unit_id][recap.period_kind].append(recap)
        for unit_id, per_kind in by_unit.items():
            label = next(iter(per_kind.values()))[0].unit.name
            parts = [p for rows in per_kind.values() if (p := _unit_part(label, rows, elements, weight))]
            if parts:
                part = _mean(label, parts, Level.YEAR_FROM_SUBPERIODS, elements, weight)
                members[unit_id] = _member(unit_id, part, [r for rs in per_kind.values() for r in rs])
    return members


def history_years(pemda: Pemda, perangkat_daerah: PerangkatDaerah | None = None) -> list[int]:
    """The years for which the Pemda (or PD) has stored recaps."""
    found = StoredRecap.objects.filter(pemda=pemda)
    if perangkat_daerah is not None:
        found = found.filter(unit__perangkat_daerah=perangkat_daerah)
    return sorted(set(found.values_list("year", flat=True)))


@dataclass(frozen=True)
class YearFigure:
    """A unit's figure for one calendar year from its stored recaps (its unit page's history)."""

    year: int
    part: Part
    history: bool


def unit_years(unit: Unit, elements: Sequence[str]) -> list[YearFigure]:
    """Each year for which the unit has stored recaps, its figure for the whole year: its annual
    recap, or the mean of its semesters (quarters); one query."""
    found = list(
        StoredRecap.objects.filter(unit=unit).select_related("period", "unit").order_by("service", "pk")
    )
    years = sorted({r.year for r in found})
    spans = [(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years]
    figures = recap_parts(unit.pemda, spans, elements, loaded=found)
    return [
        YearFigure(y, parts[unit.pk].part, parts[unit.pk].history)
        for y, parts in zip(years, figures, strict=True)
        if unit.pk in parts
    ]
