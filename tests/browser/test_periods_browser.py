"""A period's reporting in the browser: the unit admin reviews and reports, the Pemda admin sees
the count change and the late units; every page passes axe at phone and laptop width."""

from __future__ import annotations

import datetime as dt

import pytest

from skm.periods import reporting
from skm.periods.tests.builders import make_period
from skm.results.ranges import today_in
from skm.testing import make_people, make_unit
from tests.browser.test_followup_browser import WIDTHS, _shot, login
from tests.browser.test_kiosk_browser import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _seed():
    people = make_people()
    make_unit(people.other_pd, "Kelurahan Pasar", unit_type="Kelurahan")
    today = today_in(people.pemda)
    period = make_period(people.pemda, report_deadline=today + dt.timedelta(days=3))
    late = make_period(
        people.pemda,
        "custom",
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        label="Semester I (rentang unit)",
        report_deadline=today - dt.timedelta(days=5),
    )
    reporting.give_reason(people.other_pd_unit, period, "kurangnya SDM <b>tebal</b>", user=people.pd_admin)
    reporting.submit(people.sibling_unit, late, user=None)
    return people, period, late


def test_unit_admin_reports_and_the_pemda_admin_sees_the_count_change(browser, live_server, tmp_path):
    people, period, late = _seed()
    pemda_page_url = f"{live_server.url}/kelola/periode/{period.pk}/"
    for width in WIDTHS:
        if width != WIDTHS[0]:
            reporting.withdraw(people.unit, period, user=people.unit_admin)
        pemda = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID").new_page()
        login(pemda, live_server, people.pemda_admin.username)
        pemda.goto(pemda_page_url)
        assert pemda.inner_text("[data-testid=summary]") == "0 dari 4: Kelurahan 0/2, Puskesmas 0/2"
        assert pemda.locator(".pl-reason", has_text="kurangnya SDM <b>tebal</b>").count() == 1
        assert run_axe(pemda) == [], (width, "compliance")
        _shot(pemda, tmp_path, f"compliance-before-{width}")

        unit = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID").new_page()
        login(unit, live_server, people.unit_admin.username)
        # The home panel reminds the unit and leads to its report page.
        assert "3 hari lagi" in unit.inner_text("#remind-h ~ ul")
        assert run_axe(unit) == [], (width, "home")
        _shot(unit, tmp_path, f"home-unit-{width}")
        assert "terlambat" in unit.inner_text("#remind-h ~ ul")  # the past period, not reported
        unit.click(f"#remind-h ~ ul a[href*='/periode/{period.pk}/']")
        assert unit.inner_text("[data-testid=status]").strip() == "Belum melapor"
        assert run_axe(unit) == [], (width, "unit page")
        _shot(unit, tmp_path, f"unit-before-{width}")
        # Reviewing the results means the unit's page for exactly the period's dates.
        with unit.expect_navigation():
            unit.click("text=Periksa hasil unit untuk periode ini")
        assert f"periode={period.pk}" in unit.url and "Tahunan 2026" in unit.content()
        unit.go_back()
        with unit.expect_navigation():
            unit.click("text=Laporkan hasil periode ini")
        unit.wait_for_selector(".note[role=status]")
        assert unit.inner_text("[data-testid=status]").strip() == "Dilaporkan"
        assert unit.locator("text=Tarik laporan").count() == 1
        assert run_axe(unit) == [], (width, "unit reported")
        _shot(unit, tmp_path, f"unit-after-{width}")

        pemda.reload()
        assert pemda.inner_text("[data-testid=summary]") == "1 dari 4: Kelurahan 0/2, Puskesmas 1/2"
        # The past period names its late units.
        pemda.goto(f"{live_server.url}/kelola/periode/{late.pk}/")
        assert pemda.locator(".pl-late li").count() == 3
        assert run_axe(pemda) == [], (width, "late")
        _shot(pemda, tmp_path, f"compliance-late-{width}")
        pemda.goto(f"{live_server.url}/kelola/")
        assert "3 unit terlambat melapor" in pemda.inner_text("#remind-h ~ ul")
        pemda.goto(f"{live_server.url}/kelola/periode/")
        assert run_axe(pemda) == [], (width, "index")
        _shot(pemda, tmp_path, f"index-{width}")
        pemda.goto(f"{live_server.url}/kelola/periode/pengingat/")
        assert run_axe(pemda) == [], (width, "policy")
        pemda.context.close()
        unit.context.close()
