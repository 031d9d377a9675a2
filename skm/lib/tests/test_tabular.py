"""The shared table reader: rows streamed, never padded to a declared size, refused at the first
row, column or cell beyond its limits (issue 21 item 2)."""

from __future__ import annotations

import csv
import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from skm.lib import tabular
from skm.lib.tabular import Limits, TableError, iter_grid, read_grid, read_table

HEADER = ["tanggal", "layanan", *[f"u{i}" for i in range(1, 10)], "jenis_kelamin", "usia", "saran"]


def xlsx(rows, *, dimension: str | None = None, extra=None) -> bytes:
    """An XLSX of `rows`; `dimension` replaces the size the sheet declares; `extra(sheet)` edits it."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if extra:
        extra(sheet)
    out = io.BytesIO()
    workbook.save(out)
    if dimension is None:
        return out.getvalue()
    return _rewrite(out.getvalue(), "xl/worksheets/sheet1.xml", dimension)


def _rewrite(data: bytes, part: str, dimension: str) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == part:
                start = body.index(b"<dimension ref=")
                end = body.index(b"/>", start) + 2
                body = body[:start] + f'<dimension ref="{dimension}"/>'.encode() + body[end:]
            target.writestr(item, body)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_a_sheet_declaring_a1_to_xfd1048576_is_read_as_the_cells_it_holds():
    data = xlsx([HEADER], dimension="A1:XFD1048576")
    assert len(data) < 10_000
    tracemalloc.start()
    try:
        grid = read_grid(data, filename="templat.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert grid == [(1, HEADER)]  # one row, as wide as its cells: nothing padded to XFD or row 1,048,576
    assert peak < 10 * 1024 * 1024


def test_one_cell_at_xfd1048576_is_refused_at_that_cell():
    data = xlsx([HEADER], extra=lambda sheet: sheet.cell(row=1_048_576, column=16_384, value="x"))
    rows = []
    with pytest.raises(TableError) as refused:
        for row in iter_grid(data, filename="templat.xlsx", limits=Limits(columns=100)):
            rows.append(row)
    assert refused.value.code == "too_many_columns"
    assert refused.value.message == (
        "Berkas templat.xlsx berisi lebih dari 100 kolom: baris 1.048.576 berisi data di kolom "
        "XFD (ke-16.384). Hapus kolom yang tidak dipakai."
    )
    assert rows == [(1, HEADER)]  # streamed: the header came before the refusal
    # Within a wider limit the far row holds one list as wide as its own last cell, no more.
    grid = read_grid(data, filename="templat.xlsx", limits=Limits(columns=16_384))
    assert [(n, len(cells)) for n, cells in grid] == [(1, len(HEADER)), (1_048_576, 16_384)]


@pytest.mark.parametrize("name", ["jawaban.csv", "jawaban.xlsx"])
def test_rows_beyond_the_limit_stop_the_reading_where_they_start(name):
    rows = [HEADER, *[["2026-03-05", "", *["3"] * 9] for _ in range(6)]]
    data = csv_bytes(rows) if name.endswith(".csv") else xlsx(rows)
    seen = []
    with pytest.raises(TableError) as refused:
        for row in iter_grid(data, filename=name, limits=Limits(rows=5)):
            seen.append(row)
    assert refused.value.code == "too_many_rows"
    assert refused.value.message == (
        f"Berkas {name} berisi lebih dari 5 baris data: batas terlampaui di baris 7. "
        "Pecah berkas menjadi beberapa bagian."
    )
    assert len(seen) == 6  # the header and five rows, read before the sixth was refused
    assert len(read_grid(data, filename=name, limits=Limits(rows=6))) == 7


@pytest.mark.parametrize("name", ["jawaban.csv", "jawaban.xlsx"])
def test_a_column_beyond_the_limit_is_refused_but_empty_trailing_cells_do_not_count(name):
    def data(rows):
        return csv_bytes(rows) if name.endswith(".csv") else xlsx(rows)

    trailing = [["a", "b", "c", *[""] * 50], ["d", "e", "f", " ", "", ""]]
    assert read_grid(data(trailing), filename=name, limits=Limits(columns=3)) == [
        (1, ["a", "b", "c"]),
        (2, ["d", "e", "f"]),
    ]
    with pytest.raises(TableError) as refused:
        read_grid(data([["a", "b", "c"], ["d", "", "", "g"]]), filename=name, limits=Limits(columns=3))
    assert refused.value.message == (
        f"Berkas {name} berisi lebih dari 3 kolom: baris 2 berisi data di kolom D (ke-4). "
        "Hapus kolom yang tidak dipakai."
    )


def test_styled_empty_cells_far_to_the_right_do_not_count_as_columns():
    def style_far(sheet):
        for row in range(1, 4):
            sheet.cell(row=row, column=16_000).number_format = "0.00"  # formatted, no value

    data = xlsx([HEADER, ["2026-03-05", "", *[3] * 9]], extra=style_far)
    grid = read_grid(data, filename="ekspor.xlsx", limits=Limits(columns=100))
    assert [len(cells) for _, cells in grid] == [len(HEADER), 11]


@pytest.mark.parametrize("name", ["jawaban.csv", "jawaban.xlsx"])
def test_a_cell_beyond_the_limit_is_refused_with_where_it_is(name):
    rows = [HEADER, ["2026-03-05", "", "3", "x" * 21]]
    data = csv_bytes(rows) if name.endswith(".csv") else xlsx(rows)
    with pytest.raises(TableError) as refused:
        read_grid(data, filename=name, limits=Limits(cell=20))
    assert refused.value.message == (
        f"Sel pada baris 2, kolom D (ke-4) berkas {name} berisi 21 karakter; paling banyak 20 karakter per sel."
    )


def test_a_csv_cell_beyond_the_csv_modules_own_cap_is_refused_too():
    data = b"tanggal,saran\n2026-03-05," + b"x" * 200_000 + b"\n"
    with pytest.raises(TableError) as refused:
        read_grid(data, filename="saran.csv", limits=Limits(cell=5_000))
    assert refused.value.code == "line_cell_too_long"
    assert "Baris 2 berkas saran.csv berisi sel lebih dari 5.000 karakter" in refused.value.message


def test_lines_beyond_a_sheets_size_are_refused_even_when_empty(monkeypatch):
    monkeypatch.setattr(tabular, "SHEET_ROWS", 10)
    with pytest.raises(TableError) as refused:
        read_grid(b"tanggal,u1\n" + b"\n" * 20, filename="kosong.csv")
    assert refused.value.code == "too_many_lines"
    assert "terlampaui di baris 11" in refused.value.message


def test_size_and_inflated_parts_are_refused_before_reading(monkeypatch):
    data = xlsx([HEADER, ["2026-03-05", "", *[3] * 9]])
    with pytest.raises(TableError, match="terlalu besar: paling besar 0 MB"):
        read_grid(data, filename="a.xlsx", limits=Limits(bytes=100))
    monkeypatch.setattr(tabular, "SHEET_PART_BYTES", 100)
    with pytest.raises(TableError) as refused:
        read_grid(data, filename="a.xlsx")
    assert refused.value.code == "part_too_large"
    assert "xl/worksheets/sheet1.xml" in refused.value.message


def test_read_table_keeps_its_shape():
    table = read_table(
        csv_bytes([["Nama UPP", "Jenis", ""], [" Puskesmas A ", "Puskesmas"]]), filename="u.csv"
    )
    assert (table.headers, table.raw_headers) == (["nama_upp", "jenis"], ["Nama UPP", "Jenis"])
    assert table.rows == [(2, {"nama_upp": "Puskesmas A", "jenis": "Puskesmas"})]


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"


def shared_strings_xlsx(texts: list[str], rows: list[list[int]]) -> bytes:
    """An XLSX as Excel and Google Sheets write it: cells point into a shared strings table."""
    sheet = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{i}</v></c>' for c, i in enumerate(cells))
        + "</row>"
        for r, cells in enumerate(rows, start=1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{NS}">{"".join(texts)}</sst>')
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{NS}"><sheetData>{sheet}</sheetData></worksheet>'
        )
    return out.getvalue()


def test_shared_strings_plain_rich_and_phonetic_and_their_count(monkeypatch):
    texts = [
        "<si><t>tanggal</t></si>",
        "<si><t>u1</t></si>",
        '<si><t xml:space="preserve">2026-03-05 </t></si>',
        "<si><r><rPr><b/></rPr><t>Sangat </t></r><r><t>sesuai</t></r></si>",  # rich text
        "<si><t>Baik</t><rPh sb='0' eb='1'><t>x</t></rPh></si>",  # a phonetic hint is not text
    ]
    data = shared_strings_xlsx(texts, [[0, 1], [2, 3], [2, 4]])
    assert read_grid(data, filename="ekspor.xlsx") == [
        (1, ["tanggal", "u1"]),
        (2, ["2026-03-05", "Sangat sesuai"]),
        (3, ["2026-03-05", "Baik"]),
    ]
    monkeypatch.setattr(tabular, "TEXTS_PER_ROW", 1)
    with pytest.raises(TableError) as refused:
        read_grid(data, filename="ekspor.xlsx", limits=Limits(rows=3))
    assert refused.value.message == (
        "Berkas ekspor.xlsx berisi lebih dari 4 teks berbeda (paling banyak 1 per baris data). "
        "Pecah berkas menjadi beberapa bagian."
    )
