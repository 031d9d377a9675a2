"""Rollup tallies summed over date ranges: whole months from MonthlyRollup, the days around them
from DailyRollup, in one query (UNION ALL) per call.

A year of a Pemda with 156 units is ~170,000 daily rows but ~6,000 monthly ones: a range of whole
months reads only the latter, a custom range adds at most two partial months of days. Filters are
field lookups both models share (``pemda=``, ``unit=``, ``service_key=``, ``is_excluded=``,
``unit__perangkat_daerah=``); groups are field names of both, or MONTH for the calendar month.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import add
from typing import Any

from django.db import connection
from django.db.models import BigIntegerField, Case, DateField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, TruncMonth

from skm.collection.models import ROLLUP_SUM_COLUMNS, DailyRollup, MonthlyRollup

MONTH = "month"  # group by calendar month (its first day)
Sums = dict[str, int]


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return next_month(day) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Split:
    """A date range as whole months (first days, both included; None if none) and leftover days."""

    months: tuple[dt.date, dt.date] | None
    days: tuple[tuple[dt.date, dt.date], ...]


def split(start: dt.date, end: dt.date) -> Split:
    """start…end (both included) as its whole calendar months and the days outside them."""
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


def _query(
    spans: Sequence[Split],
    groups: Sequence[str],
    columns: Sequence[str],
    filters: Mapping[str, Any],
    dated: bool,
) -> QuerySet[Any] | None:
    """One grouped query over both grains; with `dated` each row also carries its grain (1 month,
    0 day) and `at`, the first month or day of its segment: the ranges' edges cut the months (and
    the days) into segments that each range covers whole or not at all, so a trend over quarters,
    semesters and a year reads four groups per unit, not twelve. None when the ranges are empty."""
    # As bigint: PostgreSQL sums a bigint column as numeric, which reaches Python as a Decimal.
    sums = {f"s_{c}": Cast(Sum(c), BigIntegerField()) for c in columns}
    month_q, day_q = Q(), Q()
    for span in spans:
        if span.months:
            month_q |= Q(month__gte=span.months[0], month__lte=span.months[1])
        for start, end in span.days:
            day_q |= Q(day__gte=start, day__lte=end)
    month_ranges = [span.months for span in spans if span.months]
    day_ranges = [days for span in spans for days in span.days]
    parts = []
    for model, q, at, edges in (
        (MonthlyRollup, month_q, "month", _edges(month_ranges, next_month)),
        (DailyRollup, day_q, "day", _edges(day_ranges, lambda day: day + dt.timedelta(days=1))),
    ):
        if not q:
            continue
        # A constant first column: with no group at all the sums are one row (a Value is never grouped).
        named: dict[str, Any] = {"grain": Value(int(model is MonthlyRollup))}
        if dated:
            cuts = [
                When(**{f"{at}__gte": low, f"{at}__lt": high}, then=Value(low))
                for low, high in itertools.pairwise(edges)
            ]
            named["at"] = Case(*cuts, output_field=DateField())
        for group in groups:
            month = F("month") if model is MonthlyRollup else TruncMonth("day")
            named[f"g_{group}"] = month if group == MONTH else F(group)
        parts.append(model.objects.filter(q, **filters).values(**named).annotate(**sums).order_by())
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)


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
    spans = [split(start, end) for start, end in ranges]
    several = len(ranges) > 1
    query = _query(spans, by, columns, filters, dated=several)
    found: list[dict[tuple[Any, ...], list[int]]] = [{} for _ in ranges]
    if query is None:
        return [{} for _ in ranges]
    # Plain rows from the cursor: a trend reads thousands, and Django's row dicts cost more
    # than the query. The columns are found by name in the cursor's description.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        position = {column[0]: i for i, column in enumerate(cursor.description)}
        rows = cursor.fetchall()
    first, count = position[f"s_{columns[0]}"], len(columns)
    assert [position[f"s_{c}"] for c in columns] == list(range(first, first + count))
    groups = [position[f"g_{g}"] for g in by]
    convert = [_month_of if g == MONTH else None for g in by]
    grain, at = position["grain"], position.get("at")
    targets: dict[tuple[Any, ...], list[int]] = {}  # the ranges a month or day counts in
    for row in rows:
        values = list(row[first : first + count])
        if values[0] is None and all(v is None for v in values):
            continue  # the one row of an ungrouped sum over no rows
        if None in values:
            values = [v or 0 for v in values]
        key = tuple(row[i] if f is None else f(row[i]) for i, f in zip(groups, convert, strict=True))
        if several:
            assert at is not None
            mark = (row[grain], _month_of(row[at]))
            into_ranges = targets.get(mark)
            if into_ranges is None:
                into_ranges = targets[mark] = [i for i, span in enumerate(spans) if _covers(span, mark)]
        else:
            into_ranges = [0]
        for i in into_ranges:
            before = found[i].get(key)
            found[i][key] = values if before is None else list(map(add, before, values))
    return [{key: dict(zip(columns, values, strict=True)) for key, values in sums.items()} for sums in found]


def _covers(span: Split, mark: tuple[int, dt.date]) -> bool:
    """Whether a range holds a segment (grain, first month or day): its first holds it whole."""
    monthly, at = mark
    if monthly:
        return span.months is not None and span.months[0] <= at <= span.months[1]
    return any(start <= at <= end for start, end in span.days)
