"""Campaigns: their life (draft → approval → schedule → run), segments, the ledger, figures.

The schedule lives here, in the database; bot/telegram_io/broadcaster.py only looks at
it on each tick. A campaign's recipients are fixed when it starts: one ledger row per
subscribed worker of its segment (``deliveries``, unique per campaign × worker), built in
one INSERT … SELECT in the transaction that marks it running, so a crash leaves either
no ledger or the whole one.

Approval: the organiser who wrote a campaign cannot approve it; a second organiser must.
Every state change checks the state it comes from in its WHERE clause, so two organisers
(or two replicas) acting at once cannot both win.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import rowcount
from bot.models import (
    Campaign,
    Delivery,
    OutboundMessage,
    Rsvp,
    Subscriber,
    SubscriberTopic,
    Worker,
    utcnow,
)

__all__ = [
    "ACTIVE",
    "Figures",
    "approve",
    "build_ledger",
    "cancel",
    "count_recipients",
    "create",
    "figures",
    "next_run",
    "pause",
    "reject",
    "request_approval",
    "resume",
    "rsvp_count",
    "set_status",
    "start_due",
    "withdraw",
]

_DELIVERIES = cast(sa.Table, Delivery.__table__)
_OUTBOX = cast(sa.Table, OutboundMessage.__table__)
# States in which a campaign still has something to do.
ACTIVE = ("scheduled", "running", "paused")
# Final ledger states, and the outbox status each comes from.
OUTCOME_OF_OUTBOX = {
    "sent": "sent",
    "failed": "failed",
    "dropped": "blocked",
    "unknown": "unknown",
}


def _segment(topics: Sequence[str] | None, filters: dict[str, str]) -> sa.Select[int, int, str]:
    """The subscribed, reachable workers of a segment: id, chat, language."""
    query = (
        sa.select(Worker.id, Worker.telegram_user_id, Worker.language)
        .join(Subscriber, Subscriber.worker_id == Worker.id)
        .where(Subscriber.subscribed.is_(True), Worker.blocked_at.is_(None))
    )
    if topics:
        query = query.where(
            sa.exists().where(
                SubscriberTopic.worker_id == Worker.id, SubscriberTopic.topic.in_(list(topics))
            )
        )
    for key in ("province", "sector"):
        if filters.get(key):
            query = query.where(getattr(Subscriber, key) == filters[key])
    if filters.get("employer"):  # typed by the organiser: part of the name, any case
        query = query.where(
            sa.func.lower(Subscriber.employer).contains(
                filters["employer"].lower(), autoescape=True
            )
        )
    return query


async def count_recipients(
    session: AsyncSession, topics: Sequence[str] | None, filters: dict[str, str]
) -> int:
    """How many workers a segment reaches now (for the preview)."""
    inner = _segment(topics, filters).subquery()
    return int(await session.scalar(sa.select(sa.func.count()).select_from(inner)) or 0)


async def create(
    session: AsyncSession,
    organiser_id: int,
    *,
    text_km: str,
    text_en: str | None = None,
    topics: Sequence[str] | None = None,
    filters: dict[str, str] | None = None,
    scheduled_at: dt.datetime | None = None,
    recurrence: str | None = None,
    urgent: bool = False,
    rsvp: bool = False,
    status: str = "draft",
) -> Campaign:
    """A new campaign (a draft unless told otherwise); flushed, so it has its id."""
    campaign = Campaign(
        created_by=organiser_id,
        status=status,
        text_km=text_km,
        text_en=text_en,
        topics=list(topics) if topics else None,
        filters=dict(filters or {}),
        scheduled_at=scheduled_at,
        recurrence=recurrence,
        urgent=urgent,
        rsvp=rsvp,
        created_at=utcnow(),
    )
    session.add(campaign)
    await session.flush()
    return campaign


async def set_status(
    session: AsyncSession, campaign_id: int, from_states: Sequence[str], to: str, **values: Any
) -> bool:
    """Move the campaign to ``to`` if it is in one of ``from_states``; whether it moved."""
    result = await session.execute(
        sa.update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.status.in_(list(from_states)))
        .values(status=to, **values)
    )
    return rowcount(result) == 1


async def withdraw(session: AsyncSession, campaign_id: int) -> int:
    """Take the campaign's rows still waiting in the outbox back (pause, cancel).

    Their ledger rows become pending again; rows already in flight finish. The sender
    finds a withdrawn row gone when it tries to claim it, and skips it.
    """
    ref = f"campaign:{campaign_id}"
    removed = (
        await session.execute(
            sa.delete(_OUTBOX)
            .where(_OUTBOX.c.ref == ref, _OUTBOX.c.status == "pending")
            .returning(_OUTBOX.c.id)
        )
    ).all()
    ids = [row[0] for row in removed]
    for start in range(0, len(ids), 500):
        await session.execute(
            sa.update(_DELIVERIES)
            .where(_DELIVERIES.c.outbox_id.in_(ids[start : start + 500]))
            .values(status="pending", outbox_id=None)
        )
    return len(ids)


def next_run(at: dt.datetime, recurrence: str, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The next time of a weekly or monthly campaign, at the same local time of day.

    Monthly on the 31st falls on the last day of shorter months.
    """
    local = at.astimezone(zone)
    if recurrence == "weekly":
        following = local.date() + dt.timedelta(days=7)
    else:
        year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
        day = min(local.day, calendar.monthrange(year, month)[1])
        following = dt.date(year, month, day)
    return dt.datetime.combine(following, local.timetz().replace(tzinfo=None), zone).astimezone(
        dt.UTC
    )


async def build_ledger(session: AsyncSession, campaign: Campaign) -> int:
    """One pending ledger row per recipient of the campaign's segment; how many."""
    segment = _segment(campaign.topics, campaign.filters or {})
    rows = segment.with_only_columns(
        sa.literal(campaign.id).label("campaign_id"),
        Worker.id,
        Worker.telegram_user_id,
        Worker.language,
        sa.literal("pending").label("status"),
    ).order_by(Worker.id)
    result = await session.execute(
        sa.insert(_DELIVERIES).from_select(
            ["campaign_id", "worker_id", "chat_id", "language", "status"], rows
        )
    )
    count = rowcount(result)
    if count <= 0:  # some drivers can't say; count it
        count = int(
            await session.scalar(
                sa.select(sa.func.count()).where(_DELIVERIES.c.campaign_id == campaign.id)
            )
            or 0
        )
    return count


async def start_due(
    session: AsyncSession, now: dt.datetime, zone: zoneinfo.ZoneInfo
) -> list[Campaign]:
    """Start the scheduled campaigns whose time has come; the runs started.

    A one-off campaign becomes running itself. A recurring one starts a run (a copy with
    ``parent_id``) and moves its own time on by a week or a month, staying scheduled.
    """
    due = (
        await session.scalars(
            sa.select(Campaign)
            .where(Campaign.status == "scheduled", Campaign.scheduled_at <= now)
            .order_by(Campaign.scheduled_at, Campaign.id)
        )
    ).all()
    started = []
    for campaign in due:
        if campaign.recurrence:
            assert campaign.scheduled_at is not None
            following = next_run(campaign.scheduled_at, campaign.recurrence, zone)
            while following <= now:  # the bot was down over several occurrences: one run
                following = next_run(following, campaign.recurrence, zone)
            moved = await session.execute(
                sa.update(Campaign)
                .where(Campaign.id == campaign.id, Campaign.scheduled_at == campaign.scheduled_at)
                .values(scheduled_at=following)
            )
            if rowcount(moved) != 1:
                continue  # another replica started this occurrence
            run = Campaign(
                parent_id=campaign.id,
                status="running",
                created_by=campaign.created_by,
                approved_by=campaign.approved_by,
                text_km=campaign.text_km,
                text_en=campaign.text_en,
                media_chat_id=campaign.media_chat_id,
                media_message_id=campaign.media_message_id,
                topics=campaign.topics,
                filters=dict(campaign.filters or {}),
                scheduled_at=now,
                urgent=campaign.urgent,
                rsvp=campaign.rsvp,
                paid=campaign.paid,
                created_at=now,
                started_at=now,
            )
            session.add(run)
            await session.flush()
        else:
            if not await set_status(
                session, campaign.id, ["scheduled"], "running", started_at=now
            ):
                continue
            run = campaign
            run.status, run.started_at = "running", now
        run.recipients = await build_ledger(session, run)
        await session.flush()
        started.append(run)
    return started


@dataclass(frozen=True, slots=True)
class Figures:
    """A campaign's ledger counted by state."""

    total: int = 0
    pending: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    unknown: int = 0
    skipped: int = 0

    @property
    def done(self) -> int:
        """Rows with a final outcome."""
        return self.sent + self.failed + self.blocked + self.unknown + self.skipped

    @property
    def remaining(self) -> int:
        """Rows still to send (waiting or in the outbox)."""
        return self.pending + self.queued


async def figures(session: AsyncSession, campaign_id: int) -> Figures:
    """The campaign's ledger counted by state."""
    rows = await session.execute(
        sa.select(_DELIVERIES.c.status, sa.func.count())
        .where(_DELIVERIES.c.campaign_id == campaign_id)
        .group_by(_DELIVERIES.c.status)
    )
    counts = {status: int(count) for status, count in rows}
    known = {name: counts.get(name, 0) for name in Figures.__slots__ if name != "total"}
    return Figures(total=sum(counts.values()), **known)


async def rsvp_count(session: AsyncSession, campaign_id: int) -> int:
    """How many workers tapped "I'll attend"."""
    return int(
        await session.scalar(
            sa.select(sa.func.count()).select_from(Rsvp).where(Rsvp.campaign_id == campaign_id)
        )
        or 0
    )


# --- approval and control ------------------------------------------------------------------


async def request_approval(session: AsyncSession, campaign_id: int, organiser_id: int) -> bool:
    """The author asks for approval: draft → pending."""
    result = await session.execute(
        sa.update(Campaign)
        .where(
            Campaign.id == campaign_id,
            Campaign.created_by == organiser_id,
            Campaign.status == "draft",
        )
        .values(status="pending")
    )
    return rowcount(result) == 1


async def approve(
    session: AsyncSession, campaign_id: int, approver_id: int, now: dt.datetime
) -> str:
    """A second organiser approves: pending → scheduled (now, if no time was set).

    "approved", or why not: "own" (the author cannot approve their own), "not-pending"
    (already decided, cancelled, or unknown).
    """
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "pending":
        return "not-pending"
    if campaign.created_by == approver_id:
        return "own"
    moved = await set_status(
        session,
        campaign_id,
        ["pending"],
        "scheduled",
        approved_by=approver_id,
        scheduled_at=campaign.scheduled_at or now,
    )
    return "approved" if moved else "not-pending"


async def reject(session: AsyncSession, campaign_id: int, approver_id: int) -> str:
    """A second organiser rejects: pending → rejected ("rejected", "own", "not-pending")."""
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "pending":
        return "not-pending"
    if campaign.created_by == approver_id:
        return "own"
    moved = await set_status(session, campaign_id, ["pending"], "rejected")
    return "rejected" if moved else "not-pending"


async def pause(session: AsyncSession, campaign_id: int) -> bool:
    """Running → paused; what waited in the outbox is taken back."""
    if not await set_status(session, campaign_id, ["running"], "paused"):
        return False
    await withdraw(session, campaign_id)
    return True


async def resume(session: AsyncSession, campaign_id: int) -> bool:
    """Paused → running: the next tick goes on where it stopped."""
    return await set_status(session, campaign_id, ["paused"], "running")


async def cancel(session: AsyncSession, campaign_id: int, now: dt.datetime) -> bool:
    """Stop for good (a recurring campaign: no more runs); waiting rows taken back."""
    moved = await set_status(
        session,
        campaign_id,
        ["draft", "pending", "scheduled", "running", "paused"],
        "cancelled",
        finished_at=now,
    )
    if moved:
        await withdraw(session, campaign_id)
    return moved
