"""The real `skm serve` in a process of its own, on a fresh database, for crash tests.

`served()` prepares a database nobody else uses (a new PostgreSQL database on the server
DATABASE_URL points at, or else a SQLite file in a temporary directory), migrates and seeds it,
collects the static files once and starts `skm serve` in a new session. `kill9()` SIGKILLs the
whole process group (granian's master and its workers, as a power cut or the OOM killer would),
checks that none of it survived, and `start()` brings the server back on the same port.

The tests that use this talk to the server over HTTP and read the database through plain
connections (`Database.query`), never through pytest-django's test database: the server is
another process and sees only what is committed.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SKM = Path(sys.executable).parent / "skm"
DEMO_PASSWORD = "uji-rahasia-123"
NO_LIMIT = "100000000/h"  # flood limits stay on (counted) but never refuse

# Two Pemda with the two element orders the regulation allows, three units each.
SMALL_SEED = """
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_pd, make_pemda, make_unit
kota = make_pemda("Kota Uji Kill", slug="kota-uji-kill", timezone="Asia/Makassar")
banjar = make_pemda(
    "Kabupaten Banjar", slug="kabupaten-banjar", order=ELEMENTS_PENGADUAN_BEFORE_SARANA,
    weight="1/9", timezone="Asia/Makassar", level="kabupaten",
)
for pemda, short in ((kota, "kota"), (banjar, "banjar")):
    pd = make_pd(pemda, "Dinas Kesehatan")
    for i in range(1, 4):
        make_unit(pd, f"UPTD Puskesmas {short.title()} {i}", slug=f"puskesmas-{short}-{i}")
"""


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if urlsplit(url).scheme in ("postgres", "postgresql") else None


@dataclass
class Database:
    """A database made for one test: a PostgreSQL database of its own, or a SQLite file."""

    url: str  # the DATABASE_URL the server and the `skm` commands get
    sqlite_path: Path | None = None
    _admin_url: str | None = None
    _name: str | None = None

    @classmethod
    def create(cls, directory: Path) -> Database:
        server = _postgres_url()
        if server is None:
            path = directory / "skm.sqlite3"
            return cls(url=f"sqlite:///{path}", sqlite_path=path)
        import psycopg

        name = f"skm_kill9_{secrets.token_hex(6)}"
        with psycopg.connect(server, dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(server)
        return cls(url=urlunsplit(parts._replace(path=f"/{name}")), _admin_url=server, _name=name)

    @property
    def vendor(self) -> str:
        return "sqlite" if self.sqlite_path else "postgresql"

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of one statement, read with a plain connection (no ORM, no test database)."""
        if self.sqlite_path is not None:
            conn = sqlite3.connect(self.sqlite_path, timeout=30)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def drop(self) -> None:
        if self._name is None:
            return  # the SQLite file goes with its temporary directory
        import psycopg

        with psycopg.connect(self._admin_url, dbname="postgres", autocommit=True) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [self._name],
            )
            conn.execute(f'DROP DATABASE IF EXISTS "{self._name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _state(stat_path: Path) -> tuple[str, int]:
    stat = stat_path.read_text()
    # The fields after the command name "(…)": state, ppid, pgrp, …
    state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
    return state, int(pgrp)


def group_members(pgid: int) -> list[tuple[int, str]]:
    """Processes (pid, command) of a process group that still have a live thread.

    A killed process's main thread can be a zombie while its other threads are still being torn
    down, holding the listening socket: such a process counts as alive.
    """
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state, pgrp = _state(entry / "stat")
            if pgrp != pgid:
                continue
            states = {state} | {_state(task / "stat")[0] for task in (entry / "task").iterdir()}
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue  # it ended while we looked
        if states - {"Z", "X"}:
            found.append((int(entry.name), cmdline.strip()))
    return found


@dataclass
class SkmServer:
    """`skm serve` on 127.0.0.1:port with its own database and var directory."""

    directory: Path
    database: Database
    port: int = field(default_factory=free_port)
    workers: int = 2
    threads: int = 4
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("SKM_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
        }
        env.update(
            DATABASE_URL=self.database.url,
            SKM_VAR_DIR=str(self.directory),
            SKM_RATE_DEVICE=NO_LIMIT,
            SKM_RATE_KIOSK=NO_LIMIT,
            SKM_RATE_IP=NO_LIMIT,
        )
        return env

    def skm(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """Run one `skm` command against this server's database; fail loudly when it fails."""
        result = subprocess.run(
            [str(SKM), *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode != 0:
            raise AssertionError(f"skm {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")
        return result

    def prepare(self, seed: str = "small") -> None:
        """Migrate, seed and collect static files. `seed`: "small" (two Pemda with three units
        each, under a second) or "demo" (`skm demo`, 256 units and the demo accounts, ~5 s)."""
        if seed == "demo":
            seeding: tuple[str, ...] = ("demo", "--reset", "--responses", "0", "--password", DEMO_PASSWORD)
        elif seed == "small":
            seeding = ("shell", "-c", SMALL_SEED)
        else:
            raise ValueError(f"unknown seed {seed!r}")
        for name, args in (
            ("migrate", ("migrate", "-v0")),
            (f"seed ({seed})", seeding),
            ("collectstatic", ("collectstatic", "--noinput", "-v0")),
        ):
            started = time.monotonic()
            self.skm(*args)
            self.timings[name] = time.monotonic() - started

    def unit_slugs(self) -> list[str]:
        return [row[0] for row in self.database.query("SELECT slug FROM organisation_unit ORDER BY slug")]

    @property
    def log_path(self) -> Path:
        return self.directory / f"serve-{self.starts}.log"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def start(self, timeout: float = 60, *, ready: str = "http") -> float:
        """Start `skm serve` (on the same port as before) and wait until it answers HTTP, or with
        `ready="tcp"` only until its socket takes connections (no request has reached the
        application yet: the first requests are the test's own)."""
        assert self.process is None, "the server is running already"
        self.starts += 1
        started = time.monotonic()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    str(SKM),
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                    "--threads",
                    str(self.threads),
                    "--no-collectstatic",
                ],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        while True:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.process = None
                raise AssertionError(f"skm serve exited {code} before answering:\n{self.log_tail()}")
            if self.accepts_tcp() if ready == "tcp" else self.answers_http():
                break
            if time.monotonic() - started > timeout:
                self.kill9()
                raise AssertionError(f"skm serve did not answer within {timeout} s:\n{self.log_tail()}")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        self.timings[f"start {self.starts}"] = elapsed
        return elapsed

    def accepts_tcp(self) -> bool:
        with socket.socket() as s:
            s.settimeout(1)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def answers_http(self) -> bool:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/openapi.json")
            return conn.getresponse().status < 500
        except OSError:
            return False
        finally:
            conn.close()

    def signal_group(self, signum: int) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signum)  # start_new_session: pgid == the master's pid

    def kill9(self, timeout: float = 10) -> None:
        """SIGKILL master and workers at once, and make sure nothing of the group lives on."""
        assert self.process is not None
        pgid = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        self.process.wait(timeout)
        self.process = None
        deadline = time.monotonic() + timeout
        while (left := group_members(pgid)) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not left, f"processes of the killed server survived SIGKILL: {left}"
        with socket.socket() as s:  # nobody listens on the port any more
            s.settimeout(2)
            assert s.connect_ex(("127.0.0.1", self.port)) != 0, "the killed server's port still accepts"

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.signal_group(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        pgid = self.process.pid
        self.process = None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)  # workers that outlived their master


@contextlib.contextmanager
def served(
    directory: Path, *, seed: str = "small", workers: int = 2, threads: int = 4
) -> Iterator[SkmServer]:
    """A prepared, running server; stopped and its database dropped afterwards."""
    database = Database.create(directory)
    server = SkmServer(directory=directory, database=database, workers=workers, threads=threads)
    try:
        server.prepare(seed)
        server.start()
        yield server
    finally:
        server.stop()
        database.drop()


def rollup_rows(database: Database) -> list[tuple[Any, ...]]:
    """Every daily rollup row without its id, in a stable order."""
    if database.vendor == "sqlite":
        columns = [row[1] for row in database.query("PRAGMA table_info(collection_dailyrollup)")]
    else:
        columns = [
            row[0]
            for row in database.query(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'collection_dailyrollup' ORDER BY ordinal_position"
            )
        ]
    listed = ", ".join(f'"{c}"' for c in columns if c != "id")
    return sorted(database.query(f"SELECT {listed} FROM collection_dailyrollup"), key=repr)
