"""The submission pipeline: validation, idempotency, limits, flags, rollups in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from skm.collection import integrity
from skm.collection.models import Answer, DailyRollup
from skm.collection.submit import Origin, Throttled, submit
from skm.collection.validation import Invalid, Received, validate
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
def unit():
    return make_unit(make_pd(make_pemda()))


def form(**overrides):
    data = {e: "3" for e in ELEMENTS}
    data.update(
        gender="P", age_band="u35", education="s1", occupation="swasta", idempotency_key=uuid.uuid4().hex
    )
    data.update(overrides)
    return data


def check(unit, data, channel="online", language="id"):
    return validate(
        Received.from_dict(data),
        unit=unit,
        spec=current_spec(unit.pemda_id),
        channel=channel,
        language=language,
    )


def test_every_problem_is_reported_at_once_in_indonesian(unit):
    data = form(waktu="", biaya="7", gender="X", service="tidak-ada", idempotency_key="pendek")
    with pytest.raises(Invalid) as err:
        check(unit, data)
    e = err.value.errors
    assert e["waktu"] == "Mohon jawab pertanyaan U3: Waktu penyelesaian."
    assert e["biaya"] == "Jawaban '7' untuk U4 tidak sah; pilih salah satu pilihan (1–4)."
    assert e["gender"] == "Pilihan 'X' untuk Jenis kelamin tidak sah."
    assert e["service"] == "Jenis layanan 'tidak-ada' tidak ada di unit ini."
    assert "Kunci pengiriman tidak sah" in e["idempotency_key"]
    assert err.value.codes["waktu"] == "answer_required"


def test_english_messages_when_asked(unit):
    with pytest.raises(Invalid) as err:
        check(unit, form(waktu=""), language="en")
    assert err.value.errors["waktu"] == "Please answer question U3: Waktu penyelesaian."


def test_codes_u1_to_u9_follow_the_pemdas_order():
    pemda = make_pemda(
        order=(
            "persyaratan",
            "prosedur",
            "waktu",
            "biaya",
            "produk",
            "kompetensi",
            "perilaku",
            "pengaduan",
            "sarana",
        )
    )
    unit = make_unit(make_pd(pemda))
    data = {f"u{i}": str(v) for i, v in enumerate([4, 4, 4, 4, 4, 4, 4, 1, 2], start=1)}
    data["idempotency_key"] = uuid.uuid4().hex
    sub = check(unit, data)
    assert sub.values["pengaduan"] == 1 and sub.values["sarana"] == 2


def test_paper_forms_may_have_blanks_online_may_not(unit):
    data = form(waktu="")
    assert check(unit, data, channel="manual").values["waktu"] is None
    with pytest.raises(Invalid):
        check(unit, data, channel="online")


def test_profile_accepts_codes_or_labels_and_service_by_slug_or_id(unit):
    service = make_service(unit, "Poli Umum")
    sub = check(unit, form(gender="Perempuan", age_band="26–35 tahun", service=service.slug))
    assert sub.profile["gender"] == "P" and sub.profile["age_band"] == "u35" and sub.service == service
    assert check(unit, form(service=str(service.pk))).service == service


def test_free_text_loses_control_characters_but_keeps_markup_as_text(unit):
    sub = check(unit, form(suggestion='  <script>alert(1)</script>\x00\x07 =HYPERLINK("x")\nbaris 2 '))
    assert sub.suggestion == '<script>alert(1)</script> =HYPERLINK("x")\nbaris 2'


def test_too_long_suggestion_is_refused(unit):
    with pytest.raises(Invalid) as err:
        check(unit, form(suggestion="a" * 2001))
    assert "paling banyak 2000 karakter" in err.value.errors["suggestion"]


def test_submit_stores_once_and_a_retry_is_already_received(unit):
    data = form()
    first = submit(check(unit, data), Origin(ip="10.1.2.3", device="hp-1"))
    again = submit(check(unit, data), Origin(ip="10.1.2.3", device="hp-1"))
    assert first.created and not again.created
    assert again.answer_id == first.answer_id
    assert Answer.objects.count() == 1
    rollup = DailyRollup.objects.get()
    assert rollup.n == 1 and rollup.sum_waktu == 3
    answer = Answer.objects.get()
    assert answer.ip_hash and answer.ip_hash != "10.1.2.3" and len(answer.ip_hash) == 64
    assert answer.device_hash == integrity.keyed_hash("device", "hp-1")


def test_the_key_is_unique_in_the_database_itself(unit):
    receipt = submit(check(unit, form()))
    answer = Answer.objects.get(pk=receipt.answer_id)
    answer.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        answer.save(force_insert=True)


def test_a_failed_rollup_leaves_no_answer(unit, monkeypatch):
    """The answer and its rollup are one step: when the database refuses the rollup part (here a
    division by zero on PostgreSQL, a NULL count on SQLite), the answer is not stored either."""
    from django.db import DatabaseError

    from skm.collection import group_commit, rollups, store

    real = rollups.increments_select
    monkeypatch.setattr(
        rollups, "increments_select", lambda *a, **k: real(*a, **k).replace("COUNT(*)", "COUNT(*) / 0")
    )
    group_commit.statement.cache_clear()
    store._sqlite_statements.cache_clear()
    try:
        with pytest.raises(DatabaseError), transaction.atomic():
            submit(check(unit, form()))
    finally:
        monkeypatch.setattr(rollups, "increments_select", real)
        group_commit.statement.cache_clear()
        store._sqlite_statements.cache_clear()
    assert not Answer.objects.exists() and not DailyRollup.objects.exists()
    receipt = submit(check(unit, form()))  # the real statement works again
    assert receipt.created and DailyRollup.objects.get().n == 1


def test_device_flood_is_throttled(unit, settings):
    settings.SKM_RATE_DEVICE = "3/h"
    for _ in range(3):
        submit(check(unit, form()), Origin(device="hp-banjir"))
    with pytest.raises(Throttled):
        submit(check(unit, form()), Origin(device="hp-banjir"))
    submit(check(unit, form()), Origin(device="hp-lain"))  # another device is not affected
    assert Answer.objects.count() == 4


def test_kiosk_has_its_own_limit(unit, settings):
    settings.SKM_RATE_DEVICE = "1/h"
    settings.SKM_RATE_KIOSK = "50/h"
    for _ in range(5):
        submit(check(unit, form(), channel="kiosk"), Origin(device="kios-1"))
    assert Answer.objects.count() == 5


def test_flags_on_arrival(unit, settings):
    unit.network_ranges = "192.168.10.0/24\n2001:db8::/32"
    unit.save()
    fast = submit(check(unit, form(duration_seconds="5")), Origin(device="a"))
    assert fast.flags & integrity.FLAG_FAST
    slow = submit(check(unit, form(duration_seconds="95")), Origin(device="b"))
    assert not slow.flags & integrity.FLAG_FAST
    office = submit(check(unit, form()), Origin(ip="192.168.10.7", device="c"))
    assert office.flags & integrity.FLAG_UNIT_NETWORK
    # The third and later answers from one phone for one unit on one day.
    repeat = [
        submit(check(unit, form(persyaratan=str(1 + i % 4))), Origin(device="hp-sama")).flags
        for i in range(4)
    ]
    assert [bool(f & integrity.FLAG_DEVICE_REPEAT) for f in repeat] == [False, False, True, True]
    # Identical answers in a burst: the third identical one within the window is flagged.
    same = {e: "4" for e in ELEMENTS}
    burst = [submit(check(unit, form(**same)), Origin(device=f"d{i}")).flags for i in range(3)]
    assert [bool(f & integrity.FLAG_IDENTICAL_BURST) for f in burst] == [False, False, True]
    assert integrity.flag_labels(integrity.FLAG_FAST | integrity.FLAG_UNIT_NETWORK) == [
        "diisi dalam hitungan detik",
        "dari jaringan kantor unit sendiri",
    ]


def test_device_time_is_believed_within_a_window(unit):
    now = timezone.now()
    earlier = (now - dt.timedelta(hours=3)).isoformat()
    sub = check(unit, form(answered_at=earlier))
    receipt = submit(sub)
    assert abs((receipt.submitted_at - (now - dt.timedelta(hours=3))).total_seconds()) < 1
    far = (now - dt.timedelta(days=60)).isoformat()
    assert check(unit, form(answered_at=far)).submitted_at is None  # server time instead
    with pytest.raises(Invalid):
        check(unit, form(answered_at="kemarin"))


def test_the_day_is_the_pemdas_local_day(unit):
    unit.pemda.timezone = "Asia/Jayapura"
    unit.pemda.save()
    late_utc = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)  # 05:30 next day in WIT
    receipt = submit(check(unit, form()), now=late_utc)
    assert Answer.objects.get(pk=receipt.answer_id).day == dt.date(2026, 3, 2)


def test_paper_and_import_dates_may_be_old_but_not_future_or_ancient(unit):
    now = timezone.now()
    sub = check(unit, form(answered_at=f"{now.year - 1}-02-03"), channel="manual")
    local = timezone.localtime(sub.submitted_at, unit.pemda.tz)
    assert (local.date(), local.hour) == (dt.date(now.year - 1, 2, 3), 12)
    assert check(unit, form(answered_at="2026-01-05 09:30"), channel="import").submitted_at.tzinfo is not None
    with pytest.raises(Invalid) as err:
        check(unit, form(answered_at=(now + dt.timedelta(days=2)).date().isoformat()), channel="manual")
    assert err.value.codes["answered_at"] == "time_future"
    with pytest.raises(Invalid) as err:
        check(unit, form(answered_at=f"{now.year - 2}-12-31"), channel="import")
    assert err.value.codes["answered_at"] == "time_too_old"
    assert f"1 Januari {now.year - 1}" in err.value.errors["answered_at"]
    with pytest.raises(Invalid) as err:
        check(unit, form(answered_at="2026-02-30"), channel="manual")
    assert err.value.codes["answered_at"] == "time_invalid"
    # A device may not send a bare date.
    with pytest.raises(Invalid):
        check(unit, form(answered_at="2026-01-05"), channel="kiosk")


def test_todays_date_on_paper_typed_in_the_morning_is_not_the_future(unit):
    tz = unit.pemda.tz
    morning = dt.datetime(2026, 6, 10, 8, 0, tzinfo=tz)
    sub = validate(
        Received.from_dict(form(answered_at="2026-06-10")),
        unit=unit,
        spec=current_spec(unit.pemda_id),
        channel="manual",
        now=morning,
    )
    assert sub.submitted_at == morning


def test_a_kiosk_draining_its_queue_is_not_a_burst_nor_the_units_network(unit):
    unit.network_ranges = "192.168.10.0/24"
    unit.save()
    now = timezone.now()
    same = {e: "4" for e in ELEMENTS}
    flags = []
    for hours in (6, 4, 2):  # three identical answers given hours apart, sent together
        when = (now - dt.timedelta(hours=hours)).isoformat()
        sub = check(unit, form(**same, answered_at=when), channel="kiosk")
        flags.append(submit(sub, Origin(ip="192.168.10.7", device="kios")).flags)
    assert flags == [0, 0, 0]


@given(kind=st.sampled_from(["device", "ip"]), value=st.text(min_size=1), key=st.text(min_size=1))
def test_keyed_hash_is_hmac_sha256_of_kind_and_value(kind, value, key):
    with override_settings(HASH_KEY=key):
        hashed = integrity.keyed_hash(kind, value)
    assert hashed == hmac.new(key.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("text,rate", [("20/h", (20, 3600)), (" 5 / m ", (5, 60)), ("0/d", (0, 86400))])
def test_rates_parse_and_a_bad_one_is_refused_every_time(text, rate):
    assert integrity.Rate.parse(text) == integrity.Rate(*rate)
    for _ in range(2):  # a refusal is not cached into an acceptance
        with pytest.raises(ImproperlyConfigured, match="tidak sah"):
            integrity.Rate.parse("20 per jam")
