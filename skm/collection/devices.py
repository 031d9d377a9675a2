"""What "a device" is for the flood limits and the integrity flags (SPEC §8), and kiosk tablets.

A client can call itself anything, so nothing a client makes up is believed (issue 21, item 7):

* **A kiosk tablet** is one a unit admin set up at /kelola/kios/. The page there hands the
  tablet a token, ``<tablet id>.<unit id>:<signature>`` (django.core.signing: HMAC-SHA256 under
  SKM_HASH_KEY, salt of its own), which the kiosk page keeps beside its queue and sends with each
  answer. A valid token of an active tablet of the answer's own unit makes the answer channel
  "kiosk", counted as ``kiosk:<id>`` against SKM_RATE_KIOSK. A token that is tampered with,
  revoked or of another unit is ignored: the answer is then an ordinary one (channel "api").
* **Otherwise, a device is an id the server handed out**: the survey page's cookie, the kiosk
  page's config. It is a random id with its signature; only the id is kept (as a keyed hash).
* **Without such an id** (none, made up, tampered) a request is counted as its network address,
  ``ip:<address>``, at the device allowance. A client that invents a new id per request thus
  gains nothing. Honest phones behind one NAT (a Puskesmas wifi, a carrier's NAT) are not
  lumped together: each got its own signed cookie when it opened the survey page, and only
  phones that refuse cookies share the address's device allowance. SKM_RATE_IP, far larger,
  is the limit on the address as a whole.

A client that fetches a fresh page for every answer does get a fresh id each time: the device
limit cannot tell that from a new phone. The per-address limit, the "completed in seconds" and
"identical answers in a burst" flags are what hold such a script (README, Mode kios).

Verification costs no database query: signatures are checked in memory (and remembered per
token text), and revocation is checked against the set of active tablets each process keeps,
reloaded when the shared "kiosk-devices" token changes (skm.lib.tokens: within a second on
every process, at once on the one that issued or revoked) and at least every minute.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from skm.accounts import audit
from skm.collection.models import KioskDevice
from skm.lib.tokens import SharedTokens
from skm.organisation.models import Unit

logger = logging.getLogger(__name__)

DEVICE_SALT = "skm.collection.device-id"
TOKEN_SALT = "skm.collection.kiosk-token"  # noqa: S105 - a salt (a namespace), not a secret
MAX_SIGNED = 200  # longer than anything we sign: not worth an HMAC
ACTIVE_MAX_AGE = 60.0  # seconds: the active set is reloaded at least this often, token or not
SEEN_EVERY = 300.0  # seconds between two writes of one tablet's last_seen_at by one process
_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
_CLAIM = re.compile(r"([1-9][0-9]{0,18})\.([1-9][0-9]{0,18})")


@lru_cache(maxsize=8)
def _signer(key: str, salt: str) -> signing.Signer:
    # fallback_keys=[]: SECRET_KEY_FALLBACKS belong to SECRET_KEY, not to SKM_HASH_KEY.
    return signing.Signer(key=key, salt=salt, fallback_keys=[])


# --- device ids ---------------------------------------------------------------------------------


def new_device_id() -> str:
    """A new device id, signed: what the survey page's cookie and the kiosk page carry."""
    return _signer(settings.HASH_KEY, DEVICE_SALT).sign(secrets.token_urlsafe(16))


def device_id(signed: str) -> str:
    """The id inside a device id the server signed; "" for anything else (made up, tampered)."""
    if not signed or len(signed) > MAX_SIGNED:
        return ""
    return _device_id(signed, settings.HASH_KEY)


@lru_cache(maxsize=4096)  # a device sends many answers; a flood of made-up ids only evicts
def _device_id(signed: str, key: str) -> str:
    try:
        value = _signer(key, DEVICE_SALT).unsign(signed)
    except signing.BadSignature:
        return ""
    return value if _ID.fullmatch(value) else ""


# --- kiosk tablets ------------------------------------------------------------------------------


def token_for(device: KioskDevice) -> str:
    """The tablet's token: its id and its unit's id, signed. Kept by the tablet, never stored here."""
    return _signer(settings.HASH_KEY, TOKEN_SALT).sign(f"{device.pk}.{device.unit_id}")


def tablet(token: str, unit_id: int) -> int | None:
    """The id of the active tablet this token proves, if it was set up for unit `unit_id`.

    None for no token, a tampered one, a revoked tablet's, or another unit's. No database query
    (but see `_active`: one per process when the set of tablets changes).
    """
    if not token or len(token) > MAX_SIGNED:
        return None
    claim = _claim(token, settings.HASH_KEY)
    if claim is None or claim[1] != unit_id:
        return None
    if _active().get(claim[0]) != unit_id:
        return None
    return claim[0]


@lru_cache(maxsize=4096)
def _claim(token: str, key: str) -> tuple[int, int] | None:
    try:
        value = _signer(key, TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    match = _CLAIM.fullmatch(value)
    return (int(match[1]), int(match[2])) if match else None


_TOKENS = SharedTokens("kiosk-devices")
_state: tuple[int, float, dict[int, int]] | None = None  # (shared token, loaded at, {tablet: unit})
_seen: dict[int, float] = {}
_lock = threading.Lock()


def _active() -> dict[int, int]:
    """Active tablets → their unit, as this process last loaded them."""
    global _state
    token = _TOKENS.get()
    now = time.monotonic()
    state = _state
    if state is not None and state[0] == token and now - state[1] < ACTIVE_MAX_AGE:
        return state[2]
    active = dict(KioskDevice.objects.filter(revoked_at__isnull=True).values_list("pk", "unit_id"))
    with _lock:
        _state = (token, now, active)
    return active


def seen(tablet_id: int) -> None:
    """Note that a tablet sent something: one UPDATE per tablet per SEEN_EVERY per process."""
    now = time.monotonic()
    last = _seen.get(tablet_id)
    if last is not None and now - last < SEEN_EVERY:
        return
    _seen[tablet_id] = now
    try:
        KioskDevice.objects.filter(pk=tablet_id).update(last_seen_at=timezone.now())
    except DatabaseError as exc:  # a busy database must not cost the answer itself
        logger.warning("Waktu terakhir tablet %s tidak tercatat: %s", tablet_id, exc)


def issue(unit: Unit, label: str, user: Any) -> tuple[KioskDevice, str]:
    """Set a tablet up for `unit`: a new KioskDevice, audited, and the token the tablet keeps."""
    label = " ".join(label.split())[:80]
    with transaction.atomic():
        if not label:
            label = f"Tablet {KioskDevice.objects.filter(unit=unit).count() + 1}"
        device = KioskDevice.objects.create(
            unit=unit,
            label=label,
            issued_by=user if getattr(user, "is_authenticated", False) else None,
            issued_at=timezone.now(),
        )
        audit.record(
            "kiosk.issue",
            device,
            user=user,
            summary=f"Tablet kios '{label}' dipasang untuk {unit.name}",
            after={"label": label, "unit": unit.slug},
        )
        transaction.on_commit(forget)  # the other processes, once they can see it
    forget()
    return device, token_for(device)


def revoke(device: KioskDevice, user: Any) -> bool:
    """Revoke a tablet: its answers count as an ordinary device's from now on. False if it was."""
    now = timezone.now()
    by = user if getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        changed = KioskDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if not changed:
            return False
        device.revoked_at, device.revoked_by = now, by
        audit.record(
            "kiosk.revoke",
            device,
            user=user,
            summary=f"Tablet kios '{device.label}' dicabut",
            before={"revoked_at": None},
            after={"revoked_at": now.isoformat()},
        )
        transaction.on_commit(forget)
    forget()
    return True


def forget(**_: object) -> None:
    """Announce that the set of tablets changed (also on every save/delete of a KioskDevice)."""
    global _state
    with _lock:
        _state = None
    _TOKENS.bump()


def clear_caches() -> None:
    global _state
    with _lock:
        _state = None
        _seen.clear()
    _TOKENS.forget()
    _device_id.cache_clear()
    _claim.cache_clear()


post_save.connect(forget, sender=KioskDevice, dispatch_uid="skm-kiosk-devices")
post_delete.connect(forget, sender=KioskDevice, dispatch_uid="skm-kiosk-devices-del")
