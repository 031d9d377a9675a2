"""Group commit on PostgreSQL: the answers arriving at one server process are stored together.

Each request thread validates and counts its answer, hands the row to its process's one writer
thread and waits. The writer takes every row waiting at that moment (up to MAX_BATCH) and stores
them, with their rollup increments, in ONE statement — one round trip, one commit, one rollup
update per unit × service × day and per month — and only then wakes the requests with their ids. An answer is
acknowledged only after its commit, as before; a kill -9 loses only unacknowledged answers,
which their senders retry with the same key.

With one request in flight the writer stores it at once (there is no waiting for company);
batches form by themselves under load, while the previous commit is under way. Measured
(bench/serve_load.py, 2 cores): PostgreSQL's CPU per answer fell from ~700 to 220–300 µs.

The statement takes the whole batch as one JSON array, so one prepared statement serves every
batch size; it goes through libpq directly (see `Writer._execute`). Its rollup upserts visit
rollup rows in key order, daily before monthly, so two processes' writers cannot deadlock.
A batch that fails on one bad row (a unit deleted meanwhile) is retried row by row, so only that
answer fails; a lost connection is retried once on a new one (the unique key makes a repeat of an
already committed batch store nothing twice).

Inside a transaction (imports, tests) or with SKM_GROUP_COMMIT=0 the same statement runs on the
caller's connection instead, with a batch of one (`store_here`, called by skm.collection.store).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connections

from skm.collection import integrity
from skm.collection.answer_sql import ALIAS, statement
from skm.collection.store_types import Stored

logger = logging.getLogger(__name__)

MAX_BATCH = 64
STATEMENT_NAME = b"skm_group_commit"
WAIT_SECONDS = 60.0  # a request gives up (HTTP 500, the sender retries) if its row is not stored by then


class _Slot:
    """One answer waiting for the writer: its row ({column: JSON value}) and counters, then what
    became of it (or the error)."""

    __slots__ = ("answer_id", "done", "error", "key", "plan", "row", "verdict")

    def __init__(self, key: tuple[int, str], row: dict[str, Any], plan: integrity.Plan) -> None:
        self.key = key  # (unit id, idempotency key): the answer table's unique key
        self.row = row
        self.plan = plan
        self.done = threading.Lock()
        self.done.acquire()  # released by the writer when the row is stored (or failed)
        self.verdict = integrity.Verdict(True, 0)
        self.answer_id: int | None = None
        self.error: BaseException | None = None


class _Stop:
    pass


_STOP = _Stop()


class Writer:
    """This process's writer thread and its queue."""

    def __init__(self, *, start: bool = True) -> None:
        self.pid = os.getpid()
        self.queue: queue.SimpleQueue[_Slot | _Stop] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._run, name="skm-group-commit", daemon=True)
        self.prepared_on: Any = None  # the libpq connection the statement was prepared on
        self.batches = 0  # statistics for tests and benchmarks
        self.rows = 0
        if start:  # tests queue answers first, to see them stored as one batch
            self.thread.start()

    def store(self, key: str, row: dict[str, Any], plan: integrity.Plan | None = None) -> Stored:
        """Count one answer (`plan`: its flood limits and flags) and, if allowed, store it (`row`:
        column → JSON value, dates and times in ISO 8601). Returns after the commit."""
        slot = _Slot((row["unit_id"], key), row, plan or integrity.Plan.uncounted(row.get("flags", 0)))
        self.queue.put(slot)
        if not slot.done.acquire(timeout=WAIT_SECONDS):
            raise OperationalError(f"jawaban {key} belum tersimpan setelah {WAIT_SECONDS:.0f} detik")
        if slot.error is not None:
            raise slot.error
        return Stored(slot.answer_id, slot.verdict.allowed, slot.verdict.flags)

    def stop(self) -> None:
        self.queue.put(_STOP)
        self.thread.join(timeout=10)

    # --- the writer thread -------------------------------------------------------------------
    def _run(self) -> None:
        connection = connections[ALIAS]
        try:
            while True:
                first = self.queue.get()
                if isinstance(first, _Stop):
                    return
                batch = [first]
                stopping = False
                while len(batch) < MAX_BATCH:
                    try:
                        more = self.queue.get_nowait()
                    except queue.Empty:
                        break
                    if isinstance(more, _Stop):
                        stopping = True
                        break
                    batch.append(more)
                self._flush(batch)
                if stopping:
                    return
        finally:
            connection.close()

    def _flush(self, batch: list[_Slot]) -> None:
        try:
            self._store_all(batch)
        except BaseException as exc:  # a bug, not a database error: fail these, keep serving
            logger.exception("group commit: unexpected error")
            for slot in batch:
                if slot.done.locked():
                    slot.error = exc
        finally:
            for slot in batch:
                if slot.done.locked():
                    slot.done.release()

    def _store_all(self, batch: list[_Slot]) -> None:
        # Every counter of every answer in the batch: one Redis command.
        seen = integrity.count([counter for slot in batch for counter in slot.plan.counters])
        at = 0
        for slot in batch:
            slot.verdict = slot.plan.verdict(seen[at : at + len(slot.plan.counters)])
            at += len(slot.plan.counters)
            slot.row["flags"] = slot.verdict.flags
        batch = [slot for slot in batch if slot.verdict.allowed]  # over a limit: nothing written
        if not batch:
            return
        # The first copy of a key in the batch is written; later copies are "already received".
        first: dict[tuple[int, str], _Slot] = {}
        for slot in batch:
            first.setdefault(slot.key, slot)
        unique = list(first.values())
        try:
            ids = self._execute(unique)
        except (OperationalError, InterfaceError) as exc:
            # Lost connection, deadlock, serialization failure: once more on a new connection.
            logger.warning("group commit: %s; retrying the batch of %d", exc, len(unique))
            connections[ALIAS].close()
            try:
                ids = self._execute(unique)
            except DatabaseError as again:
                for slot in batch:  # one exception object per waiting thread: each raises its own
                    slot.error = type(again)(*again.args)
                    slot.error.__cause__ = again
                return
        except Exception as exc:  # a bad row (DataError, IntegrityError, …)
            ids = {}
            if len(unique) == 1:
                unique[0].error = exc
            else:  # one bad row must not fail the others: row by row
                for slot in unique:
                    try:
                        ids.update(self._execute([slot]))
                    except Exception as alone:  # handed to that answer's request
                        slot.error = alone
        self.batches += 1
        self.rows += len(ids)
        for slot in batch:
            if slot.error is None and first[slot.key] is slot:
                slot.answer_id = ids.get(slot.key)

    def _execute(self, slots: list[_Slot]) -> dict[tuple[int, str], int]:
        """Store these rows: ONE prepared statement through libpq, {(unit id, key): new id}.

        psycopg's cursor (query conversion, dumpers, row makers) cost this thread more CPU than
        the round trip itself; the statement takes one text parameter and returns two columns,
        so libpq's own `PQexecPrepared` (GIL released while PostgreSQL works) is all it needs.
        The connection is the writer's own, in autocommit: the statement commits by itself.
        """
        from psycopg import pq

        connection = connections[ALIAS]
        connection.close_if_unusable_or_obsolete()
        connection.ensure_connection()
        pgconn = connection.connection.pgconn
        batch = json.dumps([slot.row for slot in slots], separators=(",", ":")).encode()
        with connection.wrap_database_errors:
            if self.prepared_on is not pgconn:  # statements belong to one server session
                _check(pgconn, pgconn.prepare(STATEMENT_NAME, statement().encode()), pq.ExecStatus.COMMAND_OK)
                self.prepared_on = pgconn
            result = _check(pgconn, pgconn.exec_prepared(STATEMENT_NAME, [batch]), pq.ExecStatus.TUPLES_OK)
            try:
                return {
                    (int(result.get_value(i, 0)), result.get_value(i, 1).decode()): int(
                        result.get_value(i, 2)
                    )
                    for i in range(result.ntuples)
                }
            finally:
                result.clear()


def store_here(connection: Any, rows: list[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """Store these rows with the group commit's statement on this Django connection, in its
    transaction if it is in one: {(unit id, idempotency key): new id}. Through psycopg's cursor, which opens
    the connection's transaction when Django's atomic block wants one. Not prepared: Django turns
    psycopg's preparing off on its connections (prepare_threshold None), so PostgreSQL plans the
    statement on each call; this path serves transactions and SKM_GROUP_COMMIT=0, not the load."""
    from psycopg import RawCursor

    connection.ensure_connection()
    batch = json.dumps(rows, separators=(",", ":"))
    with connection.wrap_database_errors, RawCursor(connection.connection) as cursor:
        cursor.execute(statement(), [batch])
        return {(int(unit), key): int(answer_id) for unit, key, answer_id in cursor.fetchall()}


def _check(pgconn: Any, result: Any, expected: Any) -> Any:
    """libpq's result if it has the expected status, else psycopg's exception for it (a lost
    connection: OperationalError, which the batch retry knows)."""
    import psycopg
    from psycopg import pq

    if result.status == expected:
        return result
    try:
        if pgconn.status == pq.ConnStatus.BAD:
            raise psycopg.OperationalError(pq.error_message(pgconn).strip())
        raise psycopg.errors.error_from_result(result)
    finally:
        result.clear()


_writer: Writer | None = None
_writer_lock = threading.Lock()


def writer() -> Writer:
    """This process's writer, started on first use (and again in a forked child)."""
    global _writer
    current = _writer
    if current is not None and current.pid == os.getpid() and current.thread.is_alive():
        return current
    with _writer_lock:
        if _writer is None or _writer.pid != os.getpid() or not _writer.thread.is_alive():
            _writer = Writer()
        return _writer


def shutdown() -> None:
    """Stop this process's writer and close its connection (tests, before dropping a database)."""
    global _writer
    with _writer_lock:
        if _writer is not None and _writer.pid == os.getpid():
            _writer.stop()
        _writer = None
