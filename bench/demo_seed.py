"""Benchmark: `skm demo` seeding rate against the database's own bulk insert rate.

    .venv/bin/python bench/demo_seed.py [--responses 100000] [--database-url URL]

Builds the demo (two Pemda, 256 units, N synthetic answers, daily rollups) on a fresh
database and, in the same run, inserts N answer-shaped rows straight into a bare table with
one executemany per 5,000 rows (no ORM, no generation): the ceiling for this machine.
Prints both rates and their ratio. Goal (issue 8): 100,000 answers in under a minute.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="skm-bench-")
    os.environ["SKM_VAR_DIR"] = tmp
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from skm import demo

    call_command("migrate", verbosity=0)
    if demo.exists():
        demo.reset()
    started = time.perf_counter()
    report = demo.build(responses=args.responses, seed=2026)
    demo_seconds = time.perf_counter() - started

    # Baseline: the same number of answer-shaped rows, straight into a bare table.
    rng = random.Random(1)
    columns = (
        ["unit_id", "day", "submitted_at", "channel", "idem"]
        + [f"u{i}" for i in range(1, 10)]
        + ["gender", "age_band", "education", "occupation", "suggestion", "device_hash"]
    )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_answer")
        cursor.execute(
            "CREATE TABLE bench_answer (id INTEGER PRIMARY KEY, unit_id INTEGER, day DATE, submitted_at TIMESTAMP, "
            "channel VARCHAR(8), idem VARCHAR(64) UNIQUE, "
            + ", ".join(f"u{i} SMALLINT" for i in range(1, 10))
            + ", gender VARCHAR(1), age_band VARCHAR(4), education VARCHAR(4), occupation VARCHAR(10), "
            "suggestion TEXT, device_hash VARCHAR(64))"
            if connection.vendor == "sqlite"
            else "CREATE TABLE bench_answer (id BIGSERIAL PRIMARY KEY, unit_id INTEGER, day DATE, submitted_at TIMESTAMPTZ, "
            "channel VARCHAR(8), idem VARCHAR(64) UNIQUE, "
            + ", ".join(f"u{i} SMALLINT" for i in range(1, 10))
            + ", gender VARCHAR(1), age_band VARCHAR(4), education VARCHAR(4), occupation VARCHAR(10), "
            "suggestion TEXT, device_hash VARCHAR(64))"
        )
    rows = [
        (
            rng.randint(1, 256),
            "2026-05-04",
            "2026-05-04 09:30:00+08:00",
            "online",
            f"{i:032x}",
            *(rng.randint(1, 4) for _ in range(9)),
            "L",
            "u35",
            "sma",
            "swasta",
            "",
            "ab" * 32,
        )
        for i in range(args.responses)
    ]
    sql = f"INSERT INTO bench_answer ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[i : i + 5000])
    base_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_answer")

    demo_rate = report.answers / demo_seconds
    base_rate = len(rows) / base_seconds
    print(f"database            : {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"demo                : {report.answers:,} answers, {report.units} units, {report.rollup_rows:,} rollup rows"
    )
    print(
        f"demo seeding        : {demo_seconds:6.1f} s  = {demo_rate:9,.0f} answers/s (units, generation, insert, rollups)"
    )
    for phase, seconds in report.timings.items():
        print(f"  of which {phase:9} : {seconds:6.1f} s")
    print(
        f"baseline raw insert : {base_seconds:6.1f} s  = {base_rate:9,.0f} rows/s (executemany into a bare table)"
    )
    print(f"ratio demo/baseline : {demo_rate / base_rate:.2f}")
    goal = report.answers * 60 / 100_000
    print(f"goal (100k < 60 s)  : {'met' if demo_seconds < goal else 'NOT met'}")


if __name__ == "__main__":
    main()
