"""Schemathesis against /api/v1/openapi.json: no input the spec allows (or forbids) gives a 500.

Every operation of the published schema is tested, in positive and negative generation modes,
through the real WSGI application (middleware included). Real unit slugs and well-formed
questionnaires are mixed into the generated data so that the found-unit and accepted-answer
paths run as well as the 404/422 ones. The number of cases per operation is printed at the end
of the run (pytest's terminal summary).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import uuid
from collections import Counter

import hypothesis.strategies as st
import jsonschema_rs
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from skm.accounts.models import ApiToken, User
from skm.accounts.scoping import Role
from skm.api.units import SLUG_PATTERN
from skm.scoring.elements import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit
from skm.wsgi import application

REAL_UNITS = ("puskesmas-martapura", "kelurahan-jawa")
REAL_PEMDA = "kabupaten-uji"
# The staff endpoints (/results/…) are fuzzed signed in by an API token of the Pemda's admin.
TOKEN: dict[str, str] = {}
INACTIVE_UNIT = "upt-tutup"
BANJAR_ORDER = ELEMENTS_PENGADUAN_BEFORE_SARANA
MAX_EXAMPLES = int(os.environ.get("SKM_SCHEMATHESIS_EXAMPLES", "40"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CASES: Counter[str] = Counter()
STATUSES: Counter[tuple[str, int]] = Counter()


# The hooks swap in real data only where the generated value is itself valid: in negative mode
# the generated value is the one meant to be rejected, and replacing it would make the request
# valid behind schemathesis' back.
_ANSWER_BODY = jsonschema_rs.validator_for(
    {"$ref": "#/components/schemas/AnswerIn", "components": schema.raw_schema["components"]}
)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    slug = (path_parameters or {}).get("slug")
    if not isinstance(slug, str) or not re.fullmatch(SLUG_PATTERN, slug) or len(slug) > 80:
        return st.just(path_parameters)
    real = (*REAL_UNITS, INACTIVE_UNIT)
    if context.operation is not None and "/results/pemda/" in context.operation.path:
        real = (REAL_PEMDA,)
    return st.one_of(
        st.just(path_parameters),
        st.sampled_from(real).map(lambda chosen: {**path_parameters, "slug": chosen}),
    )


@schema.hook
def flatmap_query(context, query):
    """Real dates (and methods) for the results endpoints, so that their 200 path is fuzzed too."""
    if context.operation is None or "/results/" not in context.operation.path or not isinstance(query, dict):
        return st.just(query)
    if not all(isinstance(query.get(k), str) and len(query[k]) <= 40 for k in ("from", "to")):
        return st.just(query)
    dates = st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)
    ordered = st.lists(dates, min_size=2, max_size=2).map(sorted)
    choices = st.fixed_dictionaries(
        {},
        optional={
            "method": st.sampled_from(["mean_of_units", "pooled", "respondent_weighted"]),
            "level": st.sampled_from(["units", "services"]),
        },
    )
    real = st.tuples(ordered, choices).map(
        lambda pair: {
            **{k: v for k, v in query.items() if k not in ("method", "level")},
            **pair[1],
            "from": pair[0][0],
            "to": pair[0][1],
        }
    )
    return st.one_of(st.just(query), real)


@schema.hook
def flatmap_body(context, body):
    if context.operation is None or context.operation.path != "/api/v1/answers":
        return st.just(body)
    if not isinstance(body, dict) or not _ANSWER_BODY.is_valid(body):
        return st.just(body)
    # A questionnaire that passes validation, for a real unit, with a generated profile.
    valid = st.builds(
        lambda unit, values, gender, key, language: {
            "unit": unit,
            "answers": dict(zip(ELEMENTS, values, strict=True)),
            "gender": gender,
            "idempotency_key": key,
            "language": language,
        },
        st.sampled_from(REAL_UNITS),
        st.lists(st.integers(1, 4), min_size=9, max_size=9),
        st.sampled_from(["L", "P", "Perempuan", "x"]),
        st.uuids().map(lambda u: u.hex),
        st.sampled_from(["id", "en"]),
    )
    return st.one_of(st.just(body), valid)


@pytest.fixture
def api_data(db, settings):
    """A Pemda in Kabupaten Banjar's order with two active units (with services) and an inactive one."""
    # Django's test client does this itself; schemathesis' WSGI client does not, and closing the
    # connection between requests would end the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.SKM_RATE_IP = "0/h"
    settings.SKM_RATE_DEVICE = "0/h"
    settings.SKM_RATE_KIOSK = "0/h"
    pemda = make_pemda("Kabupaten Uji", slug="kabupaten-uji", weight="1/9", order=BANJAR_ORDER)
    pd = make_pd(pemda, "Dinas Kesehatan")
    puskesmas = make_unit(pd, "Puskesmas Martapura", slug=REAL_UNITS[0])
    make_service(puskesmas, "Poli Umum")
    make_service(puskesmas, "Poli Gigi")
    make_unit(make_pd(pemda, "Kecamatan Martapura"), "Kelurahan Jawa", "Kelurahan", slug=REAL_UNITS[1])
    make_unit(pd, "UPT Tutup", "UPT/UPTD", slug=INACTIVE_UNIT, active=False)
    make_answer(puskesmas, day=dt.date(2026, 3, 5))
    admin = User.objects.create_user("admin-uji", role=Role.ADMIN_PEMDA, pemda=pemda)
    TOKEN["key"] = ApiToken.issue(admin, "schemathesis")[1]
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_has_no_server_errors(case, api_data):
    headers = {"Authorization": f"Bearer {TOKEN['key']}"} if "/results/" in case.path else None
    response = case.call(headers=headers)
    CASES[case.operation.label] += 1
    STATUSES[case.operation.label, response.status_code] += 1
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            negative_data_rejection,
        ],
    )


def test_a_generated_questionnaire_for_a_real_unit_is_accepted(api_data, client):
    """The valid bodies fed to schemathesis are really valid (else the 201 path is never fuzzed)."""
    body = {
        "unit": REAL_UNITS[0],
        "answers": dict.fromkeys(ELEMENTS, 3),
        "gender": "P",
        "idempotency_key": uuid.uuid4().hex,
    }
    response = client.post("/api/v1/answers", body, content_type="application/json")
    assert response.status_code == 201, response.content
