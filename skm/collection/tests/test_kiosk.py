"""Kiosk mode: the page carries the Pemda's questions in its order, 404s, the service worker."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from skm.collection import devices
from skm.collection.models import Answer
from skm.instrument.models import InstrumentVersion
from skm.instrument.spec import clear_caches
from skm.organisation.models import Layanan
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_pd, make_pemda, make_service, make_tablet, make_unit

pytestmark = pytest.mark.django_db

# Kabupaten Banjar (seed 003): pengaduan before sarana.
BANJAR_ORDER = ELEMENTS_PENGADUAN_BEFORE_SARANA


@pytest.fixture
def banjar_unit():
    pemda = make_pemda("Kabupaten Banjar", order=BANJAR_ORDER, weight="1/9")
    return make_unit(make_pd(pemda, "Dinas Kesehatan"), "UPTD Puskesmas Aluh-Aluh")


def blob(response, name):
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', response.text, re.S)
    assert match, f"no {name} in the page"
    return json.loads(match.group(1))


def test_page_has_the_nine_questions_in_the_pemdas_order(client, banjar_unit):
    poli = make_service(banjar_unit, "Poli Umum")
    gigi = make_service(banjar_unit, "Poli Gigi")
    Layanan.objects.filter(pk=gigi.pk).update(active=False)
    response = client.get(f"/k/{banjar_unit.slug}/")
    assert response.status_code == 200
    spec = blob(response, "kiosk-spec")
    assert [q["element"] for q in spec["questions"]] == list(BANJAR_ORDER)
    assert [q["code"] for q in spec["questions"]] == [f"U{i}" for i in range(1, 10)]
    pengaduan, sarana = spec["questions"][7], spec["questions"][8]
    assert pengaduan["field"] == "pengaduan" and sarana["field"] == "sarana"
    assert [o["label"] for o in pengaduan["options"]] == [
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    ]
    assert [o["value"] for o in sarana["options"]] == [1, 2, 3, 4]
    assert sarana["options"][3]["label"] == "Sangat baik" and sarana["options"][3]["label_en"]
    assert spec["questions"][0]["text"].startswith("Bagaimana pendapat Saudara")
    assert spec["questions"][0]["text_en"].startswith("How well")
    assert [p["key"] for p in spec["profile"]] == ["gender", "age_band", "education", "occupation"]
    assert [o["code"] for o in spec["profile"][0]["options"]] == ["L", "P"]
    assert spec["profile"][1]["options"][0]["label_en"] == "18 or under"
    # Active services only: the inactive one is not offered.
    assert spec["services"] == [{"slug": poli.slug, "name": "Poli Umum"}]
    config = blob(response, "kiosk-config")
    assert config == {
        "unit": banjar_unit.slug,
        "unit_name": "UPTD Puskesmas Aluh-Aluh",
        "service": None,
        "service_name": None,
        "api": "/api/v1/answers",
        "worker": "/k/sw.js",
        "scope": "/k/",
    }
    text = blob(response, "kiosk-text")
    assert text["id"]["start"] == "Mulai" and text["en"]["start"] == "Start"
    assert text["id"]["waiting"] == "{n} jawaban menunggu dikirim"
    body = response.text
    assert "UPTD Puskesmas Aluh-Aluh" in body and ">Mulai<" in body
    assert '<html lang="id">' in body
    assert "/static/skm/kiosk.js" in body and "/static/skm/kiosk.css" in body


def test_a_service_in_the_address_is_fixed(client, banjar_unit):
    service = make_service(banjar_unit, "Poli Umum")
    make_service(banjar_unit, "Poli Gigi")
    response = client.get(f"/k/{banjar_unit.slug}/{service.slug}/")
    assert response.status_code == 200
    config = blob(response, "kiosk-config")
    assert config["service"] == service.slug and config["service_name"] == "Poli Umum"
    assert blob(response, "kiosk-spec")["services"] == []  # nothing to ask
    assert "Poli Umum" in response.text


def test_unknown_or_inactive_unit_or_service_is_404(client, banjar_unit):
    service = make_service(banjar_unit, "Poli Umum")
    assert client.get("/k/tidak-ada/").status_code == 404
    assert client.get(f"/k/{banjar_unit.slug}/tidak-ada/").status_code == 404
    Layanan.objects.filter(pk=service.pk).update(active=False)
    assert client.get(f"/k/{banjar_unit.slug}/{service.slug}/").status_code == 404
    banjar_unit.active = False
    banjar_unit.save()
    assert client.get(f"/k/{banjar_unit.slug}/").status_code == 404


def test_pemda_without_a_published_instrument_is_404(client, banjar_unit):
    InstrumentVersion.objects.filter(instrument__pemda=banjar_unit.pemda).update(published_at=None)
    clear_caches()
    assert client.get(f"/k/{banjar_unit.slug}/").status_code == 404


def test_page_can_be_cached_offline_safely(client, banjar_unit):
    response = client.get(f"/k/{banjar_unit.slug}/")
    # The worker stores this page: it must hold nothing personal and be asked for again online.
    assert "no-cache" in response["Cache-Control"]
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert response["X-Robots-Tag"] == "noindex"
    assert client.post(f"/k/{banjar_unit.slug}/").status_code == 405


def test_names_are_escaped(client):
    pemda = make_pemda()
    unit = make_unit(make_pd(pemda), 'Puskesmas <script>alert("x")</script>')
    response = client.get(f"/k/{unit.slug}/")
    assert '<script>alert("x")</script>' not in response.text
    assert "&lt;script&gt;" in response.text
    assert blob(response, "kiosk-config")["unit_name"] == 'Puskesmas <script>alert("x")</script>'


def test_page_query_count(client, banjar_unit, django_assert_num_queries):
    make_service(banjar_unit, "Poli Umum")
    client.get(f"/k/{banjar_unit.slug}/")  # warm the instrument cache
    with django_assert_num_queries(2):  # the unit with its Pemda, its services
        assert client.get(f"/k/{banjar_unit.slug}/").status_code == 200


def test_service_worker_script(client):
    response = client.get("/k/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/k/"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    version = re.search(r'const VERSION = "([0-9a-f]{16})";', body).group(1)
    assert 'const STATIC_URLS = ["/static/skm/kiosk.css", "/static/skm/kiosk.js"];' in body
    assert 'new URL("/k/", self.location)' in body
    assert "&quot;" not in body and "&#x27;" not in body  # not HTML-escaped
    assert client.get("/k/sw.js").content.decode().count(version) == 1  # stable between requests
    assert client.head("/k/sw.js").status_code == 200


def test_page_carries_a_signed_device_id_and_never_a_token(client, banjar_unit):
    make_tablet(banjar_unit)
    first, second = (blob(client.get(f"/k/{banjar_unit.slug}/"), "kiosk-tablet") for _ in range(2))
    assert set(first) == {"device", "setup"}  # a token comes only from /kelola/kios/, to a logged-in admin
    assert first["setup"] == "/kelola/kios/"
    assert devices.device_id(first["device"]) and devices.device_id(second["device"])
    assert first["device"] != second["device"]  # kiosk.js keeps the first it got


def test_what_the_kiosk_sends_is_accepted(client, banjar_unit):
    """The body kiosk.js builds from the page's spec goes through POST /api/v1/answers."""
    service = make_service(banjar_unit, "Poli Umum")
    _, token = make_tablet(banjar_unit)  # the tablet was set up at /kelola/kios/
    page = client.get(f"/k/{banjar_unit.slug}/")
    spec = blob(page, "kiosk-spec")
    values = [1, 2, 3, 4, 1, 2, 3, 4, 2]
    answered_at = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    answered_at = answered_at.replace(microsecond=0)
    body = {
        "unit": banjar_unit.slug,
        "service": spec["services"][0]["slug"],
        "answers": {q["field"]: v for q, v in zip(spec["questions"], values, strict=True)},
        "gender": spec["profile"][0]["options"][1]["code"],
        "age_band": None,
        "education": "s1",
        "occupation": "lainnya",
        "suggestion": "Ruang tunggu panas.",
        "idempotency_key": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        "answered_at": answered_at.isoformat(),
        "duration_seconds": 64,
        "channel": "kiosk",
        "device": blob(page, "kiosk-tablet")["device"],
        "kiosk_token": token,
        "language": "id",
    }
    post = lambda: client.post("/api/v1/answers", json.dumps(body), content_type="application/json")  # noqa: E731
    first = post()
    assert first.status_code == 201, first.content
    assert post().json()["status"] == "already_received"
    answer = Answer.objects.get()
    assert answer.channel == "kiosk" and answer.service == service
    assert answer.pengaduan == 4 and answer.sarana == 2  # U8 and U9 of Kabupaten Banjar
    assert (answer.gender, answer.age_band, answer.education) == ("P", "", "s1")
    assert answer.suggestion == "Ruang tunggu panas."
    assert answer.submitted_at == answered_at  # the device's time, queued offline
    assert answer.duration_seconds == 64 and answer.device_hash
