"""The "Pengingat" panel of the workspace home (an include, so home's own view stays unchanged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.urls import reverse

from skm.periods.compliance import expected_units, late_counts
from skm.periods.models import MAX_REMINDER_DAYS, Submission, UnitReport
from skm.periods.reminders import policy_days
from skm.results.places import Place
from skm.results.ranges import today_in

register = template.Library()


def unit_reminders(place: Place) -> list[dict[str, Any]]:
    """Open periods the place's unit owes and has not reported: deadline within the window, or past."""
    assert place.unit is not None
    today = today_in(place.pemda)
    # No query of its own when nothing is near (the periods are the Pemda's, read once per request);
    # the policy is read only when something is.
    horizon = today + dt.timedelta(days=MAX_REMINDER_DAYS)
    periods = sorted(
        (
            p
            for p in place.pemda.period_list
            if p.closed_at is None and p.report_deadline and p.report_deadline <= horizon
        ),
        key=lambda p: p.report_deadline or horizon,
    )
    if not periods:
        return []
    window = max(policy_days(place.pemda))
    done = set(
        UnitReport.objects.filter(unit=place.unit, period__in=periods)
        .exclude(submission=Submission.NONE)
        .values_list("period_id", flat=True)
    )
    out = []
    for period in periods:
        assert period.report_deadline is not None
        left = (period.report_deadline - today).days
        if period.pk in done or left > window:
            continue
        if not expected_units(place.pemda, period).filter(pk=place.unit.pk).exists():
            continue
        out.append(
            {
                "period": period,
                "days_left": left,
                "late": left < 0,
                "url": reverse("periods:unit", kwargs={"period_id": period.pk, "unit_slug": place.unit.slug}),
            }
        )
    return out


def late_summary(place: Place) -> list[dict[str, Any]]:
    """Open periods past their deadline with units late, and how many (of the place's units).

    No query when no open period is past its deadline (the periods are read once per request),
    three whatever their number otherwise."""
    today = today_in(place.pemda)
    periods = sorted(
        (
            p
            for p in place.pemda.period_list
            if p.closed_at is None and p.report_deadline and p.report_deadline < today
        ),
        key=lambda p: p.report_deadline or today,
        reverse=True,
    )
    late = late_counts(place.pemda, periods, place.perangkat_daerah)
    return [
        {
            "period": period,
            "late": late[period.pk],
            "url": reverse("periods:period", kwargs={"period_id": period.pk}),
        }
        for period in periods
        if late[period.pk]
    ]


@register.inclusion_tag("periods/_home_panel.html")
def reminder_panel(place: Place) -> dict[str, Any]:
    if place.unit is not None:
        return {"unit_items": unit_reminders(place), "late_items": []}
    return {"unit_items": [], "late_items": late_summary(place)}
