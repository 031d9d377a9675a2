"""Reading the date and time of a questionnaire as spreadsheets write them, in any common order."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable

_TIME_RE = re.compile(
    r"""^\s*(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})
    (?:[T\s,]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d+)?)?
       \s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?
    \s*(?P<tz>Z|(?:GMT|UTC)\s*(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}|WIB|WITA|WIT)?\s*$""",
    re.X | re.I,
)
_NAMED_ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}


def day_first(cells: Iterable[str], *, google_export: bool = False) -> bool:
    """Whether dd/mm/yyyy (Indonesian habit, Google Sheets in Indonesian) rather than m/d/yyyy is meant.

    Decided once per file: a first part above 12 says day first, a second part above 12 says
    month first. Without such a value day first is assumed, except in a Google Forms export
    whose timestamps carry seconds and no zero padding ("3/5/2024 10:12:33"): that is how
    Google's US locale writes them, while its Indonesian locale writes "05/03/2024 10:12:33".
    """
    votes: Counter[str] = Counter()
    padded = unpadded = 0
    for cell in cells:
        m = _TIME_RE.match(cell)
        if not m or len(m.group("a")) == 4:
            continue
        a, b = int(m.group("a")), int(m.group("b"))
        if a > 12 >= b:
            votes["day"] += 1
        elif b > 12 >= a:
            votes["month"] += 1
        small = [part for part in (m.group("a"), m.group("b")) if int(part) < 10]
        if small and m.group("S") is not None:
            if any(part.startswith("0") for part in small):
                padded += 1
            else:
                unpadded += 1
    if votes["day"] != votes["month"]:
        return votes["day"] > votes["month"]
    return not (google_export and unpadded > padded)


def parse_time(text: str, tz: dt.tzinfo, dayfirst: bool = True) -> dt.datetime:
    """A timestamp as written in a spreadsheet, time-zone aware (naive → the Pemda's zone)."""
    m = _TIME_RE.match(text)
    if not m:
        raise ValueError(text)
    a, b, c = m.group("a"), m.group("b"), m.group("c")
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:
        year = int(c) + (2000 if len(c) <= 2 else 0)
        day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
    hour, minute, second = int(m.group("H") or 0), int(m.group("M") or 0), int(m.group("S") or 0)
    ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    zone: dt.tzinfo = tz
    raw_zone = (m.group("tz") or "").upper().replace(" ", "")
    if raw_zone in _NAMED_ZONES:
        zone = dt.timezone(dt.timedelta(hours=_NAMED_ZONES[raw_zone]))
    elif raw_zone in ("Z", "GMT", "UTC"):
        zone = dt.UTC
    elif raw_zone:
        offset = re.search(r"([+-])(\d{1,2})(?::?(\d{2}))?$", raw_zone)
        if not offset:
            raise ValueError(text)
        sign = -1 if offset.group(1) == "-" else 1
        hours, minutes = int(offset.group(2)), int(offset.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise ValueError(text)
        zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
    if year < 2000:
        raise ValueError(text)
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=zone)  # ValueError if impossible


def ambiguous(cells: Iterable[str]) -> bool:
    """Whether any cell writes its date with the day or month first, so `day_first` decided it."""
    return any((m := _TIME_RE.match(c)) and len(m.group("a")) != 4 for c in cells)
