"""The staff workspace in Chromium: each role's home at a phone's and a laptop's width, axe-clean,
nothing wider than the screen; sign in through the workspace's own page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people
from tests.browser.test_kiosk_browser import run_axe

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1366)


def _sign_in(page, base, username):
    page.goto(f"{base}/kelola/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "uji-rahasia-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/kelola/")


@pytest.mark.parametrize("username", ["pemda", "dinkes", "puskesmas", "walikota"])
def test_home_per_role_is_accessible_at_both_widths(browser, live_server, username):
    people = make_people()
    today = timezone.localtime(timezone.now(), people.pemda.tz).date()
    for unit, value in ((people.unit, 4), (people.sibling_unit, 3), (people.other_pd_unit, 2)):
        for _ in range(3):
            make_answer(unit, dict.fromkeys(ELEMENTS, value), day=today)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        page = context.new_page()
        _sign_in(page, live_server.url, username)
        assert page.locator("h1").inner_text() in (people.pemda.name, people.dinas.name, people.unit.name)
        assert page.locator(".stat").first.inner_text().split()[0].replace(",", "").isdigit()
        assert run_axe(page) == [], (username, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (username, width)
        context.close()
