"""The database helper: transactions, SQLite set-up, migrating inside a running loop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from bot.db import Database, alembic_config, migrate
from bot.models import Worker, utcnow


def _worker(user_id: int) -> Worker:
    now = utcnow()
    return Worker(telegram_user_id=user_id, language="km", first_seen=now, last_seen=now)


async def _count(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Worker)) or 0)


async def test_a_transaction_commits_on_exit(database: Database) -> None:
    async with database.transaction() as session:
        session.add(_worker(1))
    assert await _count(database) == 1


async def test_a_transaction_rolls_back_on_error(database: Database) -> None:
    async def failing_handler() -> None:
        async with database.transaction() as session:
            session.add(_worker(1))
            await session.flush()
            raise RuntimeError("handler failed")

    with pytest.raises(RuntimeError):
        await failing_handler()
    assert await _count(database) == 0


async def test_a_sqlite_file_gets_its_folder_and_pragmas(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'new' / 'folder' / 'bot.sqlite3'}"
    await migrate(url)  # inside this test's running event loop
    assert (tmp_path / "new" / "folder" / "bot.sqlite3").exists()
    database = Database(url)
    try:
        async with database.engine.connect() as connection:
            assert (await connection.scalar(text("PRAGMA foreign_keys"))) == 1
            assert (await connection.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await connection.scalar(text("PRAGMA secure_delete"))) == 1
        assert database.dialect == "sqlite"
    finally:
        await database.dispose()


async def test_migrate_twice_is_harmless(database: Database) -> None:
    await database.migrate()
    await database.migrate()
    async with database.engine.connect() as connection:
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    # The newest revision, whichever it is (so a new migration does not edit this test).
    assert version == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_reads_and_writes_of_one_transaction_are_one_unit(database: Database) -> None:
    # SQLite's driver does not BEGIN before a SELECT by default; ours does, so a SAVEPOINT
    # rolled back inside a transaction undoes only its own part.
    async with database.transaction() as session:
        session.add(_worker(1))
        await session.flush()
        nested = await session.begin_nested()
        session.add(_worker(2))
        await session.flush()
        await nested.rollback()
    assert await _count(database) == 1


async def test_an_in_memory_database_works() -> None:
    database = Database("sqlite+aiosqlite:///:memory:")
    try:
        await database.migrate()
        await database.migrate()
        assert await _count(database) == 0
    finally:
        await database.dispose()


async def test_concurrent_transactions_on_sqlite_wait_their_turn(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'busy.sqlite3'}"
    await migrate(url)
    database = Database(url)

    async def write(user_id: int) -> None:
        async with database.transaction() as session:
            session.add(_worker(user_id))
            await session.flush()
            await asyncio.sleep(0.01)  # hold the write lock while others queue

    try:
        await asyncio.gather(*(write(user_id) for user_id in range(30)))
        assert await _count(database) == 30
    finally:
        await database.dispose()


async def test_database_errors_do_not_show_the_parameters(database: Database) -> None:
    """A failed statement's message ends up in the log: no worker's text in it."""
    from sqlalchemy.exc import IntegrityError

    from bot.models import InboundUpdate

    marker = "Sreymom-parameter-marker"
    async with database.transaction() as session:
        session.add(InboundUpdate(update_id=1, payload=marker, received_at=utcnow(), attempts=0))
    with pytest.raises(IntegrityError) as caught:
        async with database.transaction() as session:
            session.add(
                InboundUpdate(update_id=1, payload=marker, received_at=utcnow(), attempts=0)
            )
    assert "INSERT INTO inbound_updates" in str(caught.value)
    assert marker not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)


async def test_a_checkpoint_empties_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    database = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with database.transaction() as session:
            await session.execute(text("CREATE TABLE t (x TEXT)"))
            await session.execute(text("INSERT INTO t VALUES ('a')"))
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0
        assert await database.checkpoint()
        assert wal.stat().st_size == 0
        async with database.transaction() as session:  # the connection is usable after it
            assert await session.scalar(text("SELECT x FROM t")) == "a"
    finally:
        await database.dispose()


async def test_a_sqlite_connection_is_rolled_back_on_return_only_when_still_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_connection
    from sqlalchemy.util import greenlet_spawn

    url = f"sqlite+aiosqlite:///{tmp_path / 'reset.sqlite3'}"
    await migrate(url)
    database = Database(url)
    rollbacks = 0
    rollback = AsyncAdapt_aiosqlite_connection.rollback

    def counting(self: AsyncAdapt_aiosqlite_connection) -> None:
        nonlocal rollbacks
        rollbacks += 1
        rollback(self)

    monkeypatch.setattr(AsyncAdapt_aiosqlite_connection, "rollback", counting)
    try:
        async with database.transaction() as session:  # connects (which rolls back once)
            await session.execute(text("SELECT 1"))
        rollbacks = 0
        for _ in range(3):  # committed: no second round trip to roll back
            async with database.transaction() as session:
                await session.execute(text("SELECT 1"))
        assert rollbacks == 0

        def leave_open() -> None:  # as a connection cut short mid-transaction comes back
            raw = database.engine.sync_engine.raw_connection()
            cursor = raw.cursor()
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("CREATE TABLE half_done (x INTEGER)")
            cursor.close()
            raw.close()

        await greenlet_spawn(leave_open)
        assert rollbacks == 1
        async with database.transaction() as session:  # the next one starts cleanly
            found = await session.scalar(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'")
            )
        assert found == 0
    finally:
        await database.dispose()
