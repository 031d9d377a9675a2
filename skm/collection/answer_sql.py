"""The SQL that stores answers: their columns, the rollup upserts, the group commit's statement.

A leaf both writers use: skm.collection.store (SQLite, and PostgreSQL inside a transaction) and
skm.collection.group_commit (PostgreSQL's batches), so that neither imports the other for it.
"""

from __future__ import annotations

from functools import cache

from django.db import connection, connections

from skm.collection import rollups
from skm.collection.models import Answer

ALIAS = "default"  # the database answers are stored in

# Every concrete column of an answer but its id, in table order: the statement's parameters.
COLUMNS: tuple[str, ...] = tuple(f.column for f in Answer._meta.concrete_fields if not f.primary_key)


def rollup_upserts(where: str, source: str = "", order: str = "") -> tuple[str, ...]:
    """One upsert per rollup grain (daily, then monthly), adding the answers `source` `where` selects."""
    qn = connection.ops.quote_name
    statements = []
    for model, keys in rollups.GRAINS:
        table = qn(model._meta.db_table)
        columns = ("pemda_id", *keys, *rollups.ROLLUP_SUM_COLUMNS)
        updates = ", ".join(
            f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in rollups.ROLLUP_SUM_COLUMNS
        )
        select = rollups.increments_select(where, source, monthly=model is not rollups.DailyRollup) + order
        statements.append(
            f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) {select} "
            f"ON CONFLICT ({', '.join(qn(c) for c in keys)}) DO UPDATE SET {updates}"
        )
    return tuple(statements)


@cache
def statement() -> str:
    """INSERT of a JSON array of answers (ON CONFLICT DO NOTHING) feeding the rollup upsert, in one.

    The batch travels as ONE parameter, a JSON array of {column: value}: PostgreSQL parses it in
    one go, and the client sends one string instead of one array per column.
    """
    connection = connections[ALIAS]
    qn = connection.ops.quote_name
    fields = {f.column: f for f in Answer._meta.concrete_fields}
    columns = ", ".join(qn(c) for c in COLUMNS)
    record = ", ".join(f"{qn(c)} {fields[c].db_type(connection)}" for c in COLUMNS)
    insert = (  # our own table and column names only
        f"INSERT INTO {qn(Answer._meta.db_table)} ({columns}) "
        f"SELECT {columns} FROM json_to_recordset($1::json) AS batch({record}) "
        f"ON CONFLICT ({qn('unit_id')}, {qn('idempotency_key')}) DO NOTHING RETURNING *"
    )
    # Key order, daily before monthly: writers lock rollup rows alike, so none waits crosswise.
    daily, monthly = rollup_upserts("", source="new_answer", order=" ORDER BY 2, 3, 4, 5")
    return (
        f"WITH new_answer AS ({insert}), new_rollup AS ({daily}), new_month AS ({monthly}) "
        f"SELECT {qn('unit_id')}, {qn('idempotency_key')}, id FROM new_answer"
    )
