"""Open data at /data/<pemda>/ (SPEC §6, issue 26 item 2): a page listing the package's files, and
the files themselves, served as stored (skm.public.opendata builds them; no request computes).

A package never built answers 503 with Retry-After and asks the worker for a build. Files carry
an ETag from their SHA-256 and Last-Modified from their build (a matching conditional GET is a
304) and may be read from any origin (CORS ``*``): they are public aggregates.
"""

from __future__ import annotations

import calendar
from typing import Any

from django.core.cache import cache
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from skm.organisation.models import Pemda
from skm.public import opendata
from skm.public.models import Licence, OpenData, OpenDataFile
from skm.public.opendata_schema import resources
from skm.public.tasks import schedule
from skm.results.present import NRR_PLACES

RETRY_AFTER = 60  # seconds: a build of the largest demo Pemda takes a few
MAX_AGE = 300  # files change at most nightly or when a period closes
ENQUEUED_FOR = 600  # one enqueued build per Pemda per ten minutes, however many ask


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug)


def _building(request: HttpRequest, pemda: Pemda) -> HttpResponse:
    """503: not built yet; a build is asked for (once per ENQUEUED_FOR, whoever asks)."""
    if cache.add(f"opendata-enqueued:{pemda.pk}", 1, ENQUEUED_FOR):
        schedule(pemda.pk)
    response = render(request, "public/data_building.html", {"pemda": pemda}, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def _half(text: str) -> str:
    """The Indonesian or English half of a bilingual description ("Indonesia / English")."""
    first, _sep, second = text.partition(" / ")
    return second if second and (get_language() or "").startswith("en") else first


@require_safe
def index(request: HttpRequest, pemda_slug: str) -> HttpResponse:
    pemda = _pemda(pemda_slug)
    settings = OpenData.objects.filter(pemda=pemda).first()
    if settings is None or settings.built_at is None:
        return _building(request, pemda)
    stored = _stored(pemda)
    rows: list[dict[str, Any]] = []
    for resource in resources(pemda.display_precision, NRR_PLACES):
        rows.append(
            {
                "name": resource.name,
                "title": _half(resource.title),
                "description": _half(resource.description),
                "csv": stored.get(f"{resource.name}.csv"),
                "json": stored.get(f"{resource.name}.json"),
            }
        )
    context = {
        "pemda": pemda,
        "settings": settings,
        "licence_label": dict(Licence.choices).get(settings.licence, settings.licence),
        "licence_url": opendata.LICENCE_URLS.get(settings.licence, ""),
        "package": stored.get(opendata.PACKAGE),
        "built": timezone.localtime(settings.built_at, pemda.tz),
        "built_time": f"{timezone.localtime(settings.built_at, pemda.tz):%H:%M}",
        "rows": rows,
        "places": pemda.display_precision,
        "nrr_places": NRR_PLACES,
    }
    return render(request, "public/data.html", context)


def _stored(pemda: Pemda) -> dict[str, dict[str, Any]]:
    """Each stored file's name, size and hash, without reading the bodies' bytes into Python."""
    rows = OpenDataFile.objects.filter(pemda=pemda).annotate(size=Length("body"))
    return {r["name"]: r for r in rows.values("name", "sha256", "size", "built_at")}


@require_safe
def package(request: HttpRequest, pemda_slug: str) -> HttpResponse:
    return _serve(request, _pemda(pemda_slug), opendata.PACKAGE)


@require_safe
def data_file(request: HttpRequest, pemda_slug: str, name: str, ext: str) -> HttpResponse:
    return _serve(request, _pemda(pemda_slug), f"{name}.{ext}")


def _serve(request: HttpRequest, pemda: Pemda, name: str) -> HttpResponse:
    if name not in opendata.file_names(pemda):
        raise Http404
    meta = (
        OpenDataFile.objects.filter(pemda=pemda, name=name).values("sha256", "built_at", "media_type").first()
    )
    if meta is None:
        if OpenData.objects.filter(pemda=pemda, built_at__isnull=False).exists():
            raise Http404  # built, and this file is not part of it
        return _building(request, pemda)
    etag = f'"{meta["sha256"]}"'
    modified = calendar.timegm(meta["built_at"].utctimetuple())
    headers = {
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": f"public, max-age={MAX_AGE}",
    }
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is not None:
        for key, value in headers.items():
            not_modified[key] = value
        return not_modified
    body = OpenDataFile.objects.filter(pemda=pemda, name=name).values_list("body", flat=True).first()
    response = HttpResponse(bytes(body or b""), content_type=f"{meta['media_type']}; charset=utf-8")
    for key, value in headers.items():
        response[key] = value
    response["Content-Disposition"] = f'inline; filename="{pemda.slug}-{name}"'
    return response
