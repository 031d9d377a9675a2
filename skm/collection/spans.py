"""Rollup tallies summed over date ranges: whole months from MonthlyRollup, the days around them
from DailyRollup, in one query (UNION ALL) per call.

A year of a Pemda with 156 units is ~170,000 daily rows but ~6,000 monthly ones: a range of whole
months reads only the latter, a custom range adds at most two partial months of days. Filters are
field lookups both models share (``pemda=``, ``unit=``, ``service_key=``, ``is_excluded=``,
``unit__perangkat_daerah=``); groups are field names of both, or MONTH for the calendar month.

A range whose dates are exactly a closed period's reads that period's snapshot (FrozenRollup)
instead, inside :func:`reading_snapshots` (skm.results.freeze sets it up per request): so every
page, export and endpoint shows a closed period's frozen figures, and only those (SPEC §5).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from operator import add
from typing import Any

from django.db import connection

from skm.collection.models import ROLLUP_SUM_COLUMNS, DailyRollup, FrozenRollup, MonthlyRollup, RollupSums
from skm.collection.rollups import month_sql
from skm.organisation.models import Unit

MONTH = "month"  # group by calendar month (its first day)
Sums = dict[str, int]

# (start, end) → PeriodSnapshot id: the ranges read from a snapshot rather than the live rollups.
_FROZEN: ContextVar[Mapping[tuple[dt.date, dt.date], int] | None] = ContextVar("frozen_ranges", default=None)


@contextmanager
def reading_snapshots(frozen: Mapping[tuple[dt.date, dt.date], int]) -> Iterator[None]:
    """Within this block a range equal to a key of `frozen` reads that snapshot's rows; with an
    empty mapping every range reads the live rollups (the late answers of a closed period)."""
    token = _FROZEN.set(dict(frozen))
    try:
        yield
    finally:
        _FROZEN.reset(token)


def snapshot_for(start: dt.date, end: dt.date) -> int | None:
    """The snapshot the range start…end is read from here, if any."""
    frozen = _FROZEN.get()
    return None if frozen is None else frozen.get((start, end))


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return next_month(day) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Split:
    """A date range as whole months (first days, both included; None if none) and leftover days."""

    months: tuple[dt.date, dt.date] | None
    days: tuple[tuple[dt.date, dt.date], ...]
    # days to take away again: a month read whole though the range ends before its last day
    minus: tuple[tuple[dt.date, dt.date], ...] = ()


def split(start: dt.date, end: dt.date, *, today: dt.date | None = None) -> Split:
    """start…end (both included) as its whole calendar months and the days outside them.

    With `today`, a range whose last month is partial and reaches today (a year or period so far)
    reads that month whole and takes away the days after `end` — none hold answers yet, so a
    handful of rows are read instead of one per unit and day. Exact either way: a month's row is
    the sum of its days' rows.
    """
    found = _split(start, end)
    if today is None or not found.days or end < today - dt.timedelta(days=1):
        return found
    first, last = found.days[-1]
    if first.day != 1 or last != end or end == month_end(end):
        return found
    months = (found.months[0] if found.months else first, first)
    return Split(months, found.days[:-1], ((end + dt.timedelta(days=1), month_end(end)),))


def _today() -> dt.date:
    """Today as far as `split` is concerned: only which rows are read depends on it, never a sum."""
    return dt.date.today()


def _split(start: dt.date, end: dt.date) -> Split:
    if end < start:
        return Split(None, ())
    first = start if start.day == 1 else next_month(start)  # the first whole month
    after = next_month(end) if end == month_end(end) else end.replace(day=1)  # past the last one
    if first >= after:
        return Split(None, ((start, end),))
    days = []
    if start < first:
        days.append((start, first - dt.timedelta(days=1)))
    if after <= end:
        days.append((after, end))
    return Split((first, (after - dt.timedelta(days=1)).replace(day=1)), tuple(days))


# The filters callers may give, as SQL on a rollup table `t` (both tables have these columns).
_FILTERS = {
    "pemda": "t.pemda_id = %s",
    "unit": "t.unit_id = %s",
    "service_key": "t.service_key = %s",
    "is_excluded": "t.is_excluded = %s",
    "unit__perangkat_daerah": (
        f"t.unit_id IN (SELECT id FROM {Unit._meta.db_table} WHERE perangkat_daerah_id = %s)"
    ),
}


def _check_filters(filters: Mapping[str, Any]) -> None:
    unknown = set(filters) - set(_FILTERS)
    if unknown:
        raise ValueError(f"unknown rollup filter(s): {', '.join(sorted(unknown))}")


def _where(
    filters: Mapping[str, Any], column: str, ranges: Sequence[tuple[dt.date, dt.date]]
) -> tuple[str, list[Any]]:
    """The WHERE condition (filters, then the dates of `column` in any of `ranges`) and its parameters."""
    adapt = connection.ops.adapt_datefield_value
    where = [_FILTERS[name] for name in filters]
    params = [getattr(value, "pk", value) for value in filters.values()]
    where.append("(" + " OR ".join(f"t.{column} BETWEEN %s AND %s" for _ in ranges) + ")")
    params += [adapt(day) for pair in ranges for day in pair]
    return " AND ".join(where), params


def _frozen_part(
    snapshot: int,
    groups: Sequence[str],
    columns: Sequence[str],
    filters: Mapping[str, Any],
    seg: int | None,
    sign: str = "",
) -> tuple[str, list[Any]]:
    """One SELECT over a snapshot's rows grouped by `groups` (grain 2; `seg` the range's index)."""
    qn = connection.ops.quote_name
    select = ["2 AS grain"] + ([f"{seg} AS seg"] if seg is not None else [])
    grouped = [f"g_{group}" for group in groups]
    select += [f"{_group_sql(group, True)} AS g_{group}" for group in groups]
    select += [f"CAST({sign}SUM(t.{qn(c)}) AS BIGINT) AS {qn('s_' + c)}" for c in columns]
    where = ["t.snapshot_id = %s", *(_FILTERS[name] for name in filters)]
    params = [snapshot, *(getattr(value, "pk", value) for value in filters.values())]
    sql = f"SELECT {', '.join(select)} FROM {qn(FrozenRollup._meta.db_table)} t WHERE {' AND '.join(where)}"
    if grouped:
        sql += f" GROUP BY {', '.join(grouped)}"
    return sql, params


def _group_sql(group: str, monthly: bool) -> str:
    if group == MONTH:
        return "t.month" if monthly else month_sql("t.day")
    if group in ("unit_id", "service_key", "is_excluded"):
        return f"t.{group}"
    raise ValueError(f"unknown rollup group: {group}")


def _sql(
    spans: Sequence[Split],
    groups: Sequence[str],
    columns: Sequence[str],
    filters: Mapping[str, Any],
    dated: bool,
) -> tuple[str, list[Any], dict[int, list[dt.date]]] | None:
    """One grouped query over both grains (UNION ALL), its parameters, and per grain the first
    month or day of each segment. With `dated` each row carries its grain (1 month, 0 day) and
    `seg`, the number of its segment: the ranges' edges cut the months (and the days) into
    segments that each range covers whole or not at all, so a trend over quarters, semesters and
    a year reads four groups per unit, not twelve. None when the ranges are empty.

    Written here rather than through the ORM: compiling ~50 annotated sums cost 8–10 ms a query.
    """
    _check_filters(filters)
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    month_ranges = [span.months for span in spans if span.months]
    day_ranges = [days for span in spans for days in span.days]
    minus_ranges = [days for span in spans for days in span.minus]
    assert not (dated and minus_ranges), "a trend's segments read days, never days taken away"
    parts: list[str] = []
    params: list[Any] = []
    segments: dict[int, list[dt.date]] = {}
    for model, ranges, column, step, sign in (
        (MonthlyRollup, month_ranges, "month", next_month, ""),
        (DailyRollup, day_ranges, "day", _next_day, ""),
        (DailyRollup, minus_ranges, "day", _next_day, "-"),
    ):
        if not ranges:
            continue
        grain = int(model is MonthlyRollup)
        select = [f"{grain} AS grain"]
        grouped: list[str] = []
        if dated:
            edges = _edges(ranges, step)
            segments[grain] = edges[:-1]
            cuts = " ".join(
                f"WHEN t.{column} >= '{adapt(low)}' AND t.{column} < '{adapt(high)}' THEN {i}"
                for i, (low, high) in enumerate(itertools.pairwise(edges))
            )
            select.append(f"CASE {cuts} END AS seg")
            grouped.append("seg")
        for group in groups:
            select.append(f"{_group_sql(group, bool(grain))} AS g_{group}")
            grouped.append(f"g_{group}")
        select += [f"CAST({sign}SUM(t.{qn(c)}) AS BIGINT) AS {qn('s_' + c)}" for c in columns]
        where, where_params = _where(filters, column, ranges)
        params += where_params
        sql = f"SELECT {', '.join(select)} FROM {qn(model._meta.db_table)} t WHERE {where}"
        if grouped:
            sql += f" GROUP BY {', '.join(grouped)}"
        parts.append(sql)
    if not parts:
        return None
    return " UNION ALL ".join(parts), params, segments


def _next_day(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def _edges(ranges: Sequence[tuple[dt.date, dt.date]], step: Callable[[dt.date], dt.date]) -> list[dt.date]:
    """Where inclusive ranges of months (or days) begin and end, sorted: their segments' edges."""
    return sorted({low for low, _ in ranges} | {step(high) for _, high in ranges})


def _month_of(value: Any) -> dt.date:
    """A date from the database as a date (SQLite returns dates as text, TruncMonth a datetime)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def summed(
    start: dt.date,
    end: dt.date,
    *,
    by: Sequence[str] = (),
    columns: Sequence[str] = ROLLUP_SUM_COLUMNS,
    **filters: Any,
) -> dict[tuple[Any, ...], Sums]:
    """`columns` summed per group (`by`) over start…end, in one query; groups without rows absent.

    With ``by=()`` the one group is ``()`` (absent when nothing matched).
    """
    return summed_spans([(start, end)], by=by, columns=columns, **filters)[0]


def summed_spans(
    ranges: Iterable[tuple[dt.date, dt.date]],
    *,
    by: Sequence[str] = (),
    columns: Sequence[str] = ROLLUP_SUM_COLUMNS,
    **filters: Any,
) -> list[dict[tuple[Any, ...], Sums]]:
    """`summed` for several ranges (a trend's periods and years) from ONE query.

    For one range the rows are grouped in the database by `by` (the months and days of a range
    are added here); for several by `by` and month or day, then added per range here.
    """
    ranges = list(ranges)
    several = len(ranges) > 1
    frozen = [snapshot_for(start, end) for start, end in ranges]
    live = [i for i, snapshot in enumerate(frozen) if snapshot is None]
    today = None if several else _today()
    spans = [split(*ranges[i], today=today) for i in live]
    found: list[dict[tuple[Any, ...], list[int]]] = [{} for _ in ranges]
    _check_filters(filters)
    built = _sql(spans, by, columns, filters, dated=several)
    parts, params = ([built[0]], built[1]) if built else ([], [])
    segments = built[2] if built else {}
    for i, snapshot in enumerate(frozen):
        if snapshot is not None:
            sql, frozen_params = _frozen_part(snapshot, by, columns, filters, i if several else None)
            parts.append(sql)
            params += frozen_params
    if not parts:
        return [{} for _ in ranges]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        position = {column[0]: i for i, column in enumerate(cursor.description)}
        rows = cursor.fetchall()
    first, count = position[f"s_{columns[0]}"], len(columns)
    assert [position[f"s_{c}"] for c in columns] == list(range(first, first + count))
    groups = [position[f"g_{g}"] for g in by]
    convert = [_month_of if g == MONTH else None for g in by]
    grain, at = position["grain"], position.get("seg")
    targets: dict[tuple[Any, ...], list[int]] = {}  # the ranges a month or day counts in
    for row in rows:
        values = list(row[first : first + count])
        if values[0] is None and all(v is None for v in values):
            continue  # the one row of an ungrouped sum over no rows
        if None in values:
            values = [v or 0 for v in values]
        key = tuple(row[i] if f is None else f(row[i]) for i, f in zip(groups, convert, strict=True))
        if row[grain] == 2:  # a snapshot's rows: its range's
            into_ranges = [row[at]] if several else [0]
        elif several:
            assert at is not None
            mark = (row[grain], segments[row[grain]][row[at]])
            into_ranges = targets.get(mark)
            if into_ranges is None:
                into_ranges = targets[mark] = [live[i] for i, span in enumerate(spans) if _covers(span, mark)]
        else:
            into_ranges = [0]
        for i in into_ranges:
            before = found[i].get(key)
            found[i][key] = values if before is None else list(map(add, before, values))
    # A group whose days read were all taken away again (a month read whole, less its days after
    # today) sums to n = 0; no stored row has n = 0 (skm.collection.rollups), so it has none: drop it.
    at_n = columns.index("n") if "n" in columns else None
    return [
        {
            key: dict(zip(columns, values, strict=True))
            for key, values in sums.items()
            if at_n is None or values[at_n] != 0
        }
        for sums in found
    ]


def _covers(span: Split, mark: tuple[int, dt.date]) -> bool:
    """Whether a range holds a segment (grain, first month or day): its first holds it whole."""
    monthly, at = mark
    if monthly:
        return span.months is not None and span.months[0] <= at <= span.months[1]
    return any(start <= at <= end for start, end in span.days)


def summed_and_counted(
    start: dt.date,
    end: dt.date,
    *,
    by: Sequence[str],
    columns: Sequence[str],
    count_by: Sequence[str],
    months_between: tuple[dt.date, dt.date] | None = None,
    **filters: Any,
) -> tuple[dict[tuple[Any, ...], Sums], dict[tuple[Any, ...], int]]:
    """`summed(start, end, by=by, columns=columns)` and the answers (n) per `count_by` group, from
    ONE query that reads the rollup rows once (a common table expression grouped two ways).

    With `months_between` (first days of two months) each group of `by` also gets ``n_between``:
    its answers in those months (whole months of start…end; the days read count in their month).
    The dashboard's figures per unit, its answers per month and the units without answers in the
    running period come from the same rows: one pass instead of three, and one round trip.
    """
    _check_filters(filters)
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datefield_value
    span = split(start, end, today=_today())
    snapshot = snapshot_for(start, end)
    groups = list(dict.fromkeys([*by, *count_by, MONTH]))
    sums: dict[tuple[Any, ...], Sums] = {}
    counts: dict[tuple[Any, ...], int] = {}
    reads: list[tuple[type[RollupSums], list[tuple[dt.date, dt.date]], str, str]] = [
        (MonthlyRollup, [span.months] if span.months else [], "month", ""),
        (DailyRollup, list(span.days), "day", ""),
        (DailyRollup, list(span.minus), "day", "-"),
    ]
    if snapshot is not None:
        reads = [(FrozenRollup, [(start, end)], "", "")]
    parts: list[str] = []
    params: list[Any] = []
    for model, ranges, column, sign in reads:
        if not ranges:
            continue
        select = [f"{_group_sql(g, model is not DailyRollup)} AS g_{g}" for g in groups]
        select += [f"{sign}t.{qn(c)} AS {qn('c_' + c)}" for c in dict.fromkeys([*columns, "n"])]
        if model is FrozenRollup:
            where = " AND ".join(["t.snapshot_id = %s", *(_FILTERS[name] for name in filters)])
            where_params = [snapshot, *(getattr(value, "pk", value) for value in filters.values())]
        else:
            where, where_params = _where(filters, column, ranges)
        parts.append(f"SELECT {', '.join(select)} FROM {qn(model._meta.db_table)} t WHERE {where}")
        params += where_params
    if not parts:
        return sums, counts
    between = "NULL"
    if months_between is not None:
        between = f"CAST(SUM(CASE WHEN b.g_{MONTH} BETWEEN %s AND %s THEN b.c_n ELSE 0 END) AS BIGINT)"
        params += [adapt(months_between[0]), adapt(months_between[1])]

    def grouped(part: int, keys: Sequence[str], values: list[str]) -> str:
        chosen = ", ".join(f"b.g_{g}" if g in keys else "NULL" for g in (*by, *count_by))
        group_by = f" GROUP BY {', '.join(f'b.g_{g}' for g in keys)}" if keys else ""
        return f"SELECT {part}, {chosen}, {', '.join(values)} FROM b{group_by}"

    total = [f"CAST(SUM(b.{qn('c_' + c)}) AS BIGINT)" for c in columns]
    sql = (
        f"WITH b AS ({' UNION ALL '.join(parts)}) "
        + grouped(0, by, [*total, between])
        + " UNION ALL "
        + grouped(1, count_by, [*(["NULL"] * len(columns)), "CAST(SUM(b.c_n) AS BIGINT)"])
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    width = len(by) + len(count_by)
    convert = [_month_of if g == MONTH else None for g in (*by, *count_by)]
    for row in rows:
        key = [
            v if f is None or v is None else f(v) for v, f in zip(row[1 : 1 + width], convert, strict=True)
        ]
        values = row[1 + width : 1 + width + len(columns)]
        if row[0] == 0:
            if all(v is None for v in values):
                continue  # the one row of an ungrouped sum over no rows
            found = dict(zip(columns, (v or 0 for v in values), strict=True))
            if found.get("n", 1) == 0:
                continue  # every day read was taken away again (see summed_spans)
            if months_between is not None:
                found["n_between"] = row[-1] or 0
            sums[tuple(key[: len(by)])] = found
        elif row[-1]:  # None: no rows; 0: every day read was taken away again
            counts[tuple(key[len(by) :])] = row[-1]
    return sums, counts


def late_counts(
    start: dt.date, end: dt.date, snapshot: int, *, by: Sequence[str] = ("unit_id",), **filters: Any
) -> dict[tuple[Any, ...], int]:
    """Answers dated start…end per `by` group that the snapshot does not hold (live n minus frozen
    n, excluded answers too: arrived after its cut-off), in one query; groups without any absent."""
    _check_filters(filters)
    built = _sql([split(start, end, today=_today())], by, ("n",), filters, dated=False)
    frozen_sql, frozen_params = _frozen_part(snapshot, by, ("n",), filters, None, sign="-")
    parts, params = [frozen_sql], frozen_params
    if built is not None:
        parts.insert(0, built[0])
        params = built[1] + params
    width = len(by)
    late: dict[tuple[Any, ...], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for row in cursor.fetchall():
            key = tuple(row[1 : 1 + width])
            late[key] = late.get(key, 0) + int(row[1 + width] or 0)
    return {key: count for key, count in late.items() if count}
