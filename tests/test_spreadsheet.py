from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from skm.lib.spreadsheet import safe_cell


def test_formulas_become_text():
    for dangerous in (
        '=HYPERLINK("http://x","klik")',
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "＝1",
    ):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("Pelayanan baik") == "Pelayanan baik"
    assert safe_cell(88.93) == 88.93 and safe_cell(12) == 12 and safe_cell(None) is None


@given(st.text())
def test_no_text_ever_starts_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.endswith(text)
