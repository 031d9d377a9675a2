"""`skm serve` and `skm worker`, run for real in subprocesses against an SQLite file database.

These test the server and the worker, not the database: they always use a fresh SQLite file under
a temporary SKM_VAR_DIR, also when the suite itself runs on PostgreSQL (DATABASE_URL is left out of
the subprocesses' environment).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django_tasks import task

SKM = Path(sys.executable).parent / "skm"
ROOT = Path(__file__).resolve().parents[3]
HTTPS = {"X-Forwarded-Proto": "https"}  # what the reverse proxy in front of `skm serve` adds


@task()
def note_worker_pid(path: str) -> int:
    """A task for the worker tests: proves which process ran it (the worker imports it by path)."""
    pid = os.getpid()
    Path(path).write_text(str(pid), encoding="utf-8")
    return pid


# --- Helpers ----------------------------------------------------------------------------------


def skm_env(var_dir: Path) -> dict[str, str]:
    """A production environment on an SQLite file in var_dir, whatever the test run's own settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SKM_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        SKM_VAR_DIR=str(var_dir),
        SKM_PRODUCTION="1",
        SKM_SECRET_KEY=secrets.token_urlsafe(48),
        SKM_ALLOWED_HOSTS="127.0.0.1",
    )
    return env


def skm(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SKM), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def start(args: list[str], env: dict[str, str], log_dir: Path) -> subprocess.Popen[bytes]:
    """Start `skm ARGS` in a session of its own, so killpg reaches it and every child it forks."""
    return subprocess.Popen(
        [str(SKM), *args],
        cwd=ROOT,
        env=env,
        stdout=(log_dir / "stdout.log").open("wb"),
        stderr=(log_dir / "stderr.log").open("wb"),
        start_new_session=True,
    )


def logs(log_dir: Path) -> str:
    return "\n".join(
        f"--- {name}\n{(log_dir / name).read_text(errors='replace')}" for name in ("stdout.log", "stderr.log")
    )


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def live_members(pgid: int) -> list[int]:
    """Processes of the group that are not zombies (a zombie has ended; only its parent's wait is due)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue  # the process ended while we looked
        if int(pgrp) == pgid and state not in ("Z", "X"):
            alive.append(int(stat.parent.name))
    return alive


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def task_rows(var_dir: Path) -> list[tuple[str, str, str]]:
    db = sqlite3.connect(var_dir / "skm.sqlite3")
    try:
        return db.execute(
            "SELECT task_path, status, return_value FROM django_tasks_database_dbtaskresult ORDER BY enqueued_at"
        ).fetchall()
    finally:
        db.close()


def enqueue_note_worker_pid(env: dict[str, str], target: Path) -> None:
    """Enqueue the task from a process of its own, as the app would, into the var_dir database."""
    code = f"from {__name__} import note_worker_pid; note_worker_pid.enqueue({str(target)!r})"
    result = skm(["shell", "-c", code], env)
    assert result.returncode == 0, result.stderr


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One `skm migrate` per module; each test gets a copy of the resulting database file."""
    var_dir = tmp_path_factory.mktemp("migrated")
    result = skm(["migrate", "--no-input", "-v", "0"], skm_env(var_dir), timeout=300)
    assert result.returncode == 0, result.stderr
    return var_dir


@pytest.fixture
def var_dir(tmp_path: Path, migrated_template: Path) -> Path:
    var = tmp_path / "var"
    var.mkdir()
    for db_file in migrated_template.glob("skm.sqlite3*"):  # with -wal/-shm if any were left
        shutil.copy2(db_file, var / db_file.name)
    return var


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    return logs


@pytest.fixture
def server(var_dir: Path, log_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`skm serve --workers 1 --threads 2` on a free port, answering; always killed afterwards."""
    port = free_port()
    proc = start(
        ["serve", "--port", str(port), "--workers", "1", "--threads", "2"], skm_env(var_dir), log_dir
    )
    try:
        # collectstatic (hashing and compressing every file) runs first: tens of seconds on 2 cores.
        deadline = time.monotonic() + 240
        while True:
            assert proc.poll() is None, f"skm serve ended with {proc.returncode}\n{logs(log_dir)}"
            assert time.monotonic() < deadline, f"skm serve did not answer\n{logs(log_dir)}"
            try:
                get(port, "/api/v1/openapi.json", HTTPS)
                break
            except OSError:
                time.sleep(0.25)
        yield proc, port
    finally:
        kill_group(proc)


# --- skm serve --------------------------------------------------------------------------------


@pytest.mark.slow
def test_serve_answers_pages_and_hashed_static_files_then_stops_on_sigterm(server, var_dir, log_dir):
    proc, port = server

    # execv: the process we started is granian's master itself, with its worker as a child.
    cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
    assert b"granian" in cmdline and b"skm.wsgi:application" in cmdline, cmdline
    assert cmdline[cmdline.index(b"--workers") + 1] == b"1"
    assert cmdline[cmdline.index(b"--blocking-threads") + 1] == b"2"
    assert len(children_of(proc.pid)) >= 1
    assert "SKM melayani http://127.0.0.1:" in (log_dir / "stdout.log").read_text()

    status, _, body = get(port, "/api/v1/openapi.json", HTTPS)
    assert status == 200
    schema = json.loads(body)
    assert schema["openapi"].startswith("3.")
    assert any(path.endswith("/answers") for path in schema["paths"])

    status, headers, body = get(port, "/admin/login/", HTTPS)
    assert status == 200
    assert b'name="username"' in body
    csrf_cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    assert "Secure" in csrf_cookie  # production settings reached the served app

    status, headers, _ = get(port, "/admin/login/")  # plain HTTP, not through the proxy
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{port}/admin/login/"

    # Static files: hashed names from the manifest collectstatic wrote, served by whitenoise.
    static_root = var_dir / "static"
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    name = sorted(n for n in manifest if n.startswith("skm/") and n.endswith(".css"))[0]
    hashed = manifest[name]
    assert hashed != name
    on_disk = (static_root / hashed).read_bytes()

    status, headers, body = get(port, f"/static/{hashed}", HTTPS)
    assert status == 200
    assert body == on_disk
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]

    status, headers, body = get(port, f"/static/{hashed}", {**HTTPS, "Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == on_disk

    # An unhashed name keeps its name when its content changes: never cached for long (or, with
    # WHITENOISE_KEEP_ONLY_HASHED_FILES, not collected at all).
    status, headers, _ = get(port, f"/static/{name}", HTTPS)
    if (static_root / name).exists():
        assert status == 200
        assert "immutable" not in headers["Cache-Control"]
        assert "max-age=315360000" not in headers["Cache-Control"]
    else:
        assert status == 404

    # What systemd does on stop: SIGTERM to the whole group; master and workers all end.
    os.killpg(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, logs(log_dir)
    deadline = time.monotonic() + 10
    while live_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert live_members(proc.pid) == [], "granian workers outlived their master"


def test_serve_refuses_an_unmigrated_database(tmp_path, log_dir):
    var = tmp_path / "var"
    var.mkdir()
    result = skm(["serve", "--port", str(free_port()), "--workers", "1"], skm_env(var), timeout=60)
    assert result.returncode == 2
    assert "Basis data belum mutakhir" in result.stderr
    assert "migrasi tertunda" in result.stderr
    assert "jalankan `skm migrate` dulu" in result.stderr
    assert "SKM melayani" not in result.stdout
    assert not (var / "static" / "staticfiles.json").exists()  # stopped before collectstatic


# --- skm worker -------------------------------------------------------------------------------


def test_worker_batch_exits_on_an_empty_queue(var_dir):
    result = skm(["worker", "--batch"], skm_env(var_dir), timeout=60)
    assert result.returncode == 0, result.stderr
    assert "No more tasks to run" in result.stdout + result.stderr  # django-tasks-db's log line
    assert task_rows(var_dir) == []


@pytest.mark.slow
def test_worker_batch_runs_the_queued_tasks_then_exits(var_dir, tmp_path):
    env = skm_env(var_dir)
    targets = [tmp_path / "first.pid", tmp_path / "second.pid"]
    for target in targets:
        enqueue_note_worker_pid(env, target)
    rows = task_rows(var_dir)
    assert [(path, status) for path, status, _ in rows] == [(f"{__name__}.note_worker_pid", "READY")] * 2
    assert not any(t.exists() for t in targets)  # enqueueing ran nothing

    result = skm(["worker", "--batch"], env, timeout=60)
    assert result.returncode == 0, result.stderr

    pids = {int(t.read_text()) for t in targets}
    assert len(pids) == 1  # one worker process ran both
    assert os.getpid() not in pids
    assert [(status, json.loads(value)) for _, status, value in task_rows(var_dir)] == [
        ("SUCCESSFUL", pids.pop())
    ] * 2


@pytest.mark.slow
def test_running_worker_takes_a_new_task_and_stops_on_sigterm(var_dir, tmp_path, log_dir):
    env = skm_env(var_dir)
    proc = start(["worker", "--interval", "0.2"], env, log_dir)
    try:
        target = tmp_path / "task.pid"
        enqueue_note_worker_pid(env, target)
        deadline = time.monotonic() + 60
        while not target.exists():
            assert proc.poll() is None, f"skm worker ended with {proc.returncode}\n{logs(log_dir)}"
            assert time.monotonic() < deadline, f"the worker did not run the task\n{logs(log_dir)}"
            time.sleep(0.1)
        deadline = time.monotonic() + 10
        while task_rows(var_dir)[0][1] != "SUCCESSFUL" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert task_rows(var_dir)[0][1] == "SUCCESSFUL"
        assert int(target.read_text()) == proc.pid  # no reloader: the process we started ran it

        os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=20) == 0, logs(log_dir)
    finally:
        kill_group(proc)
