"""Union staff in their forum group: replies in a case's topic, edits, and card buttons.

Only members of the staff group (``getChatMember``, remembered for a few minutes) and
``ADMIN_IDS`` can act; anyone else's taps are refused with a toast, whatever the button
data says, and their messages are not relayed. A message that starts with ``//`` (or
``/note``) is a note for colleagues and stays in the topic.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, ChatMember, Message, Update, User
from telegram.error import TelegramError

from bot import faqlive
from bot.context import BotContext, BotData
from bot.models import utcnow
from bot.services import cases, gaps, promote, sla
from bot.services.replies import Msg, Reply
from bot.telegram_io import ephemeral
from bot.telegram_io.casehook import outgoing
from bot.telegram_io.outbox import Outgoing, Priority

__all__ = [
    "STAFF_CACHE_SECONDS",
    "STAFF_JOBS",
    "assign_command",
    "card_button",
    "close_button",
    "digest_job",
    "faq_button",
    "faq_command",
    "gaps_command",
    "is_staff",
    "run_digest",
    "run_sla",
    "sla_job",
    "topic_edit",
    "topic_message",
]

log = logging.getLogger(__name__)

# How long a getChatMember answer is trusted: someone removed from the group loses
# their buttons within this time.
STAFF_CACHE_SECONDS = 300.0
_MEMBER_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)


async def is_staff(context: BotContext, user_id: int) -> bool:
    """Whether the user is an admin (ADMIN_IDS) or a member of the staff group."""
    settings = context.settings
    if user_id in settings.admin_ids:
        return True
    staff_chat = settings.staff_chat_id
    if staff_chat is None:
        return False
    cache = context.bot_data.staff_members
    now = time.monotonic()
    cached = cache.get(user_id)
    if cached is not None and now - cached[0] < STAFF_CACHE_SECONDS:
        return cached[1]
    try:
        member = await context.bot.get_chat_member(staff_chat, user_id)
    except TelegramError as error:  # not cached: the next tap asks again
        log.info("getChatMember failed: %s", error)
        return False
    allowed = member.status in _MEMBER_STATUSES or (
        member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
    )
    if len(cache) > 1000:
        cache.clear()
    cache[user_id] = (now, allowed)
    return allowed


async def _put(
    context: BotContext, session: AsyncSession, update: Update, result: cases.Result | None
) -> None:
    staff_chat = context.settings.staff_chat_id
    assert staff_chat is not None, "registered only with a staff group"
    items = outgoing(result, staff_chat) if result is not None else []
    await context.outbox.put(session, *items, update_id=update.update_id)


def _name(update: Update) -> str:
    user = update.effective_user
    return user.first_name if user is not None else "?"


async def _staff_in_topic(update: Update, context: BotContext) -> tuple[Message, int, User] | None:
    """The message, its topic and its author, when a staff member wrote it in a topic.

    Checked before the handler's transaction: ``is_staff`` may ask Telegram
    (getChatMember), and a network call must not hold the database connection."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    thread_id = message.message_thread_id
    if user is None or thread_id is None or not await is_staff(context, user.id):
        return None
    return message, thread_id, user


async def topic_message(update: Update, context: BotContext) -> None:
    """A staff message in a case's topic: copied to the worker (a note is not)."""
    staff = await _staff_in_topic(update, context)
    async with context.database.transaction() as session:
        result = None
        if staff is not None:
            message, thread_id, user = staff
            result = await cases.staff_message(
                session,
                context.desk,
                thread_id=thread_id,
                message_id=message.message_id,
                text=message.text or message.caption,
                staff_id=user.id,
                staff_name=_name(update),
            )
        await _put(context, session, update, result)


async def topic_edit(update: Update, context: BotContext) -> None:
    """A staff member edited a relayed text or caption: the worker's copy is edited too."""
    staff = await _staff_in_topic(update, context)
    async with context.database.transaction() as session:
        result = None
        if staff is not None and (staff[0].text or staff[0].caption):
            message, thread_id, _ = staff
            text = message.text or message.caption
            assert text is not None
            result = await cases.staff_edit(
                session,
                context.desk,
                thread_id=thread_id,
                message_id=message.message_id,
                text=text,
                caption=not message.text,
            )
        await _put(context, session, update, result)


async def gaps_command(update: Update, context: BotContext) -> None:
    """/gaps: the biggest groups of questions the FAQ could not answer (last 30 days)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    staff_chat = context.settings.staff_chat_id
    assert staff_chat is not None, "registered only with a staff group"
    allowed = user is not None and await is_staff(context, user.id)  # not in the transaction
    async with context.database.transaction() as session:
        items: list[Outgoing] = []
        if allowed:
            reply = await gaps.report(session, context.desk, now=utcnow())
            thread = message.message_thread_id if message.is_topic_message else None
            items.append(
                Outgoing.reply(staff_chat, reply, priority=Priority.STAFF, thread_id=thread)
            )
        await context.outbox.put(session, *items, update_id=update.update_id)


def _refuse(context: BotContext, query: CallbackQuery, key: str) -> None:
    reply = Reply(context.desk.staff_language, toast=Msg(key))
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, reply)


async def _allowed(update: Update, context: BotContext) -> CallbackQuery | None:
    """The tap, if it is on a message in the staff group by a staff member."""
    query = update.callback_query
    assert query is not None
    message = query.message
    in_staff_chat = message is not None and message.chat.id == context.settings.staff_chat_id
    if not in_staff_chat or not await is_staff(context, query.from_user.id):
        _refuse(context, query, "staff-only")
        async with context.database.transaction() as session:
            await _put(context, session, update, None)
        return None
    return query


async def card_button(update: Update, context: BotContext) -> None:
    """Claim, unclaim, take over, close (the outcome menu) or back, on a case card."""
    query = await _allowed(update, context)
    if query is None:
        return
    assert context.matches
    action = context.matches[0].group("action")
    case_id = int(context.matches[0].group("case"))
    staff_id, name = query.from_user.id, query.from_user.first_name
    desk = context.desk
    async with context.database.transaction() as session:
        if action == "c":
            result = await cases.claim(session, desk, case_id, staff_id, name)
        elif action == "u":
            result = await cases.unclaim(session, desk, case_id, staff_id)
        elif action == "t":
            result = await cases.take_over(session, desk, case_id, staff_id, name)
        elif action == "p":
            result = await promote.start(session, desk, case_id)
        else:
            result = await cases.close_menu(session, desk, case_id, back=action == "b")
        await _put(context, session, update, result)
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, result.reply)


async def assign_command(update: Update, context: BotContext) -> None:
    """/assign, replying to a colleague's message in a case's topic: the case is theirs
    (they must be staff too)."""
    staff = await _staff_in_topic(update, context)
    message = update.effective_message
    assert message is not None
    replied = message.reply_to_message
    target = replied.from_user if replied is not None else None
    if target is not None and (target.is_bot or replied is None or replied.forum_topic_created):
        target = None  # a reply to the topic itself, or to the bot: nobody named
    allowed = staff is not None and target is not None and await is_staff(context, target.id)
    async with context.database.transaction() as session:
        result = None
        if staff is not None:
            _, thread_id, _ = staff
            result = await cases.assign(
                session,
                context.desk,
                thread_id=thread_id,
                by_name=_name(update),
                to_id=target.id if target is not None and allowed else None,
                to_name=target.first_name if target is not None else "",
            )
        await _put(context, session, update, result)


async def faq_command(update: Update, context: BotContext) -> None:
    """/faq in a case's topic: an FAQ entry drafted from the case, shown for approval."""
    staff = await _staff_in_topic(update, context)
    async with context.database.transaction() as session:
        result = None
        if staff is not None:
            message, thread_id, user = staff
            result = await promote.draft(
                session,
                context.desk,
                thread_id=thread_id,
                text=message.text or "",
                staff_id=user.id,
                staff_name=_name(update),
            )
        await _put(context, session, update, result)


async def faq_button(update: Update, context: BotContext) -> None:
    """Approve or reject a colleague's FAQ entry. Approved, it is live at once (the
    matcher is rebuilt off the event loop), and workers whose unanswered questions it
    answers get it."""
    query = await _allowed(update, context)
    if query is None:
        return
    assert context.matches
    draft_id = int(context.matches[0].group("draft"))
    name = query.from_user.first_name
    live = None
    async with context.database.transaction() as session:
        if context.matches[0].group("approve") == "1":
            result, live = await promote.approve(
                session, context.desk, draft_id, query.from_user.id, name
            )
        else:
            result = await promote.reject(session, context.desk, draft_id, name)
        await _put(context, session, update, result)
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, result.reply)
    if live is not None:
        desk = await faqlive.refresh(context.bot_data)
        entry = desk.faq.get(f"staff-{live.id}")
        if entry is not None:
            async with context.database.transaction() as session:
                backlog = await promote.clear_backlog(session, desk, entry, now=utcnow())
                staff_chat = context.settings.staff_chat_id
                assert staff_chat is not None
                await context.outbox.put(session, *outgoing(backlog, staff_chat))


async def close_button(update: Update, context: BotContext) -> None:
    """An outcome picked: the case closes, the worker is told and asked if it helped."""
    query = await _allowed(update, context)
    if query is None:
        return
    assert context.matches
    case_id = int(context.matches[0].group("case"))
    outcome = context.matches[0].group("outcome")
    async with context.database.transaction() as session:
        result = await cases.close(
            session, context.desk, case_id, outcome, query.from_user.first_name
        )
        await _put(context, session, update, result)
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, result.reply)


# --- scheduled: the first-response target and the daily digest ------------------------


def _week(data: BotData) -> sla.WorkingWeek:
    settings = data.settings
    return sla.WorkingWeek.parse(settings.timezone, settings.working_days, settings.working_hours)


async def run_sla(data: BotData, now: dt.datetime) -> None:
    """Queue the reminders due at ``now`` (each once: the case remembers it)."""
    staff_chat = data.settings.staff_chat_id
    assert staff_chat is not None, "scheduled only with a staff group"
    async with data.database.transaction() as session:
        result = await sla.check(session, data.desk, _week(data), now, data.settings.admin_ids)
        await data.outbox.put(session, *outgoing(result, staff_chat))


async def run_digest(data: BotData, now: dt.datetime) -> None:
    """Queue the daily digest for the staff group's General topic."""
    staff_chat = data.settings.staff_chat_id
    assert staff_chat is not None, "scheduled only with a staff group"
    async with data.database.transaction() as session:
        result = await sla.digest(session, data.desk, _week(data), now)
        await data.outbox.put(session, *outgoing(result, staff_chat))


async def sla_job(context: BotContext) -> None:
    """The JobQueue's SLA check (every few minutes; all state is in the database)."""
    await run_sla(context.bot_data, utcnow())


async def digest_job(context: BotContext) -> None:
    """The JobQueue's daily digest."""
    await run_digest(context.bot_data, utcnow())


# The jobs build_application schedules when a staff group is configured: (name, callback,
# "every" seconds, or "daily" at DIGEST_HOUR in TIMEZONE).
STAFF_JOBS: tuple[tuple[str, Any, str | float], ...] = (
    ("sla", sla_job, 300.0),
    ("digest", digest_job, "daily"),
)
