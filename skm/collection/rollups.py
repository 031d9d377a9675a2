"""Keep the rollups equal to the raw answers (SPEC §7; architecture: rollups per unit, service, day).

Two grains hold the same tallies: DailyRollup per unit × service × day, MonthlyRollup per unit ×
service × calendar month. Every writer changes both in the same transaction: `apply()` adds (or,
with sign=-1, removes) a batch of answers; `rebuild()` recomputes both from the raw answers, one
INSERT … SELECT … GROUP BY each; the answer path (skm.collection.store, answer_sql) upserts both
from `increments_select`. `summarise()` sums rollups into the tallies the scoring core takes;
skm.collection.spans reads a date range from whole months plus the days around them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet, Sum

from skm.collection.models import (
    ROLLUP_CHANNEL_COLUMNS,
    ROLLUP_PROFILE_COLUMNS,
    ROLLUP_SUM_COLUMNS,
    Answer,
    DailyRollup,
    MonthlyRollup,
    RollupSums,
)
from skm.scoring.elements import ELEMENTS
from skm.scoring.ikm import UnsurTally

KEY_COLUMNS = ("unit_id", "service_key", "day", "is_excluded")
MONTH_KEY_COLUMNS = ("unit_id", "service_key", "month", "is_excluded")
# Each grain: its model and its unique key (the ON CONFLICT target), daily first: every writer
# changes the daily rows before the monthly ones, so two writers never wait on each other crosswise.
GRAINS: tuple[tuple[type[RollupSums], tuple[str, ...]], ...] = (
    (DailyRollup, KEY_COLUMNS),
    (MonthlyRollup, MONTH_KEY_COLUMNS),
)


def month_sql(column: str) -> str:
    """SQL for the first day of the month of a DATE column, in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"CAST(DATE_TRUNC('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _row_values(values: Mapping[str, Any]) -> dict[str, int]:
    """The rollup increments one answer contributes (`values` has element, profile and channel keys)."""
    row = dict.fromkeys(ROLLUP_SUM_COLUMNS, 0)
    row["n"] = 1
    answered = [values.get(e) for e in ELEMENTS]
    for element, value in zip(ELEMENTS, answered, strict=True):
        if value is not None:
            row[f"cnt_{element}"] = 1
            row[f"sum_{element}"] = int(value)
    if all(v is not None for v in answered):
        total = sum(int(v) for v in answered)  # type: ignore[arg-type]
        row["complete"] = 1
        row["total_sum"] = total
        row["total_sumsq"] = total * total
    for key, code, column in ROLLUP_PROFILE_COLUMNS:
        if values.get(key) == code:
            row[column] = 1
    for code, column in ROLLUP_CHANNEL_COLUMNS:
        if values.get("channel") == code:
            row[column] = 1
    return row


def deltas(answers: Iterable[Answer]) -> dict[tuple[Any, ...], dict[str, int]]:
    """Rollup increments per key for a batch of answers (pemda id is carried in the row)."""
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for answer in answers:
        key = (answer.unit_id, answer.service_id or 0, answer.day, bool(answer.excluded))
        values = {e: getattr(answer, e) for e in ELEMENTS}
        values.update(
            gender=answer.gender,
            age_band=answer.age_band,
            education=answer.education,
            occupation=answer.occupation,
            channel=answer.channel,
        )
        inc = _row_values(values)
        acc = out.get(key)
        if acc is None:
            acc = out[key] = dict.fromkeys(ROLLUP_SUM_COLUMNS, 0)
            acc["pemda_id"] = answer.pemda_id
        for column, value in inc.items():
            acc[column] += value
    return out


def _month_batch(batch: Mapping[tuple[Any, ...], dict[str, int]]) -> dict[tuple[Any, ...], dict[str, int]]:
    """Daily increments summed per calendar month (the key's day becomes its month's first day)."""
    out: dict[tuple[Any, ...], dict[str, int]] = {}
    for (unit_id, service_key, day, is_excluded), acc in batch.items():
        key = (unit_id, service_key, day.replace(day=1), is_excluded)
        into = out.get(key)
        if into is None:
            out[key] = dict(acc)
        else:
            for column in ROLLUP_SUM_COLUMNS:
                into[column] += acc[column]
    return out


def apply(answers: Iterable[Answer], sign: int = 1) -> int:
    """Add (sign=1) or remove (sign=-1) answers' contributions to the daily and monthly rollups;
    call inside the answers' transaction. Returns the number of daily rows touched."""
    if sign not in (1, -1):
        raise ValueError("sign must be 1 or -1")
    batch = deltas(answers)
    if not batch:
        return 0
    for (model, keys), rows in zip(GRAINS, (batch, _month_batch(batch)), strict=True):
        _apply_grain(model, keys, rows, sign)
    return len(batch)


def _apply_grain(
    model: type[RollupSums], keys: tuple[str, ...], batch: Mapping[tuple[Any, ...], dict[str, int]], sign: int
) -> None:
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ("pemda_id", *keys, *ROLLUP_SUM_COLUMNS)
    updates = ", ".join(f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in ROLLUP_SUM_COLUMNS)
    sql = (
        f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(qn(c) for c in keys)}) DO UPDATE SET {updates}"
    )
    params = [
        [acc["pemda_id"], *key, *(sign * acc[c] for c in ROLLUP_SUM_COLUMNS)]
        for key, acc in sorted(batch.items(), key=lambda item: item[0])  # key order, as the answer path
    ]
    with connection.cursor() as cursor:
        if sign == 1:
            cursor.executemany(sql, params)
        else:
            # Removal never creates a row: the answer was counted when it arrived.
            sets = ", ".join(f"{qn(c)} = {qn(c)} - %s" for c in ROLLUP_SUM_COLUMNS)
            where = " AND ".join(f"{qn(c)} = %s" for c in keys)
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE {where}",
                [[-v for v in p[5:]] + p[1:5] for p in params],
            )
            cursor.execute(f"DELETE FROM {table} WHERE n = 0")


def increments_select(where: str, source: str = "", *, monthly: bool = False) -> str:
    """SELECT of rollup rows (key columns, then ROLLUP_SUM_COLUMNS) aggregated from answers.

    `source` is the answer table by default; the one-statement store (skm.collection.store)
    aggregates the row it has just inserted with this same SELECT, so arrivals and `rebuild()`
    share one definition of what an answer adds to its rollup. `monthly` groups by the answer's
    calendar month (its first day) instead of its day: the MonthlyRollup rows.
    """
    qn = connection.ops.quote_name
    period = month_sql(qn("day")) if monthly else qn("day")
    all_answered = " AND ".join(f"{qn(e)} IS NOT NULL" for e in ELEMENTS)
    total = " + ".join(qn(e) for e in ELEMENTS)
    parts = ["COUNT(*)"]
    for element in ELEMENTS:
        parts.append(f"COUNT({qn(element)})")
        parts.append(f"COALESCE(SUM({qn(element)}), 0)")
    parts.append(f"SUM(CASE WHEN {all_answered} THEN 1 ELSE 0 END)")
    parts.append(f"COALESCE(SUM(CASE WHEN {all_answered} THEN {total} ELSE 0 END), 0)")
    parts.append(f"COALESCE(SUM(CASE WHEN {all_answered} THEN ({total}) * ({total}) ELSE 0 END), 0)")
    for key, code, _ in ROLLUP_PROFILE_COLUMNS:
        parts.append(f"SUM(CASE WHEN {qn(key)} = '{code}' THEN 1 ELSE 0 END)")
    for code, _ in ROLLUP_CHANNEL_COLUMNS:
        parts.append(f"SUM(CASE WHEN {qn('channel')} = '{code}' THEN 1 ELSE 0 END)")
    source = source or qn(Answer._meta.db_table)
    return (
        f"SELECT pemda_id, unit_id, COALESCE(service_id, 0), {period}, excluded, {', '.join(parts)} "
        f"FROM {source} {where} "
        f"GROUP BY pemda_id, unit_id, COALESCE(service_id, 0), {period}, excluded"
    )


@transaction.atomic
def rebuild(pemda_id: int | None = None) -> int:
    """Recompute the daily and monthly rollups from raw answers (all Pemda, or one).

    Returns the number of daily rollup rows.
    """
    qn = connection.ops.quote_name
    where, params = ("WHERE pemda_id = %s", [pemda_id]) if pemda_id is not None else ("", [])
    with connection.cursor() as cursor:
        for model, keys in GRAINS:
            table = qn(model._meta.db_table)
            columns = ("pemda_id", *keys, *ROLLUP_SUM_COLUMNS)
            select = increments_select(where, monthly=model is MonthlyRollup)
            cursor.execute(f"DELETE FROM {table} {where}", params)
            cursor.execute(f"INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) {select}", params)
    return DailyRollup.objects.filter(**({"pemda_id": pemda_id} if pemda_id is not None else {})).count()


@dataclass
class Summary:
    """Summed rollups: what the scoring core and the profile tables need."""

    n: int = 0
    tallies: dict[str, UnsurTally] = field(default_factory=dict)
    complete: int = 0
    total_sum: int = 0
    total_sumsq: int = 0
    profile: dict[str, dict[str, int]] = field(default_factory=dict)
    channels: dict[str, int] = field(default_factory=dict)  # answers per Channel code


def summarise(rollups: QuerySet[DailyRollup] | QuerySet[MonthlyRollup]) -> Summary:
    """Sum a set of rollups in one query."""
    sums = rollups.aggregate(**{c: Sum(c) for c in ROLLUP_SUM_COLUMNS})
    return summary_of({c: int(sums[c] or 0) for c in ROLLUP_SUM_COLUMNS})


def summary_of(sums: Mapping[str, int]) -> Summary:
    """The Summary of summed rollup columns (every column of ROLLUP_SUM_COLUMNS; absent ones 0)."""
    get = {c: int(sums.get(c) or 0) for c in ROLLUP_SUM_COLUMNS}
    profile: dict[str, dict[str, int]] = {}
    for key, code, column in ROLLUP_PROFILE_COLUMNS:
        profile.setdefault(key, {})[code] = get[column]
    return Summary(
        n=get["n"],
        tallies={e: UnsurTally(count=get[f"cnt_{e}"], total=get[f"sum_{e}"]) for e in ELEMENTS},
        complete=get["complete"],
        total_sum=get["total_sum"],
        total_sumsq=get["total_sumsq"],
        profile=profile,
        channels={code: get[column] for code, column in ROLLUP_CHANNEL_COLUMNS},
    )
