"""Verdicts of real rows from seeds 001 (weight 0.111) and 003 (weight 1/9), errors included."""

from __future__ import annotations

import pytest

from skm.recaps.reader import read_recap
from skm.recaps.report import check_recap
from skm.recaps.tests.builders import write_csv, write_xlsx
from skm.recaps.tests.seeds import SEED_001, SEED_003


def _check(tmp_path, seed, writer=write_csv):
    path = writer(tmp_path / ("seed.xlsx" if writer is write_xlsx else "seed.csv"), [r for r, _, _ in seed])
    return check_recap(read_recap(path))


@pytest.mark.parametrize(("seed", "name"), [(SEED_001, "001"), (SEED_003, "003")])
def test_each_seed_row_gets_its_verdict_and_problems(tmp_path, seed, name):
    report = _check(tmp_path, seed)
    got = [
        (r.recap.upp, r.recap.periode.label, r.verdict.value, {p.code for p in r.problems})
        for r in report.rows
    ]
    expected = [(cells["upp"], cells["periode"], verdict, codes) for cells, verdict, codes in seed]
    assert got == expected


@pytest.mark.parametrize("seed", [SEED_001, SEED_003])
def test_seed_verdicts_are_the_same_from_numeric_xlsx(tmp_path, seed):
    csv_report = _check(tmp_path, seed)
    xlsx_report = _check(tmp_path, seed, write_xlsx)
    assert [r.verdict for r in xlsx_report.rows] == [r.verdict for r in csv_report.rows]


def test_seed_001_follows_0111_and_seed_003_follows_1_9(tmp_path):
    assert _check(tmp_path, SEED_001).weight.value == "0.111"
    assert _check(tmp_path, SEED_003).weight.value == "1/9"


def test_seed_001_copied_column_and_nrr_among_converted_are_explained(tmp_path):
    messages = {r.recap.upp: [p.message for p in r.problems] for r in _check(tmp_path, SEED_001).rows}
    bappeda = messages["Badan Perencanaan Pembangunan Daerah - Penelitian dan Pengembangan"]
    assert bappeda == [
        "IKM 84,56 tidak sesuai dengan nilai unsur: dengan bobot 0,111 seharusnya 84,31, dengan "
        "bobot 1/9 seharusnya 84,40. IKM sama dengan nilai U9: kemungkinan salah salin kolom."
    ]
    assert messages["Kecamatan Banjarmasin Timur"] == [
        "Nilai U8 3,76 di luar skala konversi 25–100. Tampaknya nilai NRR: 3,76 × 25 = 94,00. "
        "Dengan nilai itu IKM cocok dengan bobot 0,111."
    ]


def test_seed_003_rsud_ratu_zalecha_annual_is_the_mean_of_its_semesters(tmp_path):
    report = _check(tmp_path, SEED_003)
    annual = next(
        r for r in report.rows if r.recap.upp == "RSUD RATU ZALECHA" and r.recap.periode.label == "Tahunan"
    )
    assert annual.annual is not None
    assert annual.annual.ok is True
    assert annual.annual.n_expected == 4083
    assert f"{float(annual.annual.ikm_expected):.3f}" == "88.635"
    assert annual.annual.periods == ("Semester I", "Semester II")


def test_seed_003_sungai_tabuk_2_semesters_name_each_other_as_copies(tmp_path):
    rows = {(r.recap.upp, r.recap.periode.label): r for r in _check(tmp_path, SEED_003).rows}
    first = rows[("UPTD PUSKESMAS SUNGAI TABUK 2", "Semester 1")]
    second = rows[("UPTD PUSKESMAS SUNGAI TABUK 2", "Semester 2")]
    assert first.copy_of == [second.recap.row]
    assert second.copy_of == [first.recap.row]
    assert [p.message for p in first.problems] == [
        f"Nilai unsur sama persis dengan baris {second.recap.row} (UPTD PUSKESMAS SUNGAI TABUK 2, "
        "Semester 2): kemungkinan disalin."
    ]
