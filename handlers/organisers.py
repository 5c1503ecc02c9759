"""Organisers in their private chat: /broadcast, /campaigns, and their buttons.

Registered for ORGANISER_IDS only (bot/app.py): anyone else's /broadcast is an unknown
command, and their taps on organiser buttons reach the stale-button handler. While an
organiser writes a broadcast, their next message is the broadcast's (a handler in an
earlier group takes it and stops there); otherwise it is an ordinary question.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.models import utcnow
from bot.services import organisers, subscriptions
from bot.services.replies import Reply
from bot.telegram_io.outbox import Outgoing
from handlers.worker import (
    _field,
    _put,
    _query,
    _stop_spinner,
    _user_id,
    _without_buttons,
)
from handlers.worker import _in_place as _edit

__all__ = [
    "attend",
    "broadcast",
    "campaigns_command",
    "choose_employer",
    "choose_province",
    "choose_sector",
    "choose_when",
    "control",
    "decide",
    "draft_input",
    "list_provinces",
    "segment_done",
    "skip_english",
    "submit",
    "toggle_paid",
    "toggle_rsvp",
    "toggle_segment",
]


def _team(context: BotContext) -> organisers.Team:
    settings = context.settings
    return organisers.Team(
        settings.organiser_ids,
        context.bot_data.sender.pacing.bulk_rate,
        settings.zone,
        settings.default_language,
        settings.paid_broadcasts,
        context.bot_data.sender.pacing.paid_rate,
    )


async def broadcast(update: Update, context: BotContext) -> None:
    """/broadcast: a new draft; "send the message in Khmer"."""
    async with context.database.transaction() as session:
        items = await organisers.begin(session, _team(context), _user_id(update), utcnow())
        await _put(context, session, update, *items)


async def campaigns_command(update: Update, context: BotContext) -> None:
    """/campaigns: the latest broadcasts with their figures and controls."""
    chat_id = _user_id(update)
    async with context.database.transaction() as session:
        reply = await organisers.list_campaigns(session, _team(context), chat_id)
        await _put(context, session, update, Outgoing.reply(chat_id, reply))


async def draft_input(update: Update, context: BotContext) -> None:
    """The text, photo or document a draft waits for; anything else goes on to the
    worker handlers (an organiser may ask questions too)."""
    message = update.effective_message
    assert message is not None
    media = message.message_id if (message.photo or message.document) else None
    async with context.database.transaction() as session:
        items = await organisers.take_input(
            session,
            _team(context),
            _user_id(update),
            message.text or message.caption,
            media,
            utcnow(),
        )
        if items is not None:
            await _put(context, session, update, *items)
    if items is not None:
        raise ApplicationHandlerStop  # taken: not a question


async def _in_place(
    update: Update,
    context: BotContext,
    make: Callable[[AsyncSession, organisers.Team, int], Awaitable[Reply]],
) -> None:
    """A tap whose answer replaces the tapped message."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await make(session, _team(context), query.from_user.id)
        await _put(context, session, update, *_edit(query, reply))


async def _messages(
    update: Update,
    context: BotContext,
    make: Callable[[AsyncSession, organisers.Team, int], Awaitable[list[Outgoing]]],
) -> None:
    """A tap answered with new messages (perhaps to others); its buttons go away."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        items = await make(session, _team(context), query.from_user.id)
        await _put(context, session, update, *_without_buttons(query), *items)


async def skip_english(update: Update, context: BotContext) -> None:
    """Skip the English version: the segment buttons, in place."""
    await _in_place(update, context, organisers.skip_english)


async def toggle_segment(update: Update, context: BotContext) -> None:
    """Every subscriber, or a topic on or off: the marks updated in place."""
    topic = _field(context, "topic")
    await _in_place(
        update, context, lambda s, team, user: organisers.toggle_segment(s, team, user, topic)
    )


async def choose_sector(update: Update, context: BotContext) -> None:
    """Any kind of work, or one sector: the marks updated in place."""
    sector = _field(context, "sector")
    await _in_place(
        update, context, lambda s, team, user: organisers.choose_sector(s, team, user, sector)
    )


async def list_provinces(update: Update, context: BotContext) -> None:
    """The provinces to narrow the segment to, in place."""
    await _in_place(update, context, organisers.list_provinces)


async def choose_province(update: Update, context: BotContext) -> None:
    """Every province, or one: back to the segment, in place."""
    province = _field(context, "province")
    await _in_place(
        update, context, lambda s, team, user: organisers.choose_province(s, team, user, province)
    )


async def choose_employer(update: Update, context: BotContext) -> None:
    """Narrow to an employer (the next text is its name), or every employer again."""
    every = context.matches[0].group("any") is not None if context.matches else False
    await _in_place(
        update, context, lambda s, team, user: organisers.choose_employer(s, team, user, every)
    )


async def segment_done(update: Update, context: BotContext) -> None:
    """Next: when to send, in place."""
    await _in_place(update, context, organisers.segment_done)


async def choose_when(update: Update, context: BotContext) -> None:
    """Now, urgent, weekly or monthly: the preview and the summary (or "type the date")."""
    when = _field(context, "when")
    await _messages(
        update, context, lambda s, team, user: organisers.choose_when(s, team, user, when)
    )


async def submit(update: Update, context: BotContext) -> None:
    """Request approval: the other organisers get the preview with Approve / Reject."""
    campaign = int(_field(context, "campaign"))
    await _messages(
        update, context, lambda s, team, user: organisers.submit(s, team, user, campaign)
    )


async def decide(update: Update, context: BotContext) -> None:
    """Approve or Reject (never one's own); the author is told."""
    campaign = int(_field(context, "campaign"))
    approve = _field(context, "decision") == "approve"
    await _messages(
        update,
        context,
        lambda s, team, user: organisers.decide(s, team, user, campaign, approve, utcnow()),
    )


async def toggle_rsvp(update: Update, context: BotContext) -> None:
    """Add or remove the "I'll attend" button: the summary again, in place."""
    campaign = int(_field(context, "campaign"))
    await _in_place(
        update, context, lambda s, team, user: organisers.toggle_rsvp(s, team, user, campaign)
    )


async def toggle_paid(update: Update, context: BotContext) -> None:
    """A paid broadcast or not (when an admin allows them): the summary again, in place."""
    campaign = int(_field(context, "campaign"))
    await _in_place(
        update, context, lambda s, team, user: organisers.toggle_paid(s, team, user, campaign)
    )


async def control(update: Update, context: BotContext) -> None:
    """Pause, resume, cancel (from /campaigns) or discard a draft: the answer in place."""
    campaign = int(_field(context, "campaign"))
    action = _field(context, "action")
    await _in_place(
        update,
        context,
        lambda s, team, user: organisers.control(s, team, user, campaign, action, utcnow()),
    )


async def attend(update: Update, context: BotContext) -> None:
    """A worker's "I'll attend" under an event broadcast: counted, thanked in a toast."""
    query = _query(update)
    async with context.database.transaction() as session:
        reply = await subscriptions.attend(
            session, context.desk, query.from_user.id, int(_field(context, "campaign"))
        )
        await _put(context, session, update)
    _stop_spinner(context, query, reply)
