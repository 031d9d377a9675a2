"""History import (issue 24 item 7): a realistic file of several years, misspelled unit names and
free-text priority unsur; the command, the review page, and history in the trend and year over year."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from skm.recaps.history import automatic_choices, import_plan, map_priority, read_history, similarity
from skm.recaps.models import StoredRecap
from skm.recaps.storing import element_names, instrument_elements
from skm.results.overview import overview
from skm.results.places import Place
from skm.results.yoy import year_over_year
from skm.scoring.rounding import format_id
from skm.testing import make_answer, make_people

pytestmark = pytest.mark.django_db

HEADER = (
    "Tahun;UPP;Periode;"
    + ";".join(f"U{i}" for i in range(1, 10))
    + (";IKM;Kategori;Jumlah Responden;Unsur Prioritas;Realisasi RTL")
)


def line(year, name, period, converted, n, priority="", realisation=""):
    ikm = Fraction(111, 1000) * sum(converted)
    mutu = "A" if ikm >= Fraction(8831, 100) else "B" if ikm >= Fraction(7661, 100) else "C"
    values = ";".join(str(v) for v in converted)
    return f"{year};{name};{period};{values};{format_id(ikm, 2)};{mutu};{n};{priority};{realisation}"


def history_file(people) -> bytes:
    """Three years as a Bagian Organisasi keeps them: names typed by hand, priorities as prose."""
    rows = [
        line(
            2022,
            "Puskesmas Trminal",
            "Tahunan",
            [80, 82, 70, 90, 84, 86, 88, 75, 81],
            150,
            "Kecepatan pelayanan, U3, waktu",
            "60%",
        ),
        line(2022, "PUSKESMAS CEMPAKA", "Tahunan", [85] * 9, 90, "Sarana dan prasarana, U9", "75"),
        line(
            2023,
            "Puskesmas  Terminal.",
            "Tahunan",
            [82, 84, 72, 90, 85, 86, 88, 78, 83],
            160,
            "waktu",
            "80,5",
        ),
        line(2023, "Pkm Cempaka", "Semester I", [84] * 9, 40, "Biaya/tarif"),
        line(2023, "Pkm Cempaka", "Semester II", [88] * 9 + [][:0], 50),
        line(2023, "Kel. Alalak", "Tahunan", [78] * 9, 70, "Perilaku petugas dan fasilitas"),
        line(2024, "Dinas Pariwisata", "Tahunan", [90] * 9, 30),
        line(2024, "Puskesmas Terminal", "Tahunan", [84, 85, 75, 92, 86, 87, 89, 80, 85], 170),
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def test_names_are_matched_with_a_score_and_priorities_mapped(tmp_path):
    people = make_people()
    plan = read_history(people.pemda, history_file(people), "riwayat.csv")
    assert len(plan.rows) == 8 and not plan.skipped
    matched = {name: (m.unit.name if m.unit else None) for name, m in plan.names.items()}
    assert matched == {
        "Puskesmas Trminal": "Puskesmas Terminal",
        "PUSKESMAS CEMPAKA": "Puskesmas Cempaka",
        "Puskesmas Terminal.": "Puskesmas Terminal",
        "Pkm Cempaka": "Puskesmas Cempaka",
        "Kel. Alalak": "Kelurahan Alalak",
        "Dinas Pariwisata": None,  # too unlike any unit to match without asking: the review decides
        "Puskesmas Terminal": "Puskesmas Terminal",
    }
    assert plan.names["Puskesmas Trminal"].percent >= 90
    assert plan.names["Puskesmas Terminal"].percent == 100
    elements = instrument_elements(people.pemda)
    priorities = {text: m.elements for text, m in plan.priorities.items()}
    assert priorities["Kecepatan pelayanan, U3, waktu"] == ("waktu",)
    assert priorities["Sarana dan prasarana, U9"] == ("sarana", elements[8])
    assert priorities["Biaya/tarif"] == ("biaya",)
    assert priorities["Perilaku petugas dan fasilitas"] == ("perilaku", "sarana")
    by_row = {r.row: r for r in plan.rows}
    assert by_row[2].realisation == Decimal("60") and by_row[4].realisation == Decimal("80.5")
    assert by_row[5].kind == "s1" and by_row[6].kind == "s2" and by_row[2].year == 2022


def test_priority_texts_follow_the_instruments_order():
    people = make_people()
    elements = instrument_elements(people.pemda)
    names = element_names(people.pemda)
    assert map_priority("U1", elements, names) == (elements[0],)
    assert map_priority("unsur 10", elements, names) == ()
    assert map_priority("lain-lain", elements, names) == ()
    assert similarity("Kelurahan Alalak", "alalak kelurahan") == 1.0  # word order and case ignored


def test_the_command_dry_run_prints_and_saves_nothing_then_imports(tmp_path):
    people = make_people()
    path = tmp_path / "riwayat.csv"
    path.write_bytes(history_file(people))
    out = StringIO()
    call_command("import_history", str(path), "--pemda", people.pemda.slug, "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Puskesmas Trminal → Puskesmas Terminal" in text
    assert "Dinas Pariwisata → (tidak cocok: dilewati)" in text
    assert "Kecepatan pelayanan, U3, waktu → Waktu" in text
    assert "Uji coba" in text
    assert not StoredRecap.objects.exists()
    out = StringIO()
    call_command("import_history", str(path), "--pemda", people.pemda.slug, stdout=out)
    stored = StoredRecap.objects.filter(source="history")
    # The row of "Dinas Pariwisata" is left out: 7 of 8 saved.
    assert "Dilewati: baris 8" in out.getvalue()
    assert stored.count() == 7, out.getvalue()
    terminal_2022 = stored.get(unit=people.unit, year=2022)
    assert terminal_2022.period_kind == "tahunan" and terminal_2022.realisation == Decimal("60")
    assert terminal_2022.priority == ["waktu"]
    assert terminal_2022.priority_original == "Kecepatan pelayanan, U3, waktu"
    # Importing again replaces, never doubles.
    call_command("import_history", str(path), "--pemda", people.pemda.slug, stdout=StringIO())
    assert StoredRecap.objects.filter(source="history").count() == 7


def test_the_review_page_fixes_a_match_then_imports(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    url = reverse("recaps:history")
    upload = SimpleUploadedFile("riwayat.csv", history_file(people), content_type="text/csv")
    review = client.post(url, {"file": upload})
    assert review.status_code == 200
    page = review.content.decode()
    assert "Dinas Pariwisata" in page and "Kemiripan" in page and "79 %" in page
    names = dict(review.context["names"])
    fixed = {f"unit-{i}": (m.unit.pk if m.unit else "") for i, m in names.items()}
    renamed = next(i for i, m in names.items() if m.name == "Dinas Pariwisata")
    assert fixed[f"unit-{renamed}"] == ""
    fixed[f"unit-{renamed}"] = people.other_pd_unit.pk  # the admin knows it under its new name
    priorities = {f"prio-{i}": list(m.elements) for i, m in dict(review.context["priorities"]).items()}
    data = {
        "data": review.context["data"],
        "filename": "riwayat.csv",
        "action": "impor",
        **fixed,
        **priorities,
    }
    done = client.post(url, data)
    assert done.status_code == 302
    assert StoredRecap.objects.filter(unit=people.sibling_unit, year=2023).count() == 2  # two semesters
    assert StoredRecap.objects.get(unit=people.other_pd_unit, year=2024).n == 30
    assert StoredRecap.objects.filter(source="history").count() == 8


def test_another_pemdas_unit_cannot_be_chosen(client):
    people = make_people()
    client.force_login(people.pemda_admin)
    content = history_file(people)
    data = {
        "data": base64.b64encode(content).decode(),
        "filename": "riwayat.csv",
        "action": "impor",
        "unit-0": people.other_pemda_unit.pk,
    }
    assert client.post(reverse("recaps:history"), data).status_code == 302
    assert not StoredRecap.objects.filter(unit=people.other_pemda_unit).exists()


def test_history_enters_the_trend_and_year_over_year_marked():
    people = make_people()
    plan = read_history(people.pemda, history_file(people), "riwayat.csv")
    units, priorities = automatic_choices(plan)
    import_plan(plan, units, priorities)
    make_answer(people.unit, [4] * 9, day=dt.date(2026, 3, 2))
    data = overview(people.pemda, dt.date(2026, 1, 1), dt.date(2026, 12, 31), today=dt.date(2026, 12, 31))
    labels = dict(data.trend_years)
    assert "2022 (riwayat)" in labels and "2023 (riwayat)" in labels and "2026" in labels
    # 2023: Terminal (annual), Cempaka (mean of its two semesters), Alalak — mean of the three.
    terminal = Fraction(111, 1000) * sum([82, 84, 72, 90, 85, 86, 88, 78, 83])
    cempaka = (Fraction(111, 1000) * 84 * 9 + Fraction(111, 1000) * 88 * 9) / 2
    alalak = Fraction(111, 1000) * 78 * 9
    published = [Fraction(format_id(v, 2).replace(",", ".")) for v in (terminal, alalak)]
    expected = (published[0] + cempaka_published(cempaka) + published[1]) / 3
    assert labels["2023 (riwayat)"] == expected
    yoy = year_over_year(Place(people.pemda), 2024, 2023, dt.date(2026, 12, 31))
    terminal_row = next(r for r in yoy.rows if r.unit == people.unit and r.service is None)
    assert terminal_row.before.history and terminal_row.after.history
    assert terminal_row.direction == "up"
    assert yoy.total is not None and yoy.total.before.ikm is not None


def cempaka_published(mean: Fraction) -> Fraction:
    """Each semester's IKM as the file prints it (2 decimals), then their mean."""
    first = Fraction(format_id(Fraction(111, 1000) * 84 * 9, 2).replace(",", "."))
    second = Fraction(format_id(Fraction(111, 1000) * 88 * 9, 2).replace(",", "."))
    return (first + second) / 2


def test_the_unit_page_lists_its_years_from_history(client):
    people = make_people()
    plan = read_history(people.pemda, history_file(people), "riwayat.csv")
    import_plan(plan, *automatic_choices(plan))
    client.force_login(people.unit_admin)
    page = client.get(reverse("results:unit", args=[people.unit.slug])).content.decode()
    assert "IKM per tahun dari rekap" in page
    for year in ("2022", "2023", "2024"):
        assert f'<th scope="row">{year}</th>' in page
    ikm_2024 = format_id(Fraction(111, 1000) * sum([84, 85, 75, 92, 86, 87, 89, 80, 85]), 2)
    assert ikm_2024 in page


def test_rows_of_a_closed_period_are_left_out_with_the_reason(tmp_path):
    """A closed period's figures are frozen: its history rows are named and skipped, the rest saved."""
    people = make_people()
    start, end = dt.date(2023, 1, 1), dt.date(2023, 12, 31)
    people.pemda.periods.create(kind="tahunan", year=2023, start=start, end=end, closed_at=timezone.now())
    plan = read_history(people.pemda, history_file(people), "riwayat.csv")
    units, priorities = automatic_choices(plan)
    done = import_plan(plan, units, priorities)
    assert done.saved == 5  # 7 matched rows less the two of Tahunan 2023 (the Semester rows go in)
    assert sum("sudah ditutup" in text for text in done.left_out) == 2
    assert not StoredRecap.objects.filter(year=2023, period_kind="tahunan").exists()
    assert StoredRecap.objects.filter(year=2023, period_kind="s1").exists()
