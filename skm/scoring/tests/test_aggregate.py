"""Figures above one unit (SPEC §4 "Aggregating above one unit")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring import (
    ELEMENTS,
    ELEMENTS_PENGADUAN_BEFORE_SARANA,
    Band,
    Level,
    Method,
    Part,
    UnsurTally,
    Weight,
    aggregate,
    describe,
    ikm_from_nrr,
    round_half_up,
    score_answers,
    score_tallies,
)
from skm.scoring.tests import naive
from skm.scoring.tests.strategies import respondents, unit_tallies, weights

# Seed 003, RSUD Ratu Zalecha 2025, Banjar's column order (pengaduan before sarana).
SEMESTER_1_CONVERTED = [
    "87,40", "87,48", "84,65", "91,68", "87,15", "87,28", "87,68", "85,65", "89,55",
]  # fmt: skip
SEMESTER_2_NRR = [
    "3,588", "3,551", "3,489", "3,667", "3,595", "3,604", "3,619", "3,524", "3,634",
]  # fmt: skip
ANNUAL_CONVERTED = [
    "88,55", "88,13", "85,94", "91,68", "88,51", "88,69", "89,08", "86,88", "90,20",
]  # fmt: skip


def english(text: str) -> str:
    """A message id of the scoring core in English, as a page shows it (skm/locale/en)."""
    with translation.override("en"):
        return translation.gettext(text)


def zalecha() -> list[Part]:
    return [
        Part.from_published(
            "Semester I",
            SEMESTER_1_CONVERTED,
            "87,61",
            1686,
            elements=ELEMENTS_PENGADUAN_BEFORE_SARANA,
            converted=True,
        ),
        Part.from_published(
            "Semester II", SEMESTER_2_NRR, "89,66", 2397, elements=ELEMENTS_PENGADUAN_BEFORE_SARANA
        ),
    ]


def unit(label: str, value: int, n: int = 2, weight: Weight = Weight.W0111) -> Part:
    """A unit whose n respondents all answered ``value`` to every unsur."""
    return Part.from_score(label, score_answers([dict.fromkeys(ELEMENTS, value)] * n, weight))


def test_seed_003_year_is_the_mean_of_its_semesters_not_the_weighted_mean() -> None:
    year = aggregate(zalecha(), level=Level.YEAR_FROM_SUBPERIODS, weight=Weight.NINTH)
    assert year.method is Method.MEAN_OF_UNITS
    assert year.ikm == Fraction("88.635")
    assert year.display() == Decimal("88.64")
    assert year.n == 4083 and year.parts == 2
    assert year.band is not None and year.band.mutu == "A"
    weighted = aggregate(zalecha(), Method.RESPONDENT_WEIGHTED, Level.YEAR_FROM_SUBPERIODS)
    assert weighted.display() == Decimal("88.81")
    assert weighted.n == 4083


def test_seed_003_annual_row_per_unsur_is_the_mean_of_the_semesters() -> None:
    year = aggregate(zalecha(), level=Level.YEAR_FROM_SUBPERIODS, weight=Weight.NINTH)
    published = dict(zip(ELEMENTS_PENGADUAN_BEFORE_SARANA, ANNUAL_CONVERTED, strict=True))
    for element, text in published.items():
        assert round_half_up(year.nrr[element] * 25, 2) == round_half_up(text, 2), element


def test_descriptions_name_the_method_and_the_level() -> None:
    parts = [unit(f"Unit {i}", 3 + i % 2) for i in range(12)]
    assert aggregate(parts).description == ("Pemerintah Daerah: rata-rata IKM 12 unit (tidak tertimbang).")
    year = aggregate(zalecha(), level=Level.YEAR_FROM_SUBPERIODS)
    assert "rata-rata IKM 2 periode (tidak tertimbang)" in year.description
    assert year.description.startswith(Level.YEAR_FROM_SUBPERIODS.label)
    weighted = aggregate(parts, Method.RESPONDENT_WEIGHTED, Level.SERVICE)
    assert "tertimbang jumlah responden" in weighted.description
    assert "12 jenis layanan" in weighted.description
    pooled = aggregate(parts, Method.POOLED, Level.PERANGKAT_DAERAH)
    assert "24 responden" in pooled.description and "digabung" in pooled.description
    assert "pooled" in describe(pooled.method, pooled.level, pooled.parts, pooled.n, 0, english)


def test_methods_and_levels_have_labels_in_both_languages() -> None:
    for enum in (Method, Level):
        labels = [m.label for m in enum]
        labels_en = [english(m.label) for m in enum]
        assert all(labels) and len(set(labels)) == len(labels)
        assert all(labels_en) and len(set(labels_en)) == len(labels_en)
    assert Method("mean_of_units") is Method.MEAN_OF_UNITS
    assert Level.SERVICES_OF_UNIT.part_noun == "jenis layanan"


def test_pooled_needs_the_tallies_of_every_part() -> None:
    parts = [unit("Kelurahan A", 3), zalecha()[0]]
    with pytest.raises(ValueError, match=r"tallies.*Semester I"):
        aggregate(parts, Method.POOLED)


def test_parts_without_respondents_are_skipped_not_averaged_as_zero() -> None:
    no_data = Part.from_published("Puskesmas X", ["0,00"] * 9, "0,00", 0)
    assert no_data.ikm is None and no_data.nrr == {}
    parts = [unit("A", 3), unit("B", 4)]
    for method in Method:
        with_gap = aggregate([*parts, no_data], method)
        without = aggregate(parts, method)
        assert with_gap.ikm == without.ikm and with_gap.nrr == without.nrr
        assert with_gap.skipped == ("Puskesmas X",)
        assert with_gap.parts == 2
        assert "1 unit tanpa responden tidak dihitung" in with_gap.description


def test_an_aggregate_of_nothing_has_no_figures() -> None:
    empty = Part.from_score("Baru", score_answers([]))
    for method in Method:
        result = aggregate([empty], method)
        assert result.ikm is None and result.band is None and result.nrr == {}
        assert result.n == 0 and result.parts == 0 and result.skipped == ("Baru",)
        assert "tidak ada data" in result.description
        assert result.display() is None


def test_a_row_with_an_ikm_but_no_unsur_values_enters_only_the_ikm_mean() -> None:
    unverifiable = Part.from_published("Klinik", [], "90", 40)
    result = aggregate([unit("A", 3, weight=Weight.NINTH), unverifiable], weight=Weight.NINTH)
    assert result.ikm == (75 + 90) / Fraction(2)
    assert result.nrr == dict.fromkeys(ELEMENTS, Fraction(3))


def test_parts_refuse_impossible_figures() -> None:
    with pytest.raises(ValueError, match="no IKM"):
        Part("A", {}, None, 5)
    with pytest.raises(ValueError):
        Part("A", {"waktu": Fraction(5)}, Fraction(80), 5)
    with pytest.raises(ValueError):
        Part("A", {}, Fraction(0), 5)  # an IKM printed as 0,00 with respondents
    with pytest.raises(ValueError):
        Part("A", {}, Fraction(80), -1)
    with pytest.raises(ValueError):
        Part.from_published("A", ["3,5"] * 8, "88", 10)
    with pytest.raises(ValueError, match="pengaduan"):
        Part.from_score("A", score_answers([dict.fromkeys(ELEMENTS[:8], 3)]))


def test_pooled_and_respondent_weighted_differ_when_answers_are_blank() -> None:
    # Unit A: two respondents, one left waktu blank; unit B: one respondent.
    answers_a: list[dict[str, int | None]] = [
        dict.fromkeys(ELEMENTS, 4),
        {**dict.fromkeys(ELEMENTS, 2), "waktu": None},
    ]
    a = Part.from_score("A", score_answers(answers_a, Weight.NINTH))
    b = Part.from_score("B", score_answers([dict.fromkeys(ELEMENTS, 1)], Weight.NINTH))
    pooled = aggregate([a, b], Method.POOLED, weight=Weight.NINTH)
    weighted = aggregate([a, b], Method.RESPONDENT_WEIGHTED, weight=Weight.NINTH)
    assert pooled.nrr["waktu"] == Fraction(5, 2)  # (4 + 1) / 2 answers
    assert weighted.nrr["waktu"] == Fraction(3)  # (2 × 4 + 1 × 1) / 3 respondents
    assert pooled.ikm != weighted.ikm


# --- properties ----------------------------------------------------------------------------


def complete_units(blanks: bool) -> st.SearchStrategy[list[list[dict[str, int | None]]]]:
    return st.lists(respondents(blanks=blanks, min_size=1, max_size=20), min_size=1, max_size=6)


@given(complete_units(blanks=False), weights)
def test_pooled_equals_respondent_weighted_without_blanks(
    units: list[list[dict[str, int | None]]], weight: Weight
) -> None:
    parts = [Part.from_score(f"U{i}", score_answers(a, weight)) for i, a in enumerate(units)]
    pooled = aggregate(parts, Method.POOLED, weight=weight)
    weighted = aggregate(parts, Method.RESPONDENT_WEIGHTED, weight=weight)
    assert pooled.ikm == weighted.ikm
    assert pooled.nrr == weighted.nrr
    assert pooled.band == weighted.band
    assert pooled.n == weighted.n == sum(len(a) for a in units)


@given(respondents(blanks=False), weights, st.sampled_from(list(Method)), st.sampled_from(list(Level)))
def test_an_aggregate_of_one_part_is_that_part(
    answers: list[dict[str, int | None]], weight: Weight, method: Method, level: Level
) -> None:
    score = score_answers(answers, weight)
    result = aggregate([Part.from_score("Unit", score)], method, level, weight)
    assert result.ikm == score.ikm
    assert result.band == score.band
    assert result.nrr == {e: u.nrr for e, u in score.unsur.items()}
    assert result.n == score.n and result.parts == 1


@given(respondents(), weights)
def test_the_mean_of_one_unit_is_the_unit(answers: list[dict[str, int | None]], weight: Weight) -> None:
    score = score_answers(answers, weight)
    if score.ikm is None:
        with pytest.raises(ValueError):
            Part.from_score("Unit", score)
    else:
        assert aggregate([Part.from_score("Unit", score)], weight=weight).ikm == score.ikm


@given(complete_units(blanks=False), weights)
def test_the_mean_of_unit_ikms_is_the_ikm_of_the_mean_nrrs(
    units: list[list[dict[str, int | None]]], weight: Weight
) -> None:
    # Seed 003's Pemda total (IKM of the nine per-unsur averages, weight 1/9) is the same figure
    # as the mean of the unit IKMs when every part is complete and scored with the same weight.
    parts = [Part.from_score(f"U{i}", score_answers(a, weight)) for i, a in enumerate(units)]
    result = aggregate(parts, weight=weight)
    assert result.ikm == ikm_from_nrr(result.nrr, weight)
    assert result.ikm == sum((p.ikm for p in parts if p.ikm), Fraction(0)) / len(parts)


@given(complete_units(blanks=True), st.integers(1, 4), st.sampled_from(list(Method)))
def test_no_data_parts_never_move_an_aggregate(
    units: list[list[dict[str, int | None]]], gaps: int, method: Method
) -> None:
    scores = [score_answers(a) for a in units]
    parts = [Part.from_score(f"U{i}", s) for i, s in enumerate(scores) if s.ikm is not None]
    empty = [Part.from_score(f"Kosong {i}", score_answers([])) for i in range(gaps)]
    mixed = [p for pair in zip(empty, parts, strict=False) for p in pair] + empty[len(parts) :]
    mixed += parts[len(empty) :]
    with_gaps, without = aggregate(mixed, method), aggregate(parts, method)
    assert (with_gaps.ikm, with_gaps.nrr, with_gaps.n) == (without.ikm, without.nrr, without.n)
    assert sorted(with_gaps.skipped) == sorted(p.label for p in empty)


def test_settings_stored_as_plain_strings_are_accepted() -> None:
    parts = [unit("A", 3, weight=Weight.NINTH), unit("B", 4, n=1, weight=Weight.NINTH)]
    from_strings = aggregate(parts, "pooled", "pemda", "1/9")  # type: ignore[arg-type]
    assert from_strings == aggregate(parts, Method.POOLED, Level.PEMDA, Weight.NINTH)
    assert from_strings.method is Method.POOLED and from_strings.weight is Weight.NINTH
    score = score_answers([dict.fromkeys(ELEMENTS, 4)], "1/9")  # type: ignore[arg-type]
    assert score.ikm == 100 and score.weight is Weight.NINTH
    with pytest.raises(ValueError):
        aggregate(parts, "median")  # type: ignore[arg-type]


# --- one sum over the lcm equals adding Fraction by Fraction (skm/scoring/tests/naive.py) --------


@st.composite
def scored_part(draw: st.DrawFn, weight: Weight) -> Part:
    """A unit scored from random tallies, or (1 in 10) a unit without respondents."""
    if draw(st.integers(0, 9)) == 0:
        return Part("no data", {}, None, 0)
    tallies, n = draw(unit_tallies())
    return Part.from_score("unit", score_tallies(tallies, n, weight))


@st.composite
def published_part(draw: st.DrawFn) -> Part:
    """A published row: any exact NRR on 1–4 (some unsur, or none), any IKM on 25–100."""
    nrr_values = st.fractions(min_value=1, max_value=4, max_denominator=10**6)
    elements = draw(st.lists(st.sampled_from(ELEMENTS), unique=True))
    nrr = {element: draw(nrr_values) for element in elements}
    ikm = draw(st.fractions(min_value=25, max_value=100, max_denominator=10**6))
    return Part("row", nrr, ikm, draw(st.integers(1, 10**5)))


def naive_mean_of(
    parts: list[Part], method: Method, weight: Weight
) -> tuple[dict, Fraction | None, Band | None]:
    by_n = method is Method.RESPONDENT_WEIGHTED
    used = [p for p in parts if p.n > 0]
    nrr = {}
    for element in dict.fromkeys(e for p in used for e in p.nrr):
        mean = naive.mean(((p.nrr[element], p.n) for p in used if element in p.nrr), by_n)
        if mean is not None:
            nrr[element] = mean
    ikm = naive.mean(((p.ikm, p.n) for p in used if p.ikm is not None), by_n)
    return nrr, ikm, None if ikm is None else naive.band_for(ikm, weight=weight)


mean_methods = st.sampled_from([Method.MEAN_OF_UNITS, Method.RESPONDENT_WEIGHTED])


@given(weights.flatmap(lambda w: st.tuples(st.just(w), st.lists(scored_part(w), max_size=40))), mean_methods)
def test_mean_methods_over_scored_units_equal_adding_fraction_by_fraction(
    weight_and_parts: tuple[Weight, list[Part]], method: Method
) -> None:
    weight, parts = weight_and_parts
    result = aggregate(parts, method, Level.PEMDA, weight)
    nrr, ikm, band = naive_mean_of(parts, method, weight)
    assert (result.nrr, result.ikm, result.band) == (nrr, ikm, band)
    assert list(result.nrr) == list(nrr)  # unsur in the same order
    assert all(type(f) is Fraction for f in [*result.nrr.values(), *([ikm] if ikm is not None else [])])


@given(st.lists(published_part(), max_size=20), mean_methods, weights)
def test_mean_methods_over_published_rows_equal_adding_fraction_by_fraction(
    parts: list[Part], method: Method, weight: Weight
) -> None:
    result = aggregate(parts, method, Level.UNIT, weight)
    nrr, ikm, band = naive_mean_of(parts, method, weight)
    assert (result.nrr, result.ikm, result.band) == (nrr, ikm, band)
    assert list(result.nrr) == list(nrr)


@given(weights.flatmap(lambda w: st.tuples(st.just(w), st.lists(scored_part(w), max_size=20))))
def test_pooled_equals_adding_the_tallies_one_by_one(weight_and_parts: tuple[Weight, list[Part]]) -> None:
    weight, parts = weight_and_parts
    used = [p for p in parts if p.n > 0 and p.tallies is not None]
    pooled: dict[str, UnsurTally] = {}
    for p in used:
        for element, t in (p.tallies or {}).items():
            pooled[element] = pooled.get(element, UnsurTally(0, 0)) + t
    result = aggregate(parts, Method.POOLED, Level.PEMDA, weight)
    if not used:
        assert result.ikm is None
        return
    _, ikm, band = naive.ikm(pooled, weight)
    assert (result.ikm, result.band) == (ikm, band)
    assert result.nrr == {element: naive.unsur_figures(t, weight)[0] for element, t in pooled.items()}


@given(
    st.fractions(min_value=-1, max_value=101, max_denominator=10**4),
    st.fractions(min_value=0, max_value=5, max_denominator=10**4),
)
def test_parts_refuse_exactly_the_figures_the_fraction_comparisons_refuse(
    ikm: Fraction, nrr: Fraction
) -> None:
    refused = not 0 < ikm <= 100 or not 1 <= nrr <= 4
    try:
        Part("row", {"u1": nrr}, ikm, 1)
    except ValueError:
        assert refused
    else:
        assert not refused
