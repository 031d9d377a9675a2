"""Answers per channel in the rollups (issue 23: Metode SKM follows from them): every writer adds
them, `rebuild` agrees, `summarise` returns them, and the migration fills existing rollups."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from skm.collection import changes, rollups
from skm.collection.models import ROLLUP_CHANNEL_COLUMNS, ROLLUP_SUM_COLUMNS, Channel, DailyRollup
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit


def snapshot():
    return {
        (r.unit_id, r.service_key, r.day, r.is_excluded): tuple(getattr(r, c) for c in ROLLUP_SUM_COLUMNS)
        for r in DailyRollup.objects.all()
        if r.n
    }


def test_every_channel_has_a_column_and_the_columns_are_summed():
    assert [code for code, _ in ROLLUP_CHANNEL_COLUMNS] == list(Channel.values)
    fields = {f.name for f in DailyRollup._meta.concrete_fields}
    for _, column in ROLLUP_CHANNEL_COLUMNS:
        assert column in fields and column in ROLLUP_SUM_COLUMNS


@pytest.mark.django_db
def test_channels_are_counted_on_arrival_on_exclusion_and_by_rebuild():
    unit = make_unit(make_pd(make_pemda()))
    service = make_service(unit)
    make_answer(unit, channel=Channel.ONLINE)
    make_answer(unit, channel=Channel.ONLINE, service=service)
    make_answer(unit, channel=Channel.KIOSK)
    paper = make_answer(unit, channel=Channel.MANUAL)
    make_answer(unit, channel=Channel.IMPORT)
    make_answer(unit, channel=Channel.API)
    changes.set_excluded(paper, True, user=None, reason="uji")
    applied = snapshot()
    rollups.rebuild()
    assert snapshot() == applied
    counted = rollups.summarise(DailyRollup.objects.filter(unit=unit, is_excluded=False))
    assert counted.channels == {"online": 2, "kiosk": 1, "manual": 0, "import": 1, "api": 1}
    everything = rollups.summarise(DailyRollup.objects.filter(unit=unit))
    assert everything.channels["manual"] == 1
    assert sum(everything.channels.values()) == everything.n == 6


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_channels_of_existing_rollups():
    unit = make_unit(make_pd(make_pemda()))
    for channel in (Channel.ONLINE, Channel.ONLINE, Channel.MANUAL, Channel.KIOSK):
        make_answer(unit, channel=channel)
    make_answer(unit, channel=Channel.IMPORT, excluded=True)
    expected = snapshot()
    executor = MigrationExecutor(connection)
    executor.migrate([("collection", "0004_kiosk_device")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert snapshot() == expected
    assert DailyRollup.objects.get(unit=unit, is_excluded=False).channel_online == 2
