"""RTL as a unit admin makes it: the priority unsur (one changed, with a reason), two items, one
realised with a file; then the Pemda admin's RTL page shows the mean realisation with its formula.
Every page passes axe at phone and laptop width."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from skm.followup.models import Rtl
from skm.organisation.models import Period
from skm.results.compute import unsur_labels
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people
from tests.browser.test_followup_browser import login
from tests.browser.test_kiosk_browser import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SKM_SHOTS", "")
WIDTHS = (390, 1366)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shot(page, tmp_path, name):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _seed(people) -> Period:
    start, end = Period.standard_range("tw1", 2026)
    period = Period.objects.create(
        pemda=people.pemda, kind="tw1", year=2026, start=start, end=end, closed_at=timezone.now()
    )
    day = dt.date(2026, 2, 10)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)), people.pemda.tz)
    # Lowest: persyaratan, biaya, waktu → the suggestion.
    make_answer(
        people.unit,
        dict(zip(ELEMENTS, [1, 4, 3, 2, 4, 4, 4, 4, 4], strict=True)),
        day=day,
        submitted_at=moment,
    )
    return period


@pytest.mark.parametrize("width", WIDTHS)
def test_unit_admin_plans_and_realises_and_the_pemda_sees_the_mean(
    browser, live_server, tmp_path, settings, width
):
    settings.MEDIA_ROOT = tmp_path / "media"
    people = make_people()
    period = _seed(people)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, people.unit_admin.username)
    page.click("nav.staff-nav >> text=RTL")
    assert run_axe(page) == [], "index"
    _shot(page, tmp_path, f"rtl-index-unit-{width}")
    page.click(f"#rtl-units >> text={people.unit.name}")
    names = unsur_labels(people.pemda)
    assert page.inner_text("#rtl-suggested") == ", ".join(names[e] for e in ("persyaratan", "biaya", "waktu"))
    assert run_axe(page) == [], "plan"
    # Swap waktu for sarana without a reason: refused, the choice kept.
    page.uncheck("input[name=chosen][value=waktu]")
    page.check("input[name=chosen][value=sarana]")
    page.click(".rtl-form button[type=submit]")
    page.wait_for_selector(".errors[role=alert]")
    assert "tuliskan alasannya" in page.inner_text("main")
    assert page.is_checked("input[name=chosen][value=sarana]") and not page.is_checked(
        "input[name=chosen][value=waktu]"
    )
    assert run_axe(page) == [], "plan with error"
    _shot(page, tmp_path, f"rtl-plan-error-{width}")
    page.fill("#id_reason", "Banyak saran tentang ruang tunggu yang panas.")
    page.click(".rtl-form button[type=submit]")
    page.wait_for_selector(".note[role=status]")
    plan = Rtl.objects.get()
    assert (plan.suggested, plan.chosen) == (
        ["persyaratan", "biaya", "waktu"],
        ["persyaratan", "biaya", "sarana"],
    )
    assert plan.reason == "Banyak saran tentang ruang tunggu yang panas."
    # Two items.
    for element, action in (
        ("sarana", "Perbaikan kipas angin ruang tunggu"),
        ("persyaratan", "Papan persyaratan di loket"),
    ):
        page.click("text=Tambah butir RTL")
        page.select_option("#id_element", element)
        page.fill("#id_action", action)
        page.fill("#id_responsible", "Kepala Subbagian TU")
        page.fill("#id_target_date", "2026-06-30")
        if element == "sarana":
            assert run_axe(page) == [], "new item"
        page.click(".rtl-form button[type=submit]")
        page.wait_for_selector(".note[role=status]")
    assert plan.items.count() == 2
    # Realise one with a file.
    page.click("text=Perbaikan kipas angin ruang tunggu")
    upload = tmp_path / "foto-kipas.pdf"
    upload.write_bytes(PDF)
    page.fill("#id_realisation", "100")
    page.fill("#id_narrative", "Kipas angin baru terpasang Mei 2026.")
    page.set_input_files("#id_evidence", str(upload))
    assert run_axe(page) == [], "item"
    _shot(page, tmp_path, f"rtl-item-{width}")
    page.click(".rtl-form button[type=submit]")
    page.wait_for_selector(".note[role=status]")
    # (100 + 0) / 2 = 50
    assert page.inner_text("#rtl-realisation") == "50,00 %"
    assert page.locator("a", has_text="Berkas bukti: foto-kipas.pdf").count() == 1
    assert run_axe(page) == [], "plan with items"
    _shot(page, tmp_path, f"rtl-plan-{width}")
    context.close()

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, people.pemda_admin.username)
    page.goto(f"{live_server.url}/kelola/rtl/?periode={period.pk}")
    assert page.inner_text("#rtl-mean") == "50,00 %"
    assert "Rata-rata realisasi Pemda (dan per Perangkat Daerah) = (jumlah realisasi unit" in page.inner_text(
        "main"
    )
    assert run_axe(page) == [], "pemda index"
    _shot(page, tmp_path, f"rtl-index-pemda-{width}")
    # The overdue item (target passed, 0 %) shows on the home page.
    page.goto(f"{live_server.url}/kelola/")
    assert page.inner_text("#rtl-overdue-count") == "1"
    assert run_axe(page) == [], "home"
    context.close()
