"""The tolerance of the IKM check follows from the decimals written, never a fixed constant."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from skm.recaps.ikm_check import Reading, nrr_derived_precision, weight_check
from skm.recaps.reader import RawRow
from skm.recaps.row_check import check_row
from skm.recaps.rows import Scale, parse_figure, parse_row
from skm.recaps.verdicts import Verdict
from skm.scoring import Weight, ikm_from_nrr, round_half_up


def figures(texts):
    return [parse_figure(t) for t in texts]


def test_three_decimals_are_judged_more_strictly_than_none():
    ikm = parse_figure("88,000")
    coarse = weight_check(figures(["3"] * 4 + ["4"] * 5), Scale.NRR, parse_figure("88"), Weight.NINTH)
    fine = weight_check(figures(["3,000"] * 4 + ["4,000"] * 5), Scale.NRR, ikm, Weight.NINTH)
    assert fine.high - fine.low < coarse.high - coarse.low
    # 88 fits "3 3 3 3 4 4 4 4 4" written without decimals, but not written with three.
    assert coarse.matches is True
    assert (
        weight_check(
            figures(["3,000"] * 4 + ["4,000"] * 5), Scale.NRR, parse_figure("88,25"), Weight.NINTH
        ).matches
        is False
    )


def test_range_is_the_formula_at_both_ends_of_each_values_rounding():
    unsur = figures(["3,38", "3,33", "3,29", "3,36", "3,34", "3,38", "3,45", "3,44", "3,81"])
    check = weight_check(unsur, Scale.NRR, parse_figure("84,27"), Weight.NINTH)
    # w × 25 × Σ(u ± 0,005), then ± 0,005 for the IKM's own rounding.
    total = sum(f.value for f in unsur)
    assert check.ikm == Fraction(25, 9) * total
    assert check.low == Fraction(25, 9) * (total - Fraction(45, 1000)) - Fraction(5, 1000)
    assert check.high == Fraction(25, 9) * (total + Fraction(45, 1000)) + Fraction(5, 1000)


def test_a_value_at_the_top_of_the_scale_cannot_round_from_above():
    # "4" stands for 3,5–4, never 4,5: the upper end stays on the scale.
    check = weight_check(figures(["4"] * 9), Scale.NRR, parse_figure("100"), Weight.NINTH)
    assert check.high == 100 + Fraction(1, 2)
    assert check.low == Fraction(25, 9) * Fraction(63, 2) - Fraction(1, 2)


def test_converted_values_propagate_without_the_factor_25():
    unsur = figures(["88,50"] * 9)
    check = weight_check(unsur, Scale.CONVERTED, parse_figure("88,50"), Weight.NINTH)
    assert check.tolerance == Fraction(5, 1000) + Fraction(5, 1000)


def test_ikm_half_unit_depends_on_its_own_decimals():
    unsur = figures(["3,500"] * 9)
    wide = weight_check(unsur, Scale.NRR, parse_figure("87,5"), Weight.NINTH)
    narrow = weight_check(unsur, Scale.NRR, parse_figure("87,500"), Weight.NINTH)
    assert wide.high - narrow.high == Fraction(5, 100) - Fraction(5, 10000)


nrr_values = st.lists(st.fractions(min_value=1, max_value=4, max_denominator=5000), min_size=9, max_size=9)

# How reports write unsur values (SPEC §8): NRRs with two or three decimals, trailing zeros
# dropped or not; converted values rounded to 1–4 decimals; or NRRs rounded to two or three
# decimals and multiplied by 25 ("81,75" for 3,27; "95" for 3,80 with its zeros dropped). A whole
# converted value is read as such an NRR × 25, never as ± 0,5 (:func:`nrr_derived_precision`).
writings = st.one_of(
    st.tuples(st.just("nrr"), st.sampled_from([2, 3]), st.booleans()),
    st.tuples(st.just("converted"), st.integers(min_value=1, max_value=4), st.just(False)),
    st.tuples(st.just("derived"), st.sampled_from([2, 3]), st.booleans()),
)


def _text(value: Decimal, drop_zeros: bool) -> str:
    text = str(value)
    if drop_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def written(true_nrr, writing) -> list[str]:
    kind, places, drop_zeros = writing
    if kind == "nrr":
        return [_text(round_half_up(v, places), drop_zeros) for v in true_nrr]
    if kind == "converted":
        return [str(round_half_up(v * 25, places)) for v in true_nrr]
    return [_text(round_half_up(v, places) * 25, drop_zeros) for v in true_nrr]


def checked(true_nrr, weight, writing, ikm_places, n=""):
    """The row a correct report prints for these NRRs, checked on its own."""
    cells = {f"u{i + 1}": text for i, text in enumerate(written(true_nrr, writing))}
    ikm = ikm_from_nrr(true_nrr, weight)
    cells.update(
        upp="Unit", periode="Tahunan", ikm=str(round_half_up(ikm, ikm_places)), jumlah_responden=str(n)
    )
    return check_row(parse_row(RawRow(2, cells)))


@st.composite
def tallies(draw, max_n=700, blanks=False):
    """n and nine NRRs from real answers: each unsur answered by n respondents (or, with blanks,
    by m ≤ n of them) with answers 1–4, so its NRR is k/m with m ≤ k ≤ 4m (any such k is a sum)."""
    n = draw(st.integers(min_value=1, max_value=max_n))
    nrr = []
    for _i in range(9):
        m = draw(st.integers(min_value=1, max_value=n)) if blanks else n
        nrr.append(Fraction(draw(st.integers(min_value=m, max_value=4 * m)), m))
    return n, nrr


weights = st.sampled_from(list(Weight))
ikm_places = st.integers(min_value=0, max_value=4)


@given(nrr_values, weights, writings, ikm_places)
def test_figures_rounded_half_up_always_fit_the_weight_they_were_computed_with(
    true_nrr, weight, writing, ikm_places
):
    """Soundness without a respondent count (the rounded reading): correctly rounded figures are
    never called inconsistent, nor given the other weight."""
    result = checked(true_nrr, weight, writing, ikm_places)
    assert result.checks[weight].matches is True
    assert result.verdict in {Verdict(weight.value), Verdict.AMBIGUOUS}


@given(tallies(), weights, writings, ikm_places)
@settings(max_examples=300)
def test_rows_from_tallies_always_fit_the_weight_they_were_computed_with(tally, weight, writing, ikm_places):
    """Soundness with the respondent count (exact, counted or rounded reading, any n): a row computed
    from answers without blanks is never inconsistent, nor given the other weight."""
    n, true_nrr = tally
    result = checked(true_nrr, weight, writing, ikm_places, n)
    assert result.checks[weight].matches is True
    assert result.verdict in {Verdict(weight.value), Verdict.AMBIGUOUS}


@given(tallies(blanks=True), weights, writings, ikm_places)
@settings(max_examples=300)
def test_rows_with_blank_answers_are_never_inconsistent(tally, weight, writing, ikm_places):
    """With blanks the exact reading (k/n) may be wrong, but it only ever judges when the IKM fits
    it; the counted reading (k/m, m ≤ n) and the rounded one hold the true values."""
    n, true_nrr = tally
    assert checked(true_nrr, weight, writing, ikm_places, n).verdict is not Verdict.INCONSISTENT


@given(
    tallies(max_n=99),
    weights,
    st.one_of(
        st.tuples(st.just("nrr"), st.sampled_from([2, 3]), st.booleans()),
        st.tuples(st.just("converted"), st.integers(min_value=2, max_value=4), st.just(False)),
        st.tuples(st.just("derived"), st.sampled_from([2, 3]), st.booleans()),
    ),
    st.integers(min_value=2, max_value=4),
)
def test_small_samples_always_tell_the_weights_apart(tally, weight, writing, ikm_places):
    """Below 100 respondents k/n are more than 0,01 apart, so a two-decimal NRR is exact; the two
    weights then differ by (1/9 − 0.111) × 25 × Σ NRR ≥ 0,025, more than a two-decimal IKM's
    rounding: the verdict is the weight, never ambiguous."""
    n, true_nrr = tally
    result = checked(true_nrr, weight, writing, ikm_places, n)
    assert result.verdict is Verdict(weight.value)
    assert result.checks[weight].reading is Reading.EXACT


@given(nrr_values, st.integers(min_value=2, max_value=4))
def test_precise_figures_tell_the_two_weights_apart(true_nrr, places):
    """With 2–4 decimals on converted values and IKM, 0.111 and 1/9 (≈0,09 apart) never both fit
    — unless all nine look like NRR × 25 (then they carry an NRR's rounding, see below)."""
    ikm = ikm_from_nrr(true_nrr, Weight.NINTH)
    cells = {f"u{i + 1}": str(round_half_up(v * 25, places)) for i, v in enumerate(true_nrr)}
    written = tuple(parse_figure(text) for text in cells.values())
    assume(not nrr_derived_precision(written)[1])
    cells.update(upp="Unit", periode="Tahunan", ikm=str(round_half_up(ikm, places)), jumlah_responden="")
    assert check_row(parse_row(RawRow(2, cells))).verdict is Verdict.NINTH


def test_converted_values_that_are_nrr_times_25_carry_the_nrr_rounding():
    # Seed 003, Satpol PP: "81,75 82,00 …" printed under "3,27 3,28 …".
    written = tuple(
        figures(["81,75", "82,00", "80,00", "84,00", "81,00", "82,50", "81,25", "81,75", "85,25"])
    )
    adjusted, notes = nrr_derived_precision(written)
    assert [f.half_unit for f in adjusted] == [Fraction(1, 8)] * 9
    assert [n.message for n in notes] == [
        "Nilai konversi tampaknya NRR 2 desimal × 25 (81,75 = 3,27 × 25): ketelitiannya "
        "mengikuti NRR, ±0,125 per unsur."
    ]
    # Values with their own two decimals keep their own rounding.
    own = tuple(figures(["80,53", "79,35", "77,85", "96,65", "80,78", "79,53", "80,78", "94,40", "76,60"]))
    assert nrr_derived_precision(own) == (own, [])
