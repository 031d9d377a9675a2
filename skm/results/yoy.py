"""Year over year (issue 23 item 5, seed 000): each unit and each of its services, two years side by
side — IKM and mutu each year, respondents, the target, and the change — and the place's own IKM each year.

Read from the rollups with one query for both years grouped by unit × service, whatever the number
of units; each figure is the scoring core's (score_tallies) on the summed tallies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from skm.collection import spans
from skm.organisation.models import Layanan, Pemda, Unit
from skm.organisation.targets import Targets, is_met
from skm.recaps.stored import RecapPart, recap_parts
from skm.results.compute import SCORE_COLUMNS, element_order, pemda_results
from skm.results.places import Place
from skm.scoring.bands import Band, band_for
from skm.scoring.ikm import Score, UnsurTally, score_tallies
from skm.scoring.rounding import round_half_up

Sums = dict[str, int]


@dataclass(frozen=True)
class YearFigure:
    ikm: Fraction | None
    band: Band | None
    n: int
    recap: bool = False  # from the unit's stored recap (no answers that year)
    history: bool = False  # from imported history


@dataclass(frozen=True)
class Row:
    """A unit (``service`` None) or one of its services, in the two years; the place's own
    figure has neither."""

    unit: Unit | None
    service: Layanan | None
    before: YearFigure
    after: YearFigure
    places: int = 2
    # Each year's target (skm.organisation.targets): a unit's own, the Pemda's for its total row.
    before_target: Decimal | None = None
    after_target: Decimal | None = None

    @property
    def before_met(self) -> bool | None:
        return is_met(self.before.ikm, self.before_target, self.places)

    @property
    def after_met(self) -> bool | None:
        return is_met(self.after.ikm, self.after_target, self.places)

    @property
    def change(self) -> Decimal | None:
        """After minus before, in points of the figures as shown (each rounded half up first)."""
        if self.before.ikm is None or self.after.ikm is None:
            return None
        return round_half_up(self.after.ikm, self.places) - round_half_up(self.before.ikm, self.places)

    @property
    def direction(self) -> str:
        change = self.change
        return "" if change is None else "up" if change > 0 else "down" if change < 0 else "same"


@dataclass(frozen=True)
class YearOverYear:
    place: Place
    year: int
    compare: int
    rows: list[Row]
    total: Row | None  # the Pemda's or PD's own IKM each year (its default method); None for a unit
    method: str


def year_span(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today) if year == today.year else dt.date(
        year, 12, 31
    )


def _figure(row: Sums | None, elements: tuple[str, ...], pemda: Pemda) -> YearFigure:
    if row is None:
        return YearFigure(None, None, 0)
    tallies = {e: UnsurTally(row[f"cnt_{e}"], row[f"sum_{e}"]) for e in elements}
    score: Score = score_tallies(tallies, row["n"], pemda.weight_enum)
    return YearFigure(score.ikm, score.band, score.n)


def _grouped(place: Place, ranges: list[tuple[dt.date, dt.date]]) -> list[dict[tuple[Any, ...], Sums]]:
    filters: dict[str, Any] = {"pemda": place.pemda, "is_excluded": False}
    if place.unit is not None:
        filters["unit"] = place.unit
    elif place.perangkat_daerah is not None:
        filters["unit__perangkat_daerah"] = place.perangkat_daerah
    return spans.summed_spans(ranges, by=("unit_id", "service_key"), columns=SCORE_COLUMNS, **filters)


def _unit_sum(grouped: dict[tuple[Any, ...], Sums], unit_id: int) -> Sums | None:
    mine = [r for (u, _), r in grouped.items() if u == unit_id]
    if not mine:
        return None
    return {k: sum(r[k] for r in mine) for k in SCORE_COLUMNS}


def year_over_year(place: Place, year: int, compare: int, today: dt.date) -> YearOverYear:
    pemda = place.pemda
    elements = element_order(pemda)
    places = pemda.display_precision
    ranges = {y: year_span(y, today) for y in (year, compare)}
    grouped = dict(zip(ranges, _grouped(place, list(ranges.values())), strict=True))
    units = Unit.objects.filter(pemda=pemda).select_related("perangkat_daerah")
    services = Layanan.objects.filter(unit__pemda=pemda)
    if place.unit is not None:
        units, services = units.filter(pk=place.unit.pk), services.filter(unit=place.unit)
    elif place.perangkat_daerah is not None:
        units = units.filter(perangkat_daerah=place.perangkat_daerah)
        services = services.filter(unit__perangkat_daerah=place.perangkat_daerah)
    units = units.order_by("perangkat_daerah__position", "perangkat_daerah__name", "position", "name")
    targets = Targets.load(pemda, (year, compare))
    by_unit: dict[int, list[Layanan]] = {}
    for service in services.order_by("position", "name"):
        by_unit.setdefault(service.unit_id, []).append(service)
    recaps = dict(
        zip(
            ranges,
            recap_parts(pemda, list(ranges.values()), elements, units=[u.pk for u in units]),
            strict=True,
        )
    )
    rows: list[Row] = []
    for unit in units:
        figures = {
            y: _with_recap(
                _figure(_unit_sum(grouped[y], unit.pk), elements, pemda), recaps[y].get(unit.pk), pemda
            )
            for y in (year, compare)
        }
        if not unit.active and not (figures[year].n or figures[compare].n):
            continue
        rows.append(
            Row(
                unit,
                None,
                figures[compare],
                figures[year],
                places,
                targets.for_unit(unit, compare),
                targets.for_unit(unit, year),
            )
        )
        for service in by_unit.get(unit.pk, []):
            f = {y: _figure(grouped[y].get((unit.pk, service.pk)), elements, pemda) for y in (year, compare)}
            if service.active or f[year].n or f[compare].n:
                rows.append(Row(unit, service, f[compare], f[year], places))
    total = None
    method = pemda.aggregation_method
    if place.unit is None:
        found = pemda_results(pemda, list(ranges.values()), perangkat_daerah=place.perangkat_daerah)
        results = {y: r.result for y, r in zip(ranges, found, strict=True)}
        total = Row(
            None,
            None,
            YearFigure(results[compare].ikm, results[compare].band, results[compare].n),
            YearFigure(results[year].ikm, results[year].band, results[year].n),
            places,
            # A Perangkat Daerah has no target of its own; the Pemda's is for the Pemda.
            targets.for_pemda(compare) if place.perangkat_daerah is None else None,
            targets.for_pemda(year) if place.perangkat_daerah is None else None,
        )
    return YearOverYear(place, year, compare, rows, total, method)


def _with_recap(figure: YearFigure, recap: RecapPart | None, pemda: Pemda) -> YearFigure:
    """A unit's year without answers takes its stored recap's figure, marked (skm.recaps.stored)."""
    if figure.n or recap is None or recap.part.ikm is None:
        return figure
    band = band_for(recap.part.ikm, weight=pemda.weight_enum)
    return YearFigure(recap.part.ikm, band, recap.part.n, recap=True, history=recap.history)
