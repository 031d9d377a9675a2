"""Rating after a transaction (issue 26) in headless Chromium: a ticket link rated twice is stored
once, from the same tab and from a second tab that had the form open; the pasted button snippet;
the 80 mm receipt; axe at 390 and 1366 px. Screenshots go to $SKM_SHOTS when set."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from skm.collection import tickets
from skm.collection.models import Answer
from skm.collection.views.links import Target
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.testing import make_pd, make_pemda, make_people, make_service, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TICKET = "20261206-A023"
WIDTHS = (390, 1366)


def make_ticket_unit():
    pemda = make_pemda("Kabupaten Banjar Uji", order=ELEMENTS_PENGADUAN_BEFORE_SARANA)
    unit = make_unit(make_pd(pemda, "Disdukcapil"), "Kantor Disdukcapil Martapura")
    service = make_service(unit, "Kartu Tanda Penduduk Elektronik")
    make_service(unit, "Kartu Keluarga")
    return unit, service


def axe_clean(page, what: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(AXE.read_text())
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert len(result["passes"]) > 5, what  # axe really ran
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == [], (what, width)
        shots = os.environ.get("SKM_SHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/ticket-{what}-{width}.png", full_page=True)


def answer_all(page, value: str) -> None:
    for element in ELEMENTS_PENGADUAN_BEFORE_SARANA:
        page.click(f"label:has(input[name={element}][value='{value}'])")


def test_a_ticket_rated_twice_is_stored_once(browser, live_server):
    unit, service = make_ticket_unit()
    link = f"{live_server.url}/s/{unit.slug}/{service.slug}/?ref={TICKET}"
    # The citizen's phone, without JavaScript: three tabs opened on the same ticket link.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    first, second, third = (context.new_page() for _ in range(3))
    try:
        for tab in (first, second, third):
            tab.goto(link)
            assert TICKET in tab.inner_text("main")
        answer_all(first, "4")
        first.click("main button[type=submit]")
        assert first.url == f"{live_server.url}/s/{unit.slug}/terima-kasih/"
        assert "Terima kasih!" in first.inner_text("h1")
        first.goto(link)  # the link again: no form, "already rated"
        assert first.inner_text("h1") == "Sudah dinilai, terima kasih"
        assert first.locator("main form").count() == 0
        # The second tab still shows the form: the same answers again are the same answer.
        answer_all(second, "4")
        second.click("main button[type=submit]")
        assert second.url.endswith(f"/s/{unit.slug}/terima-kasih/")
        # The third tab answers otherwise: refused, naming the ticket; the first answer stands.
        answer_all(third, "1")
        third.click("main button[type=submit]")
        assert third.url == link  # the form posted back to its own address, ticket and all
        assert f"Tiket {TICKET} sudah dinilai sebelumnya" in third.inner_text(".errors")
    finally:
        context.close()
    answer = Answer.objects.get()
    assert answer.idempotency_key == tickets.key(TICKET)
    assert answer.values() == dict.fromkeys(ELEMENTS_PENGADUAN_BEFORE_SARANA, 4)
    assert answer.service == service


def test_the_pasted_snippet_the_pages_and_the_receipt(page, live_server, tmp_path):
    unit, service = make_ticket_unit()
    # Another system's last screen: the snippet as pasted, its placeholder replaced.
    snippet = Target(unit, service, live_server.url).snippet.replace(tickets.PLACEHOLDER, TICKET)
    page.set_content(f"<!doctype html><html lang='id'><title>Loket</title><main>{snippet}</main></html>")
    page.wait_for_function("document.querySelector('img').naturalWidth > 0")  # the ticket's QR loads
    page.click("text=Nilai layanan kami")
    page.wait_for_url(f"**/s/{unit.slug}/{service.slug}/?ref={TICKET}")
    axe_clean(page, "form")
    answer_all(page, "3")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/s/{unit.slug}/terima-kasih/")
    page.goto(f"{live_server.url}/s/{unit.slug}/{service.slug}/?ref={TICKET}")
    assert page.inner_text("h1") == "Sudah dinilai, terima kasih"
    axe_clean(page, "rated")
    page.goto(f"{live_server.url}/s/{unit.slug}/{service.slug}/?ref=A%20023")
    assert page.inner_text("h1") == "Nomor tiket tidak sah"
    axe_clean(page, "invalid")
    page.goto(f"{live_server.url}/struk/{unit.slug}/{service.slug}/?ref={TICKET}")
    page.wait_for_function("document.querySelector('img.qr').naturalWidth > 0")
    assert TICKET in page.inner_text(".receipt") and service.name in page.inner_text(".receipt")
    axe_clean(page, "receipt")
    # Printed: one page 80 mm wide (the @page rule of receipt.css).
    pdf = tmp_path / "struk.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    if os.environ.get("SKM_SHOTS"):
        Path(os.environ["SKM_SHOTS"], "ticket-receipt.pdf").write_bytes(pdf.read_bytes())
    assert re.search(r"^Pages:\s+1$", info, re.M)
    width_pt = float(info.split("Page size:")[1].split("x")[0])
    assert abs(width_pt - 80 / 25.4 * 72) < 1  # 226.8 pt
    assert Answer.objects.count() == 1


def test_the_staff_page_with_the_snippets(page, live_server):
    people = make_people()
    make_service(people.unit, "Rawat jalan")
    make_service(people.unit, "Kesehatan ibu dan anak")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "puskesmas")
    page.fill("#id_password", "uji-rahasia-123")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/kelola/tautan/")
    page.click(f"text={people.unit.name}")
    assert page.locator("textarea.snippet").count() == 3
    snippet = page.input_value("textarea.snippet >> nth=1")
    assert snippet.startswith("<!-- SKM:") and f"?ref={tickets.PLACEHOLDER}" in snippet
    axe_clean(page, "staff")
