"""The public survey page in headless Chromium: weight of the first load, axe, keyboard, no JS."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from skm.collection.models import Answer
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_answer, make_pd, make_pemda, make_service, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FIRST_LOAD_BUDGET = 30 * 1024
SERVICES = (
    "Pelayanan Administrasi Kependudukan",
    "Pelayanan Kesehatan Ibu dan Anak",
    "Legalisir Ijazah dan Dokumen Kependidikan",
    "Surat Keterangan Tidak Mampu",
    "Pelayanan Rekomendasi Izin Usaha Mikro",
)


def make_survey_unit(services=SERVICES):
    """A unit as the budget is stated for: nine questions, four profile fields, five services."""
    pemda = make_pemda("Kabupaten Banjar Uji", order=ELEMENTS_PENGADUAN_BEFORE_SARANA)
    unit = make_unit(make_pd(pemda, "Kecamatan Martapura"), "UPTD Puskesmas Martapura Timur")
    for name in services:
        make_service(unit, name)
    return unit


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert len(result["passes"]) > 10  # axe really ran its rules on this page
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
    if violations:
        print(json.dumps(violations, indent=1))
    return violations


def test_first_load_is_at_most_30_kb(page, live_server):
    unit = make_survey_unit()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{live_server.url}/s/{unit.slug}/", wait_until="load")
    page.wait_for_load_state("networkidle")
    rows = []
    for response in responses:
        body = response.body()
        sizes = response.request.sizes()
        rows.append((response.url, response.status, len(body), len(gzip.compress(body, 9)), sizes))
    raw = sum(r[2] for r in rows)
    gzipped = sum(r[3] for r in rows)
    transferred = sum(r[4]["responseBodySize"] for r in rows)
    headers = sum(r[4]["responseHeadersSize"] for r in rows)
    print(f"\nFirst load of /s/<unit>/ ({len(rows)} requests):")
    for url, status, size, packed, _ in rows:
        print(f"  {status} {url.replace(live_server.url, '')}: {size:,} bytes raw, {packed:,} gzip -9")
    print(f"  total body: {raw:,} bytes raw ({transferred:,} as transferred), {gzipped:,} bytes gzip -9;")
    print(f"  response headers: {headers:,} bytes; budget {FIRST_LOAD_BUDGET:,} bytes")
    assert {r[1] for r in rows} == {200}
    assert any(url.endswith(".css") for url, *_ in rows)
    assert not any(url.endswith((".woff", ".woff2", ".ttf", ".js")) for url, *_ in rows)
    assert transferred == raw  # served uncompressed: the figure is the raw size
    assert raw <= FIRST_LOAD_BUDGET


def test_axe_finds_nothing_on_the_empty_form_the_form_with_errors_and_the_thanks(page, live_server):
    unit = make_survey_unit()
    page.goto(f"{live_server.url}/s/{unit.slug}/")
    assert axe_violations(page) == []
    page.check("input[name=persyaratan][value='3']")
    page.click("main button[type=submit]")
    assert "Mohon periksa jawaban Anda" in page.inner_text(".errors")
    assert page.evaluate("document.activeElement.className") == "errors"  # the summary takes focus
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page) == []
    for answer in range(3):
        make_answer(unit, [3 + answer % 2] * 9)
    page.goto(f"{live_server.url}/s/{unit.slug}/terima-kasih/")
    assert "Terima kasih!" in page.inner_text("h1")
    assert axe_violations(page) == []


def test_the_whole_form_can_be_completed_with_the_keyboard_only(page, live_server):
    unit = make_survey_unit()
    page.goto(f"{live_server.url}/s/{unit.slug}/")
    done: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return {tag: e.tagName, type: e.type || '', name: e.name || ''}; })()"
        )
        name = focused["name"]
        if name in done:
            continue
        if focused["type"] == "radio":
            page.keyboard.press("Space")  # the first option, then two arrows further down: the third
            page.keyboard.press("ArrowDown")
            if name != "gender":
                page.keyboard.press("ArrowDown")
            done.append(name)
        elif focused["tag"] == "SELECT":
            page.keyboard.press("ArrowDown")
            page.keyboard.press("ArrowDown")
            done.append(name)
        elif focused["tag"] == "TEXTAREA":
            page.keyboard.type("Antrian lama, mohon ditambah kursi.")
            done.append(name)
        elif focused["tag"] == "BUTTON" and focused["type"] == "submit" and name != "language":
            page.keyboard.press("Enter")
            break
    page.wait_for_url(f"**/s/{unit.slug}/terima-kasih/")
    assert "Terima kasih!" in page.inner_text("h1")
    assert done[0] == "service" and done[1:10] == list(ELEMENTS_PENGADUAN_BEFORE_SARANA)
    answer = Answer.objects.get()
    assert answer.values() == dict.fromkeys(ELEMENTS_PENGADUAN_BEFORE_SARANA, 3)
    assert answer.gender == "P" and answer.age_band == "u25" and answer.occupation == "tni"
    assert answer.service.name == unit.services.order_by("position", "name")[1].name
    assert answer.suggestion == "Antrian lama, mohon ditambah kursi."


def test_works_with_javascript_off(browser, live_server):
    unit = make_survey_unit()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/s/{unit.slug}/")
        page.select_option("#q-service", label=SERVICES[3])
        for element in ELEMENTS_PENGADUAN_BEFORE_SARANA:
            page.click(f"label:has(input[name={element}][value='4'])")  # the label text is the target
        page.click("main button[type=submit]")
        assert page.url.endswith(f"/s/{unit.slug}/terima-kasih/")
        assert "Terima kasih!" in page.inner_text("h1")
        assert "Dari 1 responden" in page.inner_text("main")
    finally:
        context.close()
    answer = Answer.objects.get()
    assert answer.values() == dict.fromkeys(ELEMENTS_PENGADUAN_BEFORE_SARANA, 4)
    assert answer.service.name == SERVICES[3]


def test_english_switch_on_the_survey_page(page, live_server):
    unit = make_survey_unit()
    page.goto(f"{live_server.url}/s/{unit.slug}/")
    page.click("button[name=language][value=en]")
    assert page.url.endswith(f"/s/{unit.slug}/")
    assert "How good are the facilities?" in page.inner_text("#q-sarana legend")
    assert page.inner_text("label:has(input[name=persyaratan][value='4'])") == "Very suitable"
    page.click("main button[type=submit]")
    assert "Please answer question U1: Persyaratan." in page.inner_text(".errors")


def test_in_english_the_first_load_stays_small_and_axe_finds_nothing(page, live_server):
    unit = make_survey_unit()
    page.goto(f"{live_server.url}/s/{unit.slug}/")
    page.click("button[name=language][value=en]")  # Django's set_language; the cookie remembers it
    page.wait_for_load_state("networkidle")
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{live_server.url}/s/{unit.slug}/", wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    assert "Send my answers" in page.inner_text("main button[type=submit]")
    assert sum(len(r.body()) for r in responses) <= FIRST_LOAD_BUDGET
    assert axe_violations(page) == []
    page.check("input[name=persyaratan][value='3']")
    page.click("main button[type=submit]")
    assert "Please check your answers" in page.inner_text(".errors")
    assert axe_violations(page) == []
    for answer in range(3):
        make_answer(unit, [3 + answer % 2] * 9)
    page.goto(f"{live_server.url}/s/{unit.slug}/terima-kasih/")
    assert "Thank you!" in page.inner_text("h1")
    assert axe_violations(page) == []
