"""Short load run of the real submission endpoint on loopback (issue 3's closing figure).

    .venv/bin/python bench/submit_load.py [--seconds 10] [--clients 8] [--database-url URL]

Builds a small demo database, starts `skm runserver --noreload` (Django's threaded development
server: the production server is issue 9's subject) on a free loopback port with the flood limits
switched off (SKM_RATE_DEVICE/KIOSK/IP=0/h, so the load generator itself is not throttled), and
POSTs complete questionnaires to /api/v1/answers from N client threads with keep-alive, spread
over all units, each with its own idempotency key. Prints accepted answers/s and latency
percentiles beside the database's own one-row-per-transaction insert rate measured in the same
run (same answer-shaped row, same database), and their ratio. Afterwards checks that no key was
stored twice and that the rollups equal a fresh aggregation.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKM = ROOT / ".venv" / "bin" / "skm"
sys.path.insert(0, str(ROOT))
from skm.scoring.elements import ELEMENTS  # noqa: E402 - stdlib-only module, no Django setup needed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_loop(port: int, units: list[str], stop: float, accepted: list[float], failed: list[int]) -> None:
    rng = random.Random()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.perf_counter() < stop:
        body = json.dumps(
            {
                "unit": rng.choice(units),
                "answers": {e: rng.randint(1, 4) for e in ELEMENTS},
                "gender": rng.choice("LP"),
                "age_band": "u35",
                "idempotency_key": uuid.uuid4().hex,
                "channel": "api",
                "device": f"bench-{threading.get_ident()}",
            }
        )
        started = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/answers", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            failed.append(0)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        if response.status == 201:
            accepted.append(time.perf_counter() - started)
        else:
            failed.append(response.status)
    conn.close()


def baseline(env: dict[str, str], seconds: float) -> float:
    """One answer-shaped row per transaction, straight into the same database (no HTTP, no ORM)."""
    code = f"""
import os, time, uuid, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_one (id {"INTEGER PRIMARY KEY" if "postgres" not in env.get("DATABASE_URL", "") else "BIGSERIAL PRIMARY KEY"}, unit_id INTEGER, day DATE, k VARCHAR(64) UNIQUE, " + ", ".join(f"u{{i}} SMALLINT" for i in range(1, 10)) + ")")
n = 0
stop = time.perf_counter() + {seconds}
while time.perf_counter() < stop:
    with transaction.atomic(), connection.cursor() as c:
        c.execute("INSERT INTO bench_one (unit_id, day, k, u1,u2,u3,u4,u5,u6,u7,u8,u9) VALUES (%s,%s,%s,3,3,3,3,3,3,3,3,3)", [1, "2026-05-04", uuid.uuid4().hex])
    n += 1
with connection.cursor() as c:
    c.execute("DROP TABLE bench_one")
print(n / {seconds})
"""
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--server",
        choices=["runserver", "gunicorn"],
        default="runserver",
        help="runserver: Django's development server; gunicorn: 2 sync workers, if installed",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="skm-load-")
    env = {
        **os.environ,
        "SKM_VAR_DIR": tmp,
        "SKM_RATE_DEVICE": "0/h",
        "SKM_RATE_KIOSK": "0/h",
        "SKM_RATE_IP": "0/h",
    }
    env.pop("SKM_DEBUG", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    subprocess.run(
        [str(SKM), "demo", "--reset", "--responses", "1000", "--password", "bench-bench-1"],
        env=env,
        check=True,
        capture_output=True,
    )
    units = subprocess.run(
        [
            str(SKM),
            "shell",
            "--no-imports",
            "-c",
            "from skm.organisation.models import Unit; print(' '.join(Unit.objects.values_list('slug', flat=True)))",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    port = free_port()
    if args.server == "gunicorn":
        command = [str(ROOT / ".venv/bin/gunicorn"), "skm.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}"]
    else:
        command = [str(SKM), "runserver", "--noreload", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        accepted: list[float] = []
        failed: list[int] = []
        stop = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(port, units, stop, accepted, failed))
            for _ in range(args.clients)
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    check = subprocess.run(
        [
            str(SKM),
            "shell",
            "--no-imports",
            "-c",
            (
                "from django.db.models import Count\n"
                "from skm.collection.models import Answer, DailyRollup\n"
                "from skm.collection import rollups\n"
                "dupes = Answer.objects.values('idempotency_key').annotate(c=Count('id')).filter(c__gt=1).count()\n"
                "before = sorted(DailyRollup.objects.values_list('unit_id','service_key','day','is_excluded','n','sum_waktu','total_sumsq'))\n"
                "rollups.rebuild()\n"
                "after = sorted(DailyRollup.objects.values_list('unit_id','service_key','day','is_excluded','n','sum_waktu','total_sumsq'))\n"
                "print(dupes, before == after, Answer.objects.filter(channel='api').count())"
            ),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    base = baseline(env, min(5.0, args.seconds))
    rate = len(accepted) / elapsed
    lat = sorted(accepted) or [0.0]
    print(f"server              : {args.server}, {args.clients} client threads, {len(units)} units")
    print(f"database            : {args.database_url or 'embedded SQLite (WAL)'}")
    print(
        f"accepted            : {len(accepted):,} in {elapsed:.1f} s = {rate:,.0f} answers/s; other replies: {len(failed)}"
    )
    print(
        f"latency             : p50 {statistics.median(lat) * 1000:.1f} ms, p99 {lat[int(len(lat) * 0.99) - 1] * 1000:.1f} ms"
    )
    print(f"baseline insert     : {base:,.0f} rows/s (one answer-shaped row per transaction, same database)")
    print(f"ratio               : {rate / base:.2f}")
    print(
        f"integrity           : keys stored twice: {check[0]}; rollups equal a rebuild: {check[1]}; stored: {check[2]}"
    )


if __name__ == "__main__":
    main()
