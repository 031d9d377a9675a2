"""Judging the rows of a file: each cell matched to a code, then the row held to `validate()`,
the same rules as every other channel, and compared with what the unit already stores.

Only the first rows with problems keep their messages (`PROBLEMS_KEPT`); the rest are counted.
Messages are worded in the language active while judging (the uploader's, or the command's
default), and kept so with the preview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone, translation

from skm.collection.importing.columns import CONTACT, SERVICE, SUGGESTION, TIME, Column, Format
from skm.collection.importing.labels import OptionMatcher, ProfileMatcher, Unknown
from skm.collection.importing.preview import (
    AT,
    IN_CHUNK,
    ParsedRow,
    Preview,
    RowContext,
    RowProblem,
    SampleRow,
    content_of,
    same_questionnaire,
    stored_answers,
)
from skm.collection.importing.text import shorten
from skm.collection.importing.times import parse_time
from skm.collection.models import Answer, Channel
from skm.collection.validation import Invalid, Received, Submission, validate
from skm.instrument.spec import InstrumentSpec
from skm.lib.errors import message
from skm.organisation.models import Layanan, Unit

PREVIEW_ROWS = 20
# Rows with problems whose messages are kept and shown. Every row with a problem is counted, but
# past these one problem settles it: a file of garbage is not judged cell by cell to the end.
PROBLEMS_KEPT = 50
SEPARATOR = "\x1f"  # the ASCII unit separator: a kept row's cells, joined (see reading.read)


def judge_rows(
    preview: Preview,
    rows: list[tuple[int, str | tuple[str, ...]]],
    keys: list[str],
    spec: InstrumentSpec,
    by_target: dict[str, Column],
    slot: dict[int, int],
    fmt: Format,
    dayfirst: bool,
    now: dt.datetime,
) -> None:
    """Judge every row of `rows` (row number, its kept cells) into `preview`: its valid rows,
    those already stored, its problems and its sample."""
    unit = preview.unit
    tz = unit.pemda.tz
    services: list[Layanan] = list(unit.services.all())
    questions = [
        (by_target[f"q:{q.field}"], q, OptionMatcher(q) if q.options else None)
        for q in spec.questions
        if f"q:{q.field}" in by_target
    ]
    profiles = [
        (by_target[f"p:{p.key}"], p, ProfileMatcher(p, lenient_other=fmt == Format.GOOGLE_FORMS))
        for p in spec.profile
        if f"p:{p.key}" in by_target
    ]
    plain = [(by_target[k], k) for k in (SERVICE, SUGGESTION, CONTACT) if k in by_target]
    time_col = by_target[TIME]
    n_ikm = len(spec.ikm_questions)
    context = RowContext(unit, spec, services)
    language = translation.get_language()  # validate() is told it; our own messages follow it

    def cell(cells: Sequence[str], column: Column) -> str:
        return cells[slot[column.index]]

    header = {column.index: shorten(column.header) for column in by_target.values()}

    first_use: dict[str, int] = {}
    stored: dict[str, tuple[Any, ...]] = {}
    messages: list[str] = []
    keep = True

    def note(error: str, /, **params: object) -> None:
        # Only the first rows with problems keep their messages; the others are only counted.
        messages.append(message(error, **params) if keep else "")

    rows.reverse()  # taken from the end, so a row is let go of as soon as it is judged
    for i, key in enumerate(keys):
        if i % IN_CHUNK == 0:  # this unit's answers under the next keys, a chunk at a time
            stored = stored_answers(unit, keys[i : i + IN_CHUNK])
        number, packed = rows.pop()
        cells = packed.split(SEPARATOR) if isinstance(packed, str) else packed
        messages = []
        keep = len(preview.problems) < PROBLEMS_KEPT
        earlier_use = first_use.setdefault(key, number)
        data: dict[str, Any] = {}
        answered_at: dt.datetime | None = None
        for column, question, matcher in questions:
            raw = cell(cells, column)
            if matcher is None:
                data[question.field] = raw
                continue
            try:
                data[question.field] = matcher(raw)
            except Unknown:
                note(
                    "label_unknown",
                    value=raw.strip(),
                    column=header[column.index],
                    code=question.code,
                    name=question.name,
                    choices=matcher.choices,
                )
                if not keep:
                    break
        if messages and not keep:
            preview.invalid += 1
            continue
        for column, item, pmatcher in profiles:
            raw = cell(cells, column)
            try:
                data[item.key] = pmatcher(raw) or ""
            except Unknown:
                label = item.shown_label
                note(
                    "profile_unknown",
                    value=raw.strip(),
                    column=header[column.index],
                    label=label.lower(),
                    choices=pmatcher.choices,
                )
        for column, name in plain:
            data[name] = cell(cells, column) if name == SUGGESTION else " ".join(cell(cells, column).split())

        submitted_at = None
        raw_time = cell(cells, time_col).strip()
        if not raw_time:
            note("time_missing", column=header[time_col.index])
        else:
            try:
                submitted_at = parse_time(raw_time, tz, dayfirst)
            except ValueError:
                note("time_unreadable", value=raw_time, column=header[time_col.index])
            else:  # validate() holds it to the rule of every channel (not before last year, not ahead)
                answered_at = submitted_at

        if earlier_use != number:
            note("key_duplicate", value=key, other=earlier_use)
        if messages and not keep:
            preview.invalid += 1
            continue
        submission = None
        try:
            submission = validate(
                Received(data, key=key, answered_at=answered_at),
                unit=unit,
                spec=spec,
                channel=Channel.IMPORT,
                services=services,
                language=language,
                now=now,
            )
        except Invalid as exc:
            messages.extend(exc.errors.values())
        else:
            if all(submission.values.get(q.element) is None for q in spec.ikm_questions):
                note("no_answers", n=n_ikm)

        status = "invalid"
        if not messages and submission is not None and submitted_at is not None:
            submitted_at = submission.submitted_at or submitted_at  # today's noon: not after now
            day = timezone.localtime(submitted_at, tz).date()
            parsed = ParsedRow(number, key, submitted_at, day, content_of(submission), context)
            earlier = stored.get(key)
            if earlier is None:
                status = "new"
                preview.rows.append(parsed)
            elif same_questionnaire(earlier, parsed):
                status = "already"  # the same questionnaire again: the stored copy stands
                preview.already.append(number)
            else:
                note("import_key_conflict", value=key, id=earlier[0])
        if messages:
            preview.invalid += 1
            if len(preview.problems) < PROBLEMS_KEPT:
                preview.problems.append(RowProblem(number, messages))
        if len(preview.sample) < PREVIEW_ROWS:
            preview.sample.append(_sample(number, status, submission, submitted_at, spec, tz))
    preview.valid = len(preview.rows)
    preview.lookalikes = lookalikes(preview.rows, unit, spec)


def lookalikes(rows: list[ParsedRow], unit: Unit, spec: InstrumentSpec) -> list[int]:
    """New rows whose time (to the second) and nine answers equal an answer already stored for the unit.

    Keys come from the file's bytes, so an export downloaded again later (Google Forms exports
    are cumulative) or saved again from Excel gets new keys for old rows. Such rows are worth a
    warning before saving; rows with a date only (paper forms keyed in) are left out, since two
    respondents on one day may well give the same answers.
    """
    tz = unit.pemda.tz
    timed = [r for r in rows if timezone.localtime(r.submitted_at, tz).time() != dt.time(0)]
    if not timed:
        return []
    elements = [q.element for q in spec.ikm_questions]
    at = [AT[e] for e in elements]
    first, last = min(r.day for r in timed), max(r.day for r in timed)
    stored = set(
        Answer.objects.filter(unit=unit, day__range=(first, last)).values_list("submitted_at", *elements)
    )
    return [r.row for r in timed if (r.submitted_at, *(r.content[i] for i in at)) in stored]


def _sample(
    number: int,
    status: str,
    submission: Submission | None,
    submitted_at: dt.datetime | None,
    spec: InstrumentSpec,
    tz: dt.tzinfo,
) -> SampleRow:
    row = SampleRow(number, status, when=timezone.localtime(submitted_at, tz) if submitted_at else None)
    if submission is None or status != "new":
        return row
    row.service = submission.service.name if submission.service else ""
    row.values = [submission.values.get(q.element) for q in spec.ikm_questions]
    for item in spec.profile:
        code = submission.profile.get(item.key, "")
        option = next((o for o in item.options if o.code == code), None)
        row.profile.append(option.shown_label if option else "")
    row.suggestion = submission.suggestion
    return row
