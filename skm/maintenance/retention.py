"""Keep device and IP hashes only as long as integrity checks need them (SPEC §8, privacy)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from skm.collection.models import Answer


def purge_hashes(days: int | None = None, *, now: dt.datetime | None = None) -> int:
    """Blank device and IP hashes of answers older than `days` (setting SKM_HASH_RETENTION_DAYS)."""
    days = settings.SKM_HASH_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = Answer.objects.filter(submitted_at__lt=cutoff).filter(~Q(device_hash="") | ~Q(ip_hash=""))
    return old.update(device_hash="", ip_hash="")
