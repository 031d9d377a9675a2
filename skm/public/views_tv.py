"""Lobby screens (SPEC §6 "Lobby screen"): /tv/<pemda>/ for every unit of a Pemda and
/tv/<pemda>/<screen>/ for a LobbyScreen's units, each with its data.json that the page polls.
No login: everything shown is public (figures and published suggestions only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from skm.organisation.models import Pemda
from skm.public import tv
from skm.public.models import LobbyScreen

# Rows of the ranking on one page at 1920×1080, and the page's timings (seconds).
PAGE_ROWS = 8
REFRESH_SECONDS = 60
ROTATE_SECONDS = 15


def _place(pemda_slug: str, screen_slug: str | None) -> tuple[Pemda, LobbyScreen | None]:
    pemda = get_object_or_404(Pemda, slug=pemda_slug)
    screen = None if screen_slug is None else get_object_or_404(LobbyScreen, pemda=pemda, slug=screen_slug)
    return pemda, screen


def _data_url(pemda: Pemda, screen: LobbyScreen | None) -> str:
    if screen is None:
        return reverse("public:tv-data", kwargs={"pemda_slug": pemda.slug})
    return reverse("public:tv-screen-data", kwargs={"pemda_slug": pemda.slug, "screen_slug": screen.slug})


@require_safe
def screen(request: HttpRequest, pemda_slug: str, screen_slug: str | None = None) -> HttpResponse:
    pemda, chosen = _place(pemda_slug, screen_slug)
    board = tv.board(pemda, chosen)
    units = board["units"]
    response = render(
        request,
        "public/tv.html",
        {
            "board": board,
            "first_rows": units[:PAGE_ROWS],
            "pages": max(1, -(-len(units) // PAGE_ROWS)),
            "first_note": board["suggestions"][0] if board["suggestions"] else None,
            "data_url": _data_url(pemda, chosen),
            "page_rows": PAGE_ROWS,
            "refresh": REFRESH_SECONDS,
            "rotate": ROTATE_SECONDS,
        },
    )
    patch_cache_control(response, max_age=tv.CACHE_SECONDS)
    patch_vary_headers(response, ["Cookie"])  # the language is the cookie's
    return response


@require_safe
def data(request: HttpRequest, pemda_slug: str, screen_slug: str | None = None) -> HttpResponse:
    pemda, chosen = _place(pemda_slug, screen_slug)
    response = JsonResponse(tv.board(pemda, chosen), json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, public=True, max_age=tv.CACHE_SECONDS)
    patch_vary_headers(response, ["Cookie"])  # the language is the cookie's
    return response
