"""The staff workspace's home page (/kelola/): each role's results so far this year (SPEC §1, §6).

An Admin Pemda and a Pimpinan see the Pemda's dashboard, an Admin PD their Perangkat Daerah's, an
Admin UPP their unit's. Every figure comes from the rollups through skm.results.compute.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from skm.accounts.access import is_admin
from skm.collection import spans
from skm.followup.inbox import waiting_count
from skm.followup.rtl import overdue_summary
from skm.lib.dates import MONTHS_EN, MONTHS_ID
from skm.organisation.models import Unit
from skm.organisation.targets import Targets, is_met
from skm.results import charts, overview
from skm.results.compute import Roster, element_order, pemda_result_counted, unit_result, unsur_labels
from skm.results.places import Place, home_place
from skm.results.ranges import DateRange, current_periods, period_range, range_from, today_in
from skm.results.wording import describe_aggregate, sample_sentence

# How many units the home page names at each end of the ranking, and without answers.
RANKED = 5
SILENT_SHOWN = 12


class LoginView(auth_views.LoginView):
    template_name = "workspace/login.html"
    redirect_authenticated_user = True


def _month_label(day: dt.date, english: bool) -> str:
    return (MONTHS_EN if english else MONTHS_ID)[day.month - 1][:3]


def answers_by_month(place: Place, span: DateRange, english: bool) -> list[tuple[str, int]]:
    """Answers counted per month of the range (empty months as 0), from the rollups."""
    counts = overview.answers_by_month(
        place.pemda, span.start, span.end, pd=place.perangkat_daerah, unit=place.unit
    )
    return [(_month_label(month, english), n) for month, n in counts]


def _month_labels(counts: list[tuple[dt.date, int]], english: bool) -> list[tuple[str, int]]:
    return [(_month_label(month, english), n) for month, n in counts]


def _whole_months(span: DateRange, year: DateRange) -> tuple[dt.date, dt.date] | None:
    """The first days of the span's first and last month when the span is whole months of the year
    so far (a running quarter or semester), else None. Days after today have no answers."""
    if span.start.day != 1 or not (year.start <= span.start <= year.end):
        return None
    if span.end < year.end and span.end != spans.month_end(span.end):
        return None
    return span.start, min(span.end, year.end).replace(day=1)


def _named(units: QuerySet[Unit]) -> list[Unit]:
    """The units with their PD and type, in the ranking's order (one query)."""
    return list(
        units.select_related("perangkat_daerah", "unit_type").order_by(
            "perangkat_daerah__position", "perangkat_daerah__name", "position", "name"
        )
    )


def _silent_of(roster: Roster, answered: dict[int, int]) -> list[Unit]:
    """The roster's active units with no counted answer."""
    pks = [pk for pk, unit in roster.units.items() if unit.active and not answered.get(pk)]
    return _named(Unit.objects.filter(pk__in=pks)) if pks else []


def silent_units(place: Place, span: DateRange) -> list[Unit]:
    """Active units of the place without a single counted answer in the range."""
    filters: dict[str, Any] = {"pemda": place.pemda, "is_excluded": False}
    units = Unit.objects.filter(pemda=place.pemda, active=True)
    if place.unit is not None:
        units = units.filter(pk=place.unit.pk)
        filters["unit"] = place.unit
    elif place.perangkat_daerah is not None:
        units = units.filter(perangkat_daerah=place.perangkat_daerah)
        filters["unit__perangkat_daerah"] = place.perangkat_daerah
    counted = spans.summed(span.start, span.end, by=("unit_id",), columns=("n",), **filters)
    answered = [key[0] for key, sums in counted.items() if sums["n"] > 0]
    return _named(units.exclude(pk__in=answered))


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    place = home_place(request)
    pemda = place.pemda
    today = today_in(pemda)
    year = range_from({"tahun": str(today.year)}, pemda, today)
    running = current_periods(pemda, today)
    span = period_range(running[0]) if running else year
    english = request.LANGUAGE_CODE == "en"
    labels, order = unsur_labels(pemda), element_order(pemda)
    context: dict[str, Any] = {
        "place": place,
        "pemda": pemda,
        "year": year,
        "span": span,
        "running": running,
        "places": pemda.display_precision,
        "may_change": is_admin(request.user),
    }
    # One query for the year's targets: the place's own (a PD has none: skm.organisation.targets)
    # and the ranked units'.
    targets = Targets.load(pemda, [year.start.year])
    if place.level != "pd":
        context["target"] = targets.for_place(place.unit, year.start.year)
    if place.unit is not None:
        result = unit_result(place.unit, year.start, year.end)
        score = result.score
        nrr = {e: u.nrr for e, u in score.unsur.items()}
        context.update(
            ikm=score.ikm,
            band=score.band,
            n=score.n,
            interval=result.interval,
            method=None,
            sample_text=sample_sentence(result.sample, place.unit.population),
        )
    else:
        # The headline, the answers per month and the units without answers from one query.
        roster = Roster.of(pemda, place.perangkat_daerah, services=False)
        months_between = _whole_months(span, year)
        agg, counts, between = pemda_result_counted(
            pemda, year.start, year.end, count_by=(spans.MONTH,), roster=roster, months_between=months_between
        )
        months = overview.per_month({k: {"n": n} for k, n in counts.items()}, year.start, year.end)
        context["months_chart"] = charts.answers_over_time(_month_labels(months, english))
        if months_between is not None:
            context["silent_units"] = _silent_of(roster, between)
        nrr = agg.result.nrr
        ranked = sorted(
            (m for m in agg.members if m.part.ikm is not None),
            key=lambda m: (m.part.ikm, m.part.n),
            reverse=True,
        )
        categories: dict[str, int] = {}
        for member in ranked:
            if member.band is not None:
                categories[member.band.mutu] = categories.get(member.band.mutu, 0) + 1

        def with_target(members: list[Any]) -> list[tuple[Any, Any, bool | None]]:
            found = [(m, targets.for_unit(m.unit, year.start.year)) for m in members]
            return [(m, t, is_met(m.part.ikm, t, pemda.display_precision)) for m, t in found]

        best = with_target(ranked[:RANKED])
        worst = with_target(ranked[::-1][:RANKED] if len(ranked) > RANKED else [])
        context.update(
            ikm=agg.result.ikm,
            band=agg.result.band,
            n=agg.result.n,
            interval=agg.interval,
            sample_text=sample_sentence(agg.sample, agg.population),
            method=agg.result.method,
            description=describe_aggregate(agg.result),
            best=best,
            worst=worst,
            ranked_targets=any(t is not None for _m, t, _met in best + worst),
            units_counted=len(ranked),
            categories_chart=charts.category_counts(categories, title=None),
        )
    context["target_met"] = is_met(context["ikm"], context.get("target"), pemda.display_precision)
    shown = [e for e in order if e in nrr]
    context["unsur_chart"] = charts.unsur_bars(
        [labels[e] for e in shown], [nrr[e] * 25 for e in shown], places=pemda.display_precision
    )
    if "months_chart" not in context:
        context["months_chart"] = charts.answers_over_time(answers_by_month(place, year, english))
    silent = context.pop("silent_units", None)
    if silent is None:
        silent = silent_units(place, span)
    context.update(silent=silent[:SILENT_SHOWN], silent_count=len(silent))
    context.update(
        suggestions_waiting=waiting_count(request.user, pemda.pk),
        suggestions_url=reverse("followup:suggestions") + "?status=baru",
        rtl_overdue=overdue_summary(request.user, pemda),
    )
    return render(request, "workspace/home.html", context)
