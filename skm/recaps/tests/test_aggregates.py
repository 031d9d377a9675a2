"""The aggregate of a recap by the three methods of SPEC §4: a unit counted once, no data left
out and named, rows without unsur values counted by their IKM only, pooled approximated."""

from __future__ import annotations

from fractions import Fraction

from skm.recaps.reader import read_recap
from skm.recaps.report import check_recap
from skm.recaps.tests.builders import row, write_csv
from skm.scoring import Weight, ikm_from_converted

ROWS = [
    # A unit with an annual row and its semesters: counted once, by its annual row.
    row(
        "RSUD RATU ZALECHA",
        "Tahunan",
        "88,55 88,13 85,94 91,68 88,51 88,69 89,08 86,88 90,20",
        "88,64",
        "A (Sangat Baik)",
        4083,
    ),
    row(
        "RSUD RATU ZALECHA",
        "Semester 1",
        "87,40 87,48 84,65 91,68 87,15 87,28 87,68 85,65 89,55",
        "87,61",
        "B (Baik)",
        1686,
    ),
    row(
        "RSUD RATU ZALECHA",
        "Semester II",
        "89,70 88,78 87,23 91,68 89,88 90,10 90,48 88,10 90,85",
        "89,66",
        "A (Sangat Baik)",
        2397,
    ),
    # A unit with only semesters: the year is their unweighted mean, n their sum.
    row(
        "UPTD PUSKESMAS ARANIO",
        "Semester I",
        "80,56 81,79 80,40 89,66 83,02 83,95 84,26 96,45 80,09",
        "84,47",
        "B (Baik)",
        162,
    ),
    row(
        "UPTD PUSKESMAS ARANIO",
        "Semester II",
        "80,75 81,75 81,25 91,25 83,00 84,00 83,50 94,50 80,00",
        "84,51",
        "B (Baik)",
        160,
    ),
    # An annual unit.
    row(
        "KECAMATAN KARANG INTAN",
        "Tahunan",
        "86,5 85,75 86 86,5 85,75 87 86 86,75 87,75",
        "86,51",
        "B (Baik)",
        130,
    ),
    # Surveyed with another app: IKM only.
    row("KLINIK PRATAMA", "Tahunan", "", "91,20", "A", 57),
    # No respondents.
    row("KELURAHAN SEPI", "Tahunan", "", "0,00", "", 0),
]


def report(tmp_path, weight=None):
    return check_recap(read_recap(write_csv(tmp_path / "rekap.csv", ROWS)), weight)


def by_method(rep):
    return {a.method.value: a for a in rep.aggregates}


def test_three_methods_in_order(tmp_path):
    assert list(by_method(report(tmp_path))) == ["mean_of_units", "pooled", "respondent_weighted"]


def test_mean_of_units_counts_each_unit_once_and_leaves_out_no_data(tmp_path):
    mean = by_method(report(tmp_path))["mean_of_units"]
    aranio = (Fraction("84.47") + Fraction("84.51")) / 2
    expected = (Fraction("88.64") + aranio + Fraction("86.51") + Fraction("91.20")) / 4
    assert mean.units == 4
    assert mean.ikm == expected
    assert mean.n == 4083 + 162 + 160 + 130 + 57
    left = {(x.row, x.code) for x in mean.left_out}
    assert left == {(3, "represented_by_annual"), (4, "represented_by_annual"), (9, "no_data")}
    assert mean.ikm_only_rows == (8,)
    assert any("Baris 8 tanpa nilai unsur" in note for note in mean.notes)


def test_respondent_weighted(tmp_path):
    weighted = by_method(report(tmp_path))["respondent_weighted"]
    aranio = (Fraction("84.47") + Fraction("84.51")) / 2
    total = Fraction("88.64") * 4083 + aranio * 322 + Fraction("86.51") * 130 + Fraction("91.20") * 57
    assert weighted.ikm == total / (4083 + 322 + 130 + 57)


def test_pooled_is_the_n_weighted_mean_of_nrr_over_rows_with_unsur_values(tmp_path):
    rep = report(tmp_path, Weight.NINTH)
    pooled = by_method(rep)["pooled"]
    assert pooled.approximation is not None
    assert "rata-rata NRR per unsur tertimbang jumlah responden" in pooled.approximation
    # Rows representing units: RSUD annual, Aranio's two semesters, Karang Intan.
    members = {2: 4083, 5: 162, 6: 160, 7: 130}
    values = {r.recap.row: r.unsur_values for r in rep.rows}
    n = sum(members.values())
    converted = [sum(values[r][i] * k for r, k in members.items()) / n for i in range(9)]
    assert pooled.ikm == ikm_from_converted(converted, Weight.NINTH)
    assert pooled.n == n
    assert pooled.units == 3
    assert {(x.row, x.code) for x in pooled.left_out} >= {(8, "no_unsur_for_pooled"), (9, "no_data")}


def test_weight_is_chosen_from_the_rows_or_given(tmp_path):
    assert report(tmp_path).weight is Weight.NINTH
    given = report(tmp_path, Weight.W0111)
    assert given.weight is Weight.W0111
    assert all(a.weight is Weight.W0111 for a in given.aggregates)


def test_only_no_data_gives_no_aggregate(tmp_path):
    path = write_csv(tmp_path / "rekap.csv", [row("KELURAHAN SEPI", "Tahunan", "", "0,00", "", 0)])
    rep = check_recap(read_recap(path))
    assert all(a.ikm is None and not a.computable for a in rep.aggregates)
    assert rep.exit_code == 0


def test_services_of_one_unit_are_averaged_into_the_unit(tmp_path):
    rows = [
        row("DINAS PERHUBUNGAN", "Tahunan", "", "82,54", "B", 28, layanan="Layanan Izin Parkir"),
        row("DINAS PERHUBUNGAN", "Tahunan", "", "83,74", "B", 365, layanan="Fasilitas Lalu Lintas"),
        row("DINAS SOSIAL", "Tahunan", "", "90,00", "A", 100),
    ]
    rep = check_recap(read_recap(write_csv(tmp_path / "rekap.csv", rows)))
    mean = by_method(rep)["mean_of_units"]
    assert mean.units == 2
    assert mean.ikm == ((Fraction("82.54") + Fraction("83.74")) / 2 + 90) / 2
    assert rep.problem_count == 0
