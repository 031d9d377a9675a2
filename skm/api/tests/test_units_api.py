"""GET /api/v1/units, /units/{slug}, /units/{slug}/instrument; errors as JSON; the published spec."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings as django_settings

from skm.instrument.models import Option, Question
from skm.organisation.models import Pemda, PerangkatDaerah, Unit, UnitType
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_pd, make_pemda, make_service, make_unit

pytestmark = pytest.mark.django_db

BANJAR_ORDER = ELEMENTS_PENGADUAN_BEFORE_SARANA
UNIT_KEYS = {"slug", "name", "pemda", "perangkat_daerah", "unit_type", "services", "survey_url", "kiosk_url"}


@pytest.fixture
def banjar():
    pemda = make_pemda(
        "Kabupaten Banjar",
        slug="kabupaten-banjar",
        level="kabupaten",
        weight="1/9",
        order=BANJAR_ORDER,
        headers={"pengaduan": "Aduan", "sarana": "Sarpras"},
    )
    dinkes = make_pd(pemda, "Dinas Kesehatan")
    kecamatan = make_pd(pemda, "Kecamatan Martapura")
    martapura = make_unit(
        dinkes, "Puskesmas Martapura", slug="puskesmas-martapura", position=2, population=900
    )
    make_unit(kecamatan, "Kelurahan Jawa", "Kelurahan", slug="kelurahan-jawa", position=1)
    make_unit(dinkes, "UPTD Tutup", "UPT/UPTD", slug="uptd-tutup", position=3, active=False)
    gigi = make_service(martapura, "Poli Gigi")
    umum = make_service(martapura, "Poli Umum")
    umum.position, gigi.position = 1, 2
    umum.save()
    gigi.save()
    closed = make_service(martapura, "Poli Tutup")
    closed.active = False
    closed.save()
    return pemda


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


# --- GET /units ---------------------------------------------------------------------------------


def test_list_shows_active_units_with_public_fields_only(client, banjar):
    body = get(client, "/api/v1/units").json()
    assert body["count"] == 2
    assert [u["slug"] for u in body["items"]] == ["kelurahan-jawa", "puskesmas-martapura"]  # Pemda's order
    unit = body["items"][1]
    assert set(unit) == UNIT_KEYS  # no population, network ranges, active flag
    assert unit["name"] == "Puskesmas Martapura"
    assert unit["pemda"] == {"slug": "kabupaten-banjar", "name": "Kabupaten Banjar"}
    assert unit["perangkat_daerah"] == "Dinas Kesehatan"
    assert unit["unit_type"] == "Puskesmas"
    assert [s["name"] for s in unit["services"]] == ["Poli Umum", "Poli Gigi"]  # active, in order
    assert unit["survey_url"] == "http://testserver/s/puskesmas-martapura/"
    assert unit["kiosk_url"] == "http://testserver/k/puskesmas-martapura/"
    slug = unit["services"][0]["slug"]
    assert unit["services"][0]["survey_url"] == f"http://testserver/s/puskesmas-martapura/{slug}/"
    assert "900" not in str(body)


def test_public_url_setting_is_used_for_links(client, banjar, settings):
    settings.SKM_PUBLIC_URL = "https://skm.banjarkab.go.id"
    unit = get(client, "/api/v1/units/kelurahan-jawa").json()
    assert unit["survey_url"] == "https://skm.banjarkab.go.id/s/kelurahan-jawa/"
    assert unit["kiosk_url"] == "https://skm.banjarkab.go.id/k/kelurahan-jawa/"


def test_order_is_by_pemda_then_the_pemdas_unit_order(client, banjar):
    kota = make_pemda("Kota Banjarbaru", slug="kota-banjarbaru")
    pd = make_pd(kota, "Dinas Kependudukan")
    make_unit(pd, "Zeta", slug="zeta", position=1)
    make_unit(pd, "Alfa", slug="alfa", position=1)  # same position: then by name
    slugs = [u["slug"] for u in get(client, "/api/v1/units").json()["items"]]
    assert slugs == ["kelurahan-jawa", "puskesmas-martapura", "alfa", "zeta"]


def test_filters_by_pemda_and_words(client, banjar):
    other = make_pemda("Kota Lain", slug="kota-lain")
    make_unit(make_pd(other, "Dinas Kesehatan"), "Puskesmas Lain", slug="puskesmas-lain")
    assert get(client, "/api/v1/units").json()["count"] == 3
    only = get(client, "/api/v1/units", pemda="kota-lain").json()
    assert [u["slug"] for u in only["items"]] == ["puskesmas-lain"]
    assert get(client, "/api/v1/units", pemda="tidak-ada").json() == {"items": [], "count": 0}
    # every word must appear, in the unit's or its Perangkat Daerah's name, any case
    found = get(client, "/api/v1/units", q="puskesmas MARTAPURA").json()
    assert [u["slug"] for u in found["items"]] == ["puskesmas-martapura"]
    by_pd = get(client, "/api/v1/units", q="kecamatan", pemda="kabupaten-banjar").json()
    assert [u["slug"] for u in by_pd["items"]] == ["kelurahan-jawa"]
    assert get(client, "/api/v1/units", q="tutup").json()["count"] == 0  # inactive stays hidden
    # control characters are not searched for (PostgreSQL refuses NUL) and do not fail
    assert get(client, "/api/v1/units", q="jawa\x00\x1f").json()["count"] == 1


def test_pagination_with_limit_and_offset(client, banjar):
    pd = PerangkatDaerah.objects.get(name="Kecamatan Martapura")
    for i in range(5):
        make_unit(pd, f"Kelurahan {i}", "Kelurahan", slug=f"kelurahan-{i}", position=10 + i)
    everything = [u["slug"] for u in get(client, "/api/v1/units", limit=500).json()["items"]]
    assert len(everything) == 7
    page = get(client, "/api/v1/units", limit=3, offset=2).json()
    assert page["count"] == 7
    assert [u["slug"] for u in page["items"]] == everything[2:5]
    assert get(client, "/api/v1/units", offset=7).json() == {"items": [], "count": 7}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"limit": 501}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"limit": "banyak"}, "limit"),
        ({"pemda": "kota banjar"}, "pemda"),
        ({"pemda": "x" * 61}, "pemda"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_list_parameters_are_422_in_indonesian(client, banjar, params, field):
    response = get(client, "/api/v1/units", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == f"Permintaan tidak sah: periksa {field}."
    assert set(body["errors"]) == {field} and set(body["codes"]) == {field}


def test_list_query_count_does_not_grow_with_units(client, banjar, django_assert_num_queries):
    # count + units (with Pemda, Perangkat Daerah, unit type joined) + their services
    with django_assert_num_queries(3):
        assert get(client, "/api/v1/units").json()["count"] == 2
    pd = PerangkatDaerah.objects.get(name="Dinas Kesehatan")
    for i in range(30):
        make_service(make_unit(pd, f"Puskesmas {i}", slug=f"puskesmas-{i}"), f"Layanan {i}")
    with django_assert_num_queries(3):
        assert len(get(client, "/api/v1/units", limit=500).json()["items"]) == 32


# --- GET /units/{slug} --------------------------------------------------------------------------


def test_one_unit(client, banjar):
    unit = get(client, "/api/v1/units/puskesmas-martapura").json()
    assert set(unit) == UNIT_KEYS
    assert unit == get(client, "/api/v1/units", q="puskesmas").json()["items"][0]


@pytest.mark.parametrize("slug", ["tidak-ada", "uptd-tutup"])
def test_unknown_or_inactive_unit_is_404_in_indonesian(client, banjar, slug):
    for url in (f"/api/v1/units/{slug}", f"/api/v1/units/{slug}/instrument"):
        response = get(client, url)
        assert response.status_code == 404
        assert response.json()["detail"] == f"Unit layanan '{slug}' tidak ditemukan atau tidak aktif."


@pytest.mark.parametrize("slug", ["a%20b", "x" * 81, "%C3%A9t%C3%A9", "a.b"])
def test_malformed_slug_is_422(client, banjar, slug):
    response = get(client, f"/api/v1/units/{slug}")
    assert response.status_code == 422
    assert response.json()["codes"] == {
        "slug": "string_too_long" if len(slug) > 80 else "string_pattern_mismatch"
    }


# --- GET /units/{slug}/instrument ---------------------------------------------------------------


def test_instrument_in_the_pemdas_order(client, banjar):
    body = get(client, "/api/v1/units/puskesmas-martapura/instrument").json()
    assert body["unit"] == {"slug": "puskesmas-martapura", "name": "Puskesmas Martapura"}
    assert body["pemda"]["slug"] == "kabupaten-banjar"
    assert body["language"] == "id"
    assert body["version"] == 1
    assert body["weight"] == "1/9"
    questions = body["questions"]
    assert [q["code"] for q in questions] == [f"U{i}" for i in range(1, 10)]
    assert [q["element"] for q in questions] == list(BANJAR_ORDER)  # pengaduan (U8) before sarana (U9)
    assert [q["header"] for q in questions[7:]] == ["Aduan", "Sarpras"]
    assert all(q["field"] == q["element"] and q["enters_ikm"] and q["required"] for q in questions)
    assert questions[0]["name"] == "Persyaratan"
    assert questions[3]["options"] == [
        {"value": 1, "label": "Sangat mahal"},
        {"value": 2, "label": "Cukup mahal"},
        {"value": 3, "label": "Murah"},
        {"value": 4, "label": "Gratis"},
    ]
    profile = {p["key"]: p for p in body["profile"]}
    assert list(profile) == ["gender", "age_band", "education", "occupation"]
    assert profile["gender"]["label"] == "Jenis kelamin"
    assert profile["gender"]["options"] == [
        {"code": "L", "label": "Laki-laki"},
        {"code": "P", "label": "Perempuan"},
    ]
    assert [o["code"] for o in profile["age_band"]["options"]] == ["u18", "u25", "u35", "u45", "u55", "u56"]
    assert [s["name"] for s in body["services"]] == ["Poli Umum", "Poli Gigi"]


def test_instrument_0111_weight_and_regulation_order(client):
    unit = make_unit(make_pd(make_pemda("Kota Banjarmasin", slug="kota-banjarmasin")), slug="kelurahan-a")
    body = get(client, f"/api/v1/units/{unit.slug}/instrument").json()
    assert body["weight"] == "0.111"
    assert [q["element"] for q in body["questions"]][7:] == ["sarana", "pengaduan"]
    assert body["services"] == []


def test_instrument_query_count(client, banjar, django_assert_max_num_queries):
    url = "/api/v1/units/puskesmas-martapura/instrument"
    get(client, url)  # the published instrument is cached per process after the first request
    # unit (with Pemda, Perangkat Daerah, type) + its services + the version number
    with django_assert_max_num_queries(3):
        assert get(client, url).json()["version"] == 1


def test_instrument_in_english_falls_back_to_indonesian(client, banjar):
    version = banjar.instruments.get(kind="skm").current_version()
    Question.objects.filter(version=version, element="waktu").update(text_en="")
    Option.objects.filter(question__version=version, question__element="biaya", value=4).update(label_en="")
    body = get(client, "/api/v1/units/puskesmas-martapura/instrument", language="en").json()
    assert body["language"] == "en"
    by_element = {q["element"]: q for q in body["questions"]}
    indonesian = {
        q["element"]: q
        for q in get(client, "/api/v1/units/puskesmas-martapura/instrument").json()["questions"]
    }
    assert by_element["persyaratan"]["text"] != indonesian["persyaratan"]["text"]
    assert by_element["persyaratan"]["options"][0]["label"] == "Not suitable"
    assert by_element["waktu"]["text"] == indonesian["waktu"]["text"]  # no translation: Indonesian
    assert [o["label"] for o in by_element["biaya"]["options"]][2:] == ["Cheap", "Gratis"]
    gender = body["profile"][0]
    assert gender["label"] == "Gender"
    assert gender["options"][0] == {"code": "L", "label": "Male"}


def test_instrument_language_must_be_id_or_en(client, banjar):
    response = get(client, "/api/v1/units/puskesmas-martapura/instrument", language="fr")
    assert response.status_code == 422
    assert response.json()["codes"] == {"language": "literal_error"}


def test_pemda_without_published_instrument_is_404(client):
    pemda = Pemda.objects.create(name="Kabupaten Baru", slug="kabupaten-baru", level="kabupaten")
    unit = Unit.objects.create(
        pemda=pemda,
        perangkat_daerah=PerangkatDaerah.objects.create(pemda=pemda, name="Dinas Baru"),
        unit_type=UnitType.objects.create(pemda=pemda, name="Puskesmas"),
        name="Puskesmas Baru",
        slug="puskesmas-baru",
    )
    response = get(client, f"/api/v1/units/{unit.slug}/instrument")
    assert response.status_code == 404
    assert response.json()["detail"] == "Instrumen survei Pemda ini belum diterbitkan."


# --- errors are JSON everywhere -----------------------------------------------------------------


def test_unknown_address_and_wrong_method_are_json(client, banjar):
    response = get(client, "/api/v1/tidak-ada/sama-sekali")
    assert response.status_code == 404
    assert response.json()["detail"] == "Alamat API ini tidak ada."
    response = client.delete("/api/v1/units")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["detail"] == "Metode DELETE tidak didukung di alamat ini."


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        ("{bukan json", "application/json", 400),
        ("unit=a&answers=1", "application/x-www-form-urlencoded", 400),
        ("[]", "application/json", 422),
        ("null", "application/json", 422),
        ('{"unit": "a", "answers": {"waktu": "empat"}, "idempotency_key": 5}', "application/json", 422),
        ('{"unit": "a\\u0000b", "answers": {}, "idempotency_key": "abcdefgh"}', "application/json", 422),
        ('{"unit": "\\ud800", "answers": {}, "idempotency_key": "abcdefgh"}', "text/plain", 422),
    ],
)
def test_malformed_answer_bodies_are_4xx_json(client, banjar, body, content_type, status):
    response = client.post("/api/v1/answers", body, content_type=content_type)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


# --- the published spec and its documentation -----------------------------------------------------


def test_openapi_lists_every_operation_with_bilingual_summaries(client):
    spec = get(client, "/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path): op for path, item in spec["paths"].items() for method, op in item.items()
    }
    assert set(operations) == {
        ("GET", "/api/v1/units"),
        ("GET", "/api/v1/units/{slug}"),
        ("GET", "/api/v1/units/{slug}/instrument"),
        ("POST", "/api/v1/answers"),
        ("GET", "/api/v1/results/units/{slug}"),
        ("GET", "/api/v1/results/pemda/{slug}"),
    }
    for op in operations.values():
        assert " / " in op["summary"] and op["tags"]
        assert "422" in op["responses"]
    assert {t["name"] for t in spec["tags"]} == {"unit", "instrumen", "jawaban", "hasil"}
    limit = next(p for p in operations["GET", "/api/v1/units"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    assert "400" in operations["POST", "/api/v1/answers"]["responses"]


def test_openapi_json_has_no_duplicate_keys(client):
    # ninja keys responses by int; a str key for the same status printed it twice (Swagger UI fails)
    def strict(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=strict)


def test_interactive_docs_load_nothing_from_outside(client):
    assert "ninja" in django_settings.INSTALLED_APPS, "ninja must be an installed app (local Swagger UI)"
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in html and "https://" not in html
