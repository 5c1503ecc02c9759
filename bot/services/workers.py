"""Workers: first contact, language, deep links, blocked state, and the simple replies."""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import insert, rowcount
from bot.i18n import Lang, is_language
from bot.models import DeepLink, Worker, utcnow
from bot.services import Desk
from bot.services.replies import Button, Msg, Reply

__all__ = [
    "WorkerState",
    "adopt_english",
    "choose_language",
    "forget_seen",
    "greet",
    "help_text",
    "language_buttons",
    "language_menu",
    "language_of",
    "plainly_english",
    "polite",
    "private_only",
    "remembered",
    "set_blocked",
    "touch",
]

# What Telegram allows in a t.me/<bot>?start=<payload> link; anything else was typed by
# hand after /start and is not a campaign.
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Hot statements are written against the table (Core), not the ORM class: it halves the
# time SQLAlchemy spends per statement on every update.
_WORKERS = Worker.__table__
# How long a worker's state is reused without touching the database (last_seen is then
# at most this stale), and how many workers are remembered at most.
SEEN_TTL = 60.0
SEEN_MAX = 10_000


@dataclass(frozen=True, slots=True)
class WorkerState:
    """The worker behind a Telegram user id, as the rules need it."""

    id: int
    language: Lang
    is_new: bool
    start_payload: str | None
    language_chosen: bool = False
    # The profile's employer question was asked and is not answered yet (subscriptions.py
    # then reads the worker's next text as the answer, if it comes soon enough).
    employer_pending: bool = False


# Returned by touch, so that a worker not asked their employer (nearly all) costs no query
# for it on each message; written as SQL because the subquery must refer to the row being
# upserted, which SQLAlchemy does not correlate in an INSERT's RETURNING.
_EMPLOYER_PENDING = sa.literal_column(
    "EXISTS (SELECT 1 FROM subscribers WHERE subscribers.worker_id = workers.id"
    " AND subscribers.subscribed AND subscribers.employer IS NULL"
    " AND subscribers.employer_asked_at IS NOT NULL)",
    sa.Boolean(),
).label("employer_pending")


def remembered(desk: Desk, user_id: int) -> WorkerState | None:
    """The worker's state as :func:`touch` would return it now without the database, or
    None if it would ask the database."""
    cached = desk.seen.get(user_id)
    if cached is not None and time.monotonic() - cached[0] < SEEN_TTL:
        state: WorkerState = cached[1]
        return state
    return None


async def touch(
    session: AsyncSession, desk: Desk, user_id: int, hint: Lang | None = None
) -> WorkerState:
    """Find or create the worker, mark them seen now (and so no longer blocked).

    A worker seen in the last :data:`SEEN_TTL` seconds is taken from ``desk.seen``
    without a write: at a few messages a minute per worker, this is most messages.
    A new worker is remembered only from their next message, when their row is surely
    committed; whatever changes a worker's row calls :func:`forget_seen`. ``hint``: the
    language a new worker starts with (their Telegram app's), instead of the default.
    """
    remembered_state = remembered(desk, user_id)
    if remembered_state is not None:
        return remembered_state
    clock = time.monotonic()
    now = utcnow()
    statement = (
        insert(session, _WORKERS)
        .values(
            telegram_user_id=user_id,
            language=hint or desk.default_language,
            first_seen=now,
            last_seen=now,
        )
        .on_conflict_do_update(
            index_elements=["telegram_user_id"],
            set_={"last_seen": now, "blocked_at": None},
        )
        .returning(
            _WORKERS.c.id,
            _WORKERS.c.language,
            _WORKERS.c.first_seen,
            _WORKERS.c.start_payload,
            _WORKERS.c.language_chosen,
            _EMPLOYER_PENDING,
        )
    )
    row = (await session.execute(statement)).one()
    language = row.language if is_language(row.language) else desk.default_language
    state = WorkerState(
        row.id,
        language,
        row.first_seen == now,
        row.start_payload,
        row.language_chosen,
        bool(row.employer_pending),
    )
    if not state.is_new:
        if len(desk.seen) >= SEEN_MAX:
            desk.seen.clear()
        desk.seen[user_id] = (clock, state)
    return state


# Common English words: a Latin-script question with two of them is English, not romanized
# Khmer (which shares the keyboard but none of these words).
_ENGLISH = frozenset(
    [
        "a",
        "about",
        "after",
        "am",
        "an",
        "and",
        "are",
        "at",
        "be",
        "boss",
        "can",
        "company",
        "did",
        "do",
        "does",
        "for",
        "from",
        "get",
        "got",
        "have",
        "help",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "me",
        "much",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "pay",
        "paid",
        "please",
        "should",
        "the",
        "there",
        "they",
        "to",
        "wage",
        "was",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "work",
        "worker",
        "you",
        "your",
    ]
)
_LATIN_WORD = re.compile(r"[A-Za-z']+")


def plainly_english(text: str) -> bool:
    """Whether a question is plainly English: no Khmer letters, two common English words."""
    if any("\u1780" <= char <= "\u17ff" for char in text):
        return False
    words = [word.lower() for word in _LATIN_WORD.findall(text)]
    return sum(word in _ENGLISH for word in words) >= 2


async def adopt_english(
    session: AsyncSession, desk: Desk, user_id: int, worker: WorkerState, text: str
) -> WorkerState:
    """A worker who never chose a language and writes plainly English gets English."""
    if worker.language_chosen or worker.language == "en" or not plainly_english(text):
        return worker
    await session.execute(update(Worker).where(Worker.id == worker.id).values(language="en"))
    forget_seen(desk, user_id)
    return dataclasses.replace(worker, language="en", language_chosen=False)


def forget_seen(desk: Desk, user_id: int) -> None:
    """Drop a worker from ``desk.seen``: their row is changing."""
    desk.seen.pop(user_id, None)


async def language_of(session: AsyncSession, desk: Desk, user_id: int) -> Lang:
    """The worker's language, without creating a worker (for errors and group chats)."""
    language = await session.scalar(
        select(Worker.language).where(Worker.telegram_user_id == user_id)
    )
    return language if is_language(language) else desk.default_language


def language_buttons() -> tuple[tuple[Button, ...], ...]:
    """ភាសាខ្មែរ / English, as one row of buttons."""
    return (
        (
            Button(Msg("language-km"), callbacks.language("km")),
            Button(Msg("language-en"), callbacks.language("en")),
        ),
    )


async def greet(
    session: AsyncSession,
    desk: Desk,
    user_id: int,
    payload: str | None,
    hint: Lang | None = None,
) -> Reply:
    """/start: welcome, what the bot does, how data is used; record a deep link."""
    worker = await touch(session, desk, user_id, hint)
    if payload and _PAYLOAD.fullmatch(payload):
        forget_seen(desk, user_id)
        session.add(DeepLink(worker_id=worker.id, payload=payload))
        if worker.start_payload is None:  # attribution goes to the first link
            await session.execute(
                update(Worker).where(Worker.id == worker.id).values(start_payload=payload)
            )
    return Reply(worker.language, (Msg("start-welcome"),), language_buttons())


async def language_menu(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/language: the two language buttons."""
    worker = await touch(session, desk, user_id)
    return Reply(worker.language, (Msg("language-prompt"),), language_buttons())


async def choose_language(
    session: AsyncSession, desk: Desk, user_id: int, language: Lang
) -> Reply:
    """The worker picked a language: store it and say what to do next, in it."""
    worker = await touch(session, desk, user_id)
    forget_seen(desk, user_id)
    await session.execute(
        update(Worker)
        .where(Worker.id == worker.id)
        .values(language=language, language_chosen=True)
    )
    return Reply.say(language, "language-chosen", "ready")


async def help_text(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/help: what the bot does, the commands, the hotlines, how data is used; /ask and
    /cases only when union staff can be reached (as in the command menu)."""
    worker = await touch(session, desk, user_id)
    return Reply.say(worker.language, "help-staffed" if desk.staff_chat_id else "help")


async def polite(
    session: AsyncSession, desk: Desk, user_id: int, key: str, hint: Lang | None = None
) -> Reply:
    """A short message in the worker's language (e.g. "please type your question")."""
    worker = await touch(session, desk, user_id, hint)
    return Reply.say(worker.language, key)


async def private_only(
    session: AsyncSession, desk: Desk, user_id: int, bot_username: str
) -> Reply:
    """In a group: "I only answer in a private chat", with a button to open one."""
    language = await language_of(session, desk, user_id)
    button = Button(Msg("button-private-chat"), url=f"https://t.me/{bot_username}")
    return Reply(language, (Msg("private-only"),), ((button,),))


async def set_blocked(session: AsyncSession, desk: Desk, user_id: int, blocked: bool) -> bool:
    """Record that the worker blocked (or unblocked) the bot; False if unknown."""
    forget_seen(desk, user_id)
    result = await session.execute(
        update(Worker)
        .where(Worker.telegram_user_id == user_id)
        .values(blocked_at=utcnow() if blocked else None)
    )
    return rowcount(result) > 0
