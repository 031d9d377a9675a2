"""The one submission pipeline (SPEC §7, §8): every channel ends here.

Validated questionnaire in → flood limits → integrity flags → the answer and its rollups in one
transaction → a receipt, only after commit. The idempotency key is unique per unit in the
database, so a retry (a kiosk resending after a dropped connection, a double click) is answered
"already received" and never stored twice, even when two copies race; another questionnaire sent
under a key the unit already used is refused (KeyConflict), never taken for a retry
(skm.collection.keys).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.utils import timezone

from skm.collection import integrity, keys, store
from skm.collection.models import Answer
from skm.collection.validation import Submission


@dataclass(frozen=True)
class Origin:
    """Where a submission came from: kept only as keyed hashes.

    The channel fills it with what it verified (skm.collection.devices): `device` is an id the
    server handed out, never one a client made up; `tablet` a set-up kiosk tablet of the
    submission's own unit, whose token was checked.
    """

    ip: str = ""
    device: str = ""
    user: Any = None
    tablet: int | None = None

    @property
    def device_key(self) -> str:
        """What the device limit and the device flags count (SPEC §8; skm.collection.devices).

        Without a tablet or a device id, the address: an id made up per request cannot escape the
        device limit, and phones behind one NAT have their own ids (the survey page's cookie).
        Answers typed in by staff have neither and count no device.
        """
        if self.tablet is not None:
            return f"kiosk:{self.tablet}"
        if self.device:
            return self.device
        return f"ip:{self.ip}" if self.ip else ""


@dataclass(frozen=True)
class Receipt:
    answer_id: int
    created: bool  # False: this key was already received; nothing new was stored
    flags: int
    submitted_at: dt.datetime


class Throttled(Exception):
    """Too many submissions from one device or network (the limits are settings)."""


class KeyConflict(Exception):
    """The unit already holds another questionnaire under this idempotency key (HTTP 409)."""

    def __init__(self, key: str, answer_id: int) -> None:
        super().__init__(key, answer_id)
        self.key = key
        self.answer_id = answer_id  # the stored answer, of the same unit


def _existing(values: dict[str, Any], *, with_time: bool) -> Receipt | None:
    """The receipt of the answer this unit already holds under this key, if it is the same
    questionnaire; KeyConflict if it is another one; None if there is none (any more)."""
    row = (
        Answer.objects.filter(unit_id=values["unit_id"], idempotency_key=values["idempotency_key"])
        .values("pk", "flags", "submitted_at", *keys.CONTENT_COLUMNS)
        .first()
    )
    if row is None:
        return None
    if not keys.same_content(row, values, with_time=with_time):
        raise KeyConflict(values["idempotency_key"], row["pk"])
    return Receipt(row["pk"], False, row["flags"], row["submitted_at"])


def submit(
    submission: Submission,
    origin: Origin = Origin(),
    *,
    now: dt.datetime | None = None,
    networks: tuple[Any, ...] | None = None,
) -> Receipt:
    """Store one questionnaire exactly once; return its receipt after the commit.

    A key this unit already used: the first answer's receipt (created False) when this is the
    same questionnaire again, KeyConflict when it is another one.

    No query before the write: the insert itself tells whether the key was new (a retry finds
    its first copy afterwards). `networks`: the unit's parsed office ranges when the caller has
    them cached (skm.organisation.lookup).
    """
    now = now or timezone.now()
    unit = submission.unit
    device_hash = integrity.keyed_hash("device", origin.device_key)
    ip_hash = integrity.keyed_hash("ip", origin.ip)
    submitted_at = submission.submitted_at or now
    day = timezone.localtime(submitted_at, unit.pemda.tz).date()
    plan = integrity.plan(
        unit=unit,
        channel=submission.channel,
        values=submission.values,
        device_hash=device_hash,
        ip_hash=ip_hash,
        ip=origin.ip,
        duration_seconds=submission.duration_seconds,
        day_key=day.isoformat(),
        answered_at=submitted_at,
        networks=networks,
    )
    user = origin.user if getattr(origin.user, "is_authenticated", False) else None
    values = store.answer_values(
        pemda_id=unit.pemda_id,
        unit_id=unit.pk,
        service_id=submission.service.pk if submission.service else None,
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
        flags=0,  # the counts decide (store.insert_answer)
        entered_by_id=user.pk if user is not None else None,
        created_at=now,
        **submission.values,
        **submission.profile,
    )
    stored = store.insert_answer(values, plan)
    with_time = submission.submitted_at is not None  # the server's clock differs on each try
    if not stored.allowed:
        # A retry of something already received is answered as such, even from a flooder.
        already = _existing(values, with_time=with_time)
        if already is not None:
            return already
        raise Throttled
    if stored.answer_id is None:
        # This key was stored before (a retry, or two copies racing): the first one stands.
        already = _existing(values, with_time=with_time)
        if already is None:  # deleted by an admin between the two statements: say so plainly
            raise IntegrityError(f"answer {submission.idempotency_key} vanished while being received")
        return already
    return Receipt(stored.answer_id, True, stored.flags, submitted_at)
