"""What a lobby screen shows (SPEC §6 "Lobby screen"): the running year's IKM so far ("sementara"),
a ranking of units, and the latest published suggestions with their replies.

The figures are the staff Pemda results page's for the year (skm.results.compute through the
rollups, read inside the Pemda's frozen snapshots as views_pemda does), by the Pemda's own method;
a screen for a chosen group of units (a Mal Pelayanan Publik, skm.public.models.LobbyScreen) gets
the same aggregate over a roster of those units only. One board is a plain dict: the page renders
it and data.json serves it, so the two never differ. Many TVs poll one board, so it is cached for
CACHE_SECONDS per Pemda, screen and language.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from skm.lib.numbers import number
from skm.organisation.models import Pemda
from skm.public import portal
from skm.public.models import LobbyScreen
from skm.public.published import published_suggestions
from skm.results import freeze, ranges
from skm.results.compute import Member, PemdaResult, Roster, pemda_results
from skm.scoring.aggregate import Method
from skm.scoring.rounding import round_half_up

CACHE_SECONDS = 30
SUGGESTIONS_SHOWN = 8


def _num(value: Fraction | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def roster_for(pemda: Pemda, screen: LobbyScreen | None) -> Roster:
    """Every unit of the Pemda, or the screen's units only (the aggregate runs over the roster)."""
    if screen is None:
        return Roster.of(pemda, services=False)
    units = screen.units.filter(pemda=pemda).order_by("position", "name")
    return Roster(pemda, None, {u.pk: u for u in units}, {})


def year_span(pemda: Pemda, today: dt.date) -> ranges.DateRange:
    """The running year so far, as the staff page's ``?tahun=`` chooses it (the portal's too)."""
    return portal.running_view(pemda, today).span


def year_result(pemda: Pemda, roster: Roster, span: ranges.DateRange) -> PemdaResult:
    """The IKM of the roster over `span` by the Pemda's method, read as the staff page reads it."""
    with freeze.for_range(pemda, span, late=False).reading():
        return pemda_results(
            pemda, [(span.start, span.end)], method=Method(pemda.aggregation_method), roster=roster
        )[0]


def ranked(result: PemdaResult) -> list[Member]:
    """Active units with an IKM, best first, ties by more respondents (the staff page's order)."""
    members = (m for m in result.members if m.part.ikm is not None and m.unit.active)
    return sorted(members, key=lambda m: (m.part.ikm, m.part.n), reverse=True)


def _unit_row(rank: int, member: Member, places: int) -> dict[str, Any]:
    band = member.band
    return {
        "rank": rank,
        "name": member.unit.name,
        "ikm": _num(member.part.ikm, places),
        "ikm_text": number(member.part.ikm, places),
        "mutu": band.mutu if band else "",
        "kinerja": _(band.kinerja) if band else "",
        "n": member.part.n,
        "n_text": number(member.part.n, 0),
        "small": member.sample.adequate is False,
    }


def build(
    pemda: Pemda, screen: LobbyScreen | None = None, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The board of the Pemda (or of one of its screens) as of `now`: plain JSON-ready values."""
    now = now or timezone.now()
    local = timezone.localtime(now, pemda.tz)
    today = local.date()
    roster = roster_for(pemda, screen)
    span = year_span(pemda, today)
    result = year_result(pemda, roster, span)
    places = pemda.display_precision
    agg = result.result
    band = agg.band
    rows = ranked(result)
    units = [_unit_row(i, m, places) for i, m in enumerate(rows, start=1)]
    shown = {m.unit.pk for m in rows}
    silent = sum(1 for pk, u in roster.units.items() if u.active and pk not in shown)
    notes = published_suggestions(
        pemda, units=list(roster.units) if screen is not None else None, limit=SUGGESTIONS_SHOWN
    )
    return {
        "pemda": pemda.name,
        "screen": screen.name if screen is not None else "",
        "year": today.year,
        "as_of": now.isoformat(),
        "date_text": ranges.format_date(local.date()),
        "time_text": f"{local:%H:%M}",
        "range_text": span.label,
        "method": Method(pemda.aggregation_method).value,
        "ikm": _num(agg.ikm, places),
        "ikm_text": number(agg.ikm, places),
        "mutu": band.mutu if band else "",
        "kinerja": _(band.kinerja) if band else "",
        "n": agg.n,
        "n_text": number(agg.n, 0),
        "units": units,
        "units_silent": silent,
        "units_silent_text": ngettext(
            "%(n)s unit belum memiliki IKM tahun ini.", "%(n)s unit belum memiliki IKM tahun ini.", silent
        )
        % {"n": number(silent, 0)}
        if silent
        else "",
        "suggestions": [
            {
                "unit": s.unit_name,
                "service": s.service,
                "date_text": ranges.format_date(s.submitted),
                "suggestion": s.suggestion,
                "status": s.status_label,
                "reply": s.reply,
                "replied_text": ranges.format_date(s.replied) if s.replied else "",
            }
            for s in notes
        ],
    }


def board(pemda: Pemda, screen: LobbyScreen | None = None) -> dict[str, Any]:
    """`build`, remembered for CACHE_SECONDS (per Pemda, screen and language)."""
    key = f"tv:{pemda.pk}:{screen.pk if screen else 0}:{translation.get_language()}"
    found = cache.get(key)
    if found is None:
        found = build(pemda, screen)
        cache.set(key, found, CACHE_SECONDS)
    return found
