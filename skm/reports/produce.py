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


def _timed(out: Produced, kind: str, step: Callable[[str], None], make: Callable[[], bytes]) -> bytes:
    step(kind)
    began = time.perf_counter()
    data = make()
    out.seconds[kind] = time.perf_counter() - began
    return data


def _document_and_pdf(
    out: Produced,
    formats: Sequence[str],
    stem: str,
    step: Callable[[str], None],
    render: Callable[[], bytes],
    *,
    signing_config: signing.SigningConfig | None = None,
    reason: str = "",
    location: str = "",
) -> None:
    """The DOCX (made whenever a PDF is asked for: the PDF is its conversion) and the PDF."""
    document = _timed(out, "docx", step, render)
    if "docx" in formats:
        out.files["docx"] = (f"{stem}.docx", document)
    if "pdf" in formats:
        made = _timed(
            out,
            "pdf",
            step,
            lambda: pdf.render_pdf(document, signing=signing_config, reason=reason, location=location),
        )
        out.files["pdf"] = (f"{stem}.pdf", made)
        out.signed = signing_config is not None


def _audit(out: Produced, period: Period, user: Any, whose: str, **extra: Any) -> None:
    version = out.report.snapshot.version
    audit.record(
        "report.make",
        period,
        user=user,
        summary=f"Laporan SKM {whose}{period.display_label} versi {version}: " + ", ".join(sorted(out.files)),
        after={"version": version, "formats": sorted(out.files), "signed": out.signed, **extra},
    )


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
    """A unit's own Laporan SKM (DOCX, and its PDF) from the same snapshot and code; unsigned (the
    Pemda's certificate is not the unit head's signature)."""
    from skm.reports.unit_docx import render_unit_docx

    started = time.perf_counter()
    made = content.unit_report(period, unit, version=version)
    out = Produced(made.report, seconds={"content": time.perf_counter() - started})
    stem = f"laporan-skm-{slugify(unit.slug)}-{slugify(period.display_label)}-v{made.report.snapshot.version}"
    step = progress or (lambda _what: None)
    _document_and_pdf(out, formats, stem, step, lambda: render_unit_docx(made, conclusion=conclusion))
    _audit(out, period, user, f"{unit.name} ", unit=unit.pk)
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
    """Build the report of `period` and the files asked for; the PDF is signed (PAdES) when the
    Pemda has a certificate configured (skm.reports.signing)."""
    step = progress or (lambda _what: None)
    started = time.perf_counter()
    report = content.build(period, perangkat_daerah=perangkat_daerah, version=version)
    out = Produced(report, seconds={"content": time.perf_counter() - started})
    stem = file_stem(report)
    settings = docx.settings_of(report.pemda)
    if "docx" in formats or "pdf" in formats:
        _document_and_pdf(
            out,
            formats,
            stem,
            step,
            lambda: docx.render_docx(report, settings, conclusion=conclusion),
            signing_config=signing.signing_config(report.pemda.slug) if "pdf" in formats else None,
            reason=f"Laporan Pelaksanaan SKM {report.pemda.name} {report.period.display_label}",
            location=_place(settings, report),
        )
    if "xlsx" in formats:
        from skm.reports.xlsx import render_xlsx

        made = _timed(out, "xlsx", step, lambda: render_xlsx(report))
        out.files["xlsx"] = (f"{stem}.xlsx", made)
    _audit(out, period, user, "", perangkat_daerah=perangkat_daerah.pk if perangkat_daerah else None)
    return out


def _place(settings: ReportSettings, report: content.Report) -> str:
    return settings.place or report.pemda.name
