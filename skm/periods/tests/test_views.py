"""The pages under /kelola/periode/ and the home panel, as each role uses them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from skm.accounts.models import AuditEvent
from skm.periods import reporting
from skm.periods.compliance import unit_status
from skm.periods.models import ReminderPolicy
from skm.periods.tests.builders import make_period
from skm.results.ranges import today_in
from skm.testing import make_people

pytestmark = pytest.mark.django_db


def _unit_url(period, unit):
    return reverse("periods:unit", kwargs={"period_id": period.pk, "unit_slug": unit.slug})


def test_unit_admin_reports_gives_a_reason_and_withdraws(client):
    people = make_people()
    period = make_period(people.pemda)
    client.force_login(people.unit_admin)
    page = client.get(_unit_url(period, people.unit)).content.decode()
    assert f"/kelola/hasil/upp/{people.unit.slug}/?periode={period.pk}" in page
    assert "Pendampingan (Admin Pemda)" not in page
    assert client.post(_unit_url(period, people.unit), {"action": "lapor"}).status_code == 302
    assert unit_status(people.unit, period) == "dilaporkan"
    page = client.get(_unit_url(period, people.unit)).content.decode()
    assert "Tarik laporan" in page and "puskesmas" in page
    client.post(_unit_url(period, people.unit), {"action": "tarik"})
    assert unit_status(people.unit, period) == "belum"
    response = client.post(_unit_url(period, people.unit), {"action": "alasan", "reason": "  "})
    assert response.status_code == 200 and '<p class="error">' in response.content.decode()
    client.post(_unit_url(period, people.unit), {"action": "alasan", "reason": "kurangnya SDM <b>"})
    assert unit_status(people.unit, period) == "alasan"
    assert "kurangnya SDM &lt;b&gt;" in client.get(_unit_url(period, people.unit)).content.decode()
    assert list(
        AuditEvent.objects.filter(object_type="periods.unitreport")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["period.report", "period.withdraw", "period.reason"]


def test_only_the_pemda_admin_marks_accompaniment(client):
    people = make_people()
    period = make_period(people.pemda)
    client.force_login(people.unit_admin)
    data = {"action": "dampingi", "accompanied": "on", "note": "unit baru"}
    assert client.post(_unit_url(period, people.unit), data).status_code == 403
    client.force_login(people.pd_admin)
    assert client.post(_unit_url(period, people.unit), data).status_code == 403
    client.force_login(people.pemda_admin)
    assert client.post(_unit_url(period, people.unit), data).status_code == 302
    assert unit_status(people.unit, period) == "pendampingan"
    assert AuditEvent.objects.filter(action="period.accompany", user=people.pemda_admin).count() == 1


def test_a_closed_period_takes_no_report(client):
    people = make_people()
    period = make_period(people.pemda, closed_at=timezone.now())
    client.force_login(people.unit_admin)
    assert "Laporkan hasil periode ini" not in client.get(_unit_url(period, people.unit)).content.decode()
    client.post(_unit_url(period, people.unit), {"action": "lapor"})
    assert unit_status(people.unit, period) == "belum"


def test_compliance_page_counts_names_the_late_and_filters_by_pd(client):
    people = make_people()
    period = make_period(people.pemda, report_deadline=today_in(people.pemda) - dt.timedelta(days=1))
    reporting.submit(people.unit, period, user=people.unit_admin)
    reporting.give_reason(people.other_pd_unit, period, "kurangnya SDM", user=people.pemda_admin)
    url = reverse("periods:period", kwargs={"period_id": period.pk})
    client.force_login(people.pemda_admin)
    page = client.get(url).content.decode()
    assert "1 dari 3: Kelurahan 0/1, Puskesmas 1/2" in page
    assert "1 unit terlambat" in page and "Puskesmas Cempaka" in page and "kurangnya SDM" in page
    page = client.get(url + f"?pd={people.other_pd.pk}").content.decode()
    assert "0 dari 1: Kelurahan 0/1" in page and "Puskesmas Cempaka" not in page
    # A PD admin sees its PD only, whatever it asks for.
    client.force_login(people.pd_admin)
    page = client.get(url + f"?pd={people.other_pd.pk}").content.decode()
    assert "1 dari 2: Puskesmas 1/2" in page and "Kelurahan Alalak" not in page
    # The Pimpinan reads it, without links to change anything.
    client.force_login(people.pimpinan)
    page = client.get(url).content.decode()
    assert "1 dari 3" in page and _unit_url(period, people.sibling_unit) not in page


def test_compliance_page_query_count_does_not_grow_with_units(client, django_assert_max_num_queries):
    from skm.testing import make_pd, make_unit

    people = make_people()
    period = make_period(people.pemda)
    client.force_login(people.pemda_admin)
    url = reverse("periods:period", kwargs={"period_id": period.pk})
    client.get(url)
    for i in range(20):
        make_unit(make_pd(people.pemda, f"Dinas {i}"), f"UPT {i}", unit_type="UPT/UPTD")
    with django_assert_max_num_queries(12):
        assert "0 dari 23" in client.get(url).content.decode()


def test_index_lists_periods_with_counts_or_the_unit_status(client):
    people = make_people()
    period = make_period(people.pemda, report_deadline=dt.date(2027, 1, 20))
    reporting.submit(people.unit, period, user=people.unit_admin)
    client.force_login(people.pemda_admin)
    page = client.get(reverse("periods:index")).content.decode()
    assert "1 dari 3" in page and "Ubah hari pengingat" in page
    client.force_login(people.unit_admin)
    page = client.get(reverse("periods:index")).content.decode()
    assert "Dilaporkan" in page and _unit_url(period, people.unit) in page
    assert "Ubah hari pengingat" not in page


def test_reminder_days_are_set_by_the_pemda_admin_and_audited(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    url = reverse("periods:policy")
    assert 'value="7,1"' in client.get(url).content.decode()
    response = client.post(url, {"days": "tujuh"})
    assert response.status_code == 200 and "0–90" in response.content.decode()
    client.post(url, {"days": "1, 14,3"})
    assert ReminderPolicy.objects.get(pemda=people.pemda).days == "14,3,1"
    assert AuditEvent.objects.filter(action="period.reminder_policy", pemda=people.pemda).count() == 1


def test_home_panel_reminds_the_unit_and_counts_the_late_for_the_pemda(client):
    people = make_people()
    today = today_in(people.pemda)
    soon = make_period(people.pemda, report_deadline=today + dt.timedelta(days=5))
    late = make_period(people.pemda, kind="s1", report_deadline=today - dt.timedelta(days=2))
    make_period(people.pemda, kind="s2", report_deadline=today + dt.timedelta(days=30))  # outside the window
    client.force_login(people.unit_admin)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Pengingat" in page and "5 hari lagi" in page
    assert _unit_url(soon, people.unit) in page
    assert "Semester II" not in page.split("Pengingat", 1)[1].split("</section>", 1)[0]
    reporting.submit(people.unit, soon, user=people.unit_admin)
    assert "5 hari lagi" not in client.get(reverse("workspace:home")).content.decode()
    client.force_login(people.pemda_admin)
    page = client.get(reverse("workspace:home")).content.decode()
    # Semester I is a semester period: only units surveying by semester or quarter owe it (none here).
    assert "terlambat melapor" not in page
    late.kind = "custom"
    late.label = "Rentang Juni"
    late.save()
    page = client.get(reverse("workspace:home")).content.decode()
    assert "Rentang Juni: 3 unit terlambat melapor" in page
    assert reverse("periods:period", kwargs={"period_id": late.pk}) in page


def test_the_pemda_admin_opens_a_period_with_its_standard_range_audited(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    url = reverse("periods:new")
    assert 'href="/kelola/periode/baru/"' in client.get(reverse("periods:index")).content.decode()
    data = {"kind": "tw2", "year": "2027", "report_deadline": "2027-07-10"}
    response = client.post(url, data)
    period = people.pemda.periods.get(kind="tw2", year=2027)
    assert response.status_code == 302 and response["Location"] == reverse("periods:period", args=[period.pk])
    assert (period.start, period.end) == (dt.date(2027, 4, 1), dt.date(2027, 6, 30))
    assert period.report_deadline == dt.date(2027, 7, 10) and period.closed_at is None
    event = AuditEvent.objects.get(action="period.open")
    assert event.user == people.pemda_admin and event.after["start"] == "2027-04-01"
    # The same kind and year again: refused with a message, nothing added.
    response = client.post(url, data)
    assert response.status_code == 400 and "Periode Triwulan II 2027 sudah ada." in response.content.decode()
    assert people.pemda.periods.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "custom", "year": "2027"}, "Rentang khusus perlu tanggal mulai dan selesai."),
        ({"kind": "custom", "year": "2027", "start": "2027-02-01", "end": "2027-05-31"}, "Beri nama rentang"),
        ({"kind": "s1", "year": "1999"}, "Tahun di luar 2000–2100."),
        ({"kind": "s1", "year": "2027", "start": "2027-03-01", "end": "2027-02-01"}, "tidak boleh sebelum"),
        (
            {"kind": "s1", "year": "2027", "report_deadline": "2026-12-01"},
            "Batas pelaporan tidak boleh sebelum",
        ),
        ({"kind": "s1", "year": "2027", "start": "2026-12-01"}, "harus mulai pada tahun 2027"),
        ({"kind": "s1", "year": "dua ribu"}, "Masukkan keseluruhan angka bilangan."),
    ],
)
def test_bad_period_input_gets_a_message_and_adds_nothing(client, data, message):
    people = make_people()
    client.force_login(people.pemda_admin)
    response = client.post(reverse("periods:new"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not people.pemda.periods.exists()


def test_a_custom_range_keeps_its_dates_and_label(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    data = {
        "kind": "custom",
        "year": "2027",
        "label": "Semester I (unit)",
        "start": "2027-02-01",
        "end": "2027-07-31",
    }
    assert client.post(reverse("periods:new"), data).status_code == 302
    period = people.pemda.periods.get()
    assert (period.display_label, period.start, period.end) == (
        "Semester I (unit)",
        dt.date(2027, 2, 1),
        dt.date(2027, 7, 31),
    )


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["pemda_admin", "unit_admin"])
def test_the_period_list_costs_the_same_for_one_period_as_for_five(client, role):
    people = make_people()
    client.force_login(getattr(people, role))
    url = reverse("periods:index")
    make_period(people.pemda, "tahunan", year=2025)
    one = _queries(client, url)
    for year in (2021, 2022, 2023, 2024):
        make_period(people.pemda, "tahunan", year=year)
    assert _queries(client, url) == one


def test_a_unit_with_a_stored_recap_reads_reported_in_the_period_list(client):
    from skm.recaps.models import StoredRecap

    people = make_people()
    period = make_period(people.pemda)
    StoredRecap.objects.create(
        pemda=people.pemda,
        unit=people.unit,
        period=period,
        year=2026,
        period_kind="tahunan",
        verdict="0.111",
        source="entry",
        n=50,
    )
    client.force_login(people.unit_admin)
    page = client.get(reverse("periods:index")).content.decode()
    assert "Dilaporkan" in page and "Belum melapor" not in page
    client.force_login(people.pemda_admin)
    page = client.get(reverse("periods:index")).content.decode()
    assert "1 dari 3" in page


def test_the_period_list_reads_year_then_semesters_then_quarters(client):
    people = make_people()
    for kind in ("tw2", "s1", "tw1", "tahunan", "s2"):
        make_period(people.pemda, kind, year=2026)
    make_period(people.pemda, "tahunan", year=2025)
    client.force_login(people.pemda_admin)
    page = client.get(reverse("periods:index")).content.decode()
    labels = [
        "Tahunan 2026",
        "Semester I 2026",
        "Semester II 2026",
        "Triwulan I 2026",
        "Triwulan II 2026",
        "Tahunan 2025",
    ]
    positions = [page.index(f">{label}</a>") for label in labels]
    assert positions == sorted(positions)


def test_a_units_period_page_reads_reported_when_it_reported_by_recap(client):
    from skm.recaps.models import StoredRecap

    people = make_people()
    period = make_period(people.pemda)
    client.force_login(people.unit_admin)
    url = reverse("periods:unit", kwargs={"period_id": period.pk, "unit_slug": people.unit.slug})
    assert "Belum melapor" in client.get(url).content.decode()
    StoredRecap.objects.create(
        pemda=people.pemda,
        unit=people.unit,
        period=period,
        year=2026,
        period_kind="tahunan",
        verdict="0.111",
        source="entry",
        n=50,
    )
    page = client.get(url).content.decode()
    assert "Dilaporkan" in page and "rekap unit yang tersimpan" in page


def test_a_period_no_unit_owes_says_so_instead_of_0_of_0(client):
    people = make_people()  # its units survey yearly: nobody owes a quarter
    make_period(people.pemda, "tw1")
    client.force_login(people.pemda_admin)
    page = client.get(reverse("periods:index")).content.decode()
    assert "tidak ada unit yang wajib melapor" in page and "0 dari 0" not in page
