"""The API's error messages: Indonesian by default, English when the answer's `language` (or,
for the HTTP exchange itself, the user's chosen language) says so; the codes never change."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from skm.api.wsgi import AnswerEntry
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db

INDONESIAN = "Data yang diminta tidak ditemukan."
ENGLISH = "The requested item was not found."


def unknown_unit(**extra):
    return json.dumps(
        {"unit": "tidak-ada", "answers": dict.fromkeys(ELEMENTS, 3), "idempotency_key": uuid.uuid4().hex}
        | extra
    )


def test_an_answer_error_is_indonesian_by_default_and_english_when_the_answer_asks(client):
    for language, detail in ((None, INDONESIAN), ("id", INDONESIAN), ("en", ENGLISH)):
        data = unknown_unit(**({"language": language} if language else {}))
        response = client.post("/api/v1/answers", data, content_type="application/json")
        assert response.status_code == 404
        assert response.json() == {
            "detail": detail,
            "errors": {"request": detail},
            "codes": {"request": "object_not_found"},
        }


@pytest.mark.django_db(transaction=True)  # a WSGI call sends request_finished: close_old_connections
def test_the_answer_entry_writes_the_same_english():
    entry = AnswerEntry(WSGIHandler())
    environ = (
        RequestFactory()
        .post("/api/v1/answers", unknown_unit(language="en"), content_type="application/json")
        .environ
    )
    started = {}
    content = b"".join(entry(environ, lambda status, headers, exc_info=None: started.update(status=status)))
    assert started["status"].startswith("404")
    assert json.loads(content)["detail"] == ENGLISH


def test_instrument_errors_follow_its_language(client):
    make_unit(make_pd(make_pemda()), slug="puskesmas-a")
    indonesian = client.get("/api/v1/units/tidak-ada/instrument").json()
    assert indonesian["detail"] == "Unit layanan 'tidak-ada' tidak ditemukan atau tidak aktif."
    english = client.get("/api/v1/units/tidak-ada/instrument", {"language": "en"}).json()
    assert english["detail"] == "Service unit 'tidak-ada' was not found or is not active."
    assert english["codes"] == indonesian["codes"] == {"slug": "unit_not_found"}


def test_request_errors_follow_the_chosen_language(client):
    assert client.get("/api/v1/tidak-ada").json()["detail"] == "Alamat API ini tidak ada."
    client.post("/i18n/setlang/", {"language": "en"})
    body = client.get("/api/v1/tidak-ada").json()
    assert body["detail"] == "There is no such API address."
    assert body["codes"] == {"request": "not_found"}
