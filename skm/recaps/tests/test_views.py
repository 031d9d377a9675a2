"""The recap pages under /kelola/rekap/: enter, check, explain, save; upload; scoping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from skm.accounts.models import AuditEvent
from skm.organisation.models import Period
from skm.recaps.models import StoredRecap
from skm.recaps.storing import (
    Checked,
    PeriodClosed,
    Placement,
    check_table,
    entry_table,
    instrument_elements,
    save_checked,
)
from skm.testing import make_people, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    people = make_people()
    period = Period.objects.create(
        pemda=people.pemda, kind="tahunan", year=2026, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    return people, period


def form_data(people, period, converted="88", ikm="87,91", category="B", n="120", **extra):
    data = {"period": period.pk, "rows": "1", "r0-ikm": ikm, "r0-category": category, "r0-n": n}
    for element in instrument_elements(people.pemda):
        data[f"r0-{element}"] = converted
    data.update(extra)
    return data


def test_the_form_has_one_field_per_unsur_of_the_instrument(client, world):
    people, _period = world
    client.force_login(people.unit_admin)
    page = client.get(reverse("recaps:enter", args=[people.unit.slug])).content.decode()
    for i, element in enumerate(instrument_elements(people.pemda), start=1):
        assert f'name="r0-{element}"' in page
        assert f"U{i} " in page
    assert 'value="periksa"' in page and 'value="simpan"' not in page


def test_check_shows_problems_then_saving_needs_an_explanation(client, world):
    people, period = world
    client.force_login(people.unit_admin)
    url = reverse("recaps:enter", args=[people.unit.slug])
    wrong = form_data(people, period, ikm="91,50", category="A")
    checked = client.post(url, {**wrong, "action": "periksa"})
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "Hasil pemeriksaan" in page and "tidak sesuai dengan bobot mana pun" in page
    assert 'name="x-1-0"' in page
    refused = client.post(url, {**wrong, "action": "simpan"})
    assert refused.status_code == 400
    assert "Jelaskan masalah ini atau perbaiki angkanya." in refused.content.decode()
    assert not StoredRecap.objects.exists()
    count = page.count('name="x-1-')
    explained = {f"x-1-{i}": "Angka IKM dari aplikasi lama" for i in range(count)}
    saved = client.post(url, {**wrong, **explained, "action": "simpan"})
    assert saved.status_code == 302 and saved.url == reverse("recaps:index")
    recap = StoredRecap.objects.get()
    assert recap.unit == people.unit and recap.period == period and recap.source == "entry"
    assert recap.entered_by == people.unit_admin
    assert {p["explanation"] for p in recap.problems} == {"Angka IKM dari aplikasi lama"}
    assert AuditEvent.objects.filter(action="recap.save", user=people.unit_admin).count() == 1
    index = client.get(reverse("recaps:index")).content.decode()
    assert "91,50" in index and "masalah dijelaskan" in index


def test_service_rows_and_a_clean_recap(client, world):
    people, period = world
    make_service(people.unit, "Rawat jalan")
    client.force_login(people.unit_admin)
    url = reverse("recaps:enter", args=[people.unit.slug])
    assert 'value="Rawat jalan"' in client.get(url).content.decode()
    data = {
        "period": period.pk,
        "rows": "2",
        "r1-service": "Rawat jalan",
        "r1-ikm": "87,91",
        "r1-category": "B",
    }
    data["r1-n"] = "40"
    data.update({f"r1-{e}": "88" for e in instrument_elements(people.pemda)})
    page = client.post(url, {**data, "action": "periksa"}).content.decode()
    assert "Tidak ada masalah" in page
    assert client.post(url, {**data, "action": "simpan"}).status_code == 302
    assert StoredRecap.objects.get().service == "Rawat jalan"


def test_unverifiable_and_no_data_rows_are_saved_with_that_status(client, world):
    people, period = world
    client.force_login(people.pemda_admin)
    url = reverse("recaps:enter", args=[people.sibling_unit.slug])
    data = {"period": period.pk, "rows": "1", "r0-ikm": "0,00", "r0-n": "0", "action": "simpan"}
    assert client.post(url, data).status_code == 302
    assert StoredRecap.objects.get(unit=people.sibling_unit).verdict == "no data"
    url = reverse("recaps:enter", args=[people.unit.slug])
    data = {"period": period.pk, "rows": "1", "r0-ikm": "82,00", "r0-category": "B", "r0-n": "50"}
    assert client.post(url, {**data, "action": "simpan"}).status_code == 302
    assert StoredRecap.objects.get(unit=people.unit).verdict == "unverifiable"


def test_a_unit_admin_cannot_enter_for_another_unit(client, world):
    people, period = world
    client.force_login(people.unit_admin)
    url = reverse("recaps:enter", args=[people.sibling_unit.slug])
    assert client.post(url, {**form_data(people, period), "action": "simpan"}).status_code == 404
    assert not StoredRecap.objects.exists()


def test_a_period_of_another_pemda_is_refused(client, world):
    people, _period = world
    theirs = Period.objects.create(
        pemda=people.other_pemda,
        kind="tahunan",
        year=2026,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
    )
    client.force_login(people.superuser)
    url = reverse("recaps:enter", args=[people.unit.slug])
    response = client.post(url, {**form_data(people, theirs), "action": "simpan"})
    assert response.status_code == 400
    assert not StoredRecap.objects.exists()


def csv_bytes(rows):
    header = (
        "upp;periode;" + ";".join(f"u{i}" for i in range(1, 10)) + ";ikm;kategori;jumlah_responden;layanan"
    )
    return ("\n".join([header, *rows]) + "\n").encode()


def test_upload_checks_the_file_and_saves_after_explaining(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    people, period = world
    client.force_login(people.unit_admin)
    url = reverse("recaps:upload", args=[people.unit.slug])
    values = ";".join(["88"] * 9)
    content = csv_bytes(
        [
            f"{people.unit.name};Tahunan;{values};87,91;B;120;",
            f"{people.unit.name};Tahunan;{values};87,91;C;30;Lab",
        ]
    )
    upload = SimpleUploadedFile("rekap.csv", content, content_type="text/csv")
    page = client.post(url, {"period": period.pk, "file": upload, "action": "periksa"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kategori" in text and 'name="table"' in text
    carried = page.context["table"]
    problems = page.context["problem_count"]
    assert problems >= 2  # a category that does not match, and the two rows are copies
    refused = client.post(url, {"period": period.pk, "table": carried, "action": "simpan"})
    assert refused.status_code == 400
    explained = {
        f"x-{row['number']}-{i}": "Diperiksa ulang"
        for row in page.context["findings"]
        for i in range(len(row["problems"]))
    }
    saved = client.post(url, {"period": period.pk, "table": carried, "action": "simpan", **explained})
    assert saved.status_code == 302
    assert sorted(StoredRecap.objects.values_list("service", "source")) == [("", "upload"), ("Lab", "upload")]


def test_upload_of_another_units_rows_is_refused(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    people, period = world
    client.force_login(people.unit_admin)
    url = reverse("recaps:upload", args=[people.unit.slug])
    values = ";".join(["88"] * 9)
    content = csv_bytes([f"{people.sibling_unit.name};Tahunan;{values};87,91;B;120;"])
    response = client.post(url, {"period": period.pk, "file": SimpleUploadedFile("r.csv", content)})
    assert response.status_code == 400
    assert "unit lain" in response.content.decode()
    bad = client.post(url, {"period": period.pk, "file": SimpleUploadedFile("r.csv", b"a;b\n1;2\n")})
    assert bad.status_code == 400 and not StoredRecap.objects.exists()


def test_the_menu_has_rekap_for_admins_only(client, world):
    people, _period = world
    client.force_login(people.unit_admin)
    assert 'href="/kelola/rekap/"' in client.get(reverse("workspace:home")).content.decode()
    client.force_login(people.pimpinan)
    assert 'href="/kelola/rekap/"' not in client.get(reverse("workspace:home")).content.decode()


def test_a_closed_period_takes_no_recap(client, world):
    """A closed period's figures are frozen: the form does not offer it, a forced post is refused
    with the reason, and a period closed between check and save refuses the save (storing guard)."""
    people, period = world
    client.force_login(people.unit_admin)
    url = reverse("recaps:enter", args=[people.unit.slug])
    assert f'<option value="{period.pk}"' in client.get(url).content.decode()
    Period.objects.filter(pk=period.pk).update(closed_at=timezone.now())
    assert f'<option value="{period.pk}"' not in client.get(url).content.decode()
    response = client.post(url, {**form_data(people, period), "action": "simpan"})
    assert response.status_code == 400 and not StoredRecap.objects.exists()
    period.refresh_from_db()
    checked = Checked(check_table(people.pemda, entry_table(people.unit, "Tahunan 2026", [])))
    with pytest.raises(PeriodClosed, match="sudah ditutup"):
        save_checked(people.unit, Placement.of(period), checked, source="entry", user=people.unit_admin)
    # History for the same kind and year lands in that closed Period too: refused the same way.
    with pytest.raises(PeriodClosed):
        save_checked(people.unit, Placement(None, 2026, "tahunan"), checked, source="history", user=None)
    # Reopened, the same save goes through.
    Period.objects.filter(pk=period.pk).update(closed_at=None)
    response = client.post(url, {**form_data(people, period), "action": "simpan"})
    assert response.status_code == 302 and StoredRecap.objects.count() == 1
