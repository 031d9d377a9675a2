"""IKM targets against results (issue 24 item 8): each page and document that shows an IKM shows the
target that applies (skm.organisation.targets) and whether it is met — and nothing when none is set.

The answers: the unit all 4s (IKM 99,90 with the weight 0,111), its sibling all 3s (74,925, shown
74,93), on 10 March 2025; the other PD's unit has none. The Pemda's IKM (mean of units) is 87,4125,
shown 87,41: targets equal to the figures as shown are met.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from skm.organisation.models import IkmTarget
from skm.results import sheets
from skm.results.ranges import DateRange
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people, make_service

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 10)
RANGE = {"dari": "2025-01-01", "sampai": "2025-12-31"}


@pytest.fixture
def people():
    people = make_people()
    make_answer(people.unit, dict.fromkeys(ELEMENTS, 4), day=DAY)
    make_answer(people.sibling_unit, dict.fromkeys(ELEMENTS, 3), day=DAY)
    return people


def set_targets(people):
    pemda = people.pemda
    IkmTarget.objects.create(pemda=pemda, unit=None, year=2025, value=Decimal("87.41"))  # met exactly
    IkmTarget.objects.create(pemda=pemda, unit=None, year=None, value=Decimal("95"))  # other years
    IkmTarget.objects.create(pemda=pemda, unit=people.unit, year=None, value=Decimal("99.90"))
    IkmTarget.objects.create(pemda=pemda, unit=people.sibling_unit, year=2025, value=Decimal("80"))
    IkmTarget.objects.create(pemda=pemda, unit=people.sibling_unit, year=2024, value=Decimal("70"))


def test_pemda_page_headline_and_a_target_column(client, people):
    client.force_login(people.pemda_admin)
    html = client.get("/kelola/hasil/pemda/", RANGE).content.decode()
    assert "Target IKM" not in html and ">Target</th>" not in html and "tercapai" not in html
    set_targets(people)
    response = client.get("/kelola/hasil/pemda/", RANGE)
    html = response.content.decode()
    assert response.context["target"] == Decimal("87.41") and response.context["target_met"] is True
    assert "Target IKM: 87,41" in html and ">Target</th>" in html
    rows = {r["name"]: (r["target"], r["met"]) for r in response.context["ranked_rows"]}
    assert rows == {people.unit.name: ("99,90", True), people.sibling_unit.name: ("80,00", False)}
    assert "✓ tercapai" in html and "✗ belum tercapai" in html
    # A Perangkat Daerah has no target of its own; its units keep theirs.
    response = client.get("/kelola/hasil/pemda/", {**RANGE, "pd": people.dinas.pk})
    assert response.context["target"] is None and "Target IKM" not in response.content.decode()
    assert ">Target</th>" in response.content.decode()


def test_unit_page_and_the_sheets(client, people):
    client.force_login(people.pemda_admin)
    unit_url = f"/kelola/hasil/upp/{people.sibling_unit.slug}/"
    for url in (unit_url, f"{unit_url}lembar/", "/kelola/hasil/pemda/lembar/"):
        assert "Target IKM" not in client.get(url, RANGE).content.decode(), url
    set_targets(people)
    html = client.get(unit_url, RANGE).content.decode()
    assert "Target IKM: 80,00" in html and "belum tercapai" in html
    # A service of the unit is not held to the unit's target.
    service = make_service(people.sibling_unit)
    make_answer(people.sibling_unit, dict.fromkeys(ELEMENTS, 3), day=DAY, service=service)
    html = client.get(unit_url, {**RANGE, "layanan": service.slug}).content.decode()
    assert service.name in html and "Target IKM" not in html
    html = client.get(f"{unit_url}lembar/", RANGE).content.decode()
    assert "Target IKM: 80,00" in html and "belum tercapai" in html
    html = client.get("/kelola/hasil/pemda/lembar/", RANGE).content.decode()
    assert "Target IKM: 87,41" in html and "tercapai" in html and "belum tercapai" not in html
    # The PDF is drawn from the same context.
    context = sheets.unit_sheet(
        people.sibling_unit, DateRange(dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025")
    )
    assert context["target"] == Decimal("80.00") and context["target_met"] is False
    assert "Target IKM: 80,00" in sheets.render_html(context, for_pdf=True)


def test_year_over_year_page_and_workbook_have_each_years_target(client, people):
    make_answer(people.sibling_unit, dict.fromkeys(ELEMENTS, 3), day=dt.date(2024, 5, 1))
    client.force_login(people.pemda_admin)
    query = {"tahun": "2025", "banding": "2024"}
    response = client.get("/kelola/hasil/tahunan/", query)
    assert "tercapai" not in response.content.decode()
    book = load_workbook(io.BytesIO(client.get("/kelola/hasil/tahunan.xlsx", query).content)).active
    assert [book.cell(2, c).value for c in (13, 14)] == ["Target 2024", "Target 2025"]
    assert all(book.cell(r, c).value is None for r in range(3, book.max_row + 1) for c in (13, 14))
    set_targets(people)
    response = client.get("/kelola/hasil/tahunan/", query)
    rows = {r.unit.name: r for r in response.context["data"].rows if r.service is None}
    sibling = rows[people.sibling_unit.name]
    assert (sibling.before_target, sibling.after_target) == (Decimal("70.00"), Decimal("80.00"))
    assert (sibling.before_met, sibling.after_met) == (True, False)
    total = response.context["data"].total
    assert (total.before_target, total.after_target) == (Decimal("95.00"), Decimal("87.41"))
    assert rows[people.other_pd_unit.name].after_target is None
    html = response.content.decode()
    assert "✓ tercapai" in html and "✗ belum tercapai" in html and "99,90" in html
    book = load_workbook(io.BytesIO(client.get("/kelola/hasil/tahunan.xlsx", query).content)).active
    by_name = {line[2]: line for line in book.iter_rows(min_row=3, values_only=True) if line[3] is None}
    assert by_name[people.sibling_unit.name][12:14] == (70, 80)
    assert by_name[people.unit.name][12:14] == (99.9, 99.9)
    assert book.cell(3, 13).number_format == "0.00"


def command_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("results", *args, "--from", "2025-01-01", "--to", "2025-12-31", "--json", stdout=out)
    return json.loads(out.getvalue())


def command_text(*args: str) -> str:
    out = io.StringIO()
    call_command("results", *args, "--from", "2025-01-01", "--to", "2025-12-31", stdout=out)
    return out.getvalue()


def test_the_command_and_the_api_carry_the_target(client, people):
    unit_args, pemda_args = ("unit", people.sibling_unit.slug), ("pemda", people.pemda.slug)
    for args in (unit_args, pemda_args):
        document = command_json(*args)
        assert document["target"] is None and document["target_met"] is None
        assert "Target IKM" not in command_text(*args)
    set_targets(people)
    assert (command_json(*unit_args)["target"], command_json(*unit_args)["target_met"]) == (80.0, False)
    assert (command_json(*pemda_args)["target"], command_json(*pemda_args)["target_met"]) == (87.41, True)
    assert "Target IKM: 80,00 — belum tercapai" in command_text(*unit_args)
    assert "Target IKM: 87,41 — tercapai" in command_text(*pemda_args)
    client.force_login(people.pemda_admin)
    api = {"from": "2025-01-01", "to": "2025-12-31"}
    unit_doc = client.get(f"/api/v1/results/units/{people.sibling_unit.slug}", api).json()
    assert (unit_doc["target"], unit_doc["target_met"]) == (80.0, False)
    pemda_doc = client.get(f"/api/v1/results/pemda/{people.pemda.slug}", api).json()
    assert (pemda_doc["target"], pemda_doc["target_met"]) == (87.41, True)
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "target" in schema["UnitResultsOut"]["properties"]
