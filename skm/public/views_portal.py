"""The public portal (work in progress)."""

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest) -> HttpResponse:
    raise Http404


def pemda(request: HttpRequest, pemda_slug: str) -> HttpResponse:
    raise Http404


def unit(request: HttpRequest, pemda_slug: str, unit_slug: str) -> HttpResponse:
    raise Http404
