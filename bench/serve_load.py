"""Load on the production server: `skm serve` (granian) taking answers on loopback (issue 9).

    .venv/bin/python bench/serve_load.py [--seconds 30] [--connections 16] [--workers W] [--threads T]
        [--server granian|gunicorn|both] [--sqlite] [--no-redis] [--keep]

What it does, per database (PostgreSQL always; the embedded SQLite default too with --sqlite):

1. A fresh database (PostgreSQL: `skm_bench_<hex>` on postgres://postgres@127.0.0.1:5432, dropped at
   the end unless --keep; SQLite: a WAL file in a temporary SKM_VAR_DIR), `skm migrate`,
   `skm demo --reset --responses 1000`, the slugs of Kota Banjarmasin's 156 units.
2. `skm serve --port <free> --workers W --threads T` (defaults: what `skm serve` itself would use,
   SKM_WORKERS / SKM_THREADS) in production mode (SKM_PRODUCTION=1, TLS redirect off because the
   load arrives over plain loopback HTTP); with --server gunicorn the same app under
   `gunicorn -k gthread -w W --threads T` instead (gunicorn is not a dependency: install it to compare).
3. wrk (`-t2 -c<connections> --latency -s bench/post.lua`) POSTs complete questionnaires to the real
   submission endpoint /api/v1/answers — same validation, idempotency key, integrity flags and flood
   limits as production — for --seconds, after a 2 s warm-up: first spread over the 156 units, then
   all on one unit (one hot rollup row). Every request carries a new idempotency key.
4. Per run: accepted answers/s = rows actually stored during the run (database count before/after)
   ÷ wrk's measured duration; wrk's p50/p99 latency; replies per HTTP status; resident memory
   (VmRSS from /proc) of the server's master process and of each worker process after the run.
5. A baseline measured in the same run on the same database: PostgreSQL — pgbench, 8 clients,
   one INSERT per transaction into an answer-shaped table, durable default settings; SQLite — one
   answer-shaped row per transaction through Python's sqlite3 with the app's pragmas (WAL,
   synchronous=NORMAL). The ratio accepted/s ÷ baseline shows how much of the database's raw insert
   rate the whole HTTP + Django + validation + rollup path keeps.
6. Integrity: no idempotency key stored twice, and the rollups equal a fresh aggregation of the raw
   answers (snapshot of collection_dailyrollup, `rollups.rebuild()`, compare).

Flood limits are configured, not switched off: SKM_RATE_DEVICE, SKM_RATE_KIOSK and SKM_RATE_IP are
set to 100000000/h, so every request is counted in the cache as in production but the load
generator (one IP, 500 device ids) is never throttled. The cache is Redis as in production
(SKM_REDIS_URL, default redis://127.0.0.1:6379/11, flushed before each server start) or, with
--no-redis, Django's local-memory cache (one per worker process). Targets (issue 9): at least
2,000 accepted answers/s and p99 below 25 ms in both PostgreSQL runs; the bench prints PASS/MISS
and never fails on a MISS. Note that wrk runs on the same cores as the server and the database.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
SKM = ROOT / ".venv" / "bin" / "skm"
LUA = ROOT / "bench" / "post.lua"
sys.path.insert(0, str(ROOT))
from skm.scoring.elements import ELEMENTS  # noqa: E402 - stdlib-only module, no Django setup needed

PEMDA = "Kota Banjarmasin"
LIMIT = "100000000/h"
TARGET_RATE = 2000.0
TARGET_P99_MS = 25.0
WARM_UP_SECONDS = 2


@dataclass
class Run:
    database: str
    server: str
    load: str
    seconds: float = 0.0
    stored: int = 0
    requests: int = 0
    non_2xx: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    socket_errors: str = ""
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    memory: list[tuple[int, str, int]] = field(default_factory=list)  # (pid, role, VmRSS kB)
    load_average: float = 0.0  # 1-minute, at the end of the run: other work on the box shows here

    @property
    def rate(self) -> float:
        return self.stored / self.seconds if self.seconds else 0.0


@dataclass
class Outcome:
    database: str
    runs: list[Run] = field(default_factory=list)
    baseline: float = 0.0
    baseline_label: str = ""
    integrity: dict[str, object] = field(default_factory=dict)


# --- small helpers ------------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    print(f"serve_load: {message}", file=sys.stderr)
    sys.exit(2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def skm(env: dict[str, str], *argv: str) -> str:
    done = subprocess.run([str(SKM), *argv], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        fail(f"`skm {' '.join(argv[:2])}` failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def shell(env: dict[str, str], code: str) -> str:
    return skm(env, "shell", "--no-imports", "-c", code)


def psql(url: str, sql: str) -> str:
    done = subprocess.run(
        ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-Atc", sql, url], capture_output=True, text=True
    )
    if done.returncode != 0:
        fail(f"psql failed ({sql[:60]}…): {done.stderr.strip()}")
    return done.stdout.strip()


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk not found: installing it with apt-get …", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
        path = shutil.which("wrk")
        if path:
            return path
    fail("wrk is not installed; install it first (Debian/Ubuntu: `sudo apt-get install wrk`).")


def parse_duration(value: str, unit: str) -> float:
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]


# --- the server ---------------------------------------------------------------------------------


def start_server(
    kind: str, env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    if kind == "granian":
        argv = [str(SKM), "serve", "--port", str(port), "--workers", str(workers), "--threads", str(threads)]
        argv.append("--no-collectstatic")  # collected once in the set-up (compressing takes a while)
    else:
        argv = [
            str(PYTHON), "-m", "gunicorn", "skm.wsgi:application", "-k", "gthread",
            "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
        ]  # fmt: skip
    with log.open("ab") as out:
        server = subprocess.Popen(
            argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"{kind} exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    stop_server(server)
    fail(f"{kind} did not open port {port} within 120 s:\n{log.read_text()[-3000:]}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    # The Popen'd process is the master (`skm serve` execs granian) and leads its own session,
    # so one killpg ends master and workers.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(master: int) -> list[tuple[int, str, int]]:
    """VmRSS of the master and of each of its child processes (the workers)."""
    out = [(master, "master", rss_kb(master))]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == master:
            role = "helper" if "resource_tracker" in cmdline else "worker"
            out.append((int(entry.name), role, rss_kb(int(entry.name))))
    return out


# --- wrk ----------------------------------------------------------------------------------------


def wrk(wrk_path: str, port: int, units_file: Path, seconds: int, args: argparse.Namespace) -> Run:
    env = {**os.environ, "UNITS_FILE": str(units_file), "DEVICES": str(args.devices)}
    argv = [
        wrk_path, "-t2", f"-c{args.connections}", f"-d{seconds}s", "--latency",
        "-s", str(LUA), f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode != 0 or "requests in" not in done.stdout:
        fail(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    text = done.stdout
    run = Run(database="", server="", load="")
    m = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", text)
    assert m, text
    run.requests = int(m.group(1))
    run.seconds = parse_duration(m.group(2), m.group(3))
    for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M):
        ms = parse_duration(value, unit) * 1000
        if pct == "50":
            run.p50_ms = ms
        else:
            run.p99_ms = ms
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    run.non_2xx = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    run.socket_errors = m.group(1).strip() if m else ""
    m = re.search(r"^statuses(.*)$", text, re.M)
    if m:
        for part in m.group(1).split():
            status, n = part.split("=")
            run.statuses[int(status)] = int(n)
    return run


# --- database set-up, counts, integrity, baselines ----------------------------------------------

SETUP_CODE = f"""
import json
from django.conf import settings
from skm.organisation.models import Unit
slugs = list(Unit.objects.filter(pemda__name={PEMDA!r}, active=True).order_by("position", "name").values_list("slug", flat=True))
print(json.dumps({{"slugs": slugs, "workers": settings.SKM_WORKERS, "threads": settings.SKM_THREADS, "cache": settings.CACHES["default"]["BACKEND"]}}))
"""

COUNT_CODE = "from skm.collection.models import Answer; print(Answer.objects.count())"

CLEAR_CACHE_CODE = "from django.core.cache import cache; cache.clear()"

INTEGRITY_CODE = """
import json
from django.db.models import Count
from skm.collection import rollups
from skm.collection.models import Answer, DailyRollup
fields = [f.attname for f in DailyRollup._meta.concrete_fields if f.attname != "id"]
twice = Answer.objects.values("idempotency_key").annotate(c=Count("id")).filter(c__gt=1).count()
before = set(DailyRollup.objects.values_list(*fields))
rollups.rebuild()
after = set(DailyRollup.objects.values_list(*fields))
print(json.dumps({"keys_twice": twice, "answers": Answer.objects.count(), "rollup_rows": len(after),
                  "rows_differing": len(before ^ after), "rollups_equal": before == after}))
"""


def count_answers(env: dict[str, str]) -> int:
    return int(shell(env, COUNT_CODE).split()[-1])


def answer_table_sql(autoincrement: str) -> str:
    values = ", ".join(f"{c} smallint" for c in ELEMENTS)
    return (
        f"CREATE TABLE bench_answer (id {autoincrement}, pemda_id int NOT NULL, unit_id int NOT NULL, "
        f"day date NOT NULL, idempotency_key varchar(64) NOT NULL UNIQUE, {values}, "
        "submitted_at timestamp NOT NULL, created_at timestamp NOT NULL, flags int NOT NULL DEFAULT 0); "
        "CREATE INDEX bench_answer_unit_day ON bench_answer (unit_id, day); "
        "CREATE INDEX bench_answer_pemda_day ON bench_answer (pemda_id, day);"
    )


def pgbench(url: str, seconds: int, tmp: Path) -> float:
    """pgbench -n -c 8 -j 2: one answer-shaped INSERT per transaction, unique keys from md5()."""
    psql(url, "DROP TABLE IF EXISTS bench_answer; " + answer_table_sql("bigserial PRIMARY KEY"))
    sets = "\n".join(f"\\set v{i} random(1, 4)" for i in range(1, 10))
    script = tmp / "insert.sql"
    script.write_text(
        f"\\set unit random(1, 156)\n{sets}\n"
        f"INSERT INTO bench_answer (pemda_id, unit_id, day, idempotency_key, {', '.join(ELEMENTS)}, "
        "submitted_at, created_at, flags) VALUES (1, :unit, current_date, "
        "md5(random()::text || clock_timestamp()::text || :client_id), "
        + ", ".join(f":v{i}" for i in range(1, 10))
        + ", now(), now(), 0);\n"
    )
    done = subprocess.run(
        ["pgbench", "-n", "-c", "8", "-j", "2", "-T", str(seconds), "-f", str(script), url],
        capture_output=True,
        text=True,
    )
    psql(url, "DROP TABLE IF EXISTS bench_answer")
    m = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    if done.returncode != 0 or not m:
        fail(f"pgbench failed:\n{done.stdout}{done.stderr}")
    return float(m.group(1))


def sqlite_baseline(path: Path, seconds: int) -> float:
    """One answer-shaped row per transaction through sqlite3, the app's pragmas, one writer."""
    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
        "DROP TABLE IF EXISTS bench_answer; " + answer_table_sql("INTEGER PRIMARY KEY AUTOINCREMENT")
    )
    sql = (
        f"INSERT INTO bench_answer (pemda_id, unit_id, day, idempotency_key, {', '.join(ELEMENTS)}, "
        "submitted_at, created_at, flags) VALUES (1, ?, date('now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "datetime('now'), datetime('now'), 0)"
    )
    prefix = secrets.token_hex(6)
    n = 0
    started = time.perf_counter()
    stop = started + seconds
    while time.perf_counter() < stop:
        db.execute("BEGIN IMMEDIATE")
        db.execute(sql, (1 + n % 156, f"{prefix}-{n}", *([3] * 9)))
        db.execute("COMMIT")
        n += 1
    elapsed = time.perf_counter() - started
    db.execute("DROP TABLE bench_answer")
    db.close()
    return n / elapsed


# --- one database -------------------------------------------------------------------------------


def base_env(args: argparse.Namespace, var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SKM_") and key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        SKM_VAR_DIR=str(var_dir),
        SKM_PRODUCTION="1",
        SKM_SSL_REDIRECT="0",
        SKM_SECRET_KEY=secrets.token_urlsafe(48),
        SKM_ALLOWED_HOSTS="127.0.0.1,localhost",
        SKM_RATE_DEVICE=LIMIT,
        SKM_RATE_KIOSK=LIMIT,
        SKM_RATE_IP=LIMIT,
    )
    if not args.no_redis:
        env["SKM_REDIS_URL"] = args.redis_url
    return env


def bench_database(database: str, servers: list[str], wrk_path: str, args: argparse.Namespace) -> Outcome:
    outcome = Outcome(database=database)
    tmp = Path(tempfile.mkdtemp(prefix="skm-serve-load-"))
    env = base_env(args, tmp)
    admin_url = args.pg_url.rstrip("/") + "/postgres"
    db_name = f"skm_bench_{secrets.token_hex(4)}"
    db_url = args.pg_url.rstrip("/") + "/" + db_name
    server: subprocess.Popen[bytes] | None = None
    print(f"\n=== {database} ===", flush=True)
    try:
        if database == "PostgreSQL":
            psql(admin_url, f"CREATE DATABASE {db_name}")
            env["DATABASE_URL"] = db_url
            print(f"database    : {db_url} (fresh; {'kept' if args.keep else 'dropped at the end'})")
        else:
            print(
                f"database    : {tmp / 'skm.sqlite3'} (embedded SQLite, WAL; {'kept' if args.keep else 'removed at the end'})"
            )
        started = time.perf_counter()
        skm(env, "migrate", "--noinput", "-v0")
        skm(env, "demo", "--reset", "--responses", "1000", "--password", "bench-bench-1")
        skm(env, "collectstatic", "--noinput", "-v0")
        info = json.loads(shell(env, SETUP_CODE).strip().splitlines()[-1])
        slugs: list[str] = info["slugs"]
        if not slugs:
            fail(f"the demo has no units of {PEMDA}")
        workers = args.workers or info["workers"]
        threads = args.threads or info["threads"]
        print(
            f"set-up      : migrate + demo + collectstatic in {time.perf_counter() - started:.1f} s; {len(slugs)} units of {PEMDA}"
        )
        spread = tmp / "units-all.txt"
        spread.write_text("\n".join(slugs) + "\n")
        hot = tmp / "units-one.txt"
        hot.write_text(slugs[0] + "\n")
        loads = [(f"{len(slugs)} units", spread), (f"1 unit ({slugs[0]})", hot)]
        for kind in servers:
            if not args.no_redis:
                shell(env, CLEAR_CACHE_CODE)
            port = free_port()
            server = start_server(kind, env, port, workers, threads, tmp / f"{kind}.log")
            print(
                f"server      : {kind}, {workers} workers × {threads} threads on 127.0.0.1:{port}", flush=True
            )
            for label, units_file in loads:
                wrk(wrk_path, port, units_file, WARM_UP_SECONDS, args)
                before = count_answers(env)
                run = wrk(wrk_path, port, units_file, args.seconds, args)
                run.memory = memory(server.pid)
                run.load_average = os.getloadavg()[0]
                run.stored = count_answers(env) - before
                run.database, run.server, run.load = database, kind, label
                outcome.runs.append(run)
                print_run(run)
            stop_server(server)
            server = None
        outcome.integrity = json.loads(shell(env, INTEGRITY_CODE).strip().splitlines()[-1])
        if database == "PostgreSQL":
            outcome.baseline = pgbench(db_url, args.baseline_seconds, tmp)
            outcome.baseline_label = (
                f"pgbench -n -c 8 -j 2 -T {args.baseline_seconds}, one INSERT per transaction, "
                "answer-shaped table, durable defaults"
            )
        else:
            outcome.baseline = sqlite_baseline(tmp / "skm.sqlite3", args.baseline_seconds)
            outcome.baseline_label = (
                f"Python sqlite3, one row per transaction for {args.baseline_seconds} s, 1 writer, "
                "WAL + synchronous=NORMAL, answer-shaped table"
            )
        print(f"baseline    : {outcome.baseline:,.0f} rows/s ({outcome.baseline_label})")
        print(f"integrity   : {integrity_text(outcome.integrity)}", flush=True)
        return outcome
    finally:
        if server is not None:
            stop_server(server)
        if not args.keep:
            if database == "PostgreSQL":
                psql(admin_url, f"DROP DATABASE IF EXISTS {db_name} WITH (FORCE)")
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept        : {tmp}" + (f" and database {db_name}" if database == "PostgreSQL" else ""))


# --- output -------------------------------------------------------------------------------------


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f}"


def memory_text(run: Run) -> str:
    master = [kb for _, role, kb in run.memory if role == "master"]
    workers = [kb for _, role, kb in run.memory if role == "worker"]
    return f"master {mb(sum(master))} MB, workers " + " / ".join(f"{mb(kb)}" for kb in workers) + " MB"


def integrity_text(integrity: dict[str, object]) -> str:
    return (
        f"keys stored twice: {integrity['keys_twice']}; rollups equal a rebuild from raw answers: "
        f"{'yes' if integrity['rollups_equal'] else 'NO'} ({integrity['rollup_rows']:,} rollup rows, "
        f"{integrity['rows_differing']} differing; {integrity['answers']:,} answers)"
    )


def print_run(run: Run) -> None:
    statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(run.statuses.items()))
    wrk_201 = run.statuses.get(201, 0)
    check = (
        ""
        if wrk_201 == run.stored
        else f"; wrk counted {wrk_201:,} × 201 (the rest were in flight when it stopped)"
    )
    print(f"  {run.load}:")
    print(
        f"    accepted  : {run.stored:,} new rows in {run.seconds:.2f} s = {run.rate:,.0f} answers/s{check}"
    )
    print(f"    latency   : p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms")
    print(f"    replies   : {run.requests:,} ({statuses}); wrk non-2xx/3xx: {run.non_2xx:,}"
          + (f"; socket errors: {run.socket_errors}" if run.socket_errors else ""))  # fmt: skip
    print(
        f"    memory    : {memory_text(run)} (VmRSS after the run); load average {run.load_average:.1f}",
        flush=True,
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def print_summary(outcomes: list[Outcome], args: argparse.Namespace) -> None:
    print("\n=== Summary ===")
    print(
        f"load        : wrk -t2 -c{args.connections} -d{args.seconds}s, {args.devices} device ids, a new key per request"
    )
    print(f"flood limits: SKM_RATE_DEVICE/KIOSK/IP={LIMIT} (counted on every request, never reached)")
    header = (
        f"{'database':<10} {'server':<8} {'load':<26} {'accepted/s':>10} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'≥2,000/s':>8} {'p99<25':>6} {'÷ base':>7}  RSS (VmRSS)"
    )
    print(header)
    print("-" * len(header))
    for outcome in outcomes:
        for run in outcome.runs:
            target = outcome.database == "PostgreSQL"
            ratio = run.rate / outcome.baseline if outcome.baseline else 0.0
            print(
                f"{run.database:<10} {run.server:<8} {run.load[:26]:<26} {run.rate:>10,.0f} {run.p50_ms:>7.1f} "
                f"{run.p99_ms:>7.1f} {verdict(run.rate >= TARGET_RATE) if target else '—':>8} "
                f"{verdict(run.p99_ms < TARGET_P99_MS) if target else '—':>6} {ratio:>7.3f}  {memory_text(run)}"
            )
    print()
    for outcome in outcomes:
        print(f"baseline {outcome.database:<10}: {outcome.baseline:>8,.0f} rows/s — {outcome.baseline_label}")
    for outcome in outcomes:
        print(f"integrity {outcome.database:<9}: {integrity_text(outcome.integrity)}")
    if not any(o.database == "SQLite" for o in outcomes):
        print("SQLite      : not run (add --sqlite to measure the embedded default too)")
    print(
        "targets     : ≥ 2,000 accepted/s and p99 < 25 ms in both PostgreSQL runs (MISS is reported, not fatal)"
    )


# --- main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=30, help="length of each measured run (default 30)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (default 16)")
    parser.add_argument(
        "--workers", type=int, default=0, help="server worker processes (default: skm serve's)"
    )
    parser.add_argument("--threads", type=int, default=0, help="threads per worker (default: skm serve's)")
    parser.add_argument(
        "--devices", type=int, default=500, help="distinct device ids in the load (default 500)"
    )
    parser.add_argument(
        "--server",
        choices=["granian", "gunicorn", "both"],
        default="granian",
        help="granian via `skm serve` (default), gunicorn gthread (if installed), or both in turn",
    )
    parser.add_argument("--sqlite", action="store_true", help="also run everything against embedded SQLite")
    parser.add_argument("--no-redis", action="store_true", help="local-memory cache instead of Redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="Redis db to use (flushed!)")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server")
    parser.add_argument(
        "--baseline-seconds", type=int, default=10, help="length of the baseline (default 10)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases and temporary files")
    args = parser.parse_args()

    wrk_path = ensure_wrk()
    print(
        f"machine     : {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the start (wrk shares the CPUs)"
    )
    for tool in ("psql", "pgbench"):
        if not shutil.which(tool):
            fail(f"{tool} is not installed (Debian: `apt-get install postgresql-client`).")
    servers = ["granian", "gunicorn"] if args.server == "both" else [args.server]
    has_gunicorn = subprocess.run([str(PYTHON), "-c", "import gunicorn"], capture_output=True).returncode == 0
    if "gunicorn" in servers and not has_gunicorn:
        if args.server == "gunicorn":
            fail(
                "gunicorn is not installed in the venv (it is not a dependency): `.venv/bin/pip install gunicorn`."
            )
        print("gunicorn is not installed in the venv (not a dependency): comparing granian only.")
        servers = ["granian"]
    print(
        f"cache       : {'Django local-memory cache, one per worker process (--no-redis)' if args.no_redis else f'Redis {args.redis_url} (flushed before each server start)'}"
    )
    print(
        f"flood limits: SKM_RATE_DEVICE/KIOSK/IP={LIMIT} — active and counted, never throttling the load generator"
    )
    outcomes = [bench_database("PostgreSQL", servers, wrk_path, args)]
    if args.sqlite:
        outcomes.append(bench_database("SQLite", servers, wrk_path, args))
    print_summary(outcomes, args)


if __name__ == "__main__":
    main()
