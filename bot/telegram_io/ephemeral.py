"""Ephemeral calls: best-effort, never in the way of a reply.

``answerCallbackQuery`` stops a button's spinner (and may show a toast). It is worth
nothing after about 15 seconds ("query is too old"), it is not a message (no flood
limit counts it), and its failure must never abort or delay the tap's real reply. So it
is not put in the outbox: it runs as a task of its own, and a failure is logged at
debug level and forgotten. The tasks are tracked in ``bot_data.ephemeral`` (not with
``Application.create_task``, which warns when the application is not running, as in
``nssf-bot chat`` and tests) and awaited at shutdown.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, CallbackQuery
from telegram.error import TelegramError

from bot.i18n import t
from bot.services.replies import Reply

__all__ = ["answer_tap", "settle"]

log = logging.getLogger(__name__)


async def _answer(bot: Bot, query_id: str, text: str | None) -> None:
    try:
        await bot.answer_callback_query(query_id, text=text)
    except TelegramError as error:  # "query is too old" after a backlog, a network error…
        log.debug("answerCallbackQuery failed (ignored): %s", error)


def answer_tap(
    bot: Bot, tasks: set[asyncio.Task[None]], query: CallbackQuery, reply: Reply | None = None
) -> None:
    """Stop the button's spinner, with the reply's toast if it has one; do not wait."""
    toast = reply.toast if reply is not None else None
    text = t(reply.lang, toast.key, **toast.args) if reply is not None and toast else None
    task = asyncio.ensure_future(_answer(bot, query.id, text))
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def settle(tasks: set[asyncio.Task[None]]) -> None:
    """Wait for the ephemeral calls still in flight."""
    if tasks:
        await asyncio.gather(*list(tasks), return_exceptions=True)
