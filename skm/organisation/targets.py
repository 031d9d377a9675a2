"""Which IKM target applies, and whether a figure meets it (SPEC §5 "Targets", issue 24 item 8).

A target (skm.organisation.models.IkmTarget) belongs to the Pemda (no unit) or to one unit, for one
year or for every year (no year). The most specific one applies:

- a unit: its target for the year, else its every-year target, else none. The Pemda's target does
  NOT apply to its units: it is the Pemda's own commitment (an RPJMD/Renstra indicator about the
  Pemda's aggregate IKM), and a hospital and a kelurahan are not held to one figure nobody set for
  them. A Pemda that wants every unit held to a figure sets it per unit (/kelola/target/ does all
  units in one form);
- the Pemda (or a Perangkat Daerah's page, which has no target of its own): the Pemda's target for
  the year, else its every-year target, else none.

The year of a range is the year its last day falls in. "Met" compares the IKM rounded half up to the
Pemda's display precision (the figure people see) with the target, as the workspace home always did.

Pages that list many units load every target of the Pemda for the years they show with one query
(`Targets.load`) and look each unit up in memory; `target_for` is that for one unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Q

from skm.accounts import audit
from skm.accounts.admin_scoping import state_of, summary_of
from skm.organisation.models import IkmTarget, Pemda, Unit
from skm.scoring.rounding import round_half_up

Key = tuple[int | None, int | None]  # (unit id or None for the Pemda, year or None for every year)


@dataclass(frozen=True)
class Targets:
    """The targets of one Pemda for some years (and every year), read with one query."""

    pemda_id: int
    rows: dict[Key, Decimal] = field(default_factory=dict)

    @classmethod
    def load(cls, pemda: Pemda | int, years: Iterable[int]) -> Targets:
        pemda_id = pemda if isinstance(pemda, int) else pemda.pk
        wanted = sorted(set(years))
        found = (
            IkmTarget.objects.filter(pemda_id=pemda_id)
            .filter(_year_q(wanted))
            .values_list("unit_id", "year", "value")
        )
        return cls(pemda_id, {(unit_id, year): value for unit_id, year, value in found})

    def for_unit(self, unit: Unit | int, year: int) -> Decimal | None:
        unit_id = unit if isinstance(unit, int) else unit.pk
        found = self.rows.get((unit_id, year))
        return found if found is not None else self.rows.get((unit_id, None))

    def for_pemda(self, year: int) -> Decimal | None:
        found = self.rows.get((None, year))
        return found if found is not None else self.rows.get((None, None))

    def for_place(self, unit: Unit | int | None, year: int) -> Decimal | None:
        """A unit's target, or the Pemda's when ``unit`` is None."""
        return self.for_pemda(year) if unit is None else self.for_unit(unit, year)


def _year_q(years: list[int]) -> Q:
    return Q(year__isnull=True) | Q(year__in=years)


def target_for(pemda: Pemda | int, unit: Unit | int | None, year: int) -> Decimal | None:
    """The target that applies to ``unit`` (None: the Pemda itself) in ``year`` (one query)."""
    return Targets.load(pemda, [year]).for_place(unit, year)


def targets_for_units(
    pemda: Pemda | int, units: Iterable[Unit | int], year: int
) -> dict[int, Decimal | None]:
    """Each unit's target in ``year``, with one query whatever the number of units."""
    targets = Targets.load(pemda, [year])
    return {(u if isinstance(u, int) else u.pk): targets.for_unit(u, year) for u in units}


def is_met(ikm: Fraction | Decimal | None, target: Decimal | None, places: int) -> bool | None:
    """Whether ``ikm`` as shown (rounded half up to ``places``) reaches ``target``; None when either
    is missing (no IKM yet, or no target)."""
    if ikm is None or target is None:
        return None
    return round_half_up(ikm, places) >= target


def set_targets(pemda: Pemda, wanted: dict[Key, Decimal | None], *, user: Any = None) -> list[IkmTarget]:
    """Make the Pemda's targets at ``wanted``'s keys what it says (None: no target there) and record
    each change in the audit trail. Returns how many targets were added, changed or removed. Keys not in ``wanted``
    are left alone; unit ids must be the Pemda's (the caller's form only offers those)."""
    years = {year for _unit, year in wanted if year is not None}
    changed = 0
    with transaction.atomic():
        stored = {
            (t.unit_id, t.year): t
            for t in IkmTarget.objects.filter(pemda=pemda)
            .filter(_year_q(sorted(years)))
            .order_by()
            .select_for_update()
        }
        for (unit_id, year), value in wanted.items():
            row = stored.get((unit_id, year))
            if value is None:
                if row is not None:
                    audit.record(
                        "target.delete", row, user=user, summary=summary_of(row), before=state_of(row)
                    )
                    row.delete()
                    changed += 1
                continue
            if row is not None and row.value == value:
                continue
            before = state_of(row) if row is not None else None
            if row is None:
                row = IkmTarget(pemda=pemda, unit_id=unit_id, year=year, value=value)
            else:
                row.value = value
            row.full_clean()
            row.save()
            audit.record(
                "target.change" if before else "target.add",
                row,
                user=user,
                summary=summary_of(row),
                before=before,
                after=state_of(row),
            )
            changed += 1
    return changed
