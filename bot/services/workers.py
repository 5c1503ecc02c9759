"""Workers: first contact, language, deep links, blocked state, and the simple replies."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import insert
from bot.i18n import Lang, is_language
from bot.models import DeepLink, Worker, utcnow
from bot.services import Desk
from bot.services.replies import Button, Msg, Reply

__all__ = [
    "WorkerState",
    "choose_language",
    "forget_seen",
    "greet",
    "help_text",
    "language_menu",
    "language_of",
    "polite",
    "private_only",
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


async def touch(session: AsyncSession, desk: Desk, user_id: int) -> WorkerState:
    """Find or create the worker, mark them seen now (and so no longer blocked).

    A worker seen in the last :data:`SEEN_TTL` seconds is taken from ``desk.seen``
    without a write: at a few messages a minute per worker, this is most messages.
    A new worker is remembered only from their next message, when their row is surely
    committed; whatever changes a worker's row calls :func:`forget_seen`.
    """
    clock = time.monotonic()
    cached = desk.seen.get(user_id)
    if cached is not None and clock - cached[0] < SEEN_TTL:
        state: WorkerState = cached[1]
        return state
    now = utcnow()
    statement = (
        insert(session, _WORKERS)
        .values(
            telegram_user_id=user_id,
            language=desk.default_language,
            first_seen=now,
            last_seen=now,
        )
        .on_conflict_do_update(
            index_elements=["telegram_user_id"],
            set_={"last_seen": now, "blocked_at": None},
        )
        .returning(
            _WORKERS.c.id, _WORKERS.c.language, _WORKERS.c.first_seen, _WORKERS.c.start_payload
        )
    )
    row = (await session.execute(statement)).one()
    language = row.language if is_language(row.language) else desk.default_language
    state = WorkerState(row.id, language, row.first_seen == now, row.start_payload)
    if not state.is_new:
        if len(desk.seen) >= SEEN_MAX:
            desk.seen.clear()
        desk.seen[user_id] = (clock, state)
    return state


def forget_seen(desk: Desk, user_id: int) -> None:
    """Drop a worker from ``desk.seen``: their row is changing."""
    desk.seen.pop(user_id, None)


async def language_of(session: AsyncSession, desk: Desk, user_id: int) -> Lang:
    """The worker's language, without creating a worker (for errors and group chats)."""
    language = await session.scalar(
        select(Worker.language).where(Worker.telegram_user_id == user_id)
    )
    return language if is_language(language) else desk.default_language


def _language_buttons() -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(Msg("language-km"), callbacks.language("km")),
            Button(Msg("language-en"), callbacks.language("en")),
        ),
    )


async def greet(session: AsyncSession, desk: Desk, user_id: int, payload: str | None) -> Reply:
    """/start: welcome, what the bot does, how data is used; record a deep link."""
    worker = await touch(session, desk, user_id)
    if payload and _PAYLOAD.fullmatch(payload):
        forget_seen(desk, user_id)
        session.add(DeepLink(worker_id=worker.id, payload=payload))
        if worker.start_payload is None:  # attribution goes to the first link
            await session.execute(
                update(Worker).where(Worker.id == worker.id).values(start_payload=payload)
            )
    return Reply(worker.language, (Msg("start-welcome"),), _language_buttons())


async def language_menu(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/language: the two language buttons."""
    worker = await touch(session, desk, user_id)
    return Reply(worker.language, (Msg("language-prompt"),), _language_buttons())


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
    """/help: what the bot does, the commands, the hotlines, how data is used."""
    worker = await touch(session, desk, user_id)
    return Reply.say(worker.language, "help")


async def polite(session: AsyncSession, desk: Desk, user_id: int, key: str) -> Reply:
    """A short message in the worker's language (e.g. "please type your question")."""
    worker = await touch(session, desk, user_id)
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
    return bool(getattr(result, "rowcount", 0))
