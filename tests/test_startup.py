"""A server starts whole: its first requests, of every kind and at once, never meet a half-built app.

Issue 21: after a restart under traffic, a page request building the URLconf raced the answer
endpoint's own import of its module; the import failed, never entered sys.modules, and every
answer got a 500 until the next restart. The server now loads the URLconf, every view and the
API's routers before it takes a request (skm.startup.compose).

The first test starts the real `skm serve` and waits only until its socket takes connections, so
the burst below holds the very first requests its workers see; it restarts the server three times
(kill -9, as a crash would) to give a race three chances. The second checks deterministically, in
a fresh interpreter, that importing the served application has composed everything already.
"""

from __future__ import annotations

import http.client
import json
import secrets
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from skm.scoring.elements import ELEMENTS
from tests.serverproc import ROOT, served

pytestmark = pytest.mark.slow

ANSWERS = 12
PAGES = 6
LISTS = 6


def _request(port: int, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Content-Type": "application/json", "Accept": "application/json"} if body else {}
        conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _answer(unit: str) -> dict[str, Any]:
    return {
        "unit": unit,
        "answers": dict.fromkeys(ELEMENTS, 3),
        "idempotency_key": f"start-{secrets.token_hex(8)}",
        "channel": "api",
    }


def _burst(port: int, unit: str) -> list[tuple[str, int, bytes]]:
    """Every kind of first request at once: answers, survey pages, the API's unit list, the admin."""
    requests: list[tuple[str, str, dict[str, Any] | None]] = [
        *(("POST", "/api/v1/answers", _answer(unit)) for _ in range(ANSWERS)),
        *(("GET", f"/s/{unit}/", None) for _ in range(PAGES)),
        *(("GET", "/api/v1/units", None) for _ in range(LISTS)),
        ("GET", "/admin/login/", None),
        ("GET", f"/k/{unit}/", None),
    ]
    barrier = threading.Barrier(len(requests))
    results: list[tuple[str, int, bytes]] = []
    lock = threading.Lock()

    def send(method: str, path: str, body: dict[str, Any] | None) -> None:
        barrier.wait()
        try:
            status, content = _request(port, method, path, body)
        except (OSError, http.client.HTTPException) as exc:
            status, content = 0, repr(exc).encode()
        with lock:
            results.append((f"{method} {path}", status, content))

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return results


def test_the_first_requests_after_each_start_get_no_500(tmp_path: Path) -> None:
    with served(tmp_path, workers=2, threads=8) as server:
        unit = server.unit_slugs()[0]
        for start in range(3):  # `served` waited for HTTP, so the first round restarts too: cold
            server.kill9()
            server.start(ready="tcp")
            results = _burst(server.port, unit)
            failed = [(what, status, body[:300]) for what, status, body in results if not 200 <= status < 400]
            assert not failed, f"start {start + 1}: {failed}\n{server.log_tail()}"
            created = [what for what, status, _ in results if what.startswith("POST") and status == 201]
            assert len(created) == ANSWERS
            # And the answer endpoint keeps working afterwards (the old failure lasted until a restart).
            later = [_request(server.port, "POST", "/api/v1/answers", _answer(unit))[0] for _ in range(5)]
            assert later == [201] * 5, server.log_tail()
        stored = server.database.query("SELECT COUNT(*) FROM collection_answer")[0][0]
        assert stored == 3 * (ANSWERS + 5)


COMPOSED = """
import sys
import skm.wsgi
loaded = [name for name in (
    "skm.api.urls", "skm.api.answers", "skm.api.units", "skm.collection.views.survey",
    "skm.collection.views.kiosk", "skm.collection.views.entry", "skm.collection.views.imports",
) if name in sys.modules]
from django.urls import get_resolver
resolver = get_resolver()
print(len(loaded), "populated" if resolver._populated else "lazy")
"""


def test_importing_the_served_application_loads_the_whole_urlconf_first() -> None:
    result = subprocess.run(
        [sys.executable, "-c", COMPOSED], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["7", "populated"]
