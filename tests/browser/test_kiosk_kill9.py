"""Kill -9 with a kiosk at the counter: its queue resends, and each questionnaire is stored once.

The kiosk page is served by the real `skm serve` (tests/serverproc.py), which is SIGKILLed twice:
once after it stored an answer but before the tablet heard the reply, once with a request
written to its socket but not yet read (the server is stopped with SIGSTOP first, so the kill
lands exactly there). The browser stays online all along, so no `online` event helps: the kiosk
must find the server again by its own retry timer, also after a reload from the service worker
while the server is down.
"""

from __future__ import annotations

import json
import signal
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.serverproc import rollup_rows, served

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNIT = "puskesmas-banjar-1"
API = "/api/v1/answers"
# A unit admin sets the tablet up (/kelola/kios/): here in the server's own database and key.
SET_UP = f"""
import json
from skm.organisation.models import Unit
from skm.testing import make_tablet
unit = Unit.objects.get(slug="{UNIT}")
tablet, token = make_tablet(unit, "Loket kill9")
print(json.dumps({{"token": token, "unit": unit.slug, "unit_name": unit.name, "label": tablet.label}}))
"""


@pytest.fixture
def server(tmp_path):
    with served(tmp_path) as server:
        yield server


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="id-ID", timezone_id="Asia/Makassar", has_touch=True
    )
    yield context
    context.close()


def tap_step(page, step, value):
    # As in test_kiosk_browser.py: a tap counts only once the screen accepts input.
    selector = f"#k-ask[data-step='{step}'][data-ready] .k-option[data-value='{value}']"
    page.wait_for_function("s => document.querySelector(s)", arg=selector, polling="raf")
    page.click(selector)


def answer(page, value, suggestion, profile=("P", "u35", "s1", "swasta")):
    """One questionnaire from the start screen to the thank-you screen, then back to the start."""
    page.wait_for_selector("#k-start:not([hidden])")
    page.click("#k-begin")
    for step, choice in enumerate([*[value] * 9, *profile]):
        tap_step(page, step, choice)
    page.wait_for_selector("#k-suggest:not([hidden])")
    page.fill("#k-suggestion", suggestion)
    page.click("#k-send")
    page.wait_for_selector("#k-thanks:not([hidden])")


def waiting(page, count, timeout=30_000):
    page.wait_for_function(
        "n => document.querySelector('#k-queue').dataset.waiting === n",
        arg=str(count),
        polling=100,
        timeout=timeout,
    )


def drained(page, server, timeline, timeout=90_000):
    """The queue empties after a restart; if it does not, say what the kiosk and server saw."""
    try:
        waiting(page, 0, timeout=timeout)
    except PlaywrightTimeout:
        queue = page.evaluate("Object.assign({}, document.querySelector('#k-queue').dataset)")
        raise AssertionError(
            f"the kiosk's queue did not drain in {timeout / 1000:.0f} s after a restart: "
            f"queue {queue}; the page's tries:\n"
            + "\n".join(timeline)
            + f"\nserver log:\n{server.log_tail()}"
        ) from None


def until(page, condition, what, timeout=20):
    """Poll a Python condition while Playwright keeps delivering the page's events."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        page.wait_for_timeout(50)


def stored(server):
    return server.database.query(
        "SELECT a.idempotency_key, a.suggestion, a.channel FROM collection_answer a "
        f"JOIN organisation_unit u ON u.id = a.unit_id WHERE u.slug = '{UNIT}'"
    )


def test_kiosk_queue_survives_kill9_and_each_answer_arrives_once(context, server):
    replies: list[tuple[str, int]] = []  # (key, HTTP status) the page received
    failed: list[tuple[str, str]] = []  # (key, network error) of tries that got no reply
    sent: list[str] = []  # key of every POST the page made
    timeline: list[str] = []  # every try with its time, for the message when the queue stalls
    t0 = time.monotonic()

    def note(what, key, outcome=""):
        timeline.append(f"{time.monotonic() - t0:7.2f} s {what} {key} {outcome}".rstrip())

    def on_request(r):
        if API in r.url:
            sent.append(r.post_data_json["idempotency_key"])
            note("POST", sent[-1])

    def on_response(r):
        if API in r.url:
            replies.append((r.request.post_data_json["idempotency_key"], r.status))
            note("reply", *replies[-1])

    def on_failed(r):
        if API in r.url:
            failed.append((r.post_data_json["idempotency_key"], r.failure))
            note("failed", *failed[-1])

    context.on("request", on_request)
    context.on("response", on_response)
    context.on("requestfailed", on_failed)
    tablet = server.skm("shell", "-c", SET_UP).stdout.strip().splitlines()[-1]
    context.add_init_script(
        f"try {{ localStorage.setItem('skm-kiosk-tablet', {json.dumps(tablet)}); }} catch (e) {{}}"
    )
    page = context.new_page()
    page.goto(f"{server.url}/k/{UNIT}/?thanks=1")
    page.wait_for_selector("body[data-ready]")
    page.wait_for_selector("html[data-offline-ready='1']", state="attached", timeout=15_000)

    answer(page, 4, "kill9 #1")
    waiting(page, 0)
    assert [row[1] for row in stored(server)] == ["kill9 #1"]

    # 1. The server stores #2, then dies before the tablet hears the reply.
    def store_then_kill(route):
        response = route.fetch()
        assert response.status == 201
        server.kill9()
        note("kill -9", "")
        route.abort("connectionreset")

    context.route(f"**{API}", store_then_kill, times=1)
    answer(page, 3, "kill9 #2")
    until(page, lambda: failed, "the lost reply")
    waiting(page, 1)
    assert server.process is None  # killed
    assert sorted(row[1] for row in stored(server)) == ["kill9 #1", "kill9 #2"]

    # 2. Someone answers while the server is down; the page is reloaded (its service worker
    # serves it); the tablet's network was up all the time.
    answer(page, 2, "kill9 #3")
    waiting(page, 2)
    page.reload()
    note("reload", "")
    page.wait_for_selector("body[data-ready]")
    waiting(page, 2)
    assert page.evaluate("navigator.onLine") is True

    restart = server.start()
    started = time.monotonic()
    note("restarted", f"in {restart:.1f} s")
    drained(page, server, timeline)
    drain_seconds = time.monotonic() - started
    key_of = {suggestion: key for key, suggestion, _ in stored(server)}
    assert (key_of["kill9 #2"], 200) in replies  # "already_received": stored before the kill
    assert (key_of["kill9 #3"], 201) in replies

    # 3. A request in flight: written to the server's socket, never read, when the kill comes.
    page.wait_for_selector("#k-start:not([hidden])")
    server.signal_group(signal.SIGSTOP)
    before = len(sent)
    answer(page, 1, "kill9 #4")
    until(page, lambda: len(sent) > before, "the kiosk to send #4")
    page.wait_for_timeout(300)  # the request is in the server's socket
    flying = sent[before]
    assert not any(key == flying for key, _ in failed + replies)  # no reply from a stopped server
    server.kill9()
    note("kill -9", "")
    until(page, lambda: any(key == flying for key, _ in failed), "the in-flight request to fail")
    waiting(page, 1)
    assert "kill9 #4" not in [row[1] for row in stored(server)]
    note("restarted", f"in {server.start():.1f} s")
    drained(page, server, timeline)
    assert (flying, 201) in replies

    rows = stored(server)
    suggestions = sorted(row[1] for row in rows)
    assert suggestions == [f"kill9 #{i}" for i in range(1, 5)]  # each questionnaire exactly once
    assert len({row[0] for row in rows}) == 4
    assert {row[2] for row in rows} == {"kiosk"}
    assert set(sent) == {row[0] for row in rows}  # one key per questionnaire, however often sent
    before_rebuild = rollup_rows(server.database)
    server.skm("rollups", "rebuild")
    assert rollup_rows(server.database) == before_rebuild
    print(
        f"\nkiosk kill -9 ({server.database.vendor}): 4 questionnaires stored once each, "
        f"{len(sent)} POSTs; 2 queued answers drained {drain_seconds:.1f} s after a restart of {restart:.1f} s"
    )
