"""When a Pemda's open data must be rebuilt: a period closed (a new snapshot), a period changed,
reopened or deleted (skm.public.tasks.schedule; connected in skm.public.apps). The package holds
closed periods only, besides the running year, so creating an open period changes nothing."""

from __future__ import annotations

from typing import Any

from skm.collection.models import PeriodSnapshot
from skm.organisation.models import Period
from skm.public.tasks import schedule


def snapshot_saved(
    sender: type[PeriodSnapshot], instance: PeriodSnapshot, created: bool, **kwargs: Any
) -> None:
    if created:
        schedule(instance.pemda_id)


def period_saved(sender: type[Period], instance: Period, created: bool, **kwargs: Any) -> None:
    if not created:
        schedule(instance.pemda_id)


def period_deleted(sender: type[Period], instance: Period, **kwargs: Any) -> None:
    if instance.closed_at is not None:
        schedule(instance.pemda_id)
