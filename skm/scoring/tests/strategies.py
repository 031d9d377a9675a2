"""Hypothesis strategies shared by the scoring tests."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import strategies as st

from skm.scoring import ELEMENTS, Weight

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
