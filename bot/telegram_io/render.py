"""A service's :class:`Reply` as Bot API content: the text and the inline keyboard."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.i18n import t
from bot.services.replies import Button, Reply, Text

__all__ = ["render", "render_json"]

log = logging.getLogger(__name__)


def _text(lang: str, text: Text) -> str:
    return text if isinstance(text, str) else t(lang, text.key, **text.args)


def _button(lang: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        _text(lang, button.label), callback_data=button.data, url=button.url
    )


def _message_text(reply: Reply) -> str:
    """The paragraphs joined by a blank line, cut to Telegram's limit."""
    parts = [_text(reply.lang, part).strip() for part in reply.parts]
    text = "\n\n".join(part for part in parts if part)
    limit = MessageLimit.MAX_TEXT_LENGTH
    if len(text) > limit:
        # The FAQ checker keeps answers well under the limit; never fail a worker over it.
        log.warning("reply of %d characters cut to %d", len(text), limit)
        text = text[: limit - 1] + "…"
    return text


def render(reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message text (paragraphs joined by a blank line) and its inline keyboard."""
    rows = [[_button(reply.lang, button) for button in row] for row in reply.rows]
    return _message_text(reply), InlineKeyboardMarkup(rows) if rows else None


def _button_json(lang: str, button: Button) -> dict[str, str]:
    # The keys and their order of InlineKeyboardButton.to_dict(), None left out.
    fields = {"callback_data": button.data, "text": _text(lang, button.label), "url": button.url}
    return {key: value for key, value in fields.items() if value is not None}


def render_json(reply: Reply) -> tuple[str, dict[str, Any] | None]:
    """As :func:`render`, with the keyboard as the JSON object ``to_dict()`` makes of it,
    built directly (the outbox stores that; Telegram objects would only be thrown away)."""
    rows = [[_button_json(reply.lang, button) for button in row] for row in reply.rows]
    return _message_text(reply), {"inline_keyboard": rows} if rows else None
