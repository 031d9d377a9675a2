"""The Pemda / PD results page and the year-over-year page in Chromium: axe-core finds nothing at
390 and 1366 px for an Admin Pemda, an Admin PD and a Pimpinan. With SKM_SHOTS=<dir> the test also
saves a full-page screenshot of each (the PNGs looked at for issue 23)."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest

from skm.organisation.models import Period
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people, make_service, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1366)


def seed() -> object:
    people = make_people()
    pemda = people.pemda
    rng = random.Random(23)
    today = dt.date.today()
    Period.objects.create(
        pemda=pemda,
        kind="s1",
        year=today.year,
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 6, 30),
    )
    Period.objects.create(
        pemda=pemda,
        kind="s2",
        year=today.year,
        start=dt.date(today.year, 7, 1),
        end=dt.date(today.year, 12, 31),
    )
    units = [people.unit, people.sibling_unit, people.other_pd_unit]
    units += [make_unit(people.dinas, f"Puskesmas Uji {i}", population=200 + 50 * i) for i in range(4)]
    units += [make_unit(people.other_pd, f"Kelurahan Uji {i}", unit_type="Kelurahan") for i in range(3)]
    service = make_service(people.unit, "Poli Umum")
    for index, unit in enumerate(units[:-1]):
        mean = 2.4 + (index % 5) * 0.35
        for i in range(8 + 9 * (index % 4)):
            values = {e: max(1, min(4, round(rng.gauss(mean, 0.7)))) for e in ELEMENTS}
            day = dt.date(today.year - (i % 3 == 0), rng.randint(1, max(1, today.month)), rng.randint(1, 28))
            make_answer(
                unit,
                values,
                day=day,
                service=service if unit == people.unit and i % 2 else None,
                gender=rng.choice("LP"),
                age_band=rng.choice(["u25", "u35", "u45"]),
            )
    return people


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/kelola/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "uji-rahasia-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/kelola/")


def run_axe(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run()")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_on_the_pemda_and_year_over_year_pages(browser, live_server, width):
    seed()
    shots = os.environ.get("SKM_SHOTS")
    year = dt.date.today().year
    for username in ("pemda", "dinkes", "walikota"):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        page = context.new_page()
        login(page, live_server, username)
        for name, path in (
            ("hasil", "/kelola/hasil/"),
            ("tahunan", f"/kelola/hasil/tahunan/?tahun={year}&banding={year - 1}"),
        ):
            page.goto(f"{live_server.url}{path}")
            assert page.locator("h1").count() == 1
            assert run_axe(page) == [], (username, name, width)
            if shots:
                page.screenshot(path=f"{shots}/{name}-{username}-{width}.png", full_page=True)
        context.close()
