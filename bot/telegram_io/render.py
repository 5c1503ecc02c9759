"""Turning a service's :class:`Reply` into Bot API calls: send, edit, answer a tap."""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import MessageLimit
from telegram.error import BadRequest

from bot.i18n import t
from bot.services.replies import Button, Reply, Text

__all__ = ["answer_tap", "edit_or_send", "remove_buttons", "render", "send"]

log = logging.getLogger(__name__)


def _text(lang: str, text: Text) -> str:
    return text if isinstance(text, str) else t(lang, text.key, **text.args)


def _button(lang: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        _text(lang, button.label), callback_data=button.data, url=button.url
    )


def render(reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message text (paragraphs joined by a blank line) and its inline keyboard."""
    parts = [_text(reply.lang, part).strip() for part in reply.parts]
    text = "\n\n".join(part for part in parts if part)
    limit = MessageLimit.MAX_TEXT_LENGTH
    if len(text) > limit:
        # The FAQ checker keeps answers well under the limit; never fail a worker over it.
        log.warning("reply of %d characters cut to %d", len(text), limit)
        text = text[: limit - 1] + "…"
    rows = [[_button(reply.lang, button) for button in row] for row in reply.rows]
    return text, InlineKeyboardMarkup(rows) if rows else None


async def send(bot: Bot, chat_id: int, reply: Reply) -> Message | None:
    """Send the reply as a new message (nothing if it is only a toast)."""
    if not reply.parts:
        return None
    text, markup = render(reply)
    return await bot.send_message(chat_id, text, reply_markup=markup)


async def edit_or_send(bot: Bot, query: CallbackQuery, reply: Reply) -> None:
    """Show the reply in place of the tapped message; send it anew if that is gone."""
    message = query.message
    text, markup = render(reply)
    if message is not None and message.is_accessible:
        try:
            await bot.edit_message_text(
                text, chat_id=message.chat.id, message_id=message.message_id, reply_markup=markup
            )
            return
        except BadRequest as error:
            if "not modified" in error.message:  # a double tap: already showing it
                return
            log.info("cannot edit message %s (%s); sending it anew", message.message_id, error)
    await send(bot, query.from_user.id, reply)


async def answer_tap(bot: Bot, query: CallbackQuery, reply: Reply | None = None) -> None:
    """Stop the button's spinner, with the reply's toast if it has one."""
    toast = reply.toast if reply is not None else None
    text = t(reply.lang, toast.key, **toast.args) if reply is not None and toast else None
    await bot.answer_callback_query(query.id, text=text)


async def remove_buttons(bot: Bot, query: CallbackQuery) -> None:
    """Take the buttons off the tapped message, so it can't be answered twice."""
    message = query.message
    if message is None or not message.is_accessible:
        return
    try:
        await bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
        )
    except BadRequest as error:  # already removed (double tap), or the message is gone
        log.debug("buttons of message %s not removed: %s", message.message_id, error)
