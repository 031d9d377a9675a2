"""The answer endpoint's WSGI entry (skm.api.wsgi.AnswerEntry) replies as Django and ninja do.

Every request below is sent as a WSGI call twice: to the entry (as `skm.wsgi.application` is
built), and to Django's handler alone (ninja's operation behind the full middleware stack).
Status, JSON body (ids and times aside) and headers must be the same. Transactional tests: both
send request_finished, whose close_old_connections a test transaction would not survive; on
PostgreSQL this also runs both routes through the group commit.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import RequestFactory

from skm.api.wsgi import AnswerEntry
from skm.collection import devices
from skm.collection.models import Answer
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db(transaction=True)

ADDRESS = "/api/v1/answers"


class Django:
    """Django's own handler, recording every request it is given."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.reached: list[str] = []

    def __call__(self, environ, start_response):
        self.reached.append(f"{environ['REQUEST_METHOD']} {environ['PATH_INFO']}")
        return self.handler(environ, start_response)


@dataclass
class Reply:
    status: int
    content: bytes
    headers: dict[str, str]

    def normalised(self):
        try:
            body = json.loads(self.content)
        except ValueError:
            body = self.content.decode()
        if isinstance(body, dict):
            body = {
                k: ("<id>" if k == "id" else "<time>" if k == "submitted_at" else v) for k, v in body.items()
            }
        headers = dict(self.headers)
        if "Content-Length" in headers:  # the id's digits vary; the length must be right
            assert int(headers["Content-Length"]) == len(self.content)
            headers["Content-Length"] = "<n>"
        return self.status, body, sorted(headers.items())


def call(app, body, *, method="POST", path=ADDRESS, content_type="application/json", **extra) -> Reply:
    """One request as a WSGI server makes it: environ in, start_response, iterate, close."""
    environ = RequestFactory().generic(method, path, body, content_type=content_type, **extra).environ
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=headers)

    chunks = app(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return Reply(int(started["status"].split()[0]), content, dict(started["headers"]))


@pytest.fixture
def unit():
    return make_unit(make_pd(make_pemda()))


def answer(target, **overrides):
    data = {
        "unit": target.slug,
        "answers": dict.fromkeys(ELEMENTS, 3),
        "gender": "P",
        "age_band": "u35",
        "idempotency_key": uuid.uuid4().hex,
        "channel": "api",
        "device": f"hp-{uuid.uuid4().hex[:8]}",
    }
    data.update(overrides)
    return json.dumps(data)


CASES = {
    "created": lambda u: [answer(u)],
    "retry of a stored key": lambda u: [
        answer(u, idempotency_key=(k := uuid.uuid4().hex)),
        answer(u, idempotency_key=k),
    ],
    "value out of range": lambda u: [answer(u, answers={"waktu": 9})],
    "English messages": lambda u: [answer(u, answers={"waktu": 9}, language="en")],
    "a blank the channel does not allow": lambda u: [answer(u, answers={"waktu": None})],
    "unknown unit": lambda u: [answer(u, unit="tidak-ada")],
    "not JSON": lambda u: ["{bukan json"],
    "JSON of the wrong shape": lambda u: [json.dumps([1, 2, 3])],
    "answers not an object": lambda u: [answer(u, answers=[4, 4, 4])],
    "no idempotency key": lambda u: [json.dumps({"unit": u.slug, "answers": {"waktu": 4}})],
    "a key of the wrong form": lambda u: [answer(u, idempotency_key="x")],
}
TAKEN_BY_THE_ENTRY = {"created", "retry of a stored key", "value out of range", "English messages",
                      "a blank the channel does not allow", "unknown unit", "a key of the wrong form"}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_the_entry_replies_as_django_does(unit, case):
    replies = {}
    for route in ("entry", "django"):
        django = Django()
        app = AnswerEntry(django) if route == "entry" else django
        bodies = CASES[case](unit)
        replies[route] = [call(app, body).normalised() for body in bodies]
        if route == "django" or case not in TAKEN_BY_THE_ENTRY:
            assert django.reached == [f"POST {ADDRESS}"] * len(bodies)  # the whole stack and ninja
        else:
            assert django.reached == []
    assert replies["entry"] == replies["django"]


def test_flood_limit_foreign_host_and_https_redirect_as_django(unit, settings):
    settings.SKM_RATE_DEVICE = "1/h"
    replies = {}
    for route in ("entry", "django"):
        django = Django()
        app = AnswerEntry(django) if route == "entry" else django
        device = devices.new_device_id()  # one phone per route, with the id the server gave it
        first = call(app, answer(unit, device=device))
        second = call(app, answer(unit, device=device))
        foreign = call(app, answer(unit), HTTP_HOST="evil.example")
        replies[route] = [first.normalised(), second.normalised(), foreign.status]
        if route == "entry":
            assert django.reached == [f"POST {ADDRESS}"]  # only the foreign Host went on to Django
    assert [r[0] for r in replies["entry"][:2]] == [201, 429]
    assert replies["entry"][2] == 400
    assert replies["entry"] == replies["django"]
    assert Answer.objects.count() == 2

    settings.SECURE_SSL_REDIRECT = True  # read when the entry (and its SecurityMiddleware) is built
    redirected = {
        route: call(app, answer(unit))
        for route, app in (("entry", AnswerEntry(Django())), ("django", Django()))
    }
    assert redirected["entry"].status == 301
    assert redirected["entry"].normalised() == redirected["django"].normalised()
    assert Answer.objects.count() == 2


def test_only_well_formed_answers_skip_django(unit):
    django = Django()
    app = AnswerEntry(django)
    created = call(app, answer(unit), content_type="application/json; charset=utf-8")
    assert created.status == 201 and django.reached == []
    # Not JSON, another content type, another method, another address: Django as ever.
    assert call(app, "{x").status == 400
    assert call(app, f"unit={unit.slug}", content_type="application/x-www-form-urlencoded").status in (
        400,
        422,
    )
    assert call(app, "", method="GET").status == 405
    assert call(app, "", method="GET", path="/api/v1/units").status == 200
    assert django.reached == [f"POST {ADDRESS}"] * 2 + [f"GET {ADDRESS}", "GET /api/v1/units"]
    # SecurityMiddleware's and the language middleware's headers are on the entry's replies too.
    assert created.headers["X-Content-Type-Options"] == "nosniff"
    assert created.headers["X-Frame-Options"] == "DENY" and created.headers["Content-Language"] == "id"
    assert Answer.objects.filter(unit=unit).count() == 1


def test_an_error_inside_becomes_djangos_500_reply(unit, monkeypatch, caplog):
    def broken(payload, ip):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("skm.api.answers.accept_answer", broken)  # behind both routes
    replies = {}
    for route in ("entry", "django"):
        django = Django()
        app = AnswerEntry(django) if route == "entry" else django
        caplog.clear()
        replies[route] = call(app, answer(unit)).normalised()
        assert "database on fire" in caplog.text  # logged with its traceback, as Django does
    assert replies["entry"][0] == 500
    assert replies["entry"] == replies["django"]


def test_a_receipt_over_https_carries_hsts_as_djangos_and_plain_http_does_not(unit, settings):
    settings.SECURE_HSTS_SECONDS = 31536000  # read when the entry (and its SecurityMiddleware) is built
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    replies = {}
    for route in ("entry", "django"):
        django = Django()
        app = AnswerEntry(django) if route == "entry" else django
        # The entry builds a receipt's fixed headers once per HTTPS-or-not: both kinds, twice.
        replies[route] = [
            call(app, answer(unit), secure=secure).normalised() for secure in (True, False, True)
        ]
        assert django.reached == ([] if route == "entry" else [f"POST {ADDRESS}"] * 3)
    assert replies["entry"] == replies["django"]
    secure, plain, again = (dict(reply[2]) for reply in replies["entry"])
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in plain
    assert again == secure


def test_the_served_application_is_the_entry():
    from skm.wsgi import application

    assert isinstance(application, AnswerEntry)
    assert isinstance(application.application, WSGIHandler)
