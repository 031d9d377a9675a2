"""QR codes and A4 posters of a unit's survey address; public, as the same link hangs at the counter."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from skm.collection import posters
from skm.organisation.models import Layanan, Unit

ONE_DAY = 24 * 3600


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
    url = posters.survey_url(posters.public_base(request), unit, service)
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
