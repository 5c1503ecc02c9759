"""The bot's own ``nssf-bot`` commands: ``run``, ``migrate`` and ``chat``.

bot/cli.py calls :func:`register`. A missing or malformed setting ends a command with one
line naming it (exit status 2), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["register"]

# Test-only: seconds the runner waits between storing an update and handling it, so the
# end-to-end test can SIGKILL the bot while an update is in flight. Never set it in
# production; it only slows the bot down.
TEST_DELAY_ENV = "NSSF_BOT_TEST_DELAY_AFTER_STORE"

log = logging.getLogger("bot")


def _fail(message: str, status: int = 2) -> int:
    print(f"nssf-bot: {message}", file=sys.stderr)
    return status


def _settings(**overrides: Any) -> Settings:
    from bot.settings import load_settings

    return load_settings(**overrides)


def _configure_logging() -> None:
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO
    )
    # httpx logs every request at INFO, with the bot token in the URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # Alembic: keep "Running upgrade …", not its plugin and context chatter.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def _database_error(exc: BaseException) -> str | None:
    """One line for a database that can't be reached or used, else None."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        # The driver's own message, without SQLAlchemy's statement and links; never the URL.
        detail = str(exc.orig or exc).strip().splitlines()[0]
    elif isinstance(exc, OSError):  # refused, unknown host, unreadable SQLite folder
        detail = str(exc)
    else:
        return None
    return f"DATABASE_URL: cannot use the database ({detail})"


def _test_delay() -> float:
    value = os.environ.get(TEST_DELAY_ENV, "")
    try:
        return max(0.0, float(value)) if value else 0.0
    except ValueError:
        return 0.0


# --- run --------------------------------------------------------------------------------


async def _serve(settings: Settings, delay_after_store: float) -> None:
    from bot.app import build_application
    from bot.db import Database
    from bot.runner import RunnerOptions, run
    from bot.webhook import WebhookConfig

    # A SQLite database (the embedded default) is migrated by the application's post_init,
    # which the runner calls before it touches the inbox; PostgreSQL by `nssf-bot migrate`.
    database = Database(settings.database_url)
    try:
        application = build_application(settings, database=database)
        webhook = None
        if settings.webhook_url and settings.webhook_secret is not None:
            webhook = WebhookConfig(
                url=settings.webhook_url,
                secret=settings.webhook_secret.get_secret_value(),
                listen=settings.webhook_listen,
                port=settings.webhook_port,
            )
        options = RunnerOptions(delay_after_store=delay_after_store)
        await run(application, database, webhook=webhook, options=options)
    finally:
        await database.dispose()


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    """Start the bot: long polling, or a webhook endpoint when WEBHOOK_URL is set."""
    from telegram.error import InvalidToken

    from bot.settings import SettingsError
    from bot.webhook import WebhookError

    try:
        settings = _settings()
        settings.require_token()
    except SettingsError as exc:
        return _fail(str(exc))
    _configure_logging()
    try:
        asyncio.run(_serve(settings, _test_delay()))
    except InvalidToken:
        return _fail("TELEGRAM_BOT_TOKEN was refused by Telegram (revoked or mistyped?)", 1)
    except WebhookError as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:  # a second Ctrl-C while stopping
        return 130
    except Exception as exc:
        message = _database_error(exc)
        if message is None:
            raise
        return _fail(message, 1)
    return 0


# --- migrate ----------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace, out: TextIO) -> int:
    """Upgrade the database at DATABASE_URL to the newest schema (alembic upgrade head)."""
    from bot.db import migrate
    from bot.settings import SettingsError

    try:
        settings = _settings()
    except SettingsError as exc:
        return _fail(str(exc))
    _configure_logging()
    try:
        asyncio.run(migrate(settings.database_url))
    except Exception as exc:
        message = _database_error(exc)
        if message is None:
            raise
        return _fail(message, 1)
    out.write("database is up to date\n")
    return 0


# --- chat -------------------------------------------------------------------------------


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    """Talk to the real bot in the terminal, on an in-process fake Telegram."""
    from bot.settings import SettingsError
    from bot.simulator import DEFAULT_DB, chat

    path = Path(args.db) if args.db else DEFAULT_DB
    try:
        # The simulator never talks to Telegram: a fixed fake token, and a SQLite file of
        # its own, whatever .env says.
        settings = _settings(
            telegram_bot_token="123456:SIMULATOR",
            database_url=f"sqlite+aiosqlite:///{path}",
            webhook_url=None,
        )
    except SettingsError as exc:
        return _fail(str(exc))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    interactive = sys.stdin.isatty()
    return asyncio.run(chat(settings, sys.stdin, out, interactive=interactive))


# --- wiring -----------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the run, migrate and chat commands to the ``nssf-bot`` parser."""
    run = subparsers.add_parser(
        "run", help="start the bot (long polling; webhook when WEBHOOK_URL is set)"
    )
    run.set_defaults(handler=cmd_run)

    migrate = subparsers.add_parser(
        "migrate", help="create or upgrade the database tables (alembic upgrade head)"
    )
    migrate.set_defaults(handler=cmd_migrate)

    chat = subparsers.add_parser("chat", help="try the bot in the terminal: no token, no network")
    chat.add_argument("--db", help="SQLite file for the simulator (default ./data/chat.sqlite3)")
    chat.set_defaults(handler=cmd_chat)
