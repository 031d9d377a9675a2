"""A unit's results page (/kelola/hasil/upp/<unit>/): SPEC §6 "Unit results" for any range, for
the unit or one of its services, read from the rollups through skm.results.compute.

Readers: every role with a place (Pimpinan too), each within its scope (`get_for_user`); an
account without a role is refused (403) and a unit outside the user's scope is a 404.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from skm.accounts.access import get_for_user, is_admin
from skm.followup.rtl import previous_rtl
from skm.organisation.models import Layanan, Unit
from skm.organisation.targets import is_met, target_for
from skm.recaps.stored import unit_years
from skm.results import charts, freeze, present
from skm.results.compute import UnitResult, element_order, unit_results, unsur_labels
from skm.results.places import home_place
from skm.results.ranges import choices, range_from
from skm.results.wording import sample_sentence
from skm.scoring.bands import band_for
from skm.scoring.priority import priority_unsur


def reader_unit(request: HttpRequest, unit_slug: str) -> Unit:
    """The unit the reader asks for: 403 without a role, 404 outside their scope."""
    home_place(request)  # PermissionDenied for accounts without a role
    units = Unit.objects.select_related("pemda", "perangkat_daerah")
    return get_for_user(units, request.user, slug=unit_slug)


def chosen_service(request: HttpRequest, services: list[Layanan]) -> tuple[Layanan | None, str]:
    """The service of ``?layanan=<slug>``, or none (the whole unit) with a message if unknown."""
    slug = request.GET.get("layanan", "").strip()
    if not slug:
        return None, ""
    found = next((s for s in services if s.slug == slug), None)
    return found, "" if found else _("Layanan yang dipilih tidak ada di unit ini; ditampilkan seluruh unit.")


def result_figures(result: UnitResult, target: Decimal | None = None) -> dict[str, Any]:
    """What the page shows of one result (shown twice side by side with the excluded answers)."""
    unit = result.unit
    pemda = unit.pemda
    score = result.score
    order = element_order(pemda)
    rows = present.unsur_rows(score, order, unsur_labels(pemda))
    nrr = {r.element: r.nrr for r in rows if r.nrr is not None}
    priority = priority_unsur(nrr, places=present.NRR_PLACES) if score.ikm is not None else []
    names = {r.element: r.label for r in rows}
    return {
        "result": result,
        "score": score,
        "rows": rows,
        "sorted_rows": present.sorted_rows(rows),
        "priority": priority,
        "priority_labels": [names[e] for e in priority],
        "sample_text": sample_sentence(result.sample, unit.population),
        "target_met": is_met(score.ikm, target, pemda.display_precision),
        "profile": present.profile_tables(result.profile, score.n),
        "channels": present.channel_rows(result.channels),
    }


def rollup_filters(unit: Unit, service: Layanan | None) -> dict[str, Any]:
    """The counted rollups of the unit, or of one of its services."""
    found: dict[str, Any] = {"unit": unit, "is_excluded": False}
    if service is not None:
        found["service_key"] = service.pk
    return found


@login_required
@require_safe
def unit(request: HttpRequest, unit_slug: str) -> HttpResponse:
    unit = reader_unit(request, unit_slug)
    pemda = unit.pemda
    span = range_from(request.GET, pemda)
    services = list(unit.services.all())
    service, service_error = chosen_service(request, services)
    frozen = freeze.for_range(pemda, span, request.GET, unit=unit)
    with frozen.reading():
        counted, everything = unit_results(unit, span.start, span.end, service=service)
        title, periods = present.answers_over_time(
            rollup_filters(unit, service), span, request.LANGUAGE_CODE == "en"
        )
    both = request.GET.get("termasuk_dikecualikan") == "1"
    # The unit's target for the range's year; a service has none of its own (skm.organisation.targets).
    target = target_for(pemda, unit, span.end.year) if service is None else None
    main = result_figures(counted, target)
    labels = unsur_labels(pemda)
    shown = [r for r in main["rows"] if r.converted is not None]
    context: dict[str, Any] = {
        "unit": unit,
        "pemda": pemda,
        "range": span,
        "frozen": frozen,
        "frozen_notice": frozen.notice(pemda),
        "range_choices": choices(pemda),
        "range_keep": {k: request.GET[k] for k in ("layanan", "termasuk_dikecualikan") if request.GET.get(k)},
        "services": services,
        "service": service,
        "service_error": service_error,
        "places": pemda.display_precision,
        "nrr_places": present.NRR_PLACES,
        "weighted_places": present.WEIGHTED_PLACES,
        "main": main,
        "excluded_count": everything.n - counted.n,
        "both": both,
        "with_excluded": result_figures(everything, target) if both else None,
        "target": target,
        "labels": labels,
        "unsur_chart": charts.unsur_bars(
            [r.label for r in shown], [r.converted for r in shown], places=pemda.display_precision
        ),
        "time_chart": charts.answers_over_time(periods, title=title),
        "may_change": is_admin(request.user),
        "service_query": f"&layanan={service.slug}" if service else "",
        # The RTL of the unit's previous closed period, when the range shown is a period.
        "previous_rtl": previous_rtl(unit, span.start) if span.period is not None else None,
        "recap_years": [
            (y, band_for(y.part.ikm, weight=pemda.weight_enum) if y.part.ikm is not None else None)
            for y in unit_years(unit, element_order(pemda))
        ],
    }
    return render(request, "results/unit.html", context)
