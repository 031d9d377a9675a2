"""Reading unsur values exactly where the figures allow it (issue 24): with n respondents and no
blank answer every NRR is k/n; with blanks k/m, m ≤ n; an NRR-derived value is never read more
coarsely than a two-decimal NRR."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from skm.recaps.ikm_check import Reading, _farey_bounds, nrr_precision, value_ranges
from skm.recaps.reader import RawRow, read_recap
from skm.recaps.report import check_recap
from skm.recaps.row_check import check_row
from skm.recaps.rows import Scale, parse_figure, parse_row
from skm.recaps.tests.builders import row, write_csv
from skm.recaps.verdicts import Verdict
from skm.scoring import Weight

# The two examples of issue 24 (made up, in the shape real recaps have).
TWO_RESPONDENTS = row(
    "Kelurahan Contoh",
    "Tahunan",
    "75,00 100,00 87,50 87,50 75,00 100,00 100,00 75,00 87,50",
    "87,41",
    "B (Baik)",
    2,
)
NRR_DERIVED_95 = row(
    "Puskesmas Contoh", "Semester I", "95 90 85 97,5 85 90 95 90 90", "91,98", "A (Sangat Baik)", 80
)


def checked(cells):
    raw = {key: value for key, value in cells.items() if key != "n"}
    return check_row(parse_row(RawRow(2, {**raw, "jumlah_responden": cells["n"]})))


def figures(texts):
    return tuple(parse_figure(t) for t in texts.split())


def test_two_respondents_make_the_values_exact_and_tell_the_weights_apart():
    result = checked(TWO_RESPONDENTS)
    assert result.verdict is Verdict.W0111
    assert {w: c.reading for w, c in result.checks.items()} == {
        Weight.W0111: Reading.EXACT,
        Weight.NINTH: Reading.EXACT,
    }
    # 0.111 × 25 × 31,5 = 87,4125 and 1/9 gives 87,50: each accepts only its own rounding.
    assert (result.checks[Weight.W0111].low, result.checks[Weight.W0111].high) == (
        Fraction("87.4075"),
        Fraction("87.4175"),
    )
    assert result.checks[Weight.NINTH].matches is False
    assert [n.code for n in result.notes] == ["nrr_derived", "exact_reading"]
    assert result.notes[1].message == (
        "Dengan 2 responden tanpa jawaban kosong setiap NRR adalah kelipatan 1/2: nilai unsur dibaca "
        "tepat (IKM 87,41 dengan bobot 0,111, 87,50 dengan 1/9)."
    )
    assert result.problems == []


def test_the_same_row_printed_with_1_9_follows_1_9():
    assert checked({**TWO_RESPONDENTS, "ikm": "87,50"}).verdict is Verdict.NINTH


def test_an_nrr_derived_95_is_not_96():
    result = checked(NRR_DERIVED_95)
    assert result.verdict is Verdict.INCONSISTENT
    assert [p.message for p in result.problems] == [
        "IKM 91,98 tidak sesuai dengan nilai unsur: dengan bobot 0,111 seharusnya 90,74, dengan bobot "
        "1/9 seharusnya 90,83."
    ]
    # Read as one-decimal NRRs (± 1,25 each) both weights used to fit; now no value is read more
    # coarsely than a two-decimal NRR.
    assert all(c.high < Fraction("91.975") for c in result.checks.values())


def test_a_wrong_ikm_with_two_respondents_is_inconsistent_even_allowing_blanks():
    result = checked({**TWO_RESPONDENTS, "ikm": "87,45"})
    assert result.verdict is Verdict.INCONSISTENT
    assert result.checks[Weight.W0111].reading is Reading.COUNTED
    assert [n.code for n in result.notes] == ["nrr_derived", "counted_reading"]


def test_without_a_respondent_count_the_rounding_alone_judges():
    result = checked({**TWO_RESPONDENTS, "n": ""})
    assert result.verdict is Verdict.AMBIGUOUS
    assert result.checks[Weight.W0111].reading is Reading.ROUNDED


def test_nrr_with_fewer_than_two_decimals_is_read_as_two():
    adjusted, notes = nrr_precision(figures("3,6 4 3,379 3,45 3,5 3,5 3,5 3,5 3,5"), Scale.NRR)
    assert [f.half_unit for f in adjusted[:4]] == [
        Fraction(1, 200),
        Fraction(1, 200),
        Fraction(1, 2000),
        Fraction(1, 200),
    ]
    assert [n.message for n in notes] == [
        "NRR ditulis dengan kurang dari dua desimal (3,6) dibaca sebagai dua desimal yang nol akhirnya "
        "dibuang: 3,60 ± 0,005."
    ]
    precise = figures("3,60 3,45 3,379 3,45 3,50 3,50 3,50 3,50 3,50")
    assert nrr_precision(precise, Scale.NRR) == (precise, [])


def test_whole_converted_values_are_two_decimal_nrrs_times_25():
    adjusted, _notes = nrr_precision(figures("95 90 85 97,5 85 90 95 90 90"), Scale.CONVERTED)
    assert {f.half_unit for f in adjusted} == {Fraction(1, 8)}
    # One-decimal values under three-decimal NRRs keep their own rounding (finer than ± 0,125).
    own, _notes = nrr_precision(figures("79,9 80,1 78,6 79,7 80,1 80,7 81,9 80,3 83,5"), Scale.CONVERTED)
    assert {f.half_unit for f in own} == {Fraction(1, 20)}


def test_value_ranges_are_the_k_over_n_within_each_rounding():
    assert value_ranges(figures("3,33"), Scale.NRR, 3) == [(Fraction(10, 3), Fraction(10, 3))]
    assert value_ranges(figures("87,50"), Scale.CONVERTED, 2) == [(Fraction(175, 2), Fraction(175, 2))]
    # 3,45 is no k/2, and with a blank (m = 1) no whole number either.
    assert value_ranges(figures("3,45"), Scale.NRR, 2) is None
    assert value_ranges(figures("3,45"), Scale.NRR, 2, counted=True) is None
    # 3,40 is no k/3, but with a blank it is 17/5 (m = 5 ≤ 6).
    assert value_ranges(figures("3,40"), Scale.NRR, 6) is None
    assert value_ranges(figures("3,40"), Scale.NRR, 6, counted=True) == [(Fraction(17, 5), Fraction(17, 5))]
    # Never outside the scale: "4,00" is 3,995–4.
    assert value_ranges(figures("4,00"), Scale.NRR, 400) == [(Fraction(799, 200), Fraction(4))]


def test_an_annual_row_with_its_semesters_is_judged_on_its_rounding(tmp_path):
    # The annual values are the means of the semesters' (3,5 and 3,25 → 3,375), not k/n of n = 6.
    rows = [
        row("Unit", "Tahunan", "3,38 " * 8 + "3,38", "84,38", "B", 6),
        row("Unit", "Semester I", "3,5 " * 8 + "3,5", "87,50", "B", 2),
        row("Unit", "Semester II", "3,25 " * 8 + "3,25", "81,25", "B", 4),
    ]
    report = check_recap(read_recap(write_csv(tmp_path / "rekap.csv", rows)))
    annual, first, second = report.rows
    assert annual.checks[Weight.W0111].reading is Reading.ROUNDED
    assert annual.annual is not None and annual.annual.ok is True
    assert first.checks[Weight.NINTH].reading is Reading.EXACT
    assert (first.verdict, second.verdict) == (Verdict.NINTH, Verdict.NINTH)
    # On its own, six respondents would have to give k/6 (3,333 or 3,5): not 3,38 ± 0,005.
    alone = check_recap(read_recap(write_csv(tmp_path / "alone.csv", rows[:1]))).rows[0]
    assert alone.checks[Weight.W0111].reading is not Reading.EXACT


@given(
    st.fractions(min_value=1, max_value=4, max_denominator=10**6),
    st.integers(min_value=1, max_value=300),
)
def test_farey_bounds_are_the_closest_fractions_with_small_denominators(x, n):
    below = max(Fraction(math.floor(x * m), m) for m in range(1, n + 1))
    above = min(Fraction(math.ceil(x * m), m) for m in range(1, n + 1))
    assert _farey_bounds(x, n) == (below, above)
