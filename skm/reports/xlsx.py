"""The Laporan Pelaksanaan SKM as an XLSX workbook: every table of the report, one sheet each.

People who receive the report re-use its figures (a Bappeda's recap, a Dinas's own charts), and
copying them out of a PDF loses the decimals and the structure. This workbook holds the same
figures as :func:`skm.reports.content.build` gives the DOCX and PDF, laid out as the report's
tables: BAB III per unit (converted unsur values on one sheet, NRR 1–4 on the next, as seed 003
prints both), the Perangkat Daerah subtotals, category × unit type, the units with most
respondents, the category A units, the trend, the Pemda's unsur (in the Pemda's own order and
ranked), the respondents' profile and the units that did not report.

Numbers are numbers (a float rounded half up to the places the report prints, with a number
format showing those places), so a spreadsheet can sum and chart them; a figure without data is
an empty cell, never a zero. Every text goes through skm.lib.spreadsheet (unit names, RTL actions,
narratives and reasons are typed by users: one starting with "=" must stay text). Headers are bold,
frozen and repeated on every printed page; the wide sheets print landscape, fitted to the width.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from skm.lib.dates import format_date
from skm.lib.spreadsheet import append_safe_row
from skm.periods.models import Status
from skm.reports.content import Figures, Report, SubRow, UnitRow
from skm.results.overview import MANY_RESPONDENTS, UnsurRow
from skm.scoring.aggregate import Aggregate
from skm.scoring.bands import BANDS
from skm.scoring.rounding import round_half_up

LINE_HEIGHT = 15.0  # points: one line of the default 11-point font
NRR_PLACES = 3  # seed 003 prints the NRR with three decimals
PERCENT_PLACES = 2
SHEET_TITLE_LIMIT = 31  # Excel refuses longer sheet names

_TITLE = Font(bold=True, size=13)
_BOLD = Font(bold=True)
_ITALIC = Font(italic=True)
_NOTE = Font(italic=True, size=9)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_SECTION_FILL = PatternFill("solid", fgColor="EDEDED")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_TOP = Alignment(vertical="top")


@dataclass(frozen=True)
class Num:
    """A figure to write as a number: rounded half up to `places`, shown with that many decimals."""

    value: Fraction | Decimal | int | None
    places: int = 0
    percent: bool = False

    @property
    def cell_value(self) -> float | int | None:
        if self.value is None:
            return None
        if self.places == 0 and isinstance(self.value, int):
            return self.value
        return float(round_half_up(self.value, self.places))

    @property
    def number_format(self) -> str:
        if self.percent:
            return "0." + "0" * self.places if self.places else "0"
        return "#,##0." + "0" * self.places if self.places else "#,##0"


def _count(value: int | None) -> Num:
    return Num(value, 0)


class _Sheet:
    """One worksheet of the workbook: a title row, a header, rows, footnotes."""

    def __init__(self, book: Workbook, title: str, heading: str, *, first: bool = False) -> None:
        sheet = book.active if first else book.create_sheet()
        assert isinstance(sheet, Worksheet)
        sheet.title = title[:SHEET_TITLE_LIMIT]
        self.ws = sheet
        self.widths: list[float] = [10]
        append_safe_row(sheet, [heading])
        sheet.cell(1, 1).font = _TITLE

    def header(self, labels: Sequence[str], widths: Sequence[float], *, freeze_columns: int = 0) -> None:
        """One header row: bold, frozen below (and right of `freeze_columns`), printed on every page."""
        self._columns(widths)
        append_safe_row(self.ws, labels)
        row = self.ws.max_row
        self._style_header(row, len(labels))
        self._fit(row, [_lines(label, width, bold=True) for label, width in zip(labels, widths, strict=True)])
        self._freeze(row, row, freeze_columns)

    def two_row_header(
        self,
        top: Sequence[str | None],
        bottom: Sequence[str | None],
        widths: Sequence[float],
        *,
        freeze_columns: int = 0,
    ) -> None:
        """A header of two rows: a column with a label only on top is merged down; a run of
        columns under one top label (followed by None) is merged across."""
        self._columns(widths)
        append_safe_row(self.ws, top)
        first = self.ws.max_row
        append_safe_row(self.ws, bottom)
        self._style_header(first, len(top))
        self._style_header(first + 1, len(bottom))
        upper, lower, both = [1], [1], [1]  # lines needed in the top row, the bottom row, across both
        column = 0
        while column < len(top):
            if bottom[column] is None:
                self.ws.merge_cells(
                    start_row=first, start_column=column + 1, end_row=first + 1, end_column=column + 1
                )
                both.append(_lines(top[column], widths[column], bold=True))
                column += 1
                continue
            end = column
            while end + 1 < len(top) and top[end + 1] is None and bottom[end + 1] is not None:
                end += 1
            if end > column:
                self.ws.merge_cells(
                    start_row=first, start_column=column + 1, end_row=first, end_column=end + 1
                )
            upper.append(_lines(top[column], sum(widths[column : end + 1]), bold=True))
            lower += [_lines(bottom[c], widths[c], bold=True) for c in range(column, end + 1)]
            column = end + 1
        lines_top, lines_bottom = max(upper), max(lower)
        lines_bottom = max(lines_bottom, max(both) - lines_top)
        self._fit(first, [lines_top])
        self._fit(first + 1, [lines_bottom])
        self._freeze(first, first + 1, freeze_columns)

    def _columns(self, widths: Sequence[float]) -> None:
        self.widths = list(widths)
        for column, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(column)].width = width

    def _style_header(self, row: int, count: int) -> None:
        for column in range(1, count + 1):
            cell = self.ws.cell(row, column)
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
            cell.alignment = _HEADER_ALIGN
            cell.border = _BOX

    def _freeze(self, first: int, last: int, freeze_columns: int) -> None:
        self.ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{last + 1}"
        self.ws.print_title_rows = f"{first}:{last}"
        if freeze_columns:
            self.ws.print_title_cols = f"A:{get_column_letter(freeze_columns)}"

    def _fit(self, row: int, lines: Iterable[int]) -> None:
        """Make row `row` tall enough for its wrapped text (openpyxl does not measure, and a
        spreadsheet keeps the stored height when it opens the file)."""
        most = max(lines, default=1)
        if most > 1:
            self.ws.row_dimensions[row].height = LINE_HEIGHT * most

    def row(
        self,
        values: Sequence[Any],
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        wrap: Iterable[int] = (),
    ) -> int:
        """Append a table row; a `Num` becomes a number with its format, every text is made safe.
        `wrap` names the (0-based) columns of long text."""
        values = list(values) + [None] * (len(self.widths) - len(values))
        append_safe_row(self.ws, [v.cell_value if isinstance(v, Num) else v for v in values])
        index = self.ws.max_row
        wrapped = set(wrap)
        for column, value in enumerate(values):
            cell = self.ws.cell(index, column + 1)
            cell.border = _BOX
            cell.alignment = _WRAP if column in wrapped else _TOP
            if isinstance(value, Num):
                cell.number_format = value.number_format
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
        self._fit(index, [_lines(values[c], self.widths[c]) for c in wrapped if isinstance(values[c], str)])
        return index

    def note(self, text: str, *, font: Font = _NOTE) -> None:
        """A line under the table (a footnote); it spills over the empty cells to its right."""
        append_safe_row(self.ws, [text])
        self.ws.cell(self.ws.max_row, 1).font = font

    def blank(self) -> None:
        self.ws.append([])

    def page(self, *, landscape: bool = False, pages_wide: int = 1) -> None:
        """A4, fitted to `pages_wide` pages across (any number down)."""
        setup = self.ws.page_setup
        setup.orientation = "landscape" if landscape else "portrait"
        setup.paperSize = self.ws.PAPERSIZE_A4
        setup.fitToWidth = pages_wide
        setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True


def _lines(text: str | None, width: float, *, bold: bool = False) -> int:
    """How many lines `text` takes when wrapped in a column `width` wide (in widths of "0"):
    greedy, by words; most letters are narrower than a "0", bold ones less so."""
    if not text:
        return 1
    per_line = max(int(width * (1.0 if bold else 1.2)) - 1, 1)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                count += 1
            count += (len(word) - 1) // per_line  # a word longer than the column breaks anywhere
            used = (len(word) - 1) % per_line + 1
    return count


def render_xlsx(report: Report) -> bytes:
    """The report's tables as an XLSX workbook (bytes), one sheet per table."""
    book = Workbook()
    place = _place(report)
    book.properties.title = _("Laporan Pelaksanaan SKM %(place)s, %(period)s") % {
        "place": place,
        "period": report.period.display_label,
    }
    book.properties.creator = "SKM"
    _bab_iii(book, report, nrr=False)
    _bab_iii(book, report, nrr=True)
    _per_pd(book, report)
    _by_type(book, report)
    _many(book, report)
    _category_a(book, report)
    _trend(book, report)
    _unsur(book, report, report.unsur, ranked=False)
    _unsur(book, report, report.unsur_sorted, ranked=True)
    _profile(book, report)
    _not_reported(book, report)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _place(report: Report) -> str:
    if report.perangkat_daerah is not None:
        return f"{report.perangkat_daerah.name}, {report.pemda.name}"
    return report.pemda.name


def _heading(report: Report, what: str) -> str:
    return _("%(what)s: %(place)s, %(period)s") % {
        "what": what,
        "place": _place(report),
        "period": report.period.display_label,
    }


def _mutu(figures: Figures) -> list[Any]:
    band = figures.band
    return [band.mutu if band else None, _(band.kinerja) if band else None]


def _when(report: Report) -> str:
    local = timezone.localtime(report.snapshot.cut_off, report.pemda.tz)
    return f"{format_date(local.date())} {local:%H:%M}"


# BAB III -------------------------------------------------------------------------------------


def _bab_iii(book: Workbook, report: Report, *, nrr: bool) -> None:
    """The per-unit table of BAB III: unsur values converted (NRR × 25) or as NRR (1–4)."""
    if nrr:
        sheet = _Sheet(book, _("BAB III NRR"), _heading(report, _("Nilai rata-rata unsur (NRR) per unit")))
        group = _("NRR per unsur (skala 1–4)")
    else:
        sheet = _Sheet(
            book, _("BAB III Hasil"), _heading(report, _("Hasil SKM per unit (BAB III)")), first=True
        )
        group = _("Nilai unsur pelayanan (NRR × 25)")
    elements = report.elements
    before = [_("No."), _("OPD/UPP"), _("Perangkat Daerah"), _("Periode")]
    after = [
        _("IKM"),
        _("Mutu"),
        _("Kinerja"),
        _("Jumlah responden"),
        _("Metode SKM"),
        _("Unsur prioritas"),
        _("Rencana tindak lanjut"),
        _("Realisasi RTL periode sebelumnya (%)"),
        _("Uraian realisasi"),
    ]
    top = [*before, group, *[None] * (len(elements) - 1), *after]
    bottom = [*[None] * len(before), *(report.labels.get(e, e) for e in elements), *[None] * len(after)]
    widths = [5, 34, 24, 14, *[12] * len(elements), 9, 6, 12, 11, 14, 24, 40, 14, 40]
    sheet.two_row_header(top, bottom, widths, freeze_columns=2)
    metode = len(before) + len(elements) + 4  # Metode SKM, then the priority unsur, RTL, …
    wrap = (1, 2, metode, metode + 1, metode + 2, metode + 4)
    places = report.places

    def figures(values: Figures) -> list[Any]:
        unsur = [
            Num(values.nrr.get(e), NRR_PLACES) if nrr else Num(values.converted(e), places) for e in elements
        ]
        return [*unsur, Num(values.ikm, places), *_mutu(values), _count(values.n)]

    def sub_row(sub: SubRow, period: str | None = None) -> None:
        label = "  · " + sub.label
        sheet.row([None, label, None, period, *figures(sub.figures)], font=_ITALIC, wrap=wrap)

    for section in report.sections:
        sheet.row([None, section.name], font=_BOLD, fill=_SECTION_FILL)
        for row in section.rows:
            sheet.row([*_unit_cells(row), *figures(row.figures), *_follow_up(row, report)], wrap=wrap)
            for service in row.services:
                sub_row(service)
            for part in row.subperiods:
                sub_row(part, part.label)
            if row.subperiod_mean is not None:
                sub_row(SubRow(_("Rata-rata Tahunan"), row.subperiod_mean))
        average = _("Rata-rata %(type)s") % {"type": section.name}
        sheet.row([None, average, None, None, *figures(Figures.of_aggregate(section.average))], font=_BOLD)
    total = _("Perangkat Daerah (rata-rata)") if report.perangkat_daerah else _("Pemda (rata-rata)")
    sheet.row(
        [
            None,
            total,
            None,
            report.period.display_label,
            *figures(Figures.of_aggregate(report.total.result)),
            None,
            None,
            None,
            Num(report.total_realisation, PERCENT_PLACES, percent=True),
        ],
        font=_BOLD,
        fill=_TOTAL_FILL,
    )
    sheet.blank()
    for text in _bab_iii_notes(report, nrr=nrr):
        sheet.note(text)
    # Two pages across, the numbers and names repeated at the left of each.
    sheet.page(landscape=True, pages_wide=2)


def _unit_cells(row: UnitRow) -> list[Any]:
    return [_count(row.number), row.unit.name, row.pd_name, row.period_label]


def _follow_up(row: UnitRow, report: Report) -> list[Any]:
    """Metode SKM, priority unsur, this period's RTL, last period's realisation and its narrative."""
    metode = str(row.metode.label) if row.metode else None
    if row.recap:
        metode = _("Rekap unit")
    priority = "; ".join(report.labels.get(e, e) for e in row.priority)
    if priority and not row.priority_chosen:
        priority += " " + _("(usulan)")
    plan = "\n".join(f"{report.labels.get(e, e)}: {action}" for e, action in row.rtl)
    return [
        metode,
        priority or None,
        plan or None,
        Num(row.previous_realisation, PERCENT_PLACES, percent=True),
        row.previous_narrative or None,
    ]


def _bab_iii_notes(report: Report, *, nrr: bool) -> list[str]:
    notes = [_("Catatan:")]
    if nrr:
        notes.append(_("NRR: nilai rata-rata tiap unsur pada skala 1–4; IKM pada skala 25–100."))
    else:
        notes.append(_("Nilai unsur: NRR × 25 (skala 25–100); IKM = Σ (NRR × bobot) × 25."))
    notes.append(_("Metode agregasi: %(method)s.") % {"method": _(report.method.label)})
    if report.sections and report.sections[0].average.method is not report.method:
        notes.append(
            _("Rata-rata per jenis unit: %(method)s.")
            % {"method": _(report.sections[0].average.method.label)}
        )
    if report.total.result.description:
        notes.append(report.total.result.description)
    notes.append(_("Bobot unsur %(weight)s.") % {"weight": report.weight.label})
    notes.append(
        _("Angka dari snapshot versi %(version)s, ditutup %(cut_off)s.")
        % {"version": report.snapshot.version, "cut_off": _when(report)}
    )
    if report.late_answers:
        notes.append(
            ngettext(
                "%(count)s jawaban masuk setelah ditutup (terlambat), tidak dihitung.",
                "%(count)s jawaban masuk setelah ditutup (terlambat), tidak dihitung.",
                report.late_answers,
            )
            % {"count": report.late_answers}
        )
    notes.append(
        _(
            "Unsur prioritas: pilihan unit dalam RTL-nya; bertanda (usulan) bila unit belum memilih "
            "(unsur dengan NRR terendah)."
        )
    )
    if report.total_realisation is not None:
        notes.append(
            ngettext(
                "Realisasi RTL pada baris rata-rata: rata-rata dari %(count)s unit yang punya RTL "
                "periode sebelumnya.",
                "Realisasi RTL pada baris rata-rata: rata-rata dari %(count)s unit yang punya RTL "
                "periode sebelumnya.",
                report.realisation_units,
            )
            % {"count": report.realisation_units}
        )
    if any(row.recap for row in report.rows):
        notes.append(_("Metode SKM “Rekap unit”: angka dari rekap yang diunggah unit."))
    return notes


# The tables after BAB III ---------------------------------------------------------------------


def _aggregate_cells(result: Aggregate, places: int) -> list[Any]:
    figures = Figures.of_aggregate(result)
    return [Num(figures.ikm, places), *_mutu(figures), _count(figures.n)]


def _per_pd(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Per PD"), _heading(report, _("IKM per Perangkat Daerah")))
    sheet.header(
        [
            _("No."),
            _("Perangkat Daerah"),
            _("Jumlah unit"),
            _("IKM"),
            _("Mutu"),
            _("Kinerja"),
            _("Jumlah responden"),
        ],
        [5, 40, 11, 9, 6, 12, 11],
    )
    for number, line in enumerate(report.pds, start=1):
        sheet.row(
            [_count(number), line.pd.name, _count(line.units), *_aggregate_cells(line.result, report.places)],
            wrap=(1,),
        )
    if not report.pds:
        sheet.row([None, _("Tidak ada data.")])
    sheet.page()


def _by_type(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Kategori per jenis unit"), _heading(report, _("Mutu pelayanan per jenis unit")))
    mutu = [f"{band.mutu} ({_(band.kinerja)})" for band in BANDS]
    sheet.header(
        [_("Jenis unit"), *mutu, _("Tanpa data"), _("Jumlah unit")], [28, *[12] * len(BANDS), 11, 11]
    )
    for line in report.by_type:
        counts = [_count(line.by_mutu.get(band.mutu, 0)) for band in BANDS]
        sheet.row([line.name, *counts, _count(line.no_data), _count(line.units)], wrap=(0,))
    if report.by_type:
        sums = [_count(sum(line.by_mutu.get(band.mutu, 0) for line in report.by_type)) for band in BANDS]
        sheet.row(
            [
                _("Jumlah"),
                *sums,
                _count(sum(line.no_data for line in report.by_type)),
                _count(sum(line.units for line in report.by_type)),
            ],
            font=_BOLD,
            fill=_TOTAL_FILL,
        )
    else:
        sheet.row([_("Tidak ada data.")])
    sheet.page()


def _pd_names(report: Report) -> dict[int, str]:
    return {row.unit.pk: row.pd_name for row in report.rows}


def _many(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Responden terbanyak"), _heading(report, _("Unit dengan responden terbanyak")))
    sheet.header(
        [
            _("No."),
            _("OPD/UPP"),
            _("Perangkat Daerah"),
            _("Jumlah responden"),
            _("Porsi dari seluruh responden (%)"),
        ],
        [5, 40, 28, 11, 16],
    )
    pd_names = _pd_names(report)
    for number, (member, share) in enumerate(report.many, start=1):
        sheet.row(
            [
                _count(number),
                member.unit.name,
                pd_names.get(member.unit.pk),
                _count(member.part.n),
                Num(share, PERCENT_PLACES, percent=True),
            ],
            wrap=(1, 2),
        )
    if not report.many:
        sheet.row(
            [None, _("Tidak ada unit dengan %(count)s responden atau lebih.") % {"count": MANY_RESPONDENTS}]
        )
    sheet.blank()
    sheet.note(
        _("Unit dengan sekurang-kurangnya %(count)s responden; porsi dari seluruh responden yang dihitung.")
        % {"count": MANY_RESPONDENTS}
    )
    sheet.page()


def _category_a(book: Workbook, report: Report) -> None:
    sheet = _Sheet(
        book, _("Unit kategori A"), _heading(report, _("Unit dengan mutu pelayanan A (Sangat Baik)"))
    )
    sheet.header(
        [_("No."), _("OPD/UPP"), _("Jenis unit"), _("Perangkat Daerah"), _("IKM"), _("Jumlah responden")],
        [5, 40, 20, 28, 9, 11],
    )
    for number, row in enumerate(report.category_a, start=1):
        sheet.row(
            [
                _count(number),
                row.unit.name,
                row.type_name,
                row.pd_name,
                Num(row.figures.ikm, report.places),
                _count(row.figures.n),
            ],
            wrap=(1, 3),
        )
    if not report.category_a:
        sheet.row([None, _("Tidak ada unit dengan mutu A.")])
    sheet.page()


def _trend(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Tren"), _heading(report, _("Tren IKM per tahun")))
    sheet.header([_("Tahun"), _("IKM")], [28, 9])
    for label, ikm in report.trend:
        sheet.row([label, Num(ikm, report.places)])
    if not report.trend:
        sheet.row([_("Tidak ada data.")])
    sheet.page()


def _unsur(book: Workbook, report: Report, rows: Sequence[UnsurRow], *, ranked: bool) -> None:
    if ranked:
        sheet = _Sheet(
            book, _("Unsur Pemda (urut)"), _heading(report, _("Unsur pelayanan, dari NRR tertinggi"))
        )
        first = _("Peringkat")
    else:
        sheet = _Sheet(book, _("Unsur Pemda"), _heading(report, _("Nilai unsur pelayanan")))
        first = _("No.")
    sheet.header(
        [first, _("Unsur pelayanan"), _("NRR"), _("Nilai konversi (NRR × 25)"), _("Mutu"), _("Kinerja")],
        [9, 40, 9, 14, 6, 12],
    )
    for number, line in enumerate(rows, start=1):
        sheet.row(
            [
                _count(number),
                report.labels.get(line.element, line.element),
                Num(line.nrr, NRR_PLACES),
                Num(line.converted, report.places),
                line.band.mutu if line.band else None,
                _(line.band.kinerja) if line.band else None,
            ],
            wrap=(1,),
        )
    if not rows:
        sheet.row([None, _("Tidak ada data.")])
    sheet.page()


def _profile(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Profil responden"), _heading(report, _("Profil responden")))
    sheet.header(
        [_("Karakteristik"), _("Kategori"), _("Jumlah responden"), _("Persentase (%)")], [24, 36, 11, 13]
    )
    for table in report.profile:
        for index, line in enumerate(table.rows):
            sheet.row(
                [
                    table.label if index == 0 else None,
                    line.label,
                    _count(line.count),
                    Num(line.percent, PERCENT_PLACES, percent=True),
                ],
                wrap=(0, 1),
            )
        sheet.row([None, _("Jumlah"), _count(table.total)], font=_BOLD)
    if not report.profile:
        sheet.row([_("Tidak ada data.")])
    sheet.page()


def _not_reported(book: Workbook, report: Report) -> None:
    sheet = _Sheet(book, _("Belum melapor"), _heading(report, _("Unit yang tidak melaporkan hasil SKM")))
    sheet.header(
        [_("No."), _("OPD/UPP"), _("Perangkat Daerah"), _("Status"), _("Alasan")], [5, 40, 28, 26, 50]
    )
    pd_names: Mapping[int, str] = _pd_names(report)
    for number, line in enumerate(report.not_reported, start=1):
        sheet.row(
            [
                _count(number),
                line.unit.name,
                pd_names.get(line.unit.pk),
                str(Status(line.status).label),
                line.reason or None,
            ],
            wrap=(1, 2, 4),
        )
    if not report.not_reported:
        sheet.row([None, _("Semua unit sudah melapor.")])
    sheet.page()
