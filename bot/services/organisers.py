"""The organisers' side of broadcasts: writing one (/broadcast), approval, /campaigns.

A draft is a ``campaigns`` row in state draft; its ``step`` says what the organiser's next
message is (the Khmer text or a photo/document with a Khmer caption, then the English
version, then, for a later or recurring send, the date and time). Buttons choose the rest:
the segment (every subscriber, or topics), when (now, urgent now, weekly, monthly), then
a preview of exactly what workers will get, the recipient count and the time it will
take, and "Request approval". Every other organiser is then sent the preview with
Approve / Reject; the author cannot approve their own (services/campaigns.approve).

Unlike the workers' services these return the outbox items themselves: one action here
may message several people (the author, every approver) and copy a photo, which a single
Reply can't say.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zoneinfo
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.constants import MessageLimit

from bot import callbacks
from bot.i18n import Lang, is_language, t
from bot.models import Campaign, Worker
from bot.services import campaigns
from bot.services.replies import Button, Msg, Reply
from bot.services.subscriptions import PROVINCES, SECTORS, TOPICS
from bot.telegram_io.broadcaster import campaign_message
from bot.telegram_io.outbox import Outgoing, Priority

__all__ = [
    "Team",
    "begin",
    "choose_employer",
    "choose_province",
    "choose_sector",
    "choose_when",
    "control",
    "decide",
    "list_campaigns",
    "list_provinces",
    "segment_done",
    "skip_english",
    "submit",
    "take_input",
    "toggle_paid",
    "toggle_rsvp",
    "toggle_segment",
]

# "2026-10-05 09:00" (local time); a "T" or several spaces between are fine too.
_WHEN = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})\s*")
_LIST = 10  # campaigns shown by /campaigns


@dataclass(frozen=True, slots=True)
class Team:
    """What the organiser rules need from the settings."""

    organisers: frozenset[int]
    rate: float
    zone: zoneinfo.ZoneInfo
    default_language: Lang
    paid_enabled: bool = False  # PAID_BROADCASTS
    paid_rate: float = 1000.0


async def _lang(session: AsyncSession, team: Team, user_id: int) -> Lang:
    language = await session.scalar(
        sa.select(Worker.language).where(Worker.telegram_user_id == user_id)
    )
    return language if is_language(language) else team.default_language


def _to(
    chat_id: int, lang: Lang, *parts: Msg | str, rows: tuple[tuple[Button, ...], ...] = ()
) -> Outgoing:
    """A new message to ``chat_id``."""
    return Outgoing.reply(chat_id, Reply(lang, tuple(parts), rows))


async def _draft(session: AsyncSession, organiser_id: int) -> Campaign | None:
    return await session.scalar(
        sa.select(Campaign)
        .where(Campaign.created_by == organiser_id, Campaign.status == "draft")
        .order_by(Campaign.id.desc())
        .limit(1)
    )


async def begin(
    session: AsyncSession, team: Team, organiser_id: int, now: dt.datetime
) -> list[Outgoing]:
    """/broadcast: a new draft (an unfinished one is dropped); "send the Khmer message"."""
    await session.execute(
        sa.update(Campaign)
        .where(Campaign.created_by == organiser_id, Campaign.status == "draft")
        .values(status="cancelled", step=None, finished_at=now)
    )
    draft = await campaigns.create(session, organiser_id, text_km="")
    draft.step = "km"
    lang = await _lang(session, team, organiser_id)
    return [_to(organiser_id, lang, Msg("bc-ask-km"))]


async def take_input(
    session: AsyncSession,
    team: Team,
    organiser_id: int,
    text: str | None,
    media_message_id: int | None,
    now: dt.datetime,
) -> list[Outgoing] | None:
    """The organiser's message while a draft waits for one; None if none waits (then
    the message is an ordinary question)."""
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step not in ("km", "en", "date", "employer"):
        return None
    lang = await _lang(session, team, organiser_id)
    text = (text or "").strip()
    limit = MessageLimit.CAPTION_LENGTH if draft.media_message_id else MessageLimit.MAX_TEXT_LENGTH
    if draft.step == "km":
        limit = MessageLimit.CAPTION_LENGTH if media_message_id else MessageLimit.MAX_TEXT_LENGTH
        if not text:
            return [_to(organiser_id, lang, Msg("bc-need-text"))]
        if len(text) > limit:
            return [_to(organiser_id, lang, Msg("bc-too-long", {"limit": str(limit)}))]
        draft.text_km = text
        if media_message_id is not None:
            draft.media_chat_id, draft.media_message_id = organiser_id, media_message_id
        draft.step = "en"
        skip = Button(Msg("bc-skip-en"), callbacks.organiser("en"))
        return [_to(organiser_id, lang, Msg("bc-ask-en"), rows=((skip,),))]
    if draft.step == "en":
        if not text or media_message_id is not None:
            return [_to(organiser_id, lang, Msg("bc-en-text-only"))]
        if len(text) > limit:
            return [_to(organiser_id, lang, Msg("bc-too-long", {"limit": str(limit)}))]
        draft.text_en = text
        draft.step = None
        return [Outgoing.reply(organiser_id, _segment_reply(lang, draft))]
    if draft.step == "employer":  # part of a factory's or company's name
        if not text or media_message_id is not None:
            return [_to(organiser_id, lang, Msg("bc-ask-employer"))]
        draft.filters = {**(draft.filters or {}), "employer": " ".join(text.split())[:64]}
        draft.step = None
        return [Outgoing.reply(organiser_id, _segment_reply(lang, draft))]
    # step "date": the first (or only) time, local.
    at = parse_local(text, team.zone)
    if at is None:
        return [_to(organiser_id, lang, Msg("bc-bad-date"))]
    if at <= now:
        return [_to(organiser_id, lang, Msg("bc-past-date"))]
    draft.scheduled_at = at
    draft.step = None
    return await _review(session, team, draft, lang)


def parse_local(text: str, zone: zoneinfo.ZoneInfo) -> dt.datetime | None:
    """ "2026-10-05 09:00" in ``zone`` as a UTC time; None if it is not a real time."""
    match = _WHEN.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute = (int(group) for group in match.groups())
    try:
        local = dt.datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None
    return local.astimezone(dt.UTC)


async def skip_english(session: AsyncSession, team: Team, organiser_id: int) -> Reply:
    """No English version: English-speaking workers get the Khmer one."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step != "en":
        return Reply.say(lang, "bc-no-draft")
    draft.step = None
    return _segment_reply(lang, draft)


def _segment_reply(lang: Lang, draft: Campaign) -> Reply:
    chosen = set(draft.topics or [])
    everyone = "on" if not chosen else "off"
    rows: list[tuple[Button, ...]] = [
        (Button(Msg(f"bc-segment-all-{everyone}"), callbacks.organiser("seg", "all")),)
    ]
    for topic in TOPICS:
        mark = "on" if topic in chosen else "off"
        rows.append((Button(Msg(f"topic-{topic}-{mark}"), callbacks.organiser("seg", topic)),))
    # × the sector of the optional profile (workers who did not say are left out).
    sector = (draft.filters or {}).get("sector")
    rows.append(
        (
            Button(
                Msg(f"bc-sector-any-{'off' if sector else 'on'}"),
                callbacks.organiser("sec", "any"),
            ),
        )
    )
    for code in SECTORS:
        mark = "on" if code == sector else "off"
        rows.append((Button(Msg(f"sector-{code}-{mark}"), callbacks.organiser("sec", code)),))
    # × the province (workers who did not say are left out): chosen on a list of its own.
    province = (draft.filters or {}).get("province")
    label = f"bc-province-{province}" if province else "bc-province-any"
    rows.append((Button(Msg(label), callbacks.organiser("provs")),))
    # × the employer (typed: part of the name is enough).
    employer = (draft.filters or {}).get("employer")
    if employer:
        rows.append(
            (
                Button(Msg("bc-employer-set", {"employer": employer}), callbacks.organiser("emp")),
                Button(Msg("bc-employer-every"), callbacks.organiser("emp", "any")),
            )
        )
    else:
        rows.append((Button(Msg("bc-employer-any"), callbacks.organiser("emp")),))
    rows.append((Button(Msg("bc-next"), callbacks.organiser("seg")),))
    return Reply(lang, (Msg("bc-ask-segment"),), tuple(rows))


async def _choose_filter(
    session: AsyncSession, team: Team, organiser_id: int, key: str, value: str
) -> Reply:
    """Narrow the draft's segment by a profile field (``"any"``: not by it)."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step is not None:
        return Reply.say(lang, "bc-no-draft")
    filters = dict(draft.filters or {})
    filters.pop(key, None)
    if value != "any":
        filters[key] = value
    draft.filters = filters
    return _segment_reply(lang, draft)


async def choose_sector(
    session: AsyncSession, team: Team, organiser_id: int, sector: str
) -> Reply:
    """Any kind of work, or one sector (from the workers' optional profile)."""
    return await _choose_filter(session, team, organiser_id, "sector", sector)


async def list_provinces(session: AsyncSession, team: Team, organiser_id: int) -> Reply:
    """The provinces to narrow the segment to (a tap goes back to the segment)."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step is not None:
        return Reply.say(lang, "bc-no-draft")
    buttons = [
        Button(Msg(f"province-{code}"), callbacks.organiser("prov", code)) for code in PROVINCES
    ]
    rows: list[tuple[Button, ...]] = [
        (Button(Msg("bc-province-every"), callbacks.organiser("prov", "any")),)
    ]
    rows += [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    return Reply(lang, (Msg("bc-ask-province"),), tuple(rows))


async def choose_province(
    session: AsyncSession, team: Team, organiser_id: int, province: str
) -> Reply:
    """Every province, or one (from the workers' optional profile): back to the segment."""
    return await _choose_filter(session, team, organiser_id, "province", province)


async def choose_employer(
    session: AsyncSession, team: Team, organiser_id: int, every: bool
) -> Reply:
    """Every employer (back to the segment), or "type the name" (the next text is it)."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step is not None:
        return Reply.say(lang, "bc-no-draft")
    if every:
        draft.filters = {k: v for k, v in (draft.filters or {}).items() if k != "employer"}
        return _segment_reply(lang, draft)
    draft.step = "employer"
    return Reply(lang, (Msg("bc-ask-employer"),))


async def toggle_segment(
    session: AsyncSession, team: Team, organiser_id: int, topic: str
) -> Reply:
    """Every subscriber, or a topic on or off (workers who chose any of the topics)."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step is not None:
        return Reply.say(lang, "bc-no-draft")
    chosen = set(draft.topics or [])
    if topic == "all":
        chosen.clear()
    else:
        chosen ^= {topic}
    draft.topics = [t for t in TOPICS if t in chosen] or None
    return _segment_reply(lang, draft)


async def segment_done(session: AsyncSession, team: Team, organiser_id: int) -> Reply:
    """The segment is chosen: when? (buttons, or a typed date and time)."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step is not None:
        return Reply.say(lang, "bc-no-draft")
    draft.step = "date"  # a typed date is taken from here on
    rows = tuple(
        (Button(Msg(f"bc-when-{when}"), callbacks.organiser("when", when)),)
        for when in ("now", "urgent", "weekly", "monthly")
    )
    return Reply(lang, (Msg("bc-ask-when"),), rows)


async def choose_when(
    session: AsyncSession, team: Team, organiser_id: int, when: str
) -> list[Outgoing]:
    """Now (at approval), urgent now (also in quiet hours), or weekly/monthly from a date."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.step != "date":
        return [_to(organiser_id, lang, Msg("bc-no-draft"))]
    if when in ("weekly", "monthly"):
        draft.recurrence = when
        return [_to(organiser_id, lang, Msg("bc-ask-first-date"))]
    draft.urgent = when == "urgent"
    draft.scheduled_at = None
    draft.step = None
    return await _review(session, team, draft, lang)


def _when(lang: Lang, campaign: Campaign, zone: zoneinfo.ZoneInfo) -> Msg:
    if campaign.scheduled_at is None:
        return Msg("bc-when-now-text")
    at = campaign.scheduled_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    key = f"bc-when-{campaign.recurrence}-text" if campaign.recurrence else "bc-when-at-text"
    return Msg(key, {"at": at})


def _previews(campaign: Campaign, chat_id: int) -> list[Outgoing]:
    """Exactly what workers will get, in Khmer (and English if there is one); at the
    priority of the messages that follow them, so they arrive first."""
    items = [campaign_message(campaign, chat_id, "km", "km")]
    if campaign.text_en:
        items.append(campaign_message(campaign, chat_id, "en", "km"))
    return [
        Outgoing(item.chat_id, item.method, item.params, Priority.INTERACTIVE) for item in items
    ]


async def _summary(session: AsyncSession, team: Team, campaign: Campaign, lang: Lang) -> Msg:
    count = await campaigns.count_recipients(session, campaign.topics, campaign.filters or {})
    rate = team.paid_rate if campaign.paid and team.paid_enabled else team.rate
    minutes = max(1, round(count / rate / 60)) if count else 0
    # Names in the organiser's language, never the stored ids ("pension", "garment").
    names = [t(lang, f"topic-{topic}") for topic in campaign.topics or ()]
    topics = ", ".join(names) if names else t(lang, "bc-summary-everyone")
    for key in ("sector", "province"):
        value = (campaign.filters or {}).get(key)
        if value:
            topics += f" × {t(lang, f'{key}-{value}')}"
    employer = (campaign.filters or {}).get("employer")
    if employer:
        topics += f" × 🏭 {employer}"
    return Msg(
        "bc-summary",
        {
            "id": str(campaign.id),
            "recipients": str(count),
            "minutes": str(minutes),
            "topics": topics,
        },
    )


async def _review_reply(session: AsyncSession, team: Team, draft: Campaign, lang: Lang) -> Reply:
    """The summary under the preview, with Request approval / RSVP button / Discard."""
    summary = await _summary(session, team, draft, lang)
    rsvp = "bc-rsvp-remove" if draft.rsvp else "bc-rsvp-add"
    rows = [
        (Button(Msg("bc-submit"), callbacks.organiser("submit", draft.id)),),
        (Button(Msg(rsvp), callbacks.organiser("rsvp", draft.id)),),
    ]
    if team.paid_enabled:
        paid = "bc-paid-remove" if draft.paid else "bc-paid-add"
        rows.append((Button(Msg(paid), callbacks.organiser("paid", draft.id)),))
    rows.append((Button(Msg("bc-discard"), callbacks.organiser("discard", draft.id)),))
    parts: list[Msg | str] = [Msg("bc-preview-above"), summary, _when(lang, draft, team.zone)]
    if draft.urgent:
        parts.append(Msg("bc-urgent-text"))
    if draft.rsvp:
        parts.append(Msg("bc-rsvp-text"))
    if draft.paid and team.paid_enabled:
        stars = await campaigns.count_recipients(session, draft.topics, draft.filters or {})
        parts.append(Msg("bc-paid-text", {"stars": str(math.ceil(stars / 10))}))
    return Reply(lang, tuple(parts), tuple(rows))


async def _review(
    session: AsyncSession, team: Team, draft: Campaign, lang: Lang
) -> list[Outgoing]:
    review = await _review_reply(session, team, draft, lang)
    return [*_previews(draft, draft.created_by), Outgoing.reply(draft.created_by, review)]


async def toggle_paid(
    session: AsyncSession, team: Team, organiser_id: int, campaign_id: int
) -> Reply:
    """A paid broadcast (fast, costs Stars) or not; only while an admin allows them."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if not team.paid_enabled or draft is None or draft.id != campaign_id or draft.step:
        return Reply.say(lang, "bc-no-draft")
    draft.paid = not draft.paid
    return await _review_reply(session, team, draft, lang)


async def toggle_rsvp(
    session: AsyncSession, team: Team, organiser_id: int, campaign_id: int
) -> Reply:
    """Add (or remove) the "I'll attend" button of an event; the summary again."""
    lang = await _lang(session, team, organiser_id)
    draft = await _draft(session, organiser_id)
    if draft is None or draft.id != campaign_id or draft.step is not None:
        return Reply.say(lang, "bc-no-draft")
    draft.rsvp = not draft.rsvp
    return await _review_reply(session, team, draft, lang)


async def submit(
    session: AsyncSession, team: Team, organiser_id: int, campaign_id: int
) -> list[Outgoing]:
    """Request approval: every other organiser gets the preview and Approve / Reject."""
    lang = await _lang(session, team, organiser_id)
    if not await campaigns.request_approval(session, campaign_id, organiser_id):
        return [_to(organiser_id, lang, Msg("bc-no-draft"))]
    campaign = await session.get(Campaign, campaign_id)
    assert campaign is not None
    approvers = sorted(team.organisers - {organiser_id})
    items = [_to(organiser_id, lang, Msg("bc-submitted", {"id": str(campaign_id)}))]
    if not approvers:
        items.append(_to(organiser_id, lang, Msg("bc-no-approver")))
    for approver in approvers:
        their = await _lang(session, team, approver)
        rows = (
            (
                Button(Msg("bc-approve"), callbacks.organiser("approve", campaign_id)),
                Button(Msg("bc-reject"), callbacks.organiser("reject", campaign_id)),
            ),
        )
        items.extend(_previews(campaign, approver))
        summary = await _summary(session, team, campaign, their)
        items.append(
            _to(
                approver,
                their,
                Msg("bc-approval-request", {"id": str(campaign_id)}),
                summary,
                _when(their, campaign, team.zone),
                rows=rows,
            )
        )
    return items


async def decide(
    session: AsyncSession,
    team: Team,
    approver_id: int,
    campaign_id: int,
    approve: bool,
    now: dt.datetime,
) -> list[Outgoing]:
    """Approve or reject; the author is told. Nobody decides on their own campaign."""
    lang = await _lang(session, team, approver_id)
    if approve:
        result = await campaigns.approve(session, campaign_id, approver_id, now)
    else:
        result = await campaigns.reject(session, campaign_id, approver_id)
    if result in ("own", "not-pending"):
        return [_to(approver_id, lang, Msg(f"bc-decision-{result}"))]
    campaign = await session.get(Campaign, campaign_id)
    assert campaign is not None
    author_lang = await _lang(session, team, campaign.created_by)
    args = {"id": str(campaign_id)}
    return [
        _to(approver_id, lang, Msg(f"bc-you-{result}", args)),
        _to(
            campaign.created_by,
            author_lang,
            Msg(f"bc-author-{result}", args),
            _when(author_lang, campaign, team.zone),
        ),
    ]


async def list_campaigns(session: AsyncSession, team: Team, organiser_id: int) -> Reply:
    """/campaigns: the latest, with figures; buttons to pause, resume or cancel."""
    lang = await _lang(session, team, organiser_id)
    found = (
        await session.scalars(
            sa.select(Campaign)
            .where(Campaign.status != "draft")
            .order_by(Campaign.id.desc())
            .limit(_LIST)
        )
    ).all()
    if not found:
        return Reply.say(lang, "bc-none")
    parts: list[Msg | str] = []
    rows: list[tuple[Button, ...]] = []
    for campaign in found:
        figures = await campaigns.figures(session, campaign.id)
        rsvps = await campaigns.rsvp_count(session, campaign.parent_id or campaign.id)
        parts.append(
            Msg(
                f"bc-line-{campaign.status}",
                {
                    "id": str(campaign.id),
                    "sent": str(figures.sent),
                    "total": str(figures.total),
                    "failed": str(figures.failed + figures.blocked + figures.unknown),
                },
            )
        )
        if campaign.rsvp:
            parts.append(Msg("bc-line-rsvp", {"count": str(rsvps)}))
        actions = {
            "running": ("pause", "cancel"),
            "paused": ("resume", "cancel"),
            "scheduled": ("cancel",),
            "pending": ("cancel",),
        }.get(campaign.status, ())
        if actions:
            rows.append(
                tuple(
                    Button(
                        Msg(f"bc-{action}", {"id": str(campaign.id)}),
                        callbacks.organiser(action, campaign.id),
                    )
                    for action in actions
                )
            )
    return Reply(lang, tuple(parts), tuple(rows))


async def control(
    session: AsyncSession,
    team: Team,
    organiser_id: int,
    campaign_id: int,
    action: str,
    now: dt.datetime,
) -> Reply:
    """Pause, resume or cancel a campaign (any organiser); discard one's own draft."""
    lang = await _lang(session, team, organiser_id)
    if action == "pause":
        done = await campaigns.pause(session, campaign_id)
    elif action == "resume":
        done = await campaigns.resume(session, campaign_id)
    elif action == "discard":
        campaign = await session.get(Campaign, campaign_id)
        done = (
            campaign is not None
            and campaign.created_by == organiser_id
            and await campaigns.set_status(
                session, campaign_id, ["draft"], "cancelled", finished_at=now, step=None
            )
        )
    else:
        done = await campaigns.cancel(session, campaign_id, now)
    key = f"bc-{action}-done" if done else "bc-control-refused"
    return Reply(lang, (Msg(key, {"id": str(campaign_id)}),))
