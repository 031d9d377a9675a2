"""Demo reporting: some units have reported the latest finished period, two gave a reason, one
is accompanied, the rest are late (so the compliance page and the home panel have something)."""

from __future__ import annotations

import datetime as dt

from skm.organisation.models import Pemda, Period
from skm.periods import reporting
from skm.periods.compliance import expected_units


def _period_to_mark(pemda: Pemda, today: dt.date) -> Period | None:
    """The latest period that ended before today and that some unit owes; else the running year."""
    for period in Period.objects.filter(pemda=pemda, end__lt=today).order_by("-end", "start"):
        if expected_units(pemda, period).exists():
            return period
    return Period.objects.filter(pemda=pemda, kind=Period.Kind.TAHUNAN, year=today.year).first()


def mark_reports(pemda: Pemda, today: dt.date) -> Period | None:
    """Two of every three owing units reported, two with "kurangnya SDM", one accompanied."""
    period = _period_to_mark(pemda, today)
    if period is None:
        return None
    units = list(expected_units(pemda, period).order_by("position", "name"))
    for i, unit in enumerate(units):
        if i in (1, 4):
            reporting.give_reason(unit, period, "kurangnya SDM", user=None)
        elif i == 7:
            reporting.set_accompanied(
                unit, period, True, "Unit baru, didampingi Bagian Organisasi.", user=None
            )
        elif i % 3 != 2:
            reporting.submit(unit, period, user=None)
    return period
