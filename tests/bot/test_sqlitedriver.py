"""SQLite connections whose statements take one trip to SQLite's thread (bot/sqlitedriver.py):
the same results and errors as aiosqlite's own cursors, in fewer trips."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from bot import sqlitedriver
from bot.db import Database, migrate
from bot.models import InboundUpdate, Worker, utcnow


@pytest.fixture
async def sqlite_database(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'driver.sqlite3'}"
    await migrate(url)
    database = Database(url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The calls made in SQLite's thread from now on, by name."""
    made: list[str] = []
    execute = sqlitedriver.Connection._execute

    async def counting(self: sqlitedriver.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(getattr(fn, "__name__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(sqlitedriver.Connection, "_execute", counting)
    return made


def _worker_row(user_id: int) -> dict[str, Any]:
    now = utcnow()
    return {"telegram_user_id": user_id, "language": "km", "first_seen": now, "last_seen": now}


async def test_the_database_connects_sqlite_through_the_driver(
    sqlite_database: Database,
) -> None:
    async with sqlite_database.transaction() as session:
        connection = await session.connection()
        raw = await connection.get_raw_connection()
        assert isinstance(raw.driver_connection, sqlitedriver.Connection)


async def test_a_transaction_takes_two_trips(sqlite_database: Database, trips: list[str]) -> None:
    """BEGIN IMMEDIATE goes with the first statement; while the write lock is held the
    statements run in the event loop's thread (executemany still goes to SQLite's)."""
    workers = Worker.__table__
    async with sqlite_database.transaction() as session:
        await session.execute(sa.text("SELECT 1"))  # connects
    trips.clear()
    async with sqlite_database.transaction() as session:
        await session.execute(sa.insert(workers), [_worker_row(1), _worker_row(2)])
        ids = (await session.execute(sa.select(workers.c.id).order_by(workers.c.id))).all()
        updated = await session.execute(
            sa.update(workers).where(workers.c.telegram_user_id == 2).values(language="en")
        )
        await session.execute(sa.insert(workers), [_worker_row(3), _worker_row(4)])
        assert trips == [
            "_in_thread",
            "_in_thread",
        ]  # BEGIN with the first executemany; the second
        assert len(ids) == 2
        assert updated.rowcount == 1
    assert trips == ["_in_thread", "_in_thread", "commit"]
    async with sqlite_database.transaction() as session:
        count = await session.scalar(sa.select(sa.func.count()).select_from(Worker))
        assert count == 4


async def test_without_the_write_lock_every_statement_goes_to_sqlites_thread(
    tmp_path: Path, trips: list[str]
) -> None:
    connection = await sqlitedriver.connect(str(tmp_path / "plain.sqlite3"))
    try:
        await connection.run("CREATE TABLE t (x INTEGER)", (), False)
        await connection.run("BEGIN", (), False)  # deferred: the lock comes later, or not
        await connection.run("SELECT 1", (), False)
        await connection.run("INSERT INTO t VALUES (?)", (1,), False)
        await connection.commit()
        assert trips.count("_in_thread") == 3
        trips.clear()
        await connection.run("BEGIN IMMEDIATE", (), False)
        await connection.run("INSERT INTO t VALUES (?)", (2,), False)
        outcome = await connection.run("SELECT x FROM t ORDER BY x", (), False)
        assert outcome[3] == [(1,), (2,)]
        await connection.rollback()
        assert trips == ["_in_thread", "rollback"]
        trips.clear()
        outcome = await connection.run("SELECT count(*) FROM t", (), False)  # autocommit
        assert outcome[3] == [(1,)]
        assert trips == ["_in_thread"]
    finally:
        await connection.close()


async def test_rows_row_counts_and_ids_are_those_of_sqlite(sqlite_database: Database) -> None:
    workers = Worker.__table__
    async with sqlite_database.transaction() as session:
        returned = await session.execute(
            sa.insert(workers).returning(workers.c.id, workers.c.telegram_user_id),
            [_worker_row(user_id) for user_id in (10, 11, 12)],
        )
        inserted = sorted(returned.all(), key=lambda row: row[1])
        assert [row[1] for row in inserted] == [10, 11, 12]
        worker = Worker(**_worker_row(13))
        session.add(worker)
        await session.flush()  # the ORM reads the new id back
        assert worker.id is not None and worker.id > max(row[0] for row in inserted)
        none = await session.execute(
            sa.update(workers).where(workers.c.telegram_user_id == 99).values(language="en")
        )
        assert none.rowcount == 0
        many = await session.execute(
            sa.update(workers).where(workers.c.telegram_user_id >= 11).values(language="en")
        )
        assert many.rowcount == 3
        english = await session.scalars(
            sa.select(workers.c.telegram_user_id)
            .where(workers.c.language == "en")
            .order_by(workers.c.telegram_user_id)
        )
        assert list(english) == [11, 12, 13]
        assert await session.scalar(sa.select(workers.c.id).where(workers.c.id < 0)) is None


async def test_errors_are_sqlites_and_the_transaction_rolls_back(
    sqlite_database: Database,
) -> None:
    row = {"update_id": 5, "payload": "{}", "received_at": utcnow(), "attempts": 0}
    async with sqlite_database.transaction() as session:
        await session.execute(sa.insert(InboundUpdate.__table__), [row])

    async def insert_twice() -> None:
        async with sqlite_database.transaction() as session:
            await session.execute(sa.insert(Worker.__table__), [_worker_row(1)])
            await session.execute(sa.insert(InboundUpdate.__table__), [row])

    with pytest.raises(IntegrityError):
        await insert_twice()
    with pytest.raises(OperationalError):
        async with sqlite_database.transaction() as session:
            await session.execute(sa.text("SELECT nothing FROM nowhere"))
    async with sqlite_database.transaction() as session:  # the connection is still usable
        assert await session.scalar(sa.select(sa.func.count()).select_from(Worker)) == 0
        assert await session.scalar(sa.select(sa.func.count()).select_from(InboundUpdate)) == 1


async def test_a_closed_connection_says_so(tmp_path: Path) -> None:
    connection = await sqlitedriver.connect(str(tmp_path / "closed.sqlite3"))
    cursor = connection.cursor()
    async with cursor:
        await cursor.execute("SELECT 1")
        assert await cursor.fetchall() == [(1,)]
    await connection.close()
    with pytest.raises(ValueError, match="Connection closed"):
        async with connection.cursor():
            pass


async def test_begin_goes_with_the_first_statement(
    sqlite_database: Database, trips: list[str]
) -> None:
    async with sqlite_database.transaction() as session:
        connection = await session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        trips.clear()
        await session.execute(sa.text("SELECT 1"))  # after the BEGIN IMMEDIATE, same trip
        assert trips == ["_in_thread"]
        assert raw._conn.in_transaction  # SQLite's own state: the transaction began
    assert trips == ["_in_thread", "commit"]
    assert not raw._conn.in_transaction


async def test_a_transaction_without_statements_makes_no_trip(
    sqlite_database: Database, trips: list[str]
) -> None:
    async with sqlite_database.transaction() as session:
        await session.execute(sa.text("SELECT 1"))  # connected
    trips.clear()
    async with sqlite_database.transaction() as session:
        await session.connection()  # begun, as far as SQLAlchemy knows
    assert trips == []
    # Nothing held back spills into the next use: a checkpoint must run outside any
    # transaction, and a new transaction begins afresh.
    assert await sqlite_database.checkpoint()
    async with sqlite_database.transaction() as session:
        assert await session.scalar(sa.text("SELECT 2")) == 2


async def test_nothing_runs_here_while_sqlites_thread_still_works(
    tmp_path: Path, trips: list[str]
) -> None:
    """A caller cancelled while its statement runs in SQLite's thread: the next statement
    waits for that one there, instead of running beside it in the event loop's thread."""
    connection = await sqlitedriver.connect(str(tmp_path / "busy.sqlite3"))
    slow = (
        "INSERT INTO t SELECT count(*) FROM (WITH RECURSIVE c(x) AS"
        " (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c)"
    )
    try:
        await connection.run("CREATE TABLE t (x INTEGER)", (), False)
        await connection.run("BEGIN IMMEDIATE", (), False)
        await connection.run("INSERT INTO t VALUES (?)", (1,), False)  # the lock is held
        task = asyncio.ensure_future(connection.run(slow, [()], True))
        await asyncio.sleep(0.05)
        task.cancel()
        trips.clear()
        outcome = await connection.run("SELECT x FROM t ORDER BY x", (), False)
        assert trips == ["_in_thread"]  # not run here: the slow one was still under way
        assert outcome[3] == [(1,), (3000000,)]
        trips.clear()
        await connection.run("SELECT 1", (), False)
        assert trips == []  # SQLite's thread is free again: right here
        await connection.rollback()
    finally:
        await connection.close()
