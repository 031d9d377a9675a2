"""QR codes, A4 posters and ticket receipts of a unit's survey address; public, as the same link
hangs at the counter. `?ref=<ticket>` (skm.collection.tickets) puts a ticket into the QR's address,
so a receipt's code rates that one transaction."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from skm.collection import posters, tickets
from skm.lib.dates import format_date
from skm.organisation.models import Layanan, Unit

ONE_DAY = 24 * 3600
BAD_TICKET = "ref harus 1–64 huruf, angka, atau . _ - / : / ref must be 1–64 letters, digits or . _ - / :"


def _target(unit_slug: str, service_slug: str | None) -> tuple[Unit, Layanan | None]:
    """The active unit (and active service) of the address, or 404."""
    units = Unit.objects.filter(active=True).select_related("pemda", "perangkat_daerah")
    unit = get_object_or_404(units, slug=unit_slug)
    service = None
    if service_slug is not None:
        service = get_object_or_404(unit.services.filter(active=True), slug=service_slug)
    return unit, service


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def qr(request: HttpRequest, unit_slug: str, fmt: str, service_slug: str | None = None) -> HttpResponse:
    unit, service = _target(unit_slug, service_slug)
    ticket = None
    if "ref" in request.GET:
        ticket = tickets.parse(request.GET["ref"])
        if ticket is None:
            return HttpResponseBadRequest(BAD_TICKET)
    url = posters.survey_url(posters.public_base(request), unit, service, ticket)
    if fmt == "svg":
        return HttpResponse(posters.qr_svg(url), content_type="image/svg+xml")
    try:
        scale = int(request.GET.get("scale", posters.PNG_SCALE_DEFAULT))
    except ValueError:
        return HttpResponseBadRequest("scale harus bilangan bulat 4–20 / scale must be a whole number 4–20")
    return HttpResponse(posters.qr_png(url, scale), content_type="image/png")


@require_safe
@cache_control(public=True, max_age=ONE_DAY)
def poster(request: HttpRequest, unit_slug: str, service_slug: str | None = None) -> HttpResponse:
    unit, service = _target(unit_slug, service_slug)
    sheet = posters.Poster.of(unit, service, posters.public_base(request))
    response = HttpResponse(posters.poster_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{sheet.filename}"'
    return response


@require_safe
def receipt(request: HttpRequest, unit_slug: str, service_slug: str | None = None) -> HttpResponse:
    """A receipt for an 80 mm thermal printer: unit, service, ticket, today's date and the ticket's QR."""
    unit, service = _target(unit_slug, service_slug)
    ticket = tickets.parse(request.GET.get("ref"))
    if ticket is None:
        return render(
            request,
            "collection/survey_ticket.html",
            {"state": "invalid", "unit": unit, "service": service},
            status=400,
        )
    today = timezone.localtime(timezone.now(), unit.pemda.tz).date()
    context = {
        "unit": unit,
        "service": service,
        "ticket": ticket,
        "date": format_date(today, translation.get_language() or "id"),
        "url": posters.short_url(posters.survey_url(posters.public_base(request), unit, service, ticket)),
        "qr": tickets.query(ticket),
    }
    return render(request, "collection/receipt.html", context)
