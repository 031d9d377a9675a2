"""The kiosk on a tablet: offline queue, reload from the service worker, no duplicates, reset, axe."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from skm.collection import devices, integrity
from skm.collection.models import Answer, KioskDevice
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_pd, make_pemda, make_people, make_service, make_tablet, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BANJAR_ORDER = ELEMENTS_PENGADUAN_BEFORE_SARANA
PROFILE = ("gender", "age_band", "education", "occupation")


def new_context(browser):
    return browser.new_context(
        viewport={"width": 1024, "height": 768}, locale="id-ID", timezone_id="Asia/Makassar", has_touch=True
    )


@pytest.fixture
def context(browser, unit):
    """A tablet a unit admin set up for `unit` (test_setting_a_tablet_up_… does it by the page)."""
    context = new_context(browser)
    set_up(context, unit)
    yield context
    context.close()


@pytest.fixture
def unit():
    pemda = make_pemda("Kabupaten Banjar", order=BANJAR_ORDER, weight="1/9", timezone="Asia/Makassar")
    return make_unit(make_pd(pemda, "Dinas Kesehatan"), "UPTD Puskesmas Aluh-Aluh")


def set_up(context, unit, label="Loket 1"):
    """Leave the tablet as /kelola/kios/ does: its token in localStorage (tablet-setup.js)."""
    tablet, token = make_tablet(unit, label)
    stored = json.dumps({"token": token, "unit": unit.slug, "unit_name": unit.name, "label": label})
    context.add_init_script(
        f"try {{ localStorage.setItem('skm-kiosk-tablet', {json.dumps(stored)}); }} catch (e) {{}}"
    )
    return tablet


def open_kiosk(context, url, console=None):
    page = context.new_page()
    if console is not None:
        page.on("console", lambda message: console.append(message.text))
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    return page


def tap_step(page, step, value):
    # Taps count only once the screen accepts them (a double tap must not answer two questions);
    # waiting for that on every frame keeps Playwright from backing off between its attempts.
    selector = f"#k-ask[data-step='{step}'][data-ready] .k-option[data-value='{value}']"
    page.wait_for_function("s => document.querySelector(s)", arg=selector, polling="raf")
    page.click(selector)


def answer(page, values, profile=("P", "u35", "s1", "swasta"), suggestion="", service=None):
    """One questionnaire from the start screen to the thank-you screen."""
    page.click("#k-begin")
    step = 0
    if service is not None:
        tap_step(page, step, service)
        step += 1
    for value in [*values, *profile]:
        tap_step(page, step, value)
        step += 1
    page.wait_for_selector("#k-suggest:not([hidden])")
    if suggestion:
        page.fill("#k-suggestion", suggestion)
    page.click("#k-send")
    page.wait_for_selector("#k-thanks:not([hidden])")


def waiting(page, count, timeout=30_000, polling="raf"):
    page.wait_for_function(
        "n => document.querySelector('#k-queue').dataset.waiting === n",
        arg=str(count),
        polling=polling,
        timeout=timeout,
    )


def test_offline_three_answers_survive_a_reload_and_arrive_once(context, live_server, unit):
    console = []
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1", console)
    page.wait_for_selector("html[data-offline-ready='1']", state="attached", timeout=15_000)
    context.set_offline(True)
    sheets = [
        ([4, 4, 4, 4, 4, 4, 4, 4, 4], ("L", "u25", "sma", "pelajar"), "Pelayanan cepat, terima kasih."),
        ([1, 2, 3, 4, 1, 2, 3, 4, 2], ("P", "u56", "sd", "lainnya"), ""),
        ([3, 3, 2, 4, 3, 3, 4, 1, 2], ("P", "u45", "s2", "pns"), "Ruang tunggu <b>panas</b> & sempit."),
    ]
    for i, (values, profile, suggestion) in enumerate(sheets, start=1):
        answer(page, values, profile, suggestion)
        waiting(page, i)
        page.wait_for_selector("#k-start:not([hidden])")  # reset for the next person
    assert page.inner_text("#k-queue") == "Luring · 3 jawaban menunggu dikirim"
    assert Answer.objects.count() == 0

    page.reload()  # still offline: the page comes from the service worker's cache
    page.wait_for_selector("body[data-ready]")
    waiting(page, 3)
    assert page.inner_text("#k-start-title") == "UPTD Puskesmas Aluh-Aluh"
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert page.evaluate("navigator.onLine") is False
    assert Answer.objects.count() == 0

    started = time.monotonic()
    context.set_offline(False)
    waiting(page, 0, timeout=20_000)
    drained = time.monotonic() - started
    print(f"\nkiosk: 3 queued answers drained {drained:.2f} s after reconnecting")
    assert drained < 10
    assert page.is_hidden("#k-queue")

    answers = list(Answer.objects.order_by("submitted_at", "pk"))
    assert len(answers) == 3
    assert {a.channel for a in answers} == {"kiosk"}
    assert len({a.idempotency_key for a in answers}) == 3
    assert all(len(a.idempotency_key) == 32 for a in answers)
    assert len({a.device_hash for a in answers}) == 1 and answers[0].device_hash
    tablet = KioskDevice.objects.get()
    assert answers[0].device_hash == integrity.keyed_hash("device", f"kiosk:{tablet.pk}")
    by_values = {tuple(getattr(a, e) for e in BANJAR_ORDER): a for a in answers}
    for values, profile, suggestion in sheets:
        stored = by_values[tuple(values)]  # U8 is pengaduan, U9 sarana in Kabupaten Banjar
        assert tuple(getattr(stored, key) for key in PROFILE) == profile
        assert stored.suggestion == suggestion
        assert stored.duration_seconds is not None and stored.duration_seconds < 600
    assert by_values[(1, 2, 3, 4, 1, 2, 3, 4, 2)].pengaduan == 4
    # The Content-Security-Policy (no inline script or style) let everything above run.
    assert [text for text in console if "Content Security Policy" in text] == []


def test_lost_response_is_retried_without_a_duplicate(context, live_server, unit):
    seen = []

    def lose_the_first_response(route):
        seen.append(route.request.post_data_json["idempotency_key"])
        if len(seen) == 1:
            response = route.fetch()  # the server stores the answer …
            assert response.status == 201
            route.abort("connectionreset")  # … but the tablet never hears of it
        else:
            route.continue_()

    context.route("**/api/v1/answers", lose_the_first_response)
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=30")
    answer(page, [2, 3, 2, 3, 2, 3, 2, 3, 2])
    waiting(page, 0)
    assert len(seen) >= 2 and len(set(seen)) == 1  # retried with the same key
    answer_row = Answer.objects.get()
    assert answer_row.idempotency_key == seen[0]
    assert answer_row.prosedur == 3


def test_refused_answer_goes_to_staff_and_is_not_retried(context, live_server, unit):
    seen = []

    def refuse(route):
        seen.append(route.request.post_data_json["idempotency_key"])
        route.fulfill(
            status=422,
            content_type="application/json",
            body='{"detail": "Jawaban tidak sah.", "errors": {"waktu": "Jawaban tidak sah."}, "codes": {}}',
        )

    context.route("**/api/v1/answers", refuse)
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1")
    answer(page, [3] * 9)
    page.wait_for_selector("#k-queue[data-rejected='1']", state="attached")
    waiting(page, 0)
    assert page.inner_text("#k-queue") == "1 jawaban ditolak server"
    page.wait_for_timeout(2500)  # longer than the first back-off
    assert len(seen) == 1
    page.click("#k-queue")  # the staff panel lists it with the server's reason
    page.wait_for_selector("#k-staff-rejected li pre")
    assert "Jawaban tidak sah." in page.inner_text("#k-staff-rejected")
    assert '"waktu": 3' in page.inner_text("#k-staff-rejected li pre")
    assert Answer.objects.count() == 0


def test_thank_you_then_reset_for_the_next_person(context, live_server, unit):
    service = make_service(unit, "Poli Umum")
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=2")
    page.click("#k-lang")
    assert page.inner_text("#k-begin") == "Start"
    answer(page, [4] * 9, suggestion="Bagus", service=service.slug)
    assert page.inner_text("#k-thanks-title") == "Thank you!"
    shown = time.monotonic()
    page.wait_for_selector("#k-start:not([hidden])", timeout=10_000)
    assert 1.0 < time.monotonic() - shown < 5
    # Everything of the previous person is gone: language, answers, suggestion.
    assert page.get_attribute("html", "lang") == "id"
    assert page.inner_text("#k-begin") == "Mulai"
    assert page.input_value("#k-suggestion") == ""
    assert page.get_attribute("body", "data-resets") == "1"
    page.click("#k-begin")
    page.wait_for_selector("#k-ask[data-step='0'][data-ready]")
    assert page.locator(".k-option[aria-pressed='true']").count() == 0
    tap_step(page, 0, service.slug)
    page.wait_for_selector("#k-ask[data-step='1'][data-ready]")
    assert page.locator(".k-option[aria-pressed='true']").count() == 0
    waiting(page, 0)
    stored = Answer.objects.get()
    assert stored.service == service and stored.suggestion == "Bagus"


def test_idle_questionnaire_is_dropped(context, live_server, unit):
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?idle=6")
    page.click("#k-begin")
    tap_step(page, 0, 4)
    tap_step(page, 1, 4)
    page.wait_for_selector("#k-idle:not([hidden])", timeout=10_000)  # "Masih mengisi?"
    page.wait_for_selector("#k-start:not([hidden])", timeout=10_000)
    assert page.is_hidden("#k-idle")
    assert page.get_attribute("#k-queue", "data-waiting") == "0"  # half an answer is not sent
    assert Answer.objects.count() == 0


def run_axe(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run()")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_axe_start_and_question_screens(context, live_server, unit):
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/")
    assert run_axe(page) == []
    page.click("#k-begin")
    tap_step(page, 0, 3)
    page.wait_for_selector("#k-ask[data-step='1'][data-ready]")
    assert run_axe(page) == []
    # The scale's bars are sized from script (CSSOM, which the CSP allows): 1 of 4 is 25 % high.
    assert page.eval_on_selector(".k-scale i", "bar => getComputedStyle(bar).height") != "0px"
    assert page.eval_on_selector(".k-scale i", "bar => bar.style.height") == "25%"
    for step in range(1, 9):
        tap_step(page, step, 3)
    page.wait_for_selector("#k-ask[data-step='9'][data-ready]")  # the first profile screen
    assert run_axe(page) == []


def test_two_tabs_send_each_answer_once(context, live_server, unit):
    """Two open kiosk tabs share the device's queue; only one of them sends at a time."""
    posts = []

    def count(route):
        posts.append(route.request.post_data_json["idempotency_key"])
        route.continue_()

    context.route("**/api/v1/answers", count)
    first = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1")
    second = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1")
    context.set_offline(True)
    first.bring_to_front()  # a tab in the background gets no animation frames
    answer(first, [4] * 9)
    first.wait_for_selector("#k-start:not([hidden])")
    answer(first, [3] * 9)
    waiting(first, 2)
    waiting(second, 2, polling=50)  # the other tab sees the same queue
    posts.clear()  # the tries made offline never left the tablet
    context.set_offline(False)  # both tabs hear "online" and try to send
    waiting(first, 0)
    waiting(second, 0, polling=50)
    second.wait_for_timeout(500)
    assert sorted(posts) == sorted(set(posts)) and len(posts) == 2
    assert Answer.objects.count() == 2


def test_queue_falls_back_to_local_storage(context, live_server, unit):
    context.add_init_script("Object.defineProperty(window, 'indexedDB', {value: undefined})")
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1")
    context.set_offline(True)
    answer(page, [1] * 9, suggestion="tanpa IndexedDB")
    waiting(page, 1)
    queued = page.evaluate("JSON.parse(localStorage.getItem('skm-kiosk-queue'))")
    assert [item["body"]["suggestion"] for item in queued] == ["tanpa IndexedDB"]
    context.set_offline(False)
    waiting(page, 0)
    assert page.evaluate("JSON.parse(localStorage.getItem('skm-kiosk-queue'))") == []
    assert Answer.objects.get().suggestion == "tanpa IndexedDB"


def test_setting_a_tablet_up_stores_its_token_and_answers_carry_it(browser, live_server):
    """The one-minute step: a unit admin logs in on the tablet, names it, presses "Pasang tablet
    ini"; the tablet keeps the token, the admin is logged out, the kiosk opens, and its answers
    arrive as a kiosk's. Revoked, the tablet still sends, as an ordinary device."""
    people = make_people()
    context = new_context(browser)
    sent = []
    context.on(
        "request", lambda r: sent.append(r.post_data_json) if r.url.endswith("/api/v1/answers") else None
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/kelola/kios/")
    page.fill("#id_username", "puskesmas")
    page.fill("#id_password", "uji-rahasia-123")
    page.click("input[type=submit]")
    page.wait_for_selector("h1:has-text('Tablet kios')")
    assert run_axe(page) == []
    assert page.locator(f"#label-{people.unit.pk}").count() == 1, page.inner_text("main, body")[:2000]
    page.fill(f"#label-{people.unit.pk}", "Loket 7")
    page.click("button:has-text('Pasang tablet ini')")
    page.wait_for_url(f"**/k/{people.unit.slug}/", timeout=10_000)
    page.wait_for_selector("body[data-ready]")
    tablet = KioskDevice.objects.get()
    assert (tablet.label, tablet.unit, tablet.issued_by) == ("Loket 7", people.unit, people.unit_admin)
    stored = page.evaluate("JSON.parse(localStorage.getItem('skm-kiosk-tablet'))")
    assert stored["token"] == devices.token_for(tablet) and stored["unit"] == people.unit.slug
    assert stored["label"] == "Loket 7"

    answer(page, [4] * 9)
    waiting(page, 0)
    assert sent[-1]["kiosk_token"] == stored["token"]
    assert devices.device_id(sent[-1]["device"])  # the id the kiosk page gave, kept
    first = Answer.objects.get()
    assert first.channel == "kiosk"
    assert first.device_hash == integrity.keyed_hash("device", f"kiosk:{tablet.pk}")
    page.wait_for_selector("#k-start:not([hidden])")
    page.evaluate("document.getElementById('k-queue').click()")  # the staff panel (hidden when empty)
    page.wait_for_function("() => document.getElementById('k-staff-tablet').textContent !== ''")
    assert page.inner_text("#k-staff-tablet") == "Loket 7 (terpasang untuk Puskesmas Terminal)"
    page.evaluate("document.getElementById('k-staff').close()")

    devices.revoke(tablet, people.unit_admin)
    answer(page, [3] * 9)
    waiting(page, 0)
    second = Answer.objects.exclude(pk=first.pk).get()
    assert second.channel == "api"  # an ordinary device now: still accepted
    assert second.device_hash == integrity.keyed_hash("device", devices.device_id(sent[-1]["device"]))

    # The admin's session did not stay on the tablet.
    page.goto(f"{live_server.url}/kelola/kios/")
    assert "/kelola/masuk/" in page.url
    context.close()


def test_a_tablet_not_set_up_says_so_to_staff_and_still_sends(browser, live_server, unit):
    context = new_context(browser)
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1")
    answer(page, [2] * 9)
    waiting(page, 0)
    stored = Answer.objects.get()
    assert stored.channel == "api"
    device = page.evaluate("localStorage.getItem('skm-kiosk-device')")
    assert stored.device_hash == integrity.keyed_hash("device", devices.device_id(device))
    assert page.inner_text("#k-queue") == "Tablet belum dipasang"  # in the corner, for staff
    page.click("#k-queue")
    page.wait_for_function("() => document.getElementById('k-staff-tablet').textContent !== ''")
    assert page.inner_text("#k-staff-tablet").startswith("Belum dipasang")
    assert "/kelola/kios/" in page.inner_text("#k-staff-tablet")
    context.close()
