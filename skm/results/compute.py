"""Results of a unit (or service) and of a whole Pemda over a date range, read from the rollups
(whole months from the monthly ones, the days around them from the daily: skm.collection.spans;
SPEC §4, §6). Figures are keyed by element, in the order of the Pemda's instrument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from django.utils import timezone

from skm.collection import rollups, spans
from skm.instrument.spec import current_spec
from skm.organisation.models import Layanan, Pemda, PerangkatDaerah, Unit
from skm.recaps.stored import POOLED_WITH_RECAPS, RecapPart, recap_parts
from skm.scoring.aggregate import Aggregate, Level, Method, Part, aggregate
from skm.scoring.bands import Band, band_for
from skm.scoring.confidence import Interval, ikm_confidence_interval
from skm.scoring.elements import ELEMENTS
from skm.scoring.ikm import Score, UnsurTally, ikm_from_nrr, score_tallies
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
    counted, everything = unit_results(unit, start, end, service=service)
    return everything if include_excluded else counted


def unit_results(
    unit: Unit, start: dt.date, end: dt.date, *, service: Layanan | None = None
) -> tuple[UnitResult, UnitResult]:
    """`unit_result` without and with the excluded answers, from one query grouped by exclusion."""
    filters: dict[str, Any] = {"unit": unit}
    if service is not None:
        filters["service_key"] = service.pk
    by_exclusion = spans.summed(start, end, by=("is_excluded",), **filters)
    counted = by_exclusion.get((False,), {})
    excluded = by_exclusion.get((True,), {})
    everything = {c: counted.get(c, 0) + excluded.get(c, 0) for c in rollups.ROLLUP_SUM_COLUMNS}
    return _unit_result(unit, start, end, counted), _unit_result(unit, start, end, everything)


def _unit_result(unit: Unit, start: dt.date, end: dt.date, sums: Mapping[str, int]) -> UnitResult:
    summary = rollups.summary_of(sums)
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
    recap: bool = False  # from the unit's stored recap, not from answers (skm.recaps.stored)
    history: bool = False  # from imported history only

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
    recaps_apart: tuple[str, ...] = ()  # recaps with an IKM only, which the pooled method cannot use
    approximation: str | None = None  # how the figure was approximated (pooled with recaps)

    @property
    def recap_members(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.recap)


# The rollup columns a Pemda's aggregate reads: respondents, tallies, the interval's sums.
SCORE_COLUMNS = (
    "n",
    *(f"{p}_{e}" for e in ELEMENTS for p in ("cnt", "sum")),
    "complete",
    "total_sum",
    "total_sumsq",
)


# Parts and aggregates are remembered by their whole input (label, counts, sums, weight, order,
# method): a pure function of it, so a remembered one is always right. A trend scores every unit
# for every period on each request; a past period's counts rarely change, so most are found here.
PARTS_REMEMBERED = 8192
AGGREGATES_REMEMBERED = 256

PartKey = tuple[str, tuple[int, ...], tuple[str, ...], Weight]


def _part_key(label: str, row: Mapping[str, int], elements: tuple[str, ...], weight: Weight) -> PartKey:
    counts = (row.get("n", 0), *(row.get(f"{p}_{e}", 0) for e in elements for p in ("cnt", "sum")))
    return label, counts, elements, weight


@lru_cache(maxsize=PARTS_REMEMBERED)
def _part(key: PartKey) -> Part | None:
    """A part from one group of summed rollups; None when some unsur has no answer at all."""
    label, counts, elements, weight = key
    tallies = {e: UnsurTally(counts[1 + 2 * i], counts[2 + 2 * i]) for i, e in enumerate(elements)}
    score = score_tallies(tallies, counts[0], weight)
    if score.n and score.ikm is None:
        return None
    return Part.from_score(label, score)


@lru_cache(maxsize=AGGREGATES_REMEMBERED)
def _aggregate(keys: tuple[PartKey, ...], method: Method, level: Level, weight: Weight) -> Aggregate:
    """The aggregate of the parts named by `keys` (every one scored, none incomplete)."""
    parts = [_part(key) for key in keys]
    return aggregate([p for p in parts if p is not None], method, level, weight)


@dataclass(frozen=True)
class Roster:
    """The units (and their services' names) a Pemda's or Perangkat Daerah's aggregate runs over."""

    pemda: Pemda
    perangkat_daerah: PerangkatDaerah | None
    units: dict[int, Unit]
    services: dict[int, str]

    @classmethod
    def of(
        cls, pemda: Pemda, perangkat_daerah: PerangkatDaerah | None = None, *, services: bool = True
    ) -> Roster:
        """The roster; without `services` no service names (enough for figures over units)."""
        unit_rows = Unit.objects.filter(pemda=pemda)
        service_rows = Layanan.objects.filter(unit__pemda=pemda)
        if perangkat_daerah is not None:
            unit_rows = unit_rows.filter(perangkat_daerah=perangkat_daerah)
            service_rows = service_rows.filter(unit__perangkat_daerah=perangkat_daerah)
        return cls(
            pemda,
            perangkat_daerah,
            {u.pk: u for u in unit_rows},
            dict(service_rows.values_list("pk", "name")) if services else {},
        )

    @property
    def filters(self) -> dict[str, Any]:
        """The rollups that count: this Pemda's (or PD's), excluded answers never."""
        found: dict[str, Any] = {"pemda": self.pemda, "is_excluded": False}
        if self.perangkat_daerah is not None:
            found["unit__perangkat_daerah"] = self.perangkat_daerah
        return found


def _group_keys(level: Level) -> tuple[str, ...]:
    return ("unit_id",) if level is Level.PEMDA else ("unit_id", "service_key")


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
    return pemda_results(
        pemda, [(start, end)], method=method, level=level, perangkat_daerah=perangkat_daerah
    )[0]


def pemda_results(
    pemda: Pemda,
    ranges: Sequence[tuple[dt.date, dt.date]],
    *,
    method: Method | None = None,
    level: Level = Level.PEMDA,
    perangkat_daerah: PerangkatDaerah | None = None,
    roster: Roster | None = None,
) -> list[PemdaResult]:
    """`pemda_result` for several ranges (a trend), from one rollup query and one roster."""
    roster = roster or Roster.of(pemda, perangkat_daerah)
    keys = _group_keys(level)
    grouped = spans.summed_spans(ranges, by=keys, columns=SCORE_COLUMNS, **roster.filters)
    recaps = _recaps(roster, ranges)
    return [
        _score_groups(roster, start, end, rows, Method(method or pemda.aggregation_method), level, found)
        for (start, end), rows, found in zip(ranges, grouped, recaps, strict=True)
    ]


def _recaps(roster: Roster, ranges: Sequence[tuple[dt.date, dt.date]]) -> list[dict[int, RecapPart]]:
    """The roster's units' stored recaps for each range (one query; SPEC §5 recaps)."""
    # The roster is every unit of the Pemda (or PD): its filter is enough, no list of unit ids.
    return recap_parts(
        roster.pemda, ranges, element_order(roster.pemda), perangkat_daerah=roster.perangkat_daerah
    )


def pemda_result_counted(
    pemda: Pemda,
    start: dt.date,
    end: dt.date,
    *,
    count_by: Sequence[str],
    roster: Roster,
    months_between: tuple[dt.date, dt.date] | None = None,
) -> tuple[PemdaResult, dict[tuple[Any, ...], int], dict[int, int]]:
    """`pemda_result` (the Pemda's method, over units), the counted answers per `count_by` group
    (e.g. month) and, with `months_between`, each unit's answers in those months — from the same
    rollup rows, in one query (:func:`skm.collection.spans.summed_and_counted`)."""
    grouped, counts = spans.summed_and_counted(
        start,
        end,
        by=("unit_id",),
        columns=SCORE_COLUMNS,
        count_by=count_by,
        months_between=months_between,
        **roster.filters,
    )
    between = {key[0]: sums.get("n_between", 0) for key, sums in grouped.items()}
    method = Method(pemda.aggregation_method)
    recaps = _recaps(roster, [(start, end)])[0]
    return _score_groups(roster, start, end, grouped, method, Level.PEMDA, recaps), counts, between


def _score_groups(
    roster: Roster,
    start: dt.date,
    end: dt.date,
    grouped: Mapping[tuple[Any, ...], Mapping[str, int]],
    method: Method,
    level: Level,
    recaps: Mapping[int, RecapPart] | None = None,
) -> PemdaResult:
    pemda, units, services = roster.pemda, roster.units, roster.services
    recaps = recaps or {}
    weight = pemda.weight_enum
    elements = element_order(pemda)
    if level is Level.PEMDA:
        keys_used = [(pk,) for pk, u in units.items() if u.active or (pk,) in grouped or pk in recaps]
    else:
        rank = {pk: i for i, pk in enumerate(services)}  # the units' and services' own order
        order = {pk: i for i, pk in enumerate(units)}
        keys_used = sorted(grouped, key=lambda k: (order[k[0]], rank.get(k[1], len(rank))))
    part_keys: list[PartKey] = []
    members: list[Member] = []
    incomplete: list[str] = []
    empty: dict[str, int] = {}
    for key in keys_used:
        label = units[key[0]].name
        if len(key) > 1:
            label += f" · {services.get(key[1], '—')}"
        part_key = _part_key(label, grouped.get(key, empty), elements, weight)
        part = _part(part_key)
        if part is None:
            incomplete.append(label)
        else:
            part_keys.append(part_key)
            service = services.get(key[1], "—") if len(key) > 1 else None
            members.append(Member(units[key[0]], service, part, weight))
    result = _aggregate(tuple(part_keys), method, level, weight)
    apart: tuple[str, ...] = ()
    approximation = None
    if recaps:
        result, members, apart, approximation = _with_recaps(
            roster, grouped, part_keys, members, recaps, method, level, weight
        )
    counted = [grouped[k] for k in keys_used if k in grouped]
    population = _population(units.values())
    interval = None
    if method is Method.POOLED and result.ikm is not None and not incomplete and approximation is None:
        complete, total, squares = (
            sum(r[c] for r in counted) for c in ("complete", "total_sum", "total_sumsq")
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
        recaps_apart=apart,
        approximation=approximation,
    )


def _with_recaps(
    roster: Roster,
    grouped: Mapping[tuple[Any, ...], Mapping[str, int]],
    part_keys: list[PartKey],
    members: list[Member],
    recaps: Mapping[int, RecapPart],
    method: Method,
    level: Level,
    weight: Weight,
) -> tuple[Aggregate, list[Member], tuple[str, ...], str | None]:
    """Units with a stored recap for the range and no counted answer join the aggregate with
    their recap's figures (skm.recaps.stored): marked as recaps; a recap with an IKM only is listed
    apart under the pooled method, which needs unsur values; pooled is then approximated."""
    answered = {key[0] for key, sums in grouped.items() if sums.get("n", 0) > 0}
    joining = {pk: r for pk, r in recaps.items() if pk not in answered and pk in roster.units}
    if not joining:
        return _aggregate(tuple(part_keys), method, level, weight), members, (), None
    kept = [m for m in members if m.unit.pk not in joining]
    apart: list[str] = []
    for pk, found in joining.items():
        if method is Method.POOLED and found.ikm_only:
            apart.append(roster.units[pk].name)
            continue
        kept.append(Member(roster.units[pk], None, found.part, weight, recap=True, history=found.history))
    order = {pk: i for i, pk in enumerate(roster.units)}
    kept.sort(key=lambda m: order.get(m.unit.pk, len(order)))
    answer_parts = [p for key in part_keys if (p := _part(key)) is not None and p.n > 0]
    recap_parts_used = [m.part for m in kept if m.recap]
    if method is not Method.POOLED:
        return aggregate([*answer_parts, *recap_parts_used], method, level, weight), kept, tuple(apart), None
    return (
        _pooled_with_recaps([*answer_parts, *recap_parts_used], level, weight),
        kept,
        tuple(apart),
        str(POOLED_WITH_RECAPS),
    )


def _pooled_with_recaps(parts: Sequence[Part], level: Level, weight: Weight) -> Aggregate:
    """Pooled over parts some of which have no tallies (recaps): the respondent-weighted mean of
    the per-unsur NRRs, IKM = Σ NRR × w × 25 (as skm.recaps.aggregates approximates it)."""
    weighted = aggregate(parts, Method.RESPONDENT_WEIGHTED, level, weight)
    if not weighted.nrr:
        return weighted
    ikm = ikm_from_nrr(list(weighted.nrr.values()), weight)
    return Aggregate(
        Method.POOLED,
        level,
        weight,
        dict(weighted.nrr),
        ikm,
        band_for(ikm, weight=weight),
        weighted.n,
        weighted.parts,
        weighted.skipped,
        weighted.description,
    )


def _population(units: Iterable[Unit]) -> int | None:
    """The Pemda's population: the sum over its active units, when every one states it."""
    stated = [u.population for u in units if u.active]
    return sum(stated) if stated and all(p is not None for p in stated) else None
