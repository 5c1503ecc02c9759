"""Transcript helpers for escalation: a staff member in the staff forum group.

staff = Staff(app, fake, user_id=501, name="Dara")
said = await staff.say("Please send a photo of your payslip", thread_id=1001)
said = await staff.tap("Claim")
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotApplication
from bot.fakes.telegram import (
    FakeTelegram,
    MediaKind,
    callback_update,
    command_update,
    edited_message_update,
    media_update,
    text_update,
)
from tests.bot.chat import Chat, Said

STAFF_CHAT = -1001234567890


def _named(update: Update, kind: str, name: str, bot: Any) -> Update:
    """The update with the staff member's own first name (the factories use a worker's)."""
    data = update.to_dict()
    data[kind]["from"]["first_name"] = name
    data[kind]["from"].pop("username", None)
    return Update.de_json(data, bot)


class Staff:
    """One staff member: writes in case topics, edits, taps the card's buttons."""

    def __init__(
        self,
        app: BotApplication,
        fake: FakeTelegram,
        user_id: int = 501,
        name: str = "Dara",
        chat_id: int = STAFF_CHAT,
    ) -> None:
        self.app = app
        self.fake = fake
        self.user_id = user_id
        self.name = name
        self.chat_id = chat_id
        self._chat = Chat(app, fake, user_id)

    async def process(self, update: Update) -> Said:
        """Feed one update and deliver what the bot put in the outbox."""
        return await self._chat.process(update)

    async def say(self, text: str, thread_id: int | None) -> Said:
        """A message in a topic (``thread_id``) of the staff group."""
        update = text_update(
            self.user_id,
            text,
            chat_id=self.chat_id,
            chat_type="supergroup",
            thread_id=thread_id,
            bot=self.app.bot,
        )
        return await self.process(_named(update, "message", self.name, self.app.bot))

    async def command(self, name: str, args: str, thread_id: int | None) -> Said:
        """``/name args`` in a topic of the staff group."""
        update = command_update(
            self.user_id,
            name,
            args,
            chat_id=self.chat_id,
            chat_type="supergroup",
            thread_id=thread_id,
            bot=self.app.bot,
        )
        return await self.process(_named(update, "message", self.name, self.app.bot))

    async def send_media(
        self, kind: MediaKind, thread_id: int, caption: str | None = None
    ) -> Said:
        """A photo, voice message, document … in a topic."""
        update = media_update(
            self.user_id,
            kind,
            caption=caption,
            chat_id=self.chat_id,
            chat_type="supergroup",
            thread_id=thread_id,
            bot=self.app.bot,
        )
        return await self.process(_named(update, "message", self.name, self.app.bot))

    async def edit(
        self, message_id: int, text: str, thread_id: int, media: MediaKind | None = None
    ) -> Said:
        """The staff member edits their message ``message_id`` (with ``media``: its
        caption)."""
        update = edited_message_update(
            self.user_id,
            text,
            media=media,
            message_id=message_id,
            chat_id=self.chat_id,
            chat_type="supergroup",
            thread_id=thread_id,
            bot=self.app.bot,
        )
        return await self.process(_named(update, "edited_message", self.name, self.app.bot))

    def tap_update(self, data: str, message_id: int, chat_id: int | None = None) -> Update:
        """A tap with any data on message ``message_id`` (in the staff group by default)."""
        update = callback_update(
            self.user_id, data, message_id, chat_id=chat_id or self.chat_id, bot=self.app.bot
        )
        return _named(update, "callback_query", self.name, self.app.bot)

    async def tap(self, label: str) -> Said:
        """Tap the newest button in the staff group whose label contains ``label``."""
        message, button = self.fake.find_button(self.chat_id, label)
        update = self.tap_update(button["callback_data"], message["message_id"])
        return await self.process(update)
