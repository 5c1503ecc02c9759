"""The database: engine, sessions, one transaction per update, and migrations.

Services receive the :class:`~sqlalchemy.ext.asyncio.AsyncSession` of the transaction a
handler opened with :meth:`Database.transaction`; they flush but never commit, so one
update's work is committed or rolled back as a whole.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot import sqlitedriver

__all__ = [
    "Database",
    "GroupFailed",
    "SharedTransaction",
    "alembic_config",
    "insert",
    "migrate",
    "rowcount",
]


def _prepare_sqlite(engine: AsyncEngine, url: str) -> None:
    """Create the file's folder, and set the pragmas every connection needs."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the sqlite3 driver (which skips it before SELECTs) and
        # emit our own below, so a transaction's reads and writes are one unit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")  # off by default in SQLite
        cursor.execute("PRAGMA journal_mode=WAL")  # readers don't block the writer
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster
        cursor.execute("PRAGMA busy_timeout=5000")
        # Deleted and overwritten content (a blanked update's names and text) is zeroed in
        # the file, not left in free space; see Database.checkpoint for the WAL.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "reset")
    def _on_reset(dbapi_connection: Any, _record: Any, state: Any) -> None:
        # Instead of the pool's rollback-on-return (pool_reset_on_return=None below):
        # roll back only a connection that is still in a transaction. A session's
        # connection comes back committed or rolled back already, and the blind
        # ROLLBACK was one more round trip to SQLite's thread per transaction.
        if state.terminate_only or not state.asyncio_safe:
            return  # the pool closes this connection instead of reusing it
        if dbapi_connection.driver_connection.in_transaction:
            dbapi_connection.rollback()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            return  # Database.checkpoint: a checkpoint can't run inside a transaction
        # IMMEDIATE takes the write lock up front: two transactions that read and then
        # write can't deadlock into SQLITE_BUSY; they wait (busy_timeout) instead.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class GroupFailed(Exception):
    """A transaction block inside :meth:`Database.group` failed: the whole group is
    rolled back, and its caller does the group's work again one transaction at a time.

    Raised (from the block's own error) out of the failing ``transaction()`` block, and
    out of every later one of the group; the error handler ignores it (handlers/errors.py).
    """


@dataclass(eq=False, slots=True)
class SharedTransaction:
    """The transaction of a :meth:`Database.group`, shared by the blocks inside it."""

    database: Database
    session: AsyncSession
    task: asyncio.Task[Any] | None
    failed: BaseException | None = None
    open: bool = True

    def takes(self, database: Database) -> bool:
        """Whether a ``transaction()`` of ``database``, opened now, joins this one: only
        in the task that opened the group (not in tasks it started), while it is open."""
        return self.open and database is self.database and asyncio.current_task() is self.task


_SHARED: contextvars.ContextVar[SharedTransaction | None] = contextvars.ContextVar(
    "nssf_bot_shared_transaction", default=None
)


class Database:
    """An async engine and its session factory, for SQLite or PostgreSQL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        parsed = make_url(url)
        options: dict[str, Any] = {"pool_pre_ping": True}
        if parsed.get_backend_name() == "sqlite":
            # A file gets one connection: concurrent transactions queue fairly in the pool
            # instead of racing in SQLite's busy handler, where a writer can starve past
            # busy_timeout. (":memory:" already has a single, static connection.)
            in_memory = parsed.database in (None, "", ":memory:")
            options = {} if in_memory else {"pool_size": 1, "max_overflow": 0}
            options["pool_reset_on_return"] = None  # see _prepare_sqlite's reset
            if parsed.get_driver_name() == "aiosqlite":
                # Two trips to SQLite's thread per transaction instead of four per
                # statement (sqlitedriver.py), connected with the dialect's arguments.
                options["async_creator"] = self._connect_sqlite
        # Parameters are workers' texts and raw updates: keep them out of the messages of
        # database errors, which end up in the log.
        options["hide_parameters"] = True
        self.engine: AsyncEngine = create_async_engine(url, echo=echo, **options)
        if self.engine.dialect.name == "sqlite":
            _prepare_sqlite(self.engine, url)
        self.sessionmaker: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False
        )

    def _connect_sqlite(self) -> sqlitedriver.Connection:
        sync_engine = self.engine.sync_engine
        args, kwargs = sync_engine.dialect.create_connect_args(sync_engine.url)
        return sqlitedriver.connect(*args, **kwargs)

    @property
    def dialect(self) -> str:
        """The backend's name: "sqlite" or "postgresql"."""
        return self.engine.dialect.name

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on exit, rolled back on error.

        Callables appended to ``session.info["after_commit"]`` run once the commit is done
        (the outbox wakes its sender so); not after a rollback.

        Inside :meth:`group` (same task), the block joins the group's transaction instead:
        its changes are flushed at the end of the block and committed with the group's. If
        the block fails, the group is marked failed and :class:`GroupFailed` is raised
        from the error, as it is at once by every later block of the group.
        """
        shared = _SHARED.get()
        if shared is not None and shared.takes(self):
            if shared.failed is not None:
                raise GroupFailed("an earlier transaction of the group failed")
            try:
                yield shared.session
                # A flush error is this block's, not the group commit's.
                await shared.session.flush()
            except Exception as exc:
                shared.failed = exc
                raise GroupFailed(type(exc).__name__) from exc
            except BaseException as exc:  # cancelled: the group is rolled back
                shared.failed = exc
                raise
            return
        async with self.sessionmaker() as session:
            async with session.begin():
                yield session
            for callback in session.info.get("after_commit", ()):
                callback()

    @contextlib.asynccontextmanager
    async def group(self) -> AsyncIterator[SharedTransaction]:
        """One transaction for the :meth:`transaction` blocks opened inside (group commit).

        The runner handles several waiting updates, of different chats, in one commit
        when a backlog waits (bot/telegram_io/runner.py): each update's changes, outbox
        rows and handled mark are still all or nothing, only together with the others'.
        Committed on exit; rolled back if the body raises, or if a block inside failed,
        in which case :class:`GroupFailed` is raised here (nothing of the group stays).
        ``after_commit`` callbacks run after the group's commit, not after each block.
        """
        async with self.sessionmaker() as session:
            shared = SharedTransaction(self, session, asyncio.current_task())
            token = _SHARED.set(shared)
            try:
                async with session.begin():
                    yield shared
                    if shared.failed is not None:
                        raise GroupFailed("a transaction of the group failed") from shared.failed
            finally:
                shared.open = False
                _SHARED.reset(token)
            for callback in session.info.get("after_commit", ()):
                callback()

    async def checkpoint(self) -> bool:
        """Copy SQLite's write-ahead log into the file and empty it; False if busy.

        Call it after blanking or deleting private data: until then the old pages, names
        and texts included, are still in the ``-wal`` file. A no-op on PostgreSQL, whose
        dead rows go at the next (auto)vacuum.
        """
        if self.dialect != "sqlite":
            return True
        async with self.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            row = result.one()
        return not row[0]  # (busy, log frames, checkpointed frames)

    async def migrate(self) -> None:
        """Bring the schema to the newest migration."""
        await _upgrade(self.engine)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def rowcount(result: Any) -> int:
    """How many rows an UPDATE or DELETE result touched (0 when the driver can't say)."""
    return int(getattr(result, "rowcount", 0) or 0)


def insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT with ON CONFLICT support for the session's backend (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def alembic_config(url: str | None = None) -> Any:
    """The Alembic configuration of the project, found by package path, not cwd."""
    from alembic.config import Config

    import migrations

    folder = Path(migrations.__file__).resolve().parent
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder))
    if url is not None:
        # ConfigParser interpolates "%": escape it (URL-encoded passwords contain it).
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def _upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Run ``alembic upgrade`` on a connection of ``engine``, inside the running loop."""
    from alembic import command

    config = alembic_config()

    def run(connection: Connection) -> None:
        # migrations/env.py uses this connection instead of starting its own event
        # loop (asyncio.run() can't be called from a running loop).
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def migrate(database_url: str) -> None:
    """Upgrade the database at ``database_url`` to the newest schema."""
    database = Database(database_url)
    try:
        await database.migrate()
    finally:
        await database.dispose()
