"""Subscribers: opt-in to union news and NSSF alerts, topics, opt-out, blocked workers.

Consent is explicit and stored with its time: nothing is broadcast to a worker without a
``subscribers`` row in state subscribed (services/campaigns.py selects only those). The
bot offers the opt-in once, after the language choice at /start, and again only when a
worker arrives through a campaign's deep link or comes back after blocking the bot; a
worker who said "no thanks" or STOP is not asked again (they can still /subscribe).

Opting out is one word in either language ("STOP", "ឈប់") or /unsubscribe, confirmed in
one message, and it also skips the worker's turn in any broadcast still running.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import insert
from bot.i18n import Lang
from bot.models import (
    Campaign,
    DeepLink,
    Delivery,
    Rsvp,
    Subscriber,
    SubscriberTopic,
    Worker,
    utcnow,
)
from bot.redact import redact
from bot.services import Desk, workers
from bot.services.replies import Button, Msg, Reply, Text

__all__ = [
    "PROVINCES",
    "SECTORS",
    "STOP",
    "TOPICS",
    "attend",
    "choose_language",
    "decline",
    "employer_answer",
    "opt_out",
    "set_blocked",
    "set_province",
    "set_sector",
    "skip_employer",
    "start",
    "subscribe",
    "toggle_topic",
    "topics_done",
    "unsubscribe",
]

# The campaign topics, in the order the buttons show them (callbacks._TOPIC matches).
TOPICS = ("pension", "health", "accident", "maternity", "union")
# The optional profile's sectors (callbacks._SECTOR matches); "skip" records a skip.
SECTORS = ("garment", "construction", "vendor", "transport", "domestic", "other")
# The optional profile's provinces: Phnom Penh and the 24 provinces (callbacks._PROVINCE
# matches); "skip" records a skip. Shown in this order, each in the worker's language.
PROVINCES = (
    "phnom-penh",
    "banteay-meanchey",
    "battambang",
    "kampong-cham",
    "kampong-chhnang",
    "kampong-speu",
    "kampong-thom",
    "kampot",
    "kandal",
    "kep",
    "koh-kong",
    "kratie",
    "mondulkiri",
    "oddar-meanchey",
    "pailin",
    "preah-sihanouk",
    "preah-vihear",
    "prey-veng",
    "pursat",
    "ratanakiri",
    "siem-reap",
    "stung-treng",
    "svay-rieng",
    "takeo",
    "tbong-khmum",
)
# The employer question's answer is the worker's next text within this time; later, a
# text is a question again (nobody's question is taken for a name days after).
EMPLOYER_WAIT = dt.timedelta(minutes=10)
# A factory's or company's name, as stored (cut to this many characters).
MAX_EMPLOYER_CHARS = 64
# A longer text is not a name but a question: it is answered, and the employer skipped.
MAX_EMPLOYER_ANSWER = 100
# "STOP" or "ឈប់" alone (any case, spaces, zero-width spaces, a final full stop or "!").
STOP = re.compile(r"^[\s\u200b]*(?:stop|ឈប់)[\s\u200b.!។]*$", re.IGNORECASE)


async def _subscriber(session: AsyncSession, worker_id: int) -> Subscriber | None:
    return await session.get(Subscriber, worker_id)


def _offer(lang: Lang) -> Reply:
    """ "Get union news and NSSF alerts?" with Yes / No thanks."""
    buttons = (
        Button(Msg("subscribe-yes"), callbacks.subscribe(True)),
        Button(Msg("subscribe-no"), callbacks.subscribe(False)),
    )
    return Reply(lang, (Msg("subscribe-offer"),), (buttons,))


def _may_offer(subscriber: Subscriber | None) -> bool:
    """Never asked, or unsubscribed only because they had blocked the bot."""
    if subscriber is None:
        return True
    return not subscriber.subscribed and subscriber.reason == "blocked"


def _topic_buttons(chosen: set[str]) -> tuple[tuple[Button, ...], ...]:
    rows = [
        (
            Button(
                Msg(f"topic-{topic}-{'on' if topic in chosen else 'off'}"),
                callbacks.subscribe_topic(topic),
            ),
        )
        for topic in TOPICS
    ]
    rows.append((Button(Msg("subscribe-topics-done"), callbacks.subscribe_done()),))
    return tuple(rows)


async def _topics(session: AsyncSession, worker_id: int) -> set[str]:
    found = await session.scalars(
        select(SubscriberTopic.topic).where(SubscriberTopic.worker_id == worker_id)
    )
    return set(found)


async def start(
    session: AsyncSession, desk: Desk, user_id: int, payload: str | None, hint: Lang | None
) -> tuple[Reply, ...]:
    """/start: the greeting; with a campaign deep link, the offer to subscribe too."""
    greeting = await workers.greet(session, desk, user_id, payload, hint)
    if not payload:
        return (greeting,)
    worker = await workers.touch(session, desk, user_id)
    if not _may_offer(await _subscriber(session, worker.id)):
        return (greeting,)
    return greeting, _offer(worker.language)


async def choose_language(
    session: AsyncSession, desk: Desk, user_id: int, language: Lang
) -> tuple[Reply, ...]:
    """The language chosen; then, one tap, the offer of news (unless already answered)."""
    chosen = await workers.choose_language(session, desk, user_id, language)
    worker = await workers.touch(session, desk, user_id)
    if not _may_offer(await _subscriber(session, worker.id)):
        return (chosen,)
    return chosen, _offer(language)


async def _set(
    session: AsyncSession, worker_id: int, subscribed: bool, reason: str | None
) -> None:
    """Upsert the subscriber's state and keep ``workers.consent_broadcasts`` in step."""
    now = utcnow()
    values: dict[str, object] = {"subscribed": subscribed, "reason": reason}
    if subscribed:
        values["opted_in_at"] = now
    else:
        values["opted_out_at"] = now
    statement = (
        insert(session, Subscriber.__table__)
        .values(worker_id=worker_id, **values)
        .on_conflict_do_update(index_elements=["worker_id"], set_=values)
    )
    await session.execute(statement)
    await session.execute(
        update(Worker).where(Worker.id == worker_id).values(consent_broadcasts=subscribed)
    )
    if not subscribed:
        # Their turn in a broadcast still running is skipped (a queued one may still go).
        await session.execute(
            update(Delivery)
            .where(Delivery.worker_id == worker_id, Delivery.status == "pending")
            .values(status="skipped", finished_at=now)
        )


async def subscribe(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """Yes, or /subscribe: every topic at once, then the buttons to narrow them."""
    worker = await workers.touch(session, desk, user_id)
    before = await _subscriber(session, worker.id)
    await _set(session, worker.id, True, None)
    workers.forget_seen(desk, user_id)  # an employer question asked before counts again
    if before is None or before.source is None:
        # Attribution: the latest campaign deep link the worker came through.
        source = await session.scalar(
            select(DeepLink.payload)
            .where(DeepLink.worker_id == worker.id)
            .order_by(DeepLink.id.desc())
            .limit(1)
        )
        if source is not None:
            await session.execute(
                update(Subscriber).where(Subscriber.worker_id == worker.id).values(source=source)
            )
    await session.execute(delete(SubscriberTopic).where(SubscriberTopic.worker_id == worker.id))
    await session.execute(
        insert(session, SubscriberTopic.__table__),
        [{"worker_id": worker.id, "topic": topic} for topic in TOPICS],
    )
    return Reply(worker.language, (Msg("subscribe-confirmed"),), _topic_buttons(set(TOPICS)))


async def decline(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """No thanks: remembered, so the offer is not repeated; /subscribe still works."""
    worker = await workers.touch(session, desk, user_id)
    subscriber = await _subscriber(session, worker.id)
    if subscriber is None or not subscriber.subscribed:
        await _set(session, worker.id, False, "declined")
    return Reply.say(worker.language, "subscribe-declined")


async def toggle_topic(session: AsyncSession, desk: Desk, user_id: int, topic: str) -> Reply:
    """Add or remove one topic; the buttons again, with the new marks."""
    worker = await workers.touch(session, desk, user_id)
    subscriber = await _subscriber(session, worker.id)
    if subscriber is None or not subscriber.subscribed:
        return Reply.say(worker.language, "subscribe-not-subscribed")
    chosen = await _topics(session, worker.id)
    if topic in chosen:
        await session.execute(
            delete(SubscriberTopic).where(
                SubscriberTopic.worker_id == worker.id, SubscriberTopic.topic == topic
            )
        )
        chosen.discard(topic)
    else:
        session.add(SubscriberTopic(worker_id=worker.id, topic=topic))
        chosen.add(topic)
    return Reply(worker.language, (Msg("subscribe-topics"),), _topic_buttons(chosen))


async def topics_done(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """Done: which topics they will get (general union news always comes)."""
    worker = await workers.touch(session, desk, user_id)
    subscriber = await _subscriber(session, worker.id)
    if subscriber is None or not subscriber.subscribed:
        return Reply.say(worker.language, "subscribe-not-subscribed")
    chosen = await _topics(session, worker.id)
    names = [f"topic-{topic}" for topic in TOPICS if topic in chosen]
    saved = Reply.say(worker.language, "subscribe-topics-saved", *names)
    if not names:
        saved = Reply.say(worker.language, "subscribe-no-topics")
    question = _next_question(desk, user_id, subscriber)
    if question is None:  # each profile question is asked once (answered or skipped)
        return saved
    parts, rows = question
    return Reply(saved.lang, (*saved.parts, *parts), rows)


# --- the optional profile: sector, province, employer; each asked once, skippable ------


_Question = tuple[tuple[Text, ...], tuple[tuple[Button, ...], ...]]


def _next_question(desk: Desk, user_id: int, subscriber: Subscriber) -> _Question | None:
    """The first profile question not asked yet (its text and buttons), or None. Asking
    the employer is recorded here: the next text soon after answers it (and the worker's
    remembered state, which says no employer answer is awaited, is dropped)."""
    if subscriber.sector is None:
        rows = tuple(
            (Button(Msg(f"sector-{sector}"), callbacks.subscribe_sector(sector)),)
            for sector in SECTORS
        )
        rows += ((Button(Msg("profile-skip"), callbacks.subscribe_sector("skip")),),)
        return (Msg("profile-sector-ask"),), rows
    if subscriber.province is None:
        buttons = [
            Button(Msg(f"province-{province}"), callbacks.subscribe_province(province))
            for province in PROVINCES
        ]
        pairs = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
        skip = (Button(Msg("profile-skip"), callbacks.subscribe_province("skip")),)
        return (Msg("profile-province-ask"),), (*pairs, skip)
    if subscriber.employer is None and subscriber.employer_asked_at is None:
        subscriber.employer_asked_at = utcnow()
        workers.forget_seen(desk, user_id)
        skip = (Button(Msg("profile-skip"), callbacks.subscribe_employer_skip()),)
        return (Msg("profile-employer-ask"),), (skip,)
    return None


def _after_answer(
    desk: Desk, user_id: int, lang: Lang, subscriber: Subscriber, answered: bool
) -> Reply:
    """Thanks (or OK), then the next profile question, if any is left."""
    question = _next_question(desk, user_id, subscriber)
    if question is None:
        return Reply.say(lang, "profile-saved" if answered else "profile-skipped")
    parts, rows = question
    first: tuple[Text, ...] = (Msg("profile-noted"),) if answered else ()
    return Reply(lang, (*first, *parts), rows)


async def _answer(
    session: AsyncSession, desk: Desk, user_id: int, field: str, value: str
) -> Reply:
    """A profile question's answer (``"skip"`` is remembered too); then the next one."""
    worker = await workers.touch(session, desk, user_id)
    subscriber = await _subscriber(session, worker.id)
    if subscriber is None or not subscriber.subscribed:
        return Reply.say(worker.language, "subscribe-not-subscribed")
    setattr(subscriber, field, value)
    return _after_answer(desk, user_id, worker.language, subscriber, value != "skip")


async def set_sector(session: AsyncSession, desk: Desk, user_id: int, sector: str) -> Reply:
    """The worker's answer to the sector question."""
    return await _answer(session, desk, user_id, "sector", sector)


async def set_province(session: AsyncSession, desk: Desk, user_id: int, province: str) -> Reply:
    """The worker's answer to the province question."""
    return await _answer(session, desk, user_id, "province", province)


async def skip_employer(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """Skip under the employer question: remembered ("" stored), not asked again."""
    worker = await workers.touch(session, desk, user_id)
    subscriber = await _subscriber(session, worker.id)
    if subscriber is None or not subscriber.subscribed:
        return Reply.say(worker.language, "subscribe-not-subscribed")
    if subscriber.employer is None:
        subscriber.employer = ""
    return Reply.say(worker.language, "profile-skipped")


async def employer_answer(
    session: AsyncSession,
    desk: Desk,
    user_id: int,
    text: str,
    *,
    now: dt.datetime | None = None,
) -> Reply | None:
    """The worker's text as the employer's name, when the question was just asked; None
    when the text is not that (then it is a question, answered as usual).

    Only the next text within :data:`EMPLOYER_WAIT` counts, and only if it is short
    enough to be a name: a long text is a question, answered, and the employer skipped.
    Phone numbers are taken out and the name is cut before it is stored.
    """
    known = workers.remembered(desk, user_id)
    if known is not None and not known.employer_pending:
        return None  # the usual case: no query (asking the employer forgets the state)
    now = now or utcnow()
    subscriber = await session.scalar(
        select(Subscriber)
        .join(Worker, Worker.id == Subscriber.worker_id)
        .where(
            Worker.telegram_user_id == user_id,
            Subscriber.subscribed.is_(True),
            Subscriber.employer.is_(None),
            Subscriber.employer_asked_at > now - EMPLOYER_WAIT,
        )
    )
    if subscriber is None:
        return None
    name = " ".join(text.split())
    if not name or len(name) > MAX_EMPLOYER_ANSWER:
        subscriber.employer = ""  # a question, not a name: skipped, not asked again
        return None
    subscriber.employer = redact(name)[:MAX_EMPLOYER_CHARS].strip()
    worker = await workers.touch(session, desk, user_id)
    saved = Msg("profile-employer-saved", {"employer": subscriber.employer})
    return Reply(worker.language, (saved,))


async def unsubscribe(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/unsubscribe, STOP, ឈប់: out of everything, confirmed in one message."""
    worker = await workers.touch(session, desk, user_id)
    await _set(session, worker.id, False, "stop")
    return Reply.say(worker.language, "unsubscribed")


async def opt_out(session: AsyncSession, worker_id: int, reason: str) -> None:
    """Unsubscribe a worker the bot can no longer reach (no reply: they can't see one)."""
    subscriber = await _subscriber(session, worker_id)
    if subscriber is not None and subscriber.subscribed:
        await _set(session, worker_id, False, reason)


async def set_blocked(session: AsyncSession, desk: Desk, user_id: int, blocked: bool) -> None:
    """The worker blocked (or unblocked) the bot: blocking also unsubscribes them.

    Unblocking does not subscribe them again: the offer comes back at their next /start,
    and only their "yes" counts.
    """
    await workers.set_blocked(session, desk, user_id, blocked)
    if blocked:
        worker_id = await session.scalar(
            select(Worker.id).where(Worker.telegram_user_id == user_id)
        )
        if worker_id is not None:
            await opt_out(session, worker_id, "blocked")


async def attend(session: AsyncSession, desk: Desk, user_id: int, campaign_id: int) -> Reply:
    """ "I'll attend" under an event campaign: counted once (a toast either way)."""
    worker = await workers.touch(session, desk, user_id)
    open_event = await session.scalar(
        select(Campaign.id).where(
            Campaign.id == campaign_id,
            Campaign.rsvp.is_(True),
            Campaign.status.notin_(("cancelled", "rejected")),
        )
    )
    if open_event is None:
        return Reply(worker.language, toast=Msg("rsvp-gone"))
    await session.execute(
        insert(session, Rsvp.__table__)
        .values(campaign_id=campaign_id, worker_id=worker.id, created_at=utcnow())
        .on_conflict_do_nothing()
    )
    return Reply(worker.language, toast=Msg("rsvp-thanks"))
