"""Store one answer and add it to its daily and monthly rollups as one atomic step, in as few round trips as we can.

The submission path's write (skm.collection.submit) — it decides the throughput of the platform:

* PostgreSQL: ONE statement (skm.collection.answer_sql.statement). `INSERT … ON CONFLICT
  (unit_id, idempotency_key) DO NOTHING RETURNING *` feeds, in the same statement, the rollup upserts
  (`INSERT … SELECT <increments of the new rows> … ON CONFLICT DO UPDATE`). A key already stored
  inserts nothing and so adds nothing. Outside a transaction the answer joins its process's group
  commit; inside one (an import, a test) the same statement runs on the caller's connection,
  with a batch of one, and joins that transaction.
* SQLite: the insert (ON CONFLICT DO NOTHING RETURNING id) and the rollup upserts (daily, then
  monthly) from that row, in one IMMEDIATE transaction, one writer at a time across the server's threads and processes
  (skm.lib.writelock: waiting there instead of in SQLite's busy handler keeps p99 low).

The rollup increments come from `rollups.increments_select`, the same SELECT that `skm rollups
rebuild` runs over all answers, so arrival and rebuild cannot disagree on what an answer adds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from skm.collection import group_commit, integrity
from skm.collection.answer_sql import COLUMNS, rollup_upserts
from skm.collection.models import Answer
from skm.collection.store_types import Stored
from skm.lib.writelock import WriteLock


@cache
def _sqlite_writer(database: str) -> WriteLock:
    """The write lock of this database file (tests switch databases)."""
    return WriteLock(database)


_FIELDS = {f.column: f for f in Answer._meta.concrete_fields}
_KNOWN_NAMES = frozenset(COLUMNS) | {_FIELDS[c].name for c in COLUMNS}  # columns and field names


def _insert(placeholders: list[str], returning: str) -> str:
    qn = connection.ops.quote_name
    return (
        f"INSERT INTO {qn(Answer._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS)}) "
        f"VALUES ({', '.join(placeholders)}) "
        f"ON CONFLICT ({qn('unit_id')}, {qn('idempotency_key')}) DO NOTHING RETURNING {returning}"
    )


@cache
def _sqlite_statements() -> tuple[str, tuple[str, ...]]:
    """The insert and the rollup upserts, with sqlite3's own "?" placeholders: they run on the raw
    sqlite3 cursor, because Django's rewrites "%s" to "?" with a regex on every execute, and over
    these 17 KB of SQL that regex cost 2.5 M CPU instructions per answer, half the answer path."""
    insert = _insert(["?"] * len(COLUMNS), "id")
    # "WHERE id = ?" also settles SQLite's parsing ambiguity of INSERT … SELECT … ON CONFLICT.
    statements = insert, rollup_upserts("WHERE id = ?")
    if any("%" in s for s in (statements[0], *statements[1])):  # Django would have read "%%" as "%"
        raise ValueError("a literal % in the SQLite answer statements")
    return statements


def _adapter(field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.DateTimeField):
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: connection.ops.adapt_datefield_value(value)
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    return None


_ADAPTERS = [(column, _adapter(_FIELDS[column])) for column in COLUMNS]


def _adapt(values: Mapping[str, Any]) -> list[Any]:
    """Column values as the database takes them (dates and times as Django stores them)."""
    return [
        values[column] if adapt is None or values[column] is None else adapt(values[column])
        for column, adapt in _ADAPTERS
    ]


def _json_row(values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values as JSON values (dates and times in ISO 8601), for the group commit."""
    return {c: values[c].isoformat() if isinstance(values[c], dt.date) else values[c] for c in COLUMNS}


def insert_answer(values: Mapping[str, Any], plan: integrity.Plan | None = None) -> Stored:
    """Count one answer (its flood limits and flags, `plan`), then, if allowed, insert it (column →
    value, every column of COLUMNS, `flags` from the counts) and add it to its rollup.

    `answer_id` is None when an answer with this idempotency key is already stored for this unit
    (then nothing was written). On PostgreSQL outside a transaction the answer joins its process's group commit,
    which counts and stores a whole batch at once.
    """
    plan = plan or integrity.Plan.uncounted(values["flags"])
    if connection.vendor == "postgresql" and settings.SKM_GROUP_COMMIT and not connection.in_atomic_block:
        return group_commit.writer().store(values["idempotency_key"], _json_row(values), plan)
    verdict = plan.verdict(integrity.count(plan.counters))
    if not verdict.allowed:
        return Stored(None, False, verdict.flags)
    if connection.vendor == "postgresql":  # the group commit's statement, a batch of one
        ids = group_commit.store_here(connection, [_json_row({**values, "flags": verdict.flags})])
        return Stored(ids.get((values["unit_id"], values["idempotency_key"])), True, verdict.flags)
    params = _adapt({**values, "flags": verdict.flags})
    insert, upserts = _sqlite_statements()
    # SQLite has one writer at a time; the server's threads and processes queue here instead of in
    # SQLite's busy handler, which sleeps up to 100 ms between tries (p99 near 1 s otherwise).
    with _sqlite_writer(str(connection.settings_dict["NAME"])), transaction.atomic():
        # The connection's own cursor, in the transaction atomic() began; errors still become
        # Django's. Not in connection.queries (DEBUG): the price of skipping the rewrite above.
        cursor = connection.connection.cursor()
        try:
            with connection.wrap_database_errors:
                cursor.execute(insert, params)
                row = cursor.fetchone()
                if row is None:
                    return Stored(None, True, verdict.flags)
                for upsert in upserts:  # the daily rollup, then the monthly
                    cursor.execute(upsert, (row[0],))
            return Stored(int(row[0]), True, verdict.flags)
        finally:
            cursor.close()


def answer_values(**values: Any) -> dict[str, Any]:
    """Column values for `insert_answer` from field names, with each omitted column's default."""
    out: dict[str, Any] = {}
    for column in COLUMNS:
        field = _FIELDS[column]
        if column in values:
            out[column] = values[column]
        elif field.name in values:
            out[column] = values[field.name]
        else:
            out[column] = field.get_default()  # its default, "" for text, None when nullable
    unknown = values.keys() - _KNOWN_NAMES
    if unknown:
        raise TypeError(f"not answer columns: {sorted(unknown)}")
    return out
