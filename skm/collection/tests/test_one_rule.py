"""Issue 21: one validator, one rule on every channel — the public form, the API (and so the
kiosk), paper entry and the import.

A boolean is not an answer; an answer's day lies between 1 January of last year and today (the
Pemda's time); text that was not UTF-8 on its way in is refused with a clear message, in
Indonesian or in English, and never stored as "Ã(ÿ" or "�".
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from skm.api.tests.test_answer_entry import call
from skm.collection import importing
from skm.collection.models import Answer, Channel
from skm.collection.validation import Invalid, Received, validate
from skm.instrument.spec import current_spec
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db

CHANNELS = [Channel.ONLINE, Channel.KIOSK, Channel.API, Channel.MANUAL, Channel.IMPORT]
GARBLED = b"\xc3\x28\xff"  # not UTF-8: Django read it as "Ã(ÿ"


@pytest.fixture
def unit():
    return make_unit(make_pd(make_pemda()))


def form(**overrides):
    data = dict.fromkeys(ELEMENTS, "3")
    data.update(
        gender="P", age_band="u35", education="s1", occupation="swasta", idempotency_key=uuid.uuid4().hex
    )
    data.update(overrides)
    return data


def check(unit, data, channel, language="id", now=None):
    spec = current_spec(unit.pemda_id)
    return validate(
        Received.from_dict(data), unit=unit, spec=spec, channel=channel, language=language, now=now
    )


def refusal(unit, data, channel, language="id", now=None) -> Invalid:
    with pytest.raises(Invalid) as err:
        check(unit, data, channel, language, now)
    return err.value


def stated(day: dt.date, channel: str) -> str:
    """A day as each channel writes it: paper and files a date, devices an ISO time with offset."""
    if channel in (Channel.MANUAL, Channel.IMPORT):
        return day.isoformat()
    return f"{day.isoformat()}T10:00:00+08:00"


# --- validate(), channel by channel -------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_day_in_2001_is_refused_on_every_channel(unit, channel):
    err = refusal(unit, form(answered_at=stated(dt.date(2001, 1, 1), channel)), channel)
    assert err.codes == {"answered_at": "time_too_old"}
    year = timezone.localtime(timezone.now(), unit.pemda.tz).year - 1
    assert f"paling awal 1 Januari {year}" in err.errors["answered_at"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_first_of_january_last_year_is_accepted_on_every_channel(unit, channel):
    now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=unit.pemda.tz)
    sub = check(unit, form(answered_at=stated(dt.date(2025, 1, 1), channel)), channel, now=now)
    if channel in (Channel.MANUAL, Channel.IMPORT):
        assert sub.submitted_at == dt.datetime(2025, 1, 1, 12, 0, tzinfo=unit.pemda.tz)
    else:  # allowed, but a device time that old is not believed: the server's time instead
        assert sub.submitted_at is None
    err = refusal(unit, form(answered_at=stated(dt.date(2024, 12, 31), channel)), channel, now=now)
    assert err.codes == {"answered_at": "time_too_old"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_day_after_today_is_refused_on_every_channel(unit, channel):
    tomorrow = timezone.localtime(timezone.now(), unit.pemda.tz).date() + dt.timedelta(days=1)
    err = refusal(unit, form(answered_at=stated(tomorrow, channel)), channel, language="en")
    assert err.codes == {"answered_at": "time_future"}
    assert "lies in the future" in err.errors["answered_at"]


def test_a_device_clock_a_minute_ahead_past_midnight_is_still_believed(unit):
    now = dt.datetime(2026, 3, 1, 23, 59, tzinfo=unit.pemda.tz)
    ahead = dt.datetime(2026, 3, 2, 0, 1, tzinfo=unit.pemda.tz)
    assert check(unit, form(answered_at=ahead.isoformat()), Channel.KIOSK, now=now).submitted_at == ahead


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("value", [True, False])
def test_a_boolean_is_not_an_answer_on_any_channel(unit, channel, value):
    err = refusal(unit, form(waktu=value), channel)
    assert err.codes == {"waktu": "answer_invalid"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_text_garbled_on_its_way_is_refused_on_every_channel(unit, channel):
    err = refusal(unit, form(suggestion="Pelayanan \ufffd(\ufffd"), channel)
    assert err.codes == {"suggestion": "text_unreadable"}
    assert err.errors["suggestion"].startswith("Saran berisi karakter yang tidak terbaca")
    english = refusal(unit, form(contact="\ufffd"), channel, language="en")
    assert english.errors["contact"].startswith("Contact contains characters that could not be read")


# --- the API (the kiosk's way in) ---------------------------------------------------------------


def api_body(unit, **overrides):
    data = {"unit": unit.slug, "answers": dict.fromkeys(ELEMENTS, 3), "idempotency_key": uuid.uuid4().hex}
    data.update(overrides)
    return json.dumps(data)


@pytest.mark.parametrize("channel", ["api", "kiosk"])
def test_the_api_refuses_2001_and_tomorrow(client, unit, channel):
    tomorrow = timezone.localtime(timezone.now(), unit.pemda.tz).date() + dt.timedelta(days=1)
    for day, code in ((dt.date(2001, 1, 1), "time_too_old"), (tomorrow, "time_future")):
        body = api_body(unit, answered_at=stated(day, channel), channel=channel)
        response = client.post("/api/v1/answers", body, content_type="application/json")
        assert response.status_code == 422
        assert response.json()["codes"] == {"answered_at": code}
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_served_application_refuses_2001(unit):
    from skm.wsgi import application

    reply = call(application, api_body(unit, answered_at="2001-01-01T10:00:00+08:00"))
    assert reply.status == 422
    assert json.loads(reply.content)["codes"] == {"answered_at": "time_too_old"}
    assert not Answer.objects.exists()


# --- the public form --------------------------------------------------------------------------


def survey_post(client, unit, body: bytes, content_type="application/x-www-form-urlencoded"):
    return client.post(f"/s/{unit.slug}/", body, content_type=content_type)


def urlencoded(unit, **fields) -> bytes:
    parts = [f"{e}=3".encode() for e in ELEMENTS]
    parts += [b"gender=P", b"age_band=u35", b"education=s1", b"occupation=swasta"]
    parts.append(f"idempotency_key={uuid.uuid4().hex}".encode())
    parts += [name.encode() + b"=" + value for name, value in fields.items()]
    return b"&".join(parts)


def test_the_form_refuses_a_body_that_is_not_utf8_and_stores_nothing(client, unit):
    response = survey_post(client, unit, urlencoded(unit, suggestion=b"Ramah " + GARBLED))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Formulir tidak terbaca" in page and "bukan UTF-8" in page
    response = survey_post(client, unit, urlencoded(unit, suggestion=b"Ramah%20%C3%28%FF"))
    assert response.status_code == 400  # escaped the same way: "�(�" it would have been
    client.cookies["django_language"] = "en"
    response = survey_post(client, unit, urlencoded(unit, suggestion=GARBLED))
    assert response.status_code == 400 and "The form could not be read" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_form_takes_utf8_raw_or_escaped(client, unit):
    raw = survey_post(client, unit, urlencoded(unit, suggestion="Ramah — terima kasih é".encode()))
    escaped = survey_post(client, unit, urlencoded(unit, suggestion=b"Ramah%20%E2%80%94%20%C3%A9"))
    assert (raw.status_code, escaped.status_code) == (303, 303)
    assert set(Answer.objects.values_list("suggestion", flat=True)) == {"Ramah — terima kasih é", "Ramah — é"}


def test_a_multipart_form_with_bytes_that_are_not_utf8_is_refused_at_the_field(client, unit):
    boundary = "batas"
    fields = {e: b"3" for e in ELEMENTS} | {"gender": b"P", "education": b"s1", "occupation": b"swasta"}
    fields["idempotency_key"] = uuid.uuid4().hex.encode()
    fields["suggestion"] = b"Ramah " + GARBLED  # Django's multipart parser makes it "Ramah �(�"
    body = (
        b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value
            + b"\r\n"
            for name, value in fields.items()
        )
        + f"--{boundary}--\r\n".encode()
    )
    response = survey_post(client, unit, body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert "Saran berisi karakter yang tidak terbaca" in response.content.decode()
    assert not Answer.objects.exists()


def test_the_form_takes_no_answer_time_from_outside(client, unit):
    response = survey_post(client, unit, urlencoded(unit, answered_at=b"2001-01-01"))
    assert response.status_code == 303
    assert Answer.objects.get().day == timezone.localtime(timezone.now(), unit.pemda.tz).date()


# --- paper entry --------------------------------------------------------------------------------


def test_paper_entry_refuses_2001_and_a_note_that_is_not_utf8(client, people):
    client.force_login(people.unit_admin)
    address = f"/kelola/entri/{people.unit.slug}/"
    response = client.post(
        address, {"isian": "333333333", "kunci": uuid.uuid4().hex, "tanggal": "2001-01-01"}
    )
    assert "paling awal 1 Januari" in response.content.decode()
    body = b"isian=333333333&kunci=" + uuid.uuid4().hex.encode() + b"&saran=" + GARBLED
    response = client.post(address, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "Formulir tidak terbaca" in response.content.decode()
    assert not Answer.objects.exists()


# --- the import ---------------------------------------------------------------------------------


def import_csv(*rows: str) -> bytes:
    header = ",".join(["tanggal", *(f"u{i}" for i in range(1, 10)), "saran"])
    return "\n".join([header, *rows]).encode()


def test_the_import_refuses_2001(unit):
    preview = importing.read(import_csv("2001-01-01 10:00,3,3,3,3,3,3,3,3,3,"), "jawaban.csv", unit)
    assert not preview.rows
    assert [p.row for p in preview.problems] == [2]
    assert "paling awal 1 Januari" in " ".join(preview.problems[0].messages)


def test_the_import_refuses_text_garbled_before_it_came(unit):
    today = timezone.localtime(timezone.now(), unit.pemda.tz).date().isoformat()
    preview = importing.read(import_csv(f"{today},3,3,3,3,3,3,3,3,3,Ramah \ufffd"), "jawaban.csv", unit)
    assert not preview.rows
    assert "Saran berisi karakter yang tidak terbaca" in " ".join(preview.problems[0].messages)
