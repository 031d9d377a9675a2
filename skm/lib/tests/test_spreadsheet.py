"""Text in CSV and XLSX exports never becomes a formula, whatever separator the reader picks."""

from __future__ import annotations

import csv
import datetime as dt
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from skm.lib.spreadsheet import append_safe_row, safe_cell, safe_csv_field, safe_csv_writer
from skm.lib.tests.readers import FORMULA_STARTS, HOSTILE, formula_fields


def written(rows) -> str:
    out = io.StringIO(newline="")
    safe_csv_writer(out).writerows(rows)
    return out.getvalue()


def test_formulas_become_text():
    for dangerous in (
        '=HYPERLINK("http://x","klik")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "＝1",
        "  =1",
    ):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("Pelayanan baik") == "Pelayanan baik"
    assert safe_cell(88.93) == 88.93 and safe_cell(12) == 12 and safe_cell(None) is None


@given(st.text())
def test_no_text_ever_starts_a_formula(text):
    cell = safe_cell(text)
    assert not cell.lstrip().startswith(FORMULA_STARTS)
    assert not cell.startswith(("\t", "\r", "\n"))
    assert cell.endswith(text)


def test_hostile_csv_text_yields_no_formula_with_any_separator():
    text = written([["waktu", hostile, "akhir"] for hostile in HOSTILE])
    assert formula_fields(text) == []
    # Read as written (comma, quotes honoured) nothing is lost but the apostrophes.
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert [row[1].replace("'", "") for row in rows] == [h.replace("'", "") for h in HOSTILE]


def test_every_csv_field_is_quoted_and_the_file_starts_with_a_bom():
    text = written([["a", "b;c", 3]])
    assert text == '\ufeff"a","b;c","3"\r\n'


def test_ordinary_text_is_left_alone():
    for text in ("Pelayanan baik - cepat; ramah", "2026-11-20T12:00:00+08:00", '{"nilai": 3, "ket": "ok"}'):
        assert safe_csv_field(text) == text


@given(st.lists(st.lists(st.text() | st.none(), max_size=4), max_size=4))
def test_no_csv_field_ever_starts_a_formula(rows):
    # Text only: numbers are written as numbers, and -1 is a number, not a formula.
    assert formula_fields(written(rows)) == []


def test_xlsx_text_is_a_string_cell_never_a_formula():
    workbook = Workbook()
    when = dt.datetime(2026, 11, 20, 8, 30)
    append_safe_row(workbook.active, ['=HYPERLINK("http://x")', "#N/A", "-1", 7, None, 2.5, when])
    out = io.BytesIO()
    workbook.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.data_type for c in row[:3]] == ["s", "s", "s"]
    assert [c.value for c in row] == ['\'=HYPERLINK("http://x")', "#N/A", "'-1", 7, None, 2.5, when]
