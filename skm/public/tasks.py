"""Rebuilding a Pemda's open data package in the background (`skm worker` runs it).

A period that closes or reopens asks for a rebuild once its transaction commits (skm.public.signals);
so does the first request for a package never built (skm.public.views_data). A request made before
the package's last build is already satisfied: the task then does nothing, so the two signals of
one close, or many waiting visitors, cost one build.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from skm.organisation.models import Pemda
from skm.public import opendata
from skm.public.models import OpenData


def rebuild_if_stale(pemda_id: int, requested_at: dt.datetime) -> bool:
    """Build the package unless it was built at or after `requested_at`; True when built."""
    built_at = OpenData.objects.filter(pemda_id=pemda_id).values_list("built_at", flat=True).first()
    if built_at is not None and built_at >= requested_at:
        return False
    pemda = Pemda.objects.filter(pk=pemda_id).first()
    if pemda is None:
        return False  # deleted since
    opendata.build(pemda)
    return True


# Below the default: a report someone is waiting for goes first; the package can wait its turn.
PRIORITY = -10


@task(priority=PRIORITY)
def build_open_data(pemda_id: int, requested_at: str) -> None:
    rebuild_if_stale(pemda_id, dt.datetime.fromisoformat(requested_at))


def schedule(pemda_id: int) -> None:
    """Enqueue a rebuild once the current transaction commits (at once outside one); one per
    Pemda per transaction (a close saves the period and creates its snapshot)."""
    waiting = transaction.get_connection().run_on_commit
    if any(getattr(callback, "opendata_pemda", None) == pemda_id for _sids, callback, *_rest in waiting):
        return

    def enqueue() -> None:
        # Asked for at the commit: a build that began before it could not see what changed.
        build_open_data.enqueue(pemda_id, timezone.now().isoformat())

    enqueue.opendata_pemda = pemda_id  # type: ignore[attr-defined]
    transaction.on_commit(enqueue)
