"""Idempotency keys belong to their unit (issue 21): another unit's key is no retry, and a key
reused within a unit for another questionnaire is a conflict, never a silent "already received".

On main before this, a key stored by one Pemda's unit made every other unit's answer under the
same key "already received" — the rows were dropped and the API's reply carried the other
answer's id and time.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from skm.collection.models import Answer, DailyRollup
from skm.collection.submit import KeyConflict, submit
from skm.collection.validation import Received, validate
from skm.instrument.spec import current_spec
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def units():
    kota = make_unit(make_pd(make_pemda("Kota Banjarmasin")), name="Puskesmas Terminal")
    banjar = make_unit(make_pd(make_pemda("Kabupaten Banjar")), name="UPTD Puskesmas Aluh-Aluh")
    return kota, banjar


def data(key: str, value: int = 3, **extra: str) -> dict[str, str]:
    return {**{e: str(value) for e in ELEMENTS}, "gender": "P", "idempotency_key": key, **extra}


def send(unit, payload):
    return submit(
        validate(Received.from_dict(payload), unit=unit, spec=current_spec(unit.pemda_id), channel="manual")
    )


def test_the_same_key_in_two_units_of_two_pemda_stores_both(units):
    kota, banjar = units
    first = send(kota, data("lembar-00000001", 4))
    second = send(banjar, data("lembar-00000001", 2))
    assert first.created and second.created
    assert first.answer_id != second.answer_id
    assert Answer.objects.filter(idempotency_key="lembar-00000001").count() == 2
    assert DailyRollup.objects.get(unit=banjar).sum_waktu == 2


def test_a_retry_within_the_unit_is_already_received(units):
    kota, _ = units
    first = send(kota, data("lembar-00000002"))
    again = send(kota, data("lembar-00000002"))
    assert not again.created and again.answer_id == first.answer_id
    assert Answer.objects.filter(unit=kota).count() == 1
    assert DailyRollup.objects.get(unit=kota).n == 1


def test_another_questionnaire_under_a_used_key_is_a_conflict(units):
    kota, _ = units
    first = send(kota, data("lembar-00000003", 3))
    for changed in (
        data("lembar-00000003", 4),
        data("lembar-00000003", 3, suggestion="lain"),
        data("lembar-00000003", 3, gender="L"),
    ):
        with pytest.raises(KeyConflict) as caught:
            send(kota, changed)
        assert caught.value.answer_id == first.answer_id
    assert Answer.objects.filter(unit=kota).count() == 1
    assert DailyRollup.objects.get(unit=kota).n == 1


def test_a_stated_answer_time_is_part_of_the_questionnaire(units):
    kota, _ = units
    answered = "2026-03-05T10:15:00+08:00"
    send(kota, data("lembar-00000004", answered_at=answered))
    assert not send(kota, data("lembar-00000004", answered_at=answered)).created
    with pytest.raises(KeyConflict):
        send(kota, data("lembar-00000004", answered_at="2026-03-06T10:15:00+08:00"))


def test_the_service_is_part_of_the_questionnaire(units):
    kota, _ = units
    one, two = make_service(kota, "Rawat jalan"), make_service(kota, "Imunisasi")
    send(kota, data("lembar-00000005", service=str(one.pk)))
    assert not send(kota, data("lembar-00000005", service=str(one.pk))).created
    with pytest.raises(KeyConflict):
        send(kota, data("lembar-00000005", service=str(two.pk)))


# --- The API ------------------------------------------------------------------------------------


def post(client: Client, unit, key: str, value: int = 3):
    body = {"unit": unit.slug, "answers": dict.fromkeys(ELEMENTS, value), "idempotency_key": key}
    return client.post("/api/v1/answers", json.dumps(body), content_type="application/json")


def test_api_another_pemdas_key_is_a_new_answer_and_reveals_nothing(units):
    kota, banjar = units
    client = Client()
    theirs = post(client, kota, "kios-0000000001", 4)
    assert theirs.status_code == 201
    ours = post(client, banjar, "kios-0000000001", 2)
    assert ours.status_code == 201, ours.content
    assert ours.json()["status"] == "created"
    assert ours.json()["id"] != theirs.json()["id"]


def test_api_same_key_same_body_is_200_other_body_is_409(units):
    kota, _ = units
    client = Client()
    first = post(client, kota, "kios-0000000002", 3)
    assert first.status_code == 201
    again = post(client, kota, "kios-0000000002", 3)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    other = post(client, kota, "kios-0000000002", 1)
    assert other.status_code == 409
    body = other.json()
    assert body["codes"] == {"idempotency_key": "key_conflict"}
    assert "sudah dipakai untuk kuesioner lain di unit ini" in body["detail"]
    assert str(first.json()["id"]) not in other.content.decode()  # the stored answer is not told
    assert Answer.objects.filter(unit=kota).count() == 1


def test_the_public_form_sent_twice_with_changes_keeps_the_first_and_says_so(units):
    kota, _ = units
    client = Client()
    html = client.get(f"/s/{kota.slug}/").content.decode()
    hidden = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("idempotency_key", "rendered")
    }
    form = {e: "3" for e in ELEMENTS} | {"gender": "P", "age_band": "u35", "education": "s1"}
    form |= {"occupation": "swasta", **hidden}
    assert client.post(f"/s/{kota.slug}/", form).status_code == 303
    again = client.post(f"/s/{kota.slug}/", {**form, "waktu": "1"})  # back button, one change
    assert again.status_code == 409
    assert "sudah terkirim sebelumnya" in again.content.decode()
    assert Answer.objects.filter(unit=kota).count() == 1
    assert Answer.objects.get(unit=kota).waktu == 3


# --- The migration ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_answer_and_then_allows_the_key_in_another_unit(units):
    kota, banjar = units
    for i in range(5):
        send(kota, data(f"lama-{i:08d}"))
    send(banjar, data("lama-banjar-1"))
    before = sorted(Answer.objects.values_list("pk", "unit_id", "idempotency_key"))

    executor = MigrationExecutor(connection)
    executor.migrate([("collection", "0002_answer_fewer_indexes")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert sorted(Answer.objects.values_list("pk", "unit_id", "idempotency_key")) == before
    assert send(banjar, data("lama-00000000")).created  # kota's key, now banjar's too
    assert Answer.objects.filter(idempotency_key="lama-00000000").count() == 2


def test_key_uniqueness_is_per_unit_in_the_schema():
    constraints = {c.name: c for c in Answer._meta.constraints}
    assert constraints["answer_unit_idempotency_key"].fields == ("unit", "idempotency_key")
    assert "answer_idempotency_key" not in constraints


def test_keys_have_time_zone_aware_times(units):
    """A stated time compares as an instant, whatever zone the sender wrote it in."""
    kota, _ = units
    send(kota, data("lembar-00000006", answered_at="2026-03-05T02:15:00+00:00"))
    assert not send(kota, data("lembar-00000006", answered_at="2026-03-05T10:15:00+08:00")).created


def test_a_fresh_key_is_always_new(units):
    kota, _ = units
    assert send(kota, data(uuid.uuid4().hex)).created
