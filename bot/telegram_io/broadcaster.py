"""The broadcaster: turns the campaigns' schedule into bulk rows for the one sender.

It sends nothing itself. PTB's JobQueue calls :meth:`Broadcaster.tick` every second or so
(bot/app.py); each tick, in short transactions:

1. starts the campaigns that are due (services/campaigns.start_due builds the ledger);
2. reads back the outcome of rows the sender finished (sent, failed, blocked, unknown);
3. tops up the outbox with just enough bulk rows to keep the sender busy for a few
   seconds (``lookahead``) at the bulk rate, claiming them from the ledger atomically (an UPDATE …
   RETURNING over a sub-select, which is FOR UPDATE SKIP LOCKED on PostgreSQL) in the
   same transaction that writes their outbox rows, so each recipient gets at most one
   row, ever;
4. edits each running campaign's progress message every ``progress_every`` seconds, and
   sends the final report when a campaign is done.

Pacing is the sender's alone (``Pacing.bulk_rate``, the global budget, 429s): keeping
only a few seconds of bulk in the outbox is what lets quiet hours take effect at once
(a pause or cancel also takes back what waits there), and keeps the sender's schedule
small however large the campaign.

Crash safety follows from the outbox's rules: a ledger row is queued only with its
outbox row; a bulk row in flight at a crash is recorded ``unknown`` by the sender and
never sent again; pending rows are sent after the restart. So a restart mid-broadcast
sends no one twice and loses no one, apart from ``unknown`` rows.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa

from bot import callbacks
from bot.db import Database
from bot.i18n import Lang, is_language
from bot.models import Campaign, Delivery, OutboundMessage, Worker, utcnow
from bot.services import campaigns
from bot.services.replies import Button, Msg, Reply
from bot.telegram_io.outbox import Outbox, Outgoing, Priority

__all__ = [
    "BroadcastOptions",
    "Broadcaster",
    "campaign_message",
    "in_quiet_hours",
    "progress_reply",
]

log = logging.getLogger(__name__)

_DELIVERIES = cast(sa.Table, Delivery.__table__)
_OUTBOX = cast(sa.Table, OutboundMessage.__table__)
_FINAL = tuple(campaigns.OUTCOME_OF_OUTBOX)
_BAR = 10  # characters in the progress bar


@dataclass(frozen=True, slots=True)
class BroadcastOptions:
    """How the broadcaster feeds the sender and reports."""

    rate: float = 25.0  # the sender's bulk rate (Pacing.bulk_rate), for budgets and ETAs
    lookahead: float = 4.0  # seconds of bulk sends kept waiting in the outbox
    quiet: tuple[dt.time, dt.time] | None = (dt.time(21), dt.time(6))
    zone: zoneinfo.ZoneInfo = field(default_factory=lambda: zoneinfo.ZoneInfo("Asia/Phnom_Penh"))
    progress_every: float = 10.0  # seconds between edits of a progress message
    reconcile_batch: int = 5000  # outcomes read back per campaign per tick
    default_language: Lang = "km"
    paid_enabled: bool = False  # PAID_BROADCASTS: an admin allows paid broadcasts
    paid_rate: float = 1000.0  # the sender's paid rate (Pacing.paid_rate)

    @property
    def budget(self) -> int:
        """Bulk rows to keep in the outbox."""
        return max(1, math.ceil(self.rate * self.lookahead))

    @property
    def paid_budget(self) -> int:
        """Paid rows to keep in the outbox: at most 500 (the sender's schedule scans its
        chats for every send, so a bigger one would cost more than it gains)."""
        return max(1, min(500, math.ceil(self.paid_rate * self.lookahead)))


def in_quiet_hours(now: dt.datetime, quiet: tuple[dt.time, dt.time] | None, zone: Any) -> bool:
    """Whether ``now`` (UTC) falls in the local quiet hours (which may wrap past midnight)."""
    if quiet is None:
        return False
    start, end = quiet
    local = now.astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end


def _bar(done: int, total: int) -> str:
    filled = _BAR if total == 0 else min(_BAR, done * _BAR // total)
    return "▓" * filled + "░" * (_BAR - filled)


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def progress_reply(
    lang: Lang, campaign_id: int, state: str, figures: campaigns.Figures, rate: float
) -> Reply:
    """The organiser's progress message: state, bar, figures, rate and time left."""
    total = figures.total
    percent = 100 if total == 0 else figures.done * 100 // total
    eta = figures.remaining / rate if rate > 0 else 0.0
    args = {
        "id": str(campaign_id),
        "bar": _bar(figures.done, total),
        "percent": str(percent),
        "sent": str(figures.sent),
        "failed": str(figures.failed),
        "blocked": str(figures.blocked),
        "unknown": str(figures.unknown),
        "remaining": str(figures.remaining),
        "rate": f"{rate:.1f}",
        "eta": _duration(eta),
    }
    return Reply(
        lang,
        (Msg(f"campaign-state-{state}", {"id": str(campaign_id)}), Msg("campaign-progress", args)),
    )


def campaign_message(
    campaign: Campaign, chat_id: int, language: str, default_language: Lang, *, paid: bool = False
) -> Outgoing:
    """The campaign's message to one recipient, in their language when it exists.

    ``paid``: a paid broadcast (allow_paid_broadcast), at the sender's paid pace.
    """
    lang: Lang = language if is_language(language) else default_language
    text = campaign.text_en if lang == "en" and campaign.text_en else campaign.text_km
    rows: tuple[tuple[Button, ...], ...] = ()
    if campaign.rsvp:
        event = campaign.parent_id or campaign.id
        rows = ((Button(Msg("rsvp-button"), callbacks.rsvp(event)),),)
    reply = Reply(lang, (text or "",), rows)
    ref = f"campaign:{campaign.id}"
    priority = Priority.PAID if paid else Priority.BULK
    message = Outgoing.reply(chat_id, reply, priority=priority, ref=ref)
    if paid:
        message = Outgoing(
            chat_id,
            message.method,
            {**message.params, "allow_paid_broadcast": True},
            priority,
            ref=ref,
        )
    if campaign.media_message_id is None:
        return message
    # A photo or document: copied from the organiser's chat, captioned in the language.
    params = {
        "from_chat_id": campaign.media_chat_id,
        "message_id": campaign.media_message_id,
        "caption": message.params["text"],
    }
    for key in ("reply_markup", "allow_paid_broadcast"):
        if key in message.params:
            params[key] = message.params[key]
    return Outgoing(chat_id, "copyMessage", params, priority, ref=ref)


async def _anything_left(session: Any, campaign_id: int) -> bool:
    """Whether the campaign has rows still to send (pending or in the outbox)."""
    d = _DELIVERIES.c
    found = await session.scalar(
        sa.select(d.id)
        .where(d.campaign_id == campaign_id, d.status.in_(("pending", "queued")))
        .limit(1)
    )
    return found is not None


@dataclass(slots=True)
class _Progress:
    at: float  # monotonic time of the last figures
    done: int


class Broadcaster:
    """Feeds running campaigns to the sender and reports on them; see the module doc."""

    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        options: BroadcastOptions | None = None,
        *,
        now: Callable[[], dt.datetime] = utcnow,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._outbox = outbox
        self.options = options or BroadcastOptions()
        self._now = now
        self._clock = clock
        self._lock = asyncio.Lock()
        self._progress: dict[int, _Progress] = {}
        self._rates: dict[int, float] = {}

    async def tick(self) -> None:
        """One look at the schedule; a tick still running makes this one a no-op."""
        if self._lock.locked():
            return
        async with self._lock:
            now = self._now()
            await self._start_due(now)
            running = await self._running(now)
            for campaign_id in running:
                await self._reconcile(campaign_id)
            await self._feed(now)
            await self._report(now)

    # --- steps -----------------------------------------------------------------------

    async def _start_due(self, now: dt.datetime) -> None:
        quiet = in_quiet_hours(now, self.options.quiet, self.options.zone)
        async with self._database.transaction() as session:
            started = await campaigns.start_due(session, now, self.options.zone)
            for run in started:
                lang = await self._language(session, run.created_by)
                # In the quiet hours the author is told it waits, not that it is sending.
                state = "quiet" if quiet and not run.urgent else "running"
                status = progress_reply(
                    lang, run.id, state, await campaigns.figures(session, run.id), 0.0
                )
                await self._outbox.put(
                    session,
                    Outgoing.reply(
                        run.created_by,
                        status,
                        priority=Priority.STAFF,
                        ref=f"campaign-status:{run.id}",
                    ),
                )
        for run in started:
            log.info("broadcast %d started: %d recipients", run.id, run.recipients)

    async def _running(self, now: dt.datetime) -> list[int]:
        """Campaigns that may have outcomes to read back: active, or cancelled lately
        (their rows in flight at the cancel still finish)."""
        recently = now - dt.timedelta(days=1)
        async with self._database.transaction() as session:
            found = await session.scalars(
                sa.select(Campaign.id).where(
                    sa.or_(
                        Campaign.status.in_(("running", "paused")),
                        sa.and_(Campaign.status == "cancelled", Campaign.finished_at > recently),
                    )
                )
            )
            return list(found)

    async def _reconcile(self, campaign_id: int) -> int:
        """Read back the outcomes of the campaign's finished outbox rows."""
        d, o = _DELIVERIES.c, _OUTBOX.c
        query = (
            sa.select(d.id, o.status, o.message_id, o.id.is_(None))
            .select_from(_DELIVERIES.outerjoin(_OUTBOX, o.id == d.outbox_id))
            .where(d.campaign_id == campaign_id, d.status == "queued")
            .where(sa.or_(o.id.is_(None), o.status.in_(_FINAL)))
            .limit(self.options.reconcile_batch)
        )
        now = self._now()
        async with self._database.transaction() as session:
            rows = (await session.execute(query)).all()
            updates = [
                {
                    "id": delivery_id,
                    # An outbox row pruned before it was read back: its fate is unknown.
                    "status": "unknown" if missing else campaigns.OUTCOME_OF_OUTBOX[status],
                    "message_id": message_id,
                    "finished_at": now,
                }
                for delivery_id, status, message_id, missing in rows
            ]
            if updates:
                await session.execute(sa.update(Delivery), updates)
        return len(updates)

    async def _feed(self, now: dt.datetime) -> None:
        """Top the outbox up to the budget with rows of running campaigns, urgent first."""
        quiet = in_quiet_hours(now, self.options.quiet, self.options.zone)
        async with self._database.transaction() as session:
            waiting: dict[int, int] = dict(
                (
                    await session.execute(
                        sa.select(_OUTBOX.c.priority, sa.func.count())
                        .where(
                            _OUTBOX.c.status.in_(("pending", "sending")),
                            _OUTBOX.c.priority >= int(Priority.BULK),
                        )
                        .group_by(_OUTBOX.c.priority)
                    )
                ).all()
            )
            # Paid broadcasts have a budget of their own, beside the ordinary bulk one.
            room = {
                Priority.BULK: self.options.budget - waiting.get(int(Priority.BULK), 0),
                Priority.PAID: self.options.paid_budget - waiting.get(int(Priority.PAID), 0),
            }
            if max(room.values()) <= 0:
                return
            query = sa.select(Campaign).where(Campaign.status == "running")
            if quiet:
                query = query.where(Campaign.urgent.is_(True))
            running = (
                await session.scalars(query.order_by(Campaign.urgent.desc(), Campaign.id))
            ).all()
            for campaign in running:
                kind = Priority.PAID if self._paid(campaign) else Priority.BULK
                if room[kind] > 0:
                    room[kind] -= await self._claim(session, campaign, room[kind])

    def _paid(self, campaign: Campaign) -> bool:
        """Whether the campaign goes as a paid broadcast (only while an admin allows it)."""
        return campaign.paid and self.options.paid_enabled

    async def _claim(self, session: Any, campaign: Campaign, room: int) -> int:
        """Queue up to ``room`` of the campaign's pending recipients; how many."""
        d = _DELIVERIES.c
        batch = (
            sa.select(d.id)
            .where(d.campaign_id == campaign.id, d.status == "pending")
            .order_by(d.id)
            .limit(room)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer anyway
            .scalar_subquery()
        )
        claimed = (
            await session.execute(
                sa.update(_DELIVERIES)
                .where(d.id.in_(batch))
                .values(status="queued")
                .returning(d.id, d.chat_id, d.language)
            )
        ).all()
        if not claimed:
            return 0
        claimed.sort()
        default = self.options.default_language
        items = [
            campaign_message(campaign, chat_id, language, default, paid=self._paid(campaign))
            for _, chat_id, language in claimed
        ]
        ids = await self._outbox.put_returning_ids(session, items)
        await session.execute(
            sa.update(Delivery),
            [
                {"id": row[0], "outbox_id": outbox_id}
                for row, outbox_id in zip(claimed, ids, strict=True)
            ],
        )
        return len(claimed)

    async def _report(self, now: dt.datetime) -> None:
        """Progress edits every ``progress_every`` seconds; the end of finished campaigns."""
        clock = self._clock()
        quiet = in_quiet_hours(now, self.options.quiet, self.options.zone)
        async with self._database.transaction() as session:
            active = (
                await session.scalars(
                    sa.select(Campaign).where(Campaign.status.in_(("running", "paused")))
                )
            ).all()
            for campaign in active:
                last = self._progress.get(campaign.id)
                due = last is None or clock - last.at >= self.options.progress_every
                # Counting the whole ledger is for the 10-second report; "anything left?"
                # is one index probe, cheap enough for every tick.
                finished = campaign.status == "running" and not await _anything_left(
                    session, campaign.id
                )
                if not (due or finished):
                    continue
                figures = await campaigns.figures(session, campaign.id)
                rate = self._rate(campaign.id, clock, figures.done)
                if finished:
                    await self._finish(session, campaign, figures, now)
                    continue
                state = campaign.status
                if state == "running" and quiet and not campaign.urgent:
                    state = "quiet"
                await self._edit_status(session, campaign, state, figures, rate)

    def _rate(self, campaign_id: int, clock: float, done: int) -> float:
        """Messages a second since the last report (the bulk rate before there is one)."""
        last = self._progress.get(campaign_id)
        self._progress[campaign_id] = _Progress(clock, done)
        if last is None or clock <= last.at:
            return self._rates.get(campaign_id, self.options.rate)
        rate = (done - last.done) / (clock - last.at)
        self._rates[campaign_id] = rate
        return rate

    async def _status_message(self, session: Any, campaign: Campaign) -> int | None:
        """The id of the campaign's progress message, once the sender has sent it."""
        if campaign.status_message_id is None:
            found = await session.scalar(
                sa.select(_OUTBOX.c.message_id).where(
                    _OUTBOX.c.ref == f"campaign-status:{campaign.id}",
                    _OUTBOX.c.status == "sent",
                )
            )
            if found is not None:
                campaign.status_chat_id = campaign.created_by
                campaign.status_message_id = found
        return campaign.status_message_id

    async def _edit_status(
        self,
        session: Any,
        campaign: Campaign,
        state: str,
        figures: campaigns.Figures,
        rate: float,
    ) -> None:
        message_id = await self._status_message(session, campaign)
        if message_id is None:
            return  # not sent yet: the next report edits it
        lang = await self._language(session, campaign.created_by)
        edit = Outgoing.edit(
            campaign.created_by,
            message_id,
            progress_reply(lang, campaign.id, state, figures, rate),
        )
        # No fallback: a progress message the organiser deleted is not sent anew each time.
        await self._outbox.put(
            session, Outgoing(edit.chat_id, edit.method, edit.params, Priority.STAFF)
        )

    async def _finish(
        self, session: Any, campaign: Campaign, figures: campaigns.Figures, now: dt.datetime
    ) -> None:
        if not await campaigns.set_status(
            session, campaign.id, ["running"], "finished", finished_at=now
        ):
            return
        self._progress.pop(campaign.id, None)
        rate = self._rates.pop(campaign.id, 0.0)
        await self._edit_status(session, campaign, "finished", figures, rate)
        lang = await self._language(session, campaign.created_by)
        started = campaign.started_at or now
        report = Reply(
            lang,
            (
                Msg(
                    "campaign-report",
                    {
                        "id": str(campaign.id),
                        "total": str(figures.total),
                        "sent": str(figures.sent),
                        "failed": str(figures.failed),
                        "blocked": str(figures.blocked),
                        "unknown": str(figures.unknown),
                        "skipped": str(figures.skipped),
                        "duration": _duration((now - started).total_seconds()),
                    },
                ),
            ),
        )
        await self._outbox.put(
            session, Outgoing.reply(campaign.created_by, report, priority=Priority.STAFF)
        )
        log.info(
            "broadcast %d finished: %d sent, %d failed, %d blocked, %d unknown, %d skipped",
            campaign.id,
            figures.sent,
            figures.failed,
            figures.blocked,
            figures.unknown,
            figures.skipped,
        )

    async def _language(self, session: Any, user_id: int) -> Lang:
        language = await session.scalar(
            sa.select(Worker.language).where(Worker.telegram_user_id == user_id)
        )
        return language if is_language(language) else self.options.default_language
