"""Keep device and IP hashes only as long as integrity checks need them, and a respondent's
contact only as long as a reply may still come (SPEC §8, privacy): the same retention period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from skm.collection.models import Answer


def purge_hashes(days: int | None = None, *, now: dt.datetime | None = None) -> int:
    """Blank device and IP hashes and the contact of answers older than `days` (setting
    SKM_HASH_RETENTION_DAYS); the number of answers changed. The suggestion itself stays."""
    days = settings.SKM_HASH_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    old = Answer.objects.filter(submitted_at__lt=cutoff).filter(
        ~Q(device_hash="") | ~Q(ip_hash="") | ~Q(contact="")
    )
    return old.update(device_hash="", ip_hash="", contact="")
