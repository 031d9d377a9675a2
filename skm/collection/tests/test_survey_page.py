"""The public survey page /s/<unit>/ and its thank-you page, through Django's test client."""

from __future__ import annotations

import re
import time
import types

import pytest
from django.test import Client

from skm.collection.models import Answer, Channel
from skm.collection.views import survey as survey_view
from skm.instrument.models import InstrumentVersion, Option, Question
from skm.instrument.spec import clear_caches
from skm.results.compute import unit_result, year_to_date
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.scoring.rounding import format_id
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def unit():
    """A unit of a Pemda with Kabupaten Banjar's order (pengaduan before sarana), five services."""
    unit = make_unit(make_pd(make_pemda(order=ELEMENTS_PENGADUAN_BEFORE_SARANA)), "Puskesmas Gambut")
    for name in ("Poli Umum", "Poli Gigi", "KIA", "Laboratorium", "Imunisasi"):
        make_service(unit, name)
    return unit


def url(unit, service=None):
    return f"/s/{unit.slug}/" + (f"{service.slug}/" if service else "")


def rendered_form(client, path):
    """GET the page and return its hidden fields (what a browser would send back)."""
    html = client.get(path).content.decode()
    key = re.search(r'name="idempotency_key" value="([^"]*)"', html).group(1)
    rendered = re.search(r'name="rendered" value="([^"]*)"', html).group(1)
    return {"idempotency_key": key, "rendered": rendered}


def answers(unit, **overrides):
    data = dict.fromkeys(ELEMENTS, "3")
    data.update(gender="P", age_band="u35", education="s1", occupation="swasta")
    data["service"] = unit.services.get(name="Poli Umum").slug if unit.services.exists() else None
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_form_shows_the_nine_questions_in_the_pemdas_order_with_their_options(client, unit):
    response = client.get(url(unit))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'id="q-{element}"') for element in ELEMENTS_PENGADUAN_BEFORE_SARANA]
    assert positions == sorted(positions)  # pengaduan before sarana, as the Pemda set it
    assert html.count("<fieldset") == 9 + 1  # nine questions and the gender radios
    assert html.count("<legend>") == html.count("<fieldset")
    for label in ("Sangat sesuai", "Tidak mudah", "Gratis", "Dikelola dengan baik", "Sangat baik"):
        assert f">{label}</label>" in html
    assert "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?" in html
    # Each option is a whole label around its radio: the label text is the click target.
    assert '<label><input type="radio" name="sarana" value="4">Sangat baik</label>' in html
    # Profile, service select (required: no service in the URL), optional free text.
    for field in ("gender", "age_band", "education", "occupation", "service", "suggestion", "contact"):
        assert f'id="q-{field}"' in html
    assert html.count('<option value="layanan-') == 5
    assert 'maxlength="2000"' in html and "(tidak wajib)" in html
    assert "NIK" in html and 'name="nik"' not in html.lower()
    assert "<script" not in html  # no JavaScript at all
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)
    cookie = response.cookies["skm_device"]
    assert len(cookie.value) >= 32 and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600


def test_a_valid_answer_is_stored_once_as_online_and_goes_to_the_thank_you_page(client, unit, monkeypatch):
    form = rendered_form(client, url(unit))
    later = time.time() + 95
    monkeypatch.setattr(survey_view, "time", types.SimpleNamespace(time=lambda: later))
    response = client.post(url(unit), answers(unit, **form), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 303
    assert response["Location"] == f"/s/{unit.slug}/terima-kasih/"
    answer = Answer.objects.get()
    assert answer.channel == Channel.ONLINE
    assert answer.unit == unit and answer.service.name == "Poli Umum"
    assert answer.sarana == 3 and answer.gender == "P" and answer.age_band == "u35"
    assert len(answer.device_hash) == 64 and len(answer.ip_hash) == 64
    assert 94 <= answer.duration_seconds <= 97
    stored = " ".join(str(v) for v in Answer.objects.values().get().values())
    assert "203.0.113.9" not in stored and client.cookies["skm_device"].value not in stored
    assert client.get(response["Location"]).status_code == 200


def test_sending_the_same_rendered_form_twice_stores_one_answer(client, unit):
    data = answers(unit, **rendered_form(client, url(unit)))
    first = client.post(url(unit), data)
    second = client.post(url(unit), data)
    assert first.status_code == second.status_code == 303
    assert second["Location"] == f"/s/{unit.slug}/terima-kasih/"
    assert Answer.objects.count() == 1


def test_a_bad_render_signature_leaves_the_duration_empty(client, unit):
    form = rendered_form(client, url(unit))
    form["rendered"] = form["rendered"][:-3] + "xyz"
    assert client.post(url(unit), answers(unit, **form)).status_code == 303
    assert Answer.objects.get().duration_seconds is None


def test_an_invalid_answer_comes_back_with_every_problem_and_every_chosen_value(client, unit):
    form = rendered_form(client, url(unit))
    data = answers(unit, waktu=None, sarana=None, service=None, suggestion="Ruang tunggu panas", **form)
    data.update(biaya="4", education="sma", contact="0812 000")
    response = client.post(url(unit), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mohon periksa jawaban Anda" in html
    summary = html[html.index('class="errors"') : html.index("</ul>")]
    assert '<a href="#q-waktu">Mohon jawab pertanyaan U3: Waktu penyelesaian.</a>' in summary
    assert '<a href="#q-sarana">Mohon jawab pertanyaan U9: Sarana dan prasarana.</a>' in summary
    assert '<a href="#q-service">Mohon pilih jenis layanan yang Anda terima.</a>' in summary
    assert summary.index("q-service") < summary.index("q-waktu") < summary.index("q-sarana")  # page order
    assert 'id="q-waktu" class="q bad" aria-describedby="e-waktu"' in html
    assert '<p class="error" id="e-waktu">Mohon jawab pertanyaan U3' in html
    # Nothing already given is lost.
    assert 'name="biaya" value="4" checked' in html
    assert 'name="persyaratan" value="3" checked' in html
    assert 'name="pengaduan" value="3" checked' in html
    assert 'name="gender" value="P" checked' in html
    assert '<option value="sma" selected>' in html and '<option value="u35" selected>' in html
    assert ">Ruang tunggu panas</textarea>" in html and 'value="0812 000"' in html
    assert f'name="idempotency_key" value="{form["idempotency_key"]}"' in html
    assert f'name="rendered" value="{form["rendered"]}"' in html
    assert html.count(" checked") == 8  # seven questions and gender
    assert not Answer.objects.exists()
    # Completing the form with the same rendered key stores it.
    assert client.post(url(unit), answers(unit, **form)).status_code == 303
    assert Answer.objects.count() == 1


def test_a_bad_option_value_is_an_error_not_a_crash(client, unit):
    response = client.post(
        url(unit), answers(unit, biaya="9", gender="X", **rendered_form(client, url(unit)))
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Jawaban &#x27;9&#x27; untuk U4 tidak sah" in html
    assert "Pilihan &#x27;X&#x27; untuk Jenis kelamin tidak sah." in html


def test_a_missing_key_gets_a_fresh_one_and_a_message_without_a_link(client, unit):
    response = client.post(url(unit), answers(unit, idempotency_key="x"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<li>Kunci pengiriman tidak sah" in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)


def test_a_suggestion_with_markup_is_stored_as_text_and_shown_escaped(client, unit):
    form = rendered_form(client, url(unit))
    bad = client.post(url(unit), answers(unit, waktu=None, suggestion=SCRIPT, contact=SCRIPT, **form))
    html = bad.content.decode()
    assert bad.status_code == 400
    assert SCRIPT not in html and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    ok = client.post(url(unit), answers(unit, suggestion=SCRIPT, **form))
    assert ok.status_code == 303
    assert Answer.objects.get().suggestion == SCRIPT
    thanks = client.get(ok["Location"]).content.decode()
    assert "<script" not in thanks


def test_a_service_link_fixes_the_service(client, unit):
    service = unit.services.get(name="Laboratorium")
    html = client.get(url(unit, service)).content.decode()
    assert "Layanan: <strong>Laboratorium</strong>" in html
    assert 'id="q-service"' not in html
    data = answers(unit, service="layanan-tidak-ada", **rendered_form(client, url(unit, service)))
    assert client.post(url(unit, service), data).status_code == 303
    assert Answer.objects.get().service == service


def test_a_unit_without_services_asks_for_none(client):
    unit = make_unit(make_pd(make_pemda()))
    html = client.get(url(unit)).content.decode()
    assert 'id="q-service"' not in html
    data = {e: "2" for e in ELEMENTS} | rendered_form(client, url(unit))
    assert client.post(url(unit), data).status_code == 303
    assert Answer.objects.get().service is None


@pytest.mark.parametrize("path", ["/s/tidak-ada/", "/s/tidak-ada/poli/", "/s/tidak-ada/terima-kasih/"])
def test_an_unknown_unit_is_a_404_in_indonesian(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Survei tidak ditemukan" in html and "Tidak ada survei di alamat ini" in html
    assert '<html lang="id">' in html


def test_an_unknown_or_inactive_service_is_a_404(client, unit):
    assert client.get(f"/s/{unit.slug}/poli-mata/").status_code == 404
    service = unit.services.get(name="KIA")
    service.active = False
    service.save()
    response = client.get(url(unit, service))
    assert response.status_code == 404
    assert "Survei tidak ditemukan" in response.content.decode()
    assert client.get(url(unit)).content.decode().count('<option value="layanan-') == 4


def test_an_inactive_unit_is_a_404_for_the_form_the_post_and_the_thanks(client, unit):
    form = rendered_form(client, url(unit))
    unit.active = False
    unit.save()
    assert client.get(url(unit)).status_code == 404
    assert client.post(url(unit), answers(unit, **form)).status_code == 404
    assert client.get(f"/s/{unit.slug}/terima-kasih/").status_code == 404
    assert not Answer.objects.exists()


def test_a_pemda_without_a_published_instrument_shows_the_survey_closed(client, unit):
    InstrumentVersion.objects.filter(instrument__pemda=unit.pemda).update(published_at=None)
    clear_caches()
    response = client.get(url(unit))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Survei ini belum dibuka" in html and '<form method="post" novalidate>' not in html


def test_floods_from_one_device_are_refused_with_429_and_the_answers_kept(client, unit, settings):
    settings.SKM_RATE_DEVICE = "1/h"
    assert client.post(url(unit), answers(unit, **rendered_form(client, url(unit)))).status_code == 303
    form = rendered_form(client, url(unit))
    response = client.post(url(unit), answers(unit, biaya="1", suggestion="Lagi", **form))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak kiriman dari perangkat atau jaringan ini. Silakan coba lagi nanti." in html
    assert 'name="biaya" value="1" checked' in html and ">Lagi</textarea>" in html
    assert f'value="{form["idempotency_key"]}"' in html
    assert Answer.objects.count() == 1


def test_english_after_choosing_it(client, unit):
    client.post("/i18n/setlang/", {"language": "en", "next": url(unit)})
    html = client.get(url(unit)).content.decode()
    assert '<html lang="en">' in html
    assert "How good are the facilities?" in html
    assert ">Very suitable</label>" in html and ">Free</label>" in html
    assert "(optional)" in html and "The service you received" in html
    assert "Bagaimana pendapat Saudara" not in html
    response = client.post(url(unit), answers(unit, waktu=None, **rendered_form(client, url(unit))))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please answer question U3: Waktu penyelesaian." in html
    assert "Please check your answers" in html


def test_english_falls_back_to_indonesian_where_a_label_is_empty(client, unit):
    Option.objects.filter(
        question__version__instrument__pemda=unit.pemda, question__element="biaya", value=4
    ).update(label_en="")
    clear_caches()
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get(url(unit)).content.decode()
    assert '<label><input type="radio" name="biaya" value="4">Gratis</label>' in html
    assert ">Very expensive</label>" in html


def test_the_pages_cost_few_queries_once_the_instrument_is_cached(
    client, unit, django_assert_max_num_queries
):
    client.get(url(unit))  # warms the instrument cache
    with django_assert_max_num_queries(2):  # the unit with its Pemda, the active services
        response = client.get(url(unit))
    assert response.status_code == 200
    make_answer(unit, [3] * 9)
    with django_assert_max_num_queries(2):  # the unit, one sum over its daily rollups
        response = client.get(f"/s/{unit.slug}/terima-kasih/")
    assert b"Dari 1 responden" in response.content


def test_the_device_cookie_is_kept_across_visits(client, unit):
    first = client.get(url(unit)).cookies["skm_device"].value
    second = client.get(url(unit))
    assert "skm_device" not in second.cookies
    for _ in range(2):
        assert client.post(url(unit), answers(unit, **rendered_form(client, url(unit)))).status_code == 303
    assert client.cookies["skm_device"].value == first
    assert Answer.objects.values("device_hash").distinct().count() == 1
    other = Client()
    assert other.post(url(unit), answers(unit, **rendered_form(other, url(unit)))).status_code == 303
    assert Answer.objects.values("device_hash").distinct().count() == 2


def test_thanks_without_answers_says_so(client, unit):
    html = client.get(f"/s/{unit.slug}/terima-kasih/").content.decode()
    assert "Terima kasih!" in html and "Belum ada jawaban tahun ini." in html


def test_thanks_shows_the_ikm_and_warns_when_it_rests_on_few_answers(client, unit):
    make_answer(unit, [4] * 9)
    make_answer(unit, [3] * 9)
    make_answer(unit, [3, 3, 4, 4, 3, 3, 4, 4, 3])
    html = client.get(f"/s/{unit.slug}/terima-kasih/").content.decode()
    result = unit_result(unit, *year_to_date(unit))
    assert f'<p class="big">{format_id(result.score.ikm)}</p>' in html
    assert "," in format_id(result.score.ikm)
    assert f"<strong>{result.score.band.mutu}</strong> ({result.score.band.kinerja})" in html
    assert "Dari 3 responden" in html
    assert "Angka ini berdasarkan sedikit jawaban" in html
    low, high = format_id(result.interval.low), format_id(result.interval.high)
    assert f"dengan keyakinan 95%, IKM sebenarnya antara {low} dan {high}." in html
    assert f"tahun {year_to_date(unit)[0].year} sampai hari ini" in html


def test_thanks_without_the_warning_when_the_sample_is_large_enough(client, unit):
    unit.population = 40
    unit.save()
    for i in range(40):
        make_answer(unit, [3 + (i % 2)] * 9)
    html = client.get(f"/s/{unit.slug}/terima-kasih/").content.decode()
    assert "Dari 40 responden" in html
    assert "sedikit jawaban" not in html
    unit.population = 5000  # Krejcie & Morgan want 357: 40 is not adequate, though not "few"
    unit.save()
    html = client.get(f"/s/{unit.slug}/terima-kasih/").content.decode()
    assert "sedikit jawaban" not in html
    assert "belum mencapai sampel minimal unit ini (357 untuk 5.000 pengguna layanan)" in html


def test_thanks_in_english_uses_english_words_and_the_english_number_format(client, unit):
    make_answer(unit, [4] * 9)
    make_answer(unit, [3] * 9)
    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get(f"/s/{unit.slug}/terima-kasih/").content.decode()
    assert "Thank you!" in html and "From 2 respondents" in html
    assert "87.41" in html and "(Good)" in html


def test_the_pemdas_own_questions_follow_the_nine_and_are_stored_apart(client, unit):
    version = InstrumentVersion.objects.get(instrument__pemda=unit.pemda, instrument__kind="skm")
    waited = Question.objects.create(
        version=version,
        position=10,
        element="",
        code="T1",
        name="Antrean",
        header="Antrean",
        text="Berapa lama Anda menunggu?",
        text_en="How long did you wait?",
        required=False,
    )
    for value, label in enumerate(("Kurang dari 15 menit", "15–60 menit", "Lebih dari 1 jam"), start=1):
        Option.objects.create(question=waited, value=value, label=label)
    Question.objects.create(
        version=version, position=11, element="", code="T2", name="Usul", header="Usul",
        text="Layanan apa yang perlu ditambah?", required=False,
    )  # fmt: skip
    clear_caches()
    html = client.get(url(unit)).content.decode()
    assert html.index('id="q-sarana"') < html.index('id="q-t1"') < html.index('id="q-t2"')
    assert '<span class="qn">10</span> Berapa lama Anda menunggu?' in html
    assert ">15–60 menit</label>" in html and 'maxlength="500"' in html
    data = answers(unit, t1="2", t2="Poli malam", **rendered_form(client, url(unit)))
    assert client.post(url(unit), data).status_code == 303
    assert Answer.objects.get().extra == {"T1": 2, "T2": "Poli malam"}
