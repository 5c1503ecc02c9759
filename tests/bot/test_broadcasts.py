"""The delivery engine on the fake Bot API: ledger, segments, schedule in Asia/Phnom_Penh,
quiet hours, errors (403, 400, 429, timeout), pause/resume/cancel, restart, recurring runs,
progress and report. Time is injected: nothing depends on today's date (both backends).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from collections.abc import Iterable

import pytest
import sqlalchemy as sa

from bot.context import BotApplication
from bot.db import Database
from bot.fakes.telegram import FakeTelegram
from bot.models import Campaign, Delivery, OutboundMessage, Subscriber, SubscriberTopic, Worker
from bot.services import campaigns
from bot.telegram_io.broadcaster import Broadcaster, BroadcastOptions, in_quiet_hours
from bot.telegram_io.sender import Sender
from tests.bot.chat import Chat

ZONE = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
ORGANISER = 900
# 10:00 in Phnom Penh on a fixed day (03:00 UTC): outside the quiet hours.
MORNING = dt.datetime(2026, 10, 5, 3, 0, tzinfo=dt.UTC)


class Now:
    """An injected wall clock and monotonic clock that move together."""

    def __init__(self, at: dt.datetime = MORNING) -> None:
        self.at = at
        self.mono = 1000.0

    def __call__(self) -> dt.datetime:
        return self.at

    def clock(self) -> float:
        return self.mono

    def advance(self, seconds: float) -> None:
        self.at += dt.timedelta(seconds=seconds)
        self.mono += seconds


async def add_workers(
    database: Database,
    user_ids: Iterable[int],
    *,
    subscribed: bool = True,
    language: str = "km",
    topics: Iterable[str] = ("pension", "union"),
    province: str | None = None,
    sector: str | None = None,
    employer: str | None = None,
    blocked: bool = False,
) -> None:
    async with database.transaction() as session:
        for user_id in user_ids:
            worker = Worker(
                telegram_user_id=user_id,
                language=language,
                blocked_at=MORNING if blocked else None,
            )
            session.add(worker)
            await session.flush()
            session.add(
                Subscriber(
                    worker_id=worker.id,
                    subscribed=subscribed,
                    province=province,
                    sector=sector,
                    employer=employer,
                )
            )
            await session.flush()
            for topic in topics:
                session.add(SubscriberTopic(worker_id=worker.id, topic=topic))


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
def broadcaster(app: BotApplication, now: Now) -> Broadcaster:
    data = app.bot_data
    options = BroadcastOptions(
        rate=25.0, lookahead=2.0, quiet=(dt.time(21), dt.time(6)), zone=ZONE
    )
    return Broadcaster(data.database, data.outbox, options, now=now, clock=now.clock)


async def run(
    app: BotApplication, broadcaster: Broadcaster, now: Now, ticks: int = 20, within: float = 0.5
) -> None:
    """Ticks a second apart (injected time), the sender delivering after each (it waits
    for retries due within ``within`` real seconds)."""
    for _ in range(ticks):
        await broadcaster.tick()
        await app.bot_data.sender.drain(within=within)
        now.advance(1.0)


async def approved(database: Database, now: Now, **fields: object) -> int:
    """A campaign written by ORGANISER, approved by another organiser; its id."""
    async with database.transaction() as session:
        campaign = await campaigns.create(session, ORGANISER, **fields)  # type: ignore[arg-type]
        assert await campaigns.request_approval(session, campaign.id, ORGANISER)
        assert await campaigns.approve(session, campaign.id, ORGANISER + 1, now()) == "approved"
        return campaign.id


def texts_to(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(p["text"]) for p in fake.requests("sendMessage", chat_id)]


async def ledger(database: Database, campaign_id: int) -> dict[int, str]:
    async with database.transaction() as session:
        rows = await session.execute(
            sa.select(Delivery.chat_id, Delivery.status).where(Delivery.campaign_id == campaign_id)
        )
        return {chat_id: status for chat_id, status in rows}


async def test_only_subscribers_get_it_once_in_their_language_with_a_report(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 2031))
    await add_workers(database, [3001], language="en")
    await add_workers(database, [4001], subscribed=False)  # declined or said STOP
    await add_workers(database, [4002], blocked=True)
    campaign_id = await approved(
        database, now, text_km="ប្រជុំសហជីព ថ្ងៃអាទិត្យ", text_en="Union meeting on Sunday"
    )
    await run(app, broadcaster, now, ticks=6)
    assert texts_to(fake, 2001) == ["ប្រជុំសហជីព ថ្ងៃអាទិត្យ"]
    assert texts_to(fake, 3001) == ["Union meeting on Sunday"]
    assert texts_to(fake, 4001) == [] and texts_to(fake, 4002) == []
    sends = Counter(p["chat_id"] for p in fake.requests("sendMessage") if p["chat_id"] > 2000)
    assert set(sends.values()) == {1} and len(sends) == 31
    assert set((await ledger(database, campaign_id)).values()) == {"sent"}
    to_organiser = texts_to(fake, ORGANISER)
    assert to_organiser[0].startswith("ការផ្សាយលេខ")  # the progress message
    assert "អ្នកទទួល៖ 31។ បានផ្ញើ៖ 31។" in to_organiser[-1]  # the final report
    async with database.transaction() as session:
        campaign = await session.get(Campaign, campaign_id)
        assert campaign is not None and campaign.status == "finished"
        assert campaign.recipients == 31


async def test_the_outbox_never_holds_more_than_the_budget(
    app: BotApplication, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 2201))
    await approved(database, now, text_km="ព័ត៌មាន")
    await broadcaster.tick()
    await broadcaster.tick()
    async with database.transaction() as session:
        bulk = await session.scalar(
            sa.select(sa.func.count()).where(
                OutboundMessage.priority == 2, OutboundMessage.status == "pending"
            )
        )
    assert bulk == broadcaster.options.budget == 50


async def test_segments_are_topics_times_profile(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001], topics=["pension"], province="kandal")
    await add_workers(database, [2002], topics=["health"], province="kandal")
    await add_workers(database, [2003], topics=["pension"], province="phnom-penh")
    async with database.transaction() as session:
        assert await campaigns.count_recipients(session, ["pension"], {}) == 2
        assert await campaigns.count_recipients(session, None, {"province": "kandal"}) == 2
    await approved(
        database, now, text_km="សោធន", topics=["pension"], filters={"province": "kandal"}
    )
    await run(app, broadcaster, now, ticks=3)
    assert [texts_to(fake, c) for c in (2001, 2002, 2003)] == [["សោធន"], [], []]


def test_quiet_hours_wrap_past_midnight_in_phnom_penh() -> None:
    quiet = (dt.time(21), dt.time(6))
    at = dt.datetime(2026, 10, 5, tzinfo=ZONE)
    assert in_quiet_hours(at.replace(hour=21), quiet, ZONE)
    assert in_quiet_hours(at.replace(hour=5, minute=59), quiet, ZONE)
    assert not in_quiet_hours(at.replace(hour=6), quiet, ZONE)
    assert not in_quiet_hours(at.replace(hour=20, minute=59), quiet, ZONE)
    # 14:30 UTC is 21:30 in Phnom Penh (UTC+7).
    assert in_quiet_hours(dt.datetime(2026, 10, 5, 14, 30, tzinfo=dt.UTC), quiet, ZONE)
    assert not in_quiet_hours(at.replace(hour=23), None, ZONE)


async def test_quiet_hours_pause_and_resume_by_themselves_and_urgent_goes_through(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster
) -> None:
    now = Now(dt.datetime(2026, 10, 5, 20, 59, 58, tzinfo=ZONE).astimezone(dt.UTC))
    broadcaster._now, broadcaster._clock = now, now.clock
    database = app.bot_data.database
    await add_workers(database, range(2001, 2201))
    normal = await approved(database, now, text_km="ព័ត៌មាន")
    await run(app, broadcaster, now, ticks=4)  # 20:59:58 → 21:00:02
    sent_before_quiet = sum(s == "sent" for s in (await ledger(database, normal)).values())
    assert 0 < sent_before_quiet < 200
    await run(app, broadcaster, now, ticks=5)
    after = sum(s == "sent" for s in (await ledger(database, normal)).values())
    # At most what was already in the outbox at 21:00 went out; then nothing.
    assert after - sent_before_quiet <= broadcaster.options.budget
    await run(app, broadcaster, now, ticks=3)
    assert sum(s == "sent" for s in (await ledger(database, normal)).values()) == after
    assert any("ម៉ោងស្ងាត់" in text for text in _edits(fake, ORGANISER))
    urgent = await approved(database, now, text_km="បន្ទាន់", urgent=True)
    await run(app, broadcaster, now, ticks=6)
    assert set((await ledger(database, urgent)).values()) == {"sent"}
    now.at = dt.datetime(2026, 10, 6, 6, 0, tzinfo=ZONE).astimezone(dt.UTC)  # morning
    await run(app, broadcaster, now, ticks=6)
    assert set((await ledger(database, normal)).values()) == {"sent"}


def _edits(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [str(p["text"]) for p in fake.requests("editMessageText", chat_id)]


async def test_a_scheduled_campaign_waits_for_its_local_time(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001])
    at = dt.datetime(2026, 10, 5, 10, 0, 30, tzinfo=ZONE)  # 30 s after "now", local time
    await approved(database, now, text_km="ពេលវេលា", scheduled_at=at)
    await run(app, broadcaster, now, ticks=29)
    assert texts_to(fake, 2001) == []
    await run(app, broadcaster, now, ticks=3)
    assert texts_to(fake, 2001) == ["ពេលវេលា"]


def test_next_run_keeps_the_local_time_weekly_and_monthly() -> None:
    at = dt.datetime(2026, 1, 31, 9, 0, tzinfo=ZONE)
    weekly = campaigns.next_run(at.astimezone(dt.UTC), "weekly", ZONE)
    assert weekly.astimezone(ZONE) == dt.datetime(2026, 2, 7, 9, 0, tzinfo=ZONE)
    monthly = campaigns.next_run(at.astimezone(dt.UTC), "monthly", ZONE)
    assert monthly.astimezone(ZONE) == dt.datetime(2026, 2, 28, 9, 0, tzinfo=ZONE)
    december = dt.datetime(2026, 12, 15, 9, 0, tzinfo=ZONE)
    assert campaigns.next_run(december, "monthly", ZONE).astimezone(ZONE).date() == dt.date(
        2027, 1, 15
    )


async def test_a_weekly_campaign_starts_a_run_each_week(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001, 2002])
    parent = await approved(database, now, text_km="ប្រចាំសប្តាហ៍", recurrence="weekly")
    await run(app, broadcaster, now, ticks=3)
    assert texts_to(fake, 2001) == ["ប្រចាំសប្តាហ៍"]
    now.advance(7 * 86400 - 3)
    await run(app, broadcaster, now, ticks=3)
    assert texts_to(fake, 2001) == ["ប្រចាំសប្តាហ៍", "ប្រចាំសប្តាហ៍"]
    async with database.transaction() as session:
        runs = (
            await session.scalars(sa.select(Campaign).where(Campaign.parent_id == parent))
        ).all()
        template = await session.get(Campaign, parent)
    assert [r.status for r in runs] == ["finished", "finished"]
    assert template is not None and template.status == "scheduled"
    assert template.scheduled_at == MORNING + dt.timedelta(days=14)


async def test_errors_blocked_not_found_flood_and_timeout(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 2006))
    fake.block(2001)
    fake.fail("sendMessage", chat_id=2002, error=(400, "Bad Request: chat not found"))
    fake.fail("sendMessage", chat_id=2003, retry_after=1)
    fake.fail_network("timeout", delivered=True, method="sendMessage", chat_id=2004)
    fake.fail_network("connect", method="sendMessage", chat_id=2005)  # not sent: retried
    campaign_id = await approved(database, now, text_km="សាកល្បង")
    await run(app, broadcaster, now, ticks=4, within=1.5)  # the 429 says: wait 1 s
    assert await ledger(database, campaign_id) == {
        2001: "blocked",
        2002: "blocked",
        2003: "sent",  # after the wait
        2004: "unknown",  # maybe delivered: never sent again
        2005: "sent",  # after the backoff
    }
    assert len(fake.requests("sendMessage", 2005)) == 1  # the first never reached Telegram
    assert len(fake.requests("sendMessage", 2004)) == 1
    assert len(fake.requests("sendMessage", 2003)) == 2
    async with database.transaction() as session:
        subscribed = dict(
            (
                await session.execute(
                    sa.select(Worker.telegram_user_id, Subscriber.subscribed).join(
                        Subscriber, Subscriber.worker_id == Worker.id
                    )
                )
            ).all()
        )
    assert subscribed[2001] is False and subscribed[2002] is False  # unsubscribed
    assert subscribed[2005] is True
    assert "មិនដឹងលទ្ធផល (មិនផ្ញើម្តងទៀតទេ)៖ 1" in texts_to(fake, ORGANISER)[-1]


async def test_pause_resume_and_cancel(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 2301))
    campaign_id = await approved(database, now, text_km="ផ្អាក")
    await broadcaster.tick()  # 50 rows in the outbox, none sent yet
    async with database.transaction() as session:
        assert await campaigns.pause(session, campaign_id)
    await run(app, broadcaster, now, ticks=3)
    assert len([p for p in fake.requests("sendMessage") if p["chat_id"] > 2000]) == 0
    figures = await _figures(database, campaign_id)
    assert figures.pending == 300 and figures.queued == 0
    async with database.transaction() as session:
        assert await campaigns.resume(session, campaign_id)
    await run(app, broadcaster, now, ticks=2)
    sent = len([p for p in fake.requests("sendMessage") if p["chat_id"] > 2000])
    assert 0 < sent < 300
    async with database.transaction() as session:
        assert await campaigns.cancel(session, campaign_id, now())
        assert not await campaigns.resume(session, campaign_id)
    await run(app, broadcaster, now, ticks=4)
    after = await _figures(database, campaign_id)
    assert after.sent == sent and after.queued == 0
    chats = [p["chat_id"] for p in fake.requests("sendMessage") if p["chat_id"] > 2000]
    assert len(chats) == len(set(chats)) == sent


async def _figures(database: Database, campaign_id: int) -> campaigns.Figures:
    async with database.transaction() as session:
        return await campaigns.figures(session, campaign_id)


async def test_nobody_approves_their_own_and_a_decision_is_final(
    app: BotApplication, now: Now
) -> None:
    database = app.bot_data.database
    async with database.transaction() as session:
        campaign = await campaigns.create(session, ORGANISER, text_km="x")
        assert await campaigns.approve(session, campaign.id, ORGANISER + 1, now()) == (
            "not-pending"  # a draft is not up for approval
        )
        assert not await campaigns.request_approval(session, campaign.id, ORGANISER + 1)
        assert await campaigns.request_approval(session, campaign.id, ORGANISER)
        assert await campaigns.approve(session, campaign.id, ORGANISER, now()) == "own"
        assert await campaigns.reject(session, campaign.id, ORGANISER) == "own"
        assert await campaigns.reject(session, campaign.id, ORGANISER + 1) == "rejected"
        assert await campaigns.approve(session, campaign.id, ORGANISER + 2, now()) == (
            "not-pending"
        )


async def test_a_worker_who_stops_mid_broadcast_is_skipped(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 2201))
    campaign_id = await approved(database, now, text_km="ព័ត៌មាន")
    await broadcaster.tick()
    await Chat(app, fake, user_id=2200).send("ឈប់")
    await run(app, broadcaster, now, ticks=12)
    assert (await ledger(database, campaign_id))[2200] == "skipped"
    (confirmation,) = texts_to(fake, 2200)  # the confirmation, and not the broadcast
    assert confirmation.startswith("អ្នកបានឈប់ទទួលហើយ")


async def test_a_crash_mid_broadcast_sends_nobody_twice_and_loses_nobody(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 2121))
    campaign_id = await approved(database, now, text_km="គ្មានស្ទួន")
    await run(app, broadcaster, now, ticks=1)
    await broadcaster.tick()
    # The crash: three rows were in flight (claimed by the sender, outcome unknown).
    async with database.transaction() as session:
        in_flight = (
            await session.scalars(
                sa.select(OutboundMessage.id)
                .where(OutboundMessage.status == "pending", OutboundMessage.priority == 2)
                .order_by(OutboundMessage.id)
                .limit(3)
            )
        ).all()
        await session.execute(
            sa.update(OutboundMessage)
            .where(OutboundMessage.id.in_(in_flight))
            .values(status="sending")
        )
    # A new process: a new sender (it recovers the rows in flight) and a new broadcaster.
    data = app.bot_data
    data.sender = Sender(database, app.bot, pacing=data.sender.pacing)
    data.outbox._notify = data.sender.notify
    restarted = Broadcaster(database, data.outbox, broadcaster.options, now=now, clock=now.clock)
    await run(app, restarted, now, ticks=10)
    outcome = await ledger(database, campaign_id)
    assert Counter(outcome.values()) == {"sent": 117, "unknown": 3}
    chats = [p["chat_id"] for p in fake.requests("sendMessage") if p["chat_id"] > 2000]
    assert len(chats) == len(set(chats)) == 117  # nobody twice; the unknown never sent


async def test_the_progress_message_is_edited_every_ten_seconds(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster, now: Now
) -> None:
    database = app.bot_data.database
    await add_workers(database, range(2001, 3001))  # 20 ticks of 50
    campaign_id = await approved(database, now, text_km="វឌ្ឍនភាព")
    await run(app, broadcaster, now, ticks=1)
    (status,) = fake.requests("sendMessage", ORGANISER)
    assert status["text"].startswith(f"ការផ្សាយលេខ {campaign_id} កំពុងផ្ញើ។")
    await run(app, broadcaster, now, ticks=9)
    assert fake.requests("editMessageText", ORGANISER) == []  # not before 10 s
    await run(app, broadcaster, now, ticks=2)
    (edit,) = fake.requests("editMessageText", ORGANISER)
    assert edit["message_id"] == fake.messages(ORGANISER)[0]["message_id"]  # in place
    lines = edit["text"].splitlines()
    assert lines[2].startswith("▓") and lines[2].endswith("%")
    assert lines[3].startswith("បានផ្ញើ ") and "នៅសល់" in lines[3]
    assert "សារក្នុងមួយវិនាទី" in lines[4]


@pytest.mark.parametrize("allowed", [True, False])
async def test_a_paid_broadcast_only_while_an_admin_allows_them(
    app: BotApplication, fake: FakeTelegram, now: Now, allowed: bool
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001, 2002])
    options = BroadcastOptions(quiet=None, zone=ZONE, paid_enabled=allowed)
    broadcaster = Broadcaster(database, app.bot_data.outbox, options, now=now, clock=now.clock)
    campaign_id = await approved(database, now, text_km="លឿន")
    async with database.transaction() as session:
        await session.execute(
            sa.update(Campaign).where(Campaign.id == campaign_id).values(paid=True)
        )
    await broadcaster.tick()
    async with database.transaction() as session:
        priorities = set(
            (
                await session.scalars(
                    sa.select(OutboundMessage.priority).where(
                        OutboundMessage.ref == f"campaign:{campaign_id}"
                    )
                )
            ).all()
        )
    assert priorities == {3 if allowed else 2}
    await run(app, broadcaster, now, ticks=2)
    (sent,) = fake.requests("sendMessage", 2001)
    assert sent.get("allow_paid_broadcast", False) is allowed
    assert set((await ledger(database, campaign_id)).values()) == {"sent"}


async def test_a_campaign_that_starts_in_the_quiet_hours_tells_its_author_it_waits(
    app: BotApplication, fake: FakeTelegram, broadcaster: Broadcaster
) -> None:
    now = Now(dt.datetime(2026, 10, 5, 22, 0, tzinfo=ZONE).astimezone(dt.UTC))
    broadcaster._now, broadcaster._clock = now, now.clock
    database = app.bot_data.database
    await add_workers(database, range(2001, 2011))
    campaign = await approved(database, now, text_km="ព័ត៌មាន")
    await run(app, broadcaster, now, ticks=3)
    first = [str(p["text"]) for p in fake.requests("sendMessage", ORGANISER)][-1]
    assert "ម៉ោងស្ងាត់" in first  # "waits for the end of the quiet hours", not "sending"
    assert set((await ledger(database, campaign)).values()) == {"pending"}
