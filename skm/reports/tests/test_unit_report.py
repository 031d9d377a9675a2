"""A unit's own Laporan SKM (issue 25 item 1) comes from the same code and snapshot as the
Pemda's: its row, its per-unsur table and profile, its suggestions with the unit's replies (text
from the public shown verbatim, never as markup or a field), this period's RTL and the previous
period's realisation; the unit admin makes it from the report page; `skm report --unit`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from skm.accounts.roles import create_user
from skm.accounts.scoping import Role
from skm.followup.models import Status, SuggestionFollowUp
from skm.lib.numbers import number
from skm.reports import content, unit_docx
from skm.reports.models import ReportRun, RunStatus
from skm.reports.tests.world import YEAR, report_world
from skm.results import freeze
from skm.scoring import ELEMENTS, score_answers
from skm.testing import make_answer

pytestmark = pytest.mark.django_db
SUGGESTION = 'Antrean <b>lama</b> & "panas"; =1+1 {{ pemda }}'


def _with_suggestion(world):
    """Reopen the year, add an answer with a suggestion and the unit's reply, close again (v2)."""
    unit = world.units["kelurahan"]
    freeze.reopen_period(world.period, reason="saran masuk")
    values = dict.fromkeys(ELEMENTS, 4)
    answer = make_answer(unit, dict(values), day=dt.date(YEAR, 6, 2), suggestion=SUGGESTION)
    world.answers[unit.pk].append((answer, values))
    SuggestionFollowUp.objects.create(
        answer=answer, status=Status.SELESAI, reply="Loket ditambah <i>dua</i>."
    )
    freeze.close_period(world.period)
    world.period.refresh_from_db()
    return unit


def test_the_unit_report_has_its_figures_suggestions_and_rtl():
    world = report_world()
    unit = _with_suggestion(world)
    made = content.unit_report(world.period, unit)
    assert made.report.snapshot.version == 2
    from skm.collection.models import Answer

    # Version 2 holds every answer of the year received by its cut-off, the one late for v1 too.
    raw = list(Answer.objects.filter(unit=unit, day__year=YEAR).values(*ELEMENTS))
    assert len(raw) == 6 + 1 + 1
    score = score_answers(raw, world.pemda.weight_enum, ELEMENTS)
    assert made.row.figures.ikm == score.ikm and made.result.n == score.n == len(raw)
    assert [s.suggestion for s in made.suggestions] == [SUGGESTION]
    assert made.row.previous_realisation == 75 and len(made.previous_items) == 2
    data = unit_docx.render_unit_docx(made)
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert SUGGESTION in cells and "Loket ditambah <i>dua</i>." in cells  # verbatim, not markup
    assert f"IKM {number(score.ikm, 2)}" in text and "versi 2" in text
    assert [h.text for h in document.paragraphs if h.style.name == "Heading 1"] == [
        "BAB I PENDAHULUAN",
        "BAB II HASIL SURVEI",
        "BAB III SARAN DAN TINDAK LANJUT",
        "BAB IV KESIMPULAN",
    ]
    assert any("75,00 %" in p for p in unit_docx.draft(made))


def test_a_unit_without_answers_is_refused():
    world = report_world()
    with pytest.raises(content.ReportError):
        content.unit_report(
            world.period, world.units["silent"]
        )  # no answers, only a reason: its row has no data
    other = report_world(seed=3, name="Kota Lain")
    with pytest.raises(content.ReportError, match="bukan bagian"):
        content.unit_report(world.period, other.units["kelurahan"])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the worker closes the connection when it ends
def test_the_unit_admin_makes_its_own_report(client, tmp_path):
    world = report_world()
    unit = world.units["kelurahan"]
    client.force_login(create_user("upp", "uji-rahasia-123", Role.ADMIN_UPP, unit))
    page = client.get(reverse("reports:index"), {"period": world.period.pk}).content.decode()
    assert 'value="xlsx"' not in page and "Seluruh Pemda" not in page
    assert (
        unit.name.replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;").replace("&", "&amp;", 1)
        in page
        or "Kelurahan Satu" in page
    )
    client.post(reverse("reports:index"), {"period": world.period.pk, "formats": ["docx", "pdf"]})
    run = ReportRun.objects.get()
    assert run.unit == unit
    call_command("worker", "--batch", "--max-tasks", "3")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert sorted(run.files.values_list("format", flat=True)) == ["docx", "pdf"]
    assert bytes(run.files.get(format="pdf").data).startswith(b"%PDF")
    out = io.StringIO()
    call_command(
        "report",
        "--pemda",
        world.pemda.slug,
        "--period",
        f"Tahunan {YEAR}",
        "--unit",
        unit.slug,
        "--out",
        str(tmp_path),
        stdout=out,
    )
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".pdf"]
