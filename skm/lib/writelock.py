"""One writer at a time across the threads AND processes of a server: for the embedded SQLite.

SQLite lets one transaction write at a time. A second writer that finds the database locked
waits in SQLite's busy handler, which polls with sleeps of up to 100 ms: with two server
processes taking answers, p99 latency reached 0.6–0.9 s (bench/serve_load.py --sqlite, 2 cores),
against 65 ms with one process. Waiting here instead, on a thread lock and then an exclusive
`flock` on a file beside the database, wakes the next writer the moment the lock is free.

The lock file is opened once per process. A forked child starts unlocked with a file of its own
(sharing its parent's open file, it would share that file's lock). Re-entrant within a thread.
An in-memory database, or a system without `fcntl`, gets the thread lock alone.

Waiting threads of one process queue on the thread lock, for at most `timeout` seconds (as
SQLite's busy_timeout): behind a holder that stopped (SIGSTOP, a debugger) they fail with
WriteLockTimeout, their requests get an error and their senders retry, instead of piling up for
ever. The one thread per process that waits on the file waits in `flock` itself, which has no
timeout: polling it instead (LOCK_NB every 0.1–1 ms) was measured unfair — the process that
just released took the lock again before the other one looked, and the p99 wait rose from 14 to
38 ms (2 processes × 8 threads, 0.4 ms writes). The kernel releases the lock of a killed
process, so killing a stuck worker frees the others at once (tested).
"""

from __future__ import annotations

import os
import threading
import weakref
from pathlib import Path
from types import TracebackType

try:
    import fcntl
except ImportError:  # not POSIX: threads are still serialised
    fcntl = None  # type: ignore[assignment]


class WriteLockTimeout(TimeoutError):
    """The write lock was not free within its timeout (as SQLite's "database is locked")."""


class WriteLock:
    """`with WriteLock(database_file):` — this thread alone, and this process alone, writes."""

    def __init__(self, database: Path | str | None, timeout: float = 5.0) -> None:
        self.path = _lock_path(database)
        self.timeout = timeout
        self._reset()
        _ALL.add(self)

    def _reset(self) -> None:
        self._thread = threading.RLock()
        self._depth = 0  # how deep the holding thread has entered (guarded by _thread)
        self._fd = -1

    def __enter__(self) -> WriteLock:
        if not self._thread.acquire(timeout=self.timeout):
            raise WriteLockTimeout(f"the write lock of {self.path} was not free within {self.timeout} s")
        try:
            if self._depth == 0 and self.path is not None and fcntl is not None:
                fcntl.flock(self._file(), fcntl.LOCK_EX)  # until the other process unlocks (or dies)
            self._depth += 1
        except BaseException:
            self._thread.release()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._depth -= 1
            if self._depth == 0 and self._fd >= 0 and fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread.release()

    def _file(self) -> int:
        if self._fd < 0:
            assert self.path is not None
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return self._fd


_ALL: weakref.WeakSet[WriteLock] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    for lock in list(_ALL):
        if lock._fd >= 0:
            os.close(lock._fd)  # the parent's open file: closing our copy leaves its lock alone
        lock._reset()


if fcntl is not None:  # POSIX, where processes fork (Windows has no register_at_fork)
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _lock_path(database: Path | str | None) -> Path | None:
    """The lock file beside a database file; None for an in-memory or URI-named database."""
    if not database:
        return None
    name = str(database)
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    path = Path(name)
    return path.with_name(path.name + ".writer-lock") if path.parent.is_dir() else None
