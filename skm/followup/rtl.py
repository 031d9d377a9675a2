"""RTL — rencana tindak lanjut — and its realisation (SPEC §8, §4 "Priority unsur", §6 BAB III).

For a unit and a closed period: the priority unsur suggested by skm.scoring.priority from the unit's
results for exactly the period's dates, the unsur the admin chooses (with a reason when they differ),
plan items per unsur, and their realisation. Every write is audited in its own transaction.

Realisation, as the page states it:
- an item's realisation is its percentage (0–100); an item not yet realised counts as 0 %;
- a unit's realisation = (Σ realisation of its items) / (number of items); a plan without items
  has none;
- the Pemda's (or a Perangkat Daerah's) mean realisation = (Σ realisation of its units that have
  one) / (number of those units): unweighted, every unit counts once, whatever its number of items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from skm.accounts import audit
from skm.accounts.access import scoped
from skm.accounts.scoping import Action
from skm.followup import evidence
from skm.followup.models import Rtl, RtlItem
from skm.lib.errors import message
from skm.organisation.models import Period, Unit
from skm.results.compute import element_order, unit_result, unsur_labels
from skm.results.present import NRR_PLACES
from skm.scoring.priority import priority_unsur


def suggested_priority(unit: Unit, period: Period) -> list[str]:
    """The priority unsur of the unit's results for exactly the period's dates (lowest NRR first,
    ties with the third included: skm.scoring.priority, on NRRs rounded as the results page shows
    them); empty when the unit has no IKM for the period."""
    score = unit_result(unit, period.start, period.end).score
    if score.ikm is None:
        return []
    return priority_unsur({e: u.nrr for e, u in score.unsur.items()}, places=NRR_PLACES)


def priority_errors(
    chosen: Sequence[str],
    suggested: Sequence[str],
    reason: str,
    order: Sequence[str],
    labels: Mapping[str, str] | None = None,
) -> list[tuple[str, str]]:
    """Why a choice of priority unsur cannot be saved, as (field, message) pairs; empty if it can.
    Fields: ``chosen`` (the unsur) and ``reason``; unsur are named by ``labels`` (the Pemda's)."""
    names = labels or {}

    def named(elements: Iterable[str]) -> str:
        return ", ".join(names.get(e, e) for e in elements) or "–"

    errors = []
    if not chosen:
        errors.append(("chosen", message("rtl_no_priority")))
    unknown = [e for e in chosen if e not in order]
    if unknown:
        text = message("rtl_element_not_chosen", unsur=", ".join(unknown), choices=named(order))
        errors.append(("chosen", text))
    if chosen and sorted(chosen) != sorted(suggested) and not reason.strip():
        errors.append(("reason", message("rtl_reason_required", suggested=named(suggested))))
    return errors


def _in_order(elements: Iterable[str], order: Sequence[str]) -> list[str]:
    wanted = set(elements)
    return [e for e in order if e in wanted]


def _plan_state(rtl: Rtl) -> dict[str, Any]:
    return {"suggested": rtl.suggested, "chosen": rtl.chosen, "reason": rtl.reason}


@transaction.atomic
def create(unit: Unit, period: Period, *, chosen: Sequence[str], reason: str, user: Any) -> Rtl:
    """Start the unit's RTL for a closed period; the suggestion is computed and kept now."""
    if period.closed_at is None:
        raise ValueError(message("rtl_period_open", period=period.display_label))
    if period.pemda_id != unit.pemda_id:
        raise ValueError("period of another Pemda")
    if Rtl.objects.filter(unit=unit, period=period).exists():
        raise ValueError(message("rtl_exists", period=period.display_label))
    order = element_order(unit.pemda)
    suggested = suggested_priority(unit, period)
    reason = reason.strip()
    errors = priority_errors(chosen, suggested, reason, order, unsur_labels(unit.pemda))
    if errors:
        raise ValueError(" ".join(text for _field, text in errors))
    rtl = Rtl.objects.create(
        unit=unit,
        period=period,
        suggested=suggested,
        chosen=_in_order(chosen, order),
        reason=reason if sorted(chosen) != sorted(suggested) else "",
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(
        "rtl.create",
        rtl,
        user=user,
        summary=f"RTL {unit.name} · {period.display_label}: {', '.join(rtl.chosen)}",
        after=_plan_state(rtl),
    )
    return rtl


@transaction.atomic
def set_priority(rtl: Rtl, *, chosen: Sequence[str], reason: str, user: Any) -> Rtl:
    """Change the chosen priority unsur (the suggestion stays as it was computed)."""
    order = element_order(rtl.unit.pemda)
    reason = reason.strip()
    errors = priority_errors(chosen, rtl.suggested, reason, order, unsur_labels(rtl.unit.pemda))
    if errors:
        raise ValueError(" ".join(text for _field, text in errors))
    before = _plan_state(rtl)
    rtl.chosen = _in_order(chosen, order)
    rtl.reason = reason if sorted(chosen) != sorted(rtl.suggested) else ""
    if _plan_state(rtl) == before:
        return rtl
    rtl.save(update_fields=["chosen", "reason", "updated_at"])
    audit.record(
        "rtl.priority",
        rtl,
        user=user,
        summary=f"RTL {rtl.unit.name} · {rtl.period.display_label}: {', '.join(rtl.chosen)}",
        before=before,
        after=_plan_state(rtl),
    )
    return rtl


@dataclass(frozen=True)
class Plan:
    element: str
    action: str
    responsible: str
    target_date: dt.date


@dataclass(frozen=True)
class Realisation:
    percent: int | None
    narrative: str = ""
    link: str = ""


def _item_state(item: RtlItem) -> dict[str, Any]:
    return {
        "element": item.element,
        "action": item.action,
        "responsible": item.responsible,
        "target_date": item.target_date.isoformat(),
        "realisation": item.realisation,
        "narrative": item.narrative,
        "evidence": item.evidence_name,
        "evidence_link": item.evidence_link,
    }


def _check_plan(rtl: Rtl, plan: Plan) -> None:
    if plan.element not in rtl.chosen:
        raise ValueError(message("rtl_element_not_chosen", unsur=plan.element, choices=", ".join(rtl.chosen)))


@transaction.atomic
def add_item(rtl: Rtl, plan: Plan, *, user: Any) -> RtlItem:
    _check_plan(rtl, plan)
    item = RtlItem.objects.create(
        rtl=rtl,
        element=plan.element,
        action=plan.action.strip(),
        responsible=plan.responsible.strip(),
        target_date=plan.target_date,
    )
    audit.record(
        "rtl.item_add",
        item,
        user=user,
        summary=f"RTL {rtl.unit.name}: {plan.element} · {item.action[:120]}",
        after=_item_state(item),
    )
    return item


@transaction.atomic
def change_item(
    item: RtlItem,
    plan: Plan,
    done: Realisation,
    *,
    upload: Any = None,
    kind: evidence.Kind | None = None,
    remove_file: bool = False,
    user: Any,
) -> RtlItem:
    """Save an item's plan and realisation; a new file (already checked: `kind`) replaces the old.

    The realisation's author and time change only when the percentage, narrative or evidence do.
    The old file is deleted from storage after the transaction commits.
    """
    _check_plan(item.rtl, plan)
    if done.percent is not None and not 0 <= done.percent <= 100:
        raise ValueError(message("rtl_realisation_range"))
    before = _item_state(item)
    old_file = item.evidence.name if item.evidence else ""
    item.element = plan.element
    item.action = plan.action.strip()
    item.responsible = plan.responsible.strip()
    item.target_date = plan.target_date
    item.realisation = done.percent
    item.narrative = done.narrative.strip()
    item.evidence_link = done.link.strip()
    if upload is not None and kind is not None:
        item.evidence.name = evidence.store(upload, kind)
        item.evidence_name = (upload.name or "")[-200:]
        item.evidence_type = kind.content_type
    elif remove_file:
        item.evidence.name = ""
        item.evidence_name = item.evidence_type = ""
    after = _item_state(item)
    new_file = item.evidence.name or ""
    if after == before and new_file == old_file:
        return item
    realised = ("realisation", "narrative", "evidence", "evidence_link")
    if any(before[k] != after[k] for k in realised) or new_file != old_file:
        item.realised_by = user if getattr(user, "is_authenticated", False) else None
        item.realised_at = timezone.now()
    item.save()
    if old_file and old_file != new_file:
        transaction.on_commit(lambda: evidence.delete(old_file))
    audit.record(
        "rtl.item_change",
        item,
        user=user,
        summary=f"RTL {item.rtl.unit.name}: {item.element} · {item.realisation if item.realisation is not None else '–'} %",
        before=before,
        after=after,
    )
    return item


# --- Reading: realisation, overview, previous period, overdue ------------------------------


def realisation_of(items: Iterable[RtlItem]) -> Fraction | None:
    """(Σ items' realisation, a blank as 0) / (number of items); None without items."""
    values = [item.realised for item in items]
    return Fraction(sum(values), len(values)) if values else None


def mean_of(values: Iterable[Fraction | None]) -> tuple[Fraction | None, int]:
    """The unweighted mean of the values that exist, and how many there were."""
    present = [v for v in values if v is not None]
    return (sum(present, Fraction(0)) / len(present) if present else None), len(present)


def today_for(unit_or_pemda: Any) -> dt.date:
    pemda = getattr(unit_or_pemda, "pemda", unit_or_pemda)
    return timezone.localtime(timezone.now(), pemda.tz).date()


def is_overdue(item: RtlItem, today: dt.date) -> bool:
    return item.target_date < today and (item.realisation or 0) < 100


def item_rows(
    items: Iterable[RtlItem], labels: dict[str, str], today: dt.date
) -> list[tuple[RtlItem, bool, str]]:
    """What the item tables show: each item, whether it is overdue, and its unsur's name."""
    return [(item, is_overdue(item, today), labels.get(item.element, item.element)) for item in items]


OVERDUE = Q(realisation__isnull=True) | Q(realisation__lt=100)


@dataclass
class UnitRow:
    unit: Unit
    rtl: Rtl | None
    items: list[RtlItem] = field(default_factory=list)
    realisation: Fraction | None = None
    overdue: int = 0
    priority_labels: list[str] = field(default_factory=list)


@dataclass
class GroupMean:
    name: str
    mean: Fraction | None
    counted: int
    units: int


@dataclass
class Overview:
    period: Period | None
    rows: list[UnitRow]
    mean: Fraction | None
    counted: int
    by_pd: list[GroupMean]


def closed_periods(pemda_id: int) -> QuerySet[Period]:
    return Period.objects.filter(pemda_id=pemda_id, closed_at__isnull=False).order_by("-end", "start")


def overview(units: QuerySet[Unit], period: Period | None, today: dt.date) -> Overview:
    """Every unit of `units` with its RTL for `period` (or none), the Pemda mean and the mean per
    Perangkat Daerah: three queries whatever the number of units."""
    unit_list = list(
        units.select_related("perangkat_daerah").order_by(
            "perangkat_daerah__position", "perangkat_daerah__name", "position", "name"
        )
    )
    rtls: dict[int, Rtl] = {}
    if period is not None:
        found = Rtl.objects.filter(period=period, unit__in=[u.pk for u in unit_list]).prefetch_related(
            Prefetch("items", queryset=RtlItem.objects.order_by("target_date", "pk"))
        )
        rtls = {r.unit_id: r for r in found}
    rows = []
    groups: dict[str, list[Fraction | None]] = {}
    group_units: dict[str, int] = {}
    for unit in unit_list:
        rtl = rtls.get(unit.pk)
        items = list(rtl.items.all()) if rtl else []
        row = UnitRow(
            unit,
            rtl,
            items,
            realisation_of(items),
            sum(1 for i in items if is_overdue(i, today)),
        )
        rows.append(row)
        name = unit.perangkat_daerah.name if unit.perangkat_daerah else "–"
        group_units[name] = group_units.get(name, 0) + 1
        if rtl is not None:
            groups.setdefault(name, []).append(row.realisation)
    mean, counted = mean_of(r.realisation for r in rows if r.rtl is not None)
    by_pd = []
    for name, values in groups.items():
        group_mean, group_counted = mean_of(values)
        by_pd.append(GroupMean(name, group_mean, group_counted, group_units[name]))
    return Overview(period, rows, mean, counted, by_pd)


@dataclass(frozen=True)
class PreviousRtl:
    rtl: Rtl
    items: list[tuple[RtlItem, bool, str]]  # item_rows
    realisation: Fraction | None


def previous_rtl(unit: Unit, start: dt.date) -> PreviousRtl | None:
    """The RTL of the unit's latest closed period that ended before `start`, with its items and
    realisation (what "the next period's results show", SPEC §6/§8); two queries."""
    rtl = (
        Rtl.objects.filter(unit=unit, period__closed_at__isnull=False, period__end__lt=start)
        .select_related("period")
        .order_by("-period__end", "-period__start")
        .first()
    )
    if rtl is None:
        return None
    items = list(rtl.items.order_by("target_date", "pk"))
    rows = item_rows(items, unsur_labels(unit.pemda), today_for(unit))
    return PreviousRtl(rtl, rows, realisation_of(items))


def overdue_items(user: Any, today: dt.date, pemda_id: int | None = None) -> QuerySet[RtlItem]:
    """Items the user may see whose target date has passed and that are not fully realised."""
    items = scoped(RtlItem, user, Action.VIEW).filter(OVERDUE, target_date__lt=today)
    if pemda_id is not None:
        items = items.filter(rtl__unit__pemda_id=pemda_id)
    return items.select_related("rtl__unit", "rtl__period").order_by("target_date", "pk")


# How many overdue items the workspace home names (the count covers them all).
OVERDUE_SHOWN = 5


@dataclass(frozen=True)
class OverdueSummary:
    count: int
    items: list[RtlItem]


def overdue_summary(user: Any, pemda: Any) -> OverdueSummary:
    """For the workspace home: how many items in the user's scope are past their target date and
    not fully realised, and the first few of them (one query; a second counts them when there are
    more than are shown)."""
    items = overdue_items(user, today_for(pemda), pemda.pk)
    shown = list(items[:OVERDUE_SHOWN])
    return OverdueSummary(len(shown) if len(shown) < OVERDUE_SHOWN else items.count(), shown)
