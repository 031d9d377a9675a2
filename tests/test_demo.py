"""`skm demo`: both seeded Pemda, their settings, plausible answers, deterministic under a seed."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from skm import demo
from skm.collection import rollups
from skm.collection.models import Answer, DailyRollup, PeriodSnapshot
from skm.organisation.models import Pemda, Period, Unit
from skm.scoring.ikm import score_tallies

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


def digest() -> str:
    h = hashlib.sha256()
    for row in Answer.objects.order_by("unit__name", "submitted_at", "idempotency_key").values_list(
        "unit__name", "submitted_at", "idempotency_key", "persyaratan", "pengaduan", "gender", "suggestion"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def test_demo_builds_both_pemda_deterministically():
    report = demo.build(responses=3000, seed=7, today=TODAY)
    assert report.answers == Answer.objects.count() == 3000
    banjarmasin = Pemda.objects.get(slug="kota-banjarmasin")
    banjar = Pemda.objects.get(slug="kabupaten-banjar")
    assert Unit.objects.filter(pemda=banjarmasin).count() == 156
    assert Unit.objects.filter(pemda=banjar).count() == 100
    assert (banjarmasin.weight, banjar.weight) == ("0.111", "1/9")
    order = [q.element for q in banjar.instruments.get().current_version().questions.all()]
    assert order.index("pengaduan") < order.index("sarana")
    order = [q.element for q in banjarmasin.instruments.get().current_version().questions.all()]
    assert order.index("sarana") < order.index("pengaduan")
    # Some units have very few answers (the "Sangat Baik on two answers" case), most have many.
    counts = [u.answers.filter(day__year=2026).count() for u in Unit.objects.filter(pemda=banjarmasin)]
    assert min(counts) <= 1 and sum(1 for c in counts if 1 <= c <= 3) >= 2 and max(counts) > 40
    # Answers spread over the year up to today, on service days, in office hours (local time),
    # and a share over last year, whose Tahunan is closed (frozen: issue 24 item 5).
    days = Answer.objects.values_list("day", flat=True)
    assert min(days) >= dt.date(2025, 1, 1) and max(days) <= TODAY
    assert len({d for d in days if d.year == 2026}) > 200
    last_year = Answer.objects.filter(day__year=2025).count()
    assert last_year == sum(
        int(share * demo.LAST_YEAR_SHARE) for share in (3000 * 156 // 256, 3000 - 3000 * 156 // 256)
    )
    tahunan = Period.objects.get(pemda=banjarmasin, kind="tahunan", year=2025)
    assert tahunan.is_closed
    snapshot = PeriodSnapshot.objects.get(period=tahunan)
    assert snapshot.version == 1
    assert (
        sum(u["n_all"] for u in snapshot.figures["units"].values())
        == Answer.objects.filter(pemda=banjarmasin, day__year=2025).count()
    )
    assert not Period.objects.get(pemda=banjarmasin, kind="tahunan", year=2026).is_closed
    # A realistic mix: both genders, every age band, several channels, Indonesian suggestions.
    assert set(Answer.objects.values_list("gender", flat=True)) >= {"L", "P"}
    assert set(Answer.objects.values_list("age_band", flat=True)) >= {
        "u18",
        "u25",
        "u35",
        "u45",
        "u55",
        "u56",
    }
    assert set(Answer.objects.values_list("channel", flat=True)) == {"online", "kiosk", "manual"}
    suggestions = set(Answer.objects.exclude(suggestion="").values_list("suggestion", flat=True))
    assert len(suggestions) > 25
    # Unit quality varies: IKMs are not all alike.
    ikms = []
    for unit in Unit.objects.filter(pemda=banjarmasin):
        s = rollups.summarise(DailyRollup.objects.filter(unit=unit))
        if s.n >= 20:
            ikms.append(score_tallies(s.tallies, s.n, banjarmasin.weight_enum).ikm)
    assert max(ikms) - min(ikms) > 5
    # Rollups were built in the same run and equal a rebuild.
    before = sorted(DailyRollup.objects.values_list("unit_id", "service_key", "day", "n", "sum_waktu"))
    rollups.rebuild()
    assert (
        sorted(DailyRollup.objects.values_list("unit_id", "service_key", "day", "n", "sum_waktu")) == before
    )

    # Reporting (skm/periods): Banjarmasin's units all survey yearly, so last year's Tahunan (the
    # latest finished period, then closed) is marked; two units gave a reason, one is accompanied,
    # the others reported or are late.
    from skm.periods.compliance import compliance

    year = banjarmasin.periods.filter(kind="tahunan").order_by("year").first()
    recap = compliance(banjarmasin, year)
    assert (recap.expected, recap.with_reason, recap.accompanied) == (156, 2, 1)
    assert 90 < recap.reported < 110 and recap.summary().startswith(f"{recap.reported} dari 156: ")
    # Banjar's latest finished period that someone owes is the third quarter (its 4 quarterly units).
    quarter = compliance(banjar, banjar.periods.filter(kind="tw3").order_by("-year").first())
    assert (quarter.expected, quarter.reported, quarter.with_reason, len(quarter.late)) == (4, 2, 1, 1)
    # Last year's Tahunan stands closed (frozen), with RTL for a few units: some realised, one with a reason.
    from skm.followup.models import Rtl, RtlItem
    from skm.followup.rtl import suggested_priority

    plans = list(Rtl.objects.select_related("unit", "period"))
    assert {p.period.kind for p in plans} == {"tahunan"} and len(plans) == 8
    assert all(p.suggested == suggested_priority(p.unit, p.period) for p in plans)
    assert sum(1 for p in plans if p.reason) >= 1
    assert (
        RtlItem.objects.filter(realisation=100).exists() and RtlItem.objects.filter(realisation=None).exists()
    )

    # One unit without answers reports by recap, and it enters the year's results marked so;
    # two years of history for a dozen units (skm.recaps.demo).
    from skm.recaps.models import StoredRecap
    from skm.results.compute import pemda_result

    entered = StoredRecap.objects.get(pemda=banjarmasin, source="entry")
    assert entered.period.kind == "tahunan"
    assert not entered.unit.answers.filter(day__range=(entered.period.start, entered.period.end)).exists()
    assert entered.problems == [] and entered.verdict in ("0.111", "ambiguous")
    whole = pemda_result(banjarmasin, entered.period.start, entered.period.end)
    assert [m.unit for m in whole.members if m.recap] == [entered.unit]
    history = StoredRecap.objects.filter(pemda=banjarmasin, source="history")
    this_year = entered.period.year
    assert sorted(set(history.values_list("year", flat=True))) == [this_year - 3, this_year - 2]
    assert history.count() == 24 and all(r.priority for r in history)
    first = digest()
    demo.reset()
    assert not Pemda.objects.filter(slug="kota-banjarmasin").exists()
    demo.build(responses=3000, seed=7, today=TODAY)
    assert digest() == first
    demo.reset()
    demo.build(responses=3000, seed=8, today=TODAY)
    assert digest() != first


def test_demo_command_prints_logins_that_work(client, capsys):
    call_command("demo", responses=300, password="sandi-demo-123")
    out = capsys.readouterr().out
    assert "sandi-demo-123" in out and "banjarmasin.pemda" in out and "banjar.upp" in out
    assert client.login(request=HttpRequest(), username="admin", password="sandi-demo-123")
    page = client.get("/admin/organisation/pemda/").content.decode()
    assert "Kota Banjarmasin" in page and "Kabupaten Banjar" in page
    assert client.login(request=HttpRequest(), username="banjar.pemda", password="sandi-demo-123")
    page = client.get("/admin/organisation/pemda/").content.decode()
    assert "Kabupaten Banjar" in page and "Kota Banjarmasin" not in page
    call_command("demo", if_empty=True, password="lain-lagi-456")
    assert Answer.objects.count() == 300
    assert client.login(request=HttpRequest(), username="admin", password="lain-lagi-456")


def test_demo_sets_targets_for_the_pemda_and_a_few_units():
    from skm.organisation.targets import Targets

    demo.build(responses=300, seed=3, today=TODAY)
    for pemda in Pemda.objects.all():
        targets = Targets.load(pemda, [TODAY.year])
        assert targets.for_pemda(TODAY.year) == Decimal("85.00")
        assert targets.for_pemda(TODAY.year - 1) == Decimal("82.00")  # the every-year target
        with_target = [u for u in pemda.units.all() if targets.for_unit(u, TODAY.year) is not None]
        assert 5 <= len(with_target) <= 10 < pemda.units.count()


@pytest.mark.slow
def test_each_demo_pemda_has_a_closed_year_whose_report_renders(tmp_path):
    """Issue 25: the report of every demo Pemda's closed year, in every format, opened by LibreOffice."""
    import re
    import subprocess

    from skm.reports import pdf, produce
    from skm.reports.models import ReportSettings

    demo.build(responses=3000, seed=7, today=TODAY)
    for slug, shape in (("kota-banjarmasin", "empat_bab"), ("kabupaten-banjar", "tiga_bab")):
        pemda = Pemda.objects.get(slug=slug)
        assert ReportSettings.objects.get(pemda=pemda).shape == shape
        period = Period.objects.get(pemda=pemda, kind="tahunan", year=TODAY.year - 1)
        made = produce.produce(period)
        units = Unit.objects.filter(pemda=pemda).count()
        assert len(made.report.rows) == units
        pages = {}
        for kind in ("docx", "xlsx"):
            _name, data = made.files[kind]
            converted = pdf.convert(data, suffix=f".{kind}")
            (tmp_path / f"{slug}-{kind}.pdf").write_bytes(converted)
            info = subprocess.run(
                ["pdfinfo", str(tmp_path / f"{slug}-{kind}.pdf")], capture_output=True, text=True, check=True
            )
            pages[kind] = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
        print(
            f"{slug}: {units} units, DOCX {pages['docx']} pages, XLSX {pages['xlsx']} pages, in {made.seconds}"
        )
        assert pages["docx"] > 10 and pages["xlsx"] > 5
        assert made.files["pdf"][1].startswith(b"%PDF")
