"""Paper entry as an admin uses it: keyboard only, Enter saves, the list grows without a reload."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from skm.collection.models import Answer, Channel
from skm.collection.paper.line import columns_for, digits_of
from skm.instrument.spec import current_spec
from skm.testing import make_people, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Ten paper forms as an admin would type them: spaces or not, blanks as 0 or -.
FORMS = [
    "343343442 2334",
    "4444444441356",
    "333333333 1221",
    "2323-3232 -000",
    "444434444",
    "123412341 2616",
    "3-3343442 2334",
    "333344443 2445",
    "444333444 1 1 1 1",
    "332233223 2 6 5 2",
]


def login(page, live_server, username="puskesmas"):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "uji-rahasia-123")
    page.click("input[type=submit]")


def rows(page) -> int:
    return page.locator("#recent-body tr").count()


def test_ten_questionnaires_by_keyboard_alone(page, live_server, tmp_path):
    people = make_people()
    make_service(people.unit, "Rawat jalan")
    login(page, live_server)
    page.goto(f"{live_server.url}/kelola/entri/{people.unit.slug}/")
    assert page.evaluate("document.activeElement.id") == "isian"  # autofocus: type at once
    started = time.perf_counter()
    for n, digits in enumerate(FORMS, start=1):
        page.keyboard.type(digits)
        page.keyboard.press("Enter")
        expect(page.locator("#recent-body tr")).to_have_count(n)
        assert page.input_value("#isian") == ""
    elapsed = time.perf_counter() - started
    print(
        f"\npaper entry: {len(FORMS)} questionnaires in {elapsed:.2f} s, "
        f"{elapsed / len(FORMS) * 1000:.0f} ms each (browser typing + save + row added)"
    )
    assert page.evaluate("document.activeElement.id") == "isian"  # focus kept for the next one
    assert "Tersimpan: kuesioner #" in page.inner_text("#entry-status")

    columns = columns_for(current_spec(people.pemda.pk))
    answers = list(Answer.objects.filter(unit=people.unit).order_by("pk"))
    assert len(answers) == 10
    assert all(a.channel == Channel.MANUAL and a.entered_by_id == people.unit_admin.pk for a in answers)
    typed = ["".join(f.split()).replace("0", "-") for f in FORMS]
    stored = [digits_of({**a.values(), **profile(a)}, columns).replace(" ", "") for a in answers]
    assert stored == [t if len(t) == 13 else t + "----" for t in typed]
    # The recent table shows them, newest first, digit by digit.
    shown = page.eval_on_selector_all(
        "#recent-body tr",
        "trs => trs.map(tr => [...tr.querySelectorAll('td.d')].map(td => td.textContent).join(''))",
    )
    assert shown == stored[::-1]
    page.screenshot(path=str(tmp_path / "entry.png"), full_page=True)
    assert (tmp_path / "entry.png").stat().st_size > 20_000


def profile(answer):
    return {k: getattr(answer, k) for k in ("gender", "age_band", "education", "occupation")}


def test_a_wrong_digit_is_shown_before_saving_and_refused_with_the_text_kept(page, live_server):
    people = make_people()
    login(page, live_server)
    page.goto(f"{live_server.url}/kelola/entri/{people.unit.slug}/")
    page.keyboard.type("343353442 3")
    assert page.locator("#preview td.bad").count() == 2  # U5 = 5 and JK = 3
    assert "Kolom U5 (Produk): '5' tidak sah" in page.inner_text("#entry-errors")
    page.keyboard.press("Enter")
    expect(page.locator("#entry-errors")).to_contain_text("Terbaca")
    assert page.input_value("#isian") == "343353442 3"
    assert Answer.objects.count() == 0
    page.keyboard.press("Control+A")
    page.keyboard.type("343343442 2334")
    page.keyboard.press("Enter")
    expect(page.locator("#recent-body tr")).to_have_count(1)
    assert page.inner_text("#entry-errors") == ""
    assert Answer.objects.count() == 1


def test_a_lost_response_retried_stores_one_answer(page, live_server):
    people = make_people()
    login(page, live_server)
    grid = f"{live_server.url}/kelola/entri/{people.unit.slug}/"
    page.goto(grid)
    lost = []

    def lose_the_reply(route):
        route.fetch()  # the server stores it …
        lost.append(1)
        route.abort()  # … but the reply never arrives

    page.route(
        grid, lambda route: lose_the_reply(route) if route.request.method == "POST" else route.continue_()
    )
    page.keyboard.type("343343442 2334")
    page.keyboard.press("Enter")
    expect(page.locator("#entry-errors")).to_contain_text("Enter")
    assert lost and Answer.objects.count() == 1
    assert page.input_value("#isian") == "343343442 2334"
    page.unroute(grid)
    page.keyboard.press("Enter")  # the retry carries the same key
    expect(page.locator("#recent-body tr")).to_have_count(1)
    assert "Sudah tersimpan sebelumnya" in page.inner_text("#entry-status")
    assert Answer.objects.count() == 1


def test_without_javascript_each_enter_posts_and_returns_focused(browser, live_server):
    people = make_people()
    context = browser.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        login(page, live_server)
        page.goto(f"{live_server.url}/kelola/entri/{people.unit.slug}/")
        for n in (1, 2):
            page.fill("#isian", "343343442 2334")
            page.press("#isian", "Enter")
            page.wait_for_load_state()
            answer = Answer.objects.order_by("-pk").first()
            assert f"Tersimpan: kuesioner #{answer.pk}" in page.inner_text("#entry-status")
            assert page.locator("#isian[autofocus]").count() == 1
            assert page.locator("#recent-body tr").count() == n
        assert Answer.objects.count() == 2
    finally:
        context.close()


def axe_violations(page):
    page.evaluate(AXE.read_text())
    result = page.evaluate("axe.run()")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def test_the_grid_and_the_edit_page_have_no_accessibility_violations(page, live_server):
    people = make_people()
    make_service(people.unit, "Rawat jalan")
    login(page, live_server)
    page.goto(f"{live_server.url}/kelola/entri/{people.unit.slug}/")
    page.keyboard.type("343343442 2334")
    page.keyboard.press("Enter")
    expect(page.locator("#recent-body tr")).to_have_count(1)
    assert axe_violations(page) == []
    page.keyboard.type("343353442 3")  # a wrong digit, shown in the preview
    assert axe_violations(page) == []
    page.click("#recent-body tr a")
    page.wait_for_load_state()
    assert page.locator("#preview tbody:not([hidden])").count() == 1  # live preview on the edit page
    assert axe_violations(page) == []
