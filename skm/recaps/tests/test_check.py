"""Rows corrupted on purpose: each error is caught with a plain Indonesian reason."""

from __future__ import annotations

import pytest

from skm.recaps.reader import read_recap
from skm.recaps.report import check_recap
from skm.recaps.row_check import read_category
from skm.recaps.rows import parse_count
from skm.recaps.tests.builders import row, write_csv
from skm.recaps.verdicts import Verdict

# Seed 003, UPTD Puskesmas Sambung Makmur (lines ~749–752): two semesters, NRR with 3 decimals.
SEM_1 = row(
    "UPTD PUSKESMAS SAMBUNG MAKMUR",
    "Semester I",
    "3,386 3,392 3,365 3,370 3,344 3,381 3,429 3,323 3,439",
    "84,52",
    "B (Baik)",
    189,
    metode="Manual",
)
SEM_2 = row(
    "UPTD Puskesmas Sambung-Makmur",
    "SEMESTER II",
    "3,508 3,497 3,411 3,416 3,454 3,535 3,497 3,438 3,459",
    "86,712",
    "B (Baik)",
    185,
    metode="Manual",
)
# The annual row built the way seed 003 builds it: unsur and IKM the means, n the sum.
ANNUAL_VALUES = "86,18 86,11 84,70 84,83 84,98 86,45 86,58 84,51 86,23"


def annual(values=ANNUAL_VALUES, ikm="85,62", n=374, kategori="B (Baik)"):
    return row("UPTD PUSKESMAS SAMBUNG MAKMUR", "Tahunan", values, ikm, kategori, n)


def check(tmp_path, rows):
    return check_recap(read_recap(write_csv(tmp_path / "rekap.csv", rows)))


def problems(result):
    return [(p.code, p.message) for p in result.problems]


def test_a_correct_annual_row_passes_its_check(tmp_path):
    report = check(tmp_path, [annual(), SEM_1, SEM_2])
    first = report.rows[0]
    assert first.verdict is Verdict.NINTH
    assert first.annual is not None and first.annual.ok is True
    assert first.annual.subperiod_rows == (3, 4)
    assert report.problem_count == 0
    assert report.exit_code == 0


def test_annual_n_that_is_not_the_sum_of_the_semesters(tmp_path):
    report = check(tmp_path, [annual(n=400), SEM_1, SEM_2])
    assert problems(report.rows[0]) == [
        ("annual_n", "Jumlah responden tahunan 400 bukan jumlah semester (189 + 185 = 374).")
    ]


def test_annual_ikm_that_is_not_the_mean_of_the_semesters(tmp_path):
    # 85,58 is what the unsur values give with 0.111 — but not the mean of 84,52 and 86,712.
    report = check(tmp_path, [annual(ikm="85,53"), SEM_1, SEM_2])
    codes = [code for code, _ in problems(report.rows[0])]
    assert codes == ["annual_ikm"]
    assert report.rows[0].verdict is Verdict.W0111
    assert problems(report.rows[0])[0][1] == (
        "IKM tahunan 85,53 bukan rata-rata semester ((84,52 + 86,712) / 2 = 85,62)."
    )


def test_annual_unsur_that_are_not_the_means(tmp_path):
    values = "86,18 86,11 84,70 84,83 84,98 86,45 86,58 84,51 88,23"
    report = check(tmp_path, [annual(values=values, ikm="85,84"), SEM_1, SEM_2])
    assert problems(report.rows[0]) == [
        (
            "annual_unsur",
            "Nilai unsur tahunan bukan rata-rata semester: U9 88,23 (seharusnya 86,23).",
        ),
        (
            "annual_ikm",
            "IKM tahunan 85,84 bukan rata-rata semester ((84,52 + 86,712) / 2 = 85,62).",
        ),
    ]


def test_annual_ikm_weighted_by_respondents_is_named(tmp_path):
    # Seed 003 RSUD Ratu Zalecha: the weighted mean would be 88,81, the rule gives 88,64.
    rows = [
        row("RSUD", "Tahunan", "", "88,81", "A", 4083),
        row("RSUD", "Semester I", "", "87,61", "B", 1686),
        row("RSUD", "Semester II", "", "89,66", "A", 2397),
    ]
    ((code, message),) = problems(check(tmp_path, rows).rows[0])
    assert code == "annual_ikm"
    assert message == (
        "IKM tahunan 88,81 bukan rata-rata semester ((87,61 + 89,66) / 2 = 88,64). Cocok dengan "
        "rata-rata tertimbang jumlah responden (88,81), padahal tahunan dihitung sebagai "
        "rata-rata biasa."
    )


def test_annual_against_quarters_with_one_missing(tmp_path):
    rows = [
        row("DISDUKCAPIL", "Tahunan", "", "95,00", "A", 300),
        row("DISDUKCAPIL", "Triwulan I", "", "95,49", "A", 100),
        row("DISDUKCAPIL", "TW II", "", "94,76", "A", 100),
        row("DISDUKCAPIL", "Triwulan 3", "", "94,76", "A", 100),
    ]
    first = check(tmp_path, rows).rows[0]
    assert first.annual is not None
    assert first.annual.periods == ("Triwulan I", "Triwulan II", "Triwulan III")
    assert first.annual.ok is True
    assert [n.message for n in first.notes if n.code == "annual_partial"] == [
        "Pemeriksaan tahunan hanya memakai Triwulan I, Triwulan II, Triwulan III; Triwulan IV "
        "tidak ada di rekap."
    ]


def test_copied_unsur_values_across_two_units(tmp_path):
    values = "3,54 3,4 3,27 3,34 3,37 3,39 3,43 3,42 3,4"
    rows = [
        row("UPTD PUSKESMAS BERUNTUNG BARU", "Tahunan", values, "84,89", "B (Baik)", 378),
        row("KELURAHAN X", "Tahunan", "3,46 3,46 3,49 3,35 3,48 3,54 3,53 3,46 3,47", "86,78", "B", 153),
        # Same nine values, written differently ("3,40" is "3,4").
        row(
            "UPTD PUSKESMAS MARTAPURA 2",
            "Semester I",
            "3,54 3,40 3,27 3,34 3,37 3,39 3,43 3,42 3,40",
            "84,88",
            "B (Baik)",
            189,
        ),
    ]
    report = check(tmp_path, rows)
    assert report.rows[0].copy_of == [4]
    assert report.rows[2].copy_of == [2]
    assert report.rows[1].copy_of == []
    assert (
        "copy",
        "Nilai unsur sama persis dengan baris 4 (UPTD PUSKESMAS MARTAPURA 2, "
        "Semester I): kemungkinan disalin.",
    ) in problems(report.rows[0])


def test_annual_row_repeating_its_only_semester_is_not_a_copy(tmp_path):
    values = "3,54 3,4 3,27 3,34 3,37 3,39 3,43 3,42 3,4"
    rows = [row("U", "Tahunan", values, "84,89", "B", 189), row("U", "Semester I", values, "84,89", "B", 189)]
    report = check(tmp_path, rows)
    assert [r.copy_of for r in report.rows] == [[], []]


def test_wrong_ikm(tmp_path):
    # Seed 003's Pemda per-unsur averages (its 87,60 row) with seed 001's 88,16 as the IKM.
    rows = [
        row(
            "Kelurahan Pemurus Baru",
            "Tahunan",
            "87,31 87,36 86,12 90,41 86,83 87,23 87,97 87,48 87,65",
            "88,16",
            "B (Baik)",
            384,
        )
    ]
    result = check(tmp_path, rows).rows[0]
    assert result.verdict is Verdict.INCONSISTENT
    assert problems(result) == [
        (
            "ikm_mismatch",
            "IKM 88,16 tidak sesuai dengan nilai unsur: dengan bobot 0,111 "
            "seharusnya 87,51, dengan bobot 1/9 seharusnya 87,60.",
        )
    ]


def test_truncated_ikm_is_explained():
    # 0.111 × 802,3 = 89,0553 printed 89,05 (seed 001 truncates, SPEC §4).
    from skm.recaps.reader import RawRow
    from skm.recaps.row_check import check_row
    from skm.recaps.rows import parse_row

    cells = {f"u{i}": "89,1444" for i in range(1, 10)}
    cells.update(upp="X", periode="Tahunan", ikm="89,05", jumlah_responden="10")
    result = check_row(parse_row(RawRow(2, cells)))
    assert result.verdict is Verdict.INCONSISTENT
    assert result.problems[0].message.endswith(
        "IKM tampaknya dipotong, bukan dibulatkan (bobot 0,111: 89,0553 → 89,05)."
    )


@pytest.mark.parametrize(
    ("kategori", "ok"),
    [
        ("A", False),
        ("Sangat Baik", False),
        ("A (sangat Baik)", False),
        ("B (bAIK)", True),
        ("b", True),
        ("Baik", True),
        ("(B atau Baik)", True),
        ("B(Baik)", True),
    ],
)
def test_category_against_the_band_of_the_published_ikm(tmp_path, kategori, ok):
    rows = [row("Unit", "Tahunan", "3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5", "87,50", kategori, 100)]
    result = check(tmp_path, rows).rows[0]
    assert result.category is not None and result.category.ok is ok
    if not ok:
        assert problems(result) == [
            (
                "category_mismatch",
                f"Kategori '{kategori}' tidak sesuai dengan IKM 87,50 (seharusnya B – Baik).",
            )
        ]


def test_category_edge_is_decided_on_two_decimals(tmp_path):
    # 88,305 rounds half up to 88,31: A. 88,304 → 88,30: B.
    rows = [row("U1", "Tahunan", "", "88,305", "A", 10), row("U2", "Tahunan", "", "88,304", "A", 10)]
    report = check(tmp_path, rows)
    assert [r.category.ok for r in report.rows] == [True, False]


def test_category_that_contradicts_itself(tmp_path):
    result = check(tmp_path, [row("U", "Tahunan", "", "90,00", "A (Baik)", 10)]).rows[0]
    assert (
        "category_conflict",
        "Kategori 'A (Baik)' bertentangan sendiri: mutu A berarti 'Sangat Baik', bukan 'Baik'.",
    ) in problems(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B (bAIK)", ("B", "Baik")),
        ("Sangat Baik", (None, "Sangat Baik")),
        ("C (Kurang Baik)", ("C", "Kurang Baik")),
        ("d", ("D", None)),
        ("-", (None, None)),
    ],
)
def test_read_category(text, expected):
    assert read_category(text) == expected


def test_no_data_rows(tmp_path):
    rows = [
        row("Kelurahan Kosong", "Tahunan", "", "0,00", "", 0),
        row("Kelurahan Sepi", "Semester I", "", "", "", ""),
        row("Kelurahan Aneh", "Tahunan", "", "85,00", "B", 0),
    ]
    report = check(tmp_path, rows)
    assert [r.verdict for r in report.rows] == [Verdict.NO_DATA] * 3
    assert problems(report.rows[0]) == []
    assert problems(report.rows[1]) == []
    assert problems(report.rows[2]) == [
        (
            "respondents_zero_with_data",
            "Jumlah responden 0, tetapi IKM dicantumkan: baris dianggap tanpa data.",
        )
    ]


def test_unverifiable_row(tmp_path):
    result = check(tmp_path, [row("Klinik Pratama", "Tahunan", "", "91,20", "A", 57)]).rows[0]
    assert result.verdict is Verdict.UNVERIFIABLE
    assert problems(result) == []
    assert [n.code for n in result.notes] == ["unverifiable"]


def test_incomplete_unsur_values(tmp_path):
    cells = row("U", "Tahunan", "3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5", "87,50", "B", 10)
    cells["u3"] = ""
    cells["u7"] = "-"
    result = check(tmp_path, [cells]).rows[0]
    assert result.verdict is Verdict.UNVERIFIABLE
    assert problems(result) == [
        ("unsur_incomplete", "Nilai unsur tidak lengkap: U3, U7 kosong, IKM tidak dapat diperiksa.")
    ]


def test_out_of_scale_values(tmp_path):
    rows = [
        row("NRR", "Tahunan", "3,5 3,5 3,5 4,5 3,5 3,5 3,5 3,5 3,5", "87,50", "B", 10),
        row("Konversi", "Tahunan", "87,5 87,5 87,5 87,5 87,5 87,5 87,5 87,5 187,5", "87,50", "B", 10),
        row("IKM", "Tahunan", "", "105,00", "", 10),
        row("IKM skala 1-4", "Tahunan", "", "3,50", "", 10),
    ]
    report = check(tmp_path, rows)
    assert problems(report.rows[0]) == [("unsur_out_of_scale", "Nilai U4 4,5 di luar skala NRR 1–4.")]
    assert problems(report.rows[1]) == [
        ("unsur_out_of_scale", "Nilai U9 187,5 di luar skala konversi 25–100.")
    ]
    assert problems(report.rows[2]) == [("ikm_out_of_scale", "IKM 105,00 di luar skala 25–100.")]
    assert problems(report.rows[3]) == [
        ("ikm_out_of_scale", "IKM 3,50 di luar skala 25–100. Tampaknya IKM skala 1–4: 3,50 × 25 = 87,50.")
    ]
    assert [r.verdict for r in report.rows[:2]] == [Verdict.UNVERIFIABLE] * 2


def test_unreadable_value(tmp_path):
    cells = row("U", "Tahunan", "3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5", "delapan puluh", "B", 10)
    result = check(tmp_path, [cells]).rows[0]
    assert ("value_unreadable", "Nilai IKM 'delapan puluh' bukan angka.") in problems(result)


@pytest.mark.parametrize(
    ("n", "populasi", "expected"),
    [
        (12, "1.000", [("sample_short", "Sampel kurang: 12 responden, perlu 278 untuk populasi 1.000.")]),
        (278, "1000", []),
        (400, "1 000 000", []),
        (60, "50", [("sample_exceeds_population", "Jumlah responden 60 melebihi populasi 50.")]),
    ],
)
def test_sample_adequacy(tmp_path, n, populasi, expected):
    rows = [row("U", "Tahunan", "", "90,00", "A", n, populasi=populasi)]
    result = check(tmp_path, rows).rows[0]
    assert problems(result) == expected
    assert result.sample is not None


def test_no_population_no_sample_check(tmp_path):
    assert check(tmp_path, [row("U", "Tahunan", "", "90,00", "A", 3)]).rows[0].sample is None


@pytest.mark.parametrize(
    ("text", "value"), [("1.000", 1000), ("1,000", 1000), ("1 686", 1686), ("400", 400), ("-", None)]
)
def test_parse_count(text, value):
    assert parse_count(text) == value


def test_duplicate_semester_rows_of_one_unit(tmp_path):
    rows = [
        row("UPTD PUSKESMAS PENGARON", "Tahunan", "", "88,00", "B", 378),
        row("UPTD PUSKESMAS PENGARON", "Semester I", "", "88,67", "A", 189),
        row("UPTD PUSKESMAS PENGARON", "Semester 1", "", "84,52", "B", 189),
    ]
    report = check(tmp_path, rows)
    assert (
        "period_duplicate",
        "UPTD PUSKESMAS PENGARON punya lebih dari satu baris Semester I (baris 3, 4).",
    ) in problems(report.rows[1])
    assert report.rows[0].annual is not None
    assert report.rows[0].annual.ok is None


def test_metode_is_normalised_and_kept(tmp_path):
    rows = [
        row("U", "Tahunan", "", "90,00", "A", 10, metode="SKM Offline (Manual)"),
        row("V", "Tahunan", "", "90,00", "A", 10, metode="Semaphore"),
    ]
    report = check(tmp_path, rows)
    assert report.rows[0].recap.metode.as_dict() == {
        "original": "SKM Offline (Manual)",
        "normalised": "manual",
    }
    assert report.rows[1].recap.metode.normalised is None
    assert [n.code for n in report.rows[1].notes] == ["method_unknown", "unverifiable"]


def test_missing_ikm_missing_n_and_missing_unit(tmp_path):
    rows = [
        row("U", "Semester II", "3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5 3,5", "", "", 10),
        row("V", "Tahunan", "3,6 3,6 3,6 3,6 3,6 3,6 3,6 3,6 3,6", "90,00", "A", ""),
        row("", "Tahunan", "", "87,50", "B", 10),
    ]
    report = check(tmp_path, rows)
    assert report.rows[0].verdict is Verdict.UNVERIFIABLE
    assert problems(report.rows[0]) == [
        (
            "ikm_missing",
            "IKM tidak dicantumkan. Dari nilai unsur: dengan bobot 0,111 87,41, dengan bobot 1/9 87,50.",
        )
    ]
    assert report.rows[1].verdict is Verdict.AMBIGUOUS  # one decimal: too coarse
    assert problems(report.rows[1]) == [
        ("respondents_missing", "Jumlah responden kosong, padahal IKM atau nilai unsur dicantumkan.")
    ]
    assert problems(report.rows[2]) == [("unit_missing", "Nama unit (upp) kosong.")]
    left = {(x.row, x.code) for x in report.aggregates[0].left_out}
    assert (3, "respondents_missing") in left


def test_one_unit_printed_twice_with_different_figures(tmp_path):
    # Seed 001 prints Kelurahan Pemurus Baru as 88,16 B (n 384) in one table, 88,43 A (n 328) in
    # another (SPEC §5: that must be impossible).
    rows = [
        row("Kelurahan Pemurus Baru", "Tahunan", "", "88,16", "B (Baik)", 384),
        row("KELURAHAN PEMURUS BARU", "Tahunan", "", "88,43", "A (Sangat Baik)", 328),
    ]
    report = check(tmp_path, rows)
    for result in report.rows:
        assert [code for code, _ in problems(result)] == ["period_duplicate"]
    assert problems(report.rows[0])[0][1] == (
        "Kelurahan Pemurus Baru punya lebih dari satu baris Tahunan (baris 2, 3)."
    )
    mean = report.aggregates[0]
    assert mean.units == 1
    assert [(x.row, x.code) for x in mean.left_out] == [(3, "annual_duplicate")]
