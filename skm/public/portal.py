"""What the public portal shows (SPEC §6 "Public portal and open data"; UU 25/2009 asks that SKM
results be published): the Pemda hosted here, a Pemda's figures, each unit's.

Every figure comes from skm.results, as on the staff pages: a closed period's from its current
snapshot (skm.results.freeze), the running year live and labelled "sementara" with its date. The
portal shows closed periods and the running year only; an open period's figures are the staff's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Q

from skm.collection.models import PeriodSnapshot
from skm.organisation.models import Pemda, Unit
from skm.results import freeze, ranges
from skm.scoring.aggregate import Level, Method
from skm.scoring.bands import Band, band_for

RUNNING = "berjalan"  # ?periode=berjalan: the running year so far


@dataclass(frozen=True)
class View:
    """One range the portal shows: a closed period (frozen) or the running year (sementara)."""

    key: str  # the ?periode= value: a period id, or RUNNING
    span: ranges.DateRange
    snapshot: PeriodSnapshot | None  # the closed period's current snapshot; None for the running year
    today: dt.date

    @property
    def provisional(self) -> bool:
        return self.snapshot is None

    @property
    def title(self) -> str:
        if self.span.period is not None:
            return self.span.period.display_label
        return self.span.label


def closed_views(pemda: Pemda, today: dt.date | None = None) -> list[View]:
    """Each closed period of the Pemda with its current snapshot, the latest end first (a year
    before its second semester when both end on one day)."""
    today = today or ranges.today_in(pemda)
    snapshots = freeze.current_of(freeze.snapshots_of(pemda))
    views = [
        View(str(p.pk), ranges.period_range(p), snapshots[(p.start, p.end)], today)
        for p in pemda.period_list
        if p.is_closed and (p.start, p.end) in snapshots
    ]
    views.sort(key=lambda v: (v.span.end, v.span.days), reverse=True)
    return views


def running_view(pemda: Pemda, today: dt.date | None = None) -> View:
    today = today or ranges.today_in(pemda)
    return View(RUNNING, ranges.range_from({"tahun": str(today.year)}, pemda, today), None, today)


def chosen_view(pemda: Pemda, asked: str, today: dt.date | None = None) -> tuple[View, list[View], str]:
    """The view ``?periode=`` asks for (a closed period's id or RUNNING), every closed view, and
    an error when the choice is not one of them. Default: the latest closed period, else the year."""
    today = today or ranges.today_in(pemda)
    closed = closed_views(pemda, today)
    running = running_view(pemda, today)
    asked = asked.strip()
    if asked == RUNNING:
        return running, closed, ""
    found = next((v for v in closed if v.key == asked), None)
    if found is not None:
        return found, closed, ""
    default = closed[0] if closed else running
    return default, closed, ("" if not asked else "unknown")


# --- Every Pemda hosted here ---------------------------------------------------------------


@dataclass(frozen=True)
class PemdaLine:
    pemda: Pemda
    period: str  # the latest closed period's label, "" when none
    ikm: Fraction | None
    band: Band | None
    n: int


def _fraction(text: str | None) -> Fraction | None:
    return Fraction(text) if text else None


def snapshot_figures(snapshots: Iterable[PeriodSnapshot]) -> dict[int, dict[str, Any]]:
    """The figures recorded at close of these snapshots, by id, in one query (they are read
    without them elsewhere: skm.results.freeze.snapshots_of)."""
    ids = [s.pk for s in snapshots]
    rows = PeriodSnapshot.objects.filter(pk__in=ids).values_list("pk", "figures") if ids else []
    return {pk: found or {} for pk, found in rows}


def pemda_lines() -> list[PemdaLine]:
    """Each Pemda with its latest closed period's IKM, read from the figures recorded in that
    period's snapshot at close (two queries for all, whatever the number of Pemda)."""
    pemdas = list(Pemda.objects.order_by("name"))
    snapshots = PeriodSnapshot.objects.filter(period__closed_at__isnull=False).select_related("period")
    # The latest end wins; on one end the wider period (a year over its semester); then the later close.
    ordered = sorted(snapshots.defer("figures"), key=lambda s: (s.end, -s.start.toordinal(), s.cut_off))
    latest = {s.pemda_id: s for s in ordered}
    figures = snapshot_figures(latest.values())
    out = []
    for pemda in pemdas:
        snapshot = latest.get(pemda.pk)
        if snapshot is None:
            out.append(PemdaLine(pemda, "", None, None, 0))
            continue
        key = f"{Method(pemda.aggregation_method).value}/{Level.PEMDA.value}"
        figure: dict[str, Any] = figures.get(snapshot.pk, {}).get("pemda", {}).get(key, {})
        ikm = _fraction(figure.get("ikm"))
        band = band_for(ikm, weight=pemda.weight_enum) if ikm is not None else None
        out.append(PemdaLine(pemda, snapshot.period.display_label, ikm, band, int(figure.get("n") or 0)))
    return out


# --- The units of a Pemda page ---------------------------------------------------------------


@dataclass
class UnitLine:
    unit: Unit
    ikm: Fraction | None
    band: Band | None
    n: int
    short: bool  # a sample below the Krejcie-Morgan size for the unit's population
    recap: bool
    kind: str  # the unit type's name
    rank: int | None = None
    search: str = field(default="", repr=False)


def search_units(lines: list[UnitLine], text: str) -> list[UnitLine]:
    """Lines whose unit, Perangkat Daerah or unit type contains every word of `text` (any case)."""
    words = text.casefold().split()
    return [line for line in lines if all(w in line.search for w in words)]


SORTS = ("ikm", "ikm-naik", "n", "nama")


def sort_units(lines: list[UnitLine], sort: str) -> list[UnitLine]:
    """Units with an IKM first in the order asked; units without data always after them, by name."""
    scored = [line for line in lines if line.ikm is not None]
    rest = sorted((line for line in lines if line.ikm is None), key=lambda line: line.unit.name.casefold())
    if sort == "ikm-naik":
        scored.reverse()
    elif sort == "n":
        scored.sort(key=lambda line: -line.n)
    elif sort == "nama":
        scored.sort(key=lambda line: line.unit.name.casefold())
    return scored + rest


def units_q(pemda: Pemda) -> Q:
    """The units a portal lists: active ones (a closed unit's past figures stay on its own page)."""
    return Q(pemda=pemda, active=True)
