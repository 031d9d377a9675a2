"""What a dry run found: the preview of an import, its valid rows, and the answers already stored.

A valid row is kept compact (`ParsedRow`: its key, time and the values it is stored with), since
a preview may hold 100,000 of them; its `Submission` is rebuilt only when asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from skm.collection.importing.columns import FORMAT_LABELS, Column, Format
from skm.collection.keys import CONTENT_COLUMNS, same_content
from skm.collection.models import Answer, Channel
from skm.collection.validation import Submission
from skm.instrument.spec import InstrumentSpec
from skm.organisation.models import Layanan, Unit

IN_CHUNK = 900  # SQLite's historical limit on bound parameters is 999
PROFILE_COLUMNS = ("gender", "age_band", "education", "occupation")
AT = {column: i for i, column in enumerate(CONTENT_COLUMNS)}


@dataclass
class RowProblem:
    row: int
    messages: list[str]


class RowContext:
    """What a judged row's Submission is rebuilt from: the unit, its instrument and its services."""

    def __init__(self, unit: Unit, spec: InstrumentSpec, services: Iterable[Layanan]) -> None:
        self.unit, self.spec = unit, spec
        self.services = {service.pk: service for service in services}


@dataclass(slots=True)
class ParsedRow:
    """A valid row not yet stored: its key, its time, and the values of keys.CONTENT_COLUMNS (in
    that order) it is stored with. Kept compact, since a preview may hold 100,000 of them."""

    row: int
    key: str
    submitted_at: dt.datetime
    day: dt.date
    content: tuple[Any, ...]
    context: RowContext = field(repr=False, compare=False)

    def columns(self) -> dict[str, Any]:
        """Column → value as stored: what keys.same_content compares, and what save() inserts."""
        columns = dict(zip(CONTENT_COLUMNS, self.content, strict=True))
        columns["extra"] = columns["extra"] or {}
        columns["submitted_at"] = self.submitted_at
        return columns

    @property
    def submission(self) -> Submission:
        """The row as validate() returned it, rebuilt from what it stores."""
        spec, content = self.context.spec, self.content
        return Submission(
            unit=self.context.unit,
            service=self.context.services.get(content[AT["service_id"]]),
            spec=spec,
            channel=Channel.IMPORT,
            idempotency_key=self.key,
            values={q.element: content[AT[q.element]] for q in spec.ikm_questions},
            extra=dict(content[AT["extra"]] or {}),
            profile={key: content[AT[key]] for key in PROFILE_COLUMNS if content[AT[key]]},
            suggestion=content[AT["suggestion"]],
            contact=content[AT["contact"]],
            submitted_at=self.submitted_at,
        )


def content_of(submission: Submission) -> tuple[Any, ...]:
    """A validated row as the values of keys.CONTENT_COLUMNS."""
    values: dict[str, Any] = {
        **submission.values,
        "extra": submission.extra or None,
        "service_id": submission.service.pk if submission.service else None,
        **{key: submission.profile.get(key, "") for key in PROFILE_COLUMNS},
        "suggestion": submission.suggestion,
        "contact": submission.contact,
    }
    return tuple(values.get(column) for column in CONTENT_COLUMNS)


@dataclass
class SampleRow:
    """One of the first rows as the preview shows it."""

    row: int
    status: str  # "new", "already", "invalid"
    when: dt.datetime | None = None
    service: str = ""
    values: list[int | None] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    suggestion: str = ""


@dataclass
class Preview:
    unit: Unit
    filename: str
    sha256: str
    format: Format
    columns: list[Column] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    total: int = 0
    rows: list[ParsedRow] = field(default_factory=list)  # valid and not yet received
    valid: int = 0  # len(rows), also for a kept preview restored without its rows
    already: list[int] = field(default_factory=list)  # row numbers already stored with this content
    problems: list[RowProblem] = field(default_factory=list)  # the first PROBLEMS_KEPT rows with problems
    invalid: int = 0  # rows with problems, every one
    sample: list[SampleRow] = field(default_factory=list)
    day_first: bool | None = None  # None: no ambiguous dates in the file
    lookalikes: list[int] = field(
        default_factory=list
    )  # new rows equal to a stored answer (see judging.lookalikes)
    spec: InstrumentSpec | None = None
    version_id: int | None = None  # the instrument version the rows were judged with

    @property
    def ok(self) -> bool:
        """Nothing wrong: saving stores every new row."""
        return not self.file_errors and not self.invalid

    @property
    def used_columns(self) -> list[Column]:
        return [c for c in self.columns if c.target]

    @property
    def ignored_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.target]

    @property
    def question_codes(self) -> list[str]:
        return [q.code for q in self.spec.ikm_questions] if self.spec else []

    @property
    def format_label(self) -> str:
        return str(FORMAT_LABELS[self.format])


def file_key(sha256: str, row: int) -> str:
    """The idempotency key of a row without `kunci`: fits validate()'s 8–64 characters."""
    return f"imp-{sha256[:24]}-{row}"


STORED_COLUMNS = ("pk", "submitted_at", *CONTENT_COLUMNS)


def stored_answers(unit: Unit, keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """The answers of `unit` stored under any of `keys`: key → the values of STORED_COLUMNS (a
    tuple, not a dict: a year imported again holds 100,000 of them), one query per IN_CHUNK keys.
    Only this unit's answers are looked at: other units may use the same keys."""
    keys = list(dict.fromkeys(keys))
    found: dict[str, tuple[Any, ...]] = {}
    for i in range(0, len(keys), IN_CHUNK):
        answers = Answer.objects.filter(unit=unit, idempotency_key__in=keys[i : i + IN_CHUNK])
        for key, *stored in answers.values_list("idempotency_key", *STORED_COLUMNS):
            found[key] = tuple(stored)
    return found


def same_questionnaire(stored: tuple[Any, ...], row: ParsedRow) -> bool:
    """Whether `row` repeats the answer stored under its key (a retry), or is another one."""
    return same_content(dict(zip(STORED_COLUMNS, stored, strict=True)), row.columns(), with_time=True)
