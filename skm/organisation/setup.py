"""Create a Pemda with what it needs to start: unit types and the default instrument."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from skm.instrument.setup import create_default_instrument
from skm.organisation.models import Pemda, UnitType
from skm.scoring.elements import ELEMENTS

DEFAULT_UNIT_TYPES = (
    "Perangkat Daerah",
    "Biro",
    "UPT/UPTD",
    "Kecamatan",
    "Kelurahan",
    "Puskesmas",
    "Rumah Sakit",
    "BUMD",
)


@transaction.atomic
def create_pemda(
    *,
    name: str,
    slug: str,
    level: str,
    weight: str = "0.111",
    timezone: str = "Asia/Jakarta",
    order: Sequence[str] = ELEMENTS,
    headers: Mapping[str, str] | None = None,
    profile_labels: Mapping[str, str] | None = None,
    display_precision: int = 2,
) -> Pemda:
    pemda = Pemda.objects.create(
        name=name,
        slug=slug,
        level=level,
        weight=weight,
        timezone=timezone,
        display_precision=display_precision,
    )
    UnitType.objects.bulk_create(
        UnitType(pemda=pemda, name=type_name, position=i)
        for i, type_name in enumerate(DEFAULT_UNIT_TYPES, start=1)
    )
    create_default_instrument(pemda, order=order, headers=headers, profile_labels=profile_labels)
    return pemda
