"""Ranges read from whole months plus days equal the daily rollups summed over the same days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skm.collection import spans
from skm.collection.models import ROLLUP_SUM_COLUMNS, DailyRollup
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

FIRST = dt.date(2025, 11, 20)
dates = st.integers(0, 130).map(lambda i: FIRST + dt.timedelta(days=i))


def test_unknown_filters_and_groups_are_refused():
    with pytest.raises(ValueError, match="filter"):
        spans.summed(FIRST, FIRST, unit__name="x")
    with pytest.raises(ValueError, match="group"):
        spans.summed(FIRST, FIRST, by=("day",))


@given(start=dates, end=dates, today=st.none() | dates)
def test_split_covers_every_day_once(start, end, today):
    """Whole months plus days, less the days taken away, are the range's days, each once."""
    part = spans.split(start, end, today=today)
    if today is None or end < today - dt.timedelta(days=1):
        assert part.minus == ()
    covered: list[dt.date] = []
    if part.months:
        month = part.months[0]
        while month <= part.months[1]:
            day = month
            while day.month == month.month:
                covered.append(day)
                day += dt.timedelta(days=1)
            month = spans.next_month(month)
    for a, b in part.days:
        covered.extend(a + dt.timedelta(days=i) for i in range((b - a).days + 1))
    for a, b in part.minus:
        for i in range((b - a).days + 1):
            covered.remove(a + dt.timedelta(days=i))
    expected = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    assert sorted(covered) == expected
    assert len(part.days) <= 2


@pytest.fixture
def world():
    pemda = make_pemda()
    units = [make_unit(make_pd(pemda)), make_unit(make_pd(pemda))]
    service = make_service(units[0])
    day = FIRST
    i = 0
    while day <= FIRST + dt.timedelta(days=130):
        unit = units[i % 2]
        make_answer(unit, [1 + i % 4] * 8 + [None if i % 5 == 0 else 2], day=day, excluded=i % 7 == 0)
        if i % 3 == 0:
            make_answer(units[0], [4] * 9, day=day, service=service, gender="P")
        day += dt.timedelta(days=1 + i % 3)
        i += 1
    return pemda, units


def direct(start, end, by, **filters):
    rows = DailyRollup.objects.filter(day__gte=start, day__lte=end, **filters)
    out: dict[tuple, dict[str, int]] = {}
    for r in rows:
        key = tuple(r.day.replace(day=1) if g == spans.MONTH else getattr(r, g) for g in by)
        into = out.setdefault(key, dict.fromkeys(ROLLUP_SUM_COLUMNS, 0))
        for c in ROLLUP_SUM_COLUMNS:
            into[c] += getattr(r, c)
    return {k: v for k, v in out.items()}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ranges=st.lists(st.tuples(dates, dates).map(sorted), min_size=1, max_size=4),
    by=st.sampled_from([(), ("unit_id",), ("unit_id", "service_key"), (spans.MONTH,), ("is_excluded",)]),
    counted_only=st.booleans(),
    today=dates,
)
def test_sums_over_ranges_equal_the_daily_rows(world, ranges, by, counted_only, today, monkeypatch):
    """Also when `today` lies in the data (a month read whole less its later days)."""
    monkeypatch.setattr(spans, "_today", lambda: today)
    pemda, units = world
    filters = {"pemda": pemda, **({"is_excluded": False} if counted_only else {})}
    got = spans.summed_spans(ranges, by=by, **filters)
    assert got == [direct(start, end, by, **filters) for start, end in ranges]
    start, end = ranges[0]
    assert spans.summed(start, end, by=by, **filters) == direct(start, end, by, **filters)
    pd = units[0].perangkat_daerah
    assert spans.summed(start, end, by=by, unit__perangkat_daerah=pd) == direct(
        start, end, by, unit__perangkat_daerah=pd
    )
    one = spans.summed(start, end, by=by, columns=("n",), unit=units[0])
    assert one == {k: {"n": v["n"]} for k, v in direct(start, end, by, unit=units[0]).items()}


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    span=st.tuples(dates, dates).map(sorted),
    between=st.tuples(dates, dates).map(sorted),
    by=st.sampled_from([(), ("unit_id",), ("unit_id", "service_key")]),
    count_by=st.sampled_from([(spans.MONTH,), ("unit_id", spans.MONTH), ("is_excluded",)]),
    counted_only=st.booleans(),
)
def test_summed_and_counted_equals_two_separate_reads(
    world, span, between, by, count_by, counted_only, monkeypatch
):
    pemda, _units = world
    monkeypatch.setattr(spans, "_today", lambda: span[1])  # the range so far: its month whole, less
    start, end = span
    filters = {"pemda": pemda, **({"is_excluded": False} if counted_only else {})}
    first, last = (day.replace(day=1) for day in between)
    sums, counts = spans.summed_and_counted(
        start,
        end,
        by=by,
        columns=("n", "complete"),
        count_by=count_by,
        months_between=(first, last),
        **filters,
    )
    expected = direct(start, end, by, **filters)
    assert {k: {"n": v["n"], "complete": v["complete"]} for k, v in sums.items()} == {
        k: {"n": v["n"], "complete": v["complete"]} for k, v in expected.items()
    }
    assert counts == {k: v["n"] for k, v in direct(start, end, count_by, **filters).items()}
    # n_between: the answers of each group in the months first…last (clipped to start…end)
    low, high = max(start, first), min(end, spans.month_end(last))
    inside = direct(low, high, by, **filters) if low <= high else {}
    assert {k: v["n_between"] for k, v in sums.items()} == {k: inside.get(k, {"n": 0})["n"] for k in sums}
