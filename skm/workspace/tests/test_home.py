"""The workspace home (/kelola/): each role starts at its place, figures from the scoring core."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from skm.scoring.elements import ELEMENTS
from skm.scoring.ikm import UnsurTally, score_tallies
from skm.scoring.rounding import round_half_up
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db


def _today(pemda):
    return timezone.localtime(timezone.now(), pemda.tz).date()


def _answer(unit, value: int, day: dt.date):
    return make_answer(unit, dict.fromkeys(ELEMENTS, value), day=day)


def test_each_role_starts_at_its_place(client):
    people = make_people()
    today = _today(people.pemda)
    _answer(people.unit, 4, today)
    _answer(people.sibling_unit, 3, today)
    _answer(people.other_pd_unit, 2, today)
    for user, heading in (
        (people.pemda_admin, people.pemda.name),
        (people.pimpinan, people.pemda.name),
        (people.pd_admin, people.dinas.name),
        (people.unit_admin, people.unit.name),
    ):
        client.force_login(user)
        html = client.get(reverse("workspace:home")).content.decode()
        assert f"<h1>{heading}</h1>" in html, user.username
    client.force_login(people.unit_admin)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "100,00" in html  # the unit's own answers only: all 4s
    client.force_login(people.pd_admin)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Kelurahan Alalak" not in html  # another PD's unit never shows to a PD admin


def test_pemda_ikm_on_home_equals_the_core_over_raw_answers(client):
    people = make_people()
    today = _today(people.pemda)
    values = {people.unit: [4, 3, 3], people.sibling_unit: [2, 4], people.other_pd_unit: [3]}
    for unit, answers in values.items():
        for v in answers:
            _answer(unit, v, today)
    # mean of unit IKMs (the default method), each unit from the core
    ikms = []
    for answers in values.values():
        tallies = {e: UnsurTally(len(answers), sum(answers)) for e in ELEMENTS}
        ikms.append(score_tallies(tallies, len(answers), people.pemda.weight_enum).ikm)
    expected = round_half_up(sum(ikms) / len(ikms), 2)
    client.force_login(people.pemda_admin)
    html = client.get(reverse("workspace:home")).content.decode()
    assert f"{expected}".replace(".", ",") in html


def test_units_without_answers_are_listed(client):
    people = make_people()
    _answer(people.unit, 4, _today(people.pemda))
    client.force_login(people.pemda_admin)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Puskesmas Cempaka" in html and "Kelurahan Alalak" in html
    assert "2 unit belum punya jawaban" in html


def test_pimpinan_reads_only_and_sees_no_work_pages(client):
    people = make_people()
    client.force_login(people.pimpinan)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "hanya untuk dibaca" in html
    assert reverse("entry:units") not in html and reverse("admin:index") not in html


def test_an_account_without_a_role_is_refused(client):
    people = make_people()
    client.force_login(people.no_role)
    assert client.get(reverse("workspace:home")).status_code == 403


def test_anonymous_goes_to_the_workspace_login_and_back(client):
    people = make_people()
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("workspace:login"))
    response = client.post(
        reverse("workspace:login") + "?next=/kelola/",
        {"username": "pemda", "password": "uji-rahasia-123", "next": "/kelola/"},
    )
    assert response.status_code == 302 and response["Location"] == "/kelola/"
    assert people.pemda.name in client.get("/kelola/").content.decode()


def test_wrong_password_says_so_in_indonesian(client):
    make_people()
    response = client.post(reverse("workspace:login"), {"username": "pemda", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_home_in_english(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Current period" in html or "Running period" in html


@pytest.mark.parametrize("whole_months", [True, False])
def test_units_without_answers_in_the_running_period_whole_months_or_not(client, whole_months):
    """Whole months are read from the headline's own query, other periods by a query of their own:
    both name the units without an answer in the period, not in the year."""
    from skm.organisation.models import Period

    people = make_people()
    today = _today(people.pemda)
    if whole_months:
        start = today.replace(day=1)
    else:
        start = (today - dt.timedelta(days=1) if today.day == 1 else today).replace(day=2)
    Period.objects.create(
        pemda=people.pemda, kind="custom", year=start.year, start=start, end=dt.date(today.year, 12, 31)
    )
    _answer(people.unit, 4, today)
    _answer(people.sibling_unit, 3, start - dt.timedelta(days=1))  # before the period
    client.force_login(people.pemda_admin)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "2 unit belum punya jawaban" in html
    silent = html.split('id="silent-h"')[1]
    assert people.sibling_unit.name in silent and people.other_pd_unit.name in silent
    assert people.unit.name not in silent
