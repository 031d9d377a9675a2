"""skm.lib.writelock: one writer at a time across processes, as the SQLite answer path needs."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from skm.lib.writelock import WriteLock, WriteLockTimeout

# A second process: takes the lock on this database file, prints when it got it (CLOCK_MONOTONIC
# is shared by every process of the machine).
CHILD = """
import sys, time
from skm.lib.writelock import WriteLock
print("ready", flush=True)
with WriteLock(sys.argv[1]):
    print(time.monotonic(), flush=True)
    if len(sys.argv) > 2:  # hold it
        time.sleep(float(sys.argv[2]))
"""


def other_process_can_lock(path: Path) -> bool:
    """Whether another process could take the lock file's exclusive lock right now."""
    code = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n    sys.exit(1)\n"
    )
    return subprocess.run([sys.executable, "-c", code, str(path)], check=False).returncode == 0


def test_a_second_process_waits_until_the_first_releases(tmp_path):
    database = tmp_path / "skm.sqlite3"
    lock = WriteLock(database)
    assert lock.path == tmp_path / "skm.sqlite3.writer-lock"
    with lock:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(database)], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)  # the child is now blocked in flock
        released = time.monotonic()
    entered = float(child.stdout.readline())
    assert child.wait(timeout=10) == 0
    assert entered >= released


def test_reentry_in_one_thread_keeps_the_lock_until_the_outer_exit(tmp_path):
    lock = WriteLock(tmp_path / "db.sqlite3")
    with lock:
        with lock:
            assert not other_process_can_lock(lock.path)
        assert not other_process_can_lock(lock.path)  # the inner exit did not unlock
    assert other_process_can_lock(lock.path)


def _hold_in_child(lock: WriteLock, queue) -> None:
    with lock:
        queue.put(time.monotonic())


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_a_forked_child_does_not_share_its_parents_lock(tmp_path):
    lock = WriteLock(tmp_path / "db.sqlite3")
    with lock:  # the parent's lock file is open now and inherited by the child
        pass
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    with lock:
        child = ctx.Process(target=_hold_in_child, args=(lock, queue))
        child.start()
        time.sleep(0.5)
        released = time.monotonic()
    child.join(timeout=10)
    assert child.exitcode == 0
    assert queue.get(timeout=5) >= released


@pytest.mark.parametrize("name", [None, "", ":memory:", "file:memorydb_default?mode=memory&cache=shared"])
def test_an_in_memory_database_gets_the_thread_lock_alone(name):
    lock = WriteLock(name)
    assert lock.path is None
    with lock, lock:
        pass


def test_a_database_in_a_missing_directory_gets_no_lock_file(tmp_path):
    assert WriteLock(tmp_path / "nowhere" / "db.sqlite3").path is None
    assert not (tmp_path / "nowhere").exists()


def test_the_lock_file_is_private(tmp_path):
    lock = WriteLock(tmp_path / "db.sqlite3")
    with lock:
        pass
    assert lock.path is not None
    assert os.stat(lock.path).st_mode & 0o077 == 0
    assert fcntl  # POSIX here: the cross-process lock is really in use


def test_behind_a_frozen_holder_threads_time_out_and_a_kill_frees_the_lock_at_once(tmp_path):
    database = tmp_path / "db.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(database), "60"], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        float(child.stdout.readline())  # the child holds the lock now
        child.send_signal(signal.SIGSTOP)  # frozen while holding it
        lock = WriteLock(database, timeout=0.3)
        entered: list[float] = []

        def first_waiter() -> None:  # this process's thread that waits on the file
            with lock:
                entered.append(time.monotonic())

        waiter = threading.Thread(target=first_waiter)
        waiter.start()
        time.sleep(0.2)
        started = time.monotonic()
        with pytest.raises(WriteLockTimeout, match=r"not free within 0\.3 s"):
            lock.__enter__()  # the next thread gives up instead of piling up
        assert 0.3 <= time.monotonic() - started < 5
        assert not entered  # still frozen out
        child.kill()  # the kernel releases a killed process's lock
        killed = time.monotonic()
        waiter.join(timeout=10)
        assert entered and entered[0] - killed < 1.0
        with lock:  # and the failed try left the thread lock free
            assert not other_process_can_lock(lock.path)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def test_a_thread_behind_a_stuck_thread_fails_after_the_timeout(tmp_path):
    lock = WriteLock(tmp_path / "db.sqlite3", timeout=0.2)
    outcome: list[object] = []

    def other() -> None:
        try:
            with lock:
                outcome.append("entered")
        except WriteLockTimeout as exc:
            outcome.append(exc)

    with lock:
        thread = threading.Thread(target=other)
        thread.start()
        thread.join(timeout=5)
    assert len(outcome) == 1 and isinstance(outcome[0], WriteLockTimeout)
    thread = threading.Thread(target=other)  # free again: the next thread enters
    thread.start()
    thread.join(timeout=5)
    assert outcome[1] == "entered"


def test_a_second_process_enters_quickly_after_release(tmp_path):
    """The next writer in another process is woken by the release itself, not by a timer."""
    database = tmp_path / "db.sqlite3"
    lock = WriteLock(database)
    waits = []
    for _ in range(3):
        with lock:
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, str(database)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=Path.cwd(),
            )
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            time.sleep(0.3)
            released = time.monotonic()
        waits.append(float(child.stdout.readline()) - released)
        assert child.wait(timeout=10) == 0
    assert min(waits) < 0.02, waits  # scheduling noise aside
