"""Version tokens in the shared cache, so per-process caches learn when to forget.

A process caches data that rarely changes (published instruments, active units) and reads the
token of that data from Django's cache (Redis in production) at most once per `every` seconds:
a change made anywhere reaches every process within that time, and the process that made it
at once. The submission path thus costs no cache round trip for these lookups.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Hashable

from django.core.cache import cache

logger = logging.getLogger(__name__)


class SharedTokens:
    """Named counters in the shared cache, each re-read locally at most every `every` seconds."""

    def __init__(self, prefix: str, every: float = 1.0) -> None:
        self.prefix = prefix
        self.every = every
        self._local: dict[Hashable, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def _name(self, key: Hashable) -> str:
        return f"skm:{self.prefix}:{key}"

    def get(self, key: Hashable = "") -> int:
        now = time.monotonic()
        seen = self._local.get(key)
        if seen is not None and now - seen[0] < self.every:
            return seen[1]
        try:
            value = int(cache.get(self._name(key), 0))
        except Exception as exc:  # the shared cache is down: keep what we knew, try again later
            logger.error("Cache bersama tidak terjangkau (%s): token %s tetap %s", exc, key, seen)
            value = seen[1] if seen is not None else 0
        with self._lock:
            self._local[key] = (now, value)
        return value

    def bump(self, key: Hashable = "") -> None:
        """Announce a change: every process sees a new token within `every` seconds, this one now."""
        name = self._name(key)
        try:
            try:
                cache.incr(name)
            except ValueError:
                cache.set(name, 1, None)
        except Exception as exc:  # other processes then learn of the change at their restart
            logger.error("Cache bersama tidak terjangkau (%s): perubahan %s tidak diumumkan", exc, name)
        self.forget()

    def forget(self) -> None:
        with self._lock:
            self._local.clear()
