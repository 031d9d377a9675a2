"""The submission fast path: Redis counters in one command, process caches that learn of changes.

The Redis tests talk to the real Redis this machine runs (127.0.0.1:6379, a database number of
their own), as production does with SKM_REDIS_URL; CI has the same service.
"""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.test import override_settings

from skm.collection import integrity, store
from skm.collection.models import Answer, DailyRollup
from skm.collection.submit import Origin, Throttled, submit
from skm.collection.validation import Received, validate
from skm.instrument.spec import current_spec
from skm.lib.tokens import SharedTokens
from skm.organisation import lookup
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("SKM_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
REDIS_CACHE = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}


@pytest.fixture
def redis_cache():
    with override_settings(CACHES=REDIS_CACHE):
        caches["default"].clear()
        yield caches["default"]
        caches["default"].clear()


@pytest.fixture
def unit():
    return make_unit(make_pd(make_pemda()))


def form(**overrides):
    data = {e: "3" for e in ELEMENTS}
    data.update(gender="P", age_band="u35", education="s1", occupation="swasta")
    data["idempotency_key"] = uuid.uuid4().hex
    data.update(overrides)
    return data


def check(unit, data, channel="online"):
    return validate(Received.from_dict(data), unit=unit, spec=current_spec(unit.pemda_id), channel=channel)


def test_redis_counters_count_in_one_command_and_expire_with_their_window(redis_cache):
    counters = [
        integrity.Counter("uji:a", 60, 1),
        integrity.Counter("uji:b", 3600, 1),
        integrity.Counter("uji:a", 60, 2),
    ]
    assert integrity.count(counters) == [1, 1, 1]
    assert integrity.count(counters) == [2, 2, 2]
    assert integrity.count(counters[:1]) == [3]
    client = integrity._redis(redis_cache)
    key = redis_cache.make_key("skm:uji:a:1")
    assert int(client.get(key)) == 3
    assert 60 < client.ttl(key) <= 65  # the window plus a little, set once, not renewed
    assert 3600 < client.ttl(redis_cache.make_key("skm:uji:b:1")) <= 3605
    # Django's own cache API reads the same counter (one store for limits, lockouts, tokens).
    assert redis_cache.get("skm:uji:a:1") == 3


def test_redis_counter_script_is_sent_again_after_a_script_flush(redis_cache):
    assert integrity.count([integrity.Counter("uji:flush", 60, 1)]) == [1]
    integrity._redis(redis_cache).script_flush()
    assert integrity.count([integrity.Counter("uji:flush", 60, 1)]) == [2]


def test_redis_counters_survive_a_dropped_connection(redis_cache, caplog):
    """Each thread counts on a connection of its own; when Redis drops it (a restart, an idle
    timeout) the next count connects afresh instead of skipping the limits."""
    assert integrity.count([integrity.Counter("uji:putus", 60, 1)]) == [1]
    own = integrity._connection(redis_cache)
    own_id = integrity._call(own, "CLIENT", "ID")
    assert integrity._redis(redis_cache).execute_command("CLIENT", "KILL", "ID", own_id) == 1
    assert integrity.count([integrity.Counter("uji:putus", 60, 1)]) == [2]
    assert integrity._call(own, "CLIENT", "ID") != own_id  # a new connection
    assert "Redis tidak terjangkau" not in caplog.text


def test_flood_limit_and_flags_hold_with_redis(unit, redis_cache, settings):
    settings.SKM_RATE_DEVICE = "2/h"
    first = submit(check(unit, form()), Origin(ip="10.0.0.1", device="hp-redis"))
    second = submit(check(unit, form(waktu="2")), Origin(ip="10.0.0.1", device="hp-redis"))
    assert first.created and second.created
    # A third answer from that phone is refused …
    with pytest.raises(Throttled):
        submit(check(unit, form()), Origin(ip="10.0.0.1", device="hp-redis"))
    # … but a retry of an answer already received is still answered "already received".
    retried = check(unit, form())
    retried.idempotency_key = Answer.objects.get(pk=first.answer_id).idempotency_key
    receipt = submit(retried, Origin(ip="10.0.0.1", device="hp-redis"))
    assert not receipt.created and receipt.answer_id == first.answer_id
    assert Answer.objects.count() == 2
    assert DailyRollup.objects.get().n == 2
    # Repeat answers from one phone on one day are flagged (SKM_FLAG_DEVICE_REPEAT = 2).
    assert not first.flags & integrity.FLAG_DEVICE_REPEAT
    assert not second.flags & integrity.FLAG_DEVICE_REPEAT


def test_a_retried_key_stores_nothing_and_returns_the_first_receipt(unit):
    data = form()
    first = submit(check(unit, data), Origin(device="kios-1"))
    for _ in range(3):
        again = submit(check(unit, data), Origin(device="kios-1"))
        assert (again.created, again.answer_id, again.flags) == (False, first.answer_id, first.flags)
    assert Answer.objects.count() == 1 and DailyRollup.objects.get().n == 1


def test_store_writes_every_column_as_the_orm_reads_it(unit):
    service = make_service(unit)
    data = form(service=service.slug, suggestion="Antrean <b>lama</b>", contact="0812")
    receipt = submit(check(unit, data), Origin(ip="10.9.9.9", device="hp"))
    answer = Answer.objects.get(pk=receipt.answer_id)
    assert answer.service_id == service.pk and answer.unit_id == unit.pk
    assert answer.suggestion == "Antrean <b>lama</b>" and answer.contact == "0812"
    assert answer.values() == dict.fromkeys(ELEMENTS, 3)
    assert (answer.gender, answer.age_band, answer.education, answer.occupation) == (
        "P",
        "u35",
        "s1",
        "swasta",
    )
    assert answer.submitted_at == receipt.submitted_at and answer.created_at is not None
    assert answer.extra == {} and answer.excluded is False and answer.entered_by_id is None
    rollup = DailyRollup.objects.get()
    assert (rollup.service_key, rollup.n, rollup.sum_waktu, rollup.complete) == (service.pk, 1, 3, 1)
    assert rollup.total_sum == 27 and rollup.total_sumsq == 27 * 27 and rollup.gender_P == 1
    assert set(store.COLUMNS) == {f.column for f in Answer._meta.concrete_fields} - {"id"}


def test_answer_values_refuses_unknown_columns():
    with pytest.raises(TypeError, match="not answer columns"):
        store.answer_values(unit_id=1, colour="red")


def test_unit_cache_forgets_a_deactivated_unit_and_a_new_service_at_once(unit):
    found = lookup.active_unit(unit.slug)
    assert found is not None and found.unit.pk == unit.pk and found.services == ()
    service = make_service(unit)
    assert [s.pk for s in lookup.active_unit(unit.slug).services] == [service.pk]
    unit.active = False
    unit.save()
    assert lookup.active_unit(unit.slug) is None


def test_unit_cache_learns_of_changes_made_by_another_process(unit):
    assert lookup.active_unit(unit.slug) is not None
    # Another process deactivates the unit: here, an UPDATE without signals plus the token
    # bump that process's signal would send to the shared cache.
    type(unit).objects.filter(pk=unit.pk).update(active=False)
    assert lookup.active_unit(unit.slug) is not None  # this process still has it cached
    caches["default"].set("skm:units-token:", 99)
    lookup._TOKENS.forget()  # as if a second had passed
    assert lookup.active_unit(unit.slug) is None


def test_shared_tokens_reread_the_cache_only_after_their_interval():
    tokens = SharedTokens("uji-token", every=3600)
    assert tokens.get("x") == 0
    caches["default"].set("skm:uji-token:x", 5)
    assert tokens.get("x") == 0  # within the interval: the local copy
    tokens.forget()
    assert tokens.get("x") == 5
    tokens.bump("x")  # the process that changes something sees it at once
    assert tokens.get("x") == 6


def test_answers_are_taken_while_redis_is_down(unit, caplog):
    """Redis unreachable (nothing listens on port 1): limits and flags are skipped and logged, the
    answer is stored and counted — respondents' answers matter more than an hour of flood limits."""
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=down, SKM_RATE_DEVICE="1/h"):
        lookup.clear_caches()
        found = lookup.active_unit(unit.slug)  # the unit cache's token read fails softly
        assert found is not None
        receipts = [submit(check(unit, form()), Origin(ip="10.0.0.9", device="hp-1")) for _ in range(2)]
    assert [r.created for r in receipts] == [True, True]  # the 1/h limit could not be counted
    assert all(r.flags == 0 for r in receipts)
    assert Answer.objects.count() == 2 and DailyRollup.objects.get().n == 2
    assert "Redis tidak terjangkau" in caplog.text
