"""The error handler: log every failure, never show a crash, remember blocked workers."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.context import BotContext
from bot.db import GroupFailed
from bot.i18n import Lang
from bot.services import workers
from bot.services.replies import Reply
from bot.telegram_io.outbox import Outgoing
from bot.telegram_io.render import render

__all__ = ["on_error"]

log = logging.getLogger(__name__)


def _private_user(update: object) -> int | None:
    """The worker's id when the update comes from their private chat."""
    if not isinstance(update, Update) or update.effective_user is None:
        return None
    chat = update.effective_chat
    if chat is not None and chat.type != chat.PRIVATE:
        return None
    return update.effective_user.id


async def _mark_blocked(context: BotContext, user_id: int) -> None:
    try:
        async with context.database.transaction() as session:
            await workers.set_blocked(session, context.desk, user_id, True)
    except Exception:
        log.exception("could not record that user %s blocked the bot", user_id)


async def _apologize(context: BotContext, user_id: int, update_id: int | None) -> None:
    """Tell the worker something went wrong, in their language if the database answers.

    The apology goes through the outbox like every message, and the update is marked
    handled with it (handling it again would fail again). If the database itself is down,
    nothing can be stored: the apology is sent directly, best effort, in the default
    language, and the update stays unhandled, so it is answered once the database is back.
    """
    try:
        async with context.database.transaction() as session:
            lang: Lang = await workers.language_of(session, context.desk, user_id)
            apology = Outgoing.reply(user_id, Reply.say(lang, "error-generic"))
            await context.outbox.put(session, apology, update_id=update_id)
        return
    except Exception:
        log.warning("could not store an apology to user %s (database error)", user_id)
    text, _ = render(Reply.say(context.desk.default_language, "error-generic"))
    try:
        await context.bot.send_message(user_id, text)
    except TelegramError as error:
        log.warning("could not apologize to user %s: %s", user_id, error)


async def on_error(update: object, context: BotContext) -> None:
    """Nothing, or "sorry, something went wrong, please try again" in a private chat."""
    error = context.error
    user_id = _private_user(update)
    update_id = update.update_id if isinstance(update, Update) else None
    if user_id is not None:  # whatever failed, the next update reads the worker afresh
        workers.forget_seen(context.desk, user_id)
    if isinstance(error, GroupFailed):
        # The update shared a commit with others (runner.py): all of it is rolled back
        # and each is handled again on its own, where a real error comes here again.
        log.debug("update %s: its group is handled again one by one", update_id)
        return
    if isinstance(error, Forbidden):
        # "bot was blocked by the user", "user is deactivated": stop talking to them.
        log.info("update %s: user %s can't be reached: %s", update_id, user_id, error.message)
        if user_id is not None:
            await _mark_blocked(context, user_id)
        return
    if isinstance(error, BadRequest):
        log.warning("update %s: Telegram refused a call: %s", update_id, error.message)
    elif isinstance(error, RetryAfter | NetworkError):
        # Rate limited or Telegram unreachable: an apology would fail the same way.
        log.warning("update %s: %s", update_id, error)
        return
    else:
        log.error("update %s failed", update_id, exc_info=error)
    if user_id is not None:
        await _apologize(context, user_id, update_id)
