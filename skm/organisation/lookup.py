"""Active units by their link code (slug), cached per process for the submission path.

Every answer names its unit; looking it up, its Pemda and its services costs two queries, so a
process keeps what it looked up until the shared "units" token changes. Saving or deleting a
Pemda, unit or service bumps the token (signals below): the change reaches every process within
a second (skm.lib.tokens), the process that made it at once.
"""

from __future__ import annotations

import ipaddress
import threading
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from skm.lib.tokens import SharedTokens
from skm.organisation.models import Layanan, Pemda, Unit

_TOKENS = SharedTokens("units-token")
_MAX = 20_000  # entries per process; far above any Pemda's unit count


@dataclass(frozen=True)
class ActiveUnit:
    unit: Unit  # with .pemda loaded; shared between threads, read only
    services: tuple[Layanan, ...]  # its active services
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]


_cache: dict[str, tuple[int, ActiveUnit | None]] = {}
_lock = threading.Lock()


def active_unit(slug: str) -> ActiveUnit | None:
    """The active unit with this slug (None: no such active unit), from the process cache."""
    token = _TOKENS.get()
    hit = _cache.get(slug)
    if hit is not None and hit[0] == token:
        return hit[1]
    unit = Unit.objects.select_related("pemda").filter(slug=slug, active=True).first()
    found = None
    if unit is not None:
        services = tuple(unit.services.filter(active=True).order_by("position", "name"))
        try:
            networks = tuple(unit.networks())
        except ValueError:
            networks = ()
        found = ActiveUnit(unit, services, networks)
    with _lock:
        if len(_cache) >= _MAX:
            _cache.clear()
        _cache[slug] = (token, found)
    return found


def forget(**_: object) -> None:
    """Announce that units changed (connected to every save/delete of Pemda, Unit, Layanan)."""
    with _lock:
        _cache.clear()
    _TOKENS.bump()


def clear_caches() -> None:
    with _lock:
        _cache.clear()
    _TOKENS.forget()


for _model in (Pemda, Unit, Layanan):
    post_save.connect(forget, sender=_model, dispatch_uid=f"skm-units-{_model.__name__}")
    post_delete.connect(forget, sender=_model, dispatch_uid=f"skm-units-del-{_model.__name__}")
