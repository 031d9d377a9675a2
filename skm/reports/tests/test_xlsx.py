"""The report's XLSX workbook: every table on its own sheet, figures as numbers rounded as the
report prints them, unsur columns in the Pemda's order, user text never a formula, the snapshot
named under the table, and a file a real office suite opens (LibreOffice, headless)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import uuid
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from skm.followup.models import RtlItem
from skm.lib.dates import format_date
from skm.organisation.models import Layanan, Period, Unit
from skm.periods.models import Status, UnitReport
from skm.reports import content
from skm.reports.tests.world import YEAR, report_world
from skm.reports.xlsx import render_xlsx
from skm.results import freeze
from skm.scoring import Method
from skm.scoring.elements import ELEMENTS_PENGADUAN_BEFORE_SARANA
from skm.scoring.rounding import round_half_up
from skm.testing import make_answer, make_pd, make_pemda, make_unit

pytestmark = pytest.mark.django_db

SHEETS = [
    "BAB III Hasil",
    "BAB III NRR",
    "Per PD",
    "Kategori per jenis unit",
    "Responden terbanyak",
    "Unit kategori A",
    "Tren",
    "Unsur Pemda",
    "Unsur Pemda (urut)",
    "Profil responden",
    "Belum melapor",
]
HEADER_ROWS = 3  # BAB III: the title, then a header of two rows
KELURAHAN = 'Kelurahan Satu <&> "Tiga"'


def _book(report: content.Report):
    return load_workbook(io.BytesIO(render_xlsx(report)))


def _rounded(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def _columns(sheet: Worksheet) -> dict[str, int]:
    """BAB III's header: label → column (1-based); a column merged down has its label on top."""
    out = {}
    for column in range(1, sheet.max_column + 1):
        label = sheet.cell(3, column).value or sheet.cell(2, column).value
        if label:
            out[label] = column
    return out


def _body(sheet: Worksheet, first: int) -> list[tuple[Any, ...]]:
    """The table's rows from row `first` to the first empty row (the footnotes follow it)."""
    rows = []
    for row in sheet.iter_rows(min_row=first):
        if all(cell.value is None for cell in row):
            break
        rows.append(row)
    return rows


def _find(sheet: Worksheet, label: str, column: int = 2) -> tuple[Any, ...]:
    found = [row for row in sheet.iter_rows() if row[column - 1].value == label]
    assert len(found) == 1, f"{label!r} on {len(found)} rows of {sheet.title}"
    return found[0]


def _notes(sheet: Worksheet) -> str:
    return "\n".join(str(row[0].value) for row in sheet.iter_rows() if isinstance(row[0].value, str))


def _expected_labels(report: content.Report) -> list[str]:
    """Column B of BAB III from the report: section, units with their sub-rows, section average,
    then the total."""
    out = []
    for section in report.sections:
        out.append(section.name)
        for row in section.rows:
            out.append(row.unit.name)
            out += [f"  · {s.label}" for s in row.services]
            out += [f"  · {s.label}" for s in row.subperiods]
            if row.subperiod_mean is not None:
                out.append("  · Rata-rata Tahunan")
        out.append(f"Rata-rata {section.name}")
    return [*out, "Pemda (rata-rata)"]


@pytest.mark.parametrize("method", [m.value for m in Method])
def test_every_row_of_bab_iii_is_numbers_rounded_as_printed(method):
    world = report_world(method=method)
    report = content.build(world.period)
    book = _book(report)
    assert book.sheetnames == SHEETS
    places = report.places
    for title, nrr in (("BAB III Hasil", False), ("BAB III NRR", True)):
        sheet = book[title]
        cols = _columns(sheet)
        body = _body(sheet, HEADER_ROWS + 1)
        assert [row[1].value for row in body] == _expected_labels(report)
        by_label = {row[1].value: row for row in body}

        def check(cells: tuple[Any, ...], figures: content.Figures) -> None:
            ikm = cells[cols["IKM"] - 1]
            assert ikm.value == _rounded(figures.ikm, places)
            if figures.ikm is None:
                assert cells[cols["Mutu"] - 1].value is None
            else:
                assert ikm.data_type == "n" and ikm.number_format == "#,##0.00"
                assert cells[cols["Mutu"] - 1].value == figures.band.mutu
            n = cells[cols["Jumlah responden"] - 1]
            assert n.value == figures.n and n.data_type == "n" and n.number_format == "#,##0"
            for element in report.elements:
                cell = cells[cols[report.labels[element]] - 1]
                if nrr:
                    assert cell.value == _rounded(figures.nrr.get(element), 3)
                    assert cell.number_format == "#,##0.000" or cell.value is None
                else:
                    assert cell.value == _rounded(figures.converted(element), places)

        for row in report.rows:
            cells = by_label[row.unit.name]
            assert cells[0].value == row.number and cells[0].data_type == "n"
            assert cells[2].value == row.pd_name and cells[3].value == row.period_label
            check(cells, row.figures)
            for sub in (*row.services, *row.subperiods):
                check(by_label[f"  · {sub.label}"], sub.figures)
            if row.subperiod_mean is not None:
                check(by_label["  · Rata-rata Tahunan"], row.subperiod_mean)
        for section in report.sections:
            check(by_label[f"Rata-rata {section.name}"], content.Figures.of_aggregate(section.average))
        total = by_label["Pemda (rata-rata)"]
        check(total, content.Figures.of_aggregate(report.total.result))
        assert total[cols["IKM"] - 1].value == _rounded(report.total.result.ikm, places)
        assert total[cols["Jumlah responden"] - 1].value == 27  # the late answer is not counted
        realised = total[cols["Realisasi RTL periode sebelumnya (%)"] - 1]
        assert realised.value == 75.0 and realised.data_type == "n"
        assert "Metode agregasi: " + _method_label(report) in _notes(sheet)


def _method_label(report: content.Report) -> str:
    from django.utils.translation import gettext

    return gettext(report.method.label)


def test_the_follow_up_columns_of_a_unit_row():
    world = report_world()
    report = content.build(world.period)
    sheet = _book(report)["BAB III Hasil"]
    cols = _columns(sheet)
    kel = _find(sheet, KELURAHAN)
    assert kel[cols["Metode SKM"] - 1].value == "Manual"
    assert kel[cols["Realisasi RTL periode sebelumnya (%)"] - 1].value == 75.0
    assert "waktu selesai 100 %" in kel[cols["Uraian realisasi"] - 1].value
    assert kel[cols["Unsur prioritas"] - 1].value.endswith("(usulan)")  # suggested, not chosen
    two = _find(sheet, "Puskesmas Dua Layanan")
    chosen = next(r for r in report.rows if r.unit == world.units["services"])
    labels = "; ".join(report.labels[e] for e in chosen.priority)
    assert two[cols["Unsur prioritas"] - 1].value == labels
    assert two[cols["Rencana tindak lanjut"] - 1].value == f"{report.labels['biaya']}: Pasang papan tarif"
    assert two[cols["Realisasi RTL periode sebelumnya (%)"] - 1].value is None
    silent = _find(sheet, "Kelurahan Sepi")
    assert silent[cols["IKM"] - 1].value is None and silent[cols["Jumlah responden"] - 1].value == 0


def test_unsur_columns_follow_the_pemdas_order():
    world = report_world()
    report = content.build(world.period)
    book = _book(report)
    expected = [report.labels[e] for e in report.elements]
    for title in ("BAB III Hasil", "BAB III NRR"):
        row = [c.value for c in book[title][3]]
        assert row[4 : 4 + len(expected)] == expected

    # A Pemda asking pengaduan before sarana (seed 003): the columns and the Pemda's unsur table
    # follow, and each column holds its own unsur's value.
    pemda = make_pemda("Kabupaten Urutan", order=ELEMENTS_PENGADUAN_BEFORE_SARANA, weight="1/9")
    unit = make_unit(make_pd(pemda, "Dinas Kesehatan"), "Puskesmas Urutan")
    period = Period.objects.create(
        pemda=pemda, kind="tahunan", year=YEAR, start=dt.date(YEAR, 1, 1), end=dt.date(YEAR, 12, 31)
    )
    values = {e: 3 for e in ELEMENTS_PENGADUAN_BEFORE_SARANA} | {"pengaduan": 1, "sarana": 4}
    for day in range(1, 4):
        make_answer(unit, dict(values), day=dt.date(YEAR, 4, day))
    freeze.close_period(period)
    period.refresh_from_db()
    report = content.build(period)
    assert report.elements == ELEMENTS_PENGADUAN_BEFORE_SARANA
    book = _book(report)
    sheet = book["BAB III Hasil"]
    labels = [c.value for c in sheet[3]][4:13]
    assert labels == [report.labels[e] for e in ELEMENTS_PENGADUAN_BEFORE_SARANA]
    cols = _columns(sheet)
    cells = _find(sheet, "Puskesmas Urutan")
    assert cells[cols[report.labels["pengaduan"]] - 1].value == 25.0
    assert cells[cols[report.labels["sarana"]] - 1].value == 100.0
    nrr = _find(book["BAB III NRR"], "Puskesmas Urutan")
    assert nrr[cols[report.labels["pengaduan"]] - 1].value == 1.0
    unsur = [row[1].value for row in _body(book["Unsur Pemda"], 3)]
    assert unsur == labels
    assert "Bobot unsur 1/9." in _notes(sheet)


def test_user_text_is_written_as_text_and_never_as_a_formula():
    world = report_world()
    evil = '=HYPERLINK("http://x")'
    Unit.objects.filter(pk=world.units["services"].pk).update(name=evil)
    Layanan.objects.filter(unit=world.units["services"], name="Rawat Jalan").update(name="=1+1")
    RtlItem.objects.filter(rtl__unit=world.units["kelurahan"]).update(narrative="@SUM(A1)")
    RtlItem.objects.filter(rtl__unit=world.units["services"]).update(action="-2+3")
    UnitReport.objects.filter(unit=world.units["silent"], period=world.period).update(reason="+62 811 000")
    report = content.build(world.period)
    book = _book(report)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"
    for title in ("BAB III Hasil", "BAB III NRR"):
        sheet = book[title]
        cols = _columns(sheet)
        cells = _find(sheet, "'" + evil)
        assert cells[cols["Rencana tindak lanjut"] - 1].value == f"{report.labels['biaya']}: -2+3"
        _find(sheet, "  · =1+1")  # the service row: text after its indent
        kel = _find(sheet, KELURAHAN)  # verbatim: no escaping of < & > or quotes
        assert kel[cols["Uraian realisasi"] - 1].value == "'@SUM(A1); @SUM(A1)"
    late = book["Belum melapor"]
    assert _find(late, "'" + evil)[3].value == "Belum melapor"
    assert _find(late, "Kelurahan Sepi")[4].value == "'+62 811 000"


def test_footnotes_name_the_method_weight_and_snapshot():
    world = report_world()
    report = content.build(world.period)
    notes = _notes(_book(report)["BAB III Hasil"])
    local = timezone.localtime(report.snapshot.cut_off, report.pemda.tz)
    when = f"{format_date(local.date())} {local:%H:%M}"
    assert f"Angka dari snapshot versi 1, ditutup {when}." in notes
    assert "Bobot unsur 0,111." in notes
    assert "1 jawaban masuk setelah ditutup (terlambat), tidak dihitung." in notes
    freeze.reopen_period(world.period, reason="uji")
    freeze.close_period(world.period)
    world.period.refresh_from_db()
    again = content.build(world.period)
    book = _book(again)
    assert "Angka dari snapshot versi 2," in _notes(book["BAB III NRR"])
    sheet = book["BAB III Hasil"]
    assert _find(sheet, "Pemda (rata-rata)")[_columns(sheet)["Jumlah responden"] - 1].value == 28


def test_the_tables_after_bab_iii():
    world = report_world()
    report = content.build(world.period)
    book = _book(report)
    places = report.places

    pds = _body(book["Per PD"], 3)
    assert [row[1].value for row in pds] == [line.pd.name for line in report.pds]
    for row, line in zip(pds, report.pds, strict=True):
        assert row[2].value == line.units and row[3].value == _rounded(line.result.ikm, places)
        assert row[3].data_type == "n" and row[6].value == line.result.n

    types = _body(book["Kategori per jenis unit"], 3)
    assert [c.value for c in book["Kategori per jenis unit"][2]][1:5] == [
        "A (Sangat Baik)",
        "B (Baik)",
        "C (Kurang Baik)",
        "D (Tidak Baik)",
    ]
    for row, line in zip(types, report.by_type, strict=False):
        assert row[0].value == line.name
        assert [c.value for c in row[1:7]] == [*(line.by_mutu[m] for m in "ABCD"), line.no_data, line.units]
    assert types[-1][0].value == "Jumlah" and types[-1][6].value == 4

    assert _body(book["Responden terbanyak"], 3)[0][1].value.startswith("Tidak ada unit dengan 50")
    assert _body(book["Unit kategori A"], 3)[0][1].value == "Tidak ada unit dengan mutu A."

    trend = _body(book["Tren"], 3)
    assert [(r[0].value, r[1].value) for r in trend] == [(y, _rounded(v, places)) for y, v in report.trend]

    for title, rows in (("Unsur Pemda", report.unsur), ("Unsur Pemda (urut)", report.unsur_sorted)):
        body = _body(book[title], 3)
        assert [r[1].value for r in body] == [report.labels[u.element] for u in rows]
        for row, line in zip(body, rows, strict=True):
            assert row[2].value == _rounded(line.nrr, 3) and row[2].number_format == "#,##0.000"
            assert row[3].value == _rounded(line.converted, places) and row[4].value == line.band.mutu

    profile = _body(book["Profil responden"], 3)
    expected = []
    for table in report.profile:
        expected += [(line.label, line.count, float(line.percent)) for line in table.rows]
        expected.append(("Jumlah", table.total, None))
    assert [(r[1].value, r[2].value, r[3].value) for r in profile] == expected
    assert profile[0][0].value == report.profile[0].label

    late = _body(book["Belum melapor"], 3)
    assert [(r[1].value, r[3].value, r[4].value) for r in late] == [
        (line.unit.name, str(Status(line.status).label), line.reason or None) for line in report.not_reported
    ]
    assert ("Kelurahan Sepi", "Tidak survei, dengan alasan", "kurangnya SDM") in [
        (r[1].value, r[3].value, r[4].value) for r in late
    ]


def test_many_respondents_and_category_a():
    world = report_world()
    freeze.reopen_period(world.period, reason="uji")
    unit = world.units["kelurahan"]
    for i in range(50):
        make_answer(unit, [4] * 9, day=dt.date(YEAR, 7, 1 + i % 28))
    freeze.close_period(world.period)
    world.period.refresh_from_db()
    report = content.build(world.period)
    book = _book(report)
    many = _body(book["Responden terbanyak"], 3)
    assert len(many) == len(report.many) == 1
    member, share = report.many[0]
    assert many[0][1].value == KELURAHAN and many[0][3].value == member.part.n == 57
    assert many[0][4].value == float(share) and many[0][4].number_format == "0.00"
    best = _body(book["Unit kategori A"], 3)
    assert [r[1].value for r in best] == [r.unit.name for r in report.category_a] == [KELURAHAN]
    assert best[0][4].value == _rounded(report.category_a[0].figures.ikm, report.places)


def test_a_perangkat_daerahs_report_and_the_sheet_setup():
    world = report_world()
    pd = world.units["kelurahan"].perangkat_daerah
    report = content.build(world.period, perangkat_daerah=pd)
    book = _book(report)
    sheet = book["BAB III Hasil"]
    assert [r.unit.name for r in report.rows] == [KELURAHAN, "Kelurahan Sepi"]
    total = _find(sheet, "Perangkat Daerah (rata-rata)")
    assert total[_columns(sheet)["IKM"] - 1].value == _rounded(report.total.result.ikm, report.places)
    assert sheet["A1"].value.startswith("Hasil SKM per unit (BAB III): Kecamatan Tengah, Kota Laporan")
    for ws in book.worksheets:
        assert len(ws.title) <= 31 and ws.freeze_panes and ws.print_title_rows
        assert ws["A2"].font.b
    assert sheet.freeze_panes == "C4" and sheet.print_title_rows == "$2:$3"
    assert sheet.page_setup.orientation == "landscape"


@pytest.mark.slow
def test_libreoffice_opens_the_workbook(tmp_path: Path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice (soffice) not found: install it (run.py test does).")
    world = report_world()
    report = content.build(world.period)
    source = tmp_path / "laporan.xlsx"
    source.write_bytes(render_xlsx(report))
    # A profile of its own: a second soffice on a profile in use does nothing, silently.
    profile = Path("/tmp") / f"lo-xlsx-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1",  # comma, double quote, UTF-8
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = tmp_path / "laporan.csv"
    assert out.exists(), done.stdout + done.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    kel = next(r for r in rows if len(r) > 1 and r[1] == KELURAHAN)
    figures = next(r for r in report.rows if r.unit == world.units["kelurahan"]).figures
    shown = f"{round_half_up(figures.ikm, report.places):f}"
    assert kel[4 + len(report.elements)] in (shown, shown.replace(".", ","))  # as its format shows it
