"""Issue 21: every API error is JSON with a stable code, whatever the body's size, nesting,
encoding or content type — through Django's handler and through `skm.wsgi.application`.

Before: a JSON body over 2.5 MB or 1,000 levels deep raised out of the answer entry (a 500, an
empty body under `skm serve`), and a 3 MB text/plain body got Django's HTML 400 page.
"""

from __future__ import annotations

import json
import uuid

import hypothesis.strategies as st
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from hypothesis import given

from skm.api.body import MAX_DEPTH, BodyError, parse_json, too_deep
from skm.api.tests.test_answer_entry import Django, call
from skm.api.wsgi import AnswerEntry
from skm.collection.models import Answer
from skm.scoring.elements import ELEMENTS
from skm.testing import make_pd, make_pemda, make_unit

ADDRESS = "/api/v1/answers"
BIG = 3 * 1024 * 1024


def nested(depth: int) -> str:
    """An answer whose `answers` holds objects `depth` levels deep in all."""
    inner = '{"a": ' * (depth - 1) + "1" + "}" * (depth - 1)
    return '{"unit": "x", "idempotency_key": "abcdefgh", "answers": ' + inner + "}"


def questionnaire(unit, **overrides) -> str:
    data = {
        "unit": unit.slug,
        "answers": dict.fromkeys(ELEMENTS, 3),
        "idempotency_key": uuid.uuid4().hex,
        "channel": "api",
    }
    data.update(overrides)
    return json.dumps(data)


# (body, content type) → (status, code under `request`)
BODIES = {
    "3 MB of JSON": (json.dumps({"suggestion": "a" * BIG}), "application/json", 413, "body_too_large"),
    "3 MB of text/plain": ("a" * BIG, "text/plain", 413, "body_too_large"),
    "3 MB of multipart": ("a" * BIG, "multipart/form-data; boundary=x", 413, "body_too_large"),
    "1,000 levels of arrays": ("[" * 1000 + "]" * 1000, "application/json", 400, "body_too_deep"),
    "1,000 levels of objects": (nested(1000), "application/json", 400, "body_too_deep"),
    "1,000 unclosed arrays": ("[" * 1000, "application/json", 400, "body_too_deep"),
    "100,000 levels as text/plain": ("[" * 100_000, "text/plain", 400, "body_too_deep"),
    "one level too deep": (nested(MAX_DEPTH + 1), "application/json", 400, "body_too_deep"),
    "invalid UTF-8": (b'{"unit": "\xc3\x28\xff"}', "application/json", 400, "body_not_utf8"),
    "not JSON": ("{bukan json", "application/json", 400, "bad_json"),
    "a form, not JSON": ("unit=a&answers=1", "application/x-www-form-urlencoded", 400, "bad_json"),
}


def assert_request_error(status: int, content: bytes, headers: dict[str, str], expected: tuple) -> None:
    want_status, want_code = expected
    assert status == want_status, content[:200]
    assert headers["Content-Type"] == "application/json"
    body = json.loads(content)
    assert body["codes"] == {"request": want_code}
    assert body["errors"] == {"request": body["detail"]} and body["detail"].startswith("Isi permintaan")


@pytest.mark.django_db
@pytest.mark.parametrize("case", BODIES)
def test_through_djangos_handler(client, case):
    body, content_type, *expected = BODIES[case]
    response = client.post(ADDRESS, body, content_type=content_type)
    assert_request_error(response.status_code, response.content, response.headers, tuple(expected))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", BODIES)
def test_through_the_served_application(case):
    from skm.wsgi import application

    body, content_type, *expected = BODIES[case]
    reply = call(application, body, content_type=content_type)
    assert_request_error(reply.status, reply.content, reply.headers, tuple(expected))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", BODIES)
def test_the_entry_hands_them_to_django_which_answers(case):
    body, content_type, *_ = BODIES[case]
    replies = {}
    for route in ("entry", "django"):
        django = Django()
        app = AnswerEntry(django) if route == "entry" else django
        replies[route] = call(app, body, content_type=content_type).normalised()
        assert django.reached == [f"POST {ADDRESS}"]
    assert replies["entry"] == replies["django"]


@pytest.mark.django_db
def test_up_to_the_limit_the_body_is_read_and_judged_by_its_schema(client):
    response = client.post(ADDRESS, nested(MAX_DEPTH), content_type="application/json")
    assert response.status_code == 422
    assert "answers.a" in response.json()["codes"]


@pytest.mark.django_db(transaction=True)
def test_brackets_inside_text_are_text(client):
    unit = make_unit(make_pd(make_pemda()))
    suggestion = "[{" * 600 + ' "\\" ]]'  # 1,200 openers, none of them JSON
    for app in (None, AnswerEntry(Django())):
        body = questionnaire(unit, suggestion=suggestion[:1900])
        if app is None:
            response = client.post(ADDRESS, body, content_type="application/json")
            assert response.status_code == 201, response.content
        else:
            assert call(app, body).status == 201
    assert Answer.objects.count() == 2


@pytest.mark.django_db
def test_a_boolean_is_not_an_answer_nor_a_duration(client):
    unit = make_unit(make_pd(make_pemda()))
    for overrides in (
        {"answers": {**dict.fromkeys(ELEMENTS, 3), "waktu": True}},
        {"answers": dict.fromkeys(ELEMENTS, True)},
        {"duration_seconds": True},
    ):
        response = client.post(ADDRESS, questionnaire(unit, **overrides), content_type="application/json")
        assert response.status_code == 422, response.content
        assert set(response.json()["codes"].values()) == {"int_type"}
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_boolean_answer_through_the_served_application_stores_nothing():
    from skm.wsgi import application

    unit = make_unit(make_pd(make_pemda()))
    body = questionnaire(unit, answers={**dict.fromkeys(ELEMENTS, 3), "waktu": True})
    reply = call(application, body)
    assert reply.status == 422
    assert json.loads(reply.content)["codes"] == {"answers.waktu": "int_type"}
    assert not Answer.objects.exists()


# --- what Django refuses before ninja, on any API address ----------------------------------------


@pytest.mark.django_db
def test_a_foreign_host_on_an_api_address_is_json_and_elsewhere_djangos_page(client):
    response = client.get("/api/v1/units", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json()["codes"] == {"request": "bad_request"}
    page = client.get("/s/apa-saja/", HTTP_HOST="evil.example")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_too_many_query_parameters_is_json(client):
    query = "&".join(f"p{i}=1" for i in range(1100))
    response = client.get(f"/api/v1/units?{query}")
    assert response.status_code == 400
    assert response.json()["codes"] == {"request": "bad_request"}


@pytest.mark.django_db(transaction=True)
def test_an_error_inside_is_a_json_500_on_both_routes(monkeypatch):
    def broken(payload, ip):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("skm.api.answers.accept_answer", broken)
    unit = make_unit(make_pd(make_pemda()))
    for app in (AnswerEntry(WSGIHandler()), WSGIHandler()):
        reply = call(app, questionnaire(unit))
        assert reply.status == 500 and reply.headers["Content-Type"] == "application/json"
        assert json.loads(reply.content)["codes"] == {"request": "server_error"}
    client = Client(raise_request_exception=False)
    response = client.post(ADDRESS, questionnaire(unit), content_type="application/json")
    assert response.status_code == 500 and response.json()["codes"] == {"request": "server_error"}


@pytest.mark.django_db
def test_unknown_address_wrong_method_and_missing_unit_carry_a_code(client):
    assert client.get("/api/v1/tidak-ada").json()["codes"] == {"request": "not_found"}
    assert client.delete("/api/v1/units").json()["codes"] == {"request": "method_not_allowed"}
    assert client.get("/api/v1/units/tidak-ada").json()["codes"] == {"slug": "unit_not_found"}
    instrument = client.get("/api/v1/units/tidak-ada/instrument").json()
    assert instrument["codes"] == {"slug": "unit_not_found"}


@pytest.mark.django_db
def test_the_limits_are_published(client):
    spec = client.get("/api/v1/openapi.json").json()
    responses = spec["paths"][ADDRESS]["post"]["responses"]
    assert "2621440" in responses["413"]["description"]
    assert f"{MAX_DEPTH} levels" in responses["400"]["description"]
    assert "413" not in spec["paths"]["/api/v1/units"]["get"]["responses"]
    assert "body_too_large" in spec["info"]["description"]


# --- the depth check itself ----------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\n'),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[]{}"\\a'), inner, max_size=3)
    ),
    max_leaves=60,
)


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@given(value=json_values, limit=st.integers(0, 8))
def test_too_deep_is_exact(value, limit):
    assert too_deep(value, limit) == (depth(value) > limit)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32-le"])
def test_json_in_utf16_or_32_is_measured_too(encoding):
    assert parse_json(json.dumps([[["[" * 40]]]).encode(encoding)) == [[["[" * 40]]]
    deep: list = []
    for _ in range(MAX_DEPTH):
        deep = [deep]
    with pytest.raises(BodyError, match="body_too_deep"):
        parse_json(json.dumps(deep).encode(encoding))
