"""RTL and its realisation (SPEC §8): the suggestion from exactly the period's results, the reason
when the choice differs, items, realisation means with their formula, evidence files checked by
content and served only within scope, the previous RTL on the results page, overdue items at home."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from fractions import Fraction

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from skm.accounts.models import AuditEvent
from skm.followup import evidence, rtl
from skm.followup.models import Rtl, RtlItem
from skm.organisation.models import Period
from skm.results.compute import unsur_labels
from skm.scoring.elements import ELEMENTS
from skm.testing import make_answer, make_people, make_unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def office(kind: str) -> bytes:
    """A real DOCX/XLSX written by python-docx / openpyxl."""
    buffer = io.BytesIO()
    if kind == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph("Foto loket baru")
        document.save(buffer)
    else:
        import openpyxl

        book = openpyxl.Workbook()
        book.active["A1"] = "Realisasi"
        book.save(buffer)
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan dokumen")
    return buffer.getvalue()


def closed(pemda, kind="tw1", year=2026, closed=True) -> Period:
    start, end = Period.standard_range(kind, year)
    return Period.objects.create(
        pemda=pemda,
        kind=kind,
        year=year,
        start=start,
        end=end,
        closed_at=timezone.now() if closed else None,
    )


def answers(unit, day: dt.date, rows: list[list[int]]) -> None:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)), unit.pemda.tz)
    for values in rows:
        make_answer(unit, values, day=day, submitted_at=moment)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- The suggestion, the choice and its reason ------------------------------------------------


def test_suggestion_comes_from_exactly_the_periods_dates_with_ties():
    people = make_people()
    period = closed(people.pemda)
    # In the period: waktu and kompetensi tie for third lowest (after persyaratan and biaya).
    inside = dict(zip(ELEMENTS, [1, 4, 3, 2, 4, 3, 4, 4, 4], strict=True))
    answers(people.unit, dt.date(2026, 2, 10), [list(inside.values())])
    # Outside it (a day after its end): very low sarana and pengaduan, which must not count.
    answers(people.unit, dt.date(2026, 4, 1), [[4, 4, 4, 4, 4, 4, 4, 1, 1]] * 3)
    assert rtl.suggested_priority(people.unit, period) == ["persyaratan", "biaya", "waktu", "kompetensi"]
    assert rtl.suggested_priority(people.sibling_unit, period) == []  # no answers: no IKM


def test_create_keeps_the_suggestion_and_asks_a_reason_only_when_the_choice_differs():
    people = make_people()
    period = closed(people.pemda)
    answers(people.unit, dt.date(2026, 1, 5), [[1, 2, 3, 4, 4, 4, 4, 4, 4]])
    with pytest.raises(ValueError, match="tuliskan alasannya"):
        rtl.create(people.unit, period, chosen=["sarana"], reason="  ", user=people.unit_admin)
    plan = rtl.create(
        people.unit,
        period,
        chosen=["waktu", "persyaratan", "prosedur"],
        reason="diabaikan",
        user=people.unit_admin,
    )
    assert plan.suggested == ["persyaratan", "prosedur", "waktu"]
    assert (plan.chosen, plan.reason, plan.differs) == (["persyaratan", "prosedur", "waktu"], "", False)
    with pytest.raises(ValueError, match="sudah ada"):
        rtl.create(people.unit, period, chosen=plan.suggested, reason="", user=people.unit_admin)
    # Answers arriving later do not rewrite what was suggested at creation.
    answers(people.unit, dt.date(2026, 3, 30), [[4, 4, 4, 4, 4, 4, 4, 1, 4]] * 5)
    rtl.set_priority(
        plan, chosen=["persyaratan", "sarana"], reason="Keluhan ruang tunggu", user=people.unit_admin
    )
    plan.refresh_from_db()
    assert plan.suggested == ["persyaratan", "prosedur", "waktu"]
    assert (plan.chosen, plan.reason, plan.differs) == (
        ["persyaratan", "sarana"],
        "Keluhan ruang tunggu",
        True,
    )
    events = list(
        AuditEvent.objects.filter(object_type="followup.rtl").order_by("pk").values_list("action", "unit_id")
    )
    assert events == [("rtl.create", people.unit.pk), ("rtl.priority", people.unit.pk)]


def test_an_open_period_or_an_unknown_unsur_is_refused():
    people = make_people()
    running = closed(people.pemda, "tw2", closed=False)
    with pytest.raises(ValueError, match="belum ditutup"):
        rtl.create(people.unit, running, chosen=["waktu"], reason="x", user=None)
    period = closed(people.pemda)
    with pytest.raises(ValueError, match="bukan unsur prioritas"):
        rtl.create(people.unit, period, chosen=["kebersihan"], reason="x", user=None)
    with pytest.raises(ValueError, match="Pilih paling sedikit satu"):
        rtl.create(people.unit, period, chosen=[], reason="x", user=None)
    assert not Rtl.objects.exists()


# --- Realisation and its means ----------------------------------------------------------------


def item(plan: Rtl, percent: int | None, element: str | None = None, target=dt.date(2026, 6, 30)) -> RtlItem:
    made = rtl.add_item(
        plan, rtl.Plan(element or plan.chosen[0], "Tambah petugas loket", "Kepala TU", target), user=None
    )
    if percent is not None:
        rtl.change_item(
            made,
            rtl.Plan(made.element, made.action, made.responsible, made.target_date),
            rtl.Realisation(percent, "Sudah berjalan"),
            user=None,
        )
    return made


def test_unit_and_pemda_means_follow_the_stated_formula():
    people = make_people()
    period = closed(people.pemda)
    a = rtl.create(people.unit, period, chosen=["waktu"], reason="uji", user=None)
    b = rtl.create(people.sibling_unit, period, chosen=["biaya"], reason="uji", user=None)
    c = rtl.create(people.other_pd_unit, period, chosen=["sarana"], reason="uji", user=None)
    item(a, 100)
    item(a, 50)  # unit a: (100 + 50) / 2 = 75
    item(b, None)
    item(b, 100)
    item(b, 33)  # unit b: (0 + 100 + 33) / 3 = 133/3
    assert c.items.count() == 0  # unit c: no items, no realisation: not counted
    units = people.pemda.units.all()
    summary = rtl.overview(units, period, dt.date(2026, 12, 1))
    by_unit = {r.unit.pk: r for r in summary.rows}
    assert by_unit[people.unit.pk].realisation == 75
    assert by_unit[people.sibling_unit.pk].realisation == Fraction(133, 3)
    assert by_unit[people.other_pd_unit.pk].realisation is None
    assert summary.mean == (75 + Fraction(133, 3)) / 2 and summary.counted == 2
    by_pd = {g.name: (g.mean, g.counted) for g in summary.by_pd}
    assert by_pd == {"Dinas Kesehatan": ((75 + Fraction(133, 3)) / 2, 2), "Kecamatan Utara": (None, 0)}
    # Overdue: target passed and below 100 %: a's 50 % item; b's blank and 33 % items.
    assert (by_unit[people.unit.pk].overdue, by_unit[people.sibling_unit.pk].overdue) == (1, 2)


def test_realising_writes_who_and_when_and_an_audit_event():
    people = make_people()
    plan = rtl.create(people.unit, closed(people.pemda), chosen=["waktu"], reason="uji", user=None)
    made = rtl.add_item(
        plan,
        rtl.Plan("waktu", "Loket pagi dibuka dua", "Kepala TU", dt.date(2026, 6, 1)),
        user=people.unit_admin,
    )
    assert made.realised_at is None
    rtl.change_item(
        made,
        rtl.Plan("waktu", "Loket pagi dibuka dua", "Kepala TU", dt.date(2026, 6, 1)),
        rtl.Realisation(80, "Loket kedua buka sejak Mei", "https://contoh.go.id/foto"),
        user=people.unit_admin,
    )
    made.refresh_from_db()
    assert (made.realisation, made.realised_by, made.evidence_link) == (
        80,
        people.unit_admin,
        "https://contoh.go.id/foto",
    )
    actions = list(
        AuditEvent.objects.filter(object_type="followup.rtlitem")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["rtl.item_add", "rtl.item_change"]
    with pytest.raises(ValueError, match="bukan unsur prioritas"):
        rtl.add_item(plan, rtl.Plan("sarana", "x", "y", dt.date(2026, 6, 1)), user=None)


# --- Evidence: content, not the name --------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("bukti.pdf", PDF, "pdf"),
        ("foto.JPEG", JPG, "jpg"),
        ("foto.png", PNG, "png"),
        ("laporan.docx", None, "docx"),
        ("rekap.xlsx", None, "xlsx"),
    ],
)
def test_accepted_files_are_known_by_their_content(name, content, kind):
    data = content if content is not None else office(kind)
    assert evidence.check(SimpleUploadedFile(name, data)).extension == kind


@pytest.mark.parametrize(
    "name,content,text",
    [
        ("bukti.pdf", b"MZ\x90\x00 program", "harus PDF, JPG, PNG, DOCX atau XLSX"),
        ("bukti.docx", plain_zip(), "harus PDF, JPG, PNG, DOCX atau XLSX"),
        ("bukti.png", PDF, "berakhiran .png, tetapi isinya PDF"),
        ("bukti", PDF, "berakhiran ., tetapi isinya PDF"),
        ("halaman.html", b"<html><script>alert(1)</script>", "harus PDF"),
    ],
)
def test_refused_files_say_why_in_indonesian(name, content, text):
    with pytest.raises(evidence.EvidenceError, match=re.escape(text)):
        evidence.check(SimpleUploadedFile(name, content))


def test_a_file_over_the_limit_is_refused(settings):
    settings.SKM_RTL_EVIDENCE_MAX_MB = 1
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(evidence.EvidenceError, match="terlalu besar: 1,0 MB, paling besar 1 MB"):
        evidence.check(SimpleUploadedFile("besar.pdf", big))


# --- Pages ----------------------------------------------------------------------------------


def plan_url(unit, period) -> str:
    return reverse("followup:rtl", kwargs={"unit_slug": unit.slug, "period_id": period.pk})


def item_url(unit, period, made, name="followup:rtl-item") -> str:
    return reverse(name, kwargs={"unit_slug": unit.slug, "period_id": period.pk, "item_id": made.pk})


def test_choosing_another_unsur_without_reason_keeps_what_was_typed(client):
    people = make_people()
    period = closed(people.pemda)
    answers(people.unit, dt.date(2026, 1, 5), [[1, 2, 3, 4, 4, 4, 4, 4, 4]])
    client.force_login(people.unit_admin)
    page = client.get(plan_url(people.unit, period)).content.decode()
    assert 'value="persyaratan" id="id_chosen_0" checked' in page or re.search(
        r'<input[^>]*value="persyaratan"[^>]*checked', page
    )
    response = client.post(plan_url(people.unit, period), {"chosen": ["persyaratan", "sarana"], "reason": ""})
    body = response.content.decode()
    assert response.status_code == 200 and "tuliskan alasannya" in body
    names = unsur_labels(people.pemda)
    suggested = ", ".join(names[e] for e in ("persyaratan", "prosedur", "waktu"))
    assert f"berbeda dari usulan ({suggested})" in html.unescape(body)
    assert re.search(r'<input[^>]*value="sarana"[^>]*checked', body)
    assert not Rtl.objects.exists()
    response = client.post(
        plan_url(people.unit, period), {"chosen": ["persyaratan", "sarana"], "reason": "Ruang tunggu panas"}
    )
    assert response.status_code == 302
    assert Rtl.objects.get().chosen == ["persyaratan", "sarana"]


def test_adding_and_realising_with_a_file_served_only_within_scope(
    client, media, django_capture_on_commit_callbacks
):
    people = make_people()
    period = closed(people.pemda)
    plan = rtl.create(people.unit, period, chosen=["waktu", "sarana"], reason="uji", user=None)
    client.force_login(people.unit_admin)
    new = reverse("followup:rtl-item-new", kwargs={"unit_slug": people.unit.slug, "period_id": period.pk})
    # A target before the period's end is refused with a message; the typed action stays.
    response = client.post(
        new,
        {
            "element": "waktu",
            "action": "Loket pagi dua",
            "responsible": "Kepala TU",
            "target_date": "2026-03-01",
        },
    )
    assert "Target selesai tidak boleh sebelum akhir periode" in response.content.decode()
    assert "Loket pagi dua" in response.content.decode()
    response = client.post(
        new,
        {
            "element": "waktu",
            "action": "Loket pagi dua",
            "responsible": "Kepala TU",
            "target_date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    made = plan.items.get()
    fields = {
        "element": "waktu",
        "action": "Loket pagi dua",
        "responsible": "Kepala TU",
        "target_date": "2026-06-30",
    }
    # A wrong file: the message, and the narrative typed is kept.
    response = client.post(
        item_url(people.unit, period, made),
        {
            **fields,
            "realisation": "70",
            "narrative": "Loket kedua buka",
            "evidence": SimpleUploadedFile("foto.pdf", b"GIF89a"),
        },
    )
    body = response.content.decode()
    assert "harus PDF, JPG, PNG, DOCX atau XLSX" in body and "Loket kedua buka" in body
    # A valid file but another field wrong: the file is not kept and the page says so.
    response = client.post(
        item_url(people.unit, period, made),
        {
            **fields,
            "realisation": "170",
            "narrative": "Loket kedua buka",
            "evidence": SimpleUploadedFile("foto.pdf", PDF),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200, response
    assert "persen bulat 0–100" in body and "pilih berkasnya lagi" in body
    assert not (media / "rtl").exists() or not any((media / "rtl").iterdir())
    response = client.post(
        item_url(people.unit, period, made),
        {
            **fields,
            "realisation": "70",
            "narrative": "Loket kedua buka",
            "evidence": SimpleUploadedFile("foto loket.pdf", PDF),
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.realisation == 70 and made.evidence_name == "foto loket.pdf"
    assert re.fullmatch(r"rtl/[0-9a-f]{32}\.pdf", made.evidence.name)
    assert (media / made.evidence.name).read_bytes() == PDF
    url = item_url(people.unit, period, made, "followup:rtl-evidence")
    for user in (people.unit_admin, people.pd_admin, people.pemda_admin, people.pimpinan, people.superuser):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
    # Another unit's admin, another Pemda's admin: as if it did not exist.
    for user in (people.outsider,):
        client.force_login(user)
        assert client.get(url).status_code == 404
    from skm.accounts.roles import create_user
    from skm.accounts.scoping import Role

    client.force_login(create_user("cempaka", "uji-rahasia-123", Role.ADMIN_UPP, people.sibling_unit))
    assert client.get(url).status_code == 404
    assert client.get(plan_url(people.unit, period)).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    # Never public from MEDIA_URL (no such URL is routed).
    assert client.get("/media/" + made.evidence.name).status_code == 404
    # Replacing the file deletes the old one once the change commits.
    old = made.evidence.name
    client.force_login(people.unit_admin)
    with_docx = {
        **fields,
        "realisation": "100",
        "narrative": "Selesai",
        "evidence": SimpleUploadedFile("laporan.docx", office("docx")),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(item_url(people.unit, period, made), with_docx).status_code == 302
    made.refresh_from_db()
    assert made.evidence.name.endswith(".docx") and not default_storage.exists(old)
    response = client.get(item_url(people.unit, period, made, "followup:rtl-evidence"))
    assert "attachment" in response["Content-Disposition"]


def test_pimpinan_reads_but_cannot_change(client):
    people = make_people()
    period = closed(people.pemda)
    plan = rtl.create(people.unit, period, chosen=["waktu"], reason="uji", user=None)
    made = item(plan, 40)
    client.force_login(people.pimpinan)
    page = client.get(plan_url(people.unit, period)).content.decode()
    assert "Tambah petugas loket" in page and '<form method="post" class="rtl-form"' not in page
    assert client.post(plan_url(people.unit, period), {"chosen": ["waktu"]}).status_code == 403
    assert client.get(item_url(people.unit, period, made)).status_code == 200
    assert client.post(item_url(people.unit, period, made), {"realisation": "100"}).status_code == 403
    new = reverse("followup:rtl-item-new", kwargs={"unit_slug": people.unit.slug, "period_id": period.pk})
    assert client.get(new).status_code == 403
    made.refresh_from_db()
    assert made.realisation == 40


def test_overview_page_shows_the_mean_with_its_formula_in_few_queries(client, django_assert_num_queries):
    people = make_people()
    period = closed(people.pemda)
    item(rtl.create(people.unit, period, chosen=["waktu"], reason="uji", user=None), 100)
    item(rtl.create(people.sibling_unit, period, chosen=["waktu"], reason="uji", user=None), 50)
    client.force_login(people.pemda_admin)
    url = reverse("followup:rtl-index")
    client.get(url)
    # Session and user (3 with the session's save), the Pemda, its closed periods, the units, their
    # RTLs, their items: the same for 3 units as for 13.
    with django_assert_num_queries(10):
        body = client.get(url).content.decode()
    for _ in range(10):
        item(rtl.create(make_unit(people.dinas), period, chosen=["waktu"], reason="uji", user=None), 10)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    assert re.search(r'id="rtl-mean">75,00 %', body)
    assert "Rumus: realisasi unit = (jumlah persen realisasi semua butir RTL)" in body
    assert "Rata-rata realisasi Pemda (dan per Perangkat Daerah)" in body
    assert people.other_pemda_unit.name not in body and people.other_pd_unit.name in body
    client.force_login(people.unit_admin)
    body = client.get(url).content.decode()
    assert 'id="rtl-mean">100,00 %' in body and people.sibling_unit.name not in body


def test_the_next_periods_results_show_the_previous_rtl(client):
    people = make_people()
    first = closed(people.pemda, "tw1")
    second = closed(people.pemda, "tw2", closed=False)
    item(rtl.create(people.unit, first, chosen=["waktu"], reason="uji", user=None), 60)
    client.force_login(people.pimpinan)
    url = reverse("results:unit", kwargs={"unit_slug": people.unit.slug})
    body = client.get(url + f"?periode={second.pk}").content.decode()
    assert "RTL periode sebelumnya" in body and 'id="prev-rtl-realisation">60,00 %' in body
    assert "Tambah petugas loket" in body
    assert "RTL periode sebelumnya" not in client.get(url + f"?periode={first.pk}").content.decode()
    assert "RTL periode sebelumnya" not in client.get(url + "?tahun=2026").content.decode()


def test_overdue_items_show_on_the_home_of_those_who_see_them(client):
    people = make_people()
    period = closed(people.pemda)
    plan = rtl.create(people.unit, period, chosen=["waktu"], reason="uji", user=None)
    item(plan, 50, target=dt.date(2026, 4, 30))  # passed, half done: overdue
    item(plan, 100, target=dt.date(2026, 4, 30))  # done: not overdue
    item(plan, None, target=dt.date(2099, 1, 1))  # not yet due
    for user, count in (
        (people.unit_admin, 1),
        (people.pemda_admin, 1),
        (people.pd_admin, 1),
        (people.outsider, 0),
    ):
        client.force_login(user)
        body = client.get(reverse("workspace:home")).content.decode()
        assert re.search(rf'id="rtl-overdue-count">{count}<', body), user
    from skm.accounts.roles import create_user
    from skm.accounts.scoping import Role

    client.force_login(create_user("cempaka", "uji-rahasia-123", Role.ADMIN_UPP, people.sibling_unit))
    assert 'id="rtl-overdue-count">0<' in client.get(reverse("workspace:home")).content.decode()
