"""Build the Telegram application: the one place where everything is wired.

``build_application(settings)`` returns a python-telegram-bot ``Application`` with every
handler registered below, the error handler, a typed context, the outbox and its sender,
and start-up work in ``post_init``. It has no ``Updater``: bot/telegram_io/runner.py
fetches updates durably, calls ``application.process_update`` and runs the sender; it
calls ``post_init`` and ``post_shutdown`` as ``run_polling`` would.

There is no PTB rate limiter: handlers never call Telegram to send, they put messages in
the outbox, and the sender paces them per chat, per group and overall (see
bot/telegram_io/sender.py for why a per-call limiter can't be fair across chats).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import callbacks, faqlive
from bot.context import BotApplication, BotContext, BotData
from bot.db import Database
from bot.i18n import LANGUAGES, Lang
from bot.menu import COMMANDS, STAFF_COMMANDS, menu
from bot.services import Desk, cases, subscriptions, workers
from bot.services.replies import Reply
from bot.settings import Settings
from bot.telegram_io import ephemeral
from bot.telegram_io.broadcaster import Broadcaster, BroadcastOptions
from bot.telegram_io.casehook import CaseHook, outgoing
from bot.telegram_io.outbox import Outbox, Outgoing, Priority
from bot.telegram_io.sender import Pacing, Sender, SenderOptions
from faq.content import Faq, load_faq
from faq.matcher import Matcher
from handlers import errors, escalation, organisers, staff, subscribers, worker

__all__ = ["COMMANDS", "build_application", "register_handlers"]

log = logging.getLogger(__name__)

# The ref of an apology for a reply that could not be delivered (never apologized for).
APOLOGY = "apology"
# With a fake transport and no token, any well-formed token will do.
_OFFLINE_TOKEN = "1:offline"


class PrivateChatMemberHandler(ChatMemberHandler[BotContext, None]):
    """A ChatMemberHandler for private chats only (it takes no filters)."""

    def check_update(self, update: object) -> bool:
        """Whether the update is a member change in a private chat."""
        if not super().check_update(update):
            return False
        assert isinstance(update, Update)
        assert update.effective_chat is not None
        return update.effective_chat.type == update.effective_chat.PRIVATE


class ButtonHandler(CallbackQueryHandler[BotContext, None]):
    """A CallbackQueryHandler that only takes taps whose data matches its pattern."""

    # PTB lets a tap without data (a game button, a forged query) through to every
    # patterned handler; such taps must reach the stale-button handler instead.

    def check_update(self, update: object) -> bool | object | None:
        """The pattern's match, or None when the tap carries no data."""
        if isinstance(update, Update) and update.callback_query and not update.callback_query.data:
            return None
        return super().check_update(update)


class PrivateButtonHandler(ButtonHandler):
    """A ButtonHandler for taps under a message in a private chat: a worker's or an
    organiser's button. The same data forged under a message in a group (any client can
    send any data for a message it sees) reaches the stale-button handler instead, which
    answers in private: otherwise the reply would be posted in the group, for all to read."""

    def check_update(self, update: object) -> bool | object | None:
        """The pattern's match, when the tapped message is in a private chat."""
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        message = update.callback_query.message
        if message is None or message.chat.type != message.chat.PRIVATE:
            return None
        return super().check_update(update)


# --- escalation to union staff (issue #8) ---------------------------------------------


def _escalation_handlers(staff_chat_id: int) -> list[BaseHandler[Any, BotContext, Any]]:
    """Workers' case commands, messages and buttons, and the staff group's handlers:
    tried before the worker's usual handlers (its commands before "unknown command", its
    buttons before "stale button"; text not for a case goes on to ``worker.ask``)."""
    private = filters.ChatType.PRIVATE & filters.USER & filters.UpdateType.MESSAGE
    staff_chat = filters.Chat(staff_chat_id) & filters.USER & filters.IS_TOPIC_MESSAGE
    content = (
        filters.TEXT
        | filters.VOICE
        | filters.AUDIO
        | filters.VIDEO_NOTE
        | filters.PHOTO
        | filters.VIDEO
        | filters.ANIMATION
        | filters.Document.ALL
    )
    return [
        MessageHandler(private & ~filters.COMMAND & content, escalation.relay),
        CommandHandler("ask", escalation.ask_command, private),
        CommandHandler("cases", escalation.cases_command, private),
        PrivateButtonHandler(escalation.ask_staff, pattern=callbacks.ASK_STAFF),
        PrivateButtonHandler(escalation.case_category, pattern=callbacks.CASE_CATEGORY),
        PrivateButtonHandler(escalation.case_skip, pattern=callbacks.CASE_SKIP),
        PrivateButtonHandler(escalation.case_close, pattern=callbacks.CASE_CLOSE),
        PrivateButtonHandler(escalation.case_feedback, pattern=callbacks.CASE_FEEDBACK),
        PrivateButtonHandler(escalation.case_reopen, pattern=callbacks.CASE_REOPEN),
        PrivateButtonHandler(escalation.share_name, pattern=callbacks.CASE_SHARE_NAME),
        PrivateButtonHandler(escalation.choose_language, pattern=callbacks.LANGUAGE),
        ButtonHandler(staff.card_button, pattern=callbacks.STAFF_ACTION),
        ButtonHandler(staff.close_button, pattern=callbacks.STAFF_CLOSE),
        ButtonHandler(staff.faq_button, pattern=callbacks.FAQ_DECISION),
        CommandHandler("faq", staff.faq_command, staff_chat),
        CommandHandler("assign", staff.assign_command, staff_chat),
        CommandHandler("gaps", staff.gaps_command, filters.Chat(staff_chat_id) & filters.USER),
        MessageHandler(
            staff_chat & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL,
            staff.topic_message,
        ),
        MessageHandler(staff_chat & filters.UpdateType.EDITED_MESSAGE, staff.topic_edit),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.USER & filters.UpdateType.EDITED_MESSAGE,
            escalation.edited,
        ),
        PrivateChatMemberHandler(escalation.blocked, ChatMemberHandler.MY_CHAT_MEMBER),
    ]


def _schedule_staff_jobs(application: BotApplication, settings: Settings) -> None:
    """The SLA check and the daily digest (handlers/staff.py STAFF_JOBS) on the JobQueue."""
    queue = application.job_queue
    if queue is None:  # python-telegram-bot without the job-queue extra
        log.warning("no JobQueue: SLA reminders and the digest are off")
        return
    at = dt.time(settings.digest_hour, tzinfo=settings.zone)
    for name, callback, when in staff.STAFF_JOBS:
        if when == "daily":
            queue.run_daily(callback, time=at, name=name)
        else:
            queue.run_repeating(callback, interval=float(when), first=30.0, name=name)


class OrganiserButtonHandler(PrivateButtonHandler):
    """A ButtonHandler for organisers' taps only: anyone else's (a forwarded message, a
    forged query) reaches the stale-button handler instead."""

    def __init__(self, organisers: frozenset[int], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisers = organisers

    def check_update(self, update: object) -> bool | object | None:
        """The pattern's match, when the tap comes from an organiser."""
        if not isinstance(update, Update) or update.effective_user is None:
            return None
        if update.effective_user.id not in self.organisers:
            return None
        return super().check_update(update)


def _register_broadcasts(application: BotApplication, settings: Settings) -> None:
    """Organisers' commands and buttons (issue #9), and workers' "I'll attend"."""
    team = settings.organiser_ids
    organiser = filters.ChatType.PRIVATE & filters.User(user_id=team)
    new_message = organiser & filters.UpdateType.MESSAGE
    # Group -1: a draft's next message is taken before the worker handlers see it.
    drafting = new_message & ((filters.TEXT & ~filters.COMMAND) | filters.PHOTO)
    drafting |= new_message & filters.Document.ALL
    application.add_handler(MessageHandler(drafting, organisers.draft_input), group=-1)
    application.add_handlers(
        [
            CommandHandler("broadcast", organisers.broadcast, new_message),
            CommandHandler("campaigns", organisers.campaigns_command, new_message),
            OrganiserButtonHandler(team, organisers.skip_english, pattern=callbacks.ORG_SKIP_EN),
            OrganiserButtonHandler(team, organisers.toggle_segment, pattern=callbacks.ORG_SEGMENT),
            OrganiserButtonHandler(
                team, organisers.segment_done, pattern=callbacks.ORG_SEGMENT_DONE
            ),
            OrganiserButtonHandler(team, organisers.choose_when, pattern=callbacks.ORG_WHEN),
            OrganiserButtonHandler(team, organisers.submit, pattern=callbacks.ORG_SUBMIT),
            OrganiserButtonHandler(team, organisers.decide, pattern=callbacks.ORG_DECIDE),
            OrganiserButtonHandler(team, organisers.control, pattern=callbacks.ORG_CONTROL),
            OrganiserButtonHandler(team, organisers.toggle_rsvp, pattern=callbacks.ORG_RSVP),
            OrganiserButtonHandler(team, organisers.toggle_paid, pattern=callbacks.ORG_PAID),
            OrganiserButtonHandler(team, organisers.choose_sector, pattern=callbacks.ORG_SECTOR),
            OrganiserButtonHandler(
                team, organisers.list_provinces, pattern=callbacks.ORG_PROVINCES
            ),
            OrganiserButtonHandler(
                team, organisers.choose_province, pattern=callbacks.ORG_PROVINCE
            ),
            OrganiserButtonHandler(
                team, organisers.choose_employer, pattern=callbacks.ORG_EMPLOYER
            ),
            PrivateButtonHandler(organisers.attend, pattern=callbacks.RSVP),
        ]
    )


def register_handlers(application: BotApplication, settings: Settings) -> None:
    """Every handler, in the order PTB tries them (the first match in a group wins)."""
    # A private message without a sender (sent on behalf of a chat) is nobody to answer.
    # Broadcasts first: their command handlers must come before "unknown command".
    _register_broadcasts(application, settings)
    private = filters.ChatType.PRIVATE & filters.USER
    new_private = private & filters.UpdateType.MESSAGE
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    staffed: list[BaseHandler[Any, BotContext, Any]] = []
    commands = [name for name, _ in COMMANDS]  # answered in groups with "write to me"
    if settings.staff_chat_id is not None:  # the staff handlers own the staff chat
        groups &= ~filters.Chat(settings.staff_chat_id)
        staffed = _escalation_handlers(settings.staff_chat_id)
        commands += [name for name, _ in STAFF_COMMANDS]
    application.add_handlers(
        [
            # "STOP" / "ឈប់" opts out of broadcasts, even while a case is open.
            MessageHandler(new_private & filters.Regex(subscriptions.STOP), subscribers.stop),
            *staffed,
            # Workers, in a private chat.
            CommandHandler("start", worker.start, new_private),
            CommandHandler("help", worker.help_command, new_private),
            CommandHandler("language", worker.language, new_private),
            CommandHandler("topics", worker.topics_command, new_private),
            # Broadcast subscription (issue #9): opt in, narrow, opt out in one word.
            CommandHandler("subscribe", subscribers.subscribe, new_private),
            CommandHandler(["unsubscribe", "stop"], subscribers.stop, new_private),
            MessageHandler(new_private & filters.COMMAND, worker.unknown_command),
            MessageHandler(new_private & filters.TEXT, worker.ask),
            MessageHandler(
                new_private & (filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE),
                worker.voice_message,
            ),
            MessageHandler(
                new_private
                & (filters.PHOTO | filters.VIDEO | filters.ANIMATION | filters.Document.ALL),
                worker.picture_or_file,
            ),
            MessageHandler(new_private & filters.Sticker.ALL, worker.sticker),
            MessageHandler(new_private & (filters.LOCATION | filters.VENUE), worker.location),
            MessageHandler(new_private, worker.other_message),
            MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, worker.edited_message),
            # Workers' taps on inline buttons; the patterns validate the data's shape.
            PrivateButtonHandler(worker.choose_language, pattern=callbacks.LANGUAGE),
            PrivateButtonHandler(worker.browse_topics, pattern=callbacks.TOPICS),
            PrivateButtonHandler(worker.browse_category, pattern=callbacks.CATEGORY),
            PrivateButtonHandler(worker.open_entry, pattern=callbacks.ENTRY),
            PrivateButtonHandler(worker.choose, pattern=callbacks.CHOICE),
            PrivateButtonHandler(worker.none_of_these, pattern=callbacks.NONE_OF_THESE),
            PrivateButtonHandler(worker.helpful, pattern=callbacks.HELPFUL),
            PrivateButtonHandler(worker.not_helpful, pattern=callbacks.NOT_HELPFUL),
            PrivateButtonHandler(subscribers.subscribe_tap, pattern=callbacks.SUBSCRIBE_YES),
            PrivateButtonHandler(subscribers.decline, pattern=callbacks.SUBSCRIBE_NO),
            PrivateButtonHandler(subscribers.toggle_topic, pattern=callbacks.SUBSCRIBE_TOPIC),
            PrivateButtonHandler(subscribers.topics_done, pattern=callbacks.SUBSCRIBE_DONE),
            PrivateButtonHandler(subscribers.set_sector, pattern=callbacks.SUBSCRIBE_SECTOR),
            PrivateButtonHandler(subscribers.set_province, pattern=callbacks.SUBSCRIBE_PROVINCE),
            PrivateButtonHandler(
                subscribers.skip_employer, pattern=callbacks.SUBSCRIBE_EMPLOYER_SKIP
            ),
            CallbackQueryHandler(worker.stale_button),  # old, foreign or malformed data
            # The worker blocked or unblocked the bot (in groups: added or removed).
            PrivateChatMemberHandler(worker.membership, ChatMemberHandler.MY_CHAT_MEMBER),
            # Groups: our commands get "I only answer in private"; all else is ignored.
            CommandHandler(commands, worker.group_message, groups),
        ]
    )
    application.add_error_handler(errors.on_error)


def _commands(lang: Lang, staffed: bool, *, organiser: bool = False) -> list[BotCommand]:
    items = menu(lang, staffed=staffed, organiser=organiser)
    return [BotCommand(item["command"], item["description"]) for item in items]


async def set_commands(application: BotApplication) -> None:
    """The command menu in Khmer and English, and the default language for the rest."""
    bot = application.bot
    scope = BotCommandScopeAllPrivateChats()
    staffed = application.bot_data.desk.staff_chat_id is not None
    try:
        for lang in LANGUAGES:
            await bot.set_my_commands(_commands(lang, staffed), scope=scope, language_code=lang)
        default = application.bot_data.desk.default_language
        await bot.set_my_commands(_commands(default, staffed), scope=scope)
    except TelegramError as error:  # a missing menu must not keep the bot from answering
        log.warning("could not set the command menu: %s", error)
    await _set_organiser_commands(application, staffed)


async def _set_organiser_commands(application: BotApplication, staffed: bool) -> None:
    """Each organiser's own menu (theirs plus /broadcast and /campaigns), in the language
    they chose; choosing another language sets it again (``worker.choose_language``)."""
    data = application.bot_data
    for organiser in sorted(data.settings.organiser_ids):
        async with data.database.transaction() as session:
            lang = await workers.language_of(session, data.desk, organiser)
        commands = _commands(lang, staffed, organiser=True)
        try:
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(organiser))
        except TelegramError as error:  # e.g. an organiser who never started the bot
            log.warning("could not set an organiser's command menu: %s", error)


async def _post_init(application: BotApplication) -> None:
    """Start-up: migrate a SQLite database, then set the command menus."""
    database = application.bot_data.database
    if database.dialect == "sqlite":  # PostgreSQL is migrated by `nssf-bot migrate`
        await database.migrate()
    # The matcher's lazily built parts, off the event loop, before the first question.
    await asyncio.to_thread(application.bot_data.desk.matcher.warm)
    if application.bot_data.settings.staff_chat_id is not None:  # staff-written entries
        await faqlive.refresh(application.bot_data)
    await set_commands(application)


async def _post_shutdown(application: BotApplication) -> None:
    """Let ephemeral calls finish; close the database if the application opened it."""
    await ephemeral.settle(application.bot_data.ephemeral)
    if application.bot_data.owns_database:
        await application.bot_data.database.dispose()


async def _broadcast_tick(context: BotContext) -> None:
    """The JobQueue's tick: the broadcaster looks at the schedule (see broadcaster.py)."""
    try:
        await context.bot_data.broadcaster.tick()
    except Exception:  # a failing database must not end the job; the next tick retries
        log.exception("the broadcast tick failed")


def build_application(
    settings: Settings,
    *,
    faq: Faq | None = None,
    request: BaseRequest | None = None,
    database: Database | None = None,
    matcher: Matcher | None = None,
    pacing: Pacing | None = None,
    sender_options: SenderOptions | None = None,
) -> BotApplication:
    """The whole bot as a PTB Application (no Updater; see bot/telegram_io/runner.py).

    ``faq`` defaults to the content under faq/data; ``request`` replaces the HTTP
    transport (tests use bot.fakes.telegram); ``database`` defaults to one opened on
    ``settings.database_url`` and closed in post_shutdown; ``matcher`` defaults to one
    built from ``faq`` (pass one to share it between applications). ``pacing`` and
    ``sender_options`` tune the sender (tests use ``Pacing.unlimited()``); the defaults
    come from the settings and stay under Telegram's limits.
    """
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
    elif request is not None:
        token = _OFFLINE_TOKEN
    else:
        token = settings.require_token()  # raises SettingsError
    faq = faq if faq is not None else load_faq()
    builder: Any = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .updater(None)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application: BotApplication = builder.build()
    data = application.bot_data
    data.settings = settings
    data.base_faq = faq
    data.desk = Desk(
        faq,
        matcher or Matcher(faq),
        settings.default_language,
        staff_chat_id=settings.staff_chat_id,
        staff_language=settings.staff_language,
        response_hours=settings.case_response_hours,
    )
    data.owns_database = database is None
    data.database = database if database is not None else Database(settings.database_url)
    desk = data.desk
    db = data.database

    async def unreachable(chat_id: int) -> None:
        """A 403 from a private chat: the worker blocked the bot (or left Telegram); they
        are unsubscribed from broadcasts, their open cases close as "no reply" and each
        topic says so."""
        if chat_id > 0:
            async with db.transaction() as session:
                await subscriptions.set_blocked(session, desk, chat_id, True)
                if settings.staff_chat_id is not None:
                    closed = await cases.worker_unreachable(session, desk, chat_id)
                    await data.outbox.put(session, *outgoing(closed, settings.staff_chat_id))

    async def failed(chat_id: int, priority: int, ref: str | None) -> None:
        """A reply to a worker could not be delivered: put an apology in its place."""
        if chat_id <= 0 or priority != Priority.INTERACTIVE or ref == APOLOGY:
            return
        async with db.transaction() as session:
            lang = await workers.language_of(session, desk, chat_id)
            apology = Outgoing.reply(chat_id, Reply.say(lang, "error-generic"), ref=APOLOGY)
            await data.outbox.put(session, apology)

    options = sender_options or SenderOptions(
        max_age=dt.timedelta(seconds=settings.outbox_max_age)
    )
    data.sender = Sender(
        db,
        application.bot,
        pacing=pacing or Pacing(bulk_rate=settings.broadcast_rate),
        options=options,
        on_unreachable=unreachable,
        on_failed=failed,
    )
    data.outbox = Outbox(notify=data.sender.notify)
    if settings.staff_chat_id is not None:  # case rows find their topic when sent
        data.sender.set_hook(CaseHook(db, desk, data.outbox, settings.staff_chat_id))
        _schedule_staff_jobs(application, settings)
    # Broadcasts (issue #9): the schedule is in the database; the JobQueue only ticks.
    data.broadcaster = Broadcaster(
        db,
        data.outbox,
        BroadcastOptions(
            rate=data.sender.pacing.bulk_rate,
            quiet=settings.quiet,
            zone=settings.zone,
            default_language=settings.default_language,
            paid_enabled=settings.paid_broadcasts,
            paid_rate=data.sender.pacing.paid_rate,
        ),
    )
    if application.job_queue is not None:
        # Two instances allowed: a tick that finds the last one still running returns at
        # once (Broadcaster.tick), instead of APScheduler warning that it skipped one.
        application.job_queue.run_repeating(
            _broadcast_tick,
            interval=settings.broadcast_tick,
            name="broadcasts",
            job_kwargs={"max_instances": 2, "coalesce": True},
        )
    register_handlers(application, settings)
    return application
