"""IKM targets for the demo (skm.demo): the Pemda's for every year and a higher one this year, and
a few units' own, so every page shows targets met and not met (issue 24 item 8)."""

from __future__ import annotations

from decimal import Decimal

from skm.organisation.models import IkmTarget, Pemda

# (every year, this year) for the Pemda; then the units' targets, by position in the unit list.
PEMDA_TARGETS = (Decimal("82.00"), Decimal("85.00"))
UNIT_TARGETS = (Decimal("90.00"), Decimal("85.00"), Decimal("80.00"), Decimal("88.50"), Decimal("75.00"))


def add_demo_targets(pemda: Pemda, year: int) -> int:
    """The Pemda's two targets, this year's target of its first units and the every-year target of
    the two after them; returns how many were made."""
    every_year, this_year = PEMDA_TARGETS
    rows = [
        IkmTarget(pemda=pemda, unit=None, year=None, value=every_year),
        IkmTarget(pemda=pemda, unit=None, year=year, value=this_year),
    ]
    units = list(
        pemda.units.order_by("perangkat_daerah__position", "position", "name")[: len(UNIT_TARGETS) + 2]
    )
    for unit, value in zip(units, UNIT_TARGETS, strict=False):
        rows.append(IkmTarget(pemda=pemda, unit=unit, year=year, value=value))
    for unit in units[len(UNIT_TARGETS) :]:
        rows.append(IkmTarget(pemda=pemda, unit=unit, year=None, value=Decimal("84.00")))
    IkmTarget.objects.bulk_create(rows)
    return len(rows)
