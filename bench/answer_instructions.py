"""CPU instructions per accepted answer on the server's own path, counted by callgrind: a low-noise A/B.

    .venv/bin/python bench/answer_instructions.py [--answers 200] [--sqlite] [--keep]

On a shared 2-core box, bench/serve_load.py's answers/s move ±20–30 % between two runs of the
same code, so a change worth 5 % cannot be seen there. This counts instead: one process, one
thread, answers POSTed in-process through `skm.wsgi.application` (the WSGI callable that granian
runs: the answer entry, `accept`, validation, flood-limit plan, the group commit writer thread
and its statement), under `valgrind --tool=callgrind`. It runs that process twice, with W
warm-up answers (W = 100) and then N1 = 50 or N2 = 50 + --answers measured ones, and prints

    (instructions of run 2 − instructions of run 1) ÷ (N2 − N1)

so start-up, imports and warm-up cancel out. String hashing is fixed (PYTHONHASHSEED=0), but the
shared tokens are re-read by the clock and the client libraries' waits depend on timing: runs of
the same code differ by up to ~4 % (seen: 1.59 M and 1.65 M), far less than serve_load's ±25 %.
Repeat a run before trusting a change smaller than that. PostgreSQL's and
Redis's own work (other processes) is not in it; serve_load.py measures those.

The database is a fresh one as in serve_load.py (PostgreSQL `skm_bench_<hex>`, or a temporary
SQLite file with --sqlite), migrated and seeded with `skm demo`; production settings; flood limits
counted in Redis but never reached. Also printed: wall-clock µs per answer without valgrind.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import serve_load  # noqa: E402  (its set-up helpers: one way to build a bench database)

from skm.scoring.elements import ELEMENTS  # noqa: E402

WARM_UP = 100
FIRST = 50


def body(slug: str, n: int, prefix: str, devices: list[str]) -> bytes:
    answers = {element: 1 + (n * 7 + i) % 4 for i, element in enumerate(ELEMENTS)}
    return json.dumps(
        {
            "unit": slug,
            "answers": answers,
            "gender": "LP"[n % 2],
            "age_band": "u35",
            "education": "s1",
            "occupation": "swasta",
            "idempotency_key": f"{prefix}-{n}",
            "channel": "api",
            "device": devices[n % len(devices)],
        }
    ).encode()


def child(slugs: list[str], answers: int) -> None:
    """Runs inside the measured process: warm up, then POST `answers` answers in-process."""
    import io

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skm.settings")
    from skm.wsgi import application  # sets Django up: skm.collection imports only after it

    # Ids the server signed, as the survey page's cookie and the kiosk page hand out: a made-up id
    # would count as the sender's address (skm.collection.devices), one hot device for all.
    new_device_id = importlib.import_module("skm.collection.devices").new_device_id
    devices = [new_device_id() for _ in range(500)]
    prefix = secrets.token_hex(6)
    statuses: dict[str, int] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        statuses[status] = statuses.get(status, 0) + 1

    def post(n: int) -> None:
        data = body(slugs[n % len(slugs)], n, prefix, devices)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/answers",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(data)),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        b"".join(application(environ, start_response))

    for n in range(WARM_UP):
        post(n)
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(WARM_UP, WARM_UP + answers):
        post(n)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    if set(statuses) != {"201 Created"}:
        raise SystemExit(f"not every answer was accepted: {statuses}")
    print(json.dumps({"wall_us": 1e6 * wall / max(answers, 1), "cpu_us": 1e6 * cpu / max(answers, 1)}))


def measured(env: dict[str, str], slugs_file: Path, answers: int, out: Path | None) -> dict[str, float]:
    argv = [str(serve_load.PYTHON), str(Path(__file__).resolve()), "--child", str(slugs_file), str(answers)]
    if out is not None:
        argv = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--quiet", *argv]
    done = subprocess.run(argv, env={**env, "PYTHONHASHSEED": "0"}, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        serve_load.fail(f"the measured process failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if out is not None:
        totals = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.M)
        if totals is None:
            serve_load.fail(f"no instruction total in {out}")
        result["instructions"] = float(totals.group(1))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--answers",
        type=int,
        default=200,
        help="measured answers beyond the first 50 (below 200 the figure is noisy)",
    )
    parser.add_argument("--sqlite", action="store_true", help="the embedded SQLite instead of PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the database and temporary files")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.set_defaults(no_redis=False)  # serve_load.base_env's option: Redis, as in production
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]).read_text().split(), int(args.child[1]))
        return
    if not shutil.which("valgrind"):
        serve_load.fail("valgrind is not installed (Debian: `apt-get install valgrind`).")
    tmp = Path(tempfile.mkdtemp(prefix="skm-answer-instructions-"))
    env = serve_load.base_env(args, tmp)
    name = f"skm_bench_{secrets.token_hex(4)}"
    server = args.pg_url.rstrip("/")
    if args.sqlite:
        where = f"{tmp / 'skm.sqlite3'} (SQLite)"
    else:
        serve_load.psql(f"{server}/postgres", f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{server}/{name}"
        where = env["DATABASE_URL"]
    try:
        started = time.perf_counter()
        serve_load.skm(env, "migrate", "--noinput", "-v0")
        serve_load.skm(env, "demo", "--reset", "--responses", "0", "--password", "bench-bench-1")
        slugs = json.loads(serve_load.shell(env, serve_load.SETUP_CODE).strip().splitlines()[-1])["slugs"]
        slugs_file = tmp / "units.txt"
        slugs_file.write_text("\n".join(slugs) + "\n")
        print(f"database : {where}, {len(slugs)} units, set up in {time.perf_counter() - started:.1f} s")
        plain = measured(env, slugs_file, FIRST + args.answers, None)
        print(
            f"plain    : {plain['wall_us']:,.0f} µs wall, {plain['cpu_us']:,.0f} µs CPU per answer "
            "(one thread, each answer waits for its commit)"
        )
        one = measured(env, slugs_file, FIRST, tmp / "callgrind.1")
        two = measured(env, slugs_file, FIRST + args.answers, tmp / "callgrind.2")
        per_answer = (two["instructions"] - one["instructions"]) / args.answers
        print(
            f"callgrind: {one['instructions']:,.0f} instructions ({WARM_UP} + {FIRST} answers), "
            f"{two['instructions']:,.0f} ({WARM_UP} + {FIRST + args.answers})"
        )
        print(f"result   : {per_answer:,.0f} instructions per accepted answer")
    finally:
        if not args.keep:
            if not args.sqlite:
                serve_load.psql(f"{server}/postgres", f"DROP DATABASE IF EXISTS {name}")
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept     : {tmp}" + ("" if args.sqlite else f", database {name}"))


if __name__ == "__main__":
    main()
