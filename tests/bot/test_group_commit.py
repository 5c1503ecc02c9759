"""Group commit: waiting messages of different workers handled in one transaction.

The real application on the fake Bot API, fed through the inbox and the runner's
processor as in production (bot/telegram_io/runner.py); what each worker is sent is read
from the fake after the sender delivered the outbox. Both backends (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from bot import callbacks
from bot.context import BotApplication
from bot.db import Database, GroupFailed
from bot.fakes.telegram import FakeTelegram, callback_update, text_update
from bot.models import InboundUpdate, OutboundMessage, Worker
from bot.telegram_io.inbox import Inbox, RawUpdate
from bot.telegram_io.runner import Processor, RunnerOptions
from faq.matcher import Decision
from tests.logwatch import typed

QUESTION = "តើ ប.ស.ស ជាអ្វី?"
ANSWER = "បេឡាជាតិសន្តិសុខសង្គម (ប.ស.ស) ជាស្ថាប័នរដ្ឋ"
APOLOGY = "សូមអភ័យទោស មានបញ្ហាបច្ចេកទេស"
WORKERS = [2001, 2002, 2003, 2004, 2005]
# No group cut short by its time budget (that has a test of its own, on a fake clock).
GROUPED = RunnerOptions(group_time=3600.0)


async def store(inbox: Inbox, *updates: Any) -> None:
    await inbox.store([RawUpdate(u.update_id, u.to_json()) for u in updates])


def questions(first_id: int, text: str = QUESTION) -> list[Any]:
    """One question from each of WORKERS, update ids from ``first_id``."""
    return [
        text_update(user, typed(text), update_id=first_id + n) for n, user in enumerate(WORKERS)
    ]


def texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(params["text"]) for params in fake.requests("sendMessage", chat_id)]


async def delivered(app: BotApplication) -> None:
    await app.bot_data.sender.drain()


@pytest.fixture
def commits(database: Database) -> Iterator[list[int]]:
    """Every commit of the database, counted (one list item each)."""
    seen: list[int] = []

    def count(*_args: object) -> None:
        seen.append(1)

    sa.event.listen(database.engine.sync_engine, "commit", count)
    yield seen
    sa.event.remove(database.engine.sync_engine, "commit", count)


async def processed(database: Database) -> dict[int, InboundUpdate]:
    async with database.transaction() as session:
        return {row.update_id: row for row in await session.scalars(sa.select(InboundUpdate))}


async def test_waiting_questions_of_different_workers_share_one_commit(
    app: BotApplication, fake: FakeTelegram, database: Database, commits: list[int]
) -> None:
    inbox = Inbox(database)
    grouped = Processor(app, inbox, GROUPED)
    await grouped.drain()  # the start-up backlog (none): from now on, fast
    await store(inbox, *questions(100))
    commits.clear()
    assert await grouped.drain() == 5
    grouped_commits = len(commits)

    one_by_one = Processor(app, inbox, RunnerOptions(group_size=1, group_time=3600.0))
    await one_by_one.drain()
    await store(inbox, *questions(200))
    commits.clear()
    assert await one_by_one.drain() == 5
    # Planning reads the same either way; handling takes one commit for the five (their
    # marks in it), instead of five, and a sixth for the marks.
    assert len(commits) - grouped_commits == 5

    await delivered(app)
    for user in WORKERS:  # each question answered once, whichever way it was committed
        answers = texts(fake, user)
        assert len(answers) == 2
        assert all(answer.startswith(ANSWER) for answer in answers)
    rows = await processed(database)
    assert all(row.processed_at is not None and row.payload == "" for row in rows.values())


async def test_a_failing_update_does_not_cost_the_others_their_answers(
    app: BotApplication,
    fake: FakeTelegram,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox = Inbox(database)
    processor = Processor(app, inbox, GROUPED)
    await processor.drain()
    matcher = app.bot_data.desk.matcher
    match = matcher.match
    attempts: list[str] = []

    def failing(text: str) -> Decision:
        attempts.append(text)
        if text == "this one breaks":
            raise RuntimeError("matcher bug")
        return match(text)

    monkeypatch.setattr(matcher, "match", failing)
    updates = questions(100)
    # The third worker's question fails after their worker row was written (touch).
    updates[2] = text_update(WORKERS[2], typed("this one breaks"), update_id=102)
    await store(inbox, *updates)
    caplog.set_level(logging.WARNING)
    assert await processor.drain() == 5
    await delivered(app)

    # The group was tried up to the failure, then each of those on its own, then the
    # other two in a group.
    assert attempts.count("this one breaks") == 2
    assert attempts.count(QUESTION) == 2 + 4
    for user in (2001, 2002, 2004, 2005):
        assert [text[: len(ANSWER)] for text in texts(fake, user)] == [ANSWER]
    [apology] = texts(fake, 2003)
    assert apology.startswith(APOLOGY)
    # The error is reported once, by the update's own attempt; the group's failure is a
    # warning that names no text.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "update 102 failed"
    ]
    assert "a group of 3 updates failed (GroupFailed); handling them one by one" in caplog.text
    rows = await processed(database)
    assert all(row.processed_at is not None for row in rows.values())


class Crash(BaseException):
    """The process dying in the middle of a group (as SIGKILL would, for the database)."""


async def test_a_crash_in_a_group_leaves_nothing_sent_and_everything_to_redo(
    app: BotApplication, fake: FakeTelegram, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox(database)
    processor = Processor(app, inbox, GROUPED)
    await processor.drain()
    matcher = app.bot_data.desk.matcher
    match = matcher.match
    calls: list[str] = []

    def crashing(text: str) -> Decision:
        calls.append(text)
        if len(calls) == 4:  # the fourth update of the group
            raise Crash
        return match(text)

    monkeypatch.setattr(matcher, "match", crashing)
    await store(inbox, *questions(100))
    with pytest.raises(Crash):
        await processor.drain()
    await delivered(app)
    assert fake.requests("sendMessage") == []  # the three handled were not committed
    async with database.transaction() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(OutboundMessage)) == 0
        assert await session.scalar(sa.select(sa.func.count()).select_from(Worker)) == 0
    assert all(row.processed_at is None for row in (await processed(database)).values())

    monkeypatch.setattr(matcher, "match", match)  # "restart": a new processor
    assert await Processor(app, inbox, GROUPED).drain() == 5
    await delivered(app)
    for user in WORKERS:
        assert [text[: len(ANSWER)] for text in texts(fake, user)] == [ANSWER]


async def test_one_workers_messages_are_never_in_one_group_and_stay_in_order(
    app: BotApplication, fake: FakeTelegram, database: Database
) -> None:
    inbox = Inbox(database)
    processor = Processor(app, inbox, GROUPED)
    await processor.drain()
    groups: list[list[int]] = []
    handle_group = processor.handle_group

    async def noting(group: list[Any]) -> int:
        taken = await handle_group(group)
        groups.append([stored.update_id for stored, _ in group[:taken]])
        return taken

    processor.handle_group = noting  # type: ignore[method-assign]
    await store(
        inbox,
        text_update(2001, "សួស្តី", update_id=10),
        text_update(2002, QUESTION, update_id=11),
        text_update(2001, QUESTION, update_id=12),
        text_update(2003, QUESTION, update_id=13),
        # A tap is handled on its own (its spinner is answered at once, outside the database).
        callback_update(2004, callbacks.topics(), 7, update_id=14),
        text_update(2005, QUESTION, update_id=15),
    )
    assert await processor.drain() == 6
    await delivered(app)
    # The fair order (2001 has two waiting: last) is 11, 13, 14, 15, 10, 12: the tap
    # breaks the first group, and 2001's second message waits for a group of its own.
    assert groups == [[11, 13], [15, 10]]
    greeting, answer = texts(fake, 2001)  # in the order asked
    assert greeting.startswith("សួស្តី! ខ្ញុំអាចឆ្លើយសំណួរអំពី ប.ស.ស។")
    assert answer.startswith(ANSWER)
    assert fake.requests("sendMessage", 2004) != []  # the tap got its categories


async def test_a_group_whose_commit_went_through_unseen_is_not_answered_twice(
    app: BotApplication, fake: FakeTelegram, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox(database)
    processor = Processor(app, inbox, GROUPED)
    await processor.drain()
    group = Database.group

    @contextlib.asynccontextmanager
    async def lost_after_commit(self: Database) -> AsyncIterator[Any]:
        async with group(self) as shared:
            yield shared
        # Committed, but the process is told otherwise (a connection lost during COMMIT).
        raise ConnectionError("connection lost")

    monkeypatch.setattr(Database, "group", lost_after_commit)
    await store(inbox, *questions(100))
    assert await processor.drain() == 5
    await delivered(app)
    for user in WORKERS:  # handled again carefully: their replies were found, not repeated
        assert [text[: len(ANSWER)] for text in texts(fake, user)] == [ANSWER]
    assert all(row.processed_at is not None for row in (await processed(database)).values())


async def test_a_group_is_committed_early_once_its_time_is_up(
    app: BotApplication, fake: FakeTelegram, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [0.0]
    inbox = Inbox(database)
    options = RunnerOptions(group_size=8, group_time=0.02)
    processor = Processor(app, inbox, options, clock=lambda: now[0])
    await processor.drain()
    matcher = app.bot_data.desk.matcher
    match = matcher.match

    def slow(text: str) -> Decision:
        now[0] += 0.012  # each question takes 12 ms
        return match(text)

    monkeypatch.setattr(matcher, "match", slow)
    groups: list[list[int]] = []
    handle_group = processor.handle_group

    async def noting(group: list[Any]) -> int:
        taken = await handle_group(group)
        groups.append([stored.update_id for stored, _ in group[:taken]])
        return taken

    processor.handle_group = noting  # type: ignore[method-assign]
    await store(inbox, *questions(100))
    assert await processor.drain() == 5
    # 24 ms after two: committed; the next group takes the following two; the last
    # question, alone, is handled on its own.
    assert groups == [[100, 101], [102, 103]]
    await delivered(app)
    for user in WORKERS:
        assert [text[: len(ANSWER)] for text in texts(fake, user)] == [ANSWER]


async def test_transactions_inside_a_group_share_its_commit(database: Database) -> None:
    async def workers() -> int:
        async with database.transaction() as session:
            return int(await session.scalar(sa.select(sa.func.count()).select_from(Worker)) or 0)

    def worker(user_id: int) -> Worker:
        from bot.models import utcnow

        now = utcnow()
        return Worker(telegram_user_id=user_id, language="km", first_seen=now, last_seen=now)

    woken: list[str] = []
    async with database.group():
        async with database.transaction() as session:
            session.add(worker(1))
            session.info.setdefault("after_commit", []).append(lambda: woken.append("a"))
        async with database.transaction() as session:
            session.add(worker(2))
        assert woken == []  # not before the group's commit
        assert await workers() == 2  # the group's own transaction sees both
    assert woken == ["a"]
    assert await workers() == 2

    async def failing_block() -> None:
        async with database.transaction() as session:
            session.add(worker(4))
            raise ValueError("a handler's bug")

    async def empty_block() -> None:
        async with database.transaction():
            pass

    async def failing_group() -> None:
        async with database.group():
            async with database.transaction() as session:
                session.add(worker(3))
            with pytest.raises(GroupFailed) as failed:
                await failing_block()
            assert isinstance(failed.value.__cause__, ValueError)
            with pytest.raises(GroupFailed):  # every later block of the group, at once
                await empty_block()

    with pytest.raises(GroupFailed):
        await failing_group()
    assert await workers() == 2  # nothing of the failed group stays
