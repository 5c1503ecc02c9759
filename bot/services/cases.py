"""Cases: a worker's question handed to union staff, relayed both ways through a topic.

The rules live here; Telegram does not. A service returns a :class:`Result`: the reply to
whoever acted, what to post in the case's topic (:class:`StaffPost`) and what to send to
the worker (:class:`WorkerPost`). bot/telegram_io/casehook.py turns those into outbox rows
and resolves, when a row is sent, the topic it goes to (so a topic staff deleted is made
again and nothing is lost).

A case's life: ``draft`` while the bot asks the worker (stage ``question`` after /ask,
then ``category``, then ``employer``), ``open`` once it is in the staff group, ``closed``
with an outcome. While a case is open everything the worker sends goes to it. Staff see
the case number, category, language and employer, never the worker's name or username.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import rowcount
from bot.i18n import Lang, is_language, t
from bot.models import Case, CaseMessage, OutboundMessage, Question, Worker, utcnow
from bot.redact import redact
from bot.services import Desk
from bot.services.replies import Button, Msg, Reply
from bot.services.workers import touch

__all__ = [
    "MAX_QUESTION_CHARS",
    "NOTE_PREFIX",
    "OTHER",
    "REOPEN_WITHIN",
    "Incoming",
    "Result",
    "StaffPost",
    "WorkerPost",
    "ask_command",
    "assign",
    "begin",
    "card",
    "choose_category",
    "claim",
    "close",
    "close_menu",
    "feedback",
    "incoming",
    "is_command",
    "is_note",
    "language_changed",
    "media_offer",
    "my_cases",
    "refresh_card",
    "reopen",
    "reply_refused",
    "share_name",
    "skip_employer",
    "staff_edit",
    "staff_message",
    "take_over",
    "topic_name",
    "unclaim",
    "worker_close",
    "worker_edit",
    "worker_unreachable",
]

# A staff message that starts with this stays in the topic: a note for colleagues.
NOTE_PREFIX = "//"
OTHER = "other"  # the category button for "none of these topics"
SKIP = "skip"  # the category button for "I'd rather not say"
MAX_QUESTION_CHARS = 1000
MAX_EMPLOYER_CHARS = 120
STAFF_GROUP_PER_MINUTE = 19  # the sender's group pace (bot/telegram_io/sender.py)
_OPEN = ("draft", "open")
DRAFT_TTL = dt.timedelta(minutes=30)  # a case being prepared, then left: dropped
REOPEN_WITHIN = dt.timedelta(days=7)  # a closed case the worker may still reopen


# --- what a service asks to be sent ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffPost:
    """Something to post in a case's topic (made first, if the case has none yet).

    kind: "topic" (create it), "card" (the case card), "card-edit" (the card updated),
    "copy" (the worker's message ``message_id`` from chat ``from_chat_id``), "say", "edit"
    (new text for the bot's copy ``message_id`` of a worker's message), "general" (in the
    group's General topic, not the case's: reminders, the digest).
    """

    case_id: int
    kind: Literal["topic", "card", "card-edit", "copy", "say", "edit", "general"]
    reply: Reply | None = None
    name: str | None = None
    from_chat_id: int | None = None
    message_id: int | None = None
    case_message_id: int | None = None
    caption: bool = False  # "edit": the new text is a caption (a photo's, a document's)


@dataclass(frozen=True, slots=True)
class WorkerPost:
    """Something to send to the worker of a case: a reply, a copy of a staff message
    (``copy_of``), or new text for a copy already sent (``edit_of``)."""

    chat_id: int
    case_id: int
    reply: Reply | None = None
    copy_of: int | None = None
    edit_of: int | None = None
    case_message_id: int | None = None
    bulk: bool = False  # not an answer to what the worker just did (e.g. the backlog)
    caption: bool = False  # ``edit_of``: the new text is the copy's caption


@dataclass(frozen=True, slots=True)
class Result:
    """The reply to whoever acted (a message, or a toast for a tap), and the posts."""

    reply: Reply | None = None
    staff: tuple[StaffPost, ...] = ()
    worker: tuple[WorkerPost, ...] = ()


@dataclass(frozen=True, slots=True)
class Incoming:
    """A worker's message, as the case rules need it: its id and text (None: media)."""

    message_id: int
    text: str | None = None  # the text, or a photo's caption
    media: bool = False


def is_note(text: str | None) -> bool:
    """Whether a staff message is a note for colleagues (not sent to the worker)."""
    stripped = (text or "").lstrip()
    return stripped.startswith(NOTE_PREFIX) or stripped.startswith("/note")


# A bot command as Telegram reads one: "/close", "/help@some_bot", then anything.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?(?:\s|$)")


def is_command(text: str | None) -> bool:
    """Whether a staff message is a command ("/close", "/start@other_bot"): a slip, or
    meant for another bot, never an answer: it is not sent to the worker."""
    return _COMMAND.match((text or "").lstrip()) is not None


# --- the card -------------------------------------------------------------------------


def _category_title(desk: Desk, category: str | None, lang: Lang) -> str:
    if category is None or category == SKIP:
        return t(lang, "case-no-category")
    if category == OTHER:
        return t(lang, "case-category-other")
    found = next((c for c in desk.faq.categories if c.id == category), None)
    return found.title.get(lang) if found is not None else category


def topic_name(desk: Desk, case: Case) -> str:
    """The forum topic's name: "#123 · Pension" (Telegram allows 128 characters)."""
    return f"#{case.id} · {_category_title(desk, case.category, desk.staff_language)}"[:128]


def card(desk: Desk, case: Case) -> Reply:
    """The case card: number, category, language, employer, the question, the state and
    the buttons that fit it. Worker text is a plain part: it is sent without parse mode,
    so HTML or Markdown in it shows literally."""
    lang = desk.staff_language
    worker_lang = t(lang, f"language-name-{case.language}")
    fields = Msg(
        "case-card",
        {
            "number": str(case.id),
            "category": _category_title(desk, case.category, lang),
            "language": worker_lang,
            "employer": case.employer or "-",
        },
    )
    question = case.question or t(lang, "case-card-no-text")
    promote = (Button(Msg("button-promote"), callbacks.staff_action("p", case.id)),)
    if case.status == "closed":
        state = Msg("case-state-closed", {"outcome": t(lang, f"outcome-{case.outcome}")})
        rows: tuple[tuple[Button, ...], ...] = (promote,)
    elif case.owner_id is not None:
        state = Msg("case-state-claimed", {"name": case.owner_name or "?"})
        rows = (
            (
                Button(Msg("button-unclaim"), callbacks.staff_action("u", case.id)),
                Button(Msg("button-take-over"), callbacks.staff_action("t", case.id)),
            ),
            (Button(Msg("button-close-case"), callbacks.staff_action("x", case.id)),),
            promote,
        )
    else:
        state = Msg("case-state-open")
        rows = (
            (
                Button(Msg("button-claim"), callbacks.staff_action("c", case.id)),
                Button(Msg("button-close-case"), callbacks.staff_action("x", case.id)),
            ),
            promote,
        )
    help_key = "case-card-help-named" if case.share_name else "case-card-help"
    return Reply(lang, (fields, question, state, Msg(help_key)), rows)


def _opening_posts(
    desk: Desk, case: Case, worker_chat: int, first: int | None = None
) -> list[StaffPost]:
    """A topic, its card, and the worker's first message copied under it."""
    posts = [
        StaffPost(case.id, "topic", name=topic_name(desk, case)),
        StaffPost(case.id, "card", reply=card(desk, case)),
    ]
    if case.first_message_id is not None:
        posts.append(
            StaffPost(
                case.id,
                "copy",
                from_chat_id=worker_chat,
                message_id=case.first_message_id,
                case_message_id=first,
            )
        )
    return posts


def refresh_card(desk: Desk, case: Case) -> StaffPost:
    """The card edited in place to show the case's state now."""
    return StaffPost(case.id, "card-edit", reply=card(desk, case))


def _say(desk: Desk, case: Case, key: str, **args: str) -> StaffPost:
    return StaffPost(case.id, "say", reply=Reply(desk.staff_language, (Msg(key, args),)))


def reply_refused(desk: Desk, case: Case, detail: str) -> StaffPost:
    """Telegram refused to copy a staff reply to the worker ("message can't be copied"):
    the topic is told why, so staff send it another way (the worker is told nothing)."""
    reason = detail.removeprefix("Bad Request: ")[:100]
    return _say(desk, case, "case-not-sent-refused", reason=reason)


# --- the worker's side ----------------------------------------------------------------


async def _active(session: AsyncSession, worker_id: int) -> Case | None:
    """The worker's draft or open case (the newest, if a race left two). A draft left
    for :data:`DRAFT_TTL` is dropped: its questions must not catch the worker's messages
    forever."""
    found: Case | None = await session.scalar(
        sa.select(Case)
        .where(Case.worker_id == worker_id, Case.status.in_(_OPEN))
        .order_by(Case.id.desc())
        .limit(1)
    )
    if found is not None and found.status == "draft" and found.created_at < utcnow() - DRAFT_TTL:
        await session.delete(found)
        await session.flush()
        return None
    return found


def _touch_draft(case: Case) -> None:
    """A draft's ``created_at`` is its last step: the TTL counts from there."""
    case.created_at = utcnow()


async def _owned_case(session: AsyncSession, worker_id: int, case_id: int) -> Case | None:
    """The case, if it is this worker's: button data is never trusted."""
    if not 0 < case_id < 2**63:
        return None
    case = await session.get(Case, case_id)
    return case if case is not None and case.worker_id == worker_id else None


def _already_open(lang: Lang, case: Case) -> Reply:
    return Reply(
        lang,
        (Msg("case-already-open", {"number": str(case.id)}),),
        ((Button(Msg("button-close-my-case"), callbacks.case_close(case.id)),),),
    )


def _category_prompt(desk: Desk, lang: Lang, case: Case) -> Reply:
    """The question confirmed, and the categories as buttons (with "other" and "skip")."""
    rows: list[tuple[Button, ...]] = [
        (Button(c.title.get(lang), callbacks.case_category(case.id, c.id)),)
        for c in desk.faq.categories
    ]
    rows.append(
        (
            Button(Msg("case-category-other"), callbacks.case_category(case.id, OTHER)),
            Button(Msg("button-skip"), callbacks.case_category(case.id, SKIP)),
        )
    )
    rows.append((Button(Msg("button-cancel"), callbacks.case_close(case.id)),))
    confirm = (
        Msg("case-confirm-text", {"question": case.question})
        if case.question
        else Msg("case-confirm-media")
    )
    return Reply(lang, (confirm, Msg("case-ask-category")), tuple(rows))


def _employer_prompt(lang: Lang, case: Case) -> Reply:
    return Reply(
        lang,
        (Msg("case-ask-employer"),),
        ((Button(Msg("button-skip"), callbacks.case_skip(case.id)),),),
    )


async def ask_command(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/ask: "write your question for union staff" (or where the open case is)."""
    worker = await touch(session, desk, user_id)
    lang = worker.language
    if desk.staff_chat_id is None:
        return Reply.say(lang, "case-unavailable", "hotlines")
    case = await _active(session, worker.id)
    if case is not None and case.status == "open":
        return _already_open(lang, case)
    if case is None:
        case = Case(worker_id=worker.id, status="draft", stage="question", language=lang)
        session.add(case)
        await session.flush()
    else:
        case.stage = "question"
        _touch_draft(case)
    cancel = ((Button(Msg("button-cancel"), callbacks.case_close(case.id)),),)
    return Reply(lang, (Msg("case-ask-question"),), cancel)


async def begin(
    session: AsyncSession, desk: Desk, user_id: int, question_id: int, message_id: int
) -> Reply:
    """The worker tapped "Ask union staff" under a reply: a draft case, then categories.

    ``question_id``: the logged question the offer was made for (0: none, e.g. a voice
    note); ``message_id``: the worker's message to copy to staff (0: none known).
    """
    worker = await touch(session, desk, user_id)
    lang = worker.language
    if desk.staff_chat_id is None:
        return Reply.say(lang, "case-unavailable", "hotlines")
    case = await _active(session, worker.id)
    if case is not None and case.status == "open":
        return _already_open(lang, case)
    question = await session.get(Question, question_id) if 0 < question_id < 2**63 else None
    if question is not None and question.worker_id != worker.id:
        question = None
    if case is None:
        case = Case(worker_id=worker.id, status="draft", language=lang)
        session.add(case)
    case.stage = "category"
    _touch_draft(case)
    case.question_id = question.id if question is not None else None
    case.question = question.normalized if question is not None else None
    case.first_message_id = message_id if 0 < message_id < 2**63 else None
    await session.flush()
    if case.question is None and case.first_message_id is None:  # nothing to send yet
        case.stage = "question"
        cancel = ((Button(Msg("button-cancel"), callbacks.case_close(case.id)),),)
        return Reply(lang, (Msg("case-ask-question"),), cancel)
    return _category_prompt(desk, lang, case)


async def choose_category(
    session: AsyncSession, desk: Desk, user_id: int, case_id: int, category: str
) -> Reply:
    """The worker picked a category: ask for the employer (skippable)."""
    worker = await touch(session, desk, user_id)
    case = await _owned_case(session, worker.id, case_id)
    known = category in (OTHER, SKIP) or any(c.id == category for c in desk.faq.categories)
    if case is None or case.status != "draft" or case.stage != "category" or not known:
        return Reply.say(worker.language, "stale-button")
    case.category = category
    case.stage = "employer"
    _touch_draft(case)
    return _employer_prompt(worker.language, case)


async def skip_employer(session: AsyncSession, desk: Desk, user_id: int, case_id: int) -> Result:
    """No employer given: the case opens now."""
    worker = await touch(session, desk, user_id)
    case = await _owned_case(session, worker.id, case_id)
    if case is None or case.status != "draft" or case.stage != "employer":
        return Result(Reply.say(worker.language, "stale-button"))
    return await _open(session, desk, case, user_id)


async def _staff_backlog(session: AsyncSession, desk: Desk) -> int:
    """Messages waiting to be posted in the staff group (it takes ~19 a minute)."""
    c = OutboundMessage.__table__.c
    count = await session.scalar(
        sa.select(sa.func.count()).where(
            c.chat_id == desk.staff_chat_id, c.status.in_(("pending", "sending"))
        )
    )
    return int(count or 0)


async def _open(session: AsyncSession, desk: Desk, case: Case, user_id: int) -> Result:
    """The draft becomes a case in the staff group; the worker gets its number and a
    realistic wait: the cases ahead, the staff group's posting backlog, the SLA."""
    now = utcnow()
    case.status, case.stage, case.opened_at = "open", None, now
    await session.flush()
    ahead = await session.scalar(
        sa.select(sa.func.count()).where(
            Case.status == "open", Case.first_response_at.is_(None), Case.id < case.id
        )
    )
    backlog = await _staff_backlog(session, desk)
    waiting = int(ahead or 0)
    ahead_key = {0: "case-ahead-none", 1: "case-ahead-one"}.get(waiting, "case-ahead-many")
    parts: list[Msg] = [
        Msg("case-opened", {"number": str(case.id)}),
        Msg(ahead_key, {"ahead": str(waiting)} if waiting > 1 else {}),
        Msg("case-sla", {"hours": f"{desk.response_hours:g}"}),
    ]
    minutes = (backlog + 3) // STAFF_GROUP_PER_MINUTE  # + this case's topic, card, copy
    if minutes >= 2:
        parts.append(Msg("case-busy", {"minutes": str(minutes)}))
    parts.append(Msg("case-how-it-works"))
    rows = (
        (Button(Msg("button-share-name"), callbacks.case_share_name(case.id)),),
        (Button(Msg("button-close-my-case"), callbacks.case_close(case.id)),),
    )
    reply = Reply(case.language if is_language(case.language) else "km", tuple(parts), rows)
    first: int | None = None
    if case.first_message_id is not None:
        row = CaseMessage(case_id=case.id, direction="in", worker_message_id=case.first_message_id)
        session.add(row)
        await session.flush()
        first = row.id
    return Result(reply, tuple(_opening_posts(desk, case, user_id, first)))


async def incoming(
    session: AsyncSession, desk: Desk, user_id: int, message: Incoming
) -> Result | None:
    """A worker's message while they have a draft or open case; None when they have none
    (the message is then a question for the FAQ, or media the bot can't read)."""
    if desk.staff_chat_id is None:
        return None
    worker = await touch(session, desk, user_id)
    case = await _active(session, worker.id)
    if case is None:
        return None
    lang = worker.language
    if case.status == "open":
        row = CaseMessage(case_id=case.id, direction="in", worker_message_id=message.message_id)
        session.add(row)
        await session.flush()
        copy = StaffPost(
            case.id,
            "copy",
            from_chat_id=user_id,
            message_id=message.message_id,
            case_message_id=row.id,
        )
        # A short receipt for the first few only would be kinder to a burst, but the
        # worker must know each message went to staff; the private chat's pace allows it.
        return Result(Reply(lang, (Msg("case-relayed", {"number": str(case.id)}),)), (copy,))
    if case.stage == "question":
        case.first_message_id = message.message_id
        case.question = _clean(message.text) if message.text else None
        case.stage = "category"
        _touch_draft(case)
        return Result(_category_prompt(desk, lang, case))
    if case.stage == "employer" and message.text and not message.media:
        employer = " ".join(message.text.split())[:MAX_EMPLOYER_CHARS]
        case.employer = redact(employer) or None
        return await _open(session, desk, case, user_id)
    if case.stage == "employer":
        return Result(_employer_prompt(lang, case))
    return Result(_category_prompt(desk, lang, case))


def _clean(text: str) -> str:
    """A worker's text for the card: phone numbers out, cut to a readable length."""
    cleaned = redact(text.strip())
    if len(cleaned) > MAX_QUESTION_CHARS:
        cleaned = cleaned[: MAX_QUESTION_CHARS - 1] + "…"
    return cleaned


async def media_offer(
    session: AsyncSession, desk: Desk, user_id: int, message_id: int, key: str
) -> Reply:
    """A voice note, photo or file with no case open: the bot can't read it, staff can."""
    worker = await touch(session, desk, user_id)
    button = Button(Msg("button-ask-staff"), callbacks.ask_staff(None, message_id))
    topics = Button(Msg("button-topics"), callbacks.topics(new_message=True))
    return Reply(worker.language, (Msg(key),), ((button,), (topics,)))


async def worker_edit(
    session: AsyncSession,
    desk: Desk,
    user_id: int,
    message_id: int,
    text: str,
    *,
    caption: bool = False,
) -> Result | None:
    """The worker edited a message already copied into their open case's topic: the
    copy there is edited too (it is the bot's message); ``caption``: the caption of a
    photo, document … was edited. None: not a relayed message."""
    if desk.staff_chat_id is None or not text.strip():
        return None
    worker = await touch(session, desk, user_id)
    case = await _active(session, worker.id)
    if case is None or case.status != "open":
        return None
    row = await session.scalar(
        sa.select(CaseMessage).where(
            CaseMessage.case_id == case.id,
            CaseMessage.direction == "in",
            CaseMessage.worker_message_id == message_id,
        )
    )
    if row is None or row.staff_message_id is None:
        return None
    edit = StaffPost(
        case.id,
        "edit",
        reply=Reply(desk.staff_language, (_clean(text),)),
        message_id=row.staff_message_id,
        caption=caption,
    )
    notice = Reply(worker.language, (Msg("case-edit-relayed", {"number": str(case.id)}),))
    return Result(notice, (edit,))


def _reopen_button(case: Case) -> tuple[Button, ...]:
    return (
        Button(
            Msg("button-reopen-case-n", {"number": str(case.id)}), callbacks.case_reopen(case.id)
        ),
    )


def _reopenable(case: Case, now: dt.datetime) -> bool:
    return (
        case.status == "closed"
        and case.closed_at is not None
        and case.closed_at >= now - REOPEN_WITHIN
    )


async def my_cases(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/cases: the worker's cases, newest first, with a Close button for the open one, or
    a Reopen button for the newest if it closed in the last :data:`REOPEN_WITHIN`."""
    worker = await touch(session, desk, user_id)
    lang = worker.language
    cases = (
        await session.scalars(
            sa.select(Case)
            .where(Case.worker_id == worker.id, Case.status != "draft")
            .order_by(Case.id.desc())
            .limit(10)
        )
    ).all()
    if not cases:
        return Reply.say(lang, "cases-none")
    lines = [
        Msg(
            "cases-line-open" if case.status == "open" else "cases-line-closed",
            {
                "number": str(case.id),
                "category": _category_title(desk, case.category, lang),
            },
        )
        for case in cases
    ]
    rows: tuple[tuple[Button, ...], ...] = tuple(
        (
            Button(
                Msg("button-close-case-n", {"number": str(case.id)}), callbacks.case_close(case.id)
            ),
        )
        for case in cases
        if case.status == "open"
    )
    if not rows and _reopenable(cases[0], utcnow()):
        rows = (_reopen_button(cases[0]),)
    return Reply(lang, (Msg("cases-list"), *lines), rows)


async def reopen(session: AsyncSession, desk: Desk, user_id: int, case_id: int) -> Result:
    """The worker reopens their case closed in the last :data:`REOPEN_WITHIN` (unless
    another case is open): it takes their messages again, and the topic is told."""
    worker = await touch(session, desk, user_id)
    lang = worker.language
    case = await _owned_case(session, worker.id, case_id)
    if case is None or case.status != "closed":
        return Result(Reply.say(lang, "stale-button"))
    active = await _active(session, worker.id)
    if active is not None:
        return Result(_already_open(lang, active))
    number = str(case.id)
    now = utcnow()
    reopened = await session.execute(
        sa.update(Case)
        .where(
            Case.id == case.id,
            Case.status == "closed",
            Case.closed_at >= now - REOPEN_WITHIN,
        )
        .values(status="open", outcome=None, closed_at=None, helped=None)
    )
    if rowcount(reopened) == 0:
        days = str(REOPEN_WITHIN.days)
        return Result(Reply(lang, (Msg("case-reopen-too-old", {"number": number, "days": days}),)))
    await session.refresh(case)
    posts = (_say(desk, case, "case-reopened"), refresh_card(desk, case))
    return Result(Reply(lang, (Msg("case-reopened-you", {"number": number}),)), posts)


async def worker_close(session: AsyncSession, desk: Desk, user_id: int, case_id: int) -> Result:
    """The worker closes their case (or cancels one not yet sent)."""
    worker = await touch(session, desk, user_id)
    lang = worker.language
    case = await _owned_case(session, worker.id, case_id)
    if case is None or case.status == "closed":
        return Result(Reply.say(lang, "stale-button"))
    if case.status == "draft":
        await session.delete(case)
        return Result(Reply.say(lang, "case-cancelled"))
    closed = await _close(session, case.id, "worker")
    if not closed:
        return Result(Reply.say(lang, "stale-button"))
    await session.refresh(case)
    posts = (_say(desk, case, "case-closed-by-worker"), refresh_card(desk, case))
    told = Reply(
        lang, (Msg("case-closed-you", {"number": str(case.id)}),), (_reopen_button(case),)
    )
    return Result(told, posts)


async def language_changed(session: AsyncSession, desk: Desk, user_id: int, lang: Lang) -> Result:
    """The worker chose another language with /language: their draft or open case takes
    it, and on an open case the topic is told (in the staff's language) and the card shows
    it, so staff reply in the language the worker now reads. Nothing for the same one."""
    worker = await touch(session, desk, user_id)
    case = await _active(session, worker.id)
    if case is None or case.language == lang:
        return Result()
    case.language = lang
    if case.status != "open":
        return Result()
    name = t(desk.staff_language, f"language-name-{lang}")
    return Result(
        staff=(_say(desk, case, "case-language-changed", language=name), refresh_card(desk, case))
    )


async def share_name(
    session: AsyncSession, desk: Desk, user_id: int, case_id: int, name: str
) -> Result:
    """The worker chose to let staff see their name on this case: the topic is told it
    (the name is not stored; the message carrying it is blanked once sent)."""
    worker = await touch(session, desk, user_id)
    case = await _owned_case(session, worker.id, case_id)
    if case is None or case.status != "open":
        return Result(Reply.say(worker.language, "stale-button"))
    if case.share_name:
        return Result(Reply(worker.language, toast=Msg("case-name-shared-already")))
    case.share_name = True
    shown = " ".join(name.split())[:100] or "?"
    reply = Reply(worker.language, (Msg("case-name-shared-you", {"number": str(case.id)}),))
    posts = (_say(desk, case, "case-name-shared", name=shown), refresh_card(desk, case))
    return Result(reply, posts)


async def feedback(
    session: AsyncSession, desk: Desk, user_id: int, case_id: int, helped: bool
) -> Result:
    """The worker's one tap after staff closed the case: did it help?"""
    worker = await touch(session, desk, user_id)
    case = await _owned_case(session, worker.id, case_id)
    if case is None or case.status != "closed":
        return Result(Reply.say(worker.language, "stale-button"))
    case.helped = helped
    key = "case-feedback-helped" if helped else "case-feedback-not-helped"
    return Result(
        Reply(worker.language, toast=Msg("feedback-thanks")),
        (_say(desk, case, key),),
    )


# --- the staff side -------------------------------------------------------------------


async def _case_in_topic(session: AsyncSession, thread_id: int) -> Case | None:
    found: Case | None = await session.scalar(
        sa.select(Case).where(Case.thread_id == thread_id).order_by(Case.id.desc()).limit(1)
    )
    return found


async def _worker_of(session: AsyncSession, case: Case) -> Worker:
    worker = await session.get(Worker, case.worker_id)
    assert worker is not None, "cases cascade with their worker"
    return worker


async def staff_message(
    session: AsyncSession,
    desk: Desk,
    *,
    thread_id: int,
    message_id: int,
    text: str | None,
    staff_id: int,
    staff_name: str,
) -> Result | None:
    """A staff member wrote in a case's topic: copy it to the worker (notes excepted).

    The first staff message is the first response; an unclaimed case is claimed by its
    first responder. None: the topic is not a case's (General, or another topic).
    """
    if is_note(text):  # before any query: a note costs nothing
        return Result() if await _case_in_topic(session, thread_id) else None
    found = (
        await session.execute(  # the case and its worker in one round trip
            sa.select(Case, Worker.telegram_user_id, Worker.blocked_at)
            .join(Worker, Worker.id == Case.worker_id)
            .where(Case.thread_id == thread_id)
            .order_by(Case.id.desc())
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    case, worker_chat, blocked_at = found
    if is_command(text):
        return Result(staff=(_say(desk, case, "case-not-sent-command"),))
    if case.status != "open":
        return Result(staff=(_say(desk, case, "case-not-sent-closed"),))
    if blocked_at is not None:
        return Result(staff=(_say(desk, case, "case-not-sent-blocked"),))
    row = CaseMessage(case_id=case.id, direction="out", staff_message_id=message_id)
    session.add(row)
    posts: tuple[StaffPost, ...] = ()
    if case.first_response_at is None:  # conditional: two first replies at once set it once
        await session.execute(
            sa.update(Case)
            .where(Case.id == case.id, Case.first_response_at.is_(None))
            .values(first_response_at=utcnow())
        )
    if case.owner_id is None:  # the first to answer an unclaimed case claims it
        claimed = await session.execute(
            sa.update(Case)
            .where(Case.id == case.id, Case.owner_id.is_(None))
            .values(owner_id=staff_id, owner_name=_short(staff_name))
        )
        if rowcount(claimed):
            await session.refresh(case)
            posts = (refresh_card(desk, case),)
    await session.flush()
    copy = WorkerPost(worker_chat, case.id, copy_of=message_id, case_message_id=row.id)
    return Result(staff=posts, worker=(copy,))


async def staff_edit(
    session: AsyncSession,
    desk: Desk,
    *,
    thread_id: int,
    message_id: int,
    text: str,
    caption: bool = False,
) -> Result | None:
    """A staff member edited a message already copied to the worker: edit the copy
    (``caption``: the caption of a photo, document …)."""
    case = await _case_in_topic(session, thread_id)
    if case is None or is_note(text) or not text.strip():
        return None
    row = await session.scalar(
        sa.select(CaseMessage).where(
            CaseMessage.case_id == case.id,
            CaseMessage.direction == "out",
            CaseMessage.staff_message_id == message_id,
        )
    )
    if row is None or row.worker_message_id is None:
        return None
    worker = await _worker_of(session, case)
    lang = worker.language if is_language(worker.language) else desk.default_language
    edit = WorkerPost(
        worker.telegram_user_id,
        case.id,
        reply=Reply(lang, (text,)),
        edit_of=row.worker_message_id,
        caption=caption,
    )
    return Result(worker=(edit,))


def _short(name: str) -> str:
    return " ".join(name.split())[:64] or "?"


async def _staff_case(session: AsyncSession, case_id: int) -> Case | None:
    return await session.get(Case, case_id) if 0 < case_id < 2**63 else None


def _toast(desk: Desk, key: str, **args: str) -> Reply:
    return Reply(desk.staff_language, toast=Msg(key, args))


async def claim(
    session: AsyncSession, desk: Desk, case_id: int, staff_id: int, staff_name: str
) -> Result:
    """Claim: one conditional UPDATE, so of two presses at once exactly one wins; the
    other is told who has the case."""
    result = await session.execute(
        sa.update(Case)
        .where(Case.id == case_id, Case.status == "open", Case.owner_id.is_(None))
        .values(owner_id=staff_id, owner_name=_short(staff_name))
    )
    case = await _staff_case(session, case_id)
    if case is None:
        return Result(_toast(desk, "staff-stale"))
    await session.refresh(case)
    if not rowcount(result):
        if case.status != "open":
            return Result(_toast(desk, "staff-case-closed"))
        if case.owner_id == staff_id:
            return Result(_toast(desk, "staff-yours-already"))
        return Result(_toast(desk, "staff-claimed-by", name=case.owner_name or "?"))
    return Result(
        _toast(desk, "staff-claimed-you", number=str(case.id)), (refresh_card(desk, case),)
    )


async def unclaim(session: AsyncSession, desk: Desk, case_id: int, staff_id: int) -> Result:
    """Give a case back to the queue: only its owner can."""
    result = await session.execute(
        sa.update(Case)
        .where(Case.id == case_id, Case.status == "open", Case.owner_id == staff_id)
        .values(owner_id=None, owner_name=None)
    )
    case = await _staff_case(session, case_id)
    if case is None:
        return Result(_toast(desk, "staff-stale"))
    await session.refresh(case)
    if not rowcount(result):
        return Result(_toast(desk, "staff-not-yours"))
    return Result(_toast(desk, "staff-unclaimed"), (refresh_card(desk, case),))


async def take_over(
    session: AsyncSession, desk: Desk, case_id: int, staff_id: int, staff_name: str
) -> Result:
    """Reassign a claimed case to the one who pressed "Take over"; the topic says so."""
    case = await _staff_case(session, case_id)
    if case is None:
        return Result(_toast(desk, "staff-stale"))
    previous = case.owner_name or "?"
    result = await session.execute(
        sa.update(Case)
        .where(Case.id == case_id, Case.status == "open", Case.owner_id != staff_id)
        .values(owner_id=staff_id, owner_name=_short(staff_name))
    )
    await session.refresh(case)
    if not rowcount(result):
        key = "staff-case-closed" if case.status != "open" else "staff-yours-already"
        return Result(_toast(desk, key))
    note = _say(desk, case, "case-taken-over", name=_short(staff_name), previous=previous)
    return Result(
        _toast(desk, "staff-claimed-you", number=str(case.id)), (note, refresh_card(desk, case))
    )


async def assign(
    session: AsyncSession,
    desk: Desk,
    *,
    thread_id: int,
    by_name: str,
    to_id: int | None,
    to_name: str,
) -> Result | None:
    """/assign as a reply to a colleague's message in a case's topic: the case is theirs.
    ``to_id`` None: the command was not a reply to a colleague. None: not a case topic."""
    case = await _case_in_topic(session, thread_id)
    if case is None:
        return None
    if to_id is None:
        return Result(staff=(_say(desk, case, "staff-assign-how"),))
    result = await session.execute(
        sa.update(Case)
        .where(Case.id == case.id, Case.status == "open")
        .values(owner_id=to_id, owner_name=_short(to_name))
    )
    if not rowcount(result):
        return Result(staff=(_say(desk, case, "staff-case-closed"),))
    await session.refresh(case)
    note = _say(desk, case, "case-assigned", name=_short(by_name), to=_short(to_name))
    return Result(staff=(note, refresh_card(desk, case)))


async def close_menu(session: AsyncSession, desk: Desk, case_id: int, back: bool) -> Result:
    """The card with the outcome buttons (or, ``back``, its usual buttons again)."""
    case = await _staff_case(session, case_id)
    if case is None or case.status != "open":
        return Result(_toast(desk, "staff-case-closed" if case else "staff-stale"))
    if back:
        return Result(_toast(desk, "staff-ok"), (refresh_card(desk, case),))
    base = card(desk, case)
    rows = (
        *(
            (Button(Msg(f"outcome-{o}"), callbacks.staff_close(case.id, o)),)
            for o in callbacks.OUTCOMES
        ),
        (Button(Msg("button-back"), callbacks.staff_action("b", case.id)),),
    )
    menu = Reply(base.lang, (*base.parts, Msg("staff-choose-outcome")), rows)
    return Result(_toast(desk, "staff-ok"), (StaffPost(case.id, "card-edit", reply=menu),))


async def _close(session: AsyncSession, case_id: int, outcome: str) -> bool:
    result = await session.execute(
        sa.update(Case)
        .where(Case.id == case_id, Case.status == "open")
        .values(status="closed", outcome=outcome, closed_at=utcnow())
    )
    return rowcount(result) > 0


async def close(
    session: AsyncSession, desk: Desk, case_id: int, outcome: str, staff_name: str
) -> Result:
    """Close with an outcome: the worker is told and asked, in one tap, if it helped."""
    case = await _staff_case(session, case_id)
    if case is None:
        return Result(_toast(desk, "staff-stale"))
    if outcome not in callbacks.OUTCOMES or not await _close(session, case_id, outcome):
        return Result(_toast(desk, "staff-case-closed"))
    await session.refresh(case)
    worker = await _worker_of(session, case)
    lang = worker.language if is_language(worker.language) else desk.default_language
    ask = Reply(
        lang,
        (Msg("case-closed-staff", {"number": str(case.id)}), Msg("case-did-it-help")),
        (
            (
                Button(Msg("feedback-yes"), callbacks.case_feedback(case.id, True)),
                Button(Msg("feedback-no"), callbacks.case_feedback(case.id, False)),
            ),
            _reopen_button(case),
        ),
    )
    posts = (
        _say(
            desk,
            case,
            "case-closed-note",
            name=_short(staff_name),
            outcome=t(desk.staff_language, f"outcome-{outcome}"),
        ),
        refresh_card(desk, case),
    )
    notify = () if worker.blocked_at else (WorkerPost(worker.telegram_user_id, case.id, ask),)
    return Result(_toast(desk, "staff-ok"), posts, notify)


async def worker_unreachable(session: AsyncSession, desk: Desk, user_id: int) -> Result:
    """The worker blocked the bot (a 403): their open cases close as "no reply" and each
    topic says why; drafts are dropped."""
    worker_id = await session.scalar(
        sa.select(Worker.id).where(Worker.telegram_user_id == user_id)
    )
    if worker_id is None:
        return Result()
    cases = (
        await session.scalars(
            sa.select(Case).where(Case.worker_id == worker_id, Case.status.in_(_OPEN))
        )
    ).all()
    posts: list[StaffPost] = []
    for case in cases:
        if case.status == "draft":
            await session.delete(case)
            continue
        if await _close(session, case.id, "noreply"):
            await session.refresh(case)
            posts += [_say(desk, case, "case-worker-blocked"), refresh_card(desk, case)]
    return Result(staff=tuple(posts))
