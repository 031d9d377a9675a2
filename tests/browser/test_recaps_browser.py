"""Entering a recap in the workspace (issue 24 item 4): a unit admin types a recap whose IKM follows
from no weight, "Periksa" shows the problem inline, saving without an explanation is refused, with
one it is saved; the pages pass axe at phone and laptop width."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from skm.organisation.models import Period
from skm.recaps.models import StoredRecap
from skm.recaps.storing import instrument_elements
from skm.testing import make_people, make_service
from tests.browser.test_followup_browser import login
from tests.browser.test_kiosk_browser import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SKM_SHOTS", "")
WIDTHS = (390, 1366)


def _shot(page, tmp_path, name):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_enter_a_recap_with_a_problem_and_explain_it(browser, live_server, tmp_path, width):
    people = make_people()
    make_service(people.unit, "Rawat jalan")
    Period.objects.create(
        pemda=people.pemda, kind="tahunan", year=2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, "puskesmas")
    page.click("nav.staff-nav >> text=Rekap")
    assert page.url.endswith("/kelola/rekap/")
    assert run_axe(page) == [], (width, "index")
    page.click(f"a[href='/kelola/rekap/{people.unit.slug}/isi/']")
    assert run_axe(page) == [], (width, "form")
    for element in instrument_elements(people.pemda):
        page.fill(f"#id_r0-{element}", "3,52")
    page.fill("#id_r0-ikm", "91,50")  # 3,52 on every unsur gives 87,91 (0,111) or 88,00 (1/9)
    page.fill("#id_r0-category", "A")
    page.fill("#id_r0-n", "120")
    page.fill("#id_r0-metode", "Manual dan Online")
    with page.expect_navigation():
        page.click("button[value=periksa]")
    findings = page.inner_text(".recap-findings")
    assert "tidak sesuai dengan bobot mana pun" in findings
    assert page.locator("textarea[name^='x-1-']").count() >= 1
    assert run_axe(page) == [], (width, "checked")
    _shot(page, tmp_path, f"recap-checked-{width}")
    with page.expect_navigation():
        page.click("button[value=simpan]")
    assert "Jelaskan masalah ini atau perbaiki angkanya." in page.inner_text(".recap-findings")
    assert not StoredRecap.objects.exists()
    assert run_axe(page) == [], (width, "refused")
    for box in page.locator("textarea[name^='x-1-']").all():
        box.fill("IKM disalin dari aplikasi lama; angka unsur benar.")
    with page.expect_navigation():
        page.click("button[value=simpan]")
    assert page.url.endswith("/kelola/rekap/")
    assert "tersimpan" in page.inner_text(".recap-messages")
    assert "91,50" in page.inner_text("table.recap-units")
    _shot(page, tmp_path, f"recap-index-{width}")
    recap = StoredRecap.objects.get()
    assert recap.verdict == "inconsistent" and recap.metode == "hybrid"
    assert all(p["explanation"].startswith("IKM disalin") for p in recap.problems)
    context.close()
