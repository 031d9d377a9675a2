"""Making a report's files: DOCX, PDF (signed when the Pemda has a certificate) and XLSX, named
after the Pemda, the period and the snapshot version; audited (issue 25 item 7)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import slugify

from skm.accounts import audit
from skm.organisation.models import PerangkatDaerah, Period, Unit
from skm.reports import content, docx, pdf, signing
from skm.reports.models import ReportSettings

FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Produced:
    report: content.Report
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # format → (name, bytes)
    seconds: dict[str, float] = field(default_factory=dict)  # format → time to make it
    signed: bool = False


def file_stem(report: content.Report) -> str:
    parts = ["laporan-skm", report.pemda.slug]
    if report.perangkat_daerah is not None:
        parts.append(slugify(report.perangkat_daerah.short_name or report.perangkat_daerah.name))
    parts += [slugify(report.period.display_label), f"v{report.snapshot.version}"]
    return "-".join(parts)


UNIT_FORMATS = ("docx", "pdf")  # a unit's own report: its tables are in its results page's exports


def produce_unit(
    period: Period,
    unit: Unit,
    formats: Sequence[str] = UNIT_FORMATS,
    *,
    version: int | None = None,
    conclusion: Sequence[str] | None = None,
    user: Any = None,
    progress: Callable[[str], None] | None = None,
) -> Produced:
    """A unit's own Laporan SKM (DOCX, and its PDF) from the same snapshot and code."""
    from skm.reports.unit_docx import render_unit_docx

    step = progress or (lambda _what: None)
    started = time.perf_counter()
    made = content.unit_report(period, unit, version=version)
    out = Produced(made.report, seconds={"content": time.perf_counter() - started})
    stem = f"laporan-skm-{slugify(unit.slug)}-{slugify(period.display_label)}-v{made.report.snapshot.version}"
    step("docx")
    began = time.perf_counter()
    document = render_unit_docx(made, conclusion=conclusion)
    out.seconds["docx"] = time.perf_counter() - began
    if "docx" in formats:
        out.files["docx"] = (f"{stem}.docx", document)
    if "pdf" in formats:
        step("pdf")
        began = time.perf_counter()
        out.files["pdf"] = (f"{stem}.pdf", pdf.render_pdf(document))
        out.seconds["pdf"] = time.perf_counter() - began
    audit.record(
        "report.make",
        period,
        user=user,
        summary=f"Laporan SKM {unit.name} {period.display_label} versi {made.report.snapshot.version}: "
        + ", ".join(sorted(out.files)),
        after={"version": made.report.snapshot.version, "formats": sorted(out.files), "unit": unit.pk},
    )
    return out


def produce(
    period: Period,
    formats: Sequence[str] = FORMATS,
    *,
    perangkat_daerah: PerangkatDaerah | None = None,
    version: int | None = None,
    conclusion: Sequence[str] | None = None,
    user: Any = None,
    progress: Callable[[str], None] | None = None,
) -> Produced:
    """Build the report of `period` and the files asked for (a PDF needs the DOCX: made anyway)."""
    step = progress or (lambda _what: None)
    started = time.perf_counter()
    report = content.build(period, perangkat_daerah=perangkat_daerah, version=version)
    out = Produced(report, seconds={"content": time.perf_counter() - started})
    stem = file_stem(report)
    settings = docx.settings_of(report.pemda)
    if "docx" in formats or "pdf" in formats:
        step("docx")
        began = time.perf_counter()
        document = docx.render_docx(report, settings, conclusion=conclusion)
        out.seconds["docx"] = time.perf_counter() - began
        if "docx" in formats:
            out.files["docx"] = (f"{stem}.docx", document)
        if "pdf" in formats:
            step("pdf")
            began = time.perf_counter()
            config = signing.signing_config(report.pemda.slug)
            reason = f"Laporan Pelaksanaan SKM {report.pemda.name} {report.period.display_label}"
            out.files["pdf"] = (
                f"{stem}.pdf",
                pdf.render_pdf(document, signing=config, reason=reason, location=_place(settings, report)),
            )
            out.signed = config is not None
            out.seconds["pdf"] = time.perf_counter() - began
    if "xlsx" in formats:
        from skm.reports.xlsx import render_xlsx

        step("xlsx")
        began = time.perf_counter()
        out.files["xlsx"] = (f"{stem}.xlsx", render_xlsx(report))
        out.seconds["xlsx"] = time.perf_counter() - began
    audit.record(
        "report.make",
        period,
        user=user,
        summary=f"Laporan SKM {report.period.display_label} versi {report.snapshot.version}: "
        + ", ".join(sorted(out.files)),
        after={
            "version": report.snapshot.version,
            "formats": sorted(out.files),
            "perangkat_daerah": perangkat_daerah.pk if perangkat_daerah else None,
            "signed": out.signed,
        },
    )
    return out


def _place(settings: ReportSettings, report: content.Report) -> str:
    return settings.place or report.pemda.name
