"""Closing a period in Chromium: the Admin Pemda confirms, the results pages of the closed period
say so (cut-off, version, late answers), and axe-core finds nothing at 390 and 1366 px;
screenshots go to $SKM_SHOTS when set (for people to look at)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from skm.organisation.models import Period
from skm.testing import make_answer, make_people
from tests.browser.test_results_unit_browser import WIDTHS, login, run_axe, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_close_a_period_and_read_it_frozen(browser, live_server):
    people = make_people()
    seed(people)
    period = Period.objects.get(pemda=people.pemda, kind=Period.Kind.TAHUNAN)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, "pemda")
    page.goto(f"{live_server.url}/kelola/hasil/periode/{period.pk}/tutup/")
    page.check("#konfirmasi")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".frozen")
    period.refresh_from_db()
    assert period.is_closed
    make_answer(people.unit, day=period.start)  # a late answer
    shots = os.environ.get("SKM_SHOTS")
    pages = {
        "close": f"/kelola/hasil/periode/{period.pk}/tutup/",
        "unit": f"/kelola/hasil/upp/{people.unit.slug}/?periode={period.pk}",
        "pemda": f"/kelola/hasil/pemda/?periode={period.pk}",
    }
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, path in pages.items():
            page.goto(live_server.url + path)
            text = page.inner_text(".frozen")
            assert "versi 1" in text
            if name != "close":
                assert "1 jawaban masuk setelah ditutup" in text
            assert run_axe(page) == [], (name, width)
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/freeze-{name}-{width}.png", full_page=True)
    context.close()
