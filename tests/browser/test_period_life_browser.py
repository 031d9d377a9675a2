"""One whole period in Chromium (issue 24, "Done when"): the Pemda admin opens it, a citizen answers,
`skm remind` mails the units that have not reported and their home says so, one unit reports its
results, another reports by recap, the Pemda admin closes the period (its figures frozen, the recap
among them), the unit plans its RTL on the suggested unsur and realises it, and the next period's
results show that RTL. Every page passes axe; screenshots go to $SKM_SHOTS when set."""

from __future__ import annotations

import datetime as dt
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command

from skm.collection.models import Answer
from skm.followup.models import Rtl
from skm.organisation.models import Period
from skm.recaps.models import StoredRecap
from skm.recaps.storing import instrument_elements
from skm.results.compute import unsur_labels
from skm.results.ranges import today_in
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people
from tests.browser.test_followup_browser import login
from tests.browser.test_kiosk_browser import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SKM_SHOTS", "")


def _look(page, tmp_path, name):
    """axe finds nothing; the page is kept as a screenshot for people to look at."""
    assert run_axe(page) == [], name
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"period-life-{name}.png"), full_page=True)


def _as(browser, live_server, username):
    page = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID").new_page()
    login(page, live_server, username)
    return page


def test_one_whole_period(browser, live_server, tmp_path):
    people = make_people()
    people.unit_admin.email = "puskesmas.terminal@example.go.id"
    people.unit_admin.save()
    today = today_in(people.pemda)
    year = today.year

    # 1. Open: the Pemda admin opens this year's Tahunan, reports due tomorrow.
    pemda = _as(browser, live_server, people.pemda_admin.username)
    pemda.goto(f"{live_server.url}/kelola/periode/")
    pemda.click("text=Buka periode")
    _look(pemda, tmp_path, "open-form")
    pemda.select_option("#id_kind", "tahunan")
    pemda.fill("#id_year", str(year))
    pemda.fill("#id_input_deadline", today.isoformat())
    pemda.fill("#id_report_deadline", (today + dt.timedelta(days=1)).isoformat())
    with pemda.expect_navigation():
        pemda.click("main form button[type=submit]")
    period = Period.objects.get(pemda=people.pemda, kind="tahunan", year=year)
    assert (period.start, period.end) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
    assert "0 dari 3" in pemda.inner_text("[data-testid=summary]")
    _look(pemda, tmp_path, "opened")

    # 2. Collect: a citizen answers on the public form; the rest of the year's answers are already in.
    # Lowest on persyaratan, biaya and waktu, so those are the suggested priority unsur.
    for _ in range(5):
        make_answer(people.unit, dict(zip(ELEMENTS, [2, 4, 2, 4, 4, 4, 4, 4, 4], strict=True)), day=today)
    citizen = browser.new_context(viewport={"width": 390, "height": 900}, locale="id-ID").new_page()
    citizen.goto(f"{live_server.url}/s/{people.unit.slug}/")
    for element in instrument_elements(people.pemda):
        citizen.click(f"label:has(input[name={element}][value='{1 if element == 'biaya' else 3}'])")
    with citizen.expect_navigation():
        citizen.click("main button[type=submit]")
    assert "/terima-kasih/" in citizen.url
    assert Answer.objects.filter(unit=people.unit, day=today).count() == 6
    citizen.context.close()

    # 3. Remind: `skm remind` mails the admin of the unit that has not reported (once), and the
    # unit's home says the report is due tomorrow.
    call_command("remind", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["puskesmas.terminal@example.go.id"]]
    assert period.display_label in mail.outbox[0].subject + mail.outbox[0].body
    call_command("remind", stdout=StringIO())
    assert len(mail.outbox) == 1  # safe to run every hour: no reminder twice
    unit = _as(browser, live_server, people.unit_admin.username)
    assert "1 hari lagi" in unit.inner_text("#remind-h ~ ul")
    _look(unit, tmp_path, "unit-home-reminded")

    # 4. Report: the unit reviews and reports its results ...
    unit.click(f"#remind-h ~ ul a[href*='/periode/{period.pk}/']")
    with unit.expect_navigation():
        unit.click("text=Laporkan hasil periode ini")
    assert unit.inner_text("[data-testid=status]").strip() == "Dilaporkan"
    _look(unit, tmp_path, "unit-reported")
    # ... and the PD admin enters the recap of a unit that surveyed on paper elsewhere.
    pd = _as(browser, live_server, people.pd_admin.username)
    pd.goto(f"{live_server.url}/kelola/rekap/{people.sibling_unit.slug}/isi/")
    pd.select_option("#id_period", str(period.pk))
    for element in instrument_elements(people.pemda):
        pd.fill(f"#id_r0-{element}", "88")
    pd.fill("#id_r0-ikm", "87,91")  # 9 × 88 × 0,111
    pd.fill("#id_r0-category", "B")
    pd.fill("#id_r0-n", "120")
    with pd.expect_navigation():
        pd.click("button[value=periksa]")
    assert "Tidak ada masalah" in pd.inner_text("main")
    _look(pd, tmp_path, "recap-checked")
    with pd.expect_navigation():
        pd.click("button[value=simpan]")
    assert StoredRecap.objects.get(unit=people.sibling_unit, period=period).verdict == "0.111"
    pd.context.close()
    pemda.goto(f"{live_server.url}/kelola/periode/{period.pk}/")
    assert "2 dari 3" in pemda.inner_text("[data-testid=summary]")
    _look(pemda, tmp_path, "compliance")

    # 5. Close and freeze: the Pemda admin confirms; the Pemda's results for the period come from
    # version 1 of its snapshot, the recap marked as such.
    pemda.goto(f"{live_server.url}/kelola/hasil/periode/{period.pk}/tutup/")
    pemda.check("#konfirmasi")
    pemda.click("main form button[type=submit]")
    pemda.wait_for_selector(".frozen")
    period.refresh_from_db()
    assert period.is_closed
    pemda.goto(f"{live_server.url}/kelola/hasil/pemda/?periode={period.pk}")
    assert "versi 1" in pemda.inner_text(".frozen")
    marked = pemda.locator("tr", has=pemda.locator(".recap-mark", has_text="rekap"))
    assert marked.count() == 1 and people.sibling_unit.name in marked.inner_text()
    assert "87,91" in marked.inner_text()
    _look(pemda, tmp_path, "pemda-frozen")
    # A recap can no longer enter the closed period.
    pemda.goto(f"{live_server.url}/kelola/rekap/{people.other_pd_unit.slug}/isi/")
    assert pemda.locator(f"#id_period option[value='{period.pk}']").count() == 0

    # 6. RTL: the unit keeps the suggested priority unsur and plans one item ...
    unit.goto(f"{live_server.url}/kelola/rtl/{people.unit.slug}/{period.pk}/")
    suggested = unit.inner_text("#rtl-suggested")
    assert unsur_labels(people.pemda)["biaya"] in suggested
    unit.click(".rtl-form button[type=submit]")
    unit.wait_for_selector(".note[role=status]")
    plan = Rtl.objects.get(unit=people.unit, period=period)
    assert "biaya" in plan.chosen
    unit.click("text=Tambah butir RTL")
    unit.select_option("#id_element", "biaya")
    unit.fill("#id_action", "Papan tarif resmi di loket pendaftaran")
    unit.fill("#id_responsible", "Kepala Subbagian TU")
    unit.fill("#id_target_date", (period.end + dt.timedelta(days=60)).isoformat())
    unit.click(".rtl-form button[type=submit]")
    unit.wait_for_selector(".note[role=status]")
    # ... then realises it, with a link as evidence.
    unit.click("text=Papan tarif resmi di loket pendaftaran")
    unit.fill("#id_realisation", "100")
    unit.fill("#id_narrative", "Papan tarif terpasang di loket.")
    unit.fill("#id_link", "https://example.go.id/dokumentasi/papan-tarif")
    unit.click(".rtl-form button[type=submit]")
    unit.wait_for_selector(".note[role=status]")
    assert unit.inner_text("#rtl-realisation") == "100,00 %"
    _look(unit, tmp_path, "rtl-realised")

    # 7. The next period: opened by the Pemda admin, its results show the RTL and its realisation.
    pemda.goto(f"{live_server.url}/kelola/periode/baru/")
    pemda.select_option("#id_kind", "tahunan")
    pemda.fill("#id_year", str(year + 1))
    with pemda.expect_navigation():
        pemda.click("main form button[type=submit]")
    following = Period.objects.get(pemda=people.pemda, kind="tahunan", year=year + 1)
    unit.goto(f"{live_server.url}/kelola/hasil/upp/{people.unit.slug}/?periode={following.pk}")
    assert unit.inner_text("#prev-rtl-realisation") == "100,00 %"
    assert "Papan tarif resmi di loket pendaftaran" in unit.inner_text(".rtl-previous")
    _look(unit, tmp_path, "next-period")
    unit.context.close()
    pemda.context.close()
