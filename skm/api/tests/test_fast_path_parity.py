"""The answer endpoint's fast path (skm.api.middleware.AnswerFastPath) replies as ninja's route does.

Every request below is sent twice: through the middleware stack as configured (fast path), and
with the fast path taken out (ninja's operation behind the full middleware stack). Status, JSON
body (ids and times aside) and headers must be the same.
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client

from skm.collection.models import Answer
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db

FAST = "skm.api.middleware.AnswerFastPath"
REACHED: list[str] = []


class BeyondTheFastPath:
    """Placed right after the fast path: records every request that went past it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        REACHED.append(request.path_info)
        return self.get_response(request)


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


def normalised(response):
    try:
        body = json.loads(response.content)
    except ValueError:
        body = response.content.decode()
    if isinstance(body, dict):
        body = {k: ("<id>" if k == "id" else "<time>" if k == "submitted_at" else v) for k, v in body.items()}
    headers = dict(response.headers)
    if "Content-Length" in headers:  # the id's digits vary; the length must be right
        assert int(headers["Content-Length"]) == len(response.content)
        headers["Content-Length"] = "<n>"
    return response.status_code, body, sorted(headers.items())


CASES = {
    "created": lambda u: [answer(u)],
    "retry of a stored key": lambda u: (
        [answer(u, idempotency_key=(k := uuid.uuid4().hex))] * 2
        and [answer(u, idempotency_key=k), answer(u, idempotency_key=k)]
    ),
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


def route_client(route, settings):
    """A new test client (it loads the middleware once): with the fast path, or ninja's route only
    (the fast path replaced by a middleware that records that the request went the whole way)."""
    if route == "ninja":
        settings.MIDDLEWARE = [
            f"{__name__}.BeyondTheFastPath" if m == FAST else m for m in django_settings.MIDDLEWARE
        ]
    REACHED.clear()
    return Client()


@pytest.mark.parametrize("case", CASES)
def test_fast_path_replies_as_ninja_does(unit, settings, case):
    replies = {}
    for route in ("fast", "ninja"):
        client = route_client(route, settings)
        bodies = CASES[case](unit)
        replies[route] = [
            normalised(client.post("/api/v1/answers", b, content_type="application/json")) for b in bodies
        ]
        if route == "ninja":
            assert len(REACHED) == len(bodies)  # really through the whole stack and ninja
    assert replies["fast"] == replies["ninja"]


def test_flood_limit_and_host_check_hold_on_the_fast_path(unit, settings):
    settings.SKM_RATE_DEVICE = "1/h"
    replies = {}
    for route in ("fast", "ninja"):
        client = route_client(route, settings)
        device = f"hp-{route}"
        first = client.post("/api/v1/answers", answer(unit, device=device), content_type="application/json")
        second = client.post("/api/v1/answers", answer(unit, device=device), content_type="application/json")
        foreign = client.post(
            "/api/v1/answers", answer(unit), content_type="application/json", HTTP_HOST="evil.example"
        )
        replies[route] = [normalised(r) for r in (first, second)] + [foreign.status_code]
    assert [r[0] for r in replies["fast"][:2]] == [201, 429]
    assert replies["fast"][2] == 400
    assert replies["fast"] == replies["ninja"]
    assert REACHED == ["/api/v1/answers"] * 3  # ninja's route: the whole stack each time
    assert Answer.objects.count() == 2


def test_well_formed_answers_skip_the_rest_of_the_stack_and_others_do_not(client, unit, settings):
    at = settings.MIDDLEWARE.index(FAST)
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: at + 1],
        f"{__name__}.BeyondTheFastPath",
        *settings.MIDDLEWARE[at + 1 :],
    ]
    REACHED.clear()
    created = client.post("/api/v1/answers", answer(unit), content_type="application/json")
    assert created.status_code == 201 and REACHED == []
    # Not JSON, another content type, another method, another address: the full stack as ever.
    assert client.post("/api/v1/answers", "{x", content_type="application/json").status_code == 400
    assert client.post("/api/v1/answers", {"unit": unit.slug}).status_code in (400, 422)
    assert client.get("/api/v1/answers").status_code == 405
    assert client.get("/api/v1/units").status_code == 200
    assert REACHED == ["/api/v1/answers"] * 3 + ["/api/v1/units"]
    # Security headers are still added to the fast path's replies (SecurityMiddleware runs first).
    assert created["X-Content-Type-Options"] == "nosniff"
    assert created["X-Frame-Options"] == "DENY" and created["Content-Language"] == "id"
