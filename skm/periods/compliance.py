"""Who has reported a period, per unit type (SPEC §5: "72 dari 87: Perangkat Daerah 33/36 …").

Interfaces other apps use: `unit_status(unit, period)` and `compliance(pemda, period, pd)`.
A unit counts as reported when it submitted its report here, or (once skm.recaps stores recaps)
when it has a stored recap for the period (skm.recaps.stored.recap_units).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from skm.organisation.models import Frequency, Pemda, PerangkatDaerah, Period, Unit
from skm.periods.models import Status, Submission, UnitReport
from skm.recaps.stored import recap_units, recap_units_of
from skm.results.ranges import today_in

# Which unit frequencies owe a report for a period kind: a unit that surveys once a year reports
# the annual period only; a quarterly one every quarter, semester and the year.
_OWED = {
    Period.Kind.TRIWULAN_1: {Frequency.TRIWULAN},
    Period.Kind.TRIWULAN_2: {Frequency.TRIWULAN},
    Period.Kind.TRIWULAN_3: {Frequency.TRIWULAN},
    Period.Kind.TRIWULAN_4: {Frequency.TRIWULAN},
    Period.Kind.SEMESTER_1: {Frequency.TRIWULAN, Frequency.SEMESTER},
    Period.Kind.SEMESTER_2: {Frequency.TRIWULAN, Frequency.SEMESTER},
}


def expected_units(
    pemda: Pemda, period: Period, perangkat_daerah: PerangkatDaerah | None = None
) -> QuerySet[Unit]:
    """The active units that owe a report for `period`, by their survey frequency."""
    units = Unit.objects.filter(pemda=pemda, active=True)
    owed = _OWED.get(Period.Kind(period.kind))
    if owed is not None:
        units = units.filter(frequency__in=owed)
    if perangkat_daerah is not None:
        units = units.filter(perangkat_daerah=perangkat_daerah)
    return units


def status_of(report: UnitReport | None, unit: Unit, recap: bool) -> Status:
    row = None if report is None else (report.submission, report.accompanied)
    return _status(row, unit.accompanied, recap)


def unit_status(unit: Unit, period: Period) -> str:
    """One unit's status for a period: "dilaporkan", "alasan", "pendampingan" or "belum".

    A unit marked accompanied on the unit itself (organisation.Unit.accompanied) counts as
    accompanied in every period until the Pemda sets the period's mark.
    """
    report = UnitReport.objects.filter(unit=unit, period=period).first()
    recap = unit.pk in recap_units(unit.pemda, period)
    return status_of(report, unit, recap).value


def is_past_deadline(period: Period, today: dt.date) -> bool:
    return period.report_deadline is not None and today > period.report_deadline


@dataclass
class UnitLine:
    unit: Unit
    status: Status
    report: UnitReport | None
    late: bool


@dataclass
class TypeCount:
    """One unit type's line: counts per status and the units behind them."""

    name: str
    lines: list[UnitLine] = field(default_factory=list)

    def _of(self, status: Status) -> list[UnitLine]:
        return [line for line in self.lines if line.status == status]

    @property
    def expected(self) -> int:
        return len(self.lines)

    @property
    def reported(self) -> int:
        return len(self._of(Status.DILAPORKAN))

    @property
    def with_reason(self) -> int:
        return len(self._of(Status.ALASAN))

    @property
    def accompanied(self) -> int:
        return len(self._of(Status.PENDAMPINGAN))

    @property
    def not_reported(self) -> int:
        return len(self._of(Status.BELUM))


@dataclass
class Compliance:
    period: Period
    perangkat_daerah: PerangkatDaerah | None
    past_deadline: bool
    types: list[TypeCount]

    @property
    def lines(self) -> list[UnitLine]:
        return [line for t in self.types for line in t.lines]

    @property
    def expected(self) -> int:
        return sum(t.expected for t in self.types)

    @property
    def reported(self) -> int:
        return sum(t.reported for t in self.types)

    @property
    def with_reason(self) -> int:
        return sum(t.with_reason for t in self.types)

    @property
    def accompanied(self) -> int:
        return sum(t.accompanied for t in self.types)

    @property
    def not_reported(self) -> int:
        return sum(t.not_reported for t in self.types)

    @property
    def late(self) -> list[Unit]:
        """Units past the reporting deadline that neither reported nor gave a reason nor are accompanied."""
        return [line.unit for line in self.lines if line.late]

    def summary(self) -> str:
        """ "72 dari 87: Perangkat Daerah 33/36, Biro 9/9, UPT 30/42" (reported of expected)."""
        head = _("{reported} dari {expected}").format(reported=self.reported, expected=self.expected)
        parts = ", ".join(f"{t.name} {t.reported}/{t.expected}" for t in self.types)
        return f"{head}: {parts}" if parts else head


def compliance(pemda: Pemda, period: Period, perangkat_daerah: PerangkatDaerah | None = None) -> Compliance:
    """Per unit type: the units owing `period` and each one's status; the late ones named.

    Three queries whatever the number of units: the units, their report rows, the recap hook.
    """
    if period.pemda_id != pemda.pk:
        raise ValueError("period belongs to another Pemda")
    units = list(
        expected_units(pemda, period, perangkat_daerah)
        .select_related("unit_type", "perangkat_daerah")
        .order_by("unit_type__position", "unit_type__name", "perangkat_daerah__position", "position", "name")
    )
    reports: dict[int, UnitReport] = {
        r.unit_id: r
        for r in UnitReport.objects.filter(period=period, unit__in=[u.pk for u in units]).select_related(
            "submitted_by"
        )
    }
    recaps = recap_units(pemda, period)
    past = is_past_deadline(period, today_in(pemda))
    types: dict[int, TypeCount] = {}
    for unit in units:
        status = status_of(reports.get(unit.pk), unit, unit.pk in recaps)
        line = UnitLine(unit, status, reports.get(unit.pk), late=past and status == Status.BELUM)
        types.setdefault(unit.unit_type_id, TypeCount(unit.unit_type.name)).lines.append(line)
    return Compliance(period, perangkat_daerah, past, list(types.values()))


@dataclass(frozen=True)
class Counts:
    """How many units owe a period, how many reported (answers' report or a stored recap), how many are late."""

    expected: int
    reported: int
    late: int


def _statuses(
    pemda: Pemda,
    periods: list[Period],
    perangkat_daerah: PerangkatDaerah | None = None,
    unit: Unit | None = None,
) -> dict[int, list[Status]]:
    """Each period's statuses of the units owing it: three queries whatever the number of periods
    and units (the active units, the periods' report rows, their stored recaps)."""
    if not periods:
        return {}
    if any(p.pemda_id != pemda.pk for p in periods):
        raise ValueError("period belongs to another Pemda")
    units = Unit.objects.filter(pemda=pemda, active=True)
    if perangkat_daerah is not None:
        units = units.filter(perangkat_daerah=perangkat_daerah)
    if unit is not None:
        units = units.filter(pk=unit.pk)
    # Plain tuples, not model instances: this runs on every home page (the reminder panel).
    roster = list(units.values_list("pk", "frequency", "accompanied"))
    reports = {
        (period_id, unit_id): (submission, accompanied)
        for period_id, unit_id, submission, accompanied in UnitReport.objects.filter(
            period__in=periods, unit__in=[pk for pk, _f, _a in roster]
        ).values_list("period_id", "unit_id", "submission", "accompanied")
    }
    recaps = recap_units_of(pemda, periods)
    found: dict[int, list[Status]] = {}
    for period in periods:
        owed = _OWED.get(Period.Kind(period.kind))
        found[period.pk] = [
            _status(reports.get((period.pk, pk)), accompanied, pk in recaps[period.pk])
            for pk, frequency, accompanied in roster
            if owed is None or frequency in owed
        ]
    return found


def _status(report: tuple[str, bool] | None, unit_accompanied: bool, recap: bool) -> Status:
    """A unit's status from its report row's (submission, accompanied), if any, the unit's own
    accompanied mark and whether it has a stored recap (the one rule behind `status_of`)."""
    if recap or (report is not None and report[0] == Submission.REPORTED):
        return Status.DILAPORKAN
    if report is not None and report[0] == Submission.REASON:
        return Status.ALASAN
    if (report is not None and report[1]) or (report is None and unit_accompanied):
        return Status.PENDAMPINGAN
    return Status.BELUM


def counts_of(
    pemda: Pemda, periods: list[Period], perangkat_daerah: PerangkatDaerah | None = None
) -> dict[int, Counts]:
    """`compliance`'s totals of several periods at once (the period list, the home's reminder
    panel): period id → expected, reported, late. Three queries; none when no period is given."""
    today = today_in(pemda)
    found: dict[int, Counts] = {}
    by_period = _statuses(pemda, periods, perangkat_daerah)
    for period in periods:
        statuses = by_period[period.pk]
        not_yet = sum(1 for s in statuses if s == Status.BELUM)
        found[period.pk] = Counts(
            expected=len(statuses),
            reported=sum(1 for s in statuses if s == Status.DILAPORKAN),
            late=not_yet if is_past_deadline(period, today) else 0,
        )
    return found


def late_counts(
    pemda: Pemda, periods: list[Period], perangkat_daerah: PerangkatDaerah | None = None
) -> dict[int, int]:
    """Units late per period: period id → how many (see `counts_of`)."""
    return {pk: c.late for pk, c in counts_of(pemda, periods, perangkat_daerah).items()}


def unit_statuses(unit: Unit, periods: list[Period]) -> dict[int, Status]:
    """One unit's status in each of the periods it owes (periods it does not owe are absent)."""
    return {pk: statuses[0] for pk, statuses in _statuses(unit.pemda, periods, unit=unit).items() if statuses}


def as_dict(result: Compliance) -> dict[str, Any]:
    """Plain data of a compliance recap (for tests and other apps that need no model objects)."""
    return {
        "expected": result.expected,
        "reported": result.reported,
        "with_reason": result.with_reason,
        "accompanied": result.accompanied,
        "not_reported": result.not_reported,
        "types": {
            t.name: {
                "expected": t.expected,
                "reported": t.reported,
                "with_reason": t.with_reason,
                "accompanied": t.accompanied,
                "not_reported": t.not_reported,
            }
            for t in result.types
        },
        "late": [u.name for u in result.late],
    }
