"""Results above one unit (/kelola/hasil/…): where each role starts, the Pemda and Perangkat Daerah
results page, and the year-over-year comparison (SPEC §4, §6; issue 23 items 4 and 5).

Every view finds the user's place (skm.results.places) and scopes what it reads with
``get_for_user``; every figure comes from skm.results.compute through the rollups.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from skm.accounts.access import get_for_user
from skm.lib.dates import MONTHS_EN, MONTHS_ID
from skm.lib.numbers import number
from skm.organisation.models import PerangkatDaerah
from skm.organisation.targets import Targets, is_met
from skm.results import charts, freeze, ranges, views_freeze
from skm.results.compute import Member, element_order, unsur_labels
from skm.results.overview import MANY_RESPONDENTS, Overview, methods_in_order, overview
from skm.results.places import Place, home_place
from skm.results.wording import describe_aggregate, sample_sentence
from skm.results.yoy import YearOverYear, year_over_year
from skm.results.yoy_sheet import yoy_workbook
from skm.scoring.aggregate import Level, Method
from skm.scoring.bands import BANDS

LEVELS = {"units": Level.PEMDA, "services": Level.SERVICE}
SORTS = ("ikm", "ikm-naik", "n", "nama")


def _query(params: QueryDict, **changes: str | None) -> str:
    """The current query string with some parameters changed (None drops one)."""
    out = params.copy()
    for key, value in changes.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    text = out.urlencode()
    return f"?{text}" if text else ""


def unit_url(unit_slug: str) -> str:
    """The unit's results page; "" while that page is not installed (as the menu leaves it out)."""
    try:
        return reverse("results:unit", kwargs={"unit_slug": unit_slug})
    except NoReverseMatch:
        return ""


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Each user to where they start: the Pemda, their PD, or their unit; the range goes along."""
    place = home_place(request)
    params = request.GET.copy()
    if place.unit is not None:
        params.pop("pemda", None)
        url = unit_url(place.unit.slug)
        return redirect(url + _query(params) if url else reverse("workspace:home"))
    if place.perangkat_daerah is not None:
        params["pd"] = str(place.perangkat_daerah.pk)
    return redirect(reverse("results:pemda") + _query(params))


def _pd_for(request: HttpRequest, place: Place) -> PerangkatDaerah | None:
    """The Perangkat Daerah asked for with ``?pd=`` (a PD admin always gets their own)."""
    text = request.GET.get("pd", "").strip()
    if place.perangkat_daerah is not None and not text:
        return place.perangkat_daerah
    if not text:
        return None
    if not text.isdigit():
        raise Http404
    return get_for_user(PerangkatDaerah, request.user, pk=int(text), pemda=place.pemda)


def _choice(request: HttpRequest, name: str, allowed: list[str], default: str, error: str) -> tuple[str, str]:
    value = request.GET.get(name, "").strip()
    if not value:
        return default, ""
    if value not in allowed:
        return default, error
    return value, ""


def _ranked_rows(
    ranked: list[Member], data: Overview, query: str, places: int, targets: Targets, year: int
) -> list[dict[str, Any]]:
    """The ranking's rows with every cell already written: the table has a row per unit, and the
    template engine's lookups through nested objects were most of this page's rendering time."""
    found = {m.unit.pk: targets.for_unit(m.unit.pk, year) for m in ranked}
    return [
        {
            "target": number(found[m.unit.pk], places) if found[m.unit.pk] is not None else "",
            "met": is_met(m.part.ikm, found[m.unit.pk], places),
            "member": m,
            "name": m.unit.name,
            "link": _unit_link(m.unit.slug, query),
            "type": data.unit_types.get(m.unit.unit_type_id, "–"),
            "ikm": number(m.part.ikm, places),
            "mutu": m.band.mutu if m.band else "",
            "n": number(m.part.n, 0),
            "short": m.sample.adequate is False,
            "recap": m.recap,
            "history": m.history,
            "adequate": m.sample.adequate,
            "required": number(m.sample.required, 0) if m.sample.required is not None else "–",
            "services": [
                (line, _unit_link(m.unit.slug, query, line.service.slug))
                for line in data.services.get(m.unit.pk, [])
            ],
        }
        for m in ranked
    ]


@login_required
@require_safe
def pemda(request: HttpRequest) -> HttpResponse:
    place = home_place(request)
    if place.unit is not None:
        raise PermissionDenied  # a unit admin reads their unit's page (results:index sends them)
    pemda = place.pemda
    pd = _pd_for(request, place)
    span = ranges.range_from(request.GET, pemda)
    methods = methods_in_order(pemda)
    method_text, method_error = _choice(
        request,
        "metode",
        [m.value for m in methods],
        methods[0].value,
        _("Metode tidak dikenal; dipakai metode bawaan Pemda."),
    )
    level_text, level_error = _choice(
        request, "tingkat", list(LEVELS), "units", _("Tingkat tidak dikenal; dipakai tingkat unit.")
    )
    sort, _unused = _choice(request, "urut", list(SORTS), "ikm", "")
    method, level = Method(method_text), LEVELS[level_text]
    frozen = freeze.for_range(pemda, span, request.GET)
    with frozen.reading():
        data = overview(
            pemda, span.start, span.end, method=method, level=level, pd=pd, today=ranges.today_in(pemda)
        )
    if pd is not None:  # the late answers of the PD's units only
        frozen.late = {pk: count for pk, count in frozen.late.items() if pk in data.unit_names}
    english = request.LANGUAGE_CODE == "en"
    labels = unsur_labels(pemda)
    places = pemda.display_precision
    ranked = list(data.ranked)
    if sort == "ikm-naik":
        ranked.reverse()
    elif sort == "n":
        ranked.sort(key=lambda m: -m.part.n)
    elif sort == "nama":
        ranked.sort(key=lambda m: m.unit.name.lower())
    result = data.headline
    # The range's year's targets, one query: the Pemda's own (not a PD's: it has none) and each unit's.
    target_year = span.end.year
    targets = Targets.load(pemda, [target_year])
    target = targets.for_pemda(target_year) if pd is None else None
    months = MONTHS_EN if english else MONTHS_ID
    base = request.GET
    context: dict[str, Any] = {
        "place": place,
        "pemda": pemda,
        "pd": pd,
        "data": data,
        "result": result.result,
        "interval": result.interval,
        "sample_text": sample_sentence(result.sample, result.population),
        "target": target,
        "target_met": is_met(result.result.ikm, target, places),
        # pemda_result averages a PD's units as it does the Pemda's: say it is the PD's figure.
        "description": describe_aggregate(
            replace(result.result, level=Level.PERANGKAT_DAERAH)
            if pd is not None and level is Level.PEMDA
            else result.result
        ),
        "errors": [e for e in (method_error, level_error) if e],
        "range": span,
        "frozen_notice": frozen.notice(pemda, data.unit_names),
        "close_url": reverse("results:period-close", kwargs={"period_id": span.period.pk})
        if span.period is not None and views_freeze.may_close(request.user)
        else "",
        "frozen_keep": "".join(f"&{k}={base[k]}" for k in ("pd", "metode", "tingkat") if base.get(k)),
        "range_choices": ranges.choices(pemda),
        "places": places,
        "labels": labels,
        "elements": element_order(pemda),
        "ranked": ranked,
        "sort": sort,
        "sort_links": [(s, _query(base, urut=s)) for s in SORTS],
        "method_links": [(m, _query(base, metode=m.value), m is method) for m in methods],
        "level_links": [
            (_("unit layanan"), _query(base, tingkat="units"), level is Level.PEMDA),
            (_("jenis layanan"), _query(base, tingkat="services"), level is Level.SERVICE),
        ],
        "method": method,
        "range_query": span.query,
        "pemda_link": reverse("results:pemda") + _query(base, pd=None)
        if pd is not None and place.perangkat_daerah is None
        else "",
        "unsur_chart": charts.unsur_bars(
            [labels[r.element] for r in data.unsur], [r.converted for r in data.unsur], places=places
        ),
        "months_chart": charts.answers_over_time(
            [(f"{months[m.month - 1][:3]} {m.year % 100:02d}", n) for m, n in data.months]
        ),
        "trend_periods_chart": charts.trend(data.trend_periods, places=places, title=_("IKM per periode")),
        "trend_years_chart": charts.trend(data.trend_years, places=places, title=_("IKM per tahun")),
    }
    context.update(
        heading=(pd or pemda).name,
        unsur_rows=[(labels[r.element], r) for r in data.unsur],
        unsur_sorted=[(labels[r.element], r) for r in data.unsur_sorted],
        mutus=[b.mutu for b in BANDS],
        type_rows=[(r.name, [r.by_mutu[b.mutu] for b in BANDS], r.no_data, r.units) for r in data.by_type],
        many_min=MANY_RESPONDENTS,
        adequate_text=_("memadai"),
        met_text=_("tercapai"),
        unmet_text=_("belum tercapai"),
        no_population_text=_("populasi belum diisi"),
        range_keep={k: base[k] for k in ("pd", "metode", "tingkat", "urut", "pemda") if base.get(k)},
        ranked_rows=_ranked_rows(ranked, data, span.query, places, targets, target_year),
    )
    context["unit_targets"] = any(row["target"] for row in context["ranked_rows"])
    context["pd_links"] = [
        (row, reverse("results:pemda") + _query(base, pd=str(row.pd.pk))) for row in data.pds
    ]
    return render(request, "results/pemda.html", context)


def _unit_link(slug: str, range_query: str, service: str | None = None) -> str:
    url = unit_url(slug)
    if not url:
        return ""
    params = dict(p.split("=", 1) for p in range_query.split("&") if "=" in p)
    if service:
        params["layanan"] = service
    text = urlencode(params)
    return url + (f"?{text}" if text else "")


# --- Year over year ---------------------------------------------------------------------------


def _years(request: HttpRequest, today_year: int) -> tuple[int, int, str]:
    """``?tahun=`` and ``?banding=`` (default: this year beside last), or the default and why not."""
    error = ""
    chosen = []
    for name, default in (("tahun", today_year), ("banding", today_year - 1)):
        text = request.GET.get(name, "").strip()
        if text and not (text.isdigit() and 2000 <= int(text) <= today_year):
            error = _("Tahun harus antara 2000 dan %(year)s.") % {"year": today_year}
            text = ""
        chosen.append(int(text) if text else default)
    if chosen[0] == chosen[1] and not error:
        error = _("Pilih dua tahun yang berbeda.")
        chosen = [today_year, today_year - 1]
    return chosen[0], chosen[1], error


def _yoy(request: HttpRequest) -> YearOverYear:
    place = home_place(request)
    today = ranges.today_in(place.pemda)
    year, compare, error = _years(request, today.year)
    with freeze.reading_for(place.pemda):  # a year equal to a closed Tahunan: its snapshot
        data = year_over_year(place, year, compare, today)
    request.yoy_error = error  # type: ignore[attr-defined]
    return data


@login_required
@require_safe
def yoy(request: HttpRequest) -> HttpResponse:
    data = _yoy(request)
    today_year = ranges.today_in(data.place.pemda).year
    return render(
        request,
        "results/yoy.html",
        {
            "data": data,
            "place": data.place,
            "places": data.place.pemda.display_precision,
            "error": request.yoy_error,  # type: ignore[attr-defined]
            "years": list(range(today_year, 1999, -1))[:12],
            "xlsx": reverse("results:yoy-xlsx") + _query(request.GET),
            "method_label": Method(data.method).label,
            "rows": _numbered(data),
        },
    )


def _numbered(data: YearOverYear) -> list[tuple[int | None, Any]]:
    out, number = [], 0
    for row in data.rows:
        if row.service is None:
            number += 1
        out.append((number if row.service is None else None, row))
    return out


@login_required
@require_safe
def yoy_xlsx(request: HttpRequest) -> HttpResponse:
    data = _yoy(request)
    if request.yoy_error:  # type: ignore[attr-defined]
        return HttpResponse(request.yoy_error, status=400, content_type="text/plain; charset=utf-8")  # type: ignore[attr-defined]
    body = yoy_workbook(data)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"ikm-{data.place.pemda.slug}-{data.compare}-{data.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
