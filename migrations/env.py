"""Alembic environment: async engines, and a connection handed in by the running bot.

Two ways in:

* ``bot.db.migrate()`` (inside the bot's event loop) puts a connection in
  ``config.attributes["connection"]``; migrations run on it directly, because
  ``asyncio.run()`` can't be called from a running loop.
* The ``alembic`` command line has no connection: an async engine is created from
  ``sqlalchemy.url`` or, when that is unset, from ``DATABASE_URL`` via bot.settings.
"""

from __future__ import annotations

import asyncio
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from bot.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from bot.settings import load_settings

    return load_settings().database_url


def do_run_migrations(connection: Connection) -> None:
    """Run the migrations on one open connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite can't ALTER most things: batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    """Create an engine for the configured URL and migrate through it."""
    from bot.db import Database

    # Database sets SQLite's pragmas (foreign keys, WAL) the same way the bot does.
    database = Database(_url())
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(do_run_migrations)
            await connection.commit()
    finally:
        await database.dispose()


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (``alembic upgrade head --sql``)."""
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=_url().startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
elif (shared := config.attributes.get("connection")) is not None:
    do_run_migrations(shared)
else:
    # Only the command line configures logging: inside the bot it would replace the
    # application's logging set-up.
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    asyncio.run(run_async_migrations())
