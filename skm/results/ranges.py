"""Which dates a results page covers: one of the Pemda's periods, a year, or a custom range (SPEC §5).

Every results page, export and endpoint reads its range with :func:`range_from` from the same
query parameters — ``periode=<id>``, ``tahun=<yyyy>``, or ``dari=<yyyy-mm-dd>&sampai=<yyyy-mm-dd>``
— and renders the same chooser (``results/_range_form.html``). Without any, the page shows the
narrowest period running today, else the year so far. Bad input never raises: the page falls back
to the default and says why in the chooser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from skm.lib import dates
from skm.organisation.models import Pemda, Period

# Ranges beyond this many days are refused: ten years is more than any report asks.
LONGEST_DAYS = 3660


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date
    label: str
    period: Period | None = None
    year: int | None = None
    error: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> str:
        """The query string that chooses this range again (for links between pages)."""
        return "&".join(f"{k}={v}" for k, v in self.params.items())

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def format_date(day: dt.date) -> str:
    return dates.format_date(day, "en" if (get_language() or "").startswith("en") else "id")


def today_in(pemda: Pemda) -> dt.date:
    return timezone.localtime(timezone.now(), pemda.tz).date()


def current_periods(pemda: Pemda, today: dt.date | None = None) -> list[Period]:
    """The Pemda's periods running today, narrowest first (a quarter before its semester)."""
    today = today or today_in(pemda)
    periods = [p for p in pemda.period_list if p.start <= today <= p.end]
    return sorted(periods, key=lambda p: ((p.end - p.start).days, p.start))


def _year_range(year: int, today: dt.date) -> DateRange:
    end = min(dt.date(year, 12, 31), today) if year == today.year else dt.date(year, 12, 31)
    label = _("Tahun %(year)s (s.d. %(date)s)") % {"year": year, "date": format_date(end)}
    if end == dt.date(year, 12, 31):
        label = _("Tahun %(year)s") % {"year": year}
    return DateRange(dt.date(year, 1, 1), end, label, year=year, params={"tahun": str(year)})


def period_range(period: Period) -> DateRange:
    return DateRange(
        period.start,
        period.end,
        f"{period.display_label} ({format_date(period.start)} – {format_date(period.end)})",
        period=period,
        year=period.year,
        params={"periode": str(period.pk)},
    )


def default_range(pemda: Pemda, today: dt.date | None = None) -> DateRange:
    today = today or today_in(pemda)
    running = current_periods(pemda, today)
    return period_range(running[0]) if running else _year_range(today.year, today)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def range_from(params: QueryDict | dict[str, Any], pemda: Pemda, today: dt.date | None = None) -> DateRange:
    """The range the query parameters ask for, or the default with an error saying why not."""
    today = today or today_in(pemda)
    period_id = str(params.get("periode", "") or "").strip()
    year_text = str(params.get("tahun", "") or "").strip()
    start_text = str(params.get("dari", "") or "").strip()
    end_text = str(params.get("sampai", "") or "").strip()
    if period_id:
        period = next((p for p in pemda.period_list if str(p.pk) == period_id), None)
        if period is None:
            return _with_error(
                default_range(pemda, today), _("Periode yang dipilih tidak ada untuk Pemda ini.")
            )
        return period_range(period)
    if year_text:
        if not (year_text.isdigit() and 2000 <= int(year_text) <= today.year):
            return _with_error(
                default_range(pemda, today), _("Tahun harus antara 2000 dan %(year)s.") % {"year": today.year}
            )
        return _year_range(int(year_text), today)
    if start_text or end_text:
        start, end = _parse_date(start_text), _parse_date(end_text)
        if start is None or end is None:
            return _with_error(default_range(pemda, today), _("Isi tanggal mulai dan selesai (TTTT-BB-HH)."))
        if end < start:
            return _with_error(
                default_range(pemda, today), _("Tanggal selesai lebih awal dari tanggal mulai.")
            )
        if (end - start).days >= LONGEST_DAYS:
            return _with_error(default_range(pemda, today), _("Rentang paling panjang 10 tahun."))
        label = f"{format_date(start)} – {format_date(end)}"
        return DateRange(start, end, label, params={"dari": start.isoformat(), "sampai": end.isoformat()})
    return default_range(pemda, today)


def _with_error(chosen: DateRange, error: str) -> DateRange:
    return DateRange(chosen.start, chosen.end, chosen.label, chosen.period, chosen.year, error, chosen.params)


def choices(pemda: Pemda, today: dt.date | None = None) -> dict[str, Any]:
    """What the chooser offers: the Pemda's periods (newest year first) and the years with data."""
    today = today or today_in(pemda)
    periods = sorted(pemda.period_list, key=lambda p: (-p.year, p.start, p.kind))
    first = min((p.year for p in periods), default=today.year)
    return {"periods": periods, "years": list(range(today.year, min(first, today.year - 1) - 1, -1))}
