"""Rollup tallies summed over date ranges: whole months from MonthlyRollup, the days around them
from DailyRollup, in one query (UNION ALL) per call.

A year of a Pemda with 156 units is ~170,000 daily rows but ~6,000 monthly ones: a range of whole
months reads only the latter, a custom range adds at most two partial months of days. Filters are
field lookups both models share (``pemda=``, ``unit=``, ``service_key=``, ``is_excluded=``,
``unit__perangkat_daerah=``); groups are field names of both, or MONTH for the calendar month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth

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
    """One grouped query over both grains; with `dated` each row also carries its month or day
    (`at`) and its grain (1 month, 0 day). None when the ranges are empty."""
    sums = {f"s_{c}": Sum(c) for c in columns}
    month_q, day_q = Q(), Q()
    for span in spans:
        if span.months:
            month_q |= Q(month__gte=span.months[0], month__lte=span.months[1])
        for start, end in span.days:
            day_q |= Q(day__gte=start, day__lte=end)
    parts = []
    for model, q, at in ((MonthlyRollup, month_q, "month"), (DailyRollup, day_q, "day")):
        if not q:
            continue
        # A constant first column: with no group at all the sums are one row (a Value is never grouped).
        named: dict[str, Any] = {"grain": Value(int(model is MonthlyRollup))}
        if dated:
            named["at"] = F(at)
        for group in groups:
            month = F("month") if model is MonthlyRollup else TruncMonth("day")
            named[f"g_{group}"] = month if group == MONTH else F(group)
        parts.append(model.objects.filter(q, **filters).values(**named).annotate(**sums).order_by())
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else parts[0].union(parts[1], all=True)


def _as_date(value: Any) -> Any:
    return value.date() if isinstance(value, dt.datetime) else value


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
    out: list[dict[tuple[Any, ...], Sums]] = [{} for _ in ranges]
    if query is None:
        return out
    for row in query:
        if all(row[f"s_{c}"] is None for c in columns):
            continue  # the one row of an ungrouped sum over no rows
        key = tuple(_as_date(row[f"g_{g}"]) for g in by)
        at = _as_date(row["at"]) if several else None
        for i, span in enumerate(spans):
            if several and not _covers(span, at, bool(row["grain"])):
                continue
            into = out[i].get(key)
            if into is None:
                into = out[i][key] = dict.fromkeys(columns, 0)
            for column in columns:
                into[column] += int(row[f"s_{column}"] or 0)
    return out


def _covers(span: Split, at: dt.date, monthly: bool) -> bool:
    if monthly:
        return span.months is not None and span.months[0] <= at <= span.months[1]
    return any(start <= at <= end for start, end in span.days)
