"""Result pages. The survey's thank-you page (/s/<unit>/terima-kasih/): the unit's IKM so far."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from skm.organisation.lookup import active_unit
from skm.results.compute import unit_result, year_to_date

# Respondents below this count make the thank-you page say the figure rests on few answers.
FEW_ANSWERS = 30


@require_safe
def thanks(request: HttpRequest, unit_slug: str) -> HttpResponse:
    found = active_unit(unit_slug)
    if found is None:
        context = {"reason": "missing", "unit": None}
        return render(request, "collection/survey_closed.html", context, status=404)
    unit = found.unit
    result = unit_result(unit, *year_to_date(unit))
    context = {
        "unit": unit,
        "result": result,
        "band": result.score.band,
        "places": unit.pemda.display_precision,
        "few": result.n < FEW_ANSWERS,
        "short": result.sample.adequate is False and result.n >= FEW_ANSWERS,
    }
    return render(request, "results/thanks.html", context)
