"""Results of a unit (or service) over a date range, read from the daily rollups (SPEC §4, §6)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from skm.collection import rollups
from skm.collection.models import DailyRollup
from skm.organisation.models import Layanan, Unit
from skm.scoring.confidence import Interval, ikm_confidence_interval
from skm.scoring.ikm import Score, score_tallies
from skm.scoring.sample import SampleAdequacy, sample_adequacy


@dataclass(frozen=True)
class UnitResult:
    unit: Unit
    start: dt.date
    end: dt.date
    score: Score
    interval: Interval | None
    sample: SampleAdequacy
    profile: dict[str, dict[str, int]]

    @property
    def n(self) -> int:
        return self.score.n


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
    score = score_tallies(summary.tallies, summary.n, weight)
    interval = None
    if summary.complete >= 2:
        w25 = 25 * weight.fraction
        interval = ikm_confidence_interval(
            summary.complete,
            summary.total_sum * w25,
            summary.total_sumsq * w25 * w25,
            population=unit.population if unit.population and unit.population >= summary.complete else None,
            weight=weight,
        )
    return UnitResult(
        unit=unit,
        start=start,
        end=end,
        score=score,
        interval=interval,
        sample=sample_adequacy(summary.n, unit.population),
        profile=summary.profile,
    )
