"""The sender's bulk budget (broadcasts, issue #9): bulk rows never exceed ``bulk_rate``,
replies overtake them at once, and a flood wait is not followed by a burst. On the fake
clock of test_sender.py, so the figures are exact."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import Bot

from bot.db import Database
from bot.fakes.telegram import FakeTelegram, FloodLimits
from bot.telegram_io.outbox import Outbox, Outgoing, Priority
from bot.telegram_io.sender import Pacing, Sender, SenderOptions
from tests.bot.telegram_io.test_sender import Clock, Harness, bot, clock

__all__ = ["bot", "clock"]  # fixtures, imported for pytest


@pytest.fixture
def h(database: Database, bot: Bot, fake: FakeTelegram, clock: Clock) -> Harness:
    harness = Harness(database, bot, fake, clock)
    harness.sender = Sender(
        database,
        bot,
        pacing=Pacing(global_rate=29.0, bulk_rate=25.0),
        options=SenderOptions(max_age=dt.timedelta(minutes=10)),
        clock=clock,
        wall=clock.wall,
    )
    harness.outbox = Outbox(harness.sender.notify)
    return harness


async def _bulk(h: Harness, count: int, first_chat: int = 5000) -> None:
    await h.put(
        *(
            Outgoing(first_chat + n, "sendMessage", {"text": f"b{n}"}, Priority.BULK)
            for n in range(count)
        )
    )


async def test_bulk_rows_go_at_the_bulk_rate_not_the_global_one(h: Harness) -> None:
    await _bulk(h, 200)
    await h.run_for(4.0, tick=0.01)
    sent = len(h.sent())
    assert 99 <= sent <= 103  # 25 a second over 4 s plus the burst of 3 (not 29 a second)


async def test_a_reply_overtakes_a_running_broadcast_at_once(h: Harness) -> None:
    await _bulk(h, 200)
    await h.run_for(1.0, tick=0.01)
    before = len(h.sent())
    await h.text(1001, "the answer")
    await h.run_for(0.05, tick=0.01)
    assert h.sent(1001) == ["the answer"]  # within 50 ms of the fake clock
    assert len(h.sent()) <= before + 3


async def test_no_burst_after_a_flood_wait(h: Harness, fake: FakeTelegram) -> None:
    await _bulk(h, 300)
    await h.run_for(1.0, tick=0.01)
    fake.fail("sendMessage", retry_after=3, times=2)  # two chats told to wait: global
    await h.run_for(0.2, tick=0.01)
    paused_at = len(h.sent())
    await h.run_for(2.5, tick=0.01)
    assert len(h.sent()) == paused_at  # the whole sender waited
    await h.run_for(1.0, tick=0.01)
    resumed = len(h.sent()) - paused_at
    assert resumed <= 26  # then the steady rate again, no burst of what queued up
    assert h.sender.stats["bulk-flood-waits"] >= 1  # the first 429 paused all bulk


async def test_paid_broadcasts_go_past_the_bulk_and_global_budgets(
    h: Harness, fake: FakeTelegram
) -> None:
    fake.clock = h.clock  # the fake's flood limits on the sender's clock
    fake.enforce_limits(FloodLimits())
    await h.put(
        *(
            Outgoing(
                6000 + n,
                "sendMessage",
                {"text": f"p{n}", "allow_paid_broadcast": True},
                Priority.PAID,
            )
            for n in range(200)
        )
    )
    await _bulk(h, 50)
    await h.text(1001, "the answer")
    await h.run_for(1.0, tick=0.01)
    paid = [p for p in fake.requests("sendMessage") if p.get("allow_paid_broadcast")]
    # More than the global 29 in the first second. The sender claims one row at a time
    # (claim-ahead), so here, where the fake clock moves only between steps, the claims
    # and not the 1000/s budget bound the count; in real time a claim takes a few ms.
    assert len(paid) > 29
    assert h.sent(1001) == ["the answer"]  # a reply still goes first
    assert len([p for p in fake.requests("sendMessage") if 5000 <= p["chat_id"] < 6000]) >= 24
    for _ in range(20):  # the rest, however the claims and the ticks interleave
        await h.run_for(1.0, tick=0.01)
        paid = [p for p in fake.requests("sendMessage") if p.get("allow_paid_broadcast")]
        if len(paid) == 200:
            break
    assert len(paid) == 200
    assert fake.flood_refusals == 0  # paid sends are outside Telegram's 30/s


async def test_a_429_on_one_broadcast_message_pauses_every_broadcast_message_not_replies(
    h: Harness, fake: FakeTelegram
) -> None:
    await _bulk(h, 300)
    await h.run_for(1.0, tick=0.01)
    fake.fail("sendMessage", retry_after=3, times=1)  # one chat told to wait
    await h.run_for(0.2, tick=0.01)
    paused_at = len(h.sent())
    await h.text(1001, "the answer")
    await h.run_for(2.5, tick=0.01)
    assert h.sent(1001) == ["the answer"]  # replies are not held up
    assert len(h.sent()) == paused_at + 1  # but no broadcast message went in the wait
    await h.run_for(1.0, tick=0.01)
    assert len(h.sent()) > paused_at + 1  # then broadcasting goes on
    assert h.sender.stats["bulk-flood-waits"] == 1
    assert h.sender.stats["global-flood-waits"] == 0
