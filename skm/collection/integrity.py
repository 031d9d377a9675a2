"""Answer integrity (SPEC §8): keyed hashes, flood limits and the flags computed on arrival.

Counters live in Django's cache (local memory by default, Redis in production), so neither
limits nor flags cost a database query on the submission path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import os
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from skm.collection.models import Channel
from skm.organisation.models import Unit

logger = logging.getLogger(__name__)

FLAG_DEVICE_REPEAT = 1
FLAG_IDENTICAL_BURST = 2
FLAG_FAST = 4
FLAG_UNIT_NETWORK = 8

FLAG_LABELS: dict[int, Promise] = {
    FLAG_DEVICE_REPEAT: _("banyak jawaban dari satu perangkat"),
    FLAG_IDENTICAL_BURST: _("jawaban identik beruntun"),
    FLAG_FAST: _("diisi dalam hitungan detik"),
    FLAG_UNIT_NETWORK: _("dari jaringan kantor unit sendiri"),
}

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def flag_labels(flags: int) -> list[str]:
    """The flags set in `flags`, in words of the active language."""
    return [str(label) for bit, label in FLAG_LABELS.items() if flags & bit]


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of a device id or IP address: kept instead of the value itself."""
    if not value:
        return ""
    return hmac.digest(settings.HASH_KEY.encode(), f"{kind}:{value}".encode(), "sha256").hex()


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """'20/h' → 20 per hour; '0/h' switches the limit off (parsed once per text)."""
        return _parse_rate(text)


@lru_cache(maxsize=64)  # the limits are settings: a handful of texts, read on every answer
def _parse_rate(text: str) -> Rate:
    try:
        count, period = text.strip().split("/")
        return Rate(int(count), _PERIODS[period.strip().lower()[0]])
    except (ValueError, KeyError, IndexError):
        raise ImproperlyConfigured(
            f"Batas laju '{text}' tidak sah; tulis seperti 20/h, 5/m, 200/d."
        ) from None


@dataclass(frozen=True)
class Counter:
    """One fixed-window counter: `key` in the window number `bucket` of `seconds` seconds."""

    key: str
    seconds: int
    bucket: int

    @classmethod
    def now(cls, key: str, seconds: int) -> Counter:
        return cls(key, seconds, int(time.time() // seconds))


def count(counters: list[Counter]) -> list[int]:
    """Add one to each counter and return their new values — one round trip on Redis.

    When Redis cannot be reached the answer is still taken: every counter reads 0 (no limit, no
    flag) and the outage is logged. Losing respondents' answers would cost more than an hour
    without flood limits.
    """
    if not counters:
        return []
    names = [f"skm:{c.key}:{c.bucket}" for c in counters]
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        from redis.exceptions import RedisError

        keys = [backend.make_key(name) for name in names]
        try:
            return [int(v) for v in _incr_script(backend, keys, [c.seconds + 5 for c in counters])]
        except RedisError as exc:
            logger.error("Redis tidak terjangkau; batas laju dan penanda dilewati: %s", exc)
            return [0] * len(counters)
    return [_count_local(name, c.seconds) for name, c in zip(names, counters, strict=True)]


# INCR each key (a missing one starts at 1) and give a new key its window's lifetime: one Redis
# command for all the counters of an answer (a pipeline of INCR + EXPIRE costs twice the CPU).
_INCR_LUA = """
local out = {}
for i, key in ipairs(KEYS) do
  local value = redis.call('INCR', key)
  if value == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  out[i] = value
end
return out
"""
_INCR_SHA = hashlib.sha1(_INCR_LUA.encode()).hexdigest()  # noqa: S324 - Redis names scripts by SHA-1


def _incr_script(backend: RedisCache, keys: list[str], ttls: list[int]) -> list[Any]:
    from redis.exceptions import ConnectionError, RedisError

    connection = _connection(backend)
    try:
        return _eval(connection, keys, ttls)
    except ConnectionError:  # Redis restarted, or dropped an idle connection: once more, afresh
        connection.disconnect()
        return _eval(connection, keys, ttls)
    except RedisError:
        connection.disconnect()
        raise


def _eval(connection: Any, keys: list[str], ttls: list[int]) -> list[Any]:
    from redis.exceptions import NoScriptError

    try:
        return _call(connection, "EVALSHA", _INCR_SHA, len(keys), *keys, *ttls)
    except NoScriptError:  # first use on this Redis server (or after a restart): send the script
        return _call(connection, "EVAL", _INCR_LUA, len(keys), *keys, *ttls)


def _call(connection: Any, *args: Any) -> Any:
    connection.send_packed_command(connection.pack_command(*args))
    return connection.read_response()


_clients: dict[str, Any] = {}
_local = threading.local()


def _redis(backend: RedisCache) -> Any:
    """One Redis client per process and server (Django builds a new client object per call,
    which costs more than the round trip itself); it is thread-safe over its connection pool."""
    location = backend._servers[0]
    client = _clients.get(location)
    if client is None:
        client = _clients[location] = backend._cache.get_client(write=True)
    return client


def _connection(backend: RedisCache) -> Any:
    """This thread's own connection to the server, made by the client's pool (same address,
    database, password, TLS and timeouts) but used without the client: redis-py's client layer
    (retries, borrowing from the pool) cost the group-commit writer twice the round trip's CPU.
    One per thread, so nothing is shared between threads; a forked process makes its own."""
    key = (backend._servers[0], os.getpid())
    connections: dict[tuple[str, int], Any] = _local.__dict__.setdefault("connections", {})
    connection = connections.get(key)
    if connection is None:
        connection = connections[key] = _redis(backend).connection_pool.make_connection()
    return connection


def _count_local(name: str, seconds: int) -> int:
    if cache.add(name, 1, seconds + 5):
        return 1
    try:
        return int(cache.incr(name))
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds + 5)
        return 1


@dataclass(frozen=True)
class Verdict:
    allowed: bool  # False: over a flood limit (device or network)
    flags: int


@dataclass(frozen=True)
class Plan:
    """What an arriving answer counts (its counters) and how the counts decide (see `verdict`).

    Split from `check` so that the group commit (skm.collection.group_commit) can count the
    answers of a whole batch in one Redis command.
    """

    counters: list[Counter]
    limits: list[int]  # of the first len(limits) counters
    repeat_at: int  # index of the device-repeat counter, or -1
    burst_at: int  # index of the identical-burst counter, or -1
    flags: int  # the flags that need no counting (fast, unit network)

    @classmethod
    def uncounted(cls, flags: int = 0) -> Plan:
        """Nothing to count: always allowed, with these flags."""
        return cls([], [], -1, -1, flags)

    def verdict(self, seen: list[int]) -> Verdict:
        allowed = all(value <= limit for value, limit in zip(seen, self.limits, strict=False))
        flags = self.flags
        if self.repeat_at >= 0 and seen[self.repeat_at] > settings.SKM_FLAG_DEVICE_REPEAT:
            flags |= FLAG_DEVICE_REPEAT
        if self.burst_at >= 0 and seen[self.burst_at] >= settings.SKM_FLAG_BURST_COUNT:
            flags |= FLAG_IDENTICAL_BURST
        return Verdict(allowed, flags)


def plan(
    *,
    unit: Unit,
    channel: str,
    values: dict[str, int | None],
    device_hash: str,
    ip_hash: str,
    ip: str,
    duration_seconds: int | None,
    day_key: str,
    answered_at: dt.datetime | None = None,
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] | None = None,
) -> Plan:
    """Flood limits and integrity flags of one arriving answer (SPEC §8): its counters, and the
    flags it earns without counting. `plan(...).verdict(count(plan(...).counters))` decides."""
    counters: list[Counter] = []
    limits: list[int] = []
    # `device_hash` is the keyed hash of Origin.device_key, and `channel` is "kiosk" only for a
    # tablet whose token was verified (skm.collection.devices): declaring "kiosk", or sending a
    # new made-up device id with every answer, gets a client no larger allowance.
    if device_hash:
        rate = Rate.parse(settings.SKM_RATE_KIOSK if channel == Channel.KIOSK else settings.SKM_RATE_DEVICE)
        if rate.count:
            counters.append(Counter.now(f"rate:dev:{device_hash}", rate.seconds))
            limits.append(rate.count)
    if ip_hash:
        rate = Rate.parse(settings.SKM_RATE_IP)
        if rate.count:
            counters.append(Counter.now(f"rate:ip:{ip_hash}", rate.seconds))
            limits.append(rate.count)
    repeat_at = burst_at = -1
    if device_hash and channel not in (Channel.KIOSK, Channel.MANUAL, Channel.IMPORT):
        # A phone answering for the same unit again and again on one day.
        repeat_at = len(counters)
        counters.append(Counter.now(f"flag:dev:{device_hash}:{unit.pk}:{day_key}", 86400))
    if channel not in (Channel.MANUAL, Channel.IMPORT) and all(v is not None for v in values.values()):
        signature = "".join(str(values[k]) for k in sorted(values))
        # Bucketed by when the answers were GIVEN: a kiosk draining its queue after an outage
        # delivers hours of honest identical answers within seconds.
        window = settings.SKM_FLAG_BURST_SECONDS
        moment = answered_at.timestamp() if answered_at else time.time()
        burst_at = len(counters)
        counters.append(Counter(f"flag:same:{unit.pk}:{signature}", window, int(moment // window)))
    flags = 0
    if (
        duration_seconds is not None
        and channel in (Channel.ONLINE, Channel.KIOSK, Channel.API)
        and duration_seconds < settings.SKM_FLAG_FAST_SECONDS
    ):
        flags |= FLAG_FAST
    # The counter tablet (kiosk) is meant to be on the unit's own network.
    if channel != Channel.KIOSK and ip and (in_networks(ip, unit) if networks is None else _in(ip, networks)):
        flags |= FLAG_UNIT_NETWORK
    return Plan(counters, limits, repeat_at, burst_at, flags)


def _in(ip: str, networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in networks)


def in_networks(ip: str, unit: Unit) -> bool:
    if not ip or not unit.network_ranges:
        return False
    try:
        return _in(ip, tuple(unit.networks()))
    except ValueError:
        return False
