"""The figures of the Pemda and Perangkat Daerah results page (SPEC §4, §6), from grouped rollups.

:func:`overview` reads a fixed number of queries whatever the number of units or periods: the
aggregate of :func:`skm.results.compute.pemda_results` (grouped by unit, or by unit × service), the
units' and unit types' rows, one grouped query per unit × service for the drill-down, one summed
query for the profile, one per month for answers over time, and ONE grouped query for the whole
trend (each of the Pemda's periods and each year with data). Every rollup query reads whole months
from the monthly rollups (skm.collection.spans). Everything else is arithmetic over those rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Max, Min
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from skm.collection import rollups, spans
from skm.collection.models import ROLLUP_SUM_COLUMNS, MonthlyRollup
from skm.instrument.defaults import PROFILE_FIELDS
from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Period, Unit, UnitType
from skm.recaps.stored import history_years
from skm.results.compute import Member, PemdaResult, Roster, element_order, pemda_results
from skm.scoring.aggregate import Aggregate, Level, Method, aggregate
from skm.scoring.bands import BANDS, Band, band_for_nrr
from skm.scoring.shares import largest_remainder

# SPEC §6: the units that carry a Pemda's figure are those with at least this many respondents.
MANY_RESPONDENTS = 50
# Decimals of a percentage in the profile tables.
PERCENT_PLACES = 2
NO_DATA = "-"  # the column of units without an IKM in the category × unit type table


@dataclass(frozen=True)
class UnsurRow:
    element: str
    nrr: Fraction
    band: Band

    @property
    def converted(self) -> Fraction:
        return self.nrr * 25


@dataclass(frozen=True)
class ProfileRow:
    code: str
    label: str
    count: int
    percent: Decimal


@dataclass(frozen=True)
class ProfileTable:
    key: str
    label: str
    rows: tuple[ProfileRow, ...]
    total: int


@dataclass(frozen=True)
class TypeRow:
    """One unit type: units with an IKM per mutu, without, and how many had answers at all."""

    name: str
    by_mutu: dict[str, int]
    no_data: int
    answered: int
    units: int


@dataclass(frozen=True)
class ServiceLine:
    service: Layanan
    n: int


@dataclass(frozen=True)
class PdRow:
    pd: PerangkatDaerah
    result: Aggregate
    units: int


@dataclass
class Overview:
    pemda: Pemda
    perangkat_daerah: PerangkatDaerah | None
    method: Method
    level: Level
    headline: PemdaResult
    unsur: list[UnsurRow]
    unsur_sorted: list[UnsurRow]
    ranked: list[Member]  # units with an IKM, best first (ties: more respondents first)
    silent: list[Unit]  # active units without a counted answer
    incomplete: tuple[str, ...]
    many: list[tuple[Member, Decimal]]  # units with ≥ MANY_RESPONDENTS and their share in percent
    by_type: list[TypeRow]
    answered: int
    unit_count: int
    profile: list[ProfileTable]
    months: list[tuple[dt.date, int]]
    trend_periods: list[tuple[str, Fraction | None]]
    trend_years: list[tuple[str, Fraction | None]]
    pds: list[PdRow] = field(default_factory=list)
    services: dict[int, list[ServiceLine]] = field(default_factory=dict)
    unit_types: dict[int, str] = field(default_factory=dict)
    unit_names: dict[int, str] = field(default_factory=dict)  # every unit of the roster


def _filters(pemda: Pemda, pd: PerangkatDaerah | None, unit: Unit | None = None) -> dict[str, object]:
    found: dict[str, object] = {"pemda": pemda, "is_excluded": False}
    if unit is not None:
        found["unit"] = unit
    elif pd is not None:
        found["unit__perangkat_daerah"] = pd
    return found


def answers_by_month(
    pemda: Pemda, start: dt.date, end: dt.date, *, pd: PerangkatDaerah | None = None, unit: Unit | None = None
) -> list[tuple[dt.date, int]]:
    """Answers counted per month of start…end (months without answers as 0), in one query."""
    counts = spans.summed(start, end, by=(spans.MONTH,), columns=("n",), **_filters(pemda, pd, unit))
    return per_month(counts, start, end)


def per_month(
    counts: dict[tuple[object, ...], dict[str, int]], start: dt.date, end: dt.date
) -> list[tuple[dt.date, int]]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append((month, counts.get((month,), {}).get("n", 0)))
        month = spans.next_month(month)
    return out


def months_and_profile(
    pemda: Pemda, start: dt.date, end: dt.date, pd: PerangkatDaerah | None
) -> tuple[list[tuple[dt.date, int]], list[ProfileTable]]:
    """Answers per month and the respondents' profile, from one query grouped by month."""
    by_month = spans.summed(start, end, by=(spans.MONTH,), **_filters(pemda, pd))
    total = {c: sum(sums[c] for sums in by_month.values()) for c in ROLLUP_SUM_COLUMNS}
    return per_month(by_month, start, end), profile_tables(rollups.summary_of(total))


def profile_tables(summary: rollups.Summary) -> list[ProfileTable]:
    """The respondents' profile over all n respondents, "Tidak diisi" as a row of its own when
    some left a question blank (as on the unit page); percentages add to 100 (largest remainder)."""
    tables = []
    for key, label, stated in PROFILE_FIELDS:
        counts = summary.profile.get(key, {})
        values = [counts.get(code, 0) for code, _ in stated]
        options = list(stated)
        blank = max(0, summary.n - sum(values))
        if blank:
            options.append(("", _("Tidak diisi")))
            values.append(blank)
        shares = list(largest_remainder(dict(enumerate(values)), PERCENT_PLACES).values())
        rows = tuple(
            ProfileRow(code, str(name), count, share)
            for (code, name), count, share in zip(options, values, shares, strict=True)
        )
        tables.append(ProfileTable(key, str(label), rows, sum(values)))
    return tables


Trend = list[tuple[str, Fraction | None]]


def trend(
    roster: Roster, method: Method, level: Level, today: dt.date, headline: tuple[dt.date, dt.date]
) -> tuple[PemdaResult, Trend, Trend]:
    """The result over `headline`, and the IKM (same method and level) of each of the Pemda's
    periods begun by today and of each year with answers: one grouped rollup query for all."""
    pemda, pd = roster.pemda, roster.perangkat_daerah
    periods = list(Period.objects.filter(pemda=pemda, start__lte=today).order_by("start", "end", "kind"))
    span = MonthlyRollup.objects.filter(**_filters(pemda, pd)).aggregate(
        first=Min("month"), last=Max("month")
    )
    years: set[int] = set()
    if span["first"] is not None:
        years = set(range(span["first"].year, span["last"].year + 1))
    # Years of stored recaps (history) too, each a whole year (skm.recaps.stored).
    years |= {y for y in history_years(pemda, pd) if y <= today.year}
    last = max(today, span["last"] or today)
    ranges = [headline, *((p.start, p.end) for p in periods)]
    ranges += [(dt.date(y, 1, 1), min(dt.date(y, 12, 31), last)) for y in sorted(years)]
    results = pemda_results(pemda, ranges, method=method, level=level, perangkat_daerah=pd, roster=roster)
    by_period = [(p.display_label, r.result.ikm) for p, r in zip(periods, results[1:], strict=False)]
    by_year = [
        (_year_label(y, r), r.result.ikm)
        for y, r in zip(sorted(years), results[1 + len(periods) :], strict=True)
    ]
    return results[0], by_period, by_year


def _year_label(year: int, result: PemdaResult) -> str:
    """The year, marked "riwayat" when its figure comes from imported history, not answers."""
    counted = [m for m in result.members if m.part.n > 0]
    if counted and all(m.history for m in counted):
        return gettext("{year} (riwayat)").format(year=year)
    if counted and all(m.recap for m in counted):
        return gettext("{year} (rekap)").format(year=year)
    return str(year)


def overview(
    pemda: Pemda,
    start: dt.date,
    end: dt.date,
    *,
    method: Method | None = None,
    level: Level = Level.PEMDA,
    pd: PerangkatDaerah | None = None,
    today: dt.date | None = None,
) -> Overview:
    """Everything the Pemda (or PD) results page shows for start…end by one method and level."""
    method = Method(method or pemda.aggregation_method)
    today = today or end
    roster = Roster.of(pemda, pd)
    headline, by_period, by_year = trend(roster, method, level, today, (start, end))
    months, profile = months_and_profile(pemda, start, end, pd)
    # Units are always ranked as units, whatever level the headline averages over.
    by_unit = (
        headline
        if level is Level.PEMDA
        else pemda_results(pemda, [(start, end)], method=method, level=Level.PEMDA, roster=roster)[0]
    )
    weight = pemda.weight_enum
    elements = element_order(pemda)
    unsur = [
        UnsurRow(e, headline.result.nrr[e], band_for_nrr(headline.result.nrr[e]))
        for e in elements
        if e in headline.result.nrr
    ]
    unsur_sorted = sorted(unsur, key=lambda r: r.nrr, reverse=True)
    members = list(by_unit.members)
    ranked = sorted(
        (m for m in members if m.part.ikm is not None), key=lambda m: (m.part.ikm, m.part.n), reverse=True
    )
    silent = [m.unit for m in members if m.part.n == 0]
    total_n = sum(m.part.n for m in members)
    many_members = sorted((m for m in members if m.part.n >= MANY_RESPONDENTS), key=lambda m: -m.part.n)
    shares = [Decimal(100 * m.part.n) / Decimal(total_n) for m in many_members] if total_n else []
    many = [(m, s.quantize(Decimal("0.01"))) for m, s in zip(many_members, shares, strict=True)]

    types = {t.pk: t.name for t in UnitType.objects.filter(pemda=pemda).order_by("position", "name")}
    type_rows: dict[int | None, TypeRow] = {}
    incomplete = set(headline.incomplete) | set(by_unit.incomplete)
    counted_units = {m.unit.pk for m in members}
    for m in members:
        row = type_rows.setdefault(
            m.unit.unit_type_id,
            TypeRow(types.get(m.unit.unit_type_id, "–"), {b.mutu: 0 for b in BANDS}, 0, 0, 0),
        )
        band = m.band
        if band is None:
            type_rows[m.unit.unit_type_id] = _bump(row, no_data=1, answered=int(m.part.n > 0))
        else:
            row.by_mutu[band.mutu] += 1
            type_rows[m.unit.unit_type_id] = _bump(row, answered=1)
    # Units with answers but some unsur never answered have no IKM (and no member): no data, answered.
    for unit in (u for u in roster.units.values() if u.active and u.pk not in counted_units):
        row = type_rows.setdefault(
            unit.unit_type_id, TypeRow(types.get(unit.unit_type_id, "–"), {b.mutu: 0 for b in BANDS}, 0, 0, 0)
        )
        type_rows[unit.unit_type_id] = _bump(row, no_data=1, answered=int(unit.name in incomplete))
    order = {pk: i for i, pk in enumerate(types)}
    by_type = [
        type_rows[k] for k in sorted(type_rows, key=lambda k: order.get(k, len(order)) if k else len(order))
    ]

    pds: list[PdRow] = []
    if pd is None:
        grouped: dict[int, list[Member]] = {}
        for m in members:
            grouped.setdefault(m.unit.perangkat_daerah_id, []).append(m)
        for each in PerangkatDaerah.objects.filter(pemda=pemda).order_by("position", "name"):
            parts = [m.part for m in grouped.get(each.pk, [])]
            if parts:
                pds.append(PdRow(each, aggregate(parts, method, Level.PERANGKAT_DAERAH, weight), len(parts)))
    services: dict[int, list[ServiceLine]] = {}
    if pd is not None:
        counts = {
            key: sums["n"]
            for key, sums in spans.summed(
                start, end, by=("unit_id", "service_key"), columns=("n",), **_filters(pemda, pd)
            ).items()
        }
        for service in Layanan.objects.filter(unit__pemda=pemda, unit__perangkat_daerah=pd).order_by(
            "position", "name"
        ):
            services.setdefault(service.unit_id, []).append(
                ServiceLine(service, counts.get((service.unit_id, service.pk), 0))
            )

    return Overview(
        pemda=pemda,
        perangkat_daerah=pd,
        method=method,
        level=level,
        headline=headline,
        unsur=unsur,
        unsur_sorted=unsur_sorted,
        ranked=ranked,
        silent=silent,
        incomplete=tuple(sorted(incomplete)),
        many=many,
        by_type=by_type,
        answered=sum(r.answered for r in by_type),
        unit_count=sum(r.units for r in by_type),
        profile=profile,
        months=months,
        trend_periods=by_period,
        trend_years=by_year,
        pds=pds,
        services=services,
        unit_types=types,
        unit_names={pk: u.name for pk, u in roster.units.items()},
    )


def _bump(row: TypeRow, *, no_data: int = 0, answered: int = 0) -> TypeRow:
    return TypeRow(row.name, row.by_mutu, row.no_data + no_data, row.answered + answered, row.units + 1)


def methods_in_order(pemda: Pemda) -> Sequence[Method]:
    """The three methods, the Pemda's own first (SPEC §4: the default first)."""
    own = Method(pemda.aggregation_method)
    return [own, *(m for m in Method if m is not own)]
