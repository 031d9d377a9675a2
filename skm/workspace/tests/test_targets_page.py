"""/kelola/target/ (issue 24 item 8): the Admin Pemda sets the Pemda's and every unit's targets in
one form, audited; other admins read their units'; and the home page shows them against the IKM."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from skm.accounts.models import AuditEvent
from skm.organisation.models import IkmTarget
from skm.organisation.targets import target_for
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db
URL = reverse("workspace:targets")


def this_year(pemda) -> int:
    return timezone.localtime(timezone.now(), pemda.tz).year


def test_the_pemda_admin_sets_targets_in_one_form_and_each_change_is_audited(client):
    people = make_people()
    pemda, unit = people.pemda, people.unit
    year = this_year(pemda)
    IkmTarget.objects.create(pemda=pemda, unit=people.sibling_unit, year=None, value=Decimal("70"))
    client.force_login(people.pemda_admin)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="y-{unit.pk}"' in html and 'name="a-pemda"' in html and "70,00" in html
    assert people.other_pemda_unit.name not in html
    assert f'<option value="{year}" selected>{year}</option>' in html and f"Target {year}<" in html
    data = {"y-pemda": "85,5", "a-pemda": "", f"y-{unit.pk}": "90", f"a-{people.sibling_unit.pk}": "70,00"}
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == f"{URL}?tahun={year}"
    assert target_for(pemda, None, year) == Decimal("85.50")
    assert target_for(pemda, unit, year) == Decimal("90.00")
    assert target_for(pemda, people.sibling_unit, year) == Decimal("70.00")  # unchanged
    events = AuditEvent.objects.filter(object_type="organisation.ikmtarget")
    assert sorted(e.action for e in events) == ["target.add", "target.add"]
    assert all(e.user == people.pemda_admin for e in events)
    assert "2 target disimpan." in client.get(response["Location"]).content.decode()
    # Emptying a field removes that target (and is audited too).
    data[f"a-{people.sibling_unit.pk}"] = ""
    client.post(URL, data)
    assert target_for(pemda, people.sibling_unit, year) is None
    assert events.filter(action="target.delete").count() == 1
    # Another year is its own column; the every-year column is the same on every year's page.
    client.post(f"{URL}?tahun={year - 1}", {f"y-{unit.pk}": "80", "y-pemda": ""})
    assert target_for(pemda, unit, year - 1) == Decimal("80.00")
    assert target_for(pemda, unit, year) == Decimal("90.00")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Isi angka, mis. 85,50, atau kosongkan."),
        ("100,01", "Target IKM harus antara 0 dan 100."),
        ("-3", "Target IKM harus antara 0 dan 100."),
        ("85,555", "Paling banyak 2 angka di belakang koma."),
        ("8,5,5", "Isi angka, mis. 85,50, atau kosongkan."),
    ],
)
def test_bad_values_are_refused_with_a_message_and_nothing_is_saved(client, typed, message):
    people = make_people()
    client.force_login(people.pemda_admin)
    response = client.post(URL, {"y-pemda": "80", f"y-{people.unit.pk}": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "Ada isian yang belum benar" in html
    assert not IkmTarget.objects.exists()


def test_other_admins_read_their_units_targets_and_cannot_change_them(client):
    people = make_people()
    year = this_year(people.pemda)
    IkmTarget.objects.create(pemda=people.pemda, unit=people.unit, year=year, value=Decimal("88.25"))
    IkmTarget.objects.create(pemda=people.pemda, unit=None, year=None, value=Decimal("81"))
    client.force_login(people.pd_admin)
    html = client.get(URL).content.decode()
    assert "88,25" in html and people.sibling_unit.name in html and people.other_pd_unit.name not in html
    assert "<input" not in html.split('<table class="targets">')[1] and "Simpan target" not in html
    assert "hanya untuk dibaca" in html
    assert client.post(URL, {f"y-{people.unit.pk}": "10"}).status_code == 403
    client.force_login(people.unit_admin)
    html = client.get(URL).content.decode()
    assert people.unit.name in html and people.sibling_unit.name not in html
    assert client.post(URL, {f"y-{people.unit.pk}": "10"}).status_code == 403
    assert target_for(people.pemda, people.unit, year) == Decimal("88.25")
    client.force_login(people.pimpinan)
    assert client.get(URL).status_code == 403


def test_a_bad_year_falls_back_to_this_year_with_a_message(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    response = client.get(URL, {"tahun": "1990"})
    assert response.context["year"] == this_year(people.pemda)
    assert "Tahun harus antara 2000 dan" in response.content.decode()


def test_the_menu_offers_targets_to_admins_only(client):
    people = make_people()
    for user, shown in ((people.pemda_admin, True), (people.unit_admin, True), (people.pimpinan, False)):
        client.force_login(user)
        html = client.get(reverse("workspace:home")).content.decode()
        assert (f'href="{URL}"' in html) is shown, user.username


def _answer_all(unit, value: int):
    today = timezone.localtime(timezone.now(), unit.pemda.tz).date()
    make_answer(unit, dict.fromkeys(ELEMENTS, value), day=today - dt.timedelta(days=0))


def test_home_shows_the_places_target_and_whether_it_is_met(client):
    people = make_people()
    pemda = people.pemda
    year = this_year(pemda)
    _answer_all(people.unit, 4)  # 100,00
    _answer_all(people.sibling_unit, 3)  # 75,00
    client.force_login(people.pemda_admin)
    html = client.get(reverse("workspace:home")).content.decode()
    assert "Target IKM" not in html and "tercapai" not in html
    IkmTarget.objects.create(pemda=pemda, unit=None, year=None, value=Decimal("95"))
    IkmTarget.objects.create(pemda=pemda, unit=people.unit, year=year, value=Decimal("99.5"))
    IkmTarget.objects.create(pemda=pemda, unit=people.sibling_unit, year=None, value=Decimal("80"))
    response = client.get(reverse("workspace:home"))
    html = response.content.decode()
    assert "Target IKM: 95,00" in html and "belum tercapai" in html  # the mean of 100 and 75
    best = response.context["best"]
    assert [(m.unit, t, met) for m, t, met in best] == [
        (people.unit, Decimal("99.50"), True),
        (people.sibling_unit, Decimal("80.00"), False),
    ]
    assert "99,50" in html and "✓" in html and "✗" in html
    # A PD has no target of its own; its ranked units keep theirs.
    client.force_login(people.pd_admin)
    response = client.get(reverse("workspace:home"))
    assert response.context["target_met"] is None and "Target IKM:" not in response.content.decode()
    assert "99,50" in response.content.decode()
    client.force_login(people.unit_admin)
    response = client.get(reverse("workspace:home"))
    assert response.context["target"] == Decimal("99.50") and response.context["target_met"] is True
    assert "Target IKM: 99,50" in response.content.decode()
