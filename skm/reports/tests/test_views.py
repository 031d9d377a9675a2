"""The report pages (issue 25 items 2, 4, 7): the Admin Pemda chooses a closed period, reads and
edits the drafted conclusion, starts the background task; `skm worker` makes the files; the run's
page shows progress, then the files, which download. Who may do what; the template round trip
(download, edit, upload; a broken one refused with its line, the previous one kept)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from skm.accounts.models import AuditEvent
from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.reports import docx as rdocx
from skm.reports.models import ReportRun, ReportSettings, RunStatus
from skm.reports.tests.world import report_world

pytestmark = pytest.mark.django_db
PW = "uji-rahasia-123"


@pytest.fixture
def world():
    return report_world()


def _login(client, world, role, **place):
    user = create_user(f"u-{role}", PW, role, place.pop("target", world.pemda))
    client.force_login(user)
    return user


def _work(limit: int = 5) -> None:
    call_command("worker", "--batch", "--max-tasks", str(limit))


# The worker closes the database connection when it ends (as a process does): a test
# transaction cannot survive that on PostgreSQL, so these run outside one.
@pytest.mark.django_db(transaction=True)
def test_the_admin_makes_a_report_in_the_background_and_downloads_it(client, world):
    _login(client, world, Role.ADMIN_PEMDA)
    page = client.get(reverse("reports:index"), {"period": world.period.pk})
    text = page.content.decode()
    assert page.status_code == 200 and "Sebanyak 1 dari 4 unit" in text
    assert "kurangnya SDM" in text  # the drafted conclusion names the unit that did not survey
    response = client.post(
        reverse("reports:index"),
        {
            "period": world.period.pk,
            "formats": ["docx", "pdf", "xlsx"],
            "conclusion": "Butir pertama.\n\nButir kedua.",
        },
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:run", args=[run.pk])
    waiting = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert "report-progress.js" in waiting and "<progress" in waiting
    polled = client.get(reverse("reports:run", args=[run.pk]), headers={"Accept": "application/json"}).json()
    assert polled == {"working": True, "status": "queued", "progress": 0, "step": ""}
    _work()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.version == 1 and run.progress == 100
    done = client.get(reverse("reports:run", args=[run.pk])).content.decode()
    assert "report-progress.js" not in done
    document = client.get(reverse("reports:download", args=[run.pk, "docx"]))
    assert document["Content-Type"].startswith("application/vnd.openxmlformats")
    paragraphs = [
        p.text
        for p in Document(
            io.BytesIO(b"".join(document.streaming_content) if document.streaming else document.content)
        ).paragraphs
    ]
    assert "1. Butir pertama." in paragraphs and "2. Butir kedua." in paragraphs
    pdf = client.get(reverse("reports:download", args=[run.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    assert sorted(run.files.values_list("format", flat=True)) == ["docx", "pdf", "xlsx"], run.formats
    sheet = client.get(reverse("reports:download", args=[run.pk, "xlsx"]))
    assert sheet.status_code == 200 and sheet.content.startswith(b"PK")
    assert client.get(reverse("reports:download", args=[run.pk, "csv"])).status_code == 404
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"report.request", "report.make"} <= actions


def test_no_format_is_refused_and_nothing_is_queued(client, world):
    _login(client, world, Role.ADMIN_PEMDA)
    response = client.post(reverse("reports:index"), {"period": world.period.pk})
    assert response.status_code == 400 and "Pilih sedikitnya satu format" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_an_open_period_cannot_be_chosen(client, world):
    from skm.organisation.models import Period

    _login(client, world, Role.ADMIN_PEMDA)
    open_one = Period.objects.create(
        pemda=world.pemda, kind="s1", year=2026, start="2026-01-01", end="2026-06-30"
    )
    response = client.post(reverse("reports:index"), {"period": open_one.pk, "formats": ["docx"]})
    assert response.status_code == 400 and not ReportRun.objects.exists()


def test_pimpinan_reads_and_downloads_but_makes_nothing(client, world):
    admin = create_user("admin", PW, Role.ADMIN_PEMDA, world.pemda)
    run = ReportRun.objects.create(pemda=world.pemda, period=world.period, formats=["docx"], created_by=admin)
    from skm.reports.tasks import run_report

    run_report(run.pk)
    _login(client, world, Role.PIMPINAN)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Buat laporan" not in page and world.period.display_label in page
    assert (
        client.post(reverse("reports:index"), {"period": world.period.pk, "formats": ["docx"]}).status_code
        == 403
    )
    assert client.get(reverse("reports:download", args=[run.pk, "docx"])).status_code == 200
    assert client.get(reverse("reports:settings")).status_code == 403


# The worker closes the database connection when it ends (as a process does): a test
# transaction cannot survive that on PostgreSQL, so these run outside one.
@pytest.mark.django_db(transaction=True)
def test_a_pd_admin_makes_its_own_pd_s_report_only(client, world):
    pd = world.units["kelurahan"].perangkat_daerah
    _login(client, world, Role.ADMIN_PD, target=pd)
    page = client.get(reverse("reports:index")).content.decode()
    assert "Seluruh Pemda" not in page
    client.post(reverse("reports:index"), {"period": world.period.pk, "formats": ["docx"]})
    run = ReportRun.objects.get()
    assert run.perangkat_daerah == pd
    _work()
    run.refresh_from_db()
    data = bytes(run.files.get(format="docx").data)
    tables = Document(io.BytesIO(data)).tables
    names = {row.cells[1].text for table in tables for row in table.rows if len(row.cells) > 1}
    assert "Puskesmas Semester" not in names  # another PD's unit
    other = ReportRun.objects.create(pemda=world.pemda, period=world.period, formats=["docx"])
    assert client.get(reverse("reports:run", args=[other.pk])).status_code == 404  # the Pemda's run


def test_other_pemda_and_unit_admins_are_kept_out(client, world):
    from skm.testing import make_pemda

    run = ReportRun.objects.create(pemda=world.pemda, period=world.period, formats=["docx"])
    client.force_login(create_user("lain", PW, Role.ADMIN_PEMDA, make_pemda()))
    assert client.get(reverse("reports:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[run.pk, "docx"])).status_code == 404
    client.force_login(create_user("upp", PW, Role.ADMIN_UPP, world.units["semester"]))
    assert client.get(reverse("reports:run", args=[run.pk])).status_code == 404  # the Pemda's run
    assert client.get(reverse("reports:settings")).status_code == 403


def test_template_round_trip_and_a_broken_upload_keeps_the_previous(client, world):
    _login(client, world, Role.ADMIN_PEMDA)
    downloaded = client.get(reverse("reports:template"))
    assert downloaded.status_code == 200
    edited = Document(io.BytesIO(downloaded.content))
    edited.add_paragraph("Catatan akhir {{ pemda }} disunting staf")
    out = io.BytesIO()
    edited.save(out)
    out.name = "templat-kami.docx"
    out.seek(0)
    response = client.post(reverse("reports:settings"), {"action": "upload", "template": out})
    assert response.status_code == 302, response.context["upload"].errors
    saved = ReportSettings.objects.get(pemda=world.pemda)
    assert saved.template_name == "templat-kami.docx"
    broken = Document()
    broken.add_paragraph("Baik {{ pemda }}")
    broken.add_paragraph("Rusak {% for x in %}")
    out2 = io.BytesIO()
    broken.save(out2)
    out2.name = "rusak.docx"
    out2.seek(0)
    refused = client.post(reverse("reports:settings"), {"action": "upload", "template": out2})
    text = refused.content.decode()
    assert refused.status_code == 400 and "Templat ditolak" in text and "baris/paragraf" in text
    saved.refresh_from_db()
    assert saved.template_name == "templat-kami.docx"
    not_word = io.BytesIO(b"bukan dokumen")
    not_word.name = "x.docx"
    assert (
        "bukan dokumen Word"
        in client.post(
            reverse("reports:settings"), {"action": "upload", "template": not_word}
        ).content.decode()
    )
    again = client.get(reverse("reports:template"))
    assert "Catatan akhir {{ pemda }} disunting staf" in [
        p.text for p in Document(io.BytesIO(again.content)).paragraphs
    ]
    rendered = rdocx.render_docx(
        __import__("skm.reports.content", fromlist=["build"]).build(world.period), saved
    )
    assert f"Catatan akhir {world.pemda.name} disunting staf" in [
        p.text for p in Document(io.BytesIO(rendered)).paragraphs
    ]
    assert AuditEvent.objects.filter(action="report.template").count() == 1


def test_settings_save_texts_and_signer(client, world):
    _login(client, world, Role.ADMIN_PEMDA)
    page = client.get(reverse("reports:settings"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: (form[name].value() or "") for name in form.fields}
    data.update(
        {
            "action": "settings",
            "shape": "tiga_bab",
            "signer_name": "H. Yudi",
            "electronic": "on",
            "text_ringkasan": "Ringkasan kami.",
        }
    )
    assert client.post(reverse("reports:settings"), data).status_code == 302
    saved = ReportSettings.objects.get(pemda=world.pemda)
    assert saved.shape == "tiga_bab" and saved.electronic and saved.signer_name == "H. Yudi"
    assert saved.texts == {"ringkasan": "Ringkasan kami."}  # defaults are not copied
