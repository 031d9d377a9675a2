"""POST /api/v1/answers: created, already received, field errors, throttling."""

from __future__ import annotations

import json
import uuid

import pytest

from skm.collection import devices
from skm.collection.models import Answer, DailyRollup, KioskDevice
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_service, make_tablet, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(make_pd(make_pemda()))


def tablet_token(target):
    """The token of the unit's kiosk tablet, set up on first use, as the kiosk page sends it."""
    device = KioskDevice.objects.filter(unit=target, revoked_at=None).first()
    return devices.token_for(device) if device else make_tablet(target)[1]


def body(target, **overrides):
    data = {
        "unit": target.slug,
        "answers": dict.fromkeys(ELEMENTS, 4),
        "gender": "L",
        "age_band": "u25",
        "idempotency_key": uuid.uuid4().hex,
        "channel": "kiosk",
        "device": "kios-loket-1",
        "kiosk_token": tablet_token(target),
    }
    data.update(overrides)
    return data


def post(client, data, **extra):
    return client.post("/api/v1/answers", json.dumps(data), content_type="application/json", **extra)


def test_created_then_already_received(client, unit):
    data = body(unit)
    first = post(client, data)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "created"
    again = post(client, data)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "status": "already_received"}
    answer = Answer.objects.get()
    assert answer.channel == "kiosk" and answer.waktu == 4 and answer.device_hash
    assert DailyRollup.objects.get().n == 1


def test_field_errors_in_indonesian_or_english(client, unit):
    response = post(client, body(unit, answers={"waktu": 9}))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["waktu"] == "Jawaban '9' untuk U3 tidak sah; pilih salah satu pilihan (1–4)."
    assert errors["persyaratan"] == "Mohon jawab pertanyaan U1: Persyaratan."
    response = post(client, body(unit, answers={"waktu": 9}, language="en"))
    assert response.json()["errors"]["persyaratan"] == "Please answer question U1: Persyaratan."
    assert response.json()["codes"]["waktu"] == "answer_invalid"
    assert not Answer.objects.exists()


def test_unknown_unit_and_malformed_json(client, unit):
    assert post(client, body(unit, unit="tidak-ada")).status_code == 404
    response = client.post("/api/v1/answers", "{bukan json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_service_and_answer_time(client, unit):
    service = make_service(unit, "Poli Gigi")
    response = post(client, body(unit, service=service.slug, answered_at="2026-11-20T09:15:00+08:00"))
    assert response.status_code == 201
    answer = Answer.objects.get()
    assert answer.service == service


def test_flood_is_429(client, unit, settings):
    settings.SKM_RATE_KIOSK = "2/h"
    assert post(client, body(unit)).status_code == 201
    assert post(client, body(unit)).status_code == 201
    response = post(client, body(unit))
    assert response.status_code == 429
    assert "Terlalu banyak kiriman" in response.json()["detail"]


def test_openapi_is_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/answers" in spec["paths"]


def test_answer_replies_skip_the_page_policy_but_pages_keep_it(client, unit):
    """The JSON answer endpoint carries no Content-Security-Policy (it never renders a page, and
    building the policy per reply was an eighth of its cost); the public pages keep theirs."""
    response = post(client, body(unit))
    assert response.status_code == 201 and response["Content-Type"] == "application/json"
    assert "Content-Security-Policy" not in response
    page = client.get(f"/s/{unit.slug}/")
    assert page.status_code == 200
    assert "default-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]
