"""Transcript helpers: play a worker against the real Application and read what it said.

chat = Chat(app, fake, user_id=1001)
said = await chat.send("តើ ប.ស.ស ជាអ្វី?")
assert "ទំព័រផ្លូវការ៖ https://www.nssf.gov.kh/about/" in said.text
assert said.buttons == ["👍", "👎"]
said = await chat.tap("👍")
assert said.toasts == ["អរគុណសម្រាប់មតិរបស់អ្នក!"]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update

from bot.context import BotApplication
from bot.fakes.telegram import (
    Call,
    FakeTelegram,
    MediaKind,
    callback_update,
    command_update,
    edited_message_update,
    media_update,
    member_update,
    text_update,
)
from bot.telegram_io import ephemeral
from tests.logwatch import typed

# Calls the bot makes that a worker sees.
_VISIBLE = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery")


@dataclass
class Said:
    """What the bot did in answer to one update: its Bot API calls, for assertions."""

    calls: list[Call]

    @property
    def methods(self) -> list[str]:
        """The names of the visible calls, in order."""
        return [call.method for call in self.calls if call.method in _VISIBLE]

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Parameters of every message sent or edited."""
        return [c.params for c in self.calls if c.method in ("sendMessage", "editMessageText")]

    @property
    def text(self) -> str:
        """The texts of every message sent or edited, separated by a line."""
        return "\n----\n".join(str(params["text"]) for params in self.messages)

    @property
    def texts(self) -> list[str]:
        """The text of each message sent or edited."""
        return [str(params["text"]) for params in self.messages]

    def _keyboard(self) -> list[dict[str, Any]]:
        for params in reversed(self.messages):
            markup = params.get("reply_markup")
            if markup:
                return [button for row in markup["inline_keyboard"] for button in row]
        return []

    @property
    def buttons(self) -> list[str]:
        """The labels of the newest keyboard the bot showed."""
        return [button["text"] for button in self._keyboard()]

    @property
    def data(self) -> list[str]:
        """The callback data (or URL) of the newest keyboard's buttons."""
        return [button.get("callback_data") or button["url"] for button in self._keyboard()]

    @property
    def toasts(self) -> list[str]:
        """Texts shown as a toast after a tap (empty answers left out)."""
        return [
            str(c.params["text"])
            for c in self.calls
            if c.method == "answerCallbackQuery" and c.params.get("text")
        ]


class Chat:
    """One worker's private chat with the bot."""

    def __init__(self, app: BotApplication, fake: FakeTelegram, user_id: int = 1001) -> None:
        self.app = app
        self.fake = fake
        self.user_id = user_id

    async def process(self, update: Update) -> Said:
        """Feed one update to the application, let the sender deliver what it put in the
        outbox; return the calls made."""
        start = len(self.fake.calls)
        self.fake.remember(update)  # Telegram has the user's message (it can be copied)
        await self.app.process_update(update)
        await ephemeral.settle(self.app.bot_data.ephemeral)
        await self.app.bot_data.sender.drain()
        return Said(self.fake.calls[start:])

    async def send(self, text: str, **kwargs: Any) -> Said:
        """The worker types ``text`` (a command if it starts with "/")."""
        typed(text)
        bot = self.app.bot
        if text.startswith("/"):
            command, _, args = text.partition(" ")
            return await self.process(
                command_update(self.user_id, command, args, bot=bot, **kwargs)
            )
        return await self.process(text_update(self.user_id, text, bot=bot, **kwargs))

    async def burst(self, *texts: str) -> Said:
        """The worker sends several texts quickly: all are handled before the sender
        delivers anything (as when messages arrive faster than Telegram takes posts)."""
        start = len(self.fake.calls)
        for text in texts:
            typed(text)
            update = text_update(self.user_id, text, bot=self.app.bot)
            self.fake.remember(update)
            await self.app.process_update(update)
        await ephemeral.settle(self.app.bot_data.ephemeral)
        await self.app.bot_data.sender.drain()
        return Said(self.fake.calls[start:])

    async def tap(self, label: str) -> Said:
        """The worker taps the newest button whose label contains ``label``."""
        message, button = self.fake.find_button(self.user_id, label)
        return await self.tap_data(
            button["callback_data"], message["message_id"], reply_markup=message["reply_markup"]
        )

    async def tap_data(self, data: str, message_id: int = 1, **kwargs: Any) -> Said:
        """A tap with any callback data (forged, old, malformed…)."""
        update = callback_update(self.user_id, data, message_id, bot=self.app.bot, **kwargs)
        return await self.process(update)

    async def send_media(self, kind: MediaKind, **kwargs: Any) -> Said:
        """The worker sends a voice note, photo, sticker, location …"""
        return await self.process(media_update(self.user_id, kind, bot=self.app.bot, **kwargs))

    async def edit(self, text: str) -> Said:
        """The worker edits an earlier message."""
        return await self.process(edited_message_update(self.user_id, text, bot=self.app.bot))

    async def block(self) -> Said:
        """The worker blocks the bot (Telegram's my_chat_member update)."""
        self.fake.block(self.user_id)
        return await self.process(member_update(self.user_id, "kicked", bot=self.app.bot))

    async def choose_english(self) -> None:
        """/start, then the English button."""
        await self.send("/start")
        await self.tap("English")
