"""The one submission pipeline (SPEC §7, §8): every channel ends here.

Validated questionnaire in → flood limits → integrity flags → the answer and its rollups in one
transaction → a receipt, only after commit. The idempotency key is unique in the database, so a
retry (a kiosk resending after a dropped connection, a double click) is answered "already
received" and never stored twice, even when two copies race.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from skm.collection import integrity, rollups
from skm.collection.models import Answer
from skm.collection.validation import Submission


@dataclass(frozen=True)
class Origin:
    """Where a submission came from: kept only as keyed hashes."""

    ip: str = ""
    device: str = ""
    user: Any = None


@dataclass(frozen=True)
class Receipt:
    answer_id: int
    created: bool  # False: this key was already received; nothing new was stored
    flags: int
    submitted_at: dt.datetime


class Throttled(Exception):
    """Too many submissions from one device or network (the limits are settings)."""


def _existing(key: str) -> Receipt | None:
    row = Answer.objects.filter(idempotency_key=key).values_list("pk", "flags", "submitted_at").first()
    return Receipt(row[0], False, row[1], row[2]) if row else None


def submit(submission: Submission, origin: Origin = Origin(), *, now: dt.datetime | None = None) -> Receipt:
    """Store one questionnaire exactly once; return its receipt after the commit."""
    already = _existing(submission.idempotency_key)
    if already is not None:
        return already
    now = now or timezone.now()
    unit = submission.unit
    device_hash = integrity.keyed_hash("device", origin.device)
    ip_hash = integrity.keyed_hash("ip", origin.ip)
    if not integrity.allow(device_hash, ip_hash, submission.channel):
        raise Throttled
    submitted_at = submission.submitted_at or now
    day = timezone.localtime(submitted_at, unit.pemda.tz).date()
    flags = integrity.flags_for(
        unit=unit,
        channel=submission.channel,
        values=submission.values,
        device_hash=device_hash,
        ip=origin.ip,
        duration_seconds=submission.duration_seconds,
        day_key=day.isoformat(),
        answered_at=submitted_at,
    )
    answer = Answer(
        pemda_id=unit.pemda_id,
        unit=unit,
        service=submission.service,
        instrument_version_id=submission.spec.version_id,
        submitted_at=submitted_at,
        day=day,
        channel=submission.channel,
        idempotency_key=submission.idempotency_key,
        extra=submission.extra,
        suggestion=submission.suggestion,
        contact=submission.contact,
        duration_seconds=submission.duration_seconds,
        device_hash=device_hash,
        ip_hash=ip_hash,
        flags=flags,
        entered_by=origin.user if getattr(origin.user, "is_authenticated", False) else None,
        **submission.values,
        **submission.profile,
    )
    try:
        with transaction.atomic():
            answer.save(force_insert=True)
            rollups.apply([answer])
    except IntegrityError:
        # A copy with the same key committed first (two retries racing): that one stands.
        raced = _existing(submission.idempotency_key)
        if raced is None:
            raise
        return raced
    return Receipt(answer.pk, True, flags, submitted_at)
