"""The report in the browser (issue 25 item 7): the Admin Pemda chooses the closed year, reads the
drafted conclusion, edits it, starts the report; the page shows it waiting with a progress bar,
`skm worker` makes it, and the page (refreshing itself) then lists the files; Pimpinan download
them. The settings page too. Every page passes axe at phone and laptop width."""

from __future__ import annotations

import pytest

from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.reports.models import ReportRun
from skm.reports.tasks import run_report
from skm.reports.tests.world import YEAR, report_world
from tests.browser.test_followup_browser import WIDTHS, _shot, login
from tests.browser.test_kiosk_browser import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PW = "uji-rahasia-123"


def test_the_admin_makes_the_report_and_pimpinan_download_it(browser, live_server, tmp_path):
    world = report_world()
    create_user("pemda", PW, Role.ADMIN_PEMDA, world.pemda)
    create_user("walikota", PW, Role.PIMPINAN, world.pemda)
    for width in WIDTHS:
        page = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID").new_page()
        login(page, live_server, "pemda")
        page.click("nav >> text=Laporan SKM")
        assert run_axe(page) == [], (width, "index")
        page.select_option("#id_period", label=f"Tahunan {YEAR}")
        with page.expect_navigation():
            page.click("button:text-is('Tampilkan susunan kesimpulan')")
        drafted = page.input_value("textarea[name=conclusion]")
        assert "kurangnya SDM" in drafted and "Sebanyak 1 dari 4 unit" in drafted
        assert run_axe(page) == [], (width, "draft")
        _shot(page, tmp_path, f"report-draft-{width}")
        page.fill("textarea[name=conclusion]", drafted + "\nCatatan tambahan dari Bagian Organisasi.")
        page.uncheck("input[name=formats][value=xlsx]")
        with page.expect_navigation():
            page.click("main button:text-is('Buat laporan')")
        assert "/kelola/laporan/" in page.url
        assert page.locator("progress").count() == 1
        assert run_axe(page) == [], (width, "waiting")
        _shot(page, tmp_path, f"report-waiting-{width}")
        # The task's body, as `skm worker` runs it (the worker itself is driven in
        # skm/reports/tests/test_views.py: here it would close the live server's shared connection).
        run_report(ReportRun.objects.latest("pk").pk)
        page.wait_for_selector(".report-files a", timeout=15_000)  # the page refreshes itself
        names = page.locator(".report-files a").all_inner_texts()
        assert [n.rsplit(".", 1)[1] for n in names] == ["docx", "pdf"]
        assert "snapshot versi 1" in page.inner_text("main")
        assert run_axe(page) == [], (width, "done")
        _shot(page, tmp_path, f"report-done-{width}")
        run_url = page.url
        chief = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID").new_page()
        login(chief, live_server, "walikota")
        chief.goto(run_url)
        with chief.expect_download() as download:
            chief.click(".report-files a >> nth=1")
        assert download.value.suggested_filename.endswith(".pdf")
        page.goto(f"{live_server.url}/kelola/laporan/pengaturan/")
        assert run_axe(page) == [], (width, "settings")
        _shot(page, tmp_path, f"report-settings-{width}")
