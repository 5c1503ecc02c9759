"""aiosqlite connections whose statements each take one trip to SQLite's thread.

aiosqlite runs every sqlite3 call in the connection's own thread, and each call is a
trip there and back: a queue put, a wake-up of that thread, then ``call_soon_threadsafe``
and a wake-up of the event loop. SQLAlchemy's aiosqlite adapter makes four such trips
for one statement (create a cursor, execute, fetch the rows, close the cursor), and the
event loop pays for each of them, while the SQLite work itself is a fraction of it.

:class:`Connection` is aiosqlite's connection with another :meth:`~Connection.cursor`:
its cursors do all four in one call in SQLite's thread, and keep the rows, the
description, the row count and the last row id for SQLAlchemy to read (which it does
at once anyway: the adapter fetches every row after each execute). The SQL, the
parameters, the transactions and the errors (sqlite3's, raised from that thread) are
the same; only the number of trips changes. :class:`~bot.db.Database` uses it for
``sqlite+aiosqlite`` URLs.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from threading import Thread
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
    """The cursor SQLAlchemy's aiosqlite adapter gets: one trip per execute, none for
    creating, fetching or closing (the rows came back with the execute)."""

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
    with its error.
    """

    _begin: str | None = None  # a BEGIN held back until the first statement

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def run(self, sql: str, parameters: Any, many: bool) -> _Outcome:
        """One statement, in one trip to SQLite's thread (with the BEGIN held back)."""
        if not many and not parameters and _is_begin(sql):
            self._begin = sql
            return None, -1, None, []
        begin, self._begin = self._begin, None
        call = self._execute(_run, self._conn, begin, sql, parameters, many)  # type: ignore[no-untyped-call]
        return cast(_Outcome, await call)

    async def commit(self) -> None:
        if self._begin is not None:
            self._begin = None  # nothing was sent: nothing to commit
            return
        await super().commit()

    async def rollback(self) -> None:
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


def connect(database: str, **kwargs: Any) -> Connection:
    """As ``aiosqlite.connect``: ``kwargs`` go to ``sqlite3.connect`` (in SQLite's thread)."""

    def connector() -> sqlite3.Connection:
        return cast(sqlite3.Connection, sqlite3.connect(database, **kwargs))

    connection = Connection(connector, 64)
    # As SQLAlchemy does for its own aiosqlite connections: a connection never closed
    # must not keep the interpreter from exiting.
    thread = connection if isinstance(connection, Thread) else connection._thread
    thread.daemon = True
    return connection
