"""What a worker sees in a private chat: commands, questions, buttons, everything else.

Each handler parses the update, makes one service call inside one transaction, and puts
the reply in the outbox in that same transaction (the sender delivers it); a tap's
spinner is stopped by an ephemeral call that never holds the reply up. Filters at
registration (bot/app.py) decide which updates reach each handler.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, Update

from bot.context import BotContext
from bot.i18n import Lang, is_language
from bot.menu import menu
from bot.services import questions, subscriptions, topics, workers
from bot.services.replies import Reply
from bot.telegram_io import ephemeral
from bot.telegram_io.outbox import Outgoing

__all__ = [
    "answer",
    "ask",
    "browse_category",
    "browse_topics",
    "choose",
    "choose_language",
    "edited_message",
    "group_message",
    "help_command",
    "helpful",
    "language",
    "location",
    "membership",
    "none_of_these",
    "not_helpful",
    "open_entry",
    "other_message",
    "picture_or_file",
    "stale_button",
    "start",
    "sticker",
    "topics_command",
    "unknown_command",
    "voice_message",
]


def _user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None, "filters let only updates from a user through"
    return user.id


def _hint(update: Update) -> Lang | None:
    """The language of the worker's Telegram app, if it is one of ours (for new workers)."""
    user = update.effective_user
    code = (user.language_code or "").split("-")[0].lower() if user is not None else ""
    return code if is_language(code) else None


def _query(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None, "registered as a CallbackQueryHandler"
    return query


async def _put(
    context: BotContext, session: AsyncSession, update: Update, *items: Outgoing
) -> None:
    """The messages, and the mark that this update was handled, in the transaction."""
    await context.outbox.put(session, *items, update_id=update.update_id)


def _new_message(update: Update, reply: Reply) -> tuple[Outgoing, ...]:
    """The reply as a new message in the update's chat (nothing if it is only a toast)."""
    chat = update.effective_chat
    assert chat is not None
    return (Outgoing.reply(chat.id, reply),) if reply.parts else ()


def _new_messages(update: Update, replies: tuple[Reply, ...]) -> tuple[Outgoing, ...]:
    """Each reply as a new message, in order."""
    return tuple(item for reply in replies for item in _new_message(update, reply))


def _in_place(query: CallbackQuery, reply: Reply) -> tuple[Outgoing, ...]:
    """The reply in place of the tapped message (sent anew if that is gone)."""
    message = query.message
    if message is not None and message.is_accessible:
        return (Outgoing.edit(message.chat.id, message.message_id, reply),)
    return (Outgoing.reply(query.from_user.id, reply),)


def _without_buttons(query: CallbackQuery) -> tuple[Outgoing, ...]:
    """Take the buttons off the tapped message, so it can't be answered twice."""
    message = query.message
    if message is None or not message.is_accessible:
        return ()
    return (Outgoing.remove_buttons(message.chat.id, message.message_id),)


def _stop_spinner(context: BotContext, query: CallbackQuery, reply: Reply | None = None) -> None:
    ephemeral.answer_tap(context.bot, context.bot_data.ephemeral, query, reply)


async def _polite(update: Update, context: BotContext, key: str) -> None:
    """Answer with one short catalogue message in the worker's language."""
    async with context.database.transaction() as session:
        reply = await workers.polite(session, context.desk, _user_id(update), key, _hint(update))
        await _put(context, session, update, *_new_message(update, reply))


def _match(context: BotContext, group: str) -> str | None:
    assert context.matches, "registered with a pattern"
    return context.matches[0].group(group)


def _field(context: BotContext, group: str) -> str:
    value = _match(context, group)
    assert value is not None, "the pattern requires it"
    return value


# --- commands ----------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> None:
    """Greeting in the worker's language (Khmer first), the language buttons, data use."""
    payload = context.args[0] if context.args else None
    async with context.database.transaction() as session:
        # A campaign deep link also brings the offer of news (services/subscriptions.py).
        replies = await subscriptions.start(
            session, context.desk, _user_id(update), payload, _hint(update)
        )
        await _put(context, session, update, *_new_messages(update, replies))


async def help_command(update: Update, context: BotContext) -> None:
    """What the bot does, its commands, the hotlines, and how data is used."""
    async with context.database.transaction() as session:
        reply = await workers.help_text(session, context.desk, _user_id(update))
        await _put(context, session, update, *_new_message(update, reply))


async def language(update: Update, context: BotContext) -> None:
    """The ភាសាខ្មែរ / English buttons."""
    async with context.database.transaction() as session:
        reply = await workers.language_menu(session, context.desk, _user_id(update))
        await _put(context, session, update, *_new_message(update, reply))


async def topics_command(update: Update, context: BotContext) -> None:
    """The FAQ categories as buttons."""
    async with context.database.transaction() as session:
        reply = await topics.categories(session, context.desk, _user_id(update))
        await _put(context, session, update, *_new_message(update, reply))


async def unknown_command(update: Update, context: BotContext) -> None:
    """ "I don't know that command", with the commands that exist."""
    await _polite(update, context, "unknown-command")


# --- questions ---------------------------------------------------------------------


async def ask(update: Update, context: BotContext) -> None:
    """The answer with its date and source and 👍 / 👎; or choices; or the hotlines."""
    async with context.database.transaction() as session:
        await answer(update, context, session)


async def answer(update: Update, context: BotContext, session: AsyncSession) -> None:
    """``ask`` inside the caller's transaction (escalation's relay, when no case takes
    the text: one transaction for the update, not two)."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    # Broadcasts (issue #9): the answer to the profile's employer question, just asked.
    reply = await subscriptions.employer_answer(
        session, context.desk, _user_id(update), message.text
    )
    if reply is None:
        reply = await questions.ask(
            session,
            context.desk,
            user_id=_user_id(update),
            text=message.text,
            update_id=update.update_id,
            hint=_hint(update),
            message_id=message.message_id,
        )
    await _put(context, session, update, *_new_message(update, reply))


# --- messages the bot can't read ---------------------------------------------------


async def voice_message(update: Update, context: BotContext) -> None:
    """ "I can't listen to voice messages yet, please type your question"."""
    await _polite(update, context, "media-voice")


async def picture_or_file(update: Update, context: BotContext) -> None:
    """ "I can't read photos, videos or files, please type your question"."""
    await _polite(update, context, "media-picture")


async def sticker(update: Update, context: BotContext) -> None:
    """ "Thank you! Type your question"."""
    await _polite(update, context, "media-sticker")


async def location(update: Update, context: BotContext) -> None:
    """ "I don't need your location, please type your question"."""
    await _polite(update, context, "media-location")


async def other_message(update: Update, context: BotContext) -> None:
    """ "I can only read text messages, please type your question"."""
    await _polite(update, context, "media-other")


async def edited_message(update: Update, context: BotContext) -> None:
    """ "I only read new messages: send your question again"."""
    await _polite(update, context, "edited-message")


# --- buttons -----------------------------------------------------------------------


# What else a language choice sends, in the same transaction (escalation: the case's topic).
AlsoTold = Callable[[AsyncSession, int, Lang], Awaitable[Sequence[Outgoing]]]


async def choose_language(
    update: Update, context: BotContext, also_told: AlsoTold | None = None
) -> None:
    """ "You chose English", then what to do next, in the chosen language."""
    query = _query(update)
    lang = _field(context, "lang")
    assert is_language(lang)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        # Then, one tap, the offer of union news and NSSF alerts (once).
        replies = await subscriptions.choose_language(
            session, context.desk, query.from_user.id, lang
        )
        staffed = context.desk.staff_chat_id is not None
        organiser = query.from_user.id in context.settings.organiser_ids
        commands = menu(lang, staffed=staffed, organiser=organiser)
        menu_here = Outgoing.command_menu(query.from_user.id, commands)
        others = await also_told(session, query.from_user.id, lang) if also_told else ()
        items = (*_new_messages(update, replies), menu_here, *others)
        await _put(context, session, update, *items)


async def browse_topics(update: Update, context: BotContext) -> None:
    """The categories again: in place of the tapped list, or as a new message when the
    tapped message must stay (a "could not help" with the hotlines)."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await topics.categories(session, context.desk, query.from_user.id)
        shown = _new_message(update, reply) if _match(context, "new") else _in_place(query, reply)
        await _put(context, session, update, *shown)


async def browse_category(update: Update, context: BotContext) -> None:
    """The questions of the tapped category and a back button, in place."""
    query = _query(update)
    category_id = _field(context, "category")
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await topics.category(session, context.desk, query.from_user.id, category_id)
        await _put(context, session, update, *_in_place(query, reply))


async def open_entry(update: Update, context: BotContext) -> None:
    """The answer of the tapped question, as a new message with 👍 / 👎."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await topics.open_entry(
            session,
            context.desk,
            user_id=query.from_user.id,
            entry_id=_field(context, "entry"),
            update_id=update.update_id,
        )
        await _put(context, session, update, *_new_message(update, reply))


async def choose(update: Update, context: BotContext) -> None:
    """The answer of the "did you mean" question the worker tapped."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await questions.choose(
            session,
            context.desk,
            user_id=query.from_user.id,
            question_id=int(_field(context, "question")),
            entry_id=_field(context, "entry"),
        )
        await _put(context, session, update, *_new_message(update, reply))


async def _not_helped(update: Update, context: BotContext) -> None:
    """Record "this did not help" and say sorry, with the hotlines and what else to try."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await questions.not_helped(
            session,
            context.desk,
            user_id=query.from_user.id,
            question_id=int(_field(context, "question")),
        )
        await _put(
            context, session, update, *_without_buttons(query), *_new_message(update, reply)
        )


async def none_of_these(update: Update, context: BotContext) -> None:
    """ "Sorry I could not help", the hotlines and what else to try (the 👎 reply)."""
    await _not_helped(update, context)


async def not_helpful(update: Update, context: BotContext) -> None:
    """👎: "sorry I could not help", the hotlines and what else to try."""
    await _not_helped(update, context)


async def helpful(update: Update, context: BotContext) -> None:
    """👍: "thank you for your feedback" as a toast; the buttons go away."""
    query = _query(update)
    async with context.database.transaction() as session:
        reply = await questions.helped(
            session,
            context.desk,
            user_id=query.from_user.id,
            question_id=int(_field(context, "question")),
        )
        # Only a stale button gets a message; a real 👍 gets the toast alone.
        await _put(
            context, session, update, *_without_buttons(query), *_new_message(update, reply)
        )
    _stop_spinner(context, query, reply)


async def stale_button(update: Update, context: BotContext) -> None:
    """ "This button no longer works: type your question or tap /topics"."""
    query = _query(update)
    _stop_spinner(context, query)
    async with context.database.transaction() as session:
        reply = await workers.polite(session, context.desk, query.from_user.id, "stale-button")
        await _put(context, session, update, Outgoing.reply(query.from_user.id, reply))


# --- chat membership and groups ----------------------------------------------------


async def membership(update: Update, context: BotContext) -> None:
    """Nothing visible: remember that the worker blocked or unblocked the bot."""
    member = update.my_chat_member
    assert member is not None
    blocked = member.new_chat_member.status == "kicked"
    async with context.database.transaction() as session:
        # Blocking also unsubscribes from broadcasts; unblocking does not resubscribe.
        await subscriptions.set_blocked(session, context.desk, member.from_user.id, blocked)
        await _put(context, session, update)


async def group_message(update: Update, context: BotContext) -> None:
    """In a group: "I only answer in a private chat", with a button to open one."""
    async with context.database.transaction() as session:
        reply = await workers.private_only(
            session, context.desk, _user_id(update), context.bot.username
        )
        await _put(context, session, update, *_new_message(update, reply))
