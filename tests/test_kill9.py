"""Kill -9 under load: every answer a client sent is stored exactly once, rollups stay exact.

Six clients POST answers with fresh idempotency keys to the real `skm serve` (granian, two
workers). In the middle the whole server group gets SIGKILL. Each request is then either
acknowledged (201) or unanswered — refused, reset, or in flight when the server died, so the
client cannot know whether it was stored. After a restart on the same port the clients resend
every unanswered request with the same key and body until the server acknowledges it (201, or 200
"already_received" when the killed server had committed it). The database must then hold each
sent answer exactly once with the values sent, and the rollups must equal a rebuild from the raw
answers.

SKM_KILL9_SECONDS (default 2) is the load time; longer runs kill and restart every ~2 s.
Runs on SQLite, or on a fresh database on the PostgreSQL server DATABASE_URL points at.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from skm.scoring.elements import ELEMENTS
from tests.serverproc import SkmServer, rollup_rows, served

pytestmark = pytest.mark.slow

SECONDS = float(os.environ.get("SKM_KILL9_SECONDS", "2"))
ROUND_SECONDS = 2.0
CLIENTS = 6
TIMEOUT = 5.0  # seconds a client waits for a reply
PROFILE = {
    "gender": ("L", "P"),
    "age_band": ("u18", "u25", "u35", "u45", "u55", "u56"),
    "education": ("sd", "smp", "sma", "d3", "s1", "s2"),
    "occupation": ("pns", "tni", "swasta", "wirausaha", "pelajar", "lainnya"),
}
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass
class Sent:
    """One request as the client saw it."""

    key: str
    body: dict[str, Any]
    started: float
    ended: float = 0.0
    status: int | None = None  # None: no reply at all
    reply: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def refused(self) -> bool:
        return self.error.startswith("ConnectionRefusedError")  # never left the client


def make_body(rng: random.Random, units: list[str], key: str, device: str) -> dict[str, Any]:
    return {
        "unit": rng.choice(units),
        "answers": {element: rng.randint(1, 4) for element in ELEMENTS},
        **{name: rng.choice(codes) for name, codes in PROFILE.items()},
        "idempotency_key": key,
        "channel": "api",
        "device": device,
    }


def post(conn: http.client.HTTPConnection, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    conn.request("POST", "/api/v1/answers", body=json.dumps(body), headers=HEADERS)
    response = conn.getresponse()
    data = response.read()
    try:
        return response.status, json.loads(data)
    except ValueError:
        return response.status, {"raw": data[:200].decode(errors="replace")}


def client(server: SkmServer, number: int, units: list[str], stop: threading.Event, out: list[Sent]) -> None:
    """Keep-alive POSTs until told to stop; a broken connection is replaced by a new one."""
    rng = random.Random(f"{number}-{secrets.token_hex(4)}")
    conn: http.client.HTTPConnection | None = None
    seq = 0
    while not stop.is_set():
        seq += 1
        key = f"kill9-{number}-{seq:06d}-{secrets.token_hex(4)}"
        sent = Sent(key, make_body(rng, units, key, f"kill9-client-{number}"), time.monotonic())
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
            sent.status, sent.reply = post(conn, sent.body)
        except (OSError, http.client.HTTPException) as exc:
            sent.error = f"{type(exc).__name__}: {exc}"
            if conn is not None:
                conn.close()
            conn = None
            time.sleep(0.05)  # the server is down: try again soon, without spinning
        sent.ended = time.monotonic()
        out.append(sent)
    if conn is not None:
        conn.close()


def deliver(server: SkmServer, sent: Sent, deadline: float) -> tuple[int, dict[str, Any]]:
    """Resend with the same key and body until the server acknowledges it."""
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=TIMEOUT)
        try:
            status, reply = post(conn, sent.body)
        except (OSError, http.client.HTTPException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
            continue
        finally:
            conn.close()
        assert status in (200, 201), f"resending {sent.key}: HTTP {status} {reply}"
        return status, reply


@dataclass
class Round:
    kill_at: float
    killed_at: float
    requests: list[Sent]


def load_and_kill(server: SkmServer, units: list[str], seconds: float) -> Round:
    stop = threading.Event()
    requests: list[Sent] = []
    threads = [
        threading.Thread(target=client, args=(server, n, units, stop, requests), daemon=True)
        for n in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    kill_at = time.monotonic()
    server.kill9()
    killed_at = time.monotonic()
    time.sleep(0.3)  # the clients keep trying while the server is down
    stop.set()
    for thread in threads:
        thread.join(TIMEOUT + 10)
        assert not thread.is_alive(), "a client hung"
    return Round(kill_at, killed_at, requests)


def stored_answers(server: SkmServer) -> list[tuple[Any, ...]]:
    columns = ", ".join(f"a.{c}" for c in (*ELEMENTS, *PROFILE))
    return server.database.query(
        f"SELECT a.idempotency_key, u.slug, a.channel, {columns} "
        "FROM collection_answer a JOIN organisation_unit u ON u.id = a.unit_id"
    )


def expected_row(body: dict[str, Any]) -> tuple[Any, ...]:
    return (
        body["idempotency_key"],
        body["unit"],
        body["channel"],
        *(body["answers"][e] for e in ELEMENTS),
        *(body[name] for name in PROFILE),
    )


def test_kill9_under_load_loses_and_duplicates_nothing(tmp_path):
    with served(tmp_path) as server:
        units = server.unit_slugs()
        assert len(units) >= 4
        assert server.database.query("SELECT COUNT(*) FROM collection_answer") == [(0,)]
        acked: dict[str, Sent] = {}
        retried: dict[str, int] = {}  # key -> status of the resend that was acknowledged
        bodies: dict[str, dict[str, Any]] = {}
        in_flight = refused = 0
        rounds = max(1, round(SECONDS / ROUND_SECONDS))
        for number in range(rounds):
            # A different moment each round: the kill lands in different phases of a request.
            result = load_and_kill(server, units, SECONDS / rounds * random.uniform(0.75, 1.25))
            answered = [s for s in result.requests if s.status is not None]
            unanswered = [s for s in result.requests if s.status is None]
            unexpected = [(s.key, s.status, s.reply) for s in answered if s.status != 201]
            assert unexpected == [], "before the kill every fresh key must get 201"
            assert all(s.reply["status"] == "created" for s in answered)
            assert all(s.started < result.killed_at for s in answered), "a reply from a killed server?"
            # Not vacuous: answers were stored before the kill, and requests died with the server.
            assert sum(1 for s in answered if s.ended < result.kill_at) > 0
            flying = [s for s in unanswered if s.started < result.kill_at and not s.refused]
            assert unanswered, "nothing was lost in the kill: it did not hit the stream"
            in_flight += len(flying)
            refused += sum(1 for s in unanswered if s.refused)
            acked.update((s.key, s) for s in answered)
            bodies.update((s.key, s.body) for s in result.requests)

            restart = server.start()
            deadline = time.monotonic() + 60
            for sent in unanswered:
                status, _ = deliver(server, sent, deadline)
                retried[sent.key] = status
            print(
                f"\nround {number + 1}: {len(answered)} acknowledged, {len(unanswered)} unanswered "
                f"({len(flying)} in flight at the kill); resent: "
                f"{sum(1 for s in unanswered if retried[s.key] == 201)} × 201, "
                f"{sum(1 for s in unanswered if retried[s.key] == 200)} × 200 already stored; "
                f"restart {restart:.1f} s"
            )
        assert in_flight > 0, "no request was in flight when the server died"

        # An acknowledged answer sent again after the restart is recognised, not stored again.
        again = next(iter(acked.values()))
        status, reply = deliver(server, again, time.monotonic() + 30)
        assert (status, reply["status"], reply["id"]) == (200, "already_received", again.reply["id"])

        rows = stored_answers(server)
        keys = [row[0] for row in rows]
        assert len(keys) == len(set(keys)), "a key is stored twice"
        assert set(acked).isdisjoint(retried)
        assert set(keys) == set(acked) | set(retried)  # nothing lost, nothing never sent
        assert len(rows) == len(acked) + len(retried)
        wrong = [row for row in rows if row != expected_row(bodies[row[0]])]
        assert wrong == [], "stored values differ from the values sent"

        before = rollup_rows(server.database)
        assert server.database.query("SELECT SUM(n) FROM collection_dailyrollup") == [(len(rows),)]
        server.skm("rollups", "rebuild")
        assert rollup_rows(server.database) == before
        print(
            f"kill -9 ({server.database.vendor}): {len(rows)} answers stored once each "
            f"({len(acked)} acknowledged, {len(retried)} resent: {in_flight} in flight, {refused} refused); "
            f"{len(before)} rollup rows equal a rebuild; setup "
            + ", ".join(f"{name} {t:.1f} s" for name, t in server.timings.items())
        )
