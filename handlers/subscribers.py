"""A worker's broadcast subscription: /subscribe, /unsubscribe, STOP, the opt-in buttons.

Thin like handlers/worker.py: one service call (services/subscriptions.py) in one
transaction, the reply put in the outbox in that transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.services import Desk, subscriptions
from bot.services.replies import Reply
from handlers.worker import _field, _in_place, _new_message, _put, _query, _stop_spinner, _user_id

__all__ = [
    "decline",
    "set_province",
    "set_sector",
    "skip_employer",
    "stop",
    "subscribe",
    "subscribe_tap",
    "toggle_topic",
    "topics_done",
]


async def subscribe(update: Update, context: BotContext) -> None:
    """/subscribe: every topic, then the buttons to narrow them."""
    async with context.database.transaction() as session:
        reply = await subscriptions.subscribe(session, context.desk, _user_id(update))
        await _put(context, session, update, *_new_message(update, reply))


async def stop(update: Update, context: BotContext) -> None:
    """/unsubscribe, "STOP", "ឈប់": out of everything, in one confirming message."""
    async with context.database.transaction() as session:
        reply = await subscriptions.unsubscribe(session, context.desk, _user_id(update))
        await _put(context, session, update, *_new_message(update, reply))


async def _tap(
    update: Update,
    context: BotContext,
    service: Callable[[AsyncSession, Desk, int], Awaitable[Reply]],
) -> None:
    """A subscription button: the service's answer replaces the tapped message."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await service(session, context.desk, query.from_user.id)
        await _put(context, session, update, *_in_place(query, reply))


async def subscribe_tap(update: Update, context: BotContext) -> None:
    """ "Yes" under the offer: subscribed to every topic; the offer becomes the topics."""
    await _tap(update, context, subscriptions.subscribe)


async def decline(update: Update, context: BotContext) -> None:
    """ "No thanks" under the offer: remembered; the offer is replaced by a short answer."""
    await _tap(update, context, subscriptions.decline)


async def toggle_topic(update: Update, context: BotContext) -> None:
    """A topic button: on or off, the marks updated in place."""
    topic = _field(context, "topic")

    async def toggle(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
        return await subscriptions.toggle_topic(session, desk, user_id, topic)

    await _tap(update, context, toggle)


async def set_sector(update: Update, context: BotContext) -> None:
    """The optional profile's answer (or skip), in place of the question."""
    sector = _field(context, "sector")

    async def answer(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
        return await subscriptions.set_sector(session, desk, user_id, sector)

    await _tap(update, context, answer)


async def topics_done(update: Update, context: BotContext) -> None:
    """Done: the topics they will get, in place of the buttons."""
    await _tap(update, context, subscriptions.topics_done)


# --- the optional profile: province and employer ----------------------------------------


async def set_province(update: Update, context: BotContext) -> None:
    """The profile's province (or skip), in place of the question; then the next one."""
    province = _field(context, "province")

    async def answer(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
        return await subscriptions.set_province(session, desk, user_id, province)

    await _tap(update, context, answer)


async def skip_employer(update: Update, context: BotContext) -> None:
    """Skip under the employer question, in place of it."""
    await _tap(update, context, subscriptions.skip_employer)
