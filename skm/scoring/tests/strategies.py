"""Hypothesis strategies shared by the scoring tests."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import strategies as st

from skm.scoring import ELEMENTS, UnsurTally, Weight

Respondent = Mapping[str, int | None]

weights = st.sampled_from(list(Weight))


def respondents(
    *, blanks: bool = True, min_size: int = 1, max_size: int = 60
) -> st.SearchStrategy[list[dict[str, int | None]]]:
    """Lists of questionnaires: each maps the nine elements to 1..4, or None (blank) if allowed."""
    values: list[int | None] = [1, 2, 3, 4, None] if blanks else [1, 2, 3, 4]
    answer = st.sampled_from(values)
    return st.lists(
        st.fixed_dictionaries({element: answer for element in ELEMENTS}),
        min_size=min_size,
        max_size=max_size,
    )


@st.composite
def unit_tallies(draw: st.DrawFn, *, blank_unsur: bool = False) -> tuple[dict[str, UnsurTally], int]:
    """Nine tallies of one unit and its n respondents (1–5000); with ``blank_unsur`` an unsur may
    have no answer at all."""
    n = draw(st.integers(1, 5000))
    tallies = {}
    for element in ELEMENTS:
        count = draw(st.integers(0 if blank_unsur else 1, n))
        tallies[element] = UnsurTally(count, draw(st.integers(count, 4 * count)))
    return tallies, n
