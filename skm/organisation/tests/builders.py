"""Builders for IKM targets in tests (skm.organisation.targets)."""

from __future__ import annotations

from decimal import Decimal

from skm.organisation.models import IkmTarget, Pemda


def every_unit_has_a_target(pemda: Pemda, value: str = "80.00") -> None:
    """Every unit of the Pemda gets a target (alternately for every year and for a few years), and
    the Pemda one for every year; units that have one keep it, so calling it again is harmless."""
    IkmTarget.objects.get_or_create(pemda=pemda, unit=None, year=None, defaults={"value": Decimal(value)})
    for i, unit in enumerate(pemda.units.order_by("pk")):
        if unit.ikm_targets.exists():
            continue
        years = [None] if i % 2 == 0 else list(range(2024, 2031))
        IkmTarget.objects.bulk_create(
            IkmTarget(pemda=pemda, unit=unit, year=year, value=Decimal(value)) for year in years
        )
