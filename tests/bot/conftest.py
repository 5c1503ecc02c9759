"""Fixtures for the bot's tests: a small FAQ, settings, the fake Bot API, the app, a chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_application
from bot.context import BotApplication
from bot.db import Database
from bot.fakes.telegram import FakeTelegram
from bot.services import Desk
from bot.settings import Settings, load_settings
from bot.telegram_io.sender import Pacing
from faq.content import Faq, load_faq
from faq.matcher import Matcher
from tests.bot.chat import Chat

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def faq() -> Faq:
    """Five entries in two categories (tests/bot/data), independent of the real content."""
    return load_faq(DATA / "faq", DATA / "topics.yaml")


@pytest.fixture(scope="session")
def test_matcher(faq: Faq) -> Matcher:
    """The test FAQ's matcher, built once."""
    return Matcher(faq)


@pytest.fixture
def desk(faq: Faq, test_matcher: Matcher) -> Desk:
    """The services' view of the test FAQ, Khmer by default (a fresh one per test: it
    remembers workers of its database)."""
    return Desk(faq, test_matcher, "km")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings that ignore the machine's environment and .env."""
    return load_settings(
        _env_file=None,
        telegram_bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.sqlite3'}",
        default_language="km",
        staff_chat_id=None,  # escalation has its own fixtures (tests/bot/staff.py)
        organiser_ids="",
        admin_ids="",
        webhook_url=None,
    )


@pytest.fixture
def fake() -> FakeTelegram:
    """An empty fake Bot API."""
    return FakeTelegram()


@pytest.fixture
async def app(
    settings: Settings, desk: Desk, fake: FakeTelegram, database: Database
) -> AsyncIterator[BotApplication]:
    """The real application on the fake Bot API and a fresh database (both backends)."""
    application = build_application(
        settings,
        faq=desk.faq,
        matcher=desk.matcher,
        request=fake.request(),
        database=database,
        pacing=Pacing.unlimited(),  # what is sent, not when: pacing has tests of its own
    )
    async with application:
        yield application


@pytest.fixture
def chat(app: BotApplication, fake: FakeTelegram) -> Chat:
    """Worker 1001's private chat."""
    return Chat(app, fake, user_id=1001)
