"""The Content-Security-Policy (no inline script or style) breaks no page: Chromium reports no
violation on the public and admin pages."""

from __future__ import annotations

import pytest

from skm.testing import make_answer, make_people, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations_on(page, url):
    seen = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return seen


def test_no_csp_violation_anywhere(page, live_server):
    people = make_people()
    make_service(people.unit, "Poli Umum")
    make_answer(people.unit)
    base = live_server.url
    public = [
        f"/s/{people.unit.slug}/",
        f"/s/{people.unit.slug}/terima-kasih/",
        f"/k/{people.unit.slug}/",
        "/admin/login/",
    ]
    for path in public:
        assert violations_on(page, base + path) == [], path
    page.fill("#id_username", "pemda")
    page.fill("#id_password", "uji-rahasia-123")
    page.click("input[type=submit]")
    admin_pages = [
        "/admin/",
        "/admin/organisation/unit/",
        f"/admin/organisation/unit/{people.unit.pk}/change/",
        "/admin/accounts/auditevent/",
        "/kelola/entri/",
        f"/kelola/entri/{people.unit.slug}/",
        "/kelola/impor/",
    ]
    for path in admin_pages:
        assert violations_on(page, base + path) == [], path
