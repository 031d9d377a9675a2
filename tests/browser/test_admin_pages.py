"""The admin as a person sees it: log in, see one's own units, in Indonesian."""

from __future__ import annotations

import pytest

from skm.testing import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "uji-rahasia-123")
    page.click("input[type=submit]")


def test_pd_admin_sees_own_units_in_indonesian(page, live_server, tmp_path):
    make_people()
    login(page, live_server, "dinkes")
    page.goto(f"{live_server.url}/admin/organisation/unit/")
    text = page.inner_text("body")
    assert "Pilih UPP untuk diubah" in text  # Indonesian although the browser asks for English
    assert "Puskesmas Terminal" in text and "Puskesmas Cempaka" in text
    assert "Kelurahan Alalak" not in text and "Puskesmas Lain" not in text
    page.screenshot(path=str(tmp_path / "units.png"))
    assert (tmp_path / "units.png").stat().st_size > 10_000


def test_wrong_password_gets_an_indonesian_message(page, live_server):
    make_people()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "dinkes")
    page.fill("#id_password", "salah")
    page.click("input[type=submit]")
    body = page.inner_text("body")
    assert "sandi yang benar untuk akun staf" in body, body


def test_language_switch_to_english_and_back(page, live_server):
    make_people()
    login(page, live_server, "pemda")
    page.click("button[name=language][value=en]")
    assert "welcome" in page.inner_text("body").lower()
    page.click("button[name=language][value=id]")
    assert "selamat datang" in page.inner_text("body").lower()
