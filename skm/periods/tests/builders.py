"""Small builders for the period tests."""

from __future__ import annotations

import datetime as dt

from skm.organisation.models import Pemda, Period


def make_period(
    pemda: Pemda,
    kind: str = "tahunan",
    year: int = 2026,
    report_deadline: dt.date | None = None,
    **kwargs,
) -> Period:
    start, end = (
        Period.standard_range(kind, year) if kind != "custom" else (kwargs.pop("start"), kwargs.pop("end"))
    )
    return Period.objects.create(
        pemda=pemda, kind=kind, year=year, start=start, end=end, report_deadline=report_deadline, **kwargs
    )
