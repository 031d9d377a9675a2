"""Group commit on PostgreSQL: answers arriving together are stored in one statement by one writer.

These tests commit for real (transaction=True): the writer thread has its own connection and sees
only committed data, as in production. They run where the database is PostgreSQL (CI's second
run); on SQLite answers are stored one by one (skm.collection.store) and there is nothing to test.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from skm.collection import group_commit, rollups, store
from skm.collection.models import Answer, DailyRollup
from skm.collection.submit import Origin, submit
from skm.collection.validation import Received, validate
from skm.instrument.spec import current_spec
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="group commit is PostgreSQL's"),
]


@pytest.fixture
def units():
    pd = make_pd(make_pemda())
    return [make_unit(pd, name=f"Unit {i}") for i in range(3)]


def row(unit, key=None, **overrides):
    now = timezone.now()
    values = store.answer_values(
        pemda_id=unit.pemda_id,
        unit_id=unit.pk,
        instrument_version_id=current_spec(unit.pemda_id).version_id,
        submitted_at=now,
        day=timezone.localdate(now),
        channel="api",
        idempotency_key=key or uuid.uuid4().hex,
        gender="L",
        age_band="u35",
        created_at=now,
        **dict.fromkeys(ELEMENTS, 3),
    )
    values.update(overrides)
    return values


def queued(writer, rows, plans=None, whole=False):
    """Queue rows from one thread each while the writer is not running; start it; the ids (or
    with whole=True what `store` returned), or what each request would have raised."""
    results: dict[int, object] = {}

    def send(i, values):
        try:
            stored = writer.store(
                values["idempotency_key"], store._json_row(values), plans[i] if plans else None
            )
            results[i] = stored if whole else stored.answer_id
        except Exception as exc:  # the test looks at what each request would have raised
            results[i] = exc

    threads = [threading.Thread(target=send, args=(i, values)) for i, values in enumerate(rows)]
    for thread in threads:
        thread.start()
    while writer.queue.qsize() < len(rows):  # every request is waiting in the queue
        threading.Event().wait(0.005)
    writer.thread.start()
    for thread in threads:
        thread.join(10)
    writer.stop()
    return [results[i] for i in range(len(rows))]


def assert_rollups_equal_a_rebuild():
    columns = ("unit_id", "service_key", "day", "is_excluded", *rollups.ROLLUP_SUM_COLUMNS)
    before = sorted(DailyRollup.objects.values_list(*columns))
    rollups.rebuild()
    assert sorted(DailyRollup.objects.values_list(*columns)) == before


def test_answers_waiting_together_are_stored_in_one_batch(units):
    rows = [row(units[i % 3], waktu=1 + i % 4) for i in range(12)]
    writer = group_commit.Writer(start=False)
    ids = queued(writer, rows)
    assert writer.batches == 1 and writer.rows == 12
    stored = dict(Answer.objects.values_list("idempotency_key", "id"))
    assert ids == [stored[r["idempotency_key"]] for r in rows]
    assert sorted(Answer.objects.values_list("waktu", flat=True)) == sorted(1 + i % 4 for i in range(12))
    assert sum(DailyRollup.objects.values_list("n", flat=True)) == 12
    assert_rollups_equal_a_rebuild()


def test_a_key_twice_in_a_batch_or_already_stored_is_stored_once(units):
    first = row(units[0])
    store.insert_answer(first)  # outside any transaction: through this process's writer
    again = dict(first)
    twin = row(units[1])
    writer = group_commit.Writer(start=False)
    ids = queued(writer, [again, twin, dict(twin), row(units[2])])
    assert ids[0] is None  # already stored: "already received"
    assert isinstance(ids[1], int) and ids[2] is None  # the first copy stands, the second is a retry
    assert isinstance(ids[3], int)
    assert Answer.objects.count() == 3
    assert sum(DailyRollup.objects.values_list("n", flat=True)) == 3
    assert_rollups_equal_a_rebuild()


def test_one_key_in_three_units_of_a_batch_is_three_answers(units):
    """Keys are per unit (issue 21): the batch's first-copy rule and ON CONFLICT both see (unit, key)."""
    rows = [row(unit, key="lembar-00000001") for unit in units]
    rows.append(row(units[0], key="lembar-00000001"))  # a retry within the first unit
    writer = group_commit.Writer(start=False)
    ids = queued(writer, rows)
    assert all(isinstance(i, int) for i in ids[:3]) and len(set(ids[:3])) == 3
    assert ids[3] is None
    assert Answer.objects.filter(idempotency_key="lembar-00000001").count() == 3
    assert_rollups_equal_a_rebuild()


def test_one_bad_row_fails_alone(units):
    good = [row(units[0]), row(units[1])]
    bad = row(units[2], unit_id=10**9)  # no such unit: the foreign key refuses it at commit
    writer = group_commit.Writer(start=False)
    results = queued(writer, [good[0], bad, good[1]])
    assert isinstance(results[0], int) and isinstance(results[2], int)
    assert isinstance(results[1], IntegrityError)
    assert set(Answer.objects.values_list("idempotency_key", flat=True)) == {
        r["idempotency_key"] for r in good
    }
    assert_rollups_equal_a_rebuild()


def test_a_lost_connection_is_retried_on_a_new_one(units):
    writer = group_commit.Writer()
    try:
        first = row(units[0])
        assert isinstance(writer.store(first["idempotency_key"], store._json_row(first)).answer_id, int)
        with connection.cursor() as cursor:  # PostgreSQL restarts, a proxy drops the connection …
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'"
            )
        second = row(units[1])
        assert isinstance(writer.store(second["idempotency_key"], store._json_row(second)).answer_id, int)
    finally:
        writer.stop()
    assert Answer.objects.count() == 2


def test_submissions_from_many_threads_are_stored_exactly_once(units, settings):
    settings.SKM_RATE_DEVICE = settings.SKM_RATE_IP = "0/h"
    spec = current_spec(units[0].pemda_id)
    keys = [uuid.uuid4().hex for _ in range(40)]

    def send(n):
        from django.db import connections

        try:
            for key in keys[n::8] * 2:  # every answer twice: the second is a retry
                data = {e: "4" for e in ELEMENTS} | {"idempotency_key": key, "gender": "P", "age_band": "u25"}
                submit(
                    validate(Received.from_dict(data), unit=units[n % 3], spec=spec, channel="api"),
                    Origin(device=f"d{n}"),
                )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(Answer.objects.values_list("idempotency_key", flat=True)) == sorted(keys)
    assert sum(DailyRollup.objects.values_list("n", flat=True)) == 40
    assert group_commit.writer().rows == 40
    assert_rollups_equal_a_rebuild()


def test_inside_a_transaction_answers_are_stored_on_the_callers_connection(units):
    from django.db import transaction

    values = row(units[0])
    with transaction.atomic():
        answer_id = store.insert_answer(values).answer_id
        # Visible inside the caller's own transaction: it was not handed to another connection.
        assert Answer.objects.filter(pk=answer_id).exists()
    assert group_commit._writer is None


def test_a_batch_is_counted_in_one_redis_command_and_limits_hold_within_it(units, settings):
    from django.core.cache import caches
    from django.test import override_settings

    from skm.collection import integrity
    from skm.collection.tests.test_fast_path import REDIS_CACHE

    settings.SKM_RATE_DEVICE = "2/h"
    settings.SKM_FLAG_DEVICE_REPEAT = 1
    with override_settings(CACHES=REDIS_CACHE):
        caches["default"].clear()
        try:
            rows = [row(units[0], channel="api") for _ in range(4)]
            device = integrity.keyed_hash("device", "hp-satu")
            plans = [
                integrity.plan(
                    unit=units[0],
                    channel="api",
                    values=dict.fromkeys(ELEMENTS, 3),
                    device_hash=device,
                    ip_hash="",
                    ip="",
                    duration_seconds=None,
                    day_key="2026-11-23",
                )
                for _ in rows
            ]
            client = integrity._redis(caches["default"])

            def scripts_run():
                stats = client.info("commandstats")
                return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("evalsha", "eval"))

            before = scripts_run()
            writer = group_commit.Writer(start=False)
            results = queued(writer, rows, plans, whole=True)
            assert writer.batches == 1
            # One script call for the four answers (two on a Redis that has not seen it yet:
            # EVALSHA, refused, then EVAL).
            assert scripts_run() - before <= 2
        finally:
            caches["default"].clear()
    # The device limit (2/h) lets the first two in, in queue order, and refuses the others.
    assert [r.allowed for r in results] == [True, True, False, False]
    assert [r.answer_id is not None for r in results] == [True, True, False, False]
    # The second answer from the phone on that day is flagged (SKM_FLAG_DEVICE_REPEAT = 1).
    assert not results[0].flags & integrity.FLAG_DEVICE_REPEAT
    assert results[1].flags & integrity.FLAG_DEVICE_REPEAT
    assert sorted(Answer.objects.values_list("flags", flat=True)) == sorted(r.flags for r in results[:2])
    assert Answer.objects.count() == 2
    assert_rollups_equal_a_rebuild()
