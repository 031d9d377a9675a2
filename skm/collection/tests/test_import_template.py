"""The import templates (.xlsx and .csv) carry names and headers as text, never as formulas."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from skm.collection import importing
from skm.instrument.spec import current_spec
from skm.lib.spreadsheet import safe_cell
from skm.lib.tests.readers import formula_fields
from skm.organisation.setup import create_pemda
from skm.testing import make_pd, make_service, make_unit

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x")'


@pytest.mark.parametrize("service", [HYPERLINK, "#N/A", "-1 Poli Umum"])
def test_xlsx_service_name_is_a_string_cell(people, service):
    unit = make_unit(people.dinas, "Puskesmas Uji")
    make_service(unit, service)
    workbook = load_workbook(io.BytesIO(importing.template_xlsx(unit, current_spec(unit.pemda_id))))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.value for c in cells if c.data_type != "s"] == []
    (layanan,) = [row for row in workbook["Petunjuk"].iter_rows() if row[0].value == "layanan"]
    assert layanan[2].value == safe_cell(service)


def test_csv_headers_are_no_formula_read_with_semicolon_or_comma():
    pemda = create_pemda(
        name="Kota Uji", slug="kota-uji", level="kota", headers={"prosedur": "x;" + HYPERLINK}
    )
    unit = make_unit(make_pd(pemda), "Puskesmas Uji")
    text = importing.template_csv(unit, current_spec(pemda.pk)).decode("utf-8")
    assert "HYPERLINK" in text
    assert formula_fields(text) == []
