"""The public portal in Chromium (issue 26 item 1): without JavaScript a citizen goes from / to the
Pemda page, searches and sorts the units, opens a unit's lembar hasil, switches to English; the
first load of a Pemda page with 156 units transfers at most 60 KB; axe-core finds nothing at 390
and 1366 px. With SKM_SHOTS=<dir> the test saves full-page screenshots."""

from __future__ import annotations

import os

import pytest

from skm.public.tests.world import portal_world
from skm.testing import make_answer, make_pd, make_unit
from tests.browser.test_results_pemda_browser import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEIGHT_LIMIT = 60 * 1024  # bytes on first load: a phone on a slow network
MANY_UNITS = 156  # Kota Banjarmasin's count


def big_world():
    world = portal_world()
    pd = make_pd(world.pemda, "Kecamatan Uji")
    for i in range(MANY_UNITS - 3):
        unit = make_unit(pd, f"Kelurahan Uji Panjang Namanya Nomor {i:03d}", unit_type="Kelurahan")
        make_answer(unit, [1 + (i + k) % 4 for k in range(9)], day=world.today)
    return world


def transferred(page, url: str) -> int:
    sizes: list[int] = []
    page.on(
        "requestfinished",
        lambda r: sizes.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]),
    )
    page.goto(url, wait_until="networkidle")
    return sum(sizes)


def test_a_citizen_reads_the_portal_without_javascript(browser, live_server):
    world = big_world()
    shots = os.environ.get("SKM_SHOTS")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False, locale="id-ID"
    )
    page = context.new_page()
    weight = transferred(page, f"{live_server.url}/p/{world.pemda.slug}/?periode=berjalan")
    print(f"first load of the Pemda page, {MANY_UNITS} units: {weight} bytes")
    assert weight <= WEIGHT_LIMIT
    page.goto(f"{live_server.url}/")  # one Pemda: straight to its page
    assert page.locator("h1").inner_text() == "Kota Portal"
    assert page.get_by_text("IKM tahun", exact=False).first.is_visible()
    assert "sementara" in page.locator("main").inner_text()
    # The running year, then search (a GET form) and sort (links)
    page.locator("nav.periods").get_by_role("link", name="sementara", exact=False).click()
    page.fill("#q", "alpha")
    page.click("form.search button")
    rows = page.locator("table.units tbody tr")
    assert rows.count() == 1 and "Puskesmas Alpha" in rows.first.inner_text()
    page.fill("#q", "")
    page.click("form.search button")
    page.get_by_role("link", name="nama", exact=True).click()
    names = [n.splitlines()[0] for n in page.locator("table.units tbody th").all_inner_texts()]
    assert len(names) == MANY_UNITS
    scored = names[: MANY_UNITS - 2]  # Beta and Gamma have no answer this year: last
    assert scored == sorted(scored, key=str.casefold)
    assert names[-2:] == ["Puskesmas Beta", "Puskesmas Gamma"]
    if shots:
        page.screenshot(path=f"{shots}/portal-pemda-390.png", full_page=True)
    # The unit's page: its lembar hasil for the closed period, its published suggestion
    page.goto(f"{live_server.url}/p/{world.pemda.slug}/")
    page.get_by_role("link", name="Puskesmas Alpha").click()
    assert page.locator("h1").inner_text() == "Puskesmas Alpha"
    text = page.locator("main").inner_text()
    assert "Lembar hasil: Tahunan" in text
    assert 'Antrean lama <script>alert("x")</script> =1+1' in text  # shown as text, never run
    assert "Saran yang tidak diterbitkan" not in text
    page.get_by_role("link", name="Tahun", exact=False).first.click()
    assert "sementara" in page.locator("main").inner_text()
    if shots:
        page.screenshot(path=f"{shots}/portal-unit-390.png", full_page=True)
    # English
    page.get_by_role("button", name="English").click()
    assert "provisional" in page.locator("main").inner_text()
    context.close()


@pytest.mark.parametrize("width", (390, 1366))
def test_axe_finds_nothing_on_the_portal(browser, live_server, width):
    world = portal_world()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    for path in (
        f"/p/{world.pemda.slug}/",
        f"/p/{world.pemda.slug}/?periode=berjalan&q=puskesmas&urut=n",
        f"/p/{world.pemda.slug}/{world.alpha.slug}/",
        f"/p/{world.pemda.slug}/{world.gamma.slug}/?periode=berjalan",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1").count() == 1
        assert run_axe(page) == [], (path, width)
    make_pd(world.pemda)  # and the list of Pemda, once there are two
    from skm.testing import make_pemda

    make_unit(make_pd(make_pemda("Kabupaten Kedua")))
    page.goto(f"{live_server.url}/")
    assert page.locator("table.units tbody tr").count() == 2
    assert run_axe(page) == [], ("/", width)
    context.close()
