"""Unsur prioritas perbaikan (SPEC §4)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skm.scoring import ELEMENTS, ELEMENTS_PENGADUAN_BEFORE_SARANA, Number, priority_unsur

# Seed 003, Kecamatan Pengaron, in Banjar's column order (pengaduan before sarana).
PENGARON: dict[str, Number] = dict(
    zip(
        ELEMENTS_PENGADUAN_BEFORE_SARANA,
        ["3.30", "3.25", "3.46", "4.00", "3.61", "3.46", "3.48", "3.57", "3.54"],
        strict=True,
    )
)


def test_seed_003_pengaron_lists_four_priorities_because_of_a_tie() -> None:
    assert priority_unsur(PENGARON) == ["prosedur", "persyaratan", "waktu", "kompetensi"]


def test_ties_keep_the_order_of_the_mapping() -> None:
    reordered = {k: PENGARON[k] for k in reversed(list(PENGARON))}
    assert priority_unsur(reordered) == ["prosedur", "persyaratan", "kompetensi", "waktu"]


def test_without_a_tie_there_are_three() -> None:
    values = dict(zip(ELEMENTS, ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "2"], strict=True))
    assert priority_unsur(values) == ["pengaduan", "persyaratan", "prosedur"]
    assert priority_unsur(values, count=1) == ["pengaduan"]


def test_ties_are_judged_at_the_printed_precision() -> None:
    values: dict[str, Number] = {**PENGARON, "kompetensi": Fraction("3.455")}  # printed 3,46
    assert priority_unsur(values) == ["prosedur", "persyaratan", "waktu", "kompetensi"]
    assert priority_unsur(values, places=None) == ["prosedur", "persyaratan", "kompetensi"]
    values = {**PENGARON, "kompetensi": Fraction("3.4549")}  # printed 3,45
    assert priority_unsur(values) == ["prosedur", "persyaratan", "kompetensi"]


def test_values_may_be_indonesian_text() -> None:
    values = {"persyaratan": "3,3", "prosedur": "3,25", "waktu": "3,46", "biaya": "4"}
    assert priority_unsur(values, count=2) == ["prosedur", "persyaratan"]


def test_small_and_degenerate_inputs() -> None:
    assert priority_unsur({"a": 3, "b": 2}) == ["b", "a"]
    assert priority_unsur(dict.fromkeys(ELEMENTS, 3)) == list(ELEMENTS)
    assert priority_unsur(PENGARON, count=0) == []
    assert priority_unsur({}) == []
    with pytest.raises(ValueError):
        priority_unsur(PENGARON, count=-1)


@given(
    st.dictionaries(st.sampled_from(ELEMENTS), st.fractions(min_value=1, max_value=4), min_size=1),
    st.integers(1, 9),
)
def test_priorities_are_the_lowest_and_include_every_tie(nrr: dict[str, Fraction], count: int) -> None:
    chosen = priority_unsur(nrr, count, places=None)
    assert len(chosen) >= min(count, len(nrr))
    assert [nrr[e] for e in chosen] == sorted(nrr[e] for e in chosen)
    rest = [v for e, v in nrr.items() if e not in chosen]
    if rest:
        assert max(nrr[e] for e in chosen) < min(rest)
        assert len(chosen) == count or nrr[chosen[-1]] == nrr[chosen[count - 1]]
