"""The typed handler context: what every handler reaches through ``context``."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.db import Database
from bot.services import Desk
from bot.settings import Settings
from bot.telegram_io.broadcaster import Broadcaster
from bot.telegram_io.outbox import Outbox
from bot.telegram_io.sender import Sender
from faq.content import Faq
from faq.matcher import Matcher

__all__ = ["BotApplication", "BotContext", "BotData"]


class BotData:
    """The application's shared objects, set once by ``build_application``."""

    database: Database
    desk: Desk
    settings: Settings
    outbox: Outbox
    sender: Sender
    broadcaster: Broadcaster  # campaigns (issue #9): fed to the sender at bulk priority
    owns_database: bool = False
    # The FAQ as shipped (faq/data); desk.faq adds the staff entries approved since
    # (bot/faqlive.py swaps the desk when one goes live).
    base_faq: Faq

    def __init__(self) -> None:
        # Ephemeral calls (answerCallbackQuery) in flight; see telegram_io/ephemeral.py.
        self.ephemeral: set[asyncio.Task[None]] = set()
        # Staff group membership, checked with getChatMember and kept briefly:
        # Telegram user id -> (monotonic time, is staff). See handlers/staff.py.
        self.staff_members: dict[int, tuple[float, bool]] = {}


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """A CallbackContext with typed properties instead of ``bot_data["..."]`` keys."""

    @property
    def database(self) -> Database:
        """The database; open one transaction per update with ``.transaction()``."""
        return self.bot_data.database

    @property
    def outbox(self) -> Outbox:
        """Where replies go, in the handler's transaction: ``outbox.put(session, ...)``."""
        return self.bot_data.outbox

    @property
    def desk(self) -> Desk:
        """The FAQ, matcher and default language, as services take them."""
        return self.bot_data.desk

    @property
    def faq(self) -> Faq:
        """The loaded FAQ content."""
        return self.bot_data.desk.faq

    @property
    def matcher(self) -> Matcher:
        """The matcher, built once at start-up."""
        return self.bot_data.desk.matcher

    @property
    def settings(self) -> Settings:
        """The bot's settings."""
        return self.bot_data.settings


BotApplication = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[BotContext]
]
