"""A service's :class:`Reply` as Bot API content: the text and the inline keyboard."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.i18n import t
from bot.services.replies import Button, Reply, Text

__all__ = ["render"]

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
