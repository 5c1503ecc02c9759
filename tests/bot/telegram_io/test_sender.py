"""The outbox and its sender on the recording fake Bot API: order, pacing, fairness,
retries, flood waits, blocked chats, crashes. Pacing runs on a fake clock, so these
tests say what is sent *when* without waiting for it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from telegram import Bot

from bot.db import Database
from bot.fakes.telegram import BLOCKED, FakeTelegram
from bot.models import OutboundMessage, utcnow
from bot.telegram_io.outbox import Outbox, Outgoing, Priority
from bot.telegram_io.sender import GlobalLimiter, Pacing, Sender, SenderOptions, classify


class Clock:
    """A monotonic clock that moves only when told, and a wall clock that moves with it
    (from the real time at the start: the outbox stamps rows with it)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.start = utcnow()

    def __call__(self) -> float:
        return self.now

    def wall(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=self.now - 1000.0)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(fake.token, request=fake.request(), get_updates_request=fake.request()) as b:
        yield b


class Harness:
    """A sender on a database, a fake Bot API and a fake clock; rows put directly."""

    def __init__(self, database: Database, bot: Bot, fake: FakeTelegram, clock: Clock) -> None:
        self.database, self.fake, self.clock = database, fake, clock
        self.unreachable: list[int] = []
        self.failed: list[int] = []

        async def unreachable(chat_id: int) -> None:
            self.unreachable.append(chat_id)

        async def failed(chat_id: int, priority: int, ref: str | None) -> None:
            self.failed.append(chat_id)

        self.sender = Sender(
            database,
            bot,
            pacing=Pacing(global_rate=10.0),
            options=SenderOptions(max_age=dt.timedelta(minutes=10)),
            on_unreachable=unreachable,
            on_failed=failed,
            clock=clock,
            wall=clock.wall,
        )
        self.outbox = Outbox(self.sender.notify)

    async def put(self, *items: Outgoing) -> None:
        async with self.database.transaction() as session:
            await self.outbox.put(session, *items)

    async def text(self, chat_id: int, text: str, priority: Priority = Priority.INTERACTIVE):
        await self.put(Outgoing(chat_id, "sendMessage", {"text": text}, priority))

    async def run_for(self, seconds: float, tick: float = 0.05) -> None:
        """Advance the clock in ticks, letting the sender do what it may at each."""
        end = self.clock.now + seconds
        while self.clock.now < end:
            await self.sender.step()
            await self.sender.idle()
            await self.sender.step()
            self.clock.now = round(self.clock.now + tick, 6)

    def sent(self, chat_id: int | None = None) -> list[str]:
        """Texts of the sendMessage calls Telegram received (refused ones included)."""
        return [str(p["text"]) for p in self.fake.requests("sendMessage", chat_id)]

    def shown(self, chat_id: int) -> list[str]:
        """Texts of the messages the chat really got."""
        return [str(m["text"]) for m in self.fake.messages(chat_id)]

    async def statuses(self) -> list[tuple[int, str]]:
        async with self.database.transaction() as session:
            rows = await session.execute(
                sa.select(OutboundMessage.chat_id, OutboundMessage.status).order_by(
                    OutboundMessage.id
                )
            )
            return [(row[0], row[1]) for row in rows]


@pytest.fixture
def h(database: Database, bot: Bot, fake: FakeTelegram, clock: Clock) -> Harness:
    return Harness(database, bot, fake, clock)


async def test_messages_of_a_chat_go_out_in_order_and_are_recorded(h: Harness) -> None:
    for n in range(4):
        await h.text(1001, f"m{n}")
    await h.run_for(5)
    assert h.sent(1001) == ["m0", "m1", "m2", "m3"]
    async with h.database.transaction() as session:
        rows = (await session.execute(sa.select(OutboundMessage))).scalars().all()
    assert {row.status for row in rows} == {"sent"}
    assert all(row.message_id for row in rows)
    assert all(row.params == {} for row in rows)  # what was said is not kept


async def test_a_private_chat_gets_a_short_burst_then_one_a_second(h: Harness) -> None:
    for n in range(5):
        await h.text(1001, f"m{n}")
    await h.run_for(0.5)
    assert len(h.sent()) == 2  # the burst
    await h.run_for(1.0)
    assert len(h.sent()) == 3
    await h.run_for(2.0)
    assert len(h.sent()) == 5


async def test_a_group_gets_at_most_19_a_minute(h: Harness) -> None:
    for n in range(25):
        await h.text(-100123, f"g{n}", Priority.STAFF)
    await h.run_for(59)
    assert len(h.sent()) == 19
    await h.run_for(3)
    assert len(h.sent()) == 25


async def test_the_overall_rate_is_kept(h: Harness) -> None:
    for chat in range(1, 41):
        await h.text(chat, "hello")
    await h.run_for(2.0)
    assert 19 <= len(h.sent()) <= 21  # 10 a second (this harness's global rate)


async def test_a_newcomer_is_served_before_a_flood_from_others(h: Harness) -> None:
    for chat in range(1, 21):
        for n in range(10):
            await h.text(chat, f"flood {chat}/{n}")
    await h.run_for(1.0)
    await h.text(5000, "newcomer")
    await h.run_for(0.3)
    assert "newcomer" in h.sent(5000)


async def test_a_newcomer_goes_before_chats_with_questions_still_waiting(h: Harness) -> None:
    # At the start of a flood nobody was served yet and every chat has one reply queued;
    # the processor's backlog (add_load) says the flood's chats have nine more to come.
    h.sender.add_load(lambda chat_id: 9 if chat_id < 100 else 0)
    for chat in range(1, 21):
        await h.text(chat, f"flood {chat}")
    await h.text(5000, "newcomer")  # written last: first come would serve it 21st
    await h.run_for(0.1)
    assert h.sent()[0] == "newcomer"


async def test_a_chat_with_more_queued_still_gets_its_turn(h: Harness) -> None:
    # Chat 1 has ten replies queued, chats 2-10 five each: every chat is served in turn
    # (least served lately first), so chat 1 does not wait until the others are done.
    for n in range(10):
        await h.text(1, f"long {n}")
    for chat in range(2, 11):
        for n in range(5):
            await h.text(chat, f"{chat}/{n}")
    await h.run_for(3.0)
    counts = [len(h.sent(chat)) for chat in range(1, 11)]
    assert sum(counts) >= 29  # 10 a second overall
    assert max(counts) - min(counts) <= 1


def test_late_sends_keep_the_overall_rate_and_no_second_goes_over() -> None:
    limiter = GlobalLimiter(10.0)
    now, sent = 0.0, []
    for n in range(100):
        now = limiter.available_at(now) + (0.04 if n % 2 else 0.0)  # woken late, often
        limiter.take(now)
        sent.append(now)
    assert sent[-1] < 10.5  # without the credit: 99 * 0.1 + 50 * 0.04 = 11.9 s
    for first in sent:
        assert sum(first <= t < first + 1.0 for t in sent) <= 10


def test_a_send_after_a_pause_is_spaced_from_the_next() -> None:
    limiter = GlobalLimiter(10.0)
    limiter.take(5.0)
    assert limiter.available_at(5.0) >= 5.05  # the credit is at most half an interval


def test_a_send_delayed_on_its_way_counts_where_it_arrived() -> None:
    # Four a second; each call takes 30 ms, but the one sent at 0.75 was held up on its
    # way (the event loop busy) and reached Telegram at about 1.17 s.
    limiter = GlobalLimiter(4.0)
    for sent, finished in [(0.0, 0.03), (0.25, 0.28), (0.5, 0.53), (0.75, 1.2)]:
        assert limiter.available_at(sent) <= sent
        limiter.take(sent)
        limiter.arrived(sent, sent, finished)
    for sent in (1.0, 1.25, 1.5):
        assert limiter.available_at(sent) <= sent
        limiter.take(sent)
        limiter.arrived(sent, sent, sent + 0.03)
    # Telegram saw 1.03, 1.17, 1.28, 1.53: one more at 1.75 would be a fifth in a second
    # (counted where they left, 0.75 is out of the window and it would go, and earn a 429).
    assert limiter.available_at(1.75) == pytest.approx(2.0)


async def test_interactive_replies_go_before_bulk(h: Harness) -> None:
    for chat in range(1, 31):
        await h.text(chat, "bulk", Priority.BULK)
    await h.text(999, "answer")
    await h.run_for(0.15)
    assert h.sent()[0] == "answer"


async def test_a_429_pauses_only_its_chat(h: Harness, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", chat_id=1001, retry_after=20)
    await h.text(1001, "waits")
    await h.run_for(0.2)
    for chat in range(2001, 2011):
        await h.text(chat, "goes")
    await h.run_for(1.5)
    assert len(h.sent()) == 11  # the refused call and the ten others
    assert h.sent(1001) == ["waits"]
    await h.run_for(20)
    assert h.sent(1001) == ["waits", "waits"]


async def test_429s_on_two_chats_pause_everything(h: Harness, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", retry_after=5, times=2)
    await h.text(1, "a")
    await h.text(2, "b")
    await h.text(3, "c")
    await h.run_for(0.3)
    calls = len(fake.requests("sendMessage"))
    await h.run_for(4)
    assert len(fake.requests("sendMessage")) == calls  # a global flood wait
    await h.run_for(2)
    assert sorted(h.sent()[-3:]) == ["a", "b", "c"]


@pytest.mark.parametrize("error", [(500, "Internal Server Error"), (502, "Bad Gateway")])
async def test_a_server_error_is_retried(
    h: Harness, fake: FakeTelegram, error: tuple[int, str]
) -> None:
    fake.fail("sendMessage", error=error, times=2)
    await h.text(1001, "hello")
    await h.run_for(5)
    assert h.sent(1001) == ["hello"] * 3  # refused twice, then delivered
    assert h.shown(1001) == ["hello"]
    assert h.sender.stats["retried"] == 2
    assert await h.statuses() == [(1001, "sent")]


async def test_a_connection_refused_is_retried(h: Harness, fake: FakeTelegram) -> None:
    fake.fail_network("connect")
    await h.text(1001, "hello")
    await h.run_for(3)
    assert h.sent(1001) == ["hello"]  # delivered exactly once


async def test_an_interactive_reply_of_unknown_outcome_is_sent_once_more(
    h: Harness, fake: FakeTelegram
) -> None:
    fake.fail_network("timeout", delivered=True, times=5)
    await h.text(1001, "hello")
    await h.run_for(3)
    assert h.sent(1001) == ["hello", "hello"]  # at least once: at most one repeat
    assert await h.statuses() == [(1001, "unknown")]


async def test_a_bulk_message_of_unknown_outcome_is_never_resent(
    h: Harness, fake: FakeTelegram
) -> None:
    fake.fail_network("drop", delivered=True)
    await h.text(1001, "news", Priority.BULK)
    await h.run_for(3)
    assert h.sent(1001) == ["news"]
    assert await h.statuses() == [(1001, "unknown")]


async def test_a_blocked_chat_is_dropped_and_reported(h: Harness, fake: FakeTelegram) -> None:
    fake.fail(None, chat_id=1001, error=BLOCKED, times=None)
    for n in range(3):
        await h.text(1001, f"m{n}")
    await h.text(1002, "other")
    await h.run_for(3)
    assert h.unreachable == [1001]
    assert len(fake.requests("sendMessage", 1001)) == 1  # not tried again
    assert h.sent(1002) == ["other"]
    assert sorted(await h.statuses()) == [
        (1001, "dropped"),
        (1001, "dropped"),
        (1001, "dropped"),
        (1002, "sent"),
    ]


async def test_an_edit_of_a_vanished_message_is_sent_anew(h: Harness, fake: FakeTelegram) -> None:
    await h.put(
        Outgoing(1001, "editMessageText", {"text": "new", "message_id": 77}, fallback="send")
    )
    await h.run_for(1)
    assert [m for m in fake.methods() if m != "getMe"] == ["editMessageText", "sendMessage"]
    assert h.shown(1001) == ["new"]


async def test_a_message_failing_too_long_is_given_up_and_reported(
    h: Harness, fake: FakeTelegram
) -> None:
    fake.fail("sendMessage", error=(503, "Service Unavailable"), times=None)
    await h.text(1001, "hello")
    await h.run_for(700, tick=1.0)
    assert await h.statuses() == [(1001, "failed")]
    assert h.failed == [1001]


async def test_a_refused_message_is_failed_at_once(h: Harness, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", error=(400, "Bad Request: can't parse entities"))
    await h.text(1001, "hello")
    await h.run_for(1)
    assert await h.statuses() == [(1001, "failed")]
    assert h.failed == [1001]


async def test_a_rolled_back_transaction_sends_nothing(h: Harness) -> None:
    async def handler_failing_after_its_reply() -> None:
        async with h.database.transaction() as session:
            await h.outbox.put(session, Outgoing(1001, "sendMessage", {"text": "no"}))
            raise RuntimeError("the handler failed after putting its reply")

    with pytest.raises(RuntimeError):
        await handler_failing_after_its_reply()
    await h.run_for(1)
    assert h.sent() == []


async def test_after_a_crash_sends_in_flight_are_retried_once_unless_bulk(
    h: Harness, database: Database
) -> None:
    await h.text(1001, "answer")
    await h.text(1002, "news", Priority.BULK)
    await h.text(1003, "already retried")
    async with database.transaction() as session:  # as a SIGKILL mid-send leaves them
        await session.execute(sa.update(OutboundMessage).values(status="sending"))
        await session.execute(
            sa.update(OutboundMessage).where(OutboundMessage.chat_id == 1003).values(unknown=1)
        )
    await h.run_for(1)
    assert h.sent() == ["answer"]
    assert await h.statuses() == [(1001, "sent"), (1002, "unknown"), (1003, "unknown")]


async def test_sent_is_written_with_the_next_claim(
    h: Harness, database: Database, bot: Bot, clock: Clock
) -> None:
    sender = Sender(database, bot, pacing=Pacing.unlimited(), clock=clock, wall=clock.wall)
    await h.text(1001, "first")
    await h.text(1001, "second")
    for _ in range(2):  # claimed, then sent
        await sender.step()
        await sender.idle()
    assert h.sent() == ["first"]
    assert await h.statuses() == [(1001, "sending"), (1001, "pending")]
    await sender.step()  # the second is claimed, and the first's "sent" goes with it
    await sender.idle()
    assert await h.statuses() == [(1001, "sent"), (1001, "sending")]
    await sender.drain(within=0)
    assert await h.statuses() == [(1001, "sent"), (1001, "sent")]


async def test_a_crash_before_sent_is_written_resends_an_answer_never_bulk(
    h: Harness, database: Database, bot: Bot, clock: Clock
) -> None:
    def process() -> Sender:  # a sender as in a new process
        return Sender(database, bot, pacing=Pacing.unlimited(), clock=clock, wall=clock.wall)

    for chat, text, priority in ((1002, "news", Priority.BULK), (1001, "answer", None)):
        await h.text(chat, text, priority or Priority.INTERACTIVE)
        sender = process()
        for _ in range(2):  # claimed, then delivered
            await sender.step()
            await sender.idle()
        assert (chat, "sending") in await h.statuses()  # SIGKILL now, "sent" not written
    await process().drain(within=0)
    assert h.sent() == ["news", "answer", "answer"]  # at least once; bulk never again
    assert await h.statuses() == [(1002, "unknown"), (1001, "sent")]


async def test_old_final_rows_are_pruned(h: Harness, clock: Clock) -> None:
    await h.text(1001, "hello")
    await h.run_for(1)
    clock.now += 8 * 86400
    assert await h.sender.prune() == 1
    assert await h.statuses() == []


def test_errors_are_classified_as_telegram_means_them() -> None:
    from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

    assert classify(RetryAfter(dt.timedelta(seconds=3))).retry_after == 3
    assert classify(Forbidden("Forbidden: bot was blocked by the user")).kind == "unreachable"
    assert classify(BadRequest("Chat not found")).kind == "unreachable"
    assert classify(BadRequest("Message is not modified: specified…")).kind == "done"
    assert classify(BadRequest("Message to edit not found")).kind == "gone"
    assert classify(BadRequest("Can't parse entities")).kind == "failed"
    assert classify(NetworkError("Bad Gateway")).kind == "retry"
    fake = FakeTelegram()
    fake.fail_network("connect")
    fake.fail_network("timeout", delivered=True)
    fake.fail_network("drop", delivered=True)
    kinds = [classify(f.error()).kind for f in fake._network_faults]
    assert kinds == ["retry", "unknown", "unknown"]


def test_pacing_of_groups_and_private_chats_differs() -> None:
    pacing = Pacing()
    assert type(pacing.chat_limiter(1001)).__name__ == "TokenBucket"
    assert type(pacing.chat_limiter(-100123)).__name__ == "SlidingWindow"
    assert utcnow().tzinfo is not None


async def test_the_outbox_report_counts_rows_by_status_and_priority(h: Harness) -> None:
    from bot.telegram_io.outbox import outbox_report

    await h.text(1001, "sent")
    await h.run_for(1)
    await h.text(1002, "waiting", Priority.BULK)
    lines = await outbox_report(h.database)
    assert lines[0].split() == ["status", "interactive", "staff", "bulk", "paid"]
    assert lines[1].split() == ["pending", "0", "0", "1", "0"]
    assert lines[3].split() == ["sent", "1", "0", "0", "0"]
    assert lines[-1].startswith("oldest message waiting:")
