"""`skm import-units`: per-row errors in Indonesian, nothing saved from a file that has any."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from skm.organisation.importing import import_units
from skm.organisation.models import Layanan, PerangkatDaerah, Unit
from skm.testing import make_pemda

pytestmark = pytest.mark.django_db

HEADER = ["Perangkat Daerah", "Unit", "Jenis Unit", "Frekuensi", "Populasi", "Layanan"]
GOOD = [
    ["Dinas Kesehatan", "Puskesmas Terminal", "Puskesmas", "semester", "12.000", "Poli Umum; Poli Gigi"],
    ["Dinas Kesehatan", "Dinas Kesehatan", "Perangkat Daerah", "tahunan", "800", "Perizinan Apotek"],
    ["Kecamatan Banjarmasin Utara", "Kelurahan Alalak Utara", "kelurahan", "", "", ""],
]


def csv_bytes(rows, delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "csv;", "xlsx"])
def test_good_file_creates_pd_units_and_services(fmt):
    pemda = make_pemda()
    data = xlsx_bytes([HEADER, *GOOD]) if fmt == "xlsx" else csv_bytes([HEADER, *GOOD], fmt[3:] or ",")
    result = import_units(pemda, data, filename=f"units.{fmt[:4].rstrip(';')}")
    assert result.errors == []
    assert result.saved
    assert (result.created_pd, result.created_units, result.created_services) == (2, 3, 3)
    unit = Unit.objects.get(name="Puskesmas Terminal")
    assert unit.population == 12000
    assert unit.frequency == "semester"
    assert unit.unit_type.name == "Puskesmas"
    assert unit.perangkat_daerah.name == "Dinas Kesehatan"
    assert list(unit.services.values_list("name", flat=True)) == ["Poli Umum", "Poli Gigi"]
    assert Unit.objects.get(name="Kelurahan Alalak Utara").unit_type.name == "Kelurahan"


def test_any_bad_row_saves_nothing_and_names_every_problem():
    pemda = make_pemda()
    rows = [
        HEADER,
        GOOD[0],
        ["", "Puskesmas Tanpa Dinas", "Puskesmas", "", "", ""],
        ["Dinas X", "Sekolah Y", "Sekolah", "bulanan", "banyak", "A; A"],
        ["Dinas Kesehatan", "puskesmas terminal", "Puskesmas", "", "", ""],
    ]
    result = import_units(pemda, csv_bytes(rows), filename="u.csv")
    assert not result.saved
    messages = [str(e) for e in result.errors]
    assert "Baris 3: Kolom 'perangkat_daerah' wajib diisi." in messages
    assert any(m.startswith("Baris 4: Jenis unit 'Sekolah' tidak dikenal") for m in messages)
    assert "Baris 4: Frekuensi 'bulanan' tidak dikenal; isi tahunan, semester atau triwulan." in messages
    assert "Baris 4: 'banyak' pada kolom 'populasi' bukan bilangan bulat positif." in messages
    assert "Baris 4: Layanan 'A' tertulis dua kali." in messages
    assert "Baris 5: UPP 'puskesmas terminal' sudah ada di baris 2." in messages
    assert not Unit.objects.filter(pemda=pemda).exists()
    assert not PerangkatDaerah.objects.filter(pemda=pemda).exists()


def test_reimport_updates_and_adds_missing_services_only():
    pemda = make_pemda()
    import_units(pemda, csv_bytes([HEADER, *GOOD]), filename="u.csv")
    again = [
        HEADER,
        ["Dinas Kesehatan", "Puskesmas Terminal", "Puskesmas", "triwulan", "15000", "Poli Umum; Poli KIA"],
    ]
    result = import_units(pemda, csv_bytes(again), filename="u.csv")
    assert (result.created_units, result.updated_units, result.created_services) == (0, 1, 1)
    unit = Unit.objects.get(name="Puskesmas Terminal")
    assert (unit.frequency, unit.population) == ("triwulan", 15000)
    assert Layanan.objects.filter(unit=unit).count() == 3


def test_missing_column_is_a_clear_error():
    from skm.lib.tabular import TableError

    pemda = make_pemda()
    with pytest.raises(TableError, match="Kolom wajib tidak ditemukan: jenis_unit"):
        import_units(pemda, csv_bytes([["Perangkat Daerah", "Unit"], ["A", "B"]]), filename="u.csv")


def test_command_reports_errors_and_exit_status(tmp_path, capsys):
    pemda = make_pemda()
    path = tmp_path / "units.csv"
    path.write_bytes(csv_bytes([HEADER, ["Dinas", "Unit", "Bukan Jenis", "", "", ""]]))
    with pytest.raises(CommandError, match="1 kesalahan; tidak ada data yang disimpan"):
        call_command("import_units", str(path), pemda=pemda.slug)
    assert "Jenis unit 'Bukan Jenis' tidak dikenal" in capsys.readouterr().err
    path.write_bytes(csv_bytes([HEADER, *GOOD]))
    call_command("import_units", str(path), pemda=pemda.slug, dry_run=True)
    assert not Unit.objects.filter(pemda=pemda).exists()
    call_command("import_units", str(path), pemda=pemda.slug)
    assert Unit.objects.filter(pemda=pemda).count() == 3
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("import_units", str(path), pemda="tidak-ada")


def test_unit_slugs_are_unique_across_pemda():
    first, second = make_pemda(), make_pemda()
    rows = [HEADER, ["Dinas Kesehatan", "Dinas Kesehatan", "Perangkat Daerah", "", "", ""]]
    import_units(first, csv_bytes(rows), filename="u.csv")
    import_units(second, csv_bytes(rows), filename="u.csv")
    slugs = list(Unit.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 2


def test_seed_unit_lists_import_cleanly():
    from skm.demo import DATA_DIR

    pemda = make_pemda()
    for name, count in (("kota-banjarmasin.csv", 156), ("kabupaten-banjar.csv", 100)):
        result = import_units(pemda, DATA_DIR / name, dry_run=True)
        assert result.errors == [], result.errors[:3]
        assert len(result.rows) == count
