"""The year-over-year table as an XLSX workbook (openpyxl): a title row, a frozen header, numbers as
numbers with two decimals, and every text through skm.lib.spreadsheet (names are staff text, but a
name that starts with "=" must still never become a formula)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from skm.lib.spreadsheet import append_safe_row
from skm.results.yoy import Row, YearOverYear
from skm.scoring.rounding import round_half_up

TWO_DECIMALS = "0.00"
WHOLE = "0"


def _direction(row: Row) -> str:
    return {"up": _("naik"), "down": _("turun"), "same": _("tetap"), "": "–"}[row.direction]


def yoy_workbook(data: YearOverYear) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    places = data.place.pemda.display_precision
    book = Workbook()
    sheet = book.active
    sheet.title = _("IKM per tahun")[:31]
    title = _("IKM %(name)s: %(compare)s dan %(year)s") % {
        "name": data.place.name,
        "compare": data.compare,
        "year": data.year,
    }
    append_safe_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    header = [
        _("No."),
        _("Perangkat Daerah"),
        _("Unit Penyelenggara Pelayanan"),
        _("Produk layanan"),
        _("IKM %(year)s") % {"year": data.compare},
        _("Mutu %(year)s") % {"year": data.compare},
        _("Responden %(year)s") % {"year": data.compare},
        _("IKM %(year)s") % {"year": data.year},
        _("Mutu %(year)s") % {"year": data.year},
        _("Responden %(year)s") % {"year": data.year},
        _("Perubahan (poin)"),
        _("Arah"),
        # Last, so the columns before keep their places for those who read them by position.
        _("Target %(year)s") % {"year": data.compare},
        _("Target %(year)s") % {"year": data.year},
    ]
    append_safe_row(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"
    number = 0

    def figures(row: Row) -> list[object]:
        out: list[object] = []
        for figure in (row.before, row.after):
            out += [
                None if figure.ikm is None else round_half_up(figure.ikm, places),
                figure.band.mutu if figure.band else None,
                figure.n,
            ]
        return [*out, row.change, _direction(row), row.before_target, row.after_target]

    for row in data.rows:
        assert row.unit is not None
        if row.service is None:
            number += 1
        append_safe_row(
            sheet,
            [
                number if row.service is None else None,
                row.unit.perangkat_daerah.name,
                row.unit.name,
                row.service.name if row.service else None,
                *figures(row),
            ],
        )
    if data.total is not None:
        append_safe_row(
            sheet, [None, None, _("IKM %(name)s") % {"name": data.place.name}, None, *figures(data.total)]
        )
    for row_cells in sheet.iter_rows(min_row=3):
        for index in (4, 7, 10, 12, 13):  # IKM before, IKM after, change, the targets
            row_cells[index].number_format = TWO_DECIMALS
        for index in (6, 9):
            row_cells[index].number_format = WHOLE
    widths = (5, 30, 36, 30, 10, 11, 16, 10, 11, 16, 17, 8, 12, 12)
    for letter, width in zip("ABCDEFGHIJKLMN", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
