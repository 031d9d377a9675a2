"""Benchmark: bulk import of answers (issue 3 item 7: "10,000 rows in seconds").

    .venv/bin/python bench/import_answers.py [--rows 10000] [--database-url URL]

On a fresh database (a SQLite file in a temp dir, or a throwaway PostgreSQL database created
next to the one in --database-url and dropped afterwards) builds Kabupaten Banjar as the demo
does (its 100 units, pengaduan before sarana), writes a Google-Forms-style export of N rows
(question texts as headers, option labels as cells, "2026/03/05 10:12:33 AM GMT+8" timestamps)
as XLSX and as CSV, and times `importing.read()` (read + map + validate every row + one
existing-key query per 900 keys) and `importing.save()` (bulk insert + rollups, one
transaction) for each. In the same run it measures two baselines with the same rows:
`bulk.insert_answers` + `rollups.apply` alone (the storing floor, no parsing or validation),
and a bare `executemany` into an answer-shaped table (the database's floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _throwaway_postgres(url: str) -> tuple[str, str]:
    """Create an empty database beside the one in `url`; return its URL and name."""
    import psycopg

    name = f"skm_bench_import_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temp dir")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="skm-bench-import-")
    os.environ["SKM_VAR_DIR"] = tmp
    throwaway = None
    if args.database_url.startswith("postgres"):
        url, throwaway = _throwaway_postgres(args.database_url)
        os.environ["DATABASE_URL"] = url
    elif args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    try:
        run(args.rows, Path(tmp))
    finally:
        if throwaway:
            from django.db import connections

            connections.close_all()
            _drop_postgres(args.database_url, throwaway)


def run(n_rows: int, tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    import django

    django.setup()
    import csv
    import io

    from django.core.management import call_command
    from django.db import connection, transaction
    from openpyxl import Workbook

    from skm import demo
    from skm.collection import bulk, importing, rollups
    from skm.collection.models import Answer, DailyRollup
    from skm.instrument.spec import current_spec
    from skm.organisation.importing import import_units
    from skm.organisation.models import Unit
    from skm.organisation.setup import create_pemda

    call_command("migrate", verbosity=0)
    banjar = next(d for d in demo.DEMO_PEMDA if d.slug == "kabupaten-banjar")
    pemda = create_pemda(
        name=banjar.name,
        slug=banjar.slug,
        level=banjar.level,
        weight=banjar.weight,
        timezone="Asia/Makassar",
        order=banjar.order,
        headers=banjar.headers,
    )
    import_units(pemda, demo.DATA_DIR / banjar.data_file)
    units = list(Unit.objects.filter(pemda=pemda).prefetch_related("services").order_by("position"))
    unit_xlsx, unit_csv = [u for u in units if u.services.all()][:2]  # two units with services
    spec = current_spec(pemda.pk)

    def export(unit: Unit, seed: int) -> list[list[str]]:
        rng = random.Random(seed)
        services = [s.name for s in unit.services.all()]
        header = ["Timestamp", "Jenis layanan", *(q.text for q in spec.ikm_questions)]
        header += ["Jenis Kelamin", "Usia", "Pendidikan Terakhir", "Pekerjaan", "Kritik dan saran"]
        header[2] = "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan?"  # edited wording
        rows = [header]
        start = dt.datetime(2026, 1, 2, 8, 0)
        for i in range(n_rows):
            when = start + dt.timedelta(minutes=31 * i)
            labels = [rng.choice(q.options).label for q in spec.ikm_questions]
            rows.append(
                [
                    when.strftime("%Y/%m/%d %I:%M:%S %p GMT+8"),
                    rng.choice(services),
                    *labels,
                    rng.choice(("Laki-laki", "Perempuan")),
                    str(rng.randint(17, 70)),
                    rng.choice(("SD", "SMP", "SMA/SMK", "D3", "S1", "S2")),
                    rng.choice(("PNS/ASN", "Pegawai swasta", "Wiraswasta", "Pelajar/Mahasiswa", "Petani")),
                    rng.choice(demo.SUGGESTIONS).format(layanan="layanan") if rng.random() < 0.2 else "",
                ]
            )
        return rows

    def as_csv(rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        return out.getvalue().encode("utf-8")

    def as_xlsx(rows: list[list[str]]) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    results = {}
    for name, unit, data in (
        ("xlsx", unit_xlsx, as_xlsx(export(unit_xlsx, 1))),
        ("csv", unit_csv, as_csv(export(unit_csv, 2))),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        preview = importing.read(data, f"ekspor.{name}", unit)
        checked = time.perf_counter()
        assert preview.ok, (preview.file_errors, preview.problems[:3])
        saved = importing.save(preview)
        stored, cpu = time.perf_counter(), time.process_time() - cpu
        assert saved.created == n_rows
        again = importing.read(data, f"ekspor.{name}", unit)
        assert len(again.already) == n_rows and not again.rows
        results[name] = (checked - started, stored - checked, len(data), cpu)

    # Baseline 1: the same answers stored by bulk.insert_answers + rollups.apply alone.
    rows = list(Answer.objects.filter(unit=unit_csv).values())
    for row in rows:
        row.pop("id")
        row["idempotency_key"] = "b-" + row["idempotency_key"]
    started = time.perf_counter()
    with transaction.atomic():
        bulk.insert_answers(rows)  # the same call importing.save() makes
        rollups.apply(Answer(**row) for row in rows)
    floor_store = time.perf_counter() - started

    # Baseline 2: a bare executemany of answer-shaped rows into a plain table.
    columns = ["unit_id", "day", "submitted_at", "channel", "idem", *(f"u{i}" for i in range(1, 10))]
    columns += ["gender", "age_band", "education", "occupation", "suggestion"]
    key = "INTEGER PRIMARY KEY" if connection.vendor == "sqlite" else "BIGSERIAL PRIMARY KEY"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_answer")
        cursor.execute(
            f"CREATE TABLE bench_answer (id {key}, unit_id INTEGER, day DATE, submitted_at TIMESTAMP, "
            "channel VARCHAR(8), idem VARCHAR(64) UNIQUE, "
            + ", ".join(f"u{i} SMALLINT" for i in range(1, 10))
            + ", gender VARCHAR(1), age_band VARCHAR(4), education VARCHAR(4), occupation VARCHAR(10), "
            "suggestion TEXT)"
        )
    bare = [
        (
            r["unit_id"],
            r["day"],
            r["submitted_at"],
            r["channel"],
            r["idempotency_key"],
            *(r[q.element] for q in spec.ikm_questions),
            r["gender"],
            r["age_band"],
            r["education"],
            r["occupation"],
            r["suggestion"],
        )
        for r in rows
    ]
    sql = f"INSERT INTO bench_answer ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(0, len(bare), 5000):
            cursor.executemany(sql, bare[i : i + 5000])
    floor_bare = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_answer")

    assert DailyRollup.objects.filter(unit=unit_csv).count() > 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"database             : {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"machine              : {os.cpu_count()} CPUs, load average {load:.1f} (wall times grow with load)"
    )
    print(f"rows per file        : {n_rows:,} (Google Forms style: question texts, option labels)")
    for name, (check_s, save_s, size, cpu) in results.items():
        total = check_s + save_s
        print(
            f"import {name:4} {size / 1e6:5.1f} MB: read+validate {check_s:5.2f} s, save {save_s:5.2f} s, "
            f"total {total:5.2f} s = {n_rows / total:8,.0f} rows/s (this process's CPU: {cpu:5.2f} s)"
        )
    csv_total = sum(results["csv"][:2])
    print(
        f"baseline insert+rollup: {floor_store:5.2f} s = {n_rows / floor_store:8,.0f} rows/s (bulk.insert_answers + rollups.apply)"
    )
    print(
        f"baseline bare insert  : {floor_bare:5.2f} s = {n_rows / floor_bare:8,.0f} rows/s (executemany into a bare table)"
    )
    print(f"ratio csv import / insert+rollup : {floor_store / csv_total:.2f}")
    print(f"ratio csv import / bare insert   : {floor_bare / csv_total:.2f}")
    wall_ok = all(sum(r[:2]) < 10 for r in results.values())
    cpu_ok = all(r[3] < 10 for r in results.values())
    print(
        f"goal (10,000 rows in under 10 s per file): wall {'met' if wall_ok else 'NOT met'}, "
        f"this process's CPU {'met' if cpu_ok else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
