"""Lembar hasil IKM pages and files (SPEC §6): a unit's and the Pemda's, as a print page, a PDF
and a PNG, for the range of the query (skm.results.ranges). Readers as on the unit results page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from skm.organisation.models import Pemda, Unit
from skm.results import freeze, sheets
from skm.results.places import home_place
from skm.results.ranges import DateRange, range_from
from skm.results.views_unit import reader_unit

FORMATS = {"pdf": "application/pdf", "png": "image/png"}


def _unit_context(request: HttpRequest, unit: Unit, span: DateRange) -> dict[str, Any]:
    """The unit's sheet, from a closed period's snapshot when the range is one (and says so)."""
    frozen = freeze.for_range(unit.pemda, span, request.GET, unit=unit)
    with frozen.reading():
        context = sheets.unit_sheet(unit, span)
    return {**context, "frozen_notice": frozen.notice(unit.pemda)}


def _pemda_context(request: HttpRequest, pemda: Pemda, span: DateRange) -> dict[str, Any]:
    frozen = freeze.for_range(pemda, span, request.GET)
    with frozen.reading():
        context = sheets.pemda_sheet(pemda, span)
    return {**context, "frozen_notice": frozen.notice(pemda)}


def _file(context: dict[str, Any], span: DateRange, name: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    pdf = sheets.render_pdf(context)
    body = pdf if fmt == "pdf" else sheets.pdf_to_png(pdf)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    filename = f"lembar-hasil-{slugify(name)}-{span.start.isoformat()}-{span.end.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _query(request: HttpRequest, span: DateRange) -> str:
    """The range's query, and the snapshot version asked for (the sheet's files show the same)."""
    version = request.GET.get("versi", "").strip()
    return span.query + (f"&versi={version}" if version.isdigit() else "")


def _page(context: dict[str, Any], files: str, back: str, query: str) -> HttpResponse:
    """The print page; ``files`` is the PDF's URL with "{fmt}" for its format."""
    extra = {
        "pdf_url": f"{files.format(fmt='pdf')}?{query}",
        "png_url": f"{files.format(fmt='png')}?{query}",
        "back_url": f"{back}?{query}",
    }
    return HttpResponse(sheets.render_html({**context, **extra}, for_pdf=False))


@login_required
@require_safe
def unit_sheet(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = reader_unit(request, unit_slug)
    span = range_from(request.GET, unit.pemda)
    files = reverse("results:sheet-file", kwargs={"unit_slug": unit.slug, "fmt": "pdf"}).replace(
        ".pdf", ".{fmt}"
    )
    back = reverse("results:unit", kwargs={"unit_slug": unit.slug})
    return _page(_unit_context(request, unit, span), files, back, _query(request, span))


@login_required
@require_safe
def unit_sheet_file(request: HttpRequest, unit_slug: str, fmt: str) -> HttpResponse:
    unit = reader_unit(request, unit_slug)
    span = range_from(request.GET, unit.pemda)
    return _file(_unit_context(request, unit, span), span, unit.slug, fmt)


@login_required
@require_safe
def pemda_sheet(request: HttpRequest) -> HttpResponse:
    pemda = home_place(request).pemda
    span = range_from(request.GET, pemda)
    files = reverse("results:pemda-sheet-file", kwargs={"fmt": "pdf"}).replace(".pdf", ".{fmt}")
    query = _query(request, span) + (f"&pemda={pemda.slug}" if request.user.is_superuser else "")
    return _page(_pemda_context(request, pemda, span), files, reverse("workspace:home"), query)


@login_required
@require_safe
def pemda_sheet_file(request: HttpRequest, fmt: str) -> HttpResponse:
    pemda = home_place(request).pemda
    span = range_from(request.GET, pemda)
    return _file(_pemda_context(request, pemda, span), span, pemda.slug, fmt)
