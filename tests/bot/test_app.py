"""The application's wiring: no updater, typed context, menus, start-up and shut-down."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.app import build_application
from bot.context import BotApplication, BotContext
from bot.db import Database
from bot.fakes.telegram import FakeTelegram
from bot.services import Desk
from bot.settings import Settings, SettingsError, load_settings
from handlers import errors

ROOT = Path(__file__).resolve().parents[2]


def test_the_application_has_no_updater_and_a_typed_context(
    app: BotApplication, settings: Settings, database: Database, desk: Desk
) -> None:
    assert app.updater is None  # bot/telegram_io/runner.py fetches updates durably
    assert app.context_types.context is BotContext
    context = BotContext(app)
    assert context.settings is settings
    assert context.database is database
    assert context.faq is desk.faq and context.matcher is desk.matcher
    assert context.desk.default_language == "km"
    # No PTB rate limiter: the sender paces every message (bot/telegram_io/sender.py).
    assert app.bot.rate_limiter is None
    assert context.outbox is app.bot_data.outbox
    assert app.error_handlers.keys() == {errors.on_error}


def test_every_command_of_the_menu_has_a_handler(app: BotApplication) -> None:
    commands = {
        command
        for handler in app.handlers[0]
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }
    assert commands == {"start", "help", "language", "topics"} | {
        "subscribe",  # broadcasts (issue #9)
        "unsubscribe",
        "stop",
        "broadcast",  # organisers only
        "campaigns",
    }
    last = app.handlers[0][-3]
    assert isinstance(last, CallbackQueryHandler) and last.pattern is None  # the stale catch-all


async def test_post_init_sets_the_menu_in_both_languages(
    app: BotApplication, fake: FakeTelegram
) -> None:
    assert app.post_init is not None
    await app.post_init(app)
    km = fake.commands[("all_private_chats", "km")]
    en = fake.commands[("all_private_chats", "en")]
    default = fake.commands[("all_private_chats", "")]
    assert [c["command"] for c in km] == ["start", "topics", "subscribe", "language", "help"]
    assert [c["command"] for c in en] == ["start", "topics", "subscribe", "language", "help"]
    assert km[1]["description"] == "មើលសំណួរតាមប្រធានបទ"
    assert en[1]["description"] == "Browse the questions by topic"
    assert default == km  # DEFAULT_LANGUAGE


async def test_a_failing_menu_does_not_stop_start_up(
    app: BotApplication, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("setMyCommands", error=(400, "Bad Request: BOT_COMMAND_INVALID"))
    assert app.post_init is not None
    await app.post_init(app)
    assert "could not set the command menu" in caplog.text


async def test_sqlite_is_migrated_at_start_and_closed_at_the_end(
    tmp_path: Path, desk: Desk, fake: FakeTelegram
) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    settings = load_settings(
        _env_file=None, database_url=f"sqlite+aiosqlite:///{path}", telegram_bot_token=None
    )
    app = build_application(settings, faq=desk.faq, matcher=desk.matcher, request=fake.request())
    assert app.bot_data.owns_database
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        await app.post_shutdown(app)
    assert path.exists()
    check = Database(f"sqlite+aiosqlite:///{path}")
    try:
        async with check.transaction() as session:
            tables = (await session.execute(text("SELECT name FROM sqlite_master"))).scalars()
            assert {"workers", "questions", "inbound_updates"} <= set(tables)
    finally:
        await check.dispose()


def test_a_real_run_needs_a_token(settings: Settings, desk: Desk) -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN is not set"):
        build_application(settings, faq=desk.faq, matcher=desk.matcher)


async def test_the_configured_token_and_api_url_are_used(desk: Desk, fake: FakeTelegram) -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token="42:abc",
        telegram_api_url="http://127.0.0.1:8081/bot",
    )
    app = build_application(settings, faq=desk.faq, matcher=desk.matcher, request=fake.request())
    assert app.bot.token == "42:abc"
    assert app.bot.base_url == "http://127.0.0.1:8081/bot42:abc"
    assert app.bot.rate_limiter is None
    await app.bot_data.database.dispose()


def test_importing_has_no_side_effects(tmp_path: Path) -> None:
    modules = [
        "bot.app",
        "bot.callbacks",
        "bot.context",
        "bot.db",
        "bot.fakes.telegram",
        "bot.i18n",
        "bot.models",
        "bot.services.questions",
        "bot.services.topics",
        "bot.services.workers",
        "bot.settings",
        "bot.telegram_io",
        "handlers.errors",
        "handlers.worker",
        "migrations",
    ]
    code = "".join(f"import {name}\n" for name in modules)
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "", "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    assert list(tmp_path.iterdir()) == []  # no data/ folder, no database file
