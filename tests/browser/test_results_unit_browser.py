"""The unit results page and the lembar hasil in Chromium: axe-core finds nothing at 390 and
1366 px, for the roles that read them; screenshots go to $SKM_SHOTS when set (for people to look at)."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from django.utils import timezone

from skm.collection import changes
from skm.collection.models import Channel
from skm.organisation.models import Period
from skm.testing import make_answer, make_people, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1366)
USERS = {"unit_admin": "puskesmas", "pimpinan": "walikota", "pemda_admin": "pemda"}


def run_axe(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run()")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def seed(people):
    rng = random.Random(23)
    services = [make_service(people.unit, "Rawat jalan"), make_service(people.unit, "Laboratorium")]
    today = timezone.localdate()
    Period.objects.create(
        pemda=people.pemda,
        kind=Period.Kind.TAHUNAN,
        year=today.year,
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
    )
    channels = [Channel.ONLINE, Channel.KIOSK, Channel.MANUAL]
    for i in range(60):
        values = [rng.choice([2, 3, 3, 4, 4]) for _ in range(9)]
        answer = make_answer(
            people.unit,
            values,
            day=today - dt.timedelta(days=rng.randrange(0, 40)),
            service=services[i % 3] if i % 3 < 2 else None,
            channel=channels[i % 3],
            gender="LP"[i % 2],
            age_band=rng.choice(["u25", "u35", "u45"]),
            education=rng.choice(["sma", "s1", "d3"]),
            occupation=rng.choice(["swasta", "pns", "wirausaha"]),
        )
        if i % 17 == 0:
            changes.set_excluded(answer, True, user=None, reason="uji")
    return services


def login(page, live_server, username):
    page.goto(f"{live_server.url}/kelola/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "uji-rahasia-123")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/kelola/")


def test_axe_finds_nothing_on_the_unit_results_and_the_sheets(browser, live_server):
    people = make_people()
    services = seed(people)
    pages = {
        "unit": f"/kelola/hasil/upp/{people.unit.slug}/",
        "unit-both": f"/kelola/hasil/upp/{people.unit.slug}/?termasuk_dikecualikan=1",
        "service": f"/kelola/hasil/upp/{people.unit.slug}/?layanan={services[0].slug}",
        "bad-range": f"/kelola/hasil/upp/{people.unit.slug}/?dari=2026-02-30&sampai=x",
        "sheet": f"/kelola/hasil/upp/{people.unit.slug}/lembar/",
        "pemda-sheet": "/kelola/hasil/pemda/lembar/",
    }
    shots = os.environ.get("SKM_SHOTS")
    for role, username in USERS.items():
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
            page = context.new_page()
            try:
                login(page, live_server, username)
                for name, path in pages.items():
                    if role != "unit_admin" and name in ("service", "bad-range"):
                        continue
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (role, name)
                    assert page.url == live_server.url + path, (role, name)
                    assert run_axe(page) == [], (role, width, name)
                    if shots:
                        page.screenshot(path=f"{shots}/{name}-{role}-{width}.png", full_page=True)
                if shots and width == WIDTHS[0]:
                    for name in ("sheet", "pemda-sheet"):
                        png = page.request.get(live_server.url + pages[name].rstrip("/") + ".png")
                        assert png.status == 200 and png.headers["content-type"] == "image/png"
                        Path(f"{shots}/{name}-{role}-file.png").write_bytes(png.body())
            finally:
                context.close()
