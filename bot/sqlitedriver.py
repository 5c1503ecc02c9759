"""aiosqlite connections that go to SQLite's thread once or twice per transaction.

aiosqlite runs every sqlite3 call in the connection's own thread, and each call is a
trip there and back: a queue put, a wake-up of that thread, then ``call_soon_threadsafe``
and a wake-up of the event loop. SQLAlchemy's aiosqlite adapter makes four such trips
for one statement (create a cursor, execute, fetch the rows, close the cursor), and the
event loop pays for each of them (on a busy machine, a context switch or two each),
while the SQLite work itself is a fraction of it.

:class:`Connection` is aiosqlite's connection with other cursors (:class:`OneTripCursor`):

- a statement is executed, its rows fetched and its cursor closed in one call, and the
  rows, description, row count and last row id kept for SQLAlchemy to read (which it
  does at once anyway: the adapter fetches every row after each execute);
- BEGIN is held back and sent with the transaction's first statement, just before it;
- once a BEGIN IMMEDIATE went through, the connection holds SQLite's write lock until
  COMMIT or ROLLBACK: no statement can wait for a lock (WAL readers never wait), so the
  statements in between run in the event loop's thread, as quick as the SQLite work
  itself, with no trip. COMMIT, ROLLBACK, executemany (possibly many rows), BEGIN with
  its first statement and anything outside such a transaction (a checkpoint, which can
  wait for readers) still go to SQLite's thread, so the event loop never waits there
  for a lock or a sync to disk.

A transaction is then two trips (BEGIN with its first statement, COMMIT) plus one per
executemany: a group commit (runner.py) of several updates takes three (the processed
marks are an executemany) instead of a dozen or more per update. The SQL, the
parameters, their order, the transactions and the errors (sqlite3's) are the same.
The sqlite3 connection is opened with ``check_same_thread=False``: it is used by one
thread at a time, since a statement runs here only while no trip is under way
(SQLAlchemy serialises a connection's statements, and a trip keeps ``_busy`` set until
it is done in SQLite's thread, even if its caller was cancelled).
:class:`~bot.db.Database` uses it for ``sqlite+aiosqlite`` URLs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, cast

import aiosqlite

__all__ = ["Connection", "OneTripCursor", "connect"]

# What one trip brings back: description, row count, last row id, rows.
_Outcome = tuple[Any, int, int | None, list[Any]]


def _run(
    connection: sqlite3.Connection, begin: str | None, sql: str, parameters: Any, many: bool
) -> _Outcome:
    """In SQLite's thread: begin (if held back), execute, fetch everything, close."""
    cursor = connection.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor:
    """The cursor SQLAlchemy's aiosqlite adapter gets: at most one trip per execute,
    none for creating, fetching or closing (the rows came back with the execute)."""

    arraysize = 1

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> OneTripCursor:
        # Where aiosqlite's own cursor() would fail (SQLAlchemy turns it into its error).
        if not self._connection._running or not self._connection._connection:
            raise ValueError("Connection closed")
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _run(self, sql: str, parameters: Any, many: bool) -> OneTripCursor:
        outcome = await self._connection.run(sql, parameters, many)
        self.description, self.rowcount, self.lastrowid, self._rows = outcome
        return self

    async def execute(self, sql: str, parameters: Any = None) -> OneTripCursor:
        return await self._run(sql, () if parameters is None else parameters, False)

    async def executemany(self, sql: str, parameters: Any) -> OneTripCursor:
        return await self._run(sql, parameters, True)

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        count = self.arraysize if size is None else size
        taken, self._rows = self._rows[:count], self._rows[count:]
        return taken

    async def fetchall(self) -> Sequence[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []  # the sqlite3 cursor was closed in SQLite's thread already


class Connection(aiosqlite.Connection):
    """aiosqlite's connection, with :class:`OneTripCursor` cursors.

    A BEGIN is held back and sent in the same trip as the transaction's first statement,
    just before it; a transaction that ends with no statement sent never began in SQLite
    either, and its COMMIT or ROLLBACK makes no trip. SQLite sees the same statements in
    the same order, and the lock BEGIN IMMEDIATE takes is still taken before the first
    read; if BEGIN fails (the file stays locked past busy_timeout), that statement fails
    with its error. Then, with the lock held, single statements run without a trip.
    """

    _begin: str | None = None  # a BEGIN held back until the first statement
    # In a transaction begun with BEGIN IMMEDIATE: this connection holds SQLite's write
    # lock, so no statement can wait for a lock (see run).
    _locked = False
    # A statement sent to SQLite's thread and not finished there (its caller may have
    # been cancelled meanwhile): until it is, nothing runs in the event loop's thread.
    _busy = False

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def run(self, sql: str, parameters: Any, many: bool) -> _Outcome:
        """One statement: in one trip to SQLite's thread (with the BEGIN held back), or
        right here while the transaction holds the write lock (see the module's doc)."""
        if not many and not parameters and _is_begin(sql):
            self._begin = sql
            return None, -1, None, []
        if self._locked and not self._busy and not many and self._conn.in_transaction:
            return _run(self._conn, None, sql, parameters, many)
        begin, self._begin = self._begin, None
        self._busy = True
        call = self._execute(self._in_thread, begin, sql, parameters, many)  # type: ignore[no-untyped-call]
        outcome = cast(_Outcome, await call)
        if begin is not None and _takes_write_lock(begin):
            self._locked = True
        return outcome

    def _in_thread(self, begin: str | None, sql: str, parameters: Any, many: bool) -> _Outcome:
        try:
            return _run(self._conn, begin, sql, parameters, many)
        finally:
            self._busy = False

    async def commit(self) -> None:
        self._locked = False
        if self._begin is not None:
            self._begin = None  # nothing was sent: nothing to commit
            return
        await super().commit()

    async def rollback(self) -> None:
        self._locked = False
        if self._begin is not None:
            self._begin = None
            return
        await super().rollback()

    @property
    def in_transaction(self) -> bool:
        # A held-back BEGIN counts: the pool's reset (bot/db.py) then rolls it back,
        # which forgets it, so it can't precede the next user's statements.
        return self._begin is not None or super().in_transaction


def _is_begin(sql: str) -> bool:
    words = sql.split()
    return bool(words) and words[0].upper() == "BEGIN"


def _takes_write_lock(begin: str) -> bool:
    return any(word in begin.upper().split() for word in ("IMMEDIATE", "EXCLUSIVE"))


def connect(database: str, **kwargs: Any) -> Connection:
    """As ``aiosqlite.connect``: ``kwargs`` go to ``sqlite3.connect`` (in SQLite's thread)."""

    def connector() -> sqlite3.Connection:
        # Used from the event loop's thread too, never at the same time (see run).
        options = {**kwargs, "check_same_thread": False}
        return cast(sqlite3.Connection, sqlite3.connect(database, **options))

    connection = Connection(connector, 64)
    # As SQLAlchemy does for its own aiosqlite connections: a connection never closed
    # must not keep the interpreter from exiting.
    connection._thread.daemon = True  # aiosqlite 0.22 (pinned): the thread is an attribute
    return connection
