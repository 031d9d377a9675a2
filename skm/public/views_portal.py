"""The public portal (SPEC §6): / → a Pemda's page → each unit's page. No login, no JavaScript.

Pages are small on purpose (a phone on a slow network): one stylesheet, charts as inline SVG,
compressed; search and sort are plain GET links and a GET form. Figures through skm.public.portal.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from skm.lib.format_tags import id_date
from skm.organisation.models import Pemda, Unit
from skm.public import portal
from skm.public.published import published_suggestions
from skm.results import charts, freeze, sheets
from skm.results.compute import pemda_result, unit_result, unsur_labels
from skm.results.overview import overview
from skm.results.wording import describe_aggregate
from skm.scoring.aggregate import Level, Method
from skm.scoring.bands import band_for

# Units listed at most on one page; a search narrows them (no Pemda has this many).
UNITS_SHOWN = 400


def _reverse(name: str, **kwargs: Any) -> str:
    """A link to another publishing page ("" while that page is not installed)."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def _links(pemda: Pemda) -> dict[str, str]:
    return {
        "data_url": _reverse("public:data", pemda_slug=pemda.slug),
        "tv_url": _reverse("public:tv", pemda_slug=pemda.slug),
        "pemda_url": reverse("public:pemda", kwargs={"pemda_slug": pemda.slug}),
    }


@require_safe
@gzip_page
def index(request: HttpRequest) -> HttpResponse:
    lines = portal.pemda_lines()
    if len(lines) == 1:  # one Pemda hosted here: its page is the portal
        return redirect("public:pemda", pemda_slug=lines[0].pemda.slug)
    return render(request, "public/index.html", {"lines": lines})


def _period_links(
    pemda: Pemda, view: portal.View, closed: list[portal.View], base: str
) -> list[dict[str, Any]]:
    running = portal.running_view(pemda, view.today)
    out = [{"label": _("Tahun %(year)s (sementara)") % {"year": view.today.year}, "key": running.key}]
    out += [{"label": v.title, "key": v.key} for v in closed]
    for link in out:
        link["url"] = f"{base}?periode={link['key']}"
        link["current"] = link["key"] == view.key
    return out


def _closed_note(view: portal.View) -> str:
    assert view.snapshot is not None
    return _("Periode ditutup %(date)s; angka dari snapshot versi %(version)s dan tidak berubah lagi.") % {
        "date": id_date(timezone.localtime(view.snapshot.cut_off, view.span.period.pemda.tz).date()),
        "version": view.snapshot.version,
    }


def _running_note(view: portal.View) -> str:
    return _("Sementara: jawaban 1 Januari s.d. %(date)s; angka masih dapat berubah.") % {
        "date": id_date(view.span.end)
    }


def _cards(
    pemda: Pemda, running: portal.View, year: Any, latest_view: portal.View | None, latest: Any
) -> list[dict[str, Any]]:
    """The two headline figures: the last closed period (frozen) and the running year (sementara)."""
    cards = []
    if latest_view is not None:
        cards.append(
            {
                "id": "ikm-closed",
                "heading": _("IKM %(period)s") % {"period": latest_view.title},
                "result": latest,
                "note": _closed_note(latest_view),
                "provisional": False,
            }
        )
    cards.append(
        {
            "id": "ikm-year",
            "heading": _("IKM tahun %(year)s (sementara)") % {"year": running.today.year},
            "result": year,
            "note": _running_note(running),
            "provisional": True,
        }
    )
    return cards


def _line(unit: Unit, member: Any, rank: int | None) -> portal.UnitLine:
    """A unit of the list, with its figures when it has an IKM in the range (`member`)."""
    kind = unit.unit_type.name if unit.unit_type else ""
    search = f"{unit.name} {unit.perangkat_daerah.name} {kind}".casefold()
    if member is None:
        return portal.UnitLine(unit, None, None, 0, False, False, kind, search=search)
    return portal.UnitLine(
        unit=unit,
        ikm=member.part.ikm,
        band=member.band,
        n=member.part.n,
        short=member.sample.adequate is False,
        recap=member.recap,
        kind=kind,
        rank=rank,
        search=search,
    )


@require_safe
@gzip_page
def pemda(request: HttpRequest, pemda_slug: str) -> HttpResponse:
    pemda = get_object_or_404(Pemda, slug=pemda_slug)
    view, closed, error = portal.chosen_view(pemda, request.GET.get("periode", ""))
    running = portal.running_view(pemda, view.today)
    with freeze.reading_for(pemda):
        data = overview(pemda, view.span.start, view.span.end, level=Level.PEMDA, today=view.today)
        year = (
            data.headline if view.provisional else pemda_result(pemda, running.span.start, running.span.end)
        )
        latest = None
        if closed:
            latest = (
                data.headline
                if view.key == closed[0].key
                else pemda_result(pemda, closed[0].span.start, closed[0].span.end)
            )
    labels = unsur_labels(pemda)
    places = pemda.display_precision
    members = {m.unit.pk: m for m in data.ranked}
    rank = {m.unit.pk: i for i, m in enumerate(data.ranked, start=1)}
    units = Unit.objects.filter(portal.units_q(pemda)).select_related("perangkat_daerah", "unit_type")
    lines = [_line(unit, members.get(unit.pk), rank.get(unit.pk)) for unit in units]
    query = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("urut", "ikm")
    sort = sort if sort in portal.SORTS else "ikm"
    found = portal.sort_units(portal.search_units(lines, query), sort)
    base = reverse("public:pemda", kwargs={"pemda_slug": pemda.slug})
    keep = f"periode={view.key}" + (f"&q={query}" if query else "")
    context: dict[str, Any] = {
        "pemda": pemda,
        "view": view,
        "running": running,
        "closed": closed,
        "latest_view": closed[0] if closed else None,
        "cards": _cards(
            pemda, running, year.result, closed[0] if closed else None, latest.result if latest else None
        ),
        "error": _("Periode yang dipilih tidak ada atau belum ditutup; ditampilkan periode terakhir.")
        if error
        else "",
        "period_links": _period_links(pemda, view, closed, base),
        "data": data,
        "method": Method(data.method).label,
        "description": describe_aggregate(data.headline.result),
        "places": places,
        "unsur_chart": charts.unsur_bars(
            [labels[r.element] for r in data.unsur], [r.converted for r in data.unsur], places=places
        ),
        "trend_chart": charts.trend(data.trend_years, places=places, title=_("IKM per tahun")),
        "lines": found[:UNITS_SHOWN],
        "more": max(0, len(found) - UNITS_SHOWN),
        "total": len(lines),
        "query": query,
        "sort": sort,
        "sort_links": [
            (s, label, f"{base}?{keep}&urut={s}")
            for s, label in zip(
                portal.SORTS,
                (_("IKM tertinggi"), _("IKM terendah"), _("responden terbanyak"), _("nama")),
                strict=True,
            )
        ],
        "unit_base": base,
        **_links(pemda),
    }
    return render(request, "public/pemda.html", context)


def _unit_history(unit: Unit, closed: list[portal.View]) -> list[dict[str, Any]]:
    """The unit's IKM in each closed period, from the figures recorded at close (one query: the
    views' snapshots were read without their figures)."""
    figures = portal.snapshot_figures([view.snapshot for view in closed if view.snapshot is not None])
    out = []
    for view in closed:
        assert view.snapshot is not None
        entry = figures.get(view.snapshot.pk, {}).get("units", {}).get(str(unit.pk))
        if not entry:
            continue
        ikm = Fraction(entry["ikm"]) if entry.get("ikm") else None
        out.append(
            {
                "view": view,
                "ikm": ikm,
                "band": band_for(ikm, weight=unit.pemda.weight_enum) if ikm is not None else None,
                "n": entry.get("n", 0),
            }
        )
    return out


@require_safe
@gzip_page
def unit(request: HttpRequest, pemda_slug: str, unit_slug: str) -> HttpResponse:
    unit = get_object_or_404(
        Unit.objects.select_related("pemda", "perangkat_daerah", "unit_type"),
        pemda__slug=pemda_slug,
        slug=unit_slug,
    )
    pemda = unit.pemda
    view, closed, error = portal.chosen_view(pemda, request.GET.get("periode", ""))
    services = list(unit.services.filter(active=True).order_by("position", "name"))
    with freeze.reading_for(pemda):
        sheet = sheets.unit_sheet(unit, view.span)
        service_rows = [(s, unit_result(unit, view.span.start, view.span.end, service=s)) for s in services]
        running = portal.running_view(pemda, view.today)
        year = unit_result(unit, running.span.start, running.span.end)
    survey_url = qr_url = ""
    if unit.active:
        survey_url = request.build_absolute_uri(reverse("survey", args=[unit.slug]))
        qr_url = reverse("qr", kwargs={"unit_slug": unit.slug, "fmt": "svg"})
    base = reverse("public:unit", kwargs={"pemda_slug": pemda.slug, "unit_slug": unit.slug})
    context: dict[str, Any] = {
        "unit": unit,
        "pemda": pemda,
        "view": view,
        "sheet": sheet,
        "error": _("Periode yang dipilih tidak ada atau belum ditutup; ditampilkan periode terakhir.")
        if error
        else "",
        "period_links": _period_links(pemda, view, closed, base),
        "history": _unit_history(unit, closed),
        "year": year,
        "running": running,
        "services": [
            {
                "service": s,
                "ikm": r.score.ikm,
                "band": r.score.band,
                "n": r.score.n,
                "short": r.sample.adequate is False,
            }
            for s, r in service_rows
        ],
        "short": sheet["sample"].adequate is False,
        "places": pemda.display_precision,
        "suggestions": published_suggestions(pemda, units=[unit.pk]),
        "survey_url": survey_url,
        "qr_url": qr_url,
        **_links(pemda),
    }
    return render(request, "public/unit.html", context)
