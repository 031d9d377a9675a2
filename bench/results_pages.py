"""Benchmark: server time of the results pages against DuckDB on the same answers (issue 23, Speed).

    .venv/bin/python bench/results_pages.py [--answers 1000000] [--requests 20]
        [--database-url postgresql://postgres@127.0.0.1:5432/postgres | --sqlite] [--keep]

Seeds one Pemda of 156 units (Kota Banjarmasin, seed 001, weight 0.111) with N answers spread
over one year (2026-01-01 … 2026-12-05, office hours, ~1 % flagged and excluded), on a throwaway
PostgreSQL database beside the one named by --database-url (dropped at the end unless --keep), or
on a temporary SQLite file with --sqlite (the smoke run of the tests). Answers go in by COPY
(PostgreSQL) or `bulk.insert_answers` (SQLite), then `rollups.rebuild()` builds the daily and
monthly rollups.

Then, signed in as the Pemda's Admin Pemda through Django's test Client (without the test
environment's template instrumentation, which is not page time), it times the median of 20 warm
requests (after 2 unmeasured) of each page whose URL name resolves — the dashboard
(`workspace:home`), the Pemda results page (`results:pemda`, ?tahun=2026) and one unit's results
page (`results:unit`, the busiest unit, ?tahun=2026) — and prints "not built" for the others. A
second figure, "not remembered", is the median with skm.results.compute's remembered unit scores
and aggregates forgotten before each request: the page when every unit's counts have just changed.

The baseline, timed in the same run: the same answers exported to Parquet (PostgreSQL COPY → CSV →
DuckDB COPY … (FORMAT parquet); no pandas, no pyarrow) and DuckDB computing the figures each page
shows from that file, median of 20 after 2 unmeasured. Dashboard: the Pemda query (per unit × unsur
means → unit IKM → mean of the unit IKMs, and the Pemda's per-unsur means), the monthly answer
counts and the units with answers in the running period. Pemda page: the Pemda query, the monthly
counts, the profile (one pass of FILTER counts) and the trend (the mean of unit IKMs for each of the
Pemda's periods and the year, one query joined to the ranges). Unit page: the unit's per-unsur
means, its monthly counts, and its profile, channels, interval sums and excluded count in one pass.
Ratio = page ÷ DuckDB; the goal is ≤ 1. The DuckDB IKM is checked against `pemda_result`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2026
FIRST, LAST = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 5)
UNITS = 156
EXCLUDED_SHARE = 0.01
WARM = 2
PROFILE_KEYS = ("gender", "age_band", "education", "occupation")


# --------------------------------------------------------------------------- the database


def throwaway_postgres(url: str) -> tuple[str, str]:
    import psycopg

    name = f"bench_results_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), name


def drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(answers: int, rng: random.Random) -> dict[str, Any]:
    """The Pemda, its 156 units, an Admin Pemda, N answers and their daily and monthly rollups."""
    from django.db import connection, transaction
    from django.utils import timezone

    from skm import demo
    from skm.accounts.roles import create_user
    from skm.accounts.scoping import Role
    from skm.collection import bulk, rollups
    from skm.collection.models import Channel, MonthlyRollup
    from skm.organisation.importing import import_units
    from skm.organisation.models import Unit
    from skm.organisation.setup import create_pemda
    from skm.scoring.elements import ELEMENTS

    spec = demo.DEMO_PEMDA[0]
    started = time.perf_counter()
    with transaction.atomic():
        pemda = create_pemda(
            name=spec.name, slug=spec.slug, level=spec.level, weight=spec.weight, timezone="Asia/Makassar"
        )
        result = import_units(pemda, demo.DATA_DIR / spec.data_file)
        assert not result.errors and result.created_units == UNITS, (result.created_units, result.errors[:3])
        demo._create_periods(pemda, YEAR)
        admin = create_user("bench-admin", "bench-rahasia-123", Role.ADMIN_PEMDA, pemda)
    units = list(Unit.objects.filter(pemda=pemda).prefetch_related("services").order_by("position", "pk"))
    version_id = pemda.instruments.get(kind="skm").current_version().pk
    tz = pemda.tz
    days = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    # Busy and quiet units, each with its own level of satisfaction.
    weights = [rng.lognormvariate(0, 1) for _ in units]
    means = {u.pk: {e: rng.uniform(2.6, 3.7) for e in ELEMENTS} for u in units}
    services = {u.pk: [s.pk for s in u.services.all()] or [None] for u in units}
    now = timezone.now()

    def rows() -> Iterator[dict[str, Any]]:
        chosen = rng.choices(units, weights, k=answers)
        for i, unit in enumerate(chosen):
            day = rng.choice(days)
            at = dt.datetime.combine(day, dt.time(8), tzinfo=tz) + dt.timedelta(seconds=rng.randint(0, 27000))
            row: dict[str, Any] = {
                "pemda_id": pemda.pk,
                "unit_id": unit.pk,
                "service_id": rng.choice(services[unit.pk]),
                "instrument_version_id": version_id,
                "submitted_at": at,
                "day": day,
                "channel": Channel.ONLINE,
                "idempotency_key": f"bench-{i:08d}",
                "gender": rng.choice("LP"),
                "excluded": rng.random() < EXCLUDED_SHARE,
                "created_at": now,
            }
            for element in ELEMENTS:
                row[element] = min(4, max(1, round(rng.gauss(means[unit.pk][element], 0.7))))
            yield row

    with transaction.atomic():
        if connection.vendor == "postgresql":
            copy_answers(rows())
        else:
            bulk.insert_answers(rows())
        inserted = time.perf_counter()
        rollup_rows = rollups.rebuild(pemda.pk)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    done = time.perf_counter()
    busiest = max(units, key=lambda u: weights[units.index(u)])
    return {
        "pemda": pemda,
        "admin": admin,
        "unit": busiest,
        "insert_s": inserted - started,
        "rollup_s": done - inserted,
        "rollup_rows": rollup_rows,
        "monthly_rows": MonthlyRollup.objects.filter(pemda=pemda).count(),
    }


def copy_answers(rows: Iterator[dict[str, Any]]) -> None:
    """COPY the rows into the answer table (PostgreSQL), each field as bulk.insert_answers fills it."""
    import json

    from django.db import connection

    from skm.collection import bulk
    from skm.collection.models import Answer

    names, defaults = bulk._NAMES, bulk._DEFAULTS
    json_names = {f.attname for f in bulk._FIELDS if f.get_internal_type() == "JSONField"}
    columns = ", ".join(f'"{c}"' for c in bulk.COLUMNS)
    connection.ensure_connection()
    sql = f'COPY "{Answer._meta.db_table}" ({columns}) FROM STDIN'
    with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            values = []
            for name in names:
                value = row.get(name, defaults[name])
                values.append(json.dumps(value) if name in json_names else value)
            copy.write_row(values)


# --------------------------------------------------------------------------- timing


def median_seconds(run: Callable[[], Any], times: int) -> float:
    for _ in range(WARM):
        run()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


PAGES = (
    ("dashboard", "workspace:home", False),
    ("Pemda results", "results:pemda", False),
    ("unit results", "results:unit", True),
)


def page_url(name: str, unit_slug: str, per_unit: bool) -> str | None:
    from django.urls import NoReverseMatch, reverse

    attempts: list[dict[str, Any]] = (
        [{"kwargs": {"unit_slug": unit_slug}}, {"kwargs": {"slug": unit_slug}}, {"args": [unit_slug]}]
        if per_unit
        else [{}]
    )
    for attempt in attempts:
        try:
            url = reverse(name, **attempt)
        except NoReverseMatch:
            continue
        return url if name == "workspace:home" else f"{url}?tahun={YEAR}"
    return None


Timed = tuple[float, float, int]  # warm median, median with no score remembered, queries


def time_pages(world: dict[str, Any], requests: int) -> dict[str, Timed | None]:
    """Each page's median server time, warm; the same with skm.results.compute's remembered parts
    and aggregates forgotten before every request (as if every unit's counts had just changed);
    and its number of queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from skm.results import compute

    def forget() -> None:
        compute._part.cache_clear()
        compute._aggregate.cache_clear()

    client = Client()
    client.force_login(world["admin"])
    timed: dict[str, Timed | None] = {}
    for label, name, per_unit in PAGES:
        url = page_url(name, world["unit"].slug, per_unit)
        if url is None:
            timed[label] = None
            continue

        def fetch(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        fetch()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            fetch()
        count = len(queries.captured_queries)  # read now: the property reads the live log
        warm = median_seconds(fetch, requests)

        def cold(fetch: Callable[[], None] = fetch) -> None:
            forget()
            fetch()

        timed[label] = (warm, median_seconds(cold, requests), count)
    return timed


# --------------------------------------------------------------------------- DuckDB


def export_parquet(pemda_id: int, folder: Path) -> Path:
    """The Pemda's answers as Parquet: COPY to CSV (PostgreSQL) or csv.writer (SQLite), then DuckDB."""
    import duckdb
    from django.db import connection

    from skm.collection.models import Answer
    from skm.scoring.elements import ELEMENTS

    columns = ["unit_id", "day", "excluded", *ELEMENTS, *PROFILE_KEYS, "channel"]
    table = Answer._meta.db_table
    select = f"SELECT {', '.join(columns)} FROM {table} WHERE pemda_id = {int(pemda_id)}"
    text = folder / "answers.csv"
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        sql = f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER)"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy, text.open("wb") as out:
            for block in copy:
                out.write(block)
    else:
        with connection.cursor() as cursor, text.open("w", newline="") as out:
            cursor.execute(select)
            writer = csv.writer(out)
            writer.writerow(columns)
            for row in cursor.fetchall():
                writer.writerow(["true" if v is True else "false" if v is False else v for v in row])
    target = folder / "answers.parquet"
    types = {"unit_id": "INTEGER", "day": "DATE", "excluded": "BOOLEAN", **dict.fromkeys(ELEMENTS, "TINYINT")}
    types |= dict.fromkeys([*PROFILE_KEYS, "channel"], "VARCHAR")
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{text}', header = true, columns = {types!r})) "
        f"TO '{target}' (FORMAT parquet)"
    )
    text.unlink()
    return target


def duckdb_queries(
    parquet: Path,
    unit_id: int,
    weight: float,
    trend: list[tuple[dt.date, dt.date]],
    running: tuple[dt.date, dt.date],
) -> dict[str, str]:
    """The figures each page shows, computed by DuckDB from the answers (the pages' baselines).

    `trend`: the ranges of the Pemda page's trend (its periods begun by today, then the year);
    `running`: the dashboard's narrowest running period (its units without answers).
    """
    from skm.scoring.elements import ELEMENTS

    source = f"read_parquet('{parquet}')"
    where = f"NOT excluded AND day BETWEEN DATE '{FIRST}' AND DATE '{LAST}'"
    means = ", ".join(f"avg({e}) AS {e}" for e in ELEMENTS)
    total = " + ".join(ELEMENTS)
    complete = " AND ".join(f"{e} IS NOT NULL" for e in ELEMENTS)
    # The profile and channels: counts per combination (one GROUP BY, the pages add them up);
    # the unit's interval sums and excluded count beside them.
    categories = ", ".join([*PROFILE_KEYS, "channel"])
    squares = f"sum(CAST({total} AS BIGINT)) FILTER (WHERE {complete}), "
    squares += f"sum(CAST({total} AS BIGINT) * ({total})) FILTER (WHERE {complete})"
    spans = ", ".join(f"({i}, DATE '{a}', DATE '{b}')" for i, (a, b) in enumerate(trend))
    tallies = ", ".join(f"count({e}) AS c_{e}, sum({e}) AS s_{e}" for e in ELEMENTS)
    nrr = " + ".join(f"sum(s_{e}) / sum(c_{e})" for e in ELEMENTS)
    return {
        "pemda": (
            f"WITH per_unit AS (SELECT unit_id, count(*) AS n, {means} FROM {source} WHERE {where} "
            f"GROUP BY unit_id), scored AS (SELECT *, ({total}) * {weight} * 25 AS ikm FROM per_unit "
            f"WHERE {complete}) SELECT avg(ikm), count(*), sum(n), "
            + ", ".join(f"avg({e})" for e in ELEMENTS)
            + " FROM scored"
        ),
        "monthly": (
            f"SELECT date_trunc('month', day) AS month, count(*) FROM {source} WHERE {where} "
            "GROUP BY month ORDER BY month"
        ),
        "profile": f"SELECT {categories}, count(*) FROM {source} WHERE {where} GROUP BY ALL",
        # Per unit and day first (DuckDB's own rollup), then each range of the trend from those.
        "trend": (
            f"WITH spans(idx, a, b) AS (VALUES {spans}), daily AS (SELECT unit_id, day, {tallies} "
            f"FROM {source} WHERE NOT excluded GROUP BY ALL), per_unit AS (SELECT idx, unit_id, "
            f"({nrr}) * {weight} * 25 AS ikm FROM daily JOIN spans ON day BETWEEN a AND b "
            "GROUP BY idx, unit_id) SELECT idx, avg(ikm) FROM per_unit GROUP BY idx ORDER BY idx"
        ),
        "silent": (
            f"SELECT DISTINCT unit_id FROM {source} WHERE NOT excluded "
            f"AND day BETWEEN DATE '{running[0]}' AND DATE '{running[1]}'"
        ),
        "unit": f"SELECT count(*), {means} FROM {source} WHERE {where} AND unit_id = {int(unit_id)}",
        "unit_monthly": (
            f"SELECT date_trunc('month', day) AS month, count(*) FROM {source} WHERE {where} "
            f"AND unit_id = {int(unit_id)} GROUP BY month ORDER BY month"
        ),
        "unit_profile": (
            f"SELECT excluded, {categories}, count(*), {squares} FROM {source} "
            f"WHERE day BETWEEN DATE '{FIRST}' AND DATE '{LAST}' AND unit_id = {int(unit_id)} GROUP BY ALL"
        ),
    }


def time_duckdb(queries: dict[str, str], requests: int) -> dict[str, float]:
    import duckdb

    db = duckdb.connect()
    return {
        name: median_seconds(lambda sql=sql: db.execute(sql).fetchall(), requests)
        for name, sql in queries.items()
    }


def breakdown(world: dict[str, Any], requests: int) -> dict[str, float]:
    """Where the Pemda figures' time goes: the grouped rollup query alone (as pemda_result reads it:
    whole months from the monthly rollups, the days of the last month from the daily), and
    pemda_result whole."""
    from django.db import connection

    from skm.collection import spans
    from skm.results import compute

    pemda = world["pemda"]
    filters = {"pemda": pemda, "is_excluded": False}
    found: dict[str, float] = {
        "rollup query": median_seconds(
            lambda: spans.summed(FIRST, LAST, by=("unit_id",), columns=compute.SCORE_COLUMNS, **filters),
            requests,
        ),
        "pemda_result": median_seconds(lambda: compute.pemda_result(pemda, FIRST, LAST), requests),
    }
    if connection.vendor == "postgresql":
        built = spans._sql([spans.split(FIRST, LAST)], ("unit_id",), compute.SCORE_COLUMNS, filters, False)
        assert built is not None
        sql, params, _segments = built
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            print("\nEXPLAIN ANALYZE of the grouped rollup query:")
            for (line,) in cursor.fetchall():
                print("   ", line)
    return found


def page_ranges(pemda: Any) -> tuple[list[tuple[dt.date, dt.date]], tuple[dt.date, dt.date]]:
    """The Pemda page's trend ranges (its periods begun by today, then the year so far) and the
    dashboard's running period, as the pages choose them."""
    from skm.organisation.models import Period
    from skm.results.ranges import current_periods, today_in

    today = today_in(pemda)
    periods = Period.objects.filter(pemda=pemda, start__lte=today).order_by("start", "end", "kind")
    trend = [(p.start, p.end) for p in periods] + [(dt.date(YEAR, 1, 1), max(today, LAST))]
    running = current_periods(pemda, today)
    return trend, ((running[0].start, running[0].end) if running else (dt.date(YEAR, 1, 1), today))


def check_figures(world: dict[str, Any], queries: dict[str, str]) -> tuple[float | None, float | None]:
    """The Pemda's mean of unit IKMs by DuckDB and by skm (pemda_result), for the printout."""
    import duckdb

    from skm.results.compute import pemda_result
    from skm.scoring.aggregate import Method

    ours = pemda_result(world["pemda"], FIRST, LAST, method=Method.MEAN_OF_UNITS).result.ikm
    theirs = duckdb.connect().execute(queries["pemda"]).fetchall()[0][0]
    return (None if theirs is None else float(theirs)), (None if ours is None else float(ours))


def check_trend(world: dict[str, Any], queries: dict[str, str]) -> bool:
    """DuckDB's trend query gives skm's IKM for every range (pemda_results, mean of units)."""
    import duckdb

    from skm.results.compute import pemda_results
    from skm.scoring.aggregate import Method

    ranges = page_ranges(world["pemda"])[0]
    ours = [r.result.ikm for r in pemda_results(world["pemda"], ranges, method=Method.MEAN_OF_UNITS)]
    theirs = dict(duckdb.connect().execute(queries["trend"]).fetchall())
    return all(
        (mine is None and theirs.get(i) is None) or abs(float(mine or 0) - (theirs.get(i) or 0)) < 1e-6
        for i, mine in enumerate(ours)
    )


# --------------------------------------------------------------------------- main


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def run(args: argparse.Namespace, folder: Path) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # The test Client's host, DEBUG off as in production; not setup_test_environment(), whose
    # template instrumentation copies every template's context and would count as page time.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    world = seed(args.answers, random.Random(2026))
    print(
        f"{connection.vendor}: {args.answers:,} answers, {UNITS} units, {FIRST} … {LAST}; "
        f"insert {world['insert_s']:.1f} s, rollups.rebuild {world['rollup_s']:.1f} s "
        f"({world['rollup_rows']:,} daily rows, {world['monthly_rows']:,} monthly)"
    )
    started = time.perf_counter()
    parquet = export_parquet(world["pemda"].pk, folder)
    print(f"exported to Parquet in {time.perf_counter() - started:.1f} s ({parquet.stat().st_size:,} bytes)")
    weight = 0.111 if world["pemda"].weight == "0.111" else 1 / 9
    queries = duckdb_queries(parquet, world["unit"].pk, weight, *page_ranges(world["pemda"]))
    theirs, ours = check_figures(world, queries)
    same = theirs is not None and ours is not None and abs(theirs - ours) < 1e-6
    print(f"IKM (mean of units): DuckDB {theirs}, skm {ours} — {'same' if same else 'DIFFERENT'}")
    trend_same = check_trend(world, queries)
    print(f"trend (mean of units per range): DuckDB and skm {'the same' if trend_same else 'DIFFERENT'}")
    same = same and trend_same
    duck = time_duckdb(queries, args.requests)
    pages = time_pages(world, args.requests)
    parts = breakdown(world, args.requests)
    baselines = {
        "dashboard": duck["pemda"] + duck["monthly"] + duck["silent"],
        "Pemda results": duck["pemda"] + duck["monthly"] + duck["profile"] + duck["trend"],
        "unit results": duck["unit"] + duck["unit_monthly"] + duck["unit_profile"],
    }
    print(f"\nmedian of {args.requests} warm requests / queries")
    for name, seconds in duck.items():
        print(f"  DuckDB {name:<14}{ms(seconds)}")
    print(
        f"\n  {'page':<16}{'server':>12}{'queries':>9}{'DuckDB':>13}{'ratio':>8}"
        f"{'not remembered':>17}{'ratio':>8}"
    )
    for label, _name, _per_unit in PAGES:
        got = pages[label]
        base = baselines[label]
        if got is None:
            print(f"  {label:<16}{'not built':>12}{'':>9}{ms(base)}")
            continue
        seconds, cold, count = got
        print(
            f"  {label:<16}{ms(seconds)}{count:>9}{ms(base)}{seconds / base:8.2f}"
            f"{ms(cold):>17}{cold / base:8.2f}"
        )
    print(
        f"\n  of the Pemda figures: the grouped rollup query {ms(parts['rollup query']).strip()}, "
        f"pemda_result in all {ms(parts['pemda_result']).strip()} (the rest: Python, skm.scoring)"
    )
    return 0 if same else 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (median)")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()
    sys.exit(on_bench_database(args, "skm-bench-results-", run))


def on_bench_database(
    args: argparse.Namespace, prefix: str, run: Callable[[argparse.Namespace, Path], int]
) -> int:
    """`run(args, folder)` on a throwaway PostgreSQL database beside --database-url (dropped at the
    end unless --keep), or on a temporary SQLite file with --sqlite; its exit status."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["SKM_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    throwaway = None
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        url, throwaway = throwaway_postgres(args.database_url)
        os.environ["DATABASE_URL"] = url
    try:
        return run(args, folder)
    finally:
        if throwaway and not args.keep:
            from django.db import connections

            connections.close_all()
            drop_postgres(args.database_url, throwaway)
        elif throwaway:
            print(f"kept database {throwaway}")


if __name__ == "__main__":
    main()
