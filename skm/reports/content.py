"""What the Laporan Pelaksanaan SKM says (SPEC §6), read from a closed period's frozen snapshot.

:func:`build` gathers every figure of the report of a Pemda (or one Perangkat Daerah) for a closed
period, inside the snapshot's reading (skm.results.freeze): each unit's row of BAB III — unsur
values, IKM, mutu, respondents, Metode SKM, priority unsur, this period's RTL and the previous
period's realisation — with its service sub-rows and its semester or quarter rows; sections by
unit type with their averages; the Perangkat Daerah subtotals; the Pemda total; and the summaries
that follow the table (category × unit type, most respondents, category A, the trend, the
Pemda's own per-unsur table and profile). Every aggregate comes from skm.results.compute with
the Pemda's method, so a figure in the report is the figure on the results pages for the same
snapshot version, and is printed once.

:func:`unit_report` is the one-unit report (a unit's own Laporan SKM) from the same pieces.
The formats (skm.reports.docx, .xlsx, .pdf) only lay these figures out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from skm.collection import rollups
from skm.collection.models import ROLLUP_SUM_COLUMNS, FrozenRollup, PeriodSnapshot
from skm.followup.models import Rtl
from skm.followup.rtl import realisation_of
from skm.organisation.models import Frequency, Pemda, PerangkatDaerah, Period, Unit, UnitType
from skm.periods.compliance import Compliance, Status, compliance
from skm.results import freeze
from skm.results.compute import Member, PemdaResult, Roster, element_order, pemda_results, unsur_labels
from skm.results.metode import Metode, metode_skm
from skm.results.overview import Overview, PdRow, ProfileTable, TypeRow, UnsurRow, overview
from skm.results.ranges import DateRange
from skm.scoring.aggregate import Aggregate, Level, Method, Part, aggregate
from skm.scoring.bands import Band, band_for
from skm.scoring.ikm import score_tallies
from skm.scoring.priority import priority_unsur


class ReportError(ValueError):
    """A report that cannot be made (an open period, an unknown one): the message says why."""


# The sub-periods of a year for units surveying more often than yearly (SPEC §5, seed 003).
SUBPERIODS: dict[str, tuple[str, ...]] = {
    Frequency.SEMESTER: ("s1", "s2"),
    Frequency.TRIWULAN: ("tw1", "tw2", "tw3", "tw4"),
}


@dataclass(frozen=True)
class Figures:
    """One row's figures: NRR per unsur (1–4), IKM (25–100), its band, respondents."""

    nrr: Mapping[str, Fraction]
    ikm: Fraction | None
    band: Band | None
    n: int

    @classmethod
    def of_part(cls, part: Part, weight: Any) -> Figures:
        band = None if part.ikm is None else band_for(part.ikm, weight=weight)
        return cls(dict(part.nrr), part.ikm, band, part.n)

    @classmethod
    def of_aggregate(cls, agg: Aggregate) -> Figures:
        return cls(dict(agg.nrr), agg.ikm, agg.band, agg.n)

    def converted(self, element: str) -> Fraction | None:
        value = self.nrr.get(element)
        return None if value is None else value * 25


@dataclass(frozen=True)
class SubRow:
    """A service product or a sub-period of a unit's row, with its own figures."""

    label: str
    figures: Figures


@dataclass
class UnitRow:
    number: int
    unit: Unit
    type_name: str
    pd_name: str
    period_label: str
    figures: Figures
    metode: Metode | None
    priority: list[str]  # element codes, lowest first
    priority_chosen: bool  # the unit's own choice (its RTL), not the suggestion
    rtl: list[tuple[str, str]]  # (element, action) of this period's plan
    previous_realisation: Fraction | None  # percent, of the previous closed period's RTL
    previous_narrative: str
    previous_period: str
    recap: bool = False  # figures from the unit's stored recap
    incomplete: bool = False  # answers, but some unsur never answered: no IKM
    history: bool = False
    status: Status | None = None
    reason: str = ""
    services: list[SubRow] = field(default_factory=list)
    subperiods: list[SubRow] = field(default_factory=list)
    subperiod_mean: Figures | None = None  # "Rata-rata Tahunan": unweighted mean of the sub-periods


@dataclass
class Section:
    """The units of one unit type and their average (seed 001's sections)."""

    name: str
    rows: list[UnitRow]
    average: Aggregate


@dataclass(frozen=True)
class NotReported:
    unit: Unit
    status: Status
    reason: str


@dataclass
class Report:
    pemda: Pemda
    period: Period
    snapshot: PeriodSnapshot
    perangkat_daerah: PerangkatDaerah | None
    method: Method
    level: Level
    places: int
    elements: tuple[str, ...]
    labels: dict[str, str]
    sections: list[Section]
    total: PemdaResult
    total_realisation: Fraction | None  # mean over units whose previous RTL has items
    realisation_units: int
    pds: list[PdRow]
    by_type: list[TypeRow]
    many: list[tuple[Member, Decimal]]
    unsur: list[UnsurRow]
    unsur_sorted: list[UnsurRow]
    profile: list[ProfileTable]
    trend: list[tuple[str, Fraction | None]]  # each year with data, this one included
    compliance: Compliance
    priority_counts: list[tuple[str, int]]  # element, units listing it; most first
    late_answers: int  # answers dated in the period that arrived after the cut-off
    made_at: dt.datetime
    overview: Overview

    @property
    def rows(self) -> list[UnitRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def category_a(self) -> list[UnitRow]:
        return [r for r in self.rows if r.figures.band is not None and r.figures.band.mutu == "A"]

    @property
    def not_reported(self) -> list[NotReported]:
        return [
            NotReported(line.unit, line.status, line.report.reason if line.report else "")
            for line in self.compliance.lines
            if line.status != Status.DILAPORKAN
        ]

    @property
    def lowest_unsur(self) -> UnsurRow | None:
        return self.unsur_sorted[-1] if self.unsur_sorted else None

    @property
    def weight(self) -> Any:
        return self.pemda.weight_enum


def closed_periods(pemda: Pemda) -> list[Period]:
    """The Pemda's closed periods, newest first."""
    return list(
        Period.objects.filter(pemda=pemda, closed_at__isnull=False).order_by("-end", "-start", "kind")
    )


def find_period(pemda: Pemda, text: str) -> Period:
    """The closed period named by its id or its label as pages show it ("Tahunan 2025"); an
    unknown or open period is refused with the list of closed ones."""
    wanted = " ".join(str(text).split()).casefold()
    periods = list(Period.objects.filter(pemda=pemda))
    found = [p for p in periods if str(p.pk) == wanted or p.display_label.casefold() == wanted]
    closed = closed_periods(pemda)
    listing = ", ".join(f"{p.display_label} (id {p.pk})" for p in closed) or _("belum ada")
    if not found:
        raise ReportError(
            _("Periode '%(text)s' tidak ditemukan di %(pemda)s. Periode yang sudah ditutup: %(list)s.")
            % {"text": text, "pemda": pemda.name, "list": listing}
        )
    period = found[0]
    if not period.is_closed:
        raise ReportError(
            _(
                "Periode %(period)s belum ditutup: laporan dibuat dari angka yang dibekukan. "
                "Periode yang sudah ditutup: %(list)s."
            )
            % {"period": period.display_label, "list": listing}
        )
    return period


def snapshot_of(period: Period, version: int | None = None) -> PeriodSnapshot:
    """The period's current snapshot, or version `version` of it."""
    rows = PeriodSnapshot.objects.filter(period=period).order_by("-version")
    if version is not None:
        rows = rows.filter(version=version)
    snapshot = rows.first()
    if snapshot is None:
        raise ReportError(
            _("Periode %(period)s tidak punya snapshot versi %(version)s.")
            % {"period": period.display_label, "version": version or "-"}
        )
    return snapshot


def build(
    period: Period,
    *,
    perangkat_daerah: PerangkatDaerah | None = None,
    version: int | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """The report of `period` (closed) for its Pemda, or for one Perangkat Daerah of it."""
    if not period.is_closed:
        raise ReportError(_("Periode %(period)s belum ditutup.") % {"period": period.display_label})
    pemda = Pemda.objects.get(pk=period.pemda_id)
    snapshot = snapshot_of(period, version)
    span = DateRange(snapshot.start, snapshot.end, period.display_label, period)
    frozen = freeze.for_range(pemda, span, {"versi": str(snapshot.version)})
    method = Method(pemda.aggregation_method)
    with frozen.reading():
        seen = overview(pemda, span.start, span.end, method=method, pd=perangkat_daerah, today=span.end)
        roster = Roster.of(pemda, perangkat_daerah)
        by_unit, by_service = (
            pemda_results(pemda, [(span.start, span.end)], method=method, level=level, roster=roster)[0]
            for level in (Level.PEMDA, Level.SERVICE)
        )
    sums = _unit_sums(snapshot, perangkat_daerah)
    states = compliance(pemda, period, perangkat_daerah)
    status = {line.unit.pk: line for line in states.lines}
    elements = element_order(pemda)
    rtl_now = _plans(pemda, period)
    previous = _previous_plans(pemda, snapshot.start)
    subperiods = _subperiod_figures(snapshot, pemda, roster, period)
    weight = pemda.weight_enum
    types = {t.pk: t.name for t in UnitType.objects.filter(pemda=pemda)}
    pd_names = {p.pk: p.short_name or p.name for p in PerangkatDaerah.objects.filter(pemda=pemda)}
    service_rows: dict[int, list[SubRow]] = {}
    for member in by_service.members:
        if member.service is not None and member.part.n > 0:
            service_rows.setdefault(member.unit.pk, []).append(
                SubRow(member.service, Figures.of_part(member.part, weight))
            )
    rows: list[UnitRow] = []
    # Every unit the report covers: those in the aggregate, and those with answers but some unsur
    # never answered (no IKM, so not in it: listed with what they have, marked incomplete).
    listed = {m.unit.pk for m in by_unit.members}
    order = {pk: i for i, pk in enumerate(roster.units)}
    entries: list[tuple[Unit, Figures, Member | None]] = [
        (m.unit, Figures.of_part(m.part, weight), m) for m in by_unit.members
    ]
    for pk, unit in roster.units.items():
        if pk not in listed and sums.get(pk, {}).get("n", 0) > 0:
            summary = rollups.summary_of(sums[pk])
            score = score_tallies({e: summary.tallies[e] for e in elements}, summary.n, weight)
            nrr = {e: u.nrr for e, u in score.unsur.items() if u.nrr is not None}
            entries.append((unit, Figures(nrr, None, None, score.n), None))
    entries.sort(key=lambda entry: order.get(entry[0].pk, len(order)))
    for unit, figures, member in entries:
        plan = rtl_now.get(unit.pk)
        if plan is not None and plan.chosen:
            priority, chosen = [e for e in elements if e in plan.chosen], True
            priority.sort(key=lambda e: figures.nrr.get(e, Fraction(5)))
        else:
            priority = priority_unsur(figures.nrr, places=3) if figures.ikm is not None else []
            chosen = False
        before = previous.get(unit.pk)
        line = status.get(unit.pk)
        subs = subperiods.get(unit.pk, [])
        rows.append(
            UnitRow(
                number=0,
                unit=unit,
                type_name=types.get(unit.unit_type_id, "–"),
                pd_name=pd_names.get(unit.perangkat_daerah_id, "") if unit.perangkat_daerah_id else "",
                period_label=period.display_label,
                figures=figures,
                metode=metode_skm(rollups.summary_of(sums.get(unit.pk, {})).channels),
                priority=priority,
                priority_chosen=chosen,
                rtl=[(item.element, item.action) for item in plan.items.all()] if plan else [],
                previous_realisation=before[1] if before else None,
                previous_narrative=before[2] if before else "",
                previous_period=before[0].period.display_label if before else "",
                recap=bool(member and member.recap),
                history=bool(member and member.history),
                incomplete=member is None,
                status=line.status if line else None,
                reason=line.report.reason if line and line.report else "",
                services=service_rows.get(unit.pk, []) if len(service_rows.get(unit.pk, [])) > 1 else [],
                subperiods=subs,
                subperiod_mean=_mean_of(subs, method, weight),
            )
        )
    sections = _sections(pemda, rows, method, weight)
    realised = [r.previous_realisation for r in rows if r.previous_realisation is not None]
    counts = Counter(e for r in rows for e in r.priority)
    order = {e: i for i, e in enumerate(elements)}
    return Report(
        pemda=pemda,
        period=period,
        snapshot=snapshot,
        perangkat_daerah=perangkat_daerah,
        method=method,
        level=Level.PEMDA,
        places=pemda.display_precision,
        elements=elements,
        labels=unsur_labels(pemda),
        sections=sections,
        total=seen.headline,
        total_realisation=sum(realised, Fraction(0)) / len(realised) if realised else None,
        realisation_units=len(realised),
        pds=seen.pds,
        by_type=seen.by_type,
        many=seen.many,
        unsur=seen.unsur,
        unsur_sorted=seen.unsur_sorted,
        profile=seen.profile,
        trend=_trend_to(seen.trend_years, snapshot.end.year),
        compliance=states,
        priority_counts=sorted(counts.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99))),
        late_answers=frozen.late_total,
        made_at=now or timezone.now(),
        overview=seen,
    )


def _trend_to(years: Sequence[tuple[str, Fraction | None]], last: int) -> list[tuple[str, Fraction | None]]:
    """The trend's years up to the report's own (later years are not yet known to the report)."""
    out = []
    for label, value in years:
        head = label.split(" ", 1)[0]
        if head.isdigit() and int(head) > last:
            continue
        out.append((label, value))
    return out


def _unit_sums(snapshot: PeriodSnapshot, pd: PerangkatDaerah | None) -> dict[int, dict[str, int]]:
    """The snapshot's counted sums per unit (channels for the Metode SKM), one query."""
    rows = FrozenRollup.objects.filter(snapshot=snapshot, is_excluded=False)
    if pd is not None:
        rows = rows.filter(unit__perangkat_daerah=pd)
    found = rows.values("unit_id").annotate(**{f"s_{c}": Sum(c) for c in ROLLUP_SUM_COLUMNS})
    return {row["unit_id"]: {c: int(row[f"s_{c}"] or 0) for c in ROLLUP_SUM_COLUMNS} for row in found}


def _plans(pemda: Pemda, period: Period) -> dict[int, Rtl]:
    """This period's RTL per unit, with its items (two queries)."""
    plans = Rtl.objects.filter(unit__pemda=pemda, period=period).prefetch_related("items")
    return {plan.unit_id: plan for plan in plans}


def _previous_plans(pemda: Pemda, start: dt.date) -> dict[int, tuple[Rtl, Fraction | None, str]]:
    """Per unit, the RTL of its latest closed period ending before `start`, its realisation (%)
    and the realisation narratives (skm.followup.rtl.previous_rtl for every unit, two queries)."""
    plans = (
        Rtl.objects.filter(unit__pemda=pemda, period__closed_at__isnull=False, period__end__lt=start)
        .select_related("period")
        .prefetch_related("items")
        .order_by("unit_id", "-period__end", "-period__start")
    )
    found: dict[int, tuple[Rtl, Fraction | None, str]] = {}
    for plan in plans:
        if plan.unit_id in found:
            continue
        items = list(plan.items.all())
        narrative = "; ".join(i.narrative.strip() for i in items if i.narrative.strip())
        found[plan.unit_id] = (plan, realisation_of(items), narrative)
    return found


def _subperiod_ranges(period: Period, frequency: str) -> list[tuple[str, dt.date, dt.date]]:
    """The semesters or quarters of a Tahunan period, clipped to its dates, with their labels."""
    out = []
    for kind in SUBPERIODS.get(frequency, ()):
        start, end = Period.standard_range(kind, period.year)
        start, end = max(start, period.start), min(end, period.end)
        if start <= end:
            out.append((str(Period.Kind(kind).label), start, end))
    return out


def _subperiod_figures(
    snapshot: PeriodSnapshot, pemda: Pemda, roster: Roster, period: Period
) -> dict[int, list[SubRow]]:
    """For a Tahunan report, each semester- or quarter-surveying unit's sub-period rows, read from
    the same snapshot by month (one query): the year's figures and its parts agree by construction."""
    if period.kind != Period.Kind.TAHUNAN:
        return {}
    units = [u for u in roster.units.values() if u.frequency in SUBPERIODS]
    if not units:
        return {}
    rows = (
        FrozenRollup.objects.filter(snapshot=snapshot, is_excluded=False, unit__in=[u.pk for u in units])
        .values("unit_id", "month")
        .annotate(**{f"s_{c}": Sum(c) for c in ROLLUP_SUM_COLUMNS})
    )
    by_unit: dict[int, list[tuple[dt.date, dict[str, int]]]] = {}
    for row in rows:
        sums = {c: int(row[f"s_{c}"] or 0) for c in ROLLUP_SUM_COLUMNS}
        by_unit.setdefault(row["unit_id"], []).append((row["month"], sums))
    elements = element_order(pemda)
    weight = pemda.weight_enum
    out: dict[int, list[SubRow]] = {}
    for unit in units:
        months = by_unit.get(unit.pk, [])
        subs = []
        for label, start, end in _subperiod_ranges(period, unit.frequency):
            first = start.replace(day=1)
            total: dict[str, int] = dict.fromkeys(ROLLUP_SUM_COLUMNS, 0)
            for month, sums in months:
                if first <= month <= end:
                    for c, v in sums.items():
                        total[c] += v
            summary = rollups.summary_of(total)
            score = score_tallies({e: summary.tallies[e] for e in elements}, summary.n, weight)
            if score.n == 0 or score.ikm is None:  # no answers, or some unsur never answered
                nrr = {e: u.nrr for e, u in score.unsur.items() if u.nrr is not None}
                subs.append(SubRow(label, Figures(nrr, None, None, score.n)))
            else:
                subs.append(SubRow(label, Figures.of_part(Part.from_score(label, score), weight)))
        out[unit.pk] = subs
    return out


def _mean_of(subs: Sequence[SubRow], method: Method, weight: Any) -> Figures | None:
    """The "Rata-rata Tahunan" row of seed 003: the unweighted mean of the sub-periods with
    answers (per unsur and for the IKM), n their sum (SPEC §4, Level.YEAR_FROM_SUBPERIODS)."""
    parts = [
        Part(s.label, dict(s.figures.nrr), s.figures.ikm, s.figures.n)
        for s in subs
        if s.figures.ikm is not None
    ]
    if len(parts) < 2:
        return None
    return Figures.of_aggregate(aggregate(parts, Method.MEAN_OF_UNITS, Level.YEAR_FROM_SUBPERIODS, weight))


def _sections(pemda: Pemda, rows: list[UnitRow], method: Method, weight: Any) -> list[Section]:
    """Rows grouped by unit type (the Pemda's order), numbered through, each type averaged by
    the Pemda's method over its units with answers (Level.UNIT)."""
    order = {t.pk: i for i, t in enumerate(UnitType.objects.filter(pemda=pemda).order_by("position", "name"))}
    grouped: dict[int | None, list[UnitRow]] = {}
    for row in rows:
        grouped.setdefault(row.unit.unit_type_id, []).append(row)
    sections = []
    number = 0
    for key in sorted(grouped, key=lambda k: order.get(k, len(order)) if k is not None else len(order)):
        members = grouped[key]
        for row in members:
            number += 1
            row.number = number
        parts = [
            Part(r.unit.name, dict(r.figures.nrr), r.figures.ikm, r.figures.n)
            for r in members
            if r.figures.n > 0 and r.figures.ikm is not None
        ]
        use = method
        if method is Method.POOLED:
            # Pooled needs tallies; a section's average is then respondent-weighted, as stated.
            use = Method.RESPONDENT_WEIGHTED
        sections.append(Section(members[0].type_name, members, aggregate(parts, use, Level.UNIT, weight)))
    return sections


def suggestions_of(unit: Unit, snapshot: PeriodSnapshot) -> list[Any]:
    """The unit's suggestions dated in the snapshot's period and received by its cut-off, with
    their follow-up (status, published reply): the one-unit report's list."""
    from skm.collection.models import Answer

    return list(
        Answer.objects.filter(
            unit=unit, day__gte=snapshot.start, day__lte=snapshot.end, created_at__lte=snapshot.cut_off
        )
        .exclude(Q(suggestion="") | Q(excluded=True))
        .select_related("followup")
        .order_by("day", "pk")
    )


@dataclass
class UnitReport:
    """A unit's own Laporan SKM for a closed period (issue 25 item 1): its row of the same report
    (figures, priority, RTL, previous realisation), its per-unsur table, respondent profile,
    worth of the sample, suggestions with their follow-up, and this period's RTL items."""

    report: Report  # the unit's Perangkat Daerah's report, made by `build`
    row: UnitRow
    result: Any  # skm.results.compute.UnitResult, from the same snapshot
    unsur: list[Any]  # skm.results.present.UnsurRow, in the instrument's order
    profile: list[Any]  # skm.results.present.ProfileTable
    suggestions: list[Any]  # Answer rows with a suggestion, received by the cut-off
    items: list[Any]  # RtlItem of this period's plan
    previous_items: list[Any]  # RtlItem of the previous closed period's plan

    @property
    def unit(self) -> Unit:
        return self.row.unit


def unit_report(period: Period, unit: Unit, *, version: int | None = None) -> UnitReport:
    """The one-unit report, from the same code and snapshot as the Pemda's."""
    from skm.followup.models import RtlItem
    from skm.results.compute import unit_results
    from skm.results.present import profile_tables, unsur_rows

    if unit.pemda_id != period.pemda_id:
        raise ReportError(_("Unit ini bukan bagian dari Pemda periode itu."))
    report = build(period, perangkat_daerah=unit.perangkat_daerah, version=version)
    row = next((r for r in report.rows if r.unit.pk == unit.pk), None)
    if row is None or row.figures.n == 0:
        raise ReportError(
            _("%(unit)s tidak punya jawaban atau rekap pada %(period)s.")
            % {"unit": unit.name, "period": period.display_label}
        )
    span = DateRange(report.snapshot.start, report.snapshot.end, period.display_label, period)
    with freeze.for_range(report.pemda, span, {"versi": str(report.snapshot.version)}, late=False).reading():
        counted, _everything = unit_results(unit, span.start, span.end)
    items = list(RtlItem.objects.filter(rtl__unit=unit, rtl__period=period).order_by("target_date", "pk"))
    before = _previous_plans(report.pemda, report.snapshot.start).get(unit.pk)
    previous_items = list(before[0].items.all()) if before else []
    return UnitReport(
        report=report,
        row=row,
        result=counted,
        unsur=unsur_rows(counted.score, report.elements, report.labels),
        profile=profile_tables(counted.profile, counted.n),
        suggestions=suggestions_of(unit, report.snapshot),
        items=items,
        previous_items=previous_items,
    )
