"""Results of a unit (or service) and of a whole Pemda over a date range, read from the daily
rollups (SPEC §4, §6). Figures are keyed by element, in the order of the Pemda's instrument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Sum
from django.utils import timezone

from skm.collection import rollups
from skm.collection.models import DailyRollup
from skm.instrument.spec import current_spec
from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Unit
from skm.scoring.aggregate import Aggregate, Level, Method, Part, aggregate
from skm.scoring.bands import Band, band_for
from skm.scoring.confidence import Interval, ikm_confidence_interval
from skm.scoring.elements import ELEMENTS
from skm.scoring.ikm import Score, UnsurTally, score_tallies
from skm.scoring.sample import SampleAdequacy, sample_adequacy
from skm.scoring.weights import Weight


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    start: dt.date
    end: dt.date
    score: Score
    interval: Interval | None
    sample: SampleAdequacy
    profile: dict[str, dict[str, int]]
    channels: dict[str, int] = field(default_factory=dict)  # answers per Channel code

    @property
    def n(self) -> int:
        return self.score.n


def element_order(pemda: Pemda) -> tuple[str, ...]:
    """The Pemda's unsur in its instrument's order (seed 003 puts pengaduan before sarana)."""
    spec = current_spec(pemda.pk)
    order = tuple(q.element for q in spec.ikm_questions) if spec else ()
    return order if sorted(order) == sorted(ELEMENTS) else ELEMENTS


def unsur_labels(pemda: Pemda) -> dict[str, str]:
    """The Pemda's own name of each unsur (its instrument's), by element; the element code if none."""
    spec = current_spec(pemda.pk)
    names = {q.element: q.name for q in spec.ikm_questions} if spec else {}
    return {e: names.get(e) or e for e in ELEMENTS}


def _interval(
    complete: int, total_sum: int, total_sumsq: int, population: int | None, weight: Weight
) -> Interval | None:
    """95 % interval of the IKM from the respondents who answered every unsur (SPEC §4)."""
    if complete < 2:
        return None
    w25 = 25 * weight.fraction
    return ikm_confidence_interval(
        complete,
        total_sum * w25,
        total_sumsq * w25 * w25,
        population=population if population and population >= complete else None,
        weight=weight,
    )


def year_to_date(unit: Unit, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localtime(timezone.now(), unit.pemda.tz).date()
    return dt.date(today.year, 1, 1), today


def unit_result(
    unit: Unit,
    start: dt.date,
    end: dt.date,
    *,
    service: Layanan | None = None,
    include_excluded: bool = False,
) -> UnitResult:
    """The IKM of a unit (or one of its services) from answers dated start…end, with its worth."""
    rows = DailyRollup.objects.filter(unit=unit, day__gte=start, day__lte=end)
    if service is not None:
        rows = rows.filter(service_key=service.pk)
    if not include_excluded:
        rows = rows.filter(is_excluded=False)
    summary = rollups.summarise(rows)
    weight = unit.pemda.weight_enum
    tallies = {e: summary.tallies[e] for e in element_order(unit.pemda)}
    score = score_tallies(tallies, summary.n, weight)
    return UnitResult(
        unit=unit,
        start=start,
        end=end,
        score=score,
        interval=_interval(summary.complete, summary.total_sum, summary.total_sumsq, unit.population, weight),
        sample=sample_adequacy(summary.n, unit.population),
        profile=summary.profile,
        channels=summary.channels,
    )


@dataclass(frozen=True)
class Member:
    """One part of a Pemda's aggregate: a unit, or a unit's service (``service`` its name)."""

    unit: Unit
    service: str | None
    part: Part

    weight: Weight = Weight.W0111

    @cached_property
    def sample(self) -> SampleAdequacy:
        return sample_adequacy(self.part.n, self.unit.population if self.service is None else None)

    @cached_property
    def band(self) -> Band | None:
        return None if self.part.ikm is None else band_for(self.part.ikm, weight=self.weight)


@dataclass(frozen=True)
class PemdaResult:
    """A Pemda's figures over a date range by one method and level (SPEC §4 aggregation).

    ``incomplete`` names the parts with answers but some unsur never answered: they have no IKM,
    so no aggregate can use them. The interval exists for the pooled method only, where the IKM
    is one figure over all respondents.
    """

    pemda: Pemda
    start: dt.date
    end: dt.date
    elements: tuple[str, ...]
    result: Aggregate
    incomplete: tuple[str, ...]
    interval: Interval | None
    sample: SampleAdequacy
    population: int | None
    members: tuple[Member, ...] = ()


_SUMS = {f"s_{c}": Sum(c) for c in ("n", *(f"{p}_{e}" for e in ELEMENTS for p in ("cnt", "sum")))}
_SUMS |= {f"s_{c}": Sum(c) for c in ("complete", "total_sum", "total_sumsq")}


def _part(label: str, row: dict[str, Any], elements: tuple[str, ...], weight: Weight) -> Part | None:
    """A part from one group of summed rollups; None when some unsur has no answer at all."""
    tallies = {e: UnsurTally(int(row[f"s_cnt_{e}"] or 0), int(row[f"s_sum_{e}"] or 0)) for e in elements}
    score = score_tallies(tallies, int(row["s_n"] or 0), weight)
    if score.n and score.ikm is None:
        return None
    return Part.from_score(label, score)


def pemda_result(
    pemda: Pemda,
    start: dt.date,
    end: dt.date,
    *,
    method: Method | None = None,
    level: Level = Level.PEMDA,
    perangkat_daerah: PerangkatDaerah | None = None,
) -> PemdaResult:
    """The Pemda's IKM from its units (Level.PEMDA) or its service products (Level.SERVICE).

    Excluded answers never count. At the service level a unit's answers without a service form
    one part of their own. Units without answers are parts with n = 0, which the aggregate skips;
    the method defaults to the Pemda's own (SPEC §4: the default first). With `perangkat_daerah`
    the same figures over that Perangkat Daerah's units only.
    """
    method = Method(method or pemda.aggregation_method)
    weight = pemda.weight_enum
    elements = element_order(pemda)
    keys = ["unit_id"] if level is Level.PEMDA else ["unit_id", "service_key"]
    rows = (
        DailyRollup.objects.filter(pemda=pemda, day__gte=start, day__lte=end, is_excluded=False)
        .values(*keys)
        .annotate(**_SUMS)
        .order_by(*keys)
    )
    unit_rows = Unit.objects.filter(pemda=pemda)
    service_rows = Layanan.objects.filter(unit__pemda=pemda)
    if perangkat_daerah is not None:
        rows = rows.filter(unit__perangkat_daerah=perangkat_daerah)
        unit_rows = unit_rows.filter(perangkat_daerah=perangkat_daerah)
        service_rows = service_rows.filter(unit__perangkat_daerah=perangkat_daerah)
    units = {u.pk: u for u in unit_rows}
    services = dict(service_rows.values_list("pk", "name"))
    grouped = {tuple(row[k] for k in keys): row for row in rows}
    if level is Level.PEMDA:
        keys_used = [(pk,) for pk, u in units.items() if u.active or (pk,) in grouped]
    else:
        rank = {pk: i for i, pk in enumerate(services)}  # the units' and services' own order
        order = {pk: i for i, pk in enumerate(units)}
        keys_used = sorted(grouped, key=lambda k: (order[k[0]], rank.get(k[1], len(rank))))
    parts: list[Part] = []
    members: list[Member] = []
    incomplete: list[str] = []
    empty = dict.fromkeys(("s_n", *(f"s_{p}_{e}" for e in ELEMENTS for p in ("cnt", "sum"))), 0)
    for key in keys_used:
        label = units[key[0]].name
        if len(key) > 1:
            label += f" · {services.get(key[1], '—')}"
        part = _part(label, grouped.get(key, empty), elements, weight)
        if part is None:
            incomplete.append(label)
        else:
            parts.append(part)
            service = services.get(key[1], "—") if len(key) > 1 else None
            members.append(Member(units[key[0]], service, part, weight))
    result = aggregate(parts, method, level, weight)
    counted = [grouped[k] for k in keys_used if k in grouped]
    population = _population(units.values())
    interval = None
    if method is Method.POOLED and result.ikm is not None and not incomplete:
        complete, total, squares = (
            sum(int(r[f"s_{c}"] or 0) for r in counted) for c in ("complete", "total_sum", "total_sumsq")
        )
        interval = _interval(complete, total, squares, population, weight)
    return PemdaResult(
        pemda=pemda,
        start=start,
        end=end,
        elements=elements,
        result=result,
        incomplete=tuple(incomplete),
        interval=interval,
        sample=sample_adequacy(result.n, population),
        population=population,
        members=tuple(members),
    )


def _population(units: Iterable[Unit]) -> int | None:
    """The Pemda's population: the sum over its active units, when every one states it."""
    stated = [u.population for u in units if u.active]
    return sum(stated) if stated and all(p is not None for p in stated) else None
