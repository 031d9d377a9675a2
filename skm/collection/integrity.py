"""Answer integrity (SPEC §8): keyed hashes, flood limits and the flags computed on arrival.

Counters live in Django's cache (local memory by default, Redis in production), so neither
limits nor flags cost a database query on the submission path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from skm.collection.models import Channel
from skm.organisation.models import Unit

FLAG_DEVICE_REPEAT = 1
FLAG_IDENTICAL_BURST = 2
FLAG_FAST = 4
FLAG_UNIT_NETWORK = 8

FLAG_LABELS: dict[int, tuple[str, str]] = {
    FLAG_DEVICE_REPEAT: ("banyak jawaban dari satu perangkat", "many answers from one device"),
    FLAG_IDENTICAL_BURST: ("jawaban identik beruntun", "identical answers in a burst"),
    FLAG_FAST: ("diisi dalam hitungan detik", "completed in seconds"),
    FLAG_UNIT_NETWORK: ("dari jaringan kantor unit sendiri", "from the unit's own network"),
}

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def flag_labels(flags: int, language: str = "id") -> list[str]:
    return [labels[1 if language == "en" else 0] for bit, labels in FLAG_LABELS.items() if flags & bit]


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of a device id or IP address: kept instead of the value itself."""
    if not value:
        return ""
    key = settings.HASH_KEY.encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'20/h' → 20 per hour; '0/h' switches the limit off."""
        try:
            count, period = text.strip().split("/")
            return cls(int(count), _PERIODS[period.strip().lower()[0]])
        except (ValueError, KeyError, IndexError):
            raise ImproperlyConfigured(
                f"Batas laju '{text}' tidak sah; tulis seperti 20/h, 5/m, 200/d."
            ) from None


def _count(key: str, seconds: int) -> int:
    """Add one to a fixed-window counter and return its value."""
    return _count_at(key, seconds, int(time.time() // seconds))


def _count_at(key: str, seconds: int, bucket: int) -> int:
    name = f"skm:{key}:{bucket}"
    if cache.add(name, 1, seconds + 5):
        return 1
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds + 5)
        return 1


def allow(device_hash: str, ip_hash: str, channel: str) -> bool:
    """False when this device or network has sent more than its configured share."""
    checks = []
    if device_hash:
        rate = Rate.parse(settings.SKM_RATE_KIOSK if channel == Channel.KIOSK else settings.SKM_RATE_DEVICE)
        checks.append((f"rate:dev:{device_hash}", rate))
    if ip_hash:
        checks.append((f"rate:ip:{ip_hash}", Rate.parse(settings.SKM_RATE_IP)))
    ok = True
    for key, rate in checks:
        if rate.count and _count(key, rate.seconds) > rate.count:
            ok = False
    return ok


def in_networks(ip: str, unit: Unit) -> bool:
    if not ip or not unit.network_ranges:
        return False
    try:
        address = ipaddress.ip_address(ip)
        return any(address in network for network in unit.networks())
    except ValueError:
        return False


def flags_for(
    *,
    unit: Unit,
    channel: str,
    values: dict[str, int | None],
    device_hash: str,
    ip: str,
    duration_seconds: int | None,
    day_key: str,
    answered_at: dt.datetime | None = None,
) -> int:
    """The integrity flags of one arriving answer (SPEC §8)."""
    flags = 0
    if device_hash and channel not in (Channel.KIOSK, Channel.MANUAL, Channel.IMPORT):
        # A phone answering for the same unit again and again on one day.
        seen = _count(f"flag:dev:{device_hash}:{unit.pk}:{day_key}", 86400)
        if seen > settings.SKM_FLAG_DEVICE_REPEAT:
            flags |= FLAG_DEVICE_REPEAT
    if channel not in (Channel.MANUAL, Channel.IMPORT) and all(v is not None for v in values.values()):
        signature = "".join(str(values[k]) for k in sorted(values))
        # Bucketed by when the answers were GIVEN: a kiosk draining its queue after an outage
        # delivers hours of honest identical answers within seconds.
        window = settings.SKM_FLAG_BURST_SECONDS
        moment = answered_at.timestamp() if answered_at else time.time()
        burst = _count_at(f"flag:same:{unit.pk}:{signature}", window, int(moment // window))
        if burst >= settings.SKM_FLAG_BURST_COUNT:
            flags |= FLAG_IDENTICAL_BURST
    if (
        duration_seconds is not None
        and channel in (Channel.ONLINE, Channel.KIOSK, Channel.API)
        and duration_seconds < settings.SKM_FLAG_FAST_SECONDS
    ):
        flags |= FLAG_FAST
    if channel != Channel.KIOSK and in_networks(ip, unit):  # the counter tablet is meant to be there
        flags |= FLAG_UNIT_NETWORK
    return flags
