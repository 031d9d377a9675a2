"""Suggestions as staff use them: the inbox and the reply page pass axe at phone and laptop width,
as the unit admin who replies and as the Pimpinan who reads; the kiosk sends the optional contact."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from django.utils import timezone

from skm.collection import changes
from skm.collection.models import Answer
from skm.followup.inbox import WAITING
from skm.followup.replies import follow_up
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people, make_service
from tests.browser.test_kiosk_browser import answer as kiosk_answer
from tests.browser.test_kiosk_browser import new_context, open_kiosk, run_axe, set_up, waiting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots to look at; tests write them to a temporary folder unless SKM_SHOTS names one.
SHOTS = os.environ.get("SKM_SHOTS", "")
WIDTHS = (390, 1366)


def login(page, live_server, username):
    page.goto(f"{live_server.url}/kelola/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "uji-rahasia-123")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/masuk/" not in page.url, page.content()


def _seed(people):
    service = make_service(people.unit, "Poli Umum")
    now = timezone.now()
    texts = [
        ("Antrean di loket pendaftaran terlalu lama, mohon tambah petugas pada pagi hari.", "0812-3456-7890"),
        ('<script>alert("x")</script> Toilet kotor', ""),
        ("Petugas ramah dan cepat. Terima kasih.", "warga@example.org"),
        ("Ruang tunggu panas, kipas angin rusak.", ""),
    ]
    answers = []
    for i, (text, contact) in enumerate(texts):
        values = dict(zip(ELEMENTS, [3, 4, 2, 4, 3, 3, 4, 2, None if i == 1 else 3], strict=True))
        answers.append(
            make_answer(
                people.unit,
                values,
                suggestion=text,
                contact=contact,
                service=service if i % 2 == 0 else None,
                submitted_at=now - dt.timedelta(hours=5 * i),
            )
        )
    follow_up(
        answers[2],
        status="selesai",
        reply="Terima kasih atas apresiasinya.",
        published=True,
        user=people.unit_admin,
    )
    follow_up(answers[3], status="ditindaklanjuti", reply="", published=False, user=people.unit_admin)
    changes.set_excluded(answers[1], True, user=None, reason="uji")
    make_answer(people.sibling_unit, suggestion="Parkir sempit.")
    return answers


def _shot(page, tmp_path, name):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", ["unit_admin", "pimpinan"])
def test_inbox_and_reply_page_pass_axe(browser, live_server, tmp_path, role):
    people = make_people()
    answers = _seed(people)
    user = getattr(people, role)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="id-ID")
        page = context.new_page()
        login(page, live_server, user.username)
        # The home page counts what waits for a reply and links to those suggestions
        waiting_shown = int(page.inner_text("#sugg-h ~ p.stat"))
        assert waiting_shown == Answer.objects.for_user(user).exclude(suggestion="").filter(WAITING).count()
        assert waiting_shown > 0
        _shot(page, tmp_path, f"home-{role}-{width}")
        page.click("#sugg-h ~ p a")
        assert page.locator(".sg-item").count() == waiting_shown
        _shot(page, tmp_path, f"inbox-waiting-{role}-{width}")
        page.goto(f"{live_server.url}/kelola/saran/")
        assert page.locator(".sg-item").count() == (4 if role == "unit_admin" else 5)
        # The suggestion's markup is text on the page, never markup
        assert page.locator(".sg-text", has_text='<script>alert("x")</script>').count() == 1
        assert ("0812-3456-7890" in page.content()) == (role == "unit_admin")
        assert run_axe(page) == [], (role, width, "inbox")
        _shot(page, tmp_path, f"inbox-{role}-{width}")
        page.goto(f"{live_server.url}/kelola/saran/?q=antrean&kontak=on")
        assert page.locator(".sg-item").count() == 1
        assert run_axe(page) == [], (role, width, "inbox filtered")
        page.goto(f"{live_server.url}/kelola/saran/?dari=kemarin")
        assert page.locator(".sg-field.bad").count() == 1
        assert run_axe(page) == [], (role, width, "inbox bad date")
        page.goto(f"{live_server.url}/kelola/saran/{answers[0].pk}/")
        assert run_axe(page) == [], (role, width, "suggestion")
        if role == "unit_admin":
            page.check("#id_status_1")
            page.fill("#id_reply", "Mulai minggu depan loket pagi dibuka dua.")
            page.check("#id_published")
            page.click(".sg-form button[type=submit]")
            page.wait_for_selector(".note[role=status]")
            assert run_axe(page) == [], (role, width, "suggestion saved")
        else:
            assert page.locator(".sg-form").count() == 0
        _shot(page, tmp_path, f"suggestion-{role}-{width}")
        context.close()
    if role == "unit_admin":
        followup = Answer.objects.get(pk=answers[0].pk).followup
        assert (followup.status, followup.published) == ("ditindaklanjuti", True)


def test_publishing_without_reply_shows_an_accessible_error(browser, live_server, tmp_path):
    people = make_people()
    answers = _seed(people)
    context = browser.new_context(viewport={"width": 390, "height": 900}, locale="id-ID")
    page = context.new_page()
    login(page, live_server, people.unit_admin.username)
    page.goto(f"{live_server.url}/kelola/saran/{answers[3].pk}/")
    page.check("#id_published")
    page.click(".sg-form button[type=submit]")
    page.wait_for_selector(".errors")
    assert run_axe(page) == []
    _shot(page, tmp_path, "suggestion-error-390")
    context.close()


def test_kiosk_sends_the_optional_contact(browser, live_server, tmp_path):
    from skm.testing import make_pd, make_pemda, make_unit

    unit = make_unit(make_pd(make_pemda("Kota Kios")), "Puskesmas Kios")
    context = new_context(browser)
    set_up(context, unit)
    page = open_kiosk(context, f"{live_server.url}/k/{unit.slug}/?thanks=1")
    page.click("#k-begin")
    for step, value in enumerate([3] * 9 + ["P", "u35", "s1", "swasta"]):
        selector = f"#k-ask[data-step='{step}'][data-ready] .k-option[data-value='{value}']"
        page.wait_for_function("s => document.querySelector(s)", arg=selector, polling="raf")
        page.click(selector)
    page.wait_for_selector("#k-suggest:not([hidden])")
    assert page.locator("label[for=k-contact]").inner_text().startswith("Kontak untuk balasan")
    assert run_axe(page) == []
    page.fill("#k-suggestion", "Kursi tunggu kurang.")
    page.fill("#k-contact", "0812-9999")
    _shot(page, tmp_path, "kiosk-contact-1024")
    page.click("#k-send")
    page.wait_for_selector("#k-thanks:not([hidden])")
    waiting(page, 0)
    deadline = time.monotonic() + 10
    while not Answer.objects.filter(unit=unit).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    stored = Answer.objects.get(unit=unit)
    assert (stored.suggestion, stored.contact) == ("Kursi tunggu kurang.", "0812-9999")
    # Left empty, nothing is required: the next person skips it
    page.wait_for_selector("#k-start:not([hidden])", timeout=10_000)
    assert page.input_value("#k-contact") == ""
    kiosk_answer(page, [4] * 9)
    waiting(page, 0)
    deadline = time.monotonic() + 10
    while Answer.objects.filter(unit=unit).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Answer.objects.filter(unit=unit, contact="").count() == 1
    context.close()
