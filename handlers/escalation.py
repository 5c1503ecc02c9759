"""A worker's side of escalation: /ask, /cases, the case buttons, and the relay.

Registered only when a staff group is configured. :func:`relay` takes a worker's text
and media before the usual handlers: while the worker has a case open or being prepared,
their messages belong to it; otherwise text is a question for the FAQ (handed on to
``worker.ask``), and a voice note, photo or file gets the offer to send it to staff.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import BotContext
from bot.i18n import Lang
from bot.services import cases, subscriptions
from bot.services.replies import Reply
from bot.telegram_io import ephemeral
from bot.telegram_io.casehook import outgoing
from bot.telegram_io.outbox import Outgoing
from handlers import worker

__all__ = [
    "ask_command",
    "ask_staff",
    "blocked",
    "case_category",
    "case_close",
    "case_feedback",
    "case_reopen",
    "case_skip",
    "cases_command",
    "choose_language",
    "edited",
    "relay",
    "share_name",
]

_VOICE = ("voice", "audio", "video_note")


def _reply_items(chat_id: int, reply: Reply | None) -> tuple[Outgoing, ...]:
    return (Outgoing.reply(chat_id, reply),) if reply is not None and reply.parts else ()


async def _put(
    update: Update,
    context: BotContext,
    result: cases.Result,
    chat_id: int,
    session: AsyncSession,
) -> None:
    staff_chat = context.settings.staff_chat_id
    assert staff_chat is not None, "registered only with a staff group"
    items = (*_reply_items(chat_id, result.reply), *outgoing(result, staff_chat))
    await context.outbox.put(session, *items, update_id=update.update_id)


def _kind(message: Message) -> str:
    if any(getattr(message, kind) for kind in _VOICE):
        return "media-voice-staff"
    return "media-picture-staff"


async def relay(update: Update, context: BotContext) -> None:
    """A message while a case is open goes to it ("sent to union staff, case #12"); one
    while the bot prepares a case answers its question; media without a case gets the
    offer to send it to staff. Other text: a question for the FAQ."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    media = message.text is None
    incoming = cases.Incoming(message.message_id, message.text or message.caption, media)
    async with context.database.transaction() as session:
        result = await cases.incoming(session, context.desk, user.id, incoming)
        if result is None and media:
            reply = await cases.media_offer(
                session, context.desk, user.id, message.message_id, _kind(message)
            )
            result = cases.Result(reply)
        if result is not None:
            await _put(update, context, result, user.id, session)
        else:  # text no case takes: a question for the FAQ, in this same transaction
            await worker.answer(update, context, session)


async def ask_command(update: Update, context: BotContext) -> None:
    """/ask: "write your question for union staff"."""
    user = update.effective_user
    assert user is not None
    async with context.database.transaction() as session:
        reply = await cases.ask_command(session, context.desk, user.id)
        await _put(update, context, cases.Result(reply), user.id, session)


async def cases_command(update: Update, context: BotContext) -> None:
    """/cases: the worker's cases, with a Close button for an open one."""
    user = update.effective_user
    assert user is not None
    async with context.database.transaction() as session:
        reply = await cases.my_cases(session, context.desk, user.id)
        await _put(update, context, cases.Result(reply), user.id, session)


def _int(context: BotContext, group: str) -> int:
    assert context.matches, "registered with a pattern"
    return int(context.matches[0].group(group))


def _group(context: BotContext, group: str) -> str:
    assert context.matches, "registered with a pattern"
    return str(context.matches[0].group(group))


Service = Callable[[AsyncSession, int], Awaitable["Reply | cases.Result"]]


async def _tapped(update: Update, context: BotContext, service: Service) -> None:
    """A worker's tap: one service call, its posts in the outbox, the spinner stopped
    (with the reply's toast, if it is one)."""
    query = update.callback_query
    assert query is not None
    async with context.database.transaction() as session:
        done = await service(session, query.from_user.id)
        result = done if isinstance(done, cases.Result) else cases.Result(done)
        await _put(update, context, result, query.from_user.id, session)
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, result.reply)


async def ask_staff(update: Update, context: BotContext) -> None:
    """ "Ask union staff": the question confirmed, and the categories to pick from."""
    question, message = _int(context, "question"), _int(context, "message")
    await _tapped(
        update,
        context,
        lambda session, user: cases.begin(session, context.desk, user, question, message),
    )


async def case_category(update: Update, context: BotContext) -> None:
    """A category picked: "which factory or employer? (you may skip)"."""
    case, category = _int(context, "case"), _group(context, "category")
    await _tapped(
        update,
        context,
        lambda session, user: cases.choose_category(session, context.desk, user, case, category),
    )


async def case_skip(update: Update, context: BotContext) -> None:
    """No employer: the case opens; its number and the expected wait."""
    case = _int(context, "case")
    await _tapped(
        update,
        context,
        lambda session, user: cases.skip_employer(session, context.desk, user, case),
    )


async def case_close(update: Update, context: BotContext) -> None:
    """The worker closes their case (or cancels it before it was sent)."""
    case = _int(context, "case")
    await _tapped(
        update,
        context,
        lambda session, user: cases.worker_close(session, context.desk, user, case),
    )


async def case_reopen(update: Update, context: BotContext) -> None:
    """The worker reopens a recently closed case: their messages go to it again."""
    case = _int(context, "case")
    await _tapped(
        update,
        context,
        lambda session, user: cases.reopen(session, context.desk, user, case),
    )


async def share_name(update: Update, context: BotContext) -> None:
    """ "Show my name to staff": their Telegram name (and @username) goes to the topic."""
    query = update.callback_query
    assert query is not None
    case = _int(context, "case")
    user = query.from_user
    name = user.full_name + (f" (@{user.username})" if user.username else "")
    await _tapped(
        update,
        context,
        lambda session, user_id: cases.share_name(session, context.desk, user_id, case, name),
    )


async def case_feedback(update: Update, context: BotContext) -> None:
    """👍 / 👎 after staff closed the case: a toast; the buttons go; the topic hears it."""
    query = update.callback_query
    assert query is not None
    case, helped = _int(context, "case"), _group(context, "helped") == "1"
    async with context.database.transaction() as session:
        result = await cases.feedback(session, context.desk, query.from_user.id, case, helped)
        items = list(outgoing(result, context.settings.staff_chat_id or 0))
        message = query.message
        if result.reply is not None and result.reply.parts:
            items.append(Outgoing.reply(query.from_user.id, result.reply))
        elif message is not None and isinstance(message, Message):
            items.append(_without_row(message, query.data))  # the Reopen button stays
        await context.outbox.put(session, *items, update_id=update.update_id)
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, result.reply)


def _without_row(message: Message, data: str | None) -> Outgoing:
    """The message's buttons less the row of the one tapped (all of them if none stay)."""
    markup = message.reply_markup
    rows = [
        row
        for row in (markup.inline_keyboard if markup is not None else ())
        if all(button.callback_data != data for button in row)
    ]
    if not rows:
        return Outgoing.remove_buttons(message.chat.id, message.message_id)
    params = {
        "message_id": message.message_id,
        "reply_markup": InlineKeyboardMarkup(rows).to_dict(),
    }
    return Outgoing(message.chat.id, "editMessageReplyMarkup", params)


async def edited(update: Update, context: BotContext) -> None:
    """A worker edited a message that went to their open case: the topic's copy is
    edited too. Any other edit gets the usual "I only read new messages"."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    result = None
    text = message.text or message.caption  # a caption edit is carried like a text edit
    if text:
        async with context.database.transaction() as session:
            result = await cases.worker_edit(
                session,
                context.desk,
                user.id,
                message.message_id,
                text,
                caption=not message.text,
            )
            if result is not None:
                await _put(update, context, result, user.id, session)
    if result is None:
        await worker.edited_message(update, context)


async def blocked(update: Update, context: BotContext) -> None:
    """The worker blocked or unblocked the bot (as ``worker.membership``: remembered, and
    a block unsubscribes from broadcasts); on a block their open cases also close as "no
    reply" and each topic says so. One transaction, so a crash can't split them."""
    member = update.my_chat_member
    assert member is not None
    user_id = member.from_user.id
    kicked = member.new_chat_member.status == "kicked"
    async with context.database.transaction() as session:
        await subscriptions.set_blocked(session, context.desk, user_id, kicked)
        result = await cases.worker_unreachable(session, context.desk, user_id) if kicked else None
        if result is not None and result.staff:
            await _put(update, context, result, user_id, session)
        else:
            await context.outbox.put(session, update_id=update.update_id)


async def choose_language(update: Update, context: BotContext) -> None:
    """A language chosen (``worker.choose_language``); with a case open, its topic is told
    and its card shows the new language, in the same transaction."""

    async def tell_staff(session: AsyncSession, user_id: int, lang: Lang) -> list[Outgoing]:
        staff_chat = context.settings.staff_chat_id
        assert staff_chat is not None, "registered only with a staff group"
        result = await cases.language_changed(session, context.desk, user_id, lang)
        return outgoing(result, staff_chat)

    await worker.choose_language(update, context, tell_staff)
