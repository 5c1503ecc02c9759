"""Sixty workers escalate in the same minute: the staff group's 20-a-minute limit holds.

The sender runs with its real pacing (19 a minute per group) on a virtual clock that the
fake Bot API shares, and the fake enforces Telegram's limits (a 429 for anything over
20 in any 60 seconds in the group): so the ten minutes this takes pass in a second.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot import callbacks
from bot.app import build_application
from bot.context import BotApplication
from bot.db import Database
from bot.fakes.telegram import (
    FakeTelegram,
    FloodLimits,
    callback_update,
    command_update,
    text_update,
)
from bot.models import Case
from bot.services import Desk
from bot.settings import Settings
from bot.telegram_io.casehook import CaseHook
from bot.telegram_io.sender import Pacing, Sender
from tests.bot.staff import STAFF_CHAT

WORKERS = 60


@pytest.fixture
async def app(
    settings: Settings, desk: Desk, fake: FakeTelegram, database: Database
) -> AsyncIterator[BotApplication]:
    """The application with a staff group, its sender on a virtual clock."""
    staffed = settings.model_copy(update={"staff_chat_id": STAFF_CHAT, "staff_language": "en"})
    application = build_application(
        staffed, faq=desk.faq, matcher=desk.matcher, request=fake.request(), database=database
    )
    async with application:
        yield application


async def test_sixty_escalations_reach_staff_in_order_under_the_group_limit(
    app: BotApplication, fake: FakeTelegram, database: Database
) -> None:
    now = [0.0]
    fake.clock = lambda: now[0]
    fake.enforce_limits(FloodLimits())
    data = app.bot_data
    sender = Sender(database, app.bot, pacing=Pacing(), clock=lambda: now[0])
    sender.set_hook(CaseHook(database, data.desk, data.outbox, STAFF_CHAT))
    bot = app.bot
    for n in range(1, WORKERS + 1):
        user = 2000 + n
        await app.process_update(command_update(user, "ask", bot=bot))
        fake.remember(message := text_update(user, f"worker {n}: my wages were cut", bot=bot))
        await app.process_update(message)
        for tapped in (callbacks.case_category(n, "registration"), callbacks.case_skip(n)):
            await app.process_update(callback_update(user, tapped, 1, bot=bot))
    async with database.transaction() as session:
        opened = await session.scalar(select(func.count()).where(Case.status == "open"))
    assert opened == WORKERS

    while True:  # the sender's loop, on virtual time
        sender.notify()
        wait = await sender.step()
        await sender.idle()
        if wait is None:
            break
        now[0] += max(wait, 0.001)

    assert fake.flood_refusals == 0  # never a 429
    group = [t for t, chat in fake.delivered if chat == STAFF_CHAT]
    assert len(group) == 3 * WORKERS  # a topic, a card and the question for each
    for i, start in enumerate(group):
        window = [t for t in group[i:] if t < start + 60.0]
        assert len(window) <= 20
    minutes = (group[-1] - group[0]) / 60
    assert 9.0 <= minutes <= 10.0  # 180 posts at 19 a minute
    names = [p["name"] for p in fake.requests("createForumTopic")]
    assert names == [f"#{n} · Registration" for n in range(1, WORKERS + 1)]  # in order
    async with database.transaction() as session:
        threads = (await session.scalars(select(Case.thread_id).order_by(Case.id))).all()
    assert None not in threads and len(set(threads)) == WORKERS
    # Every question landed in its own case's topic.
    for n, thread in zip(range(1, WORKERS + 1), threads, strict=True):
        texts = [
            m.get("text", "")
            for m in fake.messages(STAFF_CHAT)
            if m.get("message_thread_id") == thread
        ]
        assert f"worker {n}: my wages were cut" in texts
    # The last worker was told how long the queue is, and it was about that long.
    told = fake.messages(2000 + WORKERS)
    assert any("មានសំណួរ 59 កំពុងរង់ចាំមុនរបស់អ្នក" in m.get("text", "") for m in told)
    assert any("ក្នុងរយៈពេលប្រហែល 9 នាទី" in m.get("text", "") for m in told)  # ~9 minutes
    assert not any("ប្រហែល" in m.get("text", "") for m in fake.messages(2001))


async def test_bursts_from_many_workers_go_one_call_each_under_the_group_limit(
    app: BotApplication, fake: FakeTelegram, database: Database
) -> None:
    """Twenty workers escalate, then each sends five more messages at once: a burst is
    one copyMessages call, one post of the group's 20 a minute."""
    workers, burst = 20, 5
    now = [0.0]
    fake.clock = lambda: now[0]
    fake.enforce_limits(FloodLimits())
    data = app.bot_data
    sender = Sender(database, app.bot, pacing=Pacing(), clock=lambda: now[0])
    sender.set_hook(CaseHook(database, data.desk, data.outbox, STAFF_CHAT))
    bot = app.bot
    for n in range(1, workers + 1):
        user = 2000 + n
        await app.process_update(command_update(user, "ask", bot=bot))
        fake.remember(message := text_update(user, f"worker {n}: my wages were cut", bot=bot))
        await app.process_update(message)
        for tapped in (callbacks.case_category(n, "registration"), callbacks.case_skip(n)):
            await app.process_update(callback_update(user, tapped, 1, bot=bot))
        for k in range(1, burst + 1):
            fake.remember(more := text_update(user, f"worker {n}, part {k}", bot=bot))
            await app.process_update(more)

    while True:  # the sender's loop, on virtual time
        sender.notify()
        wait = await sender.step()
        await sender.idle()
        if wait is None:
            break
        now[0] += max(wait, 0.001)

    assert fake.flood_refusals == 0  # the fake counts calls, as Telegram's 429s do
    calls = fake.requests(chat_id=STAFF_CHAT)
    batches = [c for c in calls if c.get("message_ids")]
    # The question and the burst behind it: one call per worker.
    assert [len(c["message_ids"]) for c in batches] == [1 + burst] * workers
    assert len(calls) == 3 * workers  # topic, card, the worker's messages
    assert sender.stats["batched"] == workers * burst
    group = [t for t, chat in fake.delivered if chat == STAFF_CHAT]
    minutes = (group[-1] - group[0]) / 60
    assert 3.0 <= minutes <= 3.3  # 60 posts at 19 a minute (not 160)
    async with database.transaction() as session:
        threads = (await session.scalars(select(Case.thread_id).order_by(Case.id))).all()
    for n, thread in zip(range(1, workers + 1), threads, strict=True):
        texts = [
            m.get("text", "")
            for m in fake.messages(STAFF_CHAT)
            if m.get("message_thread_id") == thread
        ]
        assert texts[-burst:] == [f"worker {n}, part {k}" for k in range(1, burst + 1)]
