"""Year over year (/kelola/hasil/tahunan/ and .xlsx): each unit and service in two years, figures
equal the scoring core on the raw answers of each year (both weights, both element orders); the
XLSX read back; scoping; bad years; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from skm.collection.models import Answer, DailyRollup, MonthlyRollup
from skm.organisation.tests.builders import every_unit_has_a_target
from skm.results.tests.test_pemda_page import PdWorld
from skm.results.tests.test_results_command import HYPOTHESIS, SETUPS
from skm.scoring import ELEMENTS, Method, Part, aggregate, round_half_up, score_answers
from skm.testing import make_answer, make_people, make_service, make_unit

pytestmark = pytest.mark.django_db

URL = "/kelola/hasil/tahunan/"
XLSX = "/kelola/hasil/tahunan.xlsx"

drawn_answer = st.fixed_dictionaries(
    {
        "values": st.fixed_dictionaries({e: st.sampled_from([None, 1, 2, 3, 4, 4]) for e in ELEMENTS}),
        "unit": st.integers(0, 3),
        "service": st.integers(0, 2),
        "year": st.sampled_from([2024, 2025]),
        "excluded": st.booleans(),
    }
)


@pytest.fixture(params=SETUPS, ids=["0.111", "1/9", "0.111-aduan-dulu", "1/9-aduan-dulu"])
def world(request) -> PdWorld:
    return PdWorld(*request.param)


def _store(world, drawn):
    from skm.collection import changes

    Answer.objects.all().delete()
    DailyRollup.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    stored = []
    for item in drawn:
        unit = world.units[item["unit"]]
        service = world.services[item["service"]] if unit == world.units[0] and item["service"] < 2 else None
        row = make_answer(unit, dict(item["values"]), day=dt.date(item["year"], 6, 1), service=service)
        if item["excluded"]:
            row = changes.set_excluded(row, True, user=None, reason="uji")
        stored.append((row, item["values"]))
    return stored


def _raw(stored, year, unit, service="any"):
    return [
        v
        for row, v in stored
        if row.day.year == year
        and not row.excluded
        and row.unit_id == unit.pk
        and (service == "any" or row.service_id == service.pk)
    ]


@HYPOTHESIS
@given(drawn=st.lists(drawn_answer, max_size=30))
def test_figures_equal_the_core_per_unit_and_service_on_page_and_sheet(client, world, drawn):
    stored = _store(world, drawn)
    client.force_login(world.admin)
    response = client.get(f"{URL}?tahun=2025&banding=2024")
    assert response.status_code == 200
    data = response.context["data"]
    sheet = load_workbook(io.BytesIO(client.get(f"{XLSX}?tahun=2025&banding=2024").content)).active
    lines = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(lines) == len(data.rows) + 1
    places = world.pemda.display_precision
    for row, line in zip(data.rows, lines, strict=False):
        for figure, year, cells in ((row.before, 2024, line[4:7]), (row.after, 2025, line[7:10])):
            score = score_answers(
                _raw(stored, year, row.unit, row.service or "any"), world.weight, world.order
            )
            assert (figure.ikm, figure.n) == (score.ikm, score.n)
            shown = None if score.ikm is None else float(round_half_up(score.ikm, places))
            assert cells == (shown, score.band.mutu if score.band else None, score.n)
        assert line[2] == row.unit.name and line[3] == (row.service.name if row.service else None)
        if row.before.ikm is not None and row.after.ikm is not None:
            change = round_half_up(score.ikm, places) - round_half_up(row.before.ikm, places)
            assert row.change == change and line[10] == pytest.approx(float(change))
    # The Pemda's own figure each year: the default method over the units of that year.
    for year, figure in ((2024, data.total.before), (2025, data.total.after)):
        parts = []
        for unit in world.pemda.units.all():
            score = score_answers(_raw(stored, year, unit), world.weight, world.order)
            if not (score.n and score.ikm is None):
                parts.append(Part.from_score(unit.name, score))
        incomplete = len(parts) < world.pemda.units.count()
        if not incomplete:
            expected = aggregate(parts, Method(world.pemda.aggregation_method), weight=world.weight)
            assert figure.ikm == expected.ikm


def test_sheet_has_a_title_a_frozen_header_and_number_formats(client):
    people = make_people()
    make_service(people.unit, '=HYPERLINK("x")')
    make_answer(people.unit, dict.fromkeys(ELEMENTS, 4), day=dt.date(2025, 3, 1))
    make_answer(people.unit, dict.fromkeys(ELEMENTS, 3), day=dt.date(2024, 3, 1))
    client.force_login(people.pemda_admin)
    response = client.get(f"{XLSX}?tahun=2025&banding=2024")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert "2024" in sheet["A1"].value and "2025" in sheet["A1"].value
    assert sheet.freeze_panes == "A3"
    assert sheet["E2"].value == "IKM 2024" and sheet["H2"].value == "IKM 2025"
    first = sheet[3]
    assert first[7].data_type == "n" and first[7].number_format == "0.00"
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("x")' in texts and not any(t.startswith("=") for t in texts)
    html = client.get(f"{URL}?tahun=2025&banding=2024").content.decode()
    assert "▲ +" in html


def test_each_role_sees_its_own_units(client):
    people = make_people()
    service = make_service(people.unit, "Poli Umum")
    for unit in (people.unit, people.sibling_unit, people.other_pd_unit):
        make_answer(unit, day=dt.date(2025, 5, 1))
    seen = {}
    for user in (people.pemda_admin, people.pimpinan, people.pd_admin, people.unit_admin, people.outsider):
        client.force_login(user)
        response = client.get(f"{URL}?tahun=2025&banding=2024")
        assert response.status_code == 200
        seen[user.username] = {
            (r.unit.name, r.service and r.service.name) for r in response.context["data"].rows
        }
    everything = {
        ("Puskesmas Terminal", None),
        ("Puskesmas Terminal", service.name),
        ("Puskesmas Cempaka", None),
        ("Kelurahan Alalak", None),
    }
    assert seen["pemda"] == seen["walikota"] == everything
    assert seen["dinkes"] == everything - {("Kelurahan Alalak", None)}
    assert seen["puskesmas"] == {("Puskesmas Terminal", None), ("Puskesmas Terminal", service.name)}
    assert seen["lain"] == {("Puskesmas Lain", None)}


def test_bad_years_say_so_and_fall_back(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    for query in ("tahun=abc", "tahun=1999", "banding=3000"):
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200
        assert "Tahun harus antara 2000 dan" in response.content.decode()
    response = client.get(f"{URL}?tahun=2025&banding=2025")
    assert "Pilih dua tahun yang berbeda" in response.content.decode()
    assert client.get(f"{XLSX}?tahun=abc").status_code == 400


@pytest.mark.parametrize("units", [3, 30])
def test_query_count_does_not_grow_with_units(client, django_assert_num_queries, units):
    people = make_people()
    for i in range(units - 3):
        unit = make_unit(people.dinas, f"Unit Tambahan {i}")
        make_service(unit)
        make_answer(unit, day=dt.date(2025, 5, 1))
    every_unit_has_a_target(people.pemda)
    client.force_login(people.pemda_admin)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        assert client.get(f"{URL}?tahun=2025&banding=2024").status_code == 200
    with django_assert_num_queries(QUERIES):
        assert client.get(f"{XLSX}?tahun=2025&banding=2024").status_code == 200


QUERIES = 16  # +1: the snapshots of closed periods (a year may be a closed Tahunan); +1: both years' targets of the Pemda and every unit in one query; +2: stored recaps of the units and of the place total (skm.recaps.stored)
