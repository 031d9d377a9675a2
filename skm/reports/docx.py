"""The Laporan Pelaksanaan SKM as a Word document, from a DOCX template with Jinja placeholders
(docxtpl; issue 25 items 2, 3, 5).

A template is an ordinary Word document a Pemda admin edits in Word or LibreOffice: cover,
foreword, chapters, signature block, text in Word styles (Heading 1/2 make the navigation pane).
Words and layout are the template's; figures come in through placeholders. Text blocks are
``{{ teks.latar_belakang }}``-like loops over paragraphs; every table is one placeholder,
``{{p tabel_hasil }}``, filled with a real Word table built here (header rows repeating on every
page, sections, sub-rows, totals): a 19-column table with merged section rows written as Jinja
inside Word would break at the first edit, so a Pemda edits around it, not inside it. Lists are
also in the context (``baris``, ``unit_tanpa_laporan``…) for a Pemda that wants its own table.

Two default templates are built here, in code, from the seeds' two shapes (SPEC §6):
``empat_bab`` (seed 001: BAB II with the units, the unsur defined, location and a schedule with
working days; the results in BAB III; Lampiran with the SK Tim roster) and ``tiga_bab`` (seed
003: three chapters, the results table with NRR beside converted values in Lampiran II, an
electronic-signature block). Rendering is strict: an unknown placeholder fails with its line
(:class:`TemplateProblem`), and every value is escaped.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docxtpl import DocxTemplate, InlineImage

from skm.lib.dates import format_date
from skm.lib.numbers import number
from skm.reports import texts
from skm.reports.conclusion import draft
from skm.reports.content import Figures, Report, SubRow, UnitRow
from skm.reports.models import ReportSettings, Shape
from skm.results import charts

SHADE = "D9E2F3"  # header and total rows
SECTION_SHADE = "F2F2F2"


class TemplateProblem(ValueError):
    """A template that does not render: the reason and, where Jinja knows it, the line."""

    def __init__(self, message: str, line: int | None = None, near: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.near = near

    def __str__(self) -> str:
        text = self.message
        if self.line is not None:
            text += " " + _("(baris/paragraf %(line)s)") % {"line": self.line}
        if self.near:
            text += " " + _("dekat: %(near)s") % {"near": self.near}
        return text


# ---------------------------------------------------------------------------------------------
# Numbers and words as the document prints them


def _n(value: Fraction | int | None, places: int) -> str:
    return number(value, places)


def snapshot_line(report: Report) -> str:
    local = timezone.localtime(report.snapshot.cut_off, report.pemda.tz)
    return _("Angka dari snapshot versi %(version)s, ditutup %(date)s pukul %(time)s") % {
        "version": report.snapshot.version,
        "date": format_date(local.date()),
        "time": local.strftime("%H:%M"),
    }


def footnotes(report: Report) -> list[str]:
    """What the results table's figures are, stated under it (SPEC §6: footnotes state the method)."""
    total = report.total.result
    weight = "1/9" if report.weight.value == "1/9" else "0,111"
    legend = " · ".join(f"U{i} {report.labels[e]}" for i, e in enumerate(report.elements, 1))
    notes = [
        legend,
        _(
            "IKM unit = Σ (NRR tiap unsur × %(weight)s) × 25; nilai unsur = NRR × 25; kategori "
            "ditentukan dari nilai yang dibulatkan 2 desimal (pembulatan setengah ke atas)."
        )
        % {"weight": weight},
        _("IKM %(pemda)s: %(method)s, tingkat %(level)s (%(parts)s).")
        % {
            "pemda": report.pemda.name,
            "method": _(report.method.label),
            "level": _(total.level.label).lower(),
            "parts": total.level.parts(total.parts, _),
        },
        _("Rata-rata per jenis unit: rata-rata tidak tertimbang IKM unit dengan jawaban.")
        if report.method.value == "mean_of_units"
        else _("Rata-rata per jenis unit: rata-rata tertimbang jumlah responden."),
        _(
            "Rata-rata Tahunan (unit yang survei per semester/triwulan) = rata-rata tidak tertimbang "
            "periode-periodenya, n = jumlahnya; baris unit memuat angka tahun itu dari seluruh jawaban."
        ),
        _(
            "Unsur prioritas: tiga unsur terendah (unsur yang sama nilainya dengan yang ketiga ikut), "
            "atau pilihan unit dalam rencana tindak lanjutnya (ditandai *)."
        ),
        snapshot_line(report) + ".",
    ]
    if report.late_answers:
        notes.append(
            _("%(count)s jawaban masuk setelah periode ditutup dan tidak dihitung.")
            % {"count": _n(report.late_answers, 0)}
        )
    if any(r.incomplete for r in report.rows):
        notes.append(
            _(
                "IKM tidak lengkap: unit dengan jawaban, tetapi ada unsur yang tidak pernah dijawab; "
                "tanpa IKM dan tidak ikut dirata-rata."
            )
        )
    if any(r.recap for r in report.rows):
        notes.append(_("ᴿ angka dari rekap unit yang tersimpan (survei di luar aplikasi)."))
    return notes


# ---------------------------------------------------------------------------------------------
# Word tables


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Characters XML 1.0 cannot hold (a control character pasted into a unit's name or an RTL action).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _borders(table: Table) -> None:
    """Single lines around every cell, set on the table itself (no style the template may lack)."""
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "808080")
        borders.append(line)
    props.append(borders)


def _cell_xml(
    text: str, width: float, size: float, *, bold: bool, right: bool, shade: str | None, span: int = 1
) -> str:
    """One table cell as WordprocessingML: its width, shading, one paragraph with a line per line
    of `text`. Written as text and parsed once per row: python-docx's cell-by-cell calls made a
    156-unit table take 14 s, this takes well under one."""
    props = f'<w:tcW w:w="{round(width * 567)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if shade:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
    run_props = (
        "<w:b/>" if bold else ""
    ) + f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    lines = [escape(_NOT_XML.sub("", line)) for line in text.split("\n")]
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{line}</w:t>' for line in lines)
    align = '<w:jc w:val="right"/>' if right else ""
    return (
        f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/>{align}</w:pPr>'
        f"<w:r><w:rPr>{run_props}</w:rPr>{body}</w:r></w:p></w:tc>"
    )


def _row_xml(cells: Sequence[str], *, header: bool = False) -> Any:
    """A table row that never splits across pages; a header row repeats on every page."""
    flags = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else "")
    return parse_xml(f'<w:tr xmlns:w="{W_NS}"><w:trPr>{flags}</w:trPr>{"".join(cells)}</w:tr>')


@dataclass
class Column:
    title: str
    width: float  # cm
    right: bool = False


class Grid:
    """A Word table written row by row: a repeating header, body rows, shaded rows."""

    def __init__(self, doc: Any, columns: Sequence[Column], size: float = 8) -> None:
        self.columns = list(columns)
        self.size = size
        self.table = doc.add_table(rows=0, cols=len(self.columns))
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER
        self.table.autofit = False
        _borders(self.table)
        for column, spec in zip(self.table.columns, self.columns, strict=True):
            column.width = Cm(spec.width)  # the grid: what LibreOffice lays the table out by
        self._append([c.title for c in self.columns], bold=True, shade=SHADE, header=True)

    def _append(self, values: Sequence[str], *, bold: bool, shade: str | None, header: bool = False) -> None:
        cells = [
            _cell_xml(
                value, column.width, self.size, bold=bold, right=column.right and not header, shade=shade
            )
            for column, value in zip(self.columns, values, strict=True)
        ]
        self.table._tbl.append(_row_xml(cells, header=header))

    def add(self, values: Sequence[str], *, bold: bool = False, shade: str | None = None) -> None:
        self._append(values, bold=bold, shade=shade)

    def add_spanning(self, text: str, *, shade: str = SECTION_SHADE) -> None:
        width = sum(c.width for c in self.columns)
        cell = _cell_xml(text, width, self.size, bold=True, right=False, shade=shade, span=len(self.columns))
        self.table._tbl.append(_row_xml([cell]))


def _figures_cells(fig: Figures, report: Report, *, nrr_too: bool) -> list[str]:
    cells = []
    for element in report.elements:
        value = fig.nrr.get(element)
        converted = _n(value * 25, report.places) if value is not None else "–"
        if nrr_too:
            cells.append(f"{_n(value, 3)}\n{converted}" if value is not None else "–")
        else:
            cells.append(converted)
    return cells


def _band(fig: Figures) -> str:
    return f"{fig.band.mutu} ({_(fig.band.kinerja)})" if fig.band else "–"


def _ikm(fig: Figures, report: Report) -> str:
    return _n(fig.ikm, report.places) if fig.ikm is not None else _("tidak ada data")


def _priority(row: UnitRow, report: Report) -> str:
    names = [f"{i}. {report.labels[e]}" for i, e in enumerate(row.priority, 1)]
    text = "\n".join(names)
    return text + (" *" if names and row.priority_chosen else "")


def _rtl(row: UnitRow, report: Report) -> str:
    return "\n".join(f"{report.labels.get(e, e)}: {action}" for e, action in row.rtl)


def _realisation(row: UnitRow, report: Report) -> str:
    if row.previous_realisation is None:
        return "–"
    text = f"{_n(row.previous_realisation, report.places)} %"
    return text + (f"\n{row.previous_narrative}" if row.previous_narrative else "")


def results_columns(report: Report, *, nrr_too: bool) -> list[Column]:
    wide = 1.25 if nrr_too else 1.05
    columns = [Column("No", 0.8), Column(_("OPD/UPP"), 3.6), Column(_("Periode"), 1.5)]
    columns += [Column(f"U{i}", wide, right=True) for i, _e in enumerate(report.elements, 1)]
    columns += [
        Column(_("IKM"), 1.2, right=True),
        Column(_("Kategori"), 1.5),
        Column(_("Jumlah responden"), 1.3, right=True),
        Column(_("Metode SKM"), 1.3),
        Column(_("Unsur prioritas perbaikan"), 2.6),
        Column(_("Rencana tindak lanjut"), 3.4),
        Column(_("Realisasi RTL periode sebelumnya (%)"), 2.0),
    ]
    return columns


def results_table(doc: Any, report: Report, *, nrr_too: bool = False) -> None:
    """BAB III (or Lampiran II): sections by unit type, each unit with its service and sub-period
    rows, the sections' averages and the Pemda total (SPEC §6)."""
    grid = Grid(doc, results_columns(report, nrr_too=nrr_too), size=6.5)
    blank = [""] * 4

    def sub(label: str, fig: Figures) -> None:
        grid.add(
            [
                "",
                label,
                "",
                *_figures_cells(fig, report, nrr_too=nrr_too),
                _ikm(fig, report),
                _band(fig),
                _n(fig.n, 0),
                *blank,
            ]
        )

    for section in report.sections:
        grid.add_spanning(f"{section.name} ({_n(len(section.rows), 0)} unit)")
        for row in section.rows:
            name = row.unit.name + (" ᴿ" if row.recap else "")
            if row.status is not None and row.status != "dilaporkan" and row.figures.n == 0:
                name += "\n" + (row.reason or _("belum melapor"))
            fig = row.figures
            grid.add(
                [
                    str(row.number),
                    name,
                    row.period_label,
                    *_figures_cells(fig, report, nrr_too=nrr_too),
                    _("tidak lengkap") if row.incomplete else _ikm(fig, report),
                    _band(fig),
                    _n(fig.n, 0),
                    str(row.metode.label) if row.metode else "–",
                    _priority(row, report),
                    _rtl(row, report),
                    _realisation(row, report),
                ]
            )
            for service in row.services:
                sub(f"  · {service.label}", service.figures)
            for part in row.subperiods:
                sub(f"  {part.label}", part.figures)
            if row.subperiod_mean is not None:
                sub("  " + _("Rata-rata Tahunan"), row.subperiod_mean)
        avg = Figures.of_aggregate(section.average)
        grid.add(
            [
                "",
                _("Rata-rata %(type)s") % {"type": section.name},
                "",
                *_figures_cells(avg, report, nrr_too=nrr_too),
                _ikm(avg, report),
                _band(avg),
                _n(avg.n, 0),
                *blank,
            ],
            bold=True,
            shade=SECTION_SHADE,
        )
    total = Figures.of_aggregate(report.total.result)
    realised = (
        f"{_n(report.total_realisation, report.places)} %" if report.total_realisation is not None else "–"
    )
    grid.add(
        [
            "",
            report.pemda.name,
            report.period.display_label,
            *_figures_cells(total, report, nrr_too=nrr_too),
            _ikm(total, report),
            _band(total),
            _n(total.n, 0),
            "",
            "",
            "",
            realised,
        ],
        bold=True,
        shade=SHADE,
    )


def simple_table(
    doc: Any, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, size: float = 9
) -> None:
    grid = Grid(doc, columns, size=size)
    for values in rows:
        grid.add(values)


def profile_table(doc: Any, groups: Sequence[tuple[str, Sequence[tuple[str, int, Any]]]]) -> None:
    """The respondents' profile: each question's title, then its answers with count and percent."""
    rows: list[list[str]] = []
    for title, answers in groups:
        rows.append([title, "", ""])
        rows += [[f"  {label}", _n(count, 0), _n(percent, 2)] for label, count, percent in answers]
    simple_table(
        doc,
        [
            Column(_("Karakteristik responden"), 8.0),
            Column(_("Jumlah"), 2.5, right=True),
            Column(_("Persen (%)"), 2.5, right=True),
        ],
        rows,
    )


# ---------------------------------------------------------------------------------------------
# The context a template is rendered with


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from start to end (national holidays are not known here)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for i in range(rest):
        if (start + dt.timedelta(days=weeks * 7 + i)).weekday() < 5:
            count += 1
    return count


def schedule(report: Report) -> list[tuple[str, dt.date, dt.date]]:
    """Collection over the period, processing up to the cut-off, reporting up to the report's day."""
    cut = timezone.localtime(report.snapshot.cut_off, report.pemda.tz).date()
    made = timezone.localtime(report.made_at, report.pemda.tz).date()
    collected_to = min(report.snapshot.end, cut)
    return [
        (_("Pengumpulan data"), report.snapshot.start, collected_to),
        (_("Pengolahan data dan analisis hasil"), report.snapshot.start, cut),
        (_("Penyusunan dan pelaporan hasil"), cut, max(cut, made)),
    ]


def _subdoc(tpl: DocxTemplate, build: Callable[[Any], None]) -> Any:
    sub = tpl.new_subdoc()
    build(sub)
    return sub


def context(
    tpl: DocxTemplate, report: Report, settings: ReportSettings, conclusion: Sequence[str]
) -> dict[str, Any]:
    places = report.places
    year = report.snapshot.end.year
    blocks = texts.text_blocks(settings.texts or {}, pemda=report.pemda.name, year=year)
    total = report.total.result
    made = timezone.localtime(report.made_at, report.pemda.tz).date()

    def units_list(doc: Any) -> None:
        simple_table(
            doc,
            [
                Column("No", 1.0),
                Column(_("Unit penyelenggara pelayanan publik"), 9.0),
                Column(_("Jenis"), 3.0),
                Column(_("Perangkat Daerah"), 4.0),
            ],
            [[str(r.number), r.unit.name, r.type_name, r.pd_name] for r in report.rows],
        )

    def schedule_table(doc: Any) -> None:
        simple_table(
            doc,
            [
                Column("No", 1.0),
                Column(_("Kegiatan"), 6.0),
                Column(_("Waktu pelaksanaan"), 6.5),
                Column(_("Jumlah hari kerja"), 2.5, right=True),
            ],
            [
                [
                    str(i),
                    what,
                    f"{format_date(start)} s.d. {format_date(end)}",
                    _("%(days)s hari") % {"days": working_days(start, end)},
                ]
                for i, (what, start, end) in enumerate(schedule(report), 1)
            ],
        )

    def by_type(doc: Any) -> None:
        rows = [
            [t.name, *(str(t.by_mutu.get(m, 0)) for m in "ABCD"), str(t.no_data), str(t.units)]
            for t in report.by_type
        ]
        rows.append(
            [
                _("Jumlah"),
                *(str(sum(t.by_mutu.get(m, 0) for t in report.by_type)) for m in "ABCD"),
                str(sum(t.no_data for t in report.by_type)),
                str(sum(t.units for t in report.by_type)),
            ]
        )
        simple_table(
            doc,
            [
                Column(_("Jenis unit"), 4.5),
                *(Column(m, 1.6, right=True) for m in "ABCD"),
                Column(_("Tanpa data"), 2.0, right=True),
                Column(_("Jumlah unit"), 2.0, right=True),
            ],
            rows,
        )

    def many(doc: Any) -> None:
        simple_table(
            doc,
            [
                Column("No", 1.0),
                Column(_("Unit"), 9.0),
                Column(_("Responden"), 2.5, right=True),
                Column(_("Porsi (%)"), 2.5, right=True),
            ],
            [
                [str(i), m.unit.name, _n(m.part.n, 0), _n(share, 2)]
                for i, (m, share) in enumerate(report.many, 1)
            ],
        )

    def category_a(doc: Any) -> None:
        simple_table(
            doc,
            [
                Column("No", 1.0),
                Column(_("Unit"), 9.0),
                Column(_("IKM"), 2.5, right=True),
                Column(_("Responden"), 2.5, right=True),
            ],
            [
                [str(i), r.unit.name, _n(r.figures.ikm, places), _n(r.figures.n, 0)]
                for i, r in enumerate(report.category_a, 1)
            ],
        )

    def trend_table(doc: Any) -> None:
        simple_table(
            doc,
            [Column(_("Tahun"), 4.0), Column(_("IKM"), 3.0, right=True), Column(_("Kategori"), 4.0)],
            [[label, _n(value, places), _band_of(value, report)] for label, value in report.trend],
        )

    def unsur_table(doc: Any) -> None:
        simple_table(
            doc,
            [
                Column("No", 1.0),
                Column(_("Unsur"), 7.0),
                Column(_("NRR"), 2.0, right=True),
                Column(_("Nilai konversi"), 2.5, right=True),
                Column(_("Kategori"), 3.5),
            ],
            [
                [
                    str(i),
                    report.labels[u.element],
                    _n(u.nrr, 3),
                    _n(u.converted, places),
                    f"{u.band.mutu} ({_(u.band.kinerja)})",
                ]
                for i, u in enumerate(report.unsur_sorted, 1)
            ],
        )

    def profile(doc: Any) -> None:
        profile_table(
            doc, [(t.label, [(r.label, r.count, r.percent) for r in t.rows]) for t in report.profile]
        )

    def pd_table(doc: Any) -> None:
        simple_table(
            doc,
            [
                Column(_("Perangkat Daerah"), 8.0),
                Column(_("Unit"), 1.5, right=True),
                Column(_("IKM"), 2.0, right=True),
                Column(_("Kategori"), 3.0),
                Column(_("Responden"), 2.0, right=True),
            ],
            [
                [
                    p.pd.name,
                    _n(p.units, 0),
                    _n(p.result.ikm, places),
                    _band_of(p.result.ikm, report),
                    _n(p.result.n, 0),
                ]
                for p in report.pds
            ],
        )

    def roster(doc: Any) -> None:
        admins = _unit_admins(report)
        simple_table(
            doc,
            [Column("No", 1.0), Column(_("Unit"), 8.0), Column(_("Admin SKM"), 6.0)],
            [[str(r.number), r.unit.name, ", ".join(admins.get(r.unit.pk, [])) or "–"] for r in report.rows],
        )

    def not_reported(doc: Any) -> None:
        simple_table(
            doc,
            [Column(_("Unit"), 8.0), Column(_("Status"), 3.5), Column(_("Alasan"), 5.0)],
            [[n.unit.name, str(n.status.label), n.reason or "–"] for n in report.not_reported],
        )

    def evidence(doc: Any) -> None:
        simple_table(
            doc,
            [Column("No", 1.0), Column(_("Unit"), 6.0), Column(_("Bukti dukung RTL"), 9.0)],
            [[str(i), unit, link] for i, (unit, link) in enumerate(_evidence_links(report), 1)],
        )

    chart = charts.trend(
        [(label, value) for label, value in report.trend], places=places, title=_("Tren IKM")
    )
    png = charts.to_png(chart)
    lowest = report.lowest_unsur
    signer = {
        "jabatan": settings.signer_title,
        "nama": settings.signer_name,
        "pangkat": settings.signer_rank,
        "nip": settings.signer_nip,
        "tempat": settings.place or report.pemda.name,
        "tanggal": format_date(made),
        "elektronik": settings.electronic,
        "catatan": blocks["catatan_ttd_elektronik"],
    }
    return {
        "judul": blocks["judul"],
        "pemda": report.pemda.name,
        "perangkat_daerah": report.perangkat_daerah.name if report.perangkat_daerah else "",
        "periode": report.period.display_label,
        "tahun": year,
        "rentang": f"{format_date(report.snapshot.start)} – {format_date(report.snapshot.end)}",
        "snapshot": snapshot_line(report),
        "versi": report.snapshot.version,
        "dibuat": format_date(made),
        "disusun_oleh": blocks["disusun_oleh"],
        "teks": {
            "kata_pengantar": texts.paragraphs(blocks["kata_pengantar"]),
            "ringkasan": texts.paragraphs(blocks["ringkasan"]),
            "latar_belakang": texts.paragraphs(blocks["latar_belakang"]),
            "dasar_hukum": texts.lines(blocks["dasar_hukum"]),
            "tujuan": texts.lines(blocks["tujuan"]),
            "pelaksana": texts.paragraphs(blocks["pelaksana"]),
            "lokasi": texts.paragraphs(blocks["lokasi"]),
            "bukti_dukung": texts.paragraphs(blocks["bukti_dukung"]),
        },
        "unsur": [
            {"nomor": i, "nama": report.labels[e], "definisi": texts.DEFINITIONS.get(e, "")}
            for i, e in enumerate(report.elements, 1)
        ],
        "jumlah_unsur": len(report.elements),
        "ikm": _n(total.ikm, places),
        "mutu": total.band.mutu if total.band else "–",
        "kinerja": _(total.band.kinerja) if total.band else "–",
        "responden": _n(total.n, 0),
        "metode": _(report.method.label),
        "unit_dilaporkan": report.compliance.reported,
        "unit_wajib": report.compliance.expected,
        "unit_tanpa_laporan": [
            {"unit": n.unit.name, "status": str(n.status.label), "alasan": n.reason}
            for n in report.not_reported
        ],
        "unsur_terendah": report.labels[lowest.element] if lowest else "–",
        "nilai_unsur_terendah": _n(lowest.converted, places) if lowest else "–",
        "realisasi_rtl": _n(report.total_realisation, places)
        if report.total_realisation is not None
        else "–",
        "kesimpulan": list(conclusion),
        "catatan": footnotes(report),
        "ttd": signer,
        "baris": [_row_context(r, report) for r in report.rows],
        "tabel_hasil": _subdoc(tpl, lambda d: results_table(d, report)),
        "tabel_hasil_nrr": _subdoc(tpl, lambda d: results_table(d, report, nrr_too=True)),
        "daftar_unit": _subdoc(tpl, units_list),
        "tabel_jadwal": _subdoc(tpl, schedule_table),
        "tabel_kategori": _subdoc(tpl, by_type),
        "tabel_terbanyak": _subdoc(tpl, many),
        "tabel_kategori_a": _subdoc(tpl, category_a),
        "tabel_tren": _subdoc(tpl, trend_table),
        "tabel_unsur": _subdoc(tpl, unsur_table),
        "tabel_profil": _subdoc(tpl, profile),
        "tabel_pd": _subdoc(tpl, pd_table),
        "tabel_tim": _subdoc(tpl, roster),
        "tabel_belum_melapor": _subdoc(tpl, not_reported),
        "tabel_bukti": _subdoc(tpl, evidence),
        "grafik_tren": InlineImage(tpl, io.BytesIO(png), width=Cm(14)),
    }


def _band_of(value: Fraction | None, report: Report) -> str:
    from skm.scoring.bands import band_for

    if value is None:
        return "–"
    band = band_for(value, weight=report.weight)
    return f"{band.mutu} ({_(band.kinerja)})"


def _row_context(row: UnitRow, report: Report) -> dict[str, Any]:
    def fig(f: Figures) -> dict[str, Any]:
        return {
            "unsur": _figures_cells(f, report, nrr_too=False),
            "nrr": [_n(f.nrr.get(e), 3) for e in report.elements],
            "ikm": _ikm(f, report),
            "kategori": _band(f),
            "n": _n(f.n, 0),
        }

    def subs(items: Sequence[SubRow]) -> list[dict[str, Any]]:
        return [{"label": s.label, **fig(s.figures)} for s in items]

    return {
        "no": row.number,
        "unit": row.unit.name,
        "jenis": row.type_name,
        "pd": row.pd_name,
        "periode": row.period_label,
        **fig(row.figures),
        "metode": str(row.metode.label) if row.metode else "–",
        "prioritas": [report.labels[e] for e in row.priority],
        "rtl": _rtl(row, report),
        "realisasi": _realisation(row, report),
        "layanan": subs(row.services),
        "subperiode": subs(row.subperiods),
        "rata_rata_tahunan": fig(row.subperiod_mean) if row.subperiod_mean else None,
    }


def _unit_admins(report: Report) -> dict[int, list[str]]:
    from skm.accounts.models import User
    from skm.accounts.scoping import Role

    found: dict[int, list[str]] = {}
    users = User.objects.filter(role=Role.ADMIN_UPP, unit__pemda=report.pemda, is_active=True).order_by(
        "last_name", "first_name", "username"
    )
    for user in users:
        found.setdefault(user.unit_id, []).append(user.get_full_name() or user.username)
    return found


def _evidence_links(report: Report) -> list[tuple[str, str]]:
    """Each unit's RTL evidence links of the previous period's plan (Lampiran: bukti dukung)."""
    from skm.followup.models import RtlItem

    items = (
        RtlItem.objects.filter(
            rtl__unit__pemda=report.pemda,
            rtl__period__closed_at__isnull=False,
            rtl__period__end__lt=report.snapshot.start,
        )
        .exclude(evidence_link="")
        .select_related("rtl__unit")
        .order_by("rtl__unit__position", "rtl__unit__name", "pk")
    )
    return [(item.rtl.unit.name, item.evidence_link) for item in items]


# ---------------------------------------------------------------------------------------------
# Rendering


def environment() -> jinja2.Environment:
    """Strict and escaping (docxtpl escapes nothing by default; a missing name is silent)."""
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def render_docx(
    report: Report,
    settings: ReportSettings | None = None,
    *,
    template: bytes | None = None,
    conclusion: Sequence[str] | None = None,
    language: str = "id",
) -> bytes:
    """The report as DOCX bytes from the Pemda's template (its own, or the default of its shape)."""
    settings = settings or settings_of(report.pemda)
    source = template if template is not None else (bytes(settings.template) if settings.template else None)
    with translation.override(language):
        if source is None:
            source = default_template(settings.shape)
        tpl = DocxTemplate(io.BytesIO(source))
        values = context(tpl, report, settings, conclusion if conclusion is not None else draft(report))
        try:
            tpl.render(values, jinja_env=environment(), autoescape=True)
        except jinja2.TemplateSyntaxError as exc:
            near = " ".join(list(getattr(exc, "docx_context", []) or [])[:3])[:160]
            raise TemplateProblem(
                _("Templat tidak dapat dibaca: %(reason)s") % {"reason": exc.message}, exc.lineno, near
            ) from exc
        except jinja2.UndefinedError as exc:
            raise TemplateProblem(
                _("Templat memakai nama yang tidak dikenal: %(reason)s") % {"reason": exc.message}
            ) from exc
        except jinja2.TemplateError as exc:
            raise TemplateProblem(_("Templat gagal diisi: %(reason)s") % {"reason": str(exc)}) from exc
        out = io.BytesIO()
        tpl.save(out)
    return out.getvalue()


def settings_of(pemda: Any) -> ReportSettings:
    found = ReportSettings.objects.filter(pemda=pemda).first()
    return found or ReportSettings(pemda=pemda)


# ---------------------------------------------------------------------------------------------
# The two default templates


def _para(
    doc: Any,
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    center: bool = False,
    size: float | None = None,
) -> Any:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _loop(doc: Any, items: str, body: str, *, style: str | None = None, numbered: bool = False) -> None:
    """A paragraph repeated for each item of a list (docxtpl's {%p %} paragraphs vanish).
    Numbered lists number themselves ("1. …"): Word's list numbering would run on from one
    list to the next."""
    doc.add_paragraph(f"{{%p for item in {items} %}}")
    paragraph = _para(doc, ("{{ loop.index }}. " if numbered else "") + body, style=style)
    if numbered:
        paragraph.paragraph_format.left_indent = Cm(0.75)
        paragraph.paragraph_format.first_line_indent = Cm(-0.75)
    doc.add_paragraph("{%p endfor %}")


def _caption(doc: Any, text: str) -> None:
    paragraph = _para(doc, text, style="Caption")
    paragraph.paragraph_format.space_before = Pt(8)


def _section(doc: Any, *, landscape: bool) -> None:
    """A new page with its own orientation (BAB III's wide table goes landscape, then back)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Cm(1.2 if landscape else 2.5)


def _page_field(paragraph: Any) -> None:
    """A PAGE field: the page number, which Word and LibreOffice fill in."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _signature(doc: Any) -> None:
    _para(doc, "{{ ttd.tempat }}, {{ ttd.tanggal }}")
    doc.add_paragraph("{%p if ttd.elektronik %}")
    _para(doc, "Ditandatangani secara elektronik oleh:")
    doc.add_paragraph("{%p endif %}")
    _para(doc, "{{ ttd.jabatan }},")
    doc.add_paragraph("")
    _para(doc, "{{ ttd.nama }}", bold=True)
    _para(doc, "{{ ttd.pangkat }}")
    _para(doc, "NIP. {{ ttd.nip }}")
    doc.add_paragraph("{%p if ttd.elektronik %}")
    _para(doc, "{{ ttd.catatan }}", size=8)
    doc.add_paragraph("{%p endif %}")


def _start(doc: Any) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    footer = section.footer.paragraphs[0]
    footer.text = "{{ pemda }} · {{ periode }} · {{ snapshot }} · "
    for run in footer.runs:
        run.font.size = Pt(8)
    _page_field(footer)
    styles = doc.styles
    styles["Normal"].font.name = "Liberation Serif"
    styles["Normal"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2"):
        styles[name].font.color.rgb = RGBColor(0, 0, 0)


def _cover(doc: Any, title: str, by: bool) -> None:
    for _i in range(5):
        doc.add_paragraph("")
    _para(doc, title, style="Title", center=True)
    _para(doc, "{{ pemda|upper }}", bold=True, center=True, size=16)
    _para(doc, "{{ periode|upper }}", bold=True, center=True, size=14)
    _para(doc, "{{ perangkat_daerah }}", center=True)
    if by:
        doc.add_paragraph("")
        _para(doc, "Disusun oleh:", center=True)
        _para(doc, "{{ disusun_oleh|upper }}", bold=True, center=True)
        _para(doc, "{{ pemda|upper }}", bold=True, center=True)
    doc.add_paragraph("")
    _para(doc, "{{ snapshot }}", center=True, size=9)


def _foreword(doc: Any) -> None:
    doc.add_page_break()
    doc.add_heading("KATA PENGANTAR", level=1)
    _loop(doc, "teks.kata_pengantar", "{{ item }}")
    _signature(doc)
    doc.add_paragraph("{%p if teks.ringkasan %}")
    doc.add_page_break()
    doc.add_heading("RINGKASAN EKSEKUTIF", level=1)
    _loop(doc, "teks.ringkasan", "{{ item }}")
    doc.add_paragraph("{%p endif %}")


def _bab1(doc: Any, *, legal: bool) -> None:
    doc.add_page_break()
    doc.add_heading("BAB I PENDAHULUAN", level=1)
    doc.add_heading("1.1 Latar Belakang", level=2)
    _loop(doc, "teks.latar_belakang", "{{ item }}")
    if legal:
        doc.add_heading("1.2 Dasar Hukum", level=2)
        _loop(doc, "teks.dasar_hukum", "{{ item }}", numbered=True)
        doc.add_heading("1.3 Maksud dan Tujuan", level=2)
    else:
        doc.add_heading("1.2 Tujuan dan Manfaat", level=2)
    _loop(doc, "teks.tujuan", "{{ item }}", style="List Bullet")


def _results_summaries(doc: Any, number: str) -> None:
    doc.add_heading(f"{number}.2 Jumlah Unit per Kategori dan Jenis Unit", level=2)
    _para(doc, "{{p tabel_kategori }}")
    doc.add_heading(f"{number}.3 Unit dengan Responden Terbanyak", level=2)
    _para(doc, "{{p tabel_terbanyak }}")
    doc.add_heading(f"{number}.4 Unit dengan Kategori A (Sangat Baik)", level=2)
    _para(doc, "{{p tabel_kategori_a }}")
    doc.add_heading(f"{number}.5 Tren IKM", level=2)
    _para(doc, "{{ grafik_tren }}")
    _para(doc, "{{p tabel_tren }}")
    doc.add_heading(f"{number}.6 Hasil {{{{ pemda }}}} per Unsur", level=2)
    _para(
        doc,
        "IKM {{ pemda }} {{ periode }}: {{ ikm }} — mutu {{ mutu }} ({{ kinerja }}), "
        "{{ responden }} responden; {{ metode }}.",
    )
    _para(doc, "{{p tabel_unsur }}")
    doc.add_heading(f"{number}.7 Profil Responden", level=2)
    _para(doc, "{{p tabel_profil }}")
    doc.add_heading(f"{number}.8 IKM per Perangkat Daerah", level=2)
    _para(doc, "{{p tabel_pd }}")


def _conclusion(doc: Any, heading: str) -> None:
    doc.add_page_break()
    doc.add_heading(heading, level=1)
    _para(doc, "Dari pelaksanaan Survei Kepuasan Masyarakat {{ periode }} ({{ rentang }}) dapat disimpulkan:")
    _loop(doc, "kesimpulan", "{{ item }}", numbered=True)
    _signature(doc)


def _build_four(doc: Any) -> None:
    _cover(doc, "LAPORAN PELAKSANAAN SURVEI KEPUASAN MASYARAKAT", by=False)
    _foreword(doc)
    _bab1(doc, legal=True)
    doc.add_page_break()
    doc.add_heading("BAB II PENGUMPULAN DATA SKM DARI UPP", level=1)
    doc.add_heading("2.1 Pelaksana SKM", level=2)
    _loop(doc, "teks.pelaksana", "{{ item }}")
    _para(doc, "{{p daftar_unit }}")
    doc.add_heading("2.2 Unsur Survei Kepuasan Masyarakat", level=2)
    _para(
        doc,
        "Kuesioner terdiri atas {{ jumlah_unsur }} pertanyaan sesuai unsur pengukuran kepuasan masyarakat:",
    )
    _loop(doc, "unsur", "{{ item.nama }}: {{ item.definisi }}", numbered=True)
    doc.add_heading("2.3 Lokasi Pengumpulan Data", level=2)
    _loop(doc, "teks.lokasi", "{{ item }}")
    doc.add_heading("2.4 Waktu Pelaksanaan SKM", level=2)
    _para(doc, "{{p tabel_jadwal }}")
    _section(doc, landscape=True)
    doc.add_heading("BAB III HASIL PELAKSANAAN SKM UPP", level=1)
    doc.add_heading("3.1 Hasil per Unit Penyelenggara Pelayanan", level=2)
    _para(doc, "{{p tabel_hasil }}")
    _loop(doc, "catatan", "{{ item }}", style="List Bullet")
    _section(doc, landscape=False)
    _results_summaries(doc, "3")
    _conclusion(doc, "BAB IV KESIMPULAN")
    doc.add_page_break()
    doc.add_heading("LAMPIRAN", level=1)
    doc.add_heading("A. Bukti Dukung", level=2)
    _loop(doc, "teks.bukti_dukung", "{{ item }}")
    _para(doc, "{{p tabel_bukti }}")
    doc.add_heading("B. Tim Pelaksana dan Admin SKM Unit", level=2)
    _para(doc, "{{p tabel_tim }}")
    doc.add_heading("C. Unit yang Belum Melapor", level=2)
    _para(doc, "{{p tabel_belum_melapor }}")


def _build_three(doc: Any) -> None:
    _cover(doc, "LAPORAN SURVEI KEPUASAN MASYARAKAT (SKM)", by=True)
    _foreword(doc)
    _bab1(doc, legal=False)
    doc.add_page_break()
    doc.add_heading("BAB II PENGUMPULAN DATA DAN ANALISIS HASIL SKM", level=1)
    doc.add_heading("2.1 Pengumpulan Data", level=2)
    _para(
        doc,
        "Berdasarkan rekapitulasi laporan SKM, {{ unit_dilaporkan }} dari {{ unit_wajib }} unit "
        "telah menyampaikan laporannya.",
    )
    _para(doc, "{{p tabel_belum_melapor }}")
    doc.add_heading("2.2 Analisis Hasil SKM", level=2)
    _para(
        doc,
        "Bagian Organisasi telah melakukan rekapitulasi hasil SKM (Lampiran II). IKM {{ pemda }} "
        "{{ periode }} adalah {{ ikm }} ({{ kinerja }}); unsur terendah {{ unsur_terendah }} "
        "({{ nilai_unsur_terendah }}).",
    )
    _para(doc, "{{ grafik_tren }}")
    _caption(doc, "Tabel 1. IKM {{ pemda }} per tahun")
    _para(doc, "{{p tabel_tren }}")
    _caption(doc, "Tabel 2. Jumlah unit per kategori dan jenis unit")
    _para(doc, "{{p tabel_kategori }}")
    _conclusion(doc, "BAB III KESIMPULAN")
    doc.add_page_break()
    doc.add_heading("LAMPIRAN I. Bukti Dukung Laporan Pelaksanaan SKM", level=1)
    _loop(doc, "teks.bukti_dukung", "{{ item }}")
    _para(doc, "{{p tabel_bukti }}")
    _section(doc, landscape=True)
    doc.add_heading("LAMPIRAN II. HASIL PELAKSANAAN SKM OPP", level=1)
    _para(doc, "Setiap sel unsur memuat NRR (1–4) di atas nilai konversinya (× 25).", size=8)
    _para(doc, "{{p tabel_hasil_nrr }}")
    _loop(doc, "catatan", "{{ item }}", style="List Bullet")


def default_template(shape: str) -> bytes:
    """One of the two default templates as DOCX bytes (what a Pemda downloads to edit)."""
    doc = Document()
    _start(doc)
    (_build_three if shape == Shape.TIGA_BAB else _build_four)(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# Every name a template may use (a test holds it equal to the keys of `context`).
CONTEXT_NAMES = frozenset(
    {
        "judul",
        "pemda",
        "perangkat_daerah",
        "periode",
        "tahun",
        "rentang",
        "snapshot",
        "versi",
        "dibuat",
        "disusun_oleh",
        "teks",
        "unsur",
        "jumlah_unsur",
        "ikm",
        "mutu",
        "kinerja",
        "responden",
        "metode",
        "unit_dilaporkan",
        "unit_wajib",
        "unit_tanpa_laporan",
        "unsur_terendah",
        "nilai_unsur_terendah",
        "realisasi_rtl",
        "kesimpulan",
        "catatan",
        "ttd",
        "baris",
        "tabel_hasil",
        "tabel_hasil_nrr",
        "daftar_unit",
        "tabel_jadwal",
        "tabel_kategori",
        "tabel_terbanyak",
        "tabel_kategori_a",
        "tabel_tren",
        "tabel_unsur",
        "tabel_profil",
        "tabel_pd",
        "tabel_tim",
        "tabel_belum_melapor",
        "tabel_bukti",
        "grafik_tren",
    }
)


def undeclared_names(data: bytes) -> set[str]:
    """The names a template uses (its syntax checked on the way: a broken tag is a TemplateProblem)."""
    try:
        return set(DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(environment()))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(
            _("Templat tidak dapat dibaca: %(reason)s") % {"reason": exc.message}, exc.lineno
        ) from exc
