"""The digit line: one paper questionnaire typed straight through, e.g. ``343343442 2334``.

The nine answers come in the Pemda's question order, then (optionally) the profile codes; ``0``
or ``-`` is a blank, whitespace is ignored. entry.js repeats these rules for the live preview;
the server has the last word.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext_lazy

from skm.instrument.spec import InstrumentSpec
from skm.lib.errors import message

BLANKS = frozenset("0-")
# Short column codes of the profile positions (the answers use the instrument's U1…U9).
PROFILE_ABBR = {
    "gender": pgettext_lazy("kolom kertas", "JK"),
    "age_band": pgettext_lazy("kolom kertas", "Usia"),
    "education": pgettext_lazy("kolom kertas", "Pddk"),
    "occupation": pgettext_lazy("kolom kertas", "Pkrj"),
}


@dataclass(frozen=True)
class Column:
    """One position of the digit line: an IKM question or a profile field."""

    key: str  # the field name validate() takes: element or profile key
    code: str  # "U1" … or "JK"
    header: str  # the Pemda's short column header, or the profile field's label
    kind: str  # "answer" | "profile"
    choices: tuple[tuple[str, str, str], ...]  # (typed digit, stored value/code, label)

    def lookup(self, token: str) -> str | None:
        for digit, value, _ in self.choices:
            if token == digit:
                return value
        if self.kind == "profile":  # single-letter codes may be typed as such (L/P)
            for _, value, _ in self.choices:
                if len(value) == 1 and token.upper() == value.upper():
                    return value
        return None

    def digit_of(self, value: Any) -> str:
        if value is None or value == "":
            return "-"
        for digit, stored, _ in self.choices:
            if str(value) == stored:
                return digit
        return "?"

    def label_of(self, value: Any) -> str:
        for _, stored, label in self.choices:
            if str(value) == stored:
                return label
        return ""

    @property
    def allowed(self) -> str:
        return f"{self.choices[0][0]}–{self.choices[-1][0]}" if self.choices else "–"


def columns_for(spec: InstrumentSpec) -> list[Column]:
    """The positions of the digit line for `spec`: its IKM questions in order, then the profile."""
    cols = [
        Column(
            key=q.element,
            code=q.code,
            header=q.header or q.name,
            kind="answer",
            choices=tuple((str(o.value), str(o.value), o.shown_label) for o in q.options),
        )
        for q in spec.ikm_questions
    ]
    for item in spec.profile:
        cols.append(
            Column(
                key=item.key,
                code=str(PROFILE_ABBR.get(item.key, item.key[:4])),
                header=item.shown_label,
                kind="profile",
                choices=tuple((str(i), o.code, o.shown_label) for i, o in enumerate(item.options, start=1)),
            )
        )
    return cols


class EntryError(Exception):
    """What is wrong with a typed line or its saving, in the active language, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def parse_digits(text: str, columns: list[Column]) -> dict[str, str]:
    """``"343343442 2334"`` → {element/profile key: value or ""}; raise EntryError in plain words.

    Whitespace is ignored; each other character is one position. Either all positions are typed
    or only the answers (no profile). ``0`` and ``-`` are blanks.
    """
    tokens = [ch for ch in text if not ch.isspace()]
    n_answers = sum(1 for c in columns if c.kind == "answer")
    if len(tokens) not in (n_answers, len(columns)):
        count = message(
            "entry_count", n=len(tokens), a=n_answers, p=len(columns) - n_answers, total=len(columns)
        )
        raise EntryError([count])
    values = {c.key: "" for c in columns}
    problems = []
    for column, token in zip(columns, tokens, strict=False):
        if token in BLANKS:
            continue
        value = column.lookup(token)
        if value is None:
            problems.append(
                message(
                    "entry_bad_digit",
                    code=column.code,
                    header=column.header,
                    value=token,
                    allowed=column.allowed,
                )
            )
        else:
            values[column.key] = value
    if problems:
        raise EntryError(problems)
    return values


def digits_of(values: Mapping[str, Any], columns: list[Column]) -> str:
    """The digit line of stored values, grouped as typed: answers, a space, the profile."""
    answers = "".join(c.digit_of(values.get(c.key)) for c in columns if c.kind == "answer")
    profile = "".join(c.digit_of(values.get(c.key)) for c in columns if c.kind == "profile")
    return f"{answers} {profile}" if profile else answers
