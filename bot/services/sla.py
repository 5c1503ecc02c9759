"""The first-response target and the daily digest of the staff group.

A case opened must get a first staff reply within ``desk.response_hours`` *working*
hours (the working week: days and hours in the bot's time zone). Past the target, the
staff group's General topic gets a reminder; past twice the target, the admins get a
message each. The moment each was queued is stored on the case (``reminded_at``,
``escalated_at``) by the same conditional UPDATE, in the same transaction as the outbox
rows: a check that runs twice, or again after a restart, sends nothing twice, and one
that did not run catches up at the next check.
"""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import rowcount
from bot.models import Case
from bot.services import Desk
from bot.services.cases import Result, StaffPost, WorkerPost, topic_name
from bot.services.replies import Button, Msg, Reply

__all__ = ["WorkingWeek", "check", "digest"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class WorkingWeek:
    """Working days (0 = Monday) and hours, in a time zone."""

    zone: dt.tzinfo
    days: frozenset[int]
    start: dt.time
    end: dt.time

    @classmethod
    def parse(cls, zone: str, days: str, hours: str) -> WorkingWeek:
        """From the settings' spellings: "mon,tue,…" and "08:00-17:00"."""
        first, last = (dt.time.fromisoformat(part) for part in hours.split("-"))
        numbers = frozenset(_DAYS.index(day.strip()[:3].lower()) for day in days.split(","))
        return cls(zoneinfo.ZoneInfo(zone), numbers, first, last)

    def add(self, start: dt.datetime, hours: float) -> dt.datetime:
        """The moment ``hours`` working hours after ``start`` (in UTC)."""
        remaining = dt.timedelta(hours=hours)
        moment = start.astimezone(self.zone)
        for _ in range(400):  # a year of days at most, even with one working day a week
            if moment.weekday() in self.days:
                opens = moment.replace(
                    hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0
                )
                closes = moment.replace(
                    hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0
                )
                moment = max(moment, opens)
                if moment < closes:
                    if moment + remaining <= closes:
                        return (moment + remaining).astimezone(dt.UTC)
                    remaining -= closes - moment
            next_day = moment.date() + dt.timedelta(days=1)
            moment = dt.datetime.combine(next_day, dt.time(), self.zone)
        raise ValueError("no working hours in the week")


def _topic_link(desk: Desk, case: Case) -> str | None:
    """t.me/c/<group>/<topic>: opens the case's topic for a member of the group."""
    chat = desk.staff_chat_id
    if chat is None or case.thread_id is None or not str(chat).startswith("-100"):
        return None
    return f"https://t.me/c/{str(chat)[4:]}/{case.thread_id}"


async def check(
    session: AsyncSession, desk: Desk, week: WorkingWeek, now: dt.datetime, admins: frozenset[int]
) -> Result:
    """Remind the staff group of each case past its first-response target, and tell the
    admins of each case past twice the target; each once."""
    waiting = (
        await session.scalars(
            sa.select(Case)
            .where(Case.status == "open", Case.first_response_at.is_(None))
            .where(sa.or_(Case.reminded_at.is_(None), Case.escalated_at.is_(None)))
            .order_by(Case.id)
        )
    ).all()
    lang = desk.staff_language
    staff: list[StaffPost] = []
    others: list[WorkerPost] = []
    hours = f"{desk.response_hours:g}"
    for case in waiting:
        assert case.opened_at is not None
        due = week.add(case.opened_at, desk.response_hours)
        if now < due:
            continue
        name = topic_name(desk, case)
        if case.reminded_at is None and await _mark(session, case.id, "reminded_at", now):
            link = _topic_link(desk, case)
            rows = ((Button(Msg("button-open-case"), url=link),),) if link else ()
            reply = Reply(lang, (Msg("sla-reminder", {"case": name, "hours": hours}),), rows)
            staff.append(StaffPost(case.id, "general", reply=reply))
        late = week.add(case.opened_at, 2 * desk.response_hours)
        escalate = now >= late and case.escalated_at is None
        if escalate and await _mark(session, case.id, "escalated_at", now):
            twice = f"{2 * desk.response_hours:g}"
            text = Reply(lang, (Msg("sla-admins", {"case": name, "hours": twice}),))
            others += [WorkerPost(admin, case.id, reply=text) for admin in sorted(admins)]
    return Result(staff=tuple(staff), worker=tuple(others))


async def _mark(session: AsyncSession, case_id: int, column: str, now: dt.datetime) -> bool:
    """Set the column if it is still empty; whether this call set it."""
    field = getattr(Case, column)
    result = await session.execute(
        sa.update(Case).where(Case.id == case_id, field.is_(None)).values({column: now})
    )
    return rowcount(result) > 0


def _duration(lang: str, seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes = round(seconds / 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


async def digest(session: AsyncSession, desk: Desk, week: WorkingWeek, now: dt.datetime) -> Result:
    """The day in the staff group: new, open, overdue and closed cases, the median time to
    a first response, and FAQ entries whose review date has passed."""
    since = now - dt.timedelta(days=1)
    new = await session.scalar(sa.select(sa.func.count()).where(Case.opened_at >= since))
    closed = await session.scalar(sa.select(sa.func.count()).where(Case.closed_at >= since))
    still_open = (await session.scalars(sa.select(Case).where(Case.status == "open"))).all()
    overdue = sum(
        1
        for case in still_open
        if case.first_response_at is None
        and case.opened_at is not None
        and now >= week.add(case.opened_at, desk.response_hours)
    )
    answered = (
        await session.execute(
            sa.select(Case.opened_at, Case.first_response_at).where(
                Case.first_response_at >= since, Case.opened_at.is_not(None)
            )
        )
    ).all()
    waits = [(first - opened).total_seconds() for opened, first in answered if opened and first]
    median = statistics.median(waits) if waits else None
    today = now.astimezone(week.zone).date()
    due = sorted(entry.id for entry in desk.faq.entries if entry.review_due < today)
    lang = desk.staff_language
    args = {
        "new": str(new or 0),
        "open": str(len(still_open)),
        "overdue": str(overdue),
        "closed": str(closed or 0),
        "median": _duration(lang, median),
        "reviews": ", ".join(due[:10]) + (" …" if len(due) > 10 else "") if due else "-",
    }
    reply = Reply(lang, (Msg("digest", args),))
    return Result(staff=(StaffPost(0, "general", reply=reply),))
