"""The monthly rollups: filled by the migration from the daily rows already stored, and kept by
every writer (the property test in test_rollup_invariant covers arrivals, edits and rebuilds)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from skm.collection import rollups
from skm.collection.models import ROLLUP_SUM_COLUMNS, DailyRollup, MonthlyRollup
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit


def months() -> dict[tuple, tuple[int, ...]]:
    return {
        (r.unit_id, r.service_key, r.month, r.is_excluded): tuple(getattr(r, c) for c in ROLLUP_SUM_COLUMNS)
        for r in MonthlyRollup.objects.all()
    }


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_months_from_the_daily_rows():
    unit = make_unit(make_pd(make_pemda()))
    service = make_service(unit)
    for day in (dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 2, 28), dt.date(2025, 12, 31)):
        make_answer(unit, [4, 3, 3, 4, 2, 3, 3, 4, None], day=day)
        make_answer(unit, [1] * 9, day=day, service=service)
    make_answer(unit, [2] * 9, day=dt.date(2026, 2, 10), excluded=True)
    expected = months()
    assert {key[2] for key in expected} == {dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)}
    executor = MigrationExecutor(connection)
    executor.migrate([("collection", "0005_rollup_channels")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert months() == expected
    february = MonthlyRollup.objects.get(
        unit=unit, service_key=0, month=dt.date(2026, 2, 1), is_excluded=False
    )
    assert (february.n, february.cnt_pengaduan, february.sum_persyaratan) == (2, 0, 8)


@pytest.mark.django_db
def test_removal_leaves_no_empty_month_and_rebuild_of_one_pemda_keeps_the_others():
    first, second = make_unit(make_pd(make_pemda())), make_unit(make_pd(make_pemda()))
    gone = make_answer(first, [3] * 9, day=dt.date(2026, 3, 3))
    make_answer(second, [2] * 9, day=dt.date(2026, 3, 3))
    rollups.apply([gone], sign=-1)
    gone.delete()
    assert not MonthlyRollup.objects.filter(unit=first).exists()
    MonthlyRollup.objects.filter(unit=second).update(n=99)
    rollups.rebuild(first.pemda_id)
    assert MonthlyRollup.objects.get(unit=second).n == 99
    assert DailyRollup.objects.get(unit=second).n == 1
