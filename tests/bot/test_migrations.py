"""The Alembic migrations: they build exactly the models, both ways, on both backends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from bot.db import Database, alembic_config, migrate
from bot.models import Base
from tests.conftest import BACKENDS, run_isolated


def _differences(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, Base.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
async def test_upgrade_matches_the_models_and_downgrade_removes_all(
    empty_database_url: str,
) -> None:
    await migrate(empty_database_url)
    database = Database(empty_database_url)
    try:
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
            assert await connection.run_sync(_tables) == set(Base.metadata.tables)

        def downgrade(connection: Connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "base")

        async with database.engine.begin() as connection:
            await connection.run_sync(downgrade)
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_tables) == set()
        await database.migrate()  # and up again
        async with database.engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await database.dispose()


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_the_alembic_command_line_path_works(empty_database_url: str) -> None:
    # No shared connection: env.py makes its own engine and event loop, as `alembic
    # upgrade head` does (run in a thread, since pytest may have a loop here).
    config = alembic_config(empty_database_url)
    config.config_file_name = None  # keep env.py from re-configuring the test's logging
    run_isolated(lambda: asyncio.to_thread(command.upgrade, config, "head"))

    async def check() -> list[object]:
        database = Database(empty_database_url)
        try:
            async with database.engine.connect() as connection:
                return await connection.run_sync(_differences)
        finally:
            await database.dispose()

    assert run_isolated(check) == []


def test_revisions_are_readable_and_linear() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    revisions = list(script.walk_revisions())
    assert [r.revision for r in revisions][-1] == "0001_initial"
    assert len(script.get_heads()) == 1
    for revision in revisions:
        assert revision.revision[:4].isdigit()
        path = Path(revision.path)
        assert path.name.startswith(revision.revision)


def test_alembic_ini_is_found_without_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    config = alembic_config("sqlite+aiosqlite:///x.sqlite3")
    assert Path(config.get_main_option("script_location") or "").is_dir()
    assert config.get_main_option("sqlalchemy.url") == "sqlite+aiosqlite:///x.sqlite3"
