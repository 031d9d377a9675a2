"""GET /api/v1/results/…: the documents of `skm results … --json`, for staff, scoped (issue 23 item 7)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from skm.accounts.models import ApiToken, AuditEvent, User
from skm.accounts.scoping import Role
from skm.results.ranges import LONGEST_DAYS
from skm.results.tests.test_results_command import (
    END,
    HYPOTHESIS,
    START,
    answer,
    check_unit,
    run,
    world,  # noqa: F401 - the fixture, four setups (both weights, both element orders)
)
from skm.scoring import Level, Method, aggregate
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db
RANGE = {"from": START.isoformat(), "to": END.isoformat()}


def superuser_client() -> Client:
    client = Client()
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("op", "", "x")
    client.force_login(user)
    return client


def get(client: Client, path: str, **params: str):
    return client.get(path, {**RANGE, **params})


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=30), include=st.booleans())
def test_unit_document_is_the_commands_and_the_cores(world, drawn, include):  # noqa: F811
    stored = world.store(drawn)
    client = superuser_client()
    for unit in world.units:
        params = {"include_excluded": "true"} if include else {}
        response = get(client, f"/api/v1/results/units/{unit.slug}", **params)
        assert response.status_code == 200
        doc = response.json()
        assert doc == run("unit", unit.slug, *(["--include-excluded"] if include else []))
        check_unit(doc, world, world.raw(stored, unit=unit, include_excluded=include), unit.population)
    unit = world.units[0]
    for service in world.services:
        doc = get(client, f"/api/v1/results/units/{unit.slug}", service=service.slug).json()
        assert doc == run("unit", unit.slug, "--service", service.slug)
        check_unit(doc, world, world.raw(stored, unit=unit, service=service), unit.population)


@HYPOTHESIS
@given(drawn=st.lists(answer, max_size=30), level=st.sampled_from(["units", "services"]))
def test_pemda_document_is_the_commands_by_every_method(world, drawn, level):  # noqa: F811
    from skm.results.tests.test_results_command import expected_parts, num

    stored = world.store(drawn)
    client = superuser_client()
    parts, _ = expected_parts(world, stored, Level.PEMDA if level == "units" else Level.SERVICE)
    for method in Method:
        url = f"/api/v1/results/pemda/{world.pemda.slug}"
        doc = get(client, url, method=method.value, level=level).json()
        assert doc == run("pemda", world.pemda.slug, "--method", method.value, "--level", level)
        expected = aggregate(parts, method, Level.PEMDA if level == "units" else Level.SERVICE, world.weight)
        assert (doc["ikm"], doc["n"]) == (num(expected.ikm, 2), expected.n)
    # Without method and level: the Pemda's own method, over units (as the command).
    assert get(client, f"/api/v1/results/pemda/{world.pemda.slug}").json() == run("pemda", world.pemda.slug)


# --- tokens ---------------------------------------------------------------------------------


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_a_token_reads_as_its_user_within_its_users_scope():
    people = make_people()
    make_answer(people.unit)
    token, key = ApiToken.issue(people.unit_admin, "dasbor")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in token.key_hash
    client = Client()
    own = client.get(
        f"/api/v1/results/units/{people.unit.slug}", {"from": "2020-01-01", "to": "2029-12-31"}, **bearer(key)
    )
    assert own.status_code == 200 and own.json()["n"] == 1
    token.refresh_from_db()
    assert token.last_used_at is not None
    sibling = client.get(f"/api/v1/results/units/{people.sibling_unit.slug}", RANGE, **bearer(key))
    assert sibling.status_code == 404
    assert sibling.json()["codes"] == {"slug": "results_unit_not_found"}
    whole = client.get(f"/api/v1/results/pemda/{people.pemda.slug}", RANGE, **bearer(key))
    assert whole.status_code == 403
    # The token's user, not a session: nothing of the token stays signed in.
    assert client.get(f"/api/v1/results/units/{people.unit.slug}", RANGE).status_code == 401


def test_pimpinan_reads_the_whole_pemda_by_token():
    people = make_people()
    _, key = ApiToken.issue(people.pimpinan, "layar rapat")
    response = Client().get(f"/api/v1/results/pemda/{people.pemda.slug}", RANGE, **bearer(key))
    assert response.status_code == 200
    other = Client().get(f"/api/v1/results/pemda/{people.other_pemda.slug}", RANGE, **bearer(key))
    assert other.status_code == 404


@pytest.mark.parametrize(
    "header",
    ["Bearer skm_salah", "Bearer ", "Token abc", "Bearer revoked", "Bearer inactive"],
)
def test_a_wrong_revoked_or_orphaned_token_is_refused_with_401(header):
    people = make_people()
    revoked, revoked_key = ApiToken.issue(people.pemda_admin, "lama")
    revoked.revoke()
    people.pd_admin.is_active = False
    people.pd_admin.save()
    _, inactive_key = ApiToken.issue(people.pd_admin, "pensiun")
    header = header.replace("revoked", revoked_key).replace("inactive", inactive_key)
    response = Client().get(f"/api/v1/results/units/{people.unit.slug}", RANGE, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["codes"] == {"request": "auth_required"}
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "status", "field", "code"),
    [
        ("units", {"from": "2026-02-30"}, 400, "from", "results_bad_date"),
        ("units", {"to": "31/12/2026"}, 400, "to", "results_bad_date"),
        ("units", {"from": "2026-12-31", "to": "2026-01-01"}, 400, "from", "results_range_reversed"),
        ("units", {"from": "2000-01-01", "to": "2026-01-01"}, 400, "to", "results_range_too_long"),
        ("units", {"service": "tidak-ada"}, 404, "service", "results_service_not_found"),
        ("pemda", {"method": "median"}, 400, "method", "results_unknown_method"),
        ("pemda", {"level": "kecamatan"}, 400, "level", "results_unknown_level"),
        ("pemda", {"from": "kemarin"}, 400, "from", "results_bad_date"),
    ],
)
def test_bad_input_gets_its_code_and_an_indonesian_sentence(client, path, params, status, field, code):
    people = make_people()
    client.force_login(people.pemda_admin)
    slug = people.unit.slug if path == "units" else people.pemda.slug
    response = client.get(f"/api/v1/results/{path}/{slug}", {**RANGE, **params})
    assert response.status_code == status
    body = response.json()
    assert body["codes"] == {field: code}
    assert body["detail"] and body["errors"][field] == body["detail"]
    if code == "results_range_too_long":
        assert str(LONGEST_DAYS) in body["detail"]
    english = client.get(
        f"/api/v1/results/{path}/{slug}", {**RANGE, **params}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()["detail"]
    assert english  # the English catalogue is checked by `skm translations --check`


def test_missing_dates_are_a_schema_error(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    response = client.get(f"/api/v1/results/units/{people.unit.slug}")
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"from", "to"}


def test_the_openapi_document_lists_both_endpoints_with_bearer_auth(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/results/units/{slug}", "/api/v1/results/pemda/{slug}"):
        operation = schema["paths"][path]["get"]
        assert {"401", "404"} <= set(map(str, operation["responses"]))
        assert any("BearerToken" in item for item in operation["security"])
        names = {p["name"] for p in operation["parameters"]}
        assert {"slug", "from", "to"} <= names
    assert schema["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    assert reverse("api:results_unit", kwargs={"slug": "x"}) == "/api/v1/results/units/x"


# --- making and revoking tokens --------------------------------------------------------------


def test_the_command_prints_the_key_once_and_stores_its_hash_only():
    people = make_people()
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "create", people.pimpinan.username, "--name", "layar", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.user == people.pimpinan and token.name == "layar"
    assert token.key_hash == ApiToken.digest(key) and str(token.pk) in err.getvalue()
    assert ApiToken.user_for(key) == people.pimpinan
    listing = io.StringIO()
    call_command("api_token", "list", stdout=listing)
    assert "layar" in listing.getvalue() and key not in listing.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=io.StringIO())
    assert ApiToken.user_for(key) is None
    assert set(
        AuditEvent.objects.filter(object_type="accounts.apitoken").values_list("action", flat=True)
    ) == {
        "api_token.create",
        "api_token.revoke",
    }
    with pytest.raises(CommandError) as refused:
        call_command("api_token", "create", "tidak-ada", "--name", "x")
    assert refused.value.returncode == 2


def test_the_admin_shows_a_new_key_once(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    response = client.post(
        reverse("admin:accounts_apitoken_add"), {"user": people.pimpinan.pk, "name": "dasbor walikota"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    key = response.context["key"]
    assert key.encode() in response.content and token.key_hash == ApiToken.digest(key)
    assert "no-store" in response["Cache-Control"]
    page = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert page.status_code == 200 and key.encode() not in page.content
    audit = AuditEvent.objects.get(action="admin.add", object_type="accounts.apitoken")
    assert "key_hash" not in audit.after
    # Another Pemda's user cannot be chosen.
    refused = client.post(reverse("admin:accounts_apitoken_add"), {"user": people.outsider.pk, "name": "x"})
    assert refused.status_code == 200 and ApiToken.objects.count() == 1
    assert people.pimpinan.role == Role.PIMPINAN
