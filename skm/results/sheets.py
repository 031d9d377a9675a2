"""Lembar hasil IKM (SPEC §6): a one-page result sheet of a unit, or of the whole Pemda, for a date
range — as a print page, a PDF (WeasyPrint, A4 portrait) and a PNG fit for a chat group.

The three share one template (results/sheet.html) and one context (`unit_sheet`/`pemda_sheet`);
figures come from skm.results.compute, percentages from skm.scoring.shares. The PNG is the PDF's
page rasterised by poppler's pdftoppm to PNG_WIDTH pixels wide (as skm.results.charts.to_png does).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from skm.collection import rollups, spans
from skm.organisation.models import Pemda, Unit
from skm.organisation.targets import is_met, target_for
from skm.results import present
from skm.results.compute import element_order, pemda_result, unit_result, unsur_labels
from skm.results.ranges import DateRange, today_in
from skm.scoring.aggregate import Method
from skm.scoring.bands import Band, band_for

TEMPLATE = "results/sheet.html"
CSS = "skm/sheet.css"
PNG_WIDTH = 1080  # px: sharp on a phone, small enough to post in a chat group


@dataclass(frozen=True)
class SheetUnsur:
    label: str
    converted: Fraction | None
    band: Band | None


@cache
def sheet_css() -> str:
    found = finders.find(CSS)
    return Path(str(found)).read_text(encoding="utf-8") if found else ""


def _unsur(pemda: Pemda, converted: dict[str, Fraction]) -> list[SheetUnsur]:
    labels = unsur_labels(pemda)
    return [
        SheetUnsur(labels[e], converted.get(e), band_for(converted[e]) if e in converted else None)
        for e in element_order(pemda)
    ]


def unit_sheet(unit: Unit, span: DateRange) -> dict[str, Any]:
    """What the unit's sheet shows: excluded answers never count (as on every result page)."""
    pemda = unit.pemda
    result = unit_result(unit, span.start, span.end)
    score = result.score
    target = target_for(pemda, unit, span.end.year)
    return {
        "title": unit.name,
        "subtitle": unit.perangkat_daerah.name,
        "pemda": pemda,
        "range": span,
        "ikm": score.ikm,
        "band": score.band,
        "n": score.n,
        "sample": result.sample,
        "method": None,
        "target": target,
        "target_met": is_met(score.ikm, target, pemda.display_precision),
        "profile": present.profile_tables(result.profile, score.n),
        "unsur": _unsur(pemda, {e: u.converted for e, u in score.unsur.items()}),
        "places": pemda.display_precision,
        "printed": today_in(pemda),
    }


def pemda_sheet(pemda: Pemda, span: DateRange) -> dict[str, Any]:
    """The Pemda's sheet: its IKM by its default method over its units (named on the sheet), and
    the profile of all its respondents (every unit's counted answers)."""
    agg = pemda_result(pemda, span.start, span.end)
    summary = rollups.summary_of(
        spans.summed(span.start, span.end, pemda=pemda, is_excluded=False).get((), {})
    )
    result = agg.result
    target = target_for(pemda, None, span.end.year)
    return {
        "title": pemda.name,
        "subtitle": "",
        "pemda": pemda,
        "range": span,
        "ikm": result.ikm,
        "band": result.band,
        "n": result.n,
        "method": Method(result.method).label,
        "target": target,
        "target_met": is_met(result.ikm, target, pemda.display_precision),
        "profile": present.profile_tables(summary.profile, summary.n),
        "unsur": _unsur(pemda, {e: v * 25 for e, v in result.nrr.items()}),
        "places": pemda.display_precision,
        "printed": today_in(pemda),
    }


def render_html(context: dict[str, Any], *, for_pdf: bool) -> str:
    return render_to_string(TEMPLATE, {**context, "inline_css": sheet_css() if for_pdf else ""})


def render_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    offline = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    return bytes(HTML(string=render_html(context, for_pdf=True), url_fetcher=offline).write_pdf())


def pdf_to_png(pdf: bytes, width: int = PNG_WIDTH) -> bytes:
    """The first page as a PNG ``width`` pixels wide (height from the A4 page's proportions)."""
    command = ["pdftoppm", "-png", "-f", "1", "-l", "1", "-scale-to-x", str(width), "-scale-to-y", "-1"]
    command += ["-singlefile", "-"]
    done = subprocess.run(command, input=pdf, capture_output=True, check=True)  # noqa: S603 - fixed argv
    return done.stdout
