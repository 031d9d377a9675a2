"""Figures of skm.results.compute shaped for result pages and sheets: the per-unsur rows, the
profile with percentages that add up to 100, the channels and their Metode SKM, answers over time.

Nothing here computes a figure of SPEC §4 itself: NRR, converted values, IKM and bands come from
the scoring core's Score; percentages from skm.scoring.shares.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from skm.collection import spans
from skm.collection.models import Channel, DailyRollup
from skm.instrument.defaults import PROFILE_FIELDS
from skm.lib.dates import MONTHS_EN, MONTHS_ID
from skm.results.metode import Metode, metode_skm
from skm.results.ranges import DateRange
from skm.scoring.bands import Band
from skm.scoring.ikm import Score
from skm.scoring.shares import largest_remainder

NRR_PLACES = 3  # NRR (1–4) on pages: three decimals tell apart what two would round together
WEIGHTED_PLACES = 4  # NRR × weight (about 0.1–0.45)
SHARE_PLACES = 2  # profile percentages
DAILY_UP_TO = 62  # answers over time: per day up to two months, per week up to half a year
WEEKLY_UP_TO = 190


@dataclass(frozen=True)
class UnsurRow:
    element: str
    label: str
    count: int  # answers that gave this unsur a value
    nrr: Fraction | None
    weighted: Fraction | None
    converted: Fraction | None
    band: Band | None


def unsur_rows(score: Score, order: tuple[str, ...], labels: dict[str, str]) -> list[UnsurRow]:
    """One row per unsur in the Pemda's order; an unsur nobody answered has no figures."""
    rows = []
    for element in order:
        unsur = score.unsur.get(element)
        tally = score.tallies.get(element)
        rows.append(
            UnsurRow(
                element,
                labels[element],
                tally.count if tally else 0,
                unsur.nrr if unsur else None,
                unsur.weighted if unsur else None,
                unsur.converted if unsur else None,
                unsur.band if unsur else None,
            )
        )
    return rows


def sorted_rows(rows: list[UnsurRow]) -> list[UnsurRow]:
    """High → low by NRR (ties keep the Pemda's order); unanswered unsur last."""
    answered = [r for r in rows if r.nrr is not None]
    return sorted(answered, key=lambda r: r.nrr or 0, reverse=True) + [r for r in rows if r.nrr is None]


@dataclass(frozen=True)
class ShareRow:
    label: str
    count: int
    share: Decimal


@dataclass(frozen=True)
class ProfileTable:
    key: str
    title: str
    rows: list[ShareRow]


def profile_tables(profile: dict[str, dict[str, int]], n: int) -> list[ProfileTable]:
    """Counts and percentages of every profile question over all n respondents ("not stated" as
    a row of its own when some left it blank), the percentages adding up to exactly 100."""
    tables = []
    for key, title, options in PROFILE_FIELDS:
        counts = {code: int(profile.get(key, {}).get(code, 0)) for code, _label in options}
        blank = max(0, n - sum(counts.values()))
        if blank:
            counts[""] = blank
        shares = largest_remainder(counts, SHARE_PLACES)
        names = {code: str(label) for code, label in options} | {"": _("Tidak diisi")}
        rows = [ShareRow(names[code], count, shares[code]) for code, count in counts.items()]
        tables.append(ProfileTable(key, str(title), rows))
    return tables


@dataclass(frozen=True)
class Channels:
    metode: Metode | None
    rows: list[ShareRow]


def channel_rows(channels: dict[str, int]) -> Channels:
    counts = {code: int(channels.get(code, 0)) for code in Channel.values}
    shares = largest_remainder(counts, SHARE_PLACES)
    rows = [ShareRow(str(Channel(code).label), counts[code], shares[code]) for code in Channel.values]
    return Channels(metode_skm(counts), rows)


def _label(day: dt.date, english: bool, with_year: bool) -> str:
    month = (MONTHS_EN if english else MONTHS_ID)[day.month - 1][:3]
    return f"{month} {day.year}" if with_year else f"{day.day} {month}"


def answers_over_time(filters: dict[str, Any], span: DateRange, english: bool) -> tuple[str, list[Any]]:
    """Answers per day (up to two months), per week (Monday to Sunday, up to half a year) or per
    month of the range, empty ones as 0, in one query; and the chart's title. `filters` choose
    the rollups (skm.collection.spans)."""
    if span.days > WEEKLY_UP_TO or spans.snapshot_for(span.start, span.end) is not None:
        counts = spans.summed(span.start, span.end, by=(spans.MONTH,), columns=("n",), **filters)
        out, month = [], span.start.replace(day=1)
        while month <= span.end:
            out.append((_label(month, english, True), counts.get((month,), {}).get("n", 0)))
            month = spans.next_month(month)
        return _("Jawaban per bulan"), out
    rows = DailyRollup.objects.filter(day__gte=span.start, day__lte=span.end, **filters)
    by_day = {r["day"]: int(r["c"] or 0) for r in rows.values("day").annotate(c=Sum("n")).order_by()}
    if span.days <= DAILY_UP_TO:
        days = [span.start + dt.timedelta(days=i) for i in range(span.days)]
        return _("Jawaban per hari"), [(_label(d, english, False), by_day.get(d, 0)) for d in days]
    week = span.start - dt.timedelta(days=span.start.weekday())
    out = []
    while week <= span.end:
        total = sum(by_day.get(week + dt.timedelta(days=i), 0) for i in range(7))
        out.append((_label(max(week, span.start), english, False), total))
        week += dt.timedelta(days=7)
    return _("Jawaban per minggu (mulai Senin)"), out
