"""NRR and IKM of one unit (SPEC §4 "Computation")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from skm.scoring import (
    ELEMENTS,
    ELEMENTS_PENGADUAN_BEFORE_SARANA,
    Number,
    UnsurTally,
    Weight,
    decimals_of,
    ikm_from_converted,
    ikm_from_nrr,
    round_half_up,
    score_answers,
    score_tallies,
    tally,
)
from skm.scoring.tests import naive
from skm.scoring.tests.strategies import respondents, unit_tallies, weights


def all_answers(value: int | None, **overrides: int | None) -> dict[str, int | None]:
    answer: dict[str, int | None] = dict.fromkeys(ELEMENTS, value)
    answer.update(overrides)
    return answer


# --- tallies -------------------------------------------------------------------------------


def test_tally_excludes_blanks() -> None:
    t = tally([4, None, 3, None])
    assert t == UnsurTally(count=2, total=7)
    assert t.nrr == Fraction(7, 2)


def test_tally_of_only_blanks_has_no_nrr() -> None:
    assert tally([None, None]).nrr is None


@pytest.mark.parametrize("bad", [0, 5, -1, True, 2.5, "3"])
def test_tally_refuses_answers_off_the_scale(bad: object) -> None:
    with pytest.raises(ValueError):
        tally([3, bad])  # type: ignore[list-item]


@pytest.mark.parametrize(("count", "total"), [(2, 9), (2, 1), (-1, 0), (0, 1)])
def test_impossible_tallies_are_refused(count: int, total: int) -> None:
    with pytest.raises(ValueError):
        UnsurTally(count, total)


def test_tallies_add_up() -> None:
    assert UnsurTally(2, 7) + UnsurTally(1, 1) == UnsurTally(3, 8)


# --- one unit --------------------------------------------------------------------------------


def test_all_fours_give_99_9_with_0111_and_100_with_one_ninth() -> None:
    answers = [all_answers(4)] * 3
    w0111 = score_answers(answers, Weight.W0111)
    ninth = score_answers(answers, Weight.NINTH)
    assert w0111.ikm == Fraction("99.9")
    assert w0111.ikm_nrr == Fraction("3.996")
    assert ninth.ikm == 100 and ninth.ikm_nrr == 4
    assert w0111.band is not None and w0111.band.mutu == "A"
    assert w0111.n == 3


def test_all_ones_with_0111_fall_below_25_and_are_still_a_d() -> None:
    score = score_answers([all_answers(1)], Weight.W0111)
    assert score.ikm == Fraction("24.975")
    assert score.band is not None and score.band.mutu == "D"


def test_blank_answers_do_not_count_in_the_nrr() -> None:
    answers = [all_answers(4, waktu=None), all_answers(2)]
    score = score_answers(answers, Weight.NINTH)
    assert score.unsur["waktu"].nrr == 2
    assert score.unsur["persyaratan"].nrr == 3
    assert score.tallies["waktu"] == UnsurTally(1, 2)
    assert score.n == 2
    assert score.ikm == Fraction(25, 9) * (8 * 3 + 2)


def test_an_unsur_nobody_answered_leaves_the_ikm_undefined() -> None:
    score = score_answers([all_answers(3, pengaduan=None)] * 2)
    assert score.ikm is None and score.ikm_nrr is None and score.band is None
    assert score.missing == ("pengaduan",)
    assert "pengaduan" not in score.unsur
    assert score.tallies["pengaduan"] == UnsurTally(0, 0)
    assert score.display() is None


def test_absent_keys_are_blanks_and_extra_questions_never_enter_the_ikm() -> None:
    answer = {e: 4 for e in ELEMENTS if e != "biaya"}
    score = score_answers([answer | {"q10_pemda": 1}, all_answers(2)], Weight.NINTH)
    assert score.unsur["biaya"].nrr == 2
    assert set(score.unsur) == set(ELEMENTS)
    assert score.ikm == Fraction(25, 9) * (8 * 3 + 2)


def test_results_follow_the_keys_not_the_order_of_the_questionnaire() -> None:
    answers = [all_answers(3, sarana=1, pengaduan=4), all_answers(4, sarana=2)]
    regulation = score_answers(answers, elements=ELEMENTS)
    banjar = score_answers(answers, elements=ELEMENTS_PENGADUAN_BEFORE_SARANA)
    assert regulation.ikm == banjar.ikm
    assert {e: u.nrr for e, u in regulation.unsur.items()} == {e: u.nrr for e, u in banjar.unsur.items()}
    assert list(banjar.unsur)[7] == "pengaduan"


def test_unsur_figures() -> None:
    score = score_answers([all_answers(3, produk=4), all_answers(4)], Weight.W0111)
    produk = score.unsur["produk"]
    assert produk.nrr == 4 and produk.converted == 100
    assert produk.weighted == Fraction("0.444")
    persyaratan = score.unsur["persyaratan"]
    assert persyaratan.nrr == Fraction(7, 2)
    assert persyaratan.converted == Fraction("87.5") and persyaratan.band.mutu == "B"


def test_sorted_unsur_goes_high_to_low_and_keeps_input_order_on_ties() -> None:
    score = score_answers([all_answers(3, waktu=1, biaya=4, sarana=4)])
    ordered = [u.element for u in score.sorted_unsur()]
    assert ordered[:2] == ["biaya", "sarana"]
    assert ordered[-1] == "waktu"
    assert ordered[2:-1] == [e for e in ELEMENTS if e not in ("biaya", "sarana", "waktu")]


def test_display_rounds_half_up() -> None:
    score = score_answers([all_answers(3, biaya=4)], Weight.NINTH)  # 25/9 × 28 = 77.777…
    assert score.display() == Decimal("77.78")
    assert score.display(3) == Decimal("77.778")
    assert score.display(0) == Decimal("78")


def test_score_tallies_refuses_inconsistent_input() -> None:
    tallies = dict.fromkeys(ELEMENTS, UnsurTally(3, 9))
    with pytest.raises(ValueError, match="3 answers from 2"):
        score_tallies(tallies, n=2)
    with pytest.raises(ValueError):
        score_tallies(tallies, n=-1)
    with pytest.raises(ValueError, match="9 unsur"):
        score_tallies(dict(list(tallies.items())[:8]), n=3)
    with pytest.raises(ValueError):
        score_answers([], elements=("waktu", "waktu", *ELEMENTS[2:]))


def test_no_respondents_no_ikm() -> None:
    score = score_answers([])
    assert score.n == 0 and score.ikm is None and score.missing == ELEMENTS


# --- recomputing published figures ----------------------------------------------------------


def test_the_weight_can_change_the_category_7659_vs_7667() -> None:
    nrr = [Fraction("3.0667")] * 9
    with_0111 = ikm_from_nrr(nrr, Weight.W0111)
    with_ninth = ikm_from_nrr(nrr, Weight.NINTH)
    assert round_half_up(with_0111, 2) == Decimal("76.59")
    assert round_half_up(with_ninth, 2) == Decimal("76.67")
    tallies = dict.fromkeys(ELEMENTS, UnsurTally(10_000, 30_667))  # NRR 3.0667 exactly
    assert score_tallies(tallies, 10_000, Weight.W0111).band.mutu == "C"  # type: ignore[union-attr]
    assert score_tallies(tallies, 10_000, Weight.NINTH).band.mutu == "B"  # type: ignore[union-attr]


def test_seed_003_pemda_total_follows_from_its_unsur_averages_with_one_ninth() -> None:
    averages = ["87,31", "87,36", "86,12", "90,41", "86,83", "87,23", "87,97", "87,48", "87,65"]
    assert round_half_up(ikm_from_converted(averages, Weight.NINTH), 2) == Decimal("87.60")
    assert round_half_up(ikm_from_converted(averages, Weight.W0111), 2) == Decimal("87.51")


def test_seed_003_rsud_ratu_zalecha_semester_1_uses_one_ninth() -> None:
    converted = ["87,40", "87,48", "84,65", "91,68", "87,15", "87,28", "87,68", "85,65", "89,55"]
    assert round_half_up(ikm_from_converted(converted, Weight.NINTH), 2) == Decimal("87.61")
    assert round_half_up(ikm_from_converted(converted, Weight.W0111), 2) != Decimal("87.61")


def test_seed_003_pengaron_printed_88_at_the_precision_it_chose() -> None:
    # Banjar's column order: … perilaku, pengaduan, sarana
    values = ["3,3", "3,25", "3,46", "4", "3,61", "3,46", "3,48", "3,57", "3,54"]
    nrr = dict(zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, values, strict=True))
    ikm = ikm_from_nrr(nrr, Weight.NINTH)
    assert round_half_up(ikm, decimals_of("88")) == Decimal("88")
    assert round_half_up(ikm, 2) == Decimal("87.97")
    assert round_half_up(ikm_from_nrr(nrr, Weight.W0111), 0) == Decimal("88")


def test_seed_001_truncation_is_not_repeated() -> None:
    tallies = dict.fromkeys(ELEMENTS, UnsurTally(10_000, 35_622))  # NRR 3.5622
    score = score_tallies(tallies, 10_000, Weight.NINTH)
    assert score.ikm == Fraction("89.055")
    assert score.display() == Decimal("89.06")
    assert round_half_up("89,0561", 2) == Decimal("89.06")


def test_ikm_from_nrr_takes_a_mapping_or_a_sequence_and_text() -> None:
    values: list[Number] = [3, "3,5", Decimal("3.25"), 4, 2, 3, 3, 3, Fraction(7, 2)]
    mapping = dict(zip(ELEMENTS, values, strict=True))
    assert ikm_from_nrr(values) == ikm_from_nrr(mapping)
    assert ikm_from_nrr(values, Weight.NINTH) == ikm_from_converted(
        [25 * Fraction(str(v).replace(",", ".")) for v in values], Weight.NINTH
    )


@pytest.mark.parametrize("bad", [[3] * 8, [3] * 10, [3] * 8 + [4.5], [3] * 8 + [0], "333333333"])
def test_ikm_from_nrr_refuses_bad_rows(bad: object) -> None:
    with pytest.raises(ValueError):
        ikm_from_nrr(bad)  # type: ignore[arg-type]


def test_ikm_from_converted_refuses_values_off_the_scale() -> None:
    with pytest.raises(ValueError):
        ikm_from_converted([88] * 8 + [100.5])
    with pytest.raises(ValueError):
        ikm_from_converted([3.5] * 9)  # NRR values passed by mistake


# --- properties ----------------------------------------------------------------------------


@given(respondents(), weights)
def test_ikm_stays_within_the_range_of_its_weight(
    answers: list[dict[str, int | None]], weight: Weight
) -> None:
    score = score_answers(answers, weight)
    low, high = weight.ikm_range
    if score.ikm is not None:
        assert low <= score.ikm <= high
        assert score.ikm == 25 * score.ikm_nrr  # type: ignore[operator]
    for u in score.unsur.values():
        assert 1 <= u.nrr <= 4 and u.converted == 25 * u.nrr


@given(respondents(), weights, st.data())
def test_raising_one_answer_never_lowers_the_ikm(
    answers: list[dict[str, int | None]], weight: Weight, data: st.DataObject
) -> None:
    raisable = [(i, e) for i, a in enumerate(answers) for e in ELEMENTS if a[e] is not None and a[e] != 4]
    assume(raisable)
    i, element = data.draw(st.sampled_from(raisable))
    raised = [dict(a) for a in answers]
    raised[i][element] = answers[i][element] + 1  # type: ignore[operator]
    before, after = score_answers(answers, weight), score_answers(raised, weight)
    assert after.unsur[element].nrr > before.unsur[element].nrr
    assert after.missing == before.missing
    if before.ikm is not None:
        assert after.ikm is not None and after.ikm > before.ikm


@given(respondents(), weights, st.data())
def test_the_score_does_not_depend_on_the_order_of_respondents(
    answers: list[dict[str, int | None]], weight: Weight, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(answers))
    assert score_answers(shuffled, weight) == score_answers(answers, weight)


@given(respondents(), weights)
def test_score_answers_is_score_tallies_of_the_columns(
    answers: list[dict[str, int | None]], weight: Weight
) -> None:
    tallies = {e: tally(a[e] for a in answers) for e in ELEMENTS}
    assert score_answers(answers, weight) == score_tallies(tallies, len(answers), weight)


@given(respondents(blanks=False), weights)
def test_without_blanks_the_ikm_is_the_mean_respondent_score(
    answers: list[dict[str, int | None]], weight: Weight
) -> None:
    score = score_answers(answers, weight)
    per_respondent = [25 * weight.fraction * sum(a.values()) for a in answers]  # type: ignore[arg-type]
    assert score.ikm == sum(per_respondent, Fraction(0)) / len(answers)


# --- the integer computation equals the plain definition (skm/scoring/tests/naive.py) ------------


@given(unit_tallies(), weights)
def test_score_tallies_equals_the_plain_fraction_definition(
    unit: tuple[dict[str, UnsurTally], int], weight: Weight
) -> None:
    tallies, n = unit
    score = score_tallies(tallies, n, weight)
    for element, t in tallies.items():
        u = score.unsur[element]
        assert u.element == element
        assert (u.nrr, u.weighted, u.converted, u.band) == naive.unsur_figures(t, weight)
        assert all(type(f) is Fraction for f in (u.nrr, u.weighted, u.converted))
    assert (score.ikm_nrr, score.ikm, score.band) == naive.ikm(tallies, weight)
    assert type(score.ikm_nrr) is Fraction and type(score.ikm) is Fraction
    assert score.display() == naive.round_half_up(naive.ikm(tallies, weight)[1])


@given(unit_tallies(blank_unsur=True), weights)
def test_score_tallies_with_an_unanswered_unsur_equals_the_plain_definition(
    unit: tuple[dict[str, UnsurTally], int], weight: Weight
) -> None:
    tallies, n = unit
    score = score_tallies(tallies, n, weight)
    answered = {e: t for e, t in tallies.items() if t.count}
    assert list(score.unsur) == list(answered)
    for element, t in answered.items():
        u = score.unsur[element]
        assert (u.nrr, u.weighted, u.converted, u.band) == naive.unsur_figures(t, weight)
    assert score.missing == tuple(e for e, t in tallies.items() if not t.count)
    if score.missing:
        assert score.ikm_nrr is None and score.ikm is None and score.band is None
    else:
        assert (score.ikm_nrr, score.ikm, score.band) == naive.ikm(tallies, weight)


@pytest.mark.parametrize("weight", list(Weight))
@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_score_tallies_at_the_ends_of_the_scale_equals_the_plain_definition(
    weight: Weight, value: int
) -> None:
    tallies = {e: UnsurTally(7, 7 * value) for e in ELEMENTS}
    score = score_tallies(tallies, 7, weight)
    assert (score.ikm_nrr, score.ikm, score.band) == naive.ikm(tallies, weight)


@pytest.mark.parametrize("total", [17660, 17661, 15320, 15321, 12998, 12999])  # ×25/5000: 88.30, 88.305…
@pytest.mark.parametrize("weight", list(Weight))
def test_score_tallies_decides_ties_at_the_band_edges_as_the_plain_definition(
    total: int, weight: Weight
) -> None:
    tallies = {e: UnsurTally(5000, total) for e in ELEMENTS}
    score = score_tallies(tallies, 5000, weight)
    for t, u in zip(tallies.values(), score.unsur.values(), strict=True):
        assert (u.nrr, u.weighted, u.converted, u.band) == naive.unsur_figures(t, weight)
    assert (score.ikm_nrr, score.ikm, score.band) == naive.ikm(tallies, weight)
