"""Closing a period and reading its frozen figures (SPEC §5 "Closing a period", issue 24).

Closing copies the period's rollup sums — per unit × service × month × is_excluded, months
clipped to the period's dates — into FrozenRollup rows of a new PeriodSnapshot (version 1, 2, …)
with ONE ``INSERT … SELECT`` in the transaction that sets ``period.closed_at``: an answer is in the
copy or late, never half. Every figure of the period then follows from those sums through the
same scoring code as live figures (skm.collection.spans reads a range equal to a closed period's
dates from its snapshot inside :func:`Frozen.reading`), so no page, export or endpoint can show a
second figure for one unit-period under one version. Answers arriving later are kept and counted
as late: live sums minus frozen ones. Reopening (with a reason) and closing are audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from skm.accounts import audit
from skm.collection import spans
from skm.collection.models import ROLLUP_SUM_COLUMNS, DailyRollup, FrozenRollup, PeriodSnapshot
from skm.collection.rollups import month_sql
from skm.lib.numbers import number
from skm.organisation.models import Pemda, PerangkatDaerah, Period, Unit
from skm.results.compute import element_order, pemda_result, unit_results
from skm.results.ranges import DateRange, format_date
from skm.scoring.aggregate import Level, Method
from skm.scoring.priority import priority_unsur


class FreezeError(ValueError):
    """A close or reopen that cannot happen (already closed, not closed, no reason)."""


def _copy_rows(snapshot: PeriodSnapshot) -> None:
    """The period's daily rollups summed per unit × service × month × is_excluded, into the
    snapshot: one statement, so it reads one consistent state of the rollups."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    columns = ", ".join(qn(c) for c in ROLLUP_SUM_COLUMNS)
    sums = ", ".join(f"SUM(t.{qn(c)})" for c in ROLLUP_SUM_COLUMNS)
    month = month_sql("t.day")
    sql = (
        f"INSERT INTO {qn(FrozenRollup._meta.db_table)} "
        f"(snapshot_id, pemda_id, unit_id, service_key, month, is_excluded, {columns}) "
        f"SELECT %s, t.pemda_id, t.unit_id, t.service_key, {month}, t.is_excluded, {sums} "
        f"FROM {qn(DailyRollup._meta.db_table)} t WHERE t.pemda_id = %s AND t.day BETWEEN %s AND %s "
        f"GROUP BY t.pemda_id, t.unit_id, t.service_key, {month}, t.is_excluded"
    )
    params = [snapshot.pk, snapshot.pemda_id, adapt(snapshot.start), adapt(snapshot.end)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def close_period(period: Period, user: Any = None, *, now: dt.datetime | None = None) -> PeriodSnapshot:
    """Close `period`: freeze its figures as the next version of its snapshot (audited)."""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            raise FreezeError(f"period {period.pk} is already closed")
        cut_off = now or timezone.now()
        latest = PeriodSnapshot.objects.filter(period=period).aggregate(v=Max("version"))["v"] or 0
        snapshot = PeriodSnapshot.objects.create(
            pemda_id=period.pemda_id,
            period=period,
            version=latest + 1,
            cut_off=cut_off,
            closed_by=user if getattr(user, "is_authenticated", False) else None,
            start=period.start,
            end=period.end,
        )
        _copy_rows(snapshot)
        period.closed_at = cut_off
        period.save(update_fields=["closed_at"])
        snapshot.figures = figures_of(snapshot)
        snapshot.save(update_fields=["figures"])
        audit.record(
            "period.close",
            period,
            user=user,
            summary=f"Periode {period.display_label} ditutup, versi {snapshot.version}",
            after={"version": snapshot.version, "cut_off": cut_off.isoformat()},
        )
    return snapshot


def reopen_period(period: Period, user: Any = None, *, reason: str) -> None:
    """Reopen a closed period (audited, with its reason); its snapshots stay readable."""
    reason = reason.strip()
    if not reason:
        raise FreezeError("a reason is required to reopen a period")
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if not period.is_closed:
            raise FreezeError(f"period {period.pk} is not closed")
        before = period.closed_at
        period.closed_at = None
        period.save(update_fields=["closed_at"])
        audit.record(
            "period.reopen",
            period,
            user=user,
            summary=f"Periode {period.display_label} dibuka kembali: {reason}",
            before={"closed_at": before.isoformat() if before else None},
            after={"reason": reason},
        )


def snapshots_of(pemda: Pemda) -> list[PeriodSnapshot]:
    """Every snapshot of the Pemda with its period, oldest first, without their figures (one query)."""
    rows = PeriodSnapshot.objects.filter(pemda=pemda).select_related("period").defer("figures")
    return list(rows.order_by("cut_off", "version"))


def current_of(found: list[PeriodSnapshot]) -> dict[tuple[dt.date, dt.date], PeriodSnapshot]:
    """The newest snapshot of each closed period, by its dates (the latest close wins)."""
    return {(s.start, s.end): s for s in found if s.period.is_closed}


@dataclass
class Frozen:
    """What a results request reads from snapshots: every closed period's current one (or the
    version asked for), and the one of the range shown, if its dates are a closed period's."""

    snapshots: dict[tuple[dt.date, dt.date], PeriodSnapshot] = field(default_factory=dict)
    shown: PeriodSnapshot | None = None
    versions: list[PeriodSnapshot] = field(default_factory=list)
    late: dict[int, int] = field(default_factory=dict)  # late answers per unit (shown range)

    @contextmanager
    def reading(self) -> Iterator[None]:
        with spans.reading_snapshots({dates: s.pk for dates, s in self.snapshots.items()}):
            yield

    @property
    def late_total(self) -> int:
        return sum(self.late.values())

    @property
    def version_query(self) -> str:
        """``&versi=N`` when an earlier version than the current one is shown (for links)."""
        current = self.versions[-1] if self.versions else None
        if self.shown is None or current is None or self.shown == current:
            return ""
        return f"&versi={self.shown.version}"

    def notice(self, pemda: Pemda, names: Mapping[int, str] | None = None) -> dict[str, Any] | None:
        """What a page over a closed period says: closed when, which version, the late answers
        (per unit when `names` lists the units), and every version with a link."""
        if self.shown is None and not self.versions:
            return None
        tz = pemda.tz
        out: dict[str, Any] = {"lines": [], "late": [], "versions": []}
        if self.shown is not None:
            out["lines"].append(
                gettext("Periode ditutup pada %(cut_off)s, versi %(version)s; angka dari snapshot.")
                % {"cut_off": _when(self.shown.cut_off, tz), "version": self.shown.version}
            )
            count = self.late_total
            out["lines"].append(
                ngettext(
                    "%(count)s jawaban masuk setelah ditutup (terlambat), tidak dihitung.",
                    "%(count)s jawaban masuk setelah ditutup (terlambat), tidak dihitung.",
                    count,
                )
                % {"count": number(count, 0)}
            )
            if names:
                out["late"] = [(names[pk], count) for pk, count in self.late.items() if pk in names]
                out["late"].sort(key=lambda item: (-item[1], item[0]))
        else:
            out["lines"].append(
                gettext("Periode ini dibuka kembali; angka di halaman ini berjalan (belum dibekukan).")
            )
        for snapshot in self.versions:
            label = gettext("Versi %(version)s, ditutup %(cut_off)s") % {
                "version": snapshot.version,
                "cut_off": _when(snapshot.cut_off, tz),
            }
            query = f"periode={snapshot.period_id}&versi={snapshot.version}"
            out["versions"].append((label, query, snapshot == self.shown))
        return out


def _when(moment: dt.datetime, tz: Any) -> str:
    local = timezone.localtime(moment, tz)
    return f"{format_date(local.date())} {local:%H:%M}"


def for_range(
    pemda: Pemda,
    span: DateRange,
    params: Mapping[str, Any] | None = None,
    *,
    late: bool = True,
    unit: Unit | None = None,
) -> Frozen:
    """The snapshots a request over `span` reads (one query) and, when `span` is a closed
    period's dates, its late answers (one more: per unit, or of `unit` only). ``versi=N`` in
    `params` reads version N of the period shown instead of its current one."""
    params = params or {}
    found = snapshots_of(pemda)
    snapshots = current_of(found)
    dates = (span.start, span.end)
    shown = snapshots.get(dates)
    period_id = span.period.pk if span.period else (shown.period_id if shown else None)
    versions = [s for s in found if s.period_id == period_id and (s.start, s.end) == dates]
    version = str(params.get("versi", "") or "").strip()
    asked = next((s for s in versions if version.isdigit() and s.version == int(version)), None)
    if asked is not None:
        shown = snapshots[dates] = asked
    frozen = Frozen(snapshots, shown, versions)
    if shown is not None and late:
        filters: dict[str, Any] = {"pemda": pemda} if unit is None else {"unit": unit}
        counts = spans.late_counts(span.start, span.end, shown.pk, **filters)
        frozen.late = {key[0]: count for key, count in counts.items()}
    return frozen


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"


def figures_of(snapshot: PeriodSnapshot) -> dict[str, Any]:
    """The record of a snapshot's figures (read from its frozen sums): the Pemda's by every method
    and level, each Perangkat Daerah's, each unit's and each service's — IKM (exact, as a fraction),
    mutu, n, priority unsur — with the instrument weight and element order at close."""
    pemda = Pemda.objects.get(pk=snapshot.pemda_id)
    start, end = snapshot.start, snapshot.end
    weight = pemda.weight_enum
    out: dict[str, Any] = {
        "weight": weight.value,
        "elements": list(element_order(pemda)),
        "method": pemda.aggregation_method,
        "pemda": {},
        "perangkat_daerah": {},
        "units": {},
    }
    with spans.reading_snapshots({(start, end): snapshot.pk}):
        for method in Method:
            for level in (Level.PEMDA, Level.SERVICE):
                agg = pemda_result(pemda, start, end, method=method, level=level).result
                out["pemda"][f"{method.value}/{level.value}"] = {
                    "ikm": _fraction(agg.ikm),
                    "mutu": agg.band.mutu if agg.band else None,
                    "n": agg.n,
                }
        for pd in PerangkatDaerah.objects.filter(pemda=pemda).order_by("pk"):
            agg = pemda_result(pemda, start, end, perangkat_daerah=pd).result
            out["perangkat_daerah"][str(pd.pk)] = {
                "ikm": _fraction(agg.ikm),
                "mutu": agg.band.mutu if agg.band else None,
                "n": agg.n,
            }
        for unit in Unit.objects.filter(pemda=pemda).select_related("pemda").order_by("pk"):
            counted, everything = unit_results(unit, start, end)
            entry = _score_entry(counted.score)
            entry["n_all"] = everything.n  # with excluded answers
            entry["services"] = {}
            for service in unit.services.all().order_by("pk"):
                entry["services"][str(service.pk)] = _score_entry(
                    unit_results(unit, start, end, service=service)[0].score
                )
            out["units"][str(unit.pk)] = entry
    return out


def _score_entry(score: Any) -> dict[str, Any]:
    nrr = {e: u.nrr for e, u in score.unsur.items()}
    return {
        "ikm": _fraction(score.ikm),
        "mutu": score.band.mutu if score.band else None,
        "n": score.n,
        "priority": priority_unsur(nrr, places=3) if score.ikm is not None else [],
    }


@contextmanager
def reading_for(pemda: Pemda) -> Iterator[None]:
    """Read every closed period of the Pemda from its current snapshot (the CLI and the API:
    results asked for exactly a closed period's dates show its snapshot figures)."""
    with Frozen(current_of(snapshots_of(pemda))).reading():
        yield
