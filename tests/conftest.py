"""Database fixtures: a freshly migrated database per test, on SQLite and on PostgreSQL;
and the privacy check of every log line of the session (tests/logwatch.py).

Every test that takes ``database`` runs twice: on a SQLite file (always) and on
PostgreSQL when ``TEST_DATABASE_URL`` is set (e.g.
``postgresql+asyncpg://postgres@127.0.0.1:5432/test``). PostgreSQL tests share one
database created for the session (``nssf_test_<random>``, dropped at the end) and start
from empty tables; SQLite tests each get a copy of a file migrated once.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.db import Database, migrate
from bot.models import Base
from tests.logwatch import WATCH

T = TypeVar("T")

# PTB 22 gives RetryAfter.retry_after as a timedelta only when opted in (and warns
# otherwise); the bot sets the same in bot/cli.py main().
os.environ.setdefault("PTB_TIMEDELTA", "1")

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL is not set"),
    ),
]


@pytest.fixture(scope="session", autouse=True)
def no_private_data_in_logs() -> Iterator[None]:
    """Fail the session if any log line at INFO+ holds a secret, name, phone or text."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(min(level or logging.WARNING, logging.INFO))  # or INFO lines aren't made
    root.addHandler(WATCH)
    try:
        yield
    finally:
        root.removeHandler(WATCH)
        root.setLevel(level)
    leaks = WATCH.leaks()
    assert not leaks, "private data in the log (see tests/logwatch.py):\n" + "\n".join(leaks)


def run_isolated(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine in its own thread and event loop (from sync session fixtures)."""

    async def main() -> T:
        return await make()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, main()).result()


async def _admin(url: str, statement: str) -> None:
    """Run CREATE/DROP DATABASE, which can't run inside a transaction."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """Create an empty, uniquely named database next to ``base_url``; drop it after."""
    name = f"nssf_test_{uuid.uuid4().hex[:12]}"
    run_isolated(lambda: _admin(base_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        run_isolated(lambda: _admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the whole session."""
    with postgres_database(PG_URL) as url:
        run_isolated(functools.partial(migrate, url))
        yield url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test works on a copy."""
    path = tmp_path_factory.mktemp("template") / "bot.sqlite3"
    run_isolated(lambda: migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An unmigrated database of the backend in ``request.param`` (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    else:
        with postgres_database(PG_URL) as url:
            yield url


async def _empty_tables(database: Database) -> None:
    names = ", ".join(table.name for table in Base.metadata.sorted_tables)
    async with database.engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database with empty tables, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "bot.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        database = Database(f"sqlite+aiosqlite:///{path}")
    else:
        database = Database(request.getfixturevalue("postgres_url"))
        await _empty_tables(database)
    try:
        yield database
    finally:
        await database.dispose()
