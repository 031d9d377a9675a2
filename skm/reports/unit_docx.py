"""A unit's own Laporan SKM as DOCX (issue 25 item 1): the same pieces as the Pemda's report —
the snapshot's figures, the same tables and wording helpers — in a shorter default template:
cover, BAB I, BAB II results (result sheet, per-unsur table sorted high → low, profile, worth of
the sample), BAB III suggestions and their follow-up, priority unsur, RTL and the previous
period's realisation, BAB IV conclusion, signature of the unit's head."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docxtpl import DocxTemplate

from skm.followup.models import Status as FollowUpStatus
from skm.lib.dates import format_date
from skm.reports import docx
from skm.reports.content import UnitReport
from skm.reports.docx import Column, _n, simple_table, snapshot_line


def draft(unit: UnitReport) -> list[str]:
    """The unit's conclusion points, from the figures its tables print."""
    places = unit.report.places
    fig = unit.row.figures
    points = []
    if fig.ikm is not None and fig.band is not None:
        points.append(
            _(
                "IKM %(unit)s pada %(period)s adalah %(ikm)s, mutu %(mutu)s (%(kinerja)s), dari %(n)s responden."
            )
            % {
                "unit": unit.unit.name,
                "period": unit.report.period.display_label,
                "ikm": _n(fig.ikm, places),
                "mutu": fig.band.mutu,
                "kinerja": _(fig.band.kinerja),
                "n": _n(fig.n, 0),
            }
        )
    answered = [u for u in unit.unsur if u.nrr is not None]
    if answered:
        low = min(answered, key=lambda u: u.nrr)
        high = max(answered, key=lambda u: u.nrr)
        points.append(
            _("Unsur tertinggi %(high)s (%(high_value)s); unsur terendah %(low)s (%(low_value)s).")
            % {
                "high": high.label,
                "high_value": _n(high.converted, places),
                "low": low.label,
                "low_value": _n(low.converted, places),
            }
        )
    sample = unit.result.sample
    if sample.adequate is False:
        points.append(
            _("Jumlah responden belum memadai: %(n)s dari %(required)s yang diperlukan untuk populasinya.")
            % {"n": _n(sample.n, 0), "required": _n(sample.required, 0)}
        )
    if unit.row.priority:
        points.append(
            _("Unsur prioritas perbaikan: %(unsur)s.")
            % {"unsur": ", ".join(unit.report.labels[e] for e in unit.row.priority)}
        )
    if unit.row.previous_realisation is not None:
        points.append(
            _("Realisasi rencana tindak lanjut %(period)s: %(percent)s %%.")
            % {"period": unit.row.previous_period, "percent": _n(unit.row.previous_realisation, places)}
        )
    return points


def _status(answer: Any) -> str:
    followup = getattr(answer, "followup", None)
    return str(FollowUpStatus(followup.status).label) if followup else str(FollowUpStatus.BARU.label)


def unit_context(tpl: DocxTemplate, unit: UnitReport, conclusion: Sequence[str]) -> dict[str, Any]:
    report = unit.report
    places = report.places
    fig = unit.row.figures
    labels = report.labels
    tz = report.pemda.tz

    def unsur_table(doc: Any) -> None:
        from skm.results.present import sorted_rows

        simple_table(
            doc,
            [
                Column("No", 1.0),
                Column(_("Unsur"), 6.5),
                Column(_("Jawaban"), 2.0, right=True),
                Column(_("NRR"), 2.0, right=True),
                Column(_("Nilai konversi"), 2.5, right=True),
                Column(_("Kategori"), 3.0),
            ],
            [
                [
                    str(i),
                    u.label,
                    _n(u.count, 0),
                    _n(u.nrr, 3),
                    _n(u.converted, places),
                    f"{u.band.mutu} ({_(u.band.kinerja)})" if u.band else "–",
                ]
                for i, u in enumerate(sorted_rows(unit.unsur), 1)
            ],
        )

    def profile_table(doc: Any) -> None:
        docx.profile_table(
            doc, [(t.title, [(r.label, r.count, r.share) for r in t.rows]) for t in unit.profile]
        )

    def suggestions_table(doc: Any) -> None:
        rows = []
        for answer in unit.suggestions:
            followup = getattr(answer, "followup", None)
            rows.append(
                [
                    format_date(answer.day),
                    answer.suggestion,
                    _status(answer),
                    (followup.reply if followup else "") or "–",
                ]
            )
        simple_table(
            doc,
            [
                Column(_("Tanggal"), 2.5),
                Column(_("Saran/masukan"), 6.5),
                Column(_("Status"), 2.5),
                Column(_("Balasan unit"), 5.0),
            ],
            rows,
            size=8,
        )

    def items_table(doc: Any, items: Sequence[Any]) -> None:
        simple_table(
            doc,
            [
                Column(_("Unsur"), 3.0),
                Column(_("Rencana tindak lanjut"), 5.0),
                Column(_("Penanggung jawab"), 2.8),
                Column(_("Target"), 2.4),
                Column(_("Realisasi (%)"), 1.8, right=True),
                Column(_("Uraian realisasi"), 3.5),
            ],
            [
                [
                    labels.get(i.element, i.element),
                    i.action,
                    i.responsible,
                    format_date(i.target_date),
                    _n(i.realisation, 0) if i.realisation is not None else "–",
                    i.narrative or "–",
                ]
                for i in items
            ],
            size=8,
        )

    interval = unit.result.interval
    sample = unit.result.sample
    made = timezone.localtime(report.made_at, tz).date()
    return {
        "pemda": report.pemda.name,
        "unit": unit.unit.name,
        "periode": report.period.display_label,
        "rentang": f"{format_date(report.snapshot.start)} – {format_date(report.snapshot.end)}",
        "snapshot": snapshot_line(report),
        "ikm": _n(fig.ikm, places) if fig.ikm is not None else _("tidak ada data"),
        "mutu": fig.band.mutu if fig.band else "–",
        "kinerja": _(fig.band.kinerja) if fig.band else "–",
        "responden": _n(fig.n, 0),
        "selang": _("%(low)s – %(high)s (selang kepercayaan 95 %%)")
        % {"low": _n(interval.low, places), "high": _n(interval.high, places)}
        if interval
        else "–",
        "sampel": (
            _("memadai")
            if sample.adequate
            else _("belum memadai (perlu %(required)s)") % {"required": _n(sample.required, 0)}
            if sample.adequate is False
            else _("populasi tidak diketahui")
        ),
        "metode": str(unit.row.metode.label) if unit.row.metode else "–",
        "prioritas": [labels[e] for e in unit.row.priority],
        "realisasi_sebelumnya": (
            _("Realisasi RTL %(period)s: %(percent)s %%.")
            % {"period": unit.row.previous_period, "percent": _n(unit.row.previous_realisation, places)}
            if unit.row.previous_realisation is not None
            else _("Belum ada RTL periode sebelumnya yang tercatat.")
        ),
        "kesimpulan": list(conclusion),
        "dibuat": format_date(made),
        "tabel_unsur": docx._subdoc(tpl, unsur_table),
        "tabel_profil": docx._subdoc(tpl, profile_table),
        "tabel_saran": docx._subdoc(tpl, suggestions_table),
        "tabel_rtl": docx._subdoc(tpl, lambda d: items_table(d, unit.items)),
        "tabel_rtl_sebelumnya": docx._subdoc(tpl, lambda d: items_table(d, unit.previous_items)),
    }


def default_template() -> bytes:
    doc = Document()
    docx._start(doc)
    footer = doc.sections[0].footer.paragraphs[0]
    footer.runs[0].text = "{{ unit }} · {{ periode }} · {{ snapshot }} · "
    for _i in range(5):
        doc.add_paragraph("")
    docx._para(doc, "LAPORAN SURVEI KEPUASAN MASYARAKAT", style="Title", center=True)
    docx._para(doc, "{{ unit|upper }}", bold=True, center=True, size=16)
    docx._para(doc, "{{ pemda|upper }}", center=True, size=12)
    docx._para(doc, "{{ periode|upper }}", bold=True, center=True, size=14)
    docx._para(doc, "{{ snapshot }}", center=True, size=9)
    doc.add_page_break()
    doc.add_heading("BAB I PENDAHULUAN", level=1)
    docx._para(
        doc,
        "Survei Kepuasan Masyarakat (SKM) {{ unit }} dilaksanakan sesuai Peraturan Menteri PANRB Nomor "
        "14 Tahun 2017 untuk mengetahui tingkat kepuasan pengguna layanan pada periode {{ periode }} "
        "({{ rentang }}), melalui kanal {{ metode }}.",
    )
    doc.add_heading("BAB II HASIL SURVEI", level=1)
    doc.add_heading("2.1 Indeks Kepuasan Masyarakat", level=2)
    docx._para(
        doc, "IKM {{ ikm }} — mutu {{ mutu }} ({{ kinerja }}), {{ responden }} responden; {{ selang }}."
    )
    docx._para(doc, "Kecukupan sampel: {{ sampel }}.")
    doc.add_heading("2.2 Nilai per Unsur", level=2)
    docx._para(doc, "{{p tabel_unsur }}")
    doc.add_heading("2.3 Profil Responden", level=2)
    docx._para(doc, "{{p tabel_profil }}")
    doc.add_heading("BAB III SARAN DAN TINDAK LANJUT", level=1)
    doc.add_heading("3.1 Saran dan Masukan Responden", level=2)
    docx._para(doc, "{{p tabel_saran }}")
    doc.add_heading("3.2 Unsur Prioritas Perbaikan dan Rencana Tindak Lanjut", level=2)
    docx._loop(doc, "prioritas", "{{ item }}", numbered=True)
    docx._para(doc, "{{p tabel_rtl }}")
    doc.add_heading("3.3 Realisasi RTL Periode Sebelumnya", level=2)
    docx._para(doc, "{{ realisasi_sebelumnya }}")
    docx._para(doc, "{{p tabel_rtl_sebelumnya }}")
    doc.add_heading("BAB IV KESIMPULAN", level=1)
    docx._loop(doc, "kesimpulan", "{{ item }}", numbered=True)
    docx._para(doc, "{{ dibuat }}")
    docx._para(doc, "Kepala {{ unit }},")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_unit_docx(unit: UnitReport, *, conclusion: Sequence[str] | None = None) -> bytes:
    tpl = DocxTemplate(io.BytesIO(default_template()))
    values = unit_context(tpl, unit, conclusion if conclusion is not None else draft(unit))
    tpl.render(values, jinja_env=docx.environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
