"""Demo recaps (issue 24 items 4 and 7): one unit that reports this year by recap instead of
answers, and two years of imported history for a dozen units — each checked and saved the way the
workspace saves them (:mod:`skm.recaps.storing`)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from skm.collection.models import Answer
from skm.organisation.models import Pemda, Period, Unit
from skm.recaps.history import map_priority
from skm.recaps.models import Source
from skm.recaps.storing import (
    Checked,
    EntryRow,
    Extra,
    Placement,
    check_table,
    element_names,
    entry_table,
    instrument_elements,
    period_label,
    save_checked,
)
from skm.scoring.bands import band_for
from skm.scoring.rounding import format_id

HISTORY_UNITS = 12
PRIORITY_TEXTS = ("Kecepatan pelayanan, U3", "Sarana dan prasarana", "waktu dan biaya", "U9")


@dataclass
class DemoRecaps:
    recap_unit: str = ""
    history_rows: int = 0


def _row(rng: random.Random, pemda: Pemda, low: int, high: int, n: int) -> EntryRow:
    """A consistent row: converted values with two decimals, IKM by the Pemda's weight."""
    elements = instrument_elements(pemda)
    converted = [Fraction(rng.randint(low * 100, high * 100), 100) for _ in elements]
    ikm = pemda.weight_enum.fraction * sum(converted)
    band = band_for(ikm, weight=pemda.weight_enum)
    return EntryRow(
        service="",
        values={e: format_id(v, 2) for e, v in zip(elements, converted, strict=True)},
        ikm=format_id(ikm, 2),
        category=f"{band.mutu} ({band.kinerja})",
        n=str(n),
        metode="Manual (kertas)",
    )


def add_recaps(pemda: Pemda, today: dt.date, seed: int = 2026) -> DemoRecaps:
    """The unit without answers this year reports by recap for the Tahunan period; the first
    units get two years of history (annual rows with priority unsur and RTL realisation)."""
    rng = random.Random(f"{seed}-{pemda.slug}")
    done = DemoRecaps()
    units = list(Unit.objects.filter(pemda=pemda).select_related("pemda").order_by("position", "pk"))
    period = Period.objects.filter(pemda=pemda, kind="tahunan", year=today.year).first()
    # Without answers in this year's period (the demo's scarce units get 0-3 answers a year).
    answered = (
        set(
            Answer.objects.filter(pemda=pemda, day__range=(period.start, period.end))
            .values_list("unit_id", flat=True)
            .distinct()
        )
        if period is not None
        else set()
    )
    silent = next((u for u in units if u.pk not in answered), None)
    if silent is not None and period is not None:
        table = entry_table(silent, period_label(period), [_row(rng, pemda, 78, 92, 96)])
        save_checked(
            silent, Placement.of(period), Checked(check_table(pemda, table)), source=Source.ENTRY, user=None
        )
        done.recap_unit = silent.name
    elements, names = instrument_elements(pemda), element_names(pemda)
    # Before the answered years (last year is answered, then closed).
    for year in (today.year - 3, today.year - 2):
        for unit in units[:HISTORY_UNITS]:
            table = entry_table(unit, "Tahunan", [_row(rng, pemda, 70, 90, rng.randint(60, 300))])
            checked = Checked(check_table(pemda, table))
            text = rng.choice(PRIORITY_TEXTS)
            extra = Extra(map_priority(text, elements, names), text, Decimal(rng.randint(40, 100)))
            placement = Placement(None, year, Period.Kind.TAHUNAN.value)
            done.history_rows += len(
                save_checked(unit, placement, checked, source=Source.HISTORY, user=None, extras={1: extra})
            )
    return done
