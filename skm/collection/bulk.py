"""Insert many answers in one statement per batch, bypassing per-object ORM work.

For trusted, already validated rows only (the demo generator, the import pipeline after its
dry run). Rollups are the caller's job, in the same transaction (`rollups.apply` or `rebuild`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.utils import timezone

from skm.collection.models import Answer

_FIELDS = [f for f in Answer._meta.concrete_fields if not f.primary_key]
COLUMNS = [f.column for f in _FIELDS]
_NAMES = [f.attname for f in _FIELDS]
_DEFAULTS: dict[str, Any] = {f.attname: f.get_default() for f in _FIELDS}


def insert_answers(rows: Iterable[Mapping[str, Any]], batch_size: int = 5000) -> int:
    """Insert rows given as {attname: value}; missing fields take the model default."""
    qn = connection.ops.quote_name
    ops = connection.ops
    json_fields = {f.attname: f for f in _FIELDS if f.get_internal_type() == "JSONField"}
    sql = (
        f"INSERT INTO {qn(Answer._meta.db_table)} ({', '.join(qn(c) for c in COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    now = timezone.now()
    count = 0
    batch: list[list[Any]] = []

    def flush() -> None:
        with connection.cursor() as cursor:
            cursor.executemany(sql, batch)

    for row in rows:
        values = []
        for name in _NAMES:
            value = row.get(name, _DEFAULTS[name])
            if name == "created_at" and value is None:
                value = now
            if isinstance(value, dt.datetime):
                value = ops.adapt_datetimefield_value(value)
            elif isinstance(value, dt.date):
                value = ops.adapt_datefield_value(value)
            elif name in json_fields:
                value = json_fields[name].get_db_prep_save(value, connection)
            values.append(value)
        batch.append(values)
        count += 1
        if len(batch) >= batch_size:
            flush()
            batch = []
    if batch:
        flush()
    return count
