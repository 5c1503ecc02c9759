"""One sender among replicas (bot/telegram_io/lease.py): on PostgreSQL two senders on one
database never both send; when the holder stops or its connection dies, the other takes
over. On SQLite (one process by design) the sender simply runs.

Each "replica" has its own engine (its own connections) and its own Bot on one fake Bot
API, as two processes would; the lock is PostgreSQL's, for real."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable

import pytest
import sqlalchemy as sa
from telegram import Bot

from bot.db import Database
from bot.fakes.telegram import FakeTelegram
from bot.telegram_io.lease import LeaseOptions, send_exclusively
from bot.telegram_io.outbox import Outbox, Outgoing, Priority
from bot.telegram_io.sender import Pacing, Sender, SenderOptions

FAST = LeaseOptions(retry_every=0.05, check_every=0.05, check_timeout=1.0)


class Replica:
    """A sender running under the lease, as one process of the bot would."""

    def __init__(self, database: Database, bot: Bot) -> None:
        self.database = database
        self.sender = Sender(
            database, bot, pacing=Pacing.unlimited(), options=SenderOptions(poll_every=0.05)
        )
        self.stop = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(
            send_exclusively(self.sender, self.database, self.stop, FAST)
        )

    async def halt(self) -> None:
        self.stop.set()
        if self.task is not None:
            await asyncio.wait_for(self.task, 10)

    @property
    def sent(self) -> int:
        return self.sender.stats["sent"]


@contextlib.asynccontextmanager
async def replicas(database: Database, fake: FakeTelegram) -> AsyncIterator[list[Replica]]:
    second = Database(database.url)
    async with (
        Bot(fake.token, request=fake.request()) as bot_a,
        Bot(fake.token, request=fake.request()) as bot_b,
    ):
        pair = [Replica(database, bot_a), Replica(second, bot_b)]
        try:
            yield pair
        finally:
            for replica in pair:
                await replica.halt()
            await second.dispose()


async def put(database: Database, texts: list[str]) -> None:
    outbox = Outbox()
    async with database.transaction() as session:
        items = [
            Outgoing(5000 + n, "sendMessage", {"text": t}, Priority.BULK)
            for n, t in enumerate(texts)
        ]
        await outbox.put(session, *items)


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def texts(fake: FakeTelegram) -> list[str]:
    return [str(p["text"]) for p in fake.requests("sendMessage")]


async def lock_holder(database: Database) -> int | None:
    """The backend pid holding an advisory lock in this database, if any."""
    async with database.transaction() as session:
        return await session.scalar(
            sa.text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        )


def needs_postgres(database: Database) -> None:
    if database.dialect != "postgresql":
        pytest.skip("the sender lock is PostgreSQL's; SQLite runs one process")


async def test_one_of_two_senders_delivers_and_the_other_takes_over_on_stop(
    database: Database, fake: FakeTelegram
) -> None:
    needs_postgres(database)
    async with replicas(database, fake) as pair:
        for replica in pair:
            replica.start()
        first = [f"first {n}" for n in range(30)]
        await put(database, first)
        await until(lambda: len(texts(fake)) >= 30)
        await asyncio.sleep(0.3)  # time for a second sender to send too, if it could
        assert sorted(texts(fake)) == sorted(first)  # each exactly once
        holder, other = pair if pair[0].sent else reversed(pair)
        assert (holder.sent, other.sent) == (30, 0)

        await holder.halt()  # a clean stop frees the lock at once
        then = [f"then {n}" for n in range(10)]
        await put(database, then)
        await until(lambda: other.sent == 10)
        assert sorted(texts(fake)) == sorted(first + then)
        assert holder.sent == 30


async def test_the_other_takes_over_when_the_holders_connection_dies(
    database: Database, fake: FakeTelegram
) -> None:
    needs_postgres(database)
    async with replicas(database, fake) as pair:
        pair[0].start()
        await until(lambda: pair[0].sender._recovered)
        pair[1].start()
        await put(database, ["before"])
        await until(lambda: pair[0].sent == 1)
        assert pair[1].sent == 0
        dead = await lock_holder(database)
        assert dead is not None

        # What PostgreSQL does when the holder's process dies: its session ends.
        async with database.transaction() as session:
            await session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": dead})

        async def taken_over() -> bool:
            holder = await lock_holder(database)
            return holder is not None and holder != dead

        deadline = time.monotonic() + 10
        while not await taken_over():
            assert time.monotonic() < deadline, "nobody took the lock over"
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # the old holder has noticed (check_every is 0.05 s)
        await put(database, [f"after {n}" for n in range(10)])
        await until(lambda: pair[1].sent == 10)
        assert pair[0].sent == 1
        assert sorted(texts(fake)) == sorted(["before"] + [f"after {n}" for n in range(10)])


async def test_sqlite_sender_runs_without_a_lock(database: Database, fake: FakeTelegram) -> None:
    if database.dialect != "sqlite":
        pytest.skip("SQLite only")
    async with replicas(database, fake) as pair:
        pair[0].start()
        await put(database, ["hello"])
        await until(lambda: pair[0].sent == 1)
