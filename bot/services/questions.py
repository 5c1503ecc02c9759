"""Questions: log what was asked, pick the reply, record choices and feedback."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import insert
from bot.i18n import Lang, format_date
from bot.models import Feedback, Question, utcnow
from bot.redact import redact
from bot.services import Desk, escalation
from bot.services.replies import Button, Msg, Reply
from bot.services.workers import WorkerState, adopt_english, language_buttons, touch
from faq.content import Entry

__all__ = [
    "answer_reply",
    "ask",
    "choose",
    "could_not_help",
    "helped",
    "is_official",
    "not_helped",
    "official_page",
    "source_host",
    "stale",
]

MAX_ID = 2**63 - 1  # BIGINT
_QUESTIONS = Question.__table__  # Core statements on the hot path (see services/workers.py)
# Logging a question, built once per backend and executed with each question's values
# (a statement keeps its cache key, which SQLAlchemy would otherwise work out each time).
_LOG_QUESTION = {
    name: module.insert(_QUESTIONS)
    .on_conflict_do_nothing(index_elements=["update_id"])
    .returning(_QUESTIONS.c.id)
    for name, module in (("postgresql", postgresql), ("sqlite", sqlite))
}
# Enough of an over-long message to see what it was about, without keeping a life story.
MAX_STORED_CHARS = 1000


def source_host(url: str) -> str:
    """The host of a source URL, as a worker would read it: "nssf.gov.kh"."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def is_official(url: str) -> bool:
    """Whether ``url`` is a Cambodian government page (nssf.gov.kh or any *.gov.kh)."""
    host = source_host(url).lower()
    return host == "gov.kh" or host.endswith(".gov.kh")


def official_page(urls: tuple[str, ...]) -> str | None:
    """The page to link under an answer: the entry's first official source, https first.

    Workers are never sent to a third-party page (news, consultancies, foreign agencies,
    document-sharing sites); those sources stay in the data and in ``faq list --json``.
    """
    official = [url for url in urls if is_official(url)]
    secure = [url for url in official if url.startswith("https://")]
    return (secure or official)[0] if official else None


def answer_reply(entry: Entry, lang: Lang, question_id: int) -> Reply:
    """An FAQ answer; its legal basis, review date and official page (or 1286); 👍 / 👎."""
    footer = Msg(
        "answer-footer",
        {
            "legal": entry.legal_basis.get(lang),
            "date": format_date(lang, entry.last_reviewed),
            "link": official_page(entry.sources.urls) or "none",
        },
    )
    feedback = (
        Button(Msg("feedback-yes"), callbacks.feedback(question_id, True)),
        Button(Msg("feedback-no"), callbacks.feedback(question_id, False)),
    )
    return Reply(lang, (entry.answer.get(lang), footer), (feedback,))


async def could_not_help(
    session: AsyncSession,
    desk: Desk,
    worker: WorkerState,
    question_id: int | None,
    first: str,
    message_id: int | None = None,
) -> Reply:
    """Sorry, the hotlines, the offer to ask union staff (when there is a staff group),
    and /topics. ``message_id``: the worker's message, copied to staff if they ask."""
    offer = await escalation.offer(
        session, desk, worker_id=worker.id, question_id=question_id, message_id=message_id
    )
    parts = (Msg(first), Msg("hotlines"), *offer.parts, Msg("try-again"))
    topics = (Button(Msg("button-topics"), callbacks.topics(new_message=True)),)
    return Reply(worker.language, parts, (*offer.rows, topics))


@dataclass(frozen=True, slots=True)
class _Logged:
    """What the reply needs of a question just logged (cheaper than a Question object,
    which would only be built to be read here and thrown away)."""

    id: int
    entry_id: str | None
    decision: str
    reason: str | None
    matches: list[dict[str, Any]]


def _offered(question: Question | _Logged) -> list[dict[str, Any]]:
    """The entries a question's "did you mean" buttons offered (rows before the flag: all)."""
    return [match for match in question.matches if match.get("offered", True)]


def stale(lang: Lang) -> Reply:
    """The reply to a button that no longer means anything."""
    return Reply.say(lang, "stale-button")


async def _reply_for(
    session: AsyncSession,
    desk: Desk,
    worker: WorkerState,
    question: Question | _Logged,
    message_id: int | None = None,
) -> Reply:
    """The reply to a logged question, from what was decided when it was asked."""
    lang = worker.language
    entry = desk.faq.get(question.entry_id) if question.entry_id else None
    if entry is not None:
        return answer_reply(entry, lang, question.id)
    if question.decision == "choices":
        offered = [desk.faq.get(str(match["id"])) for match in _offered(question)]
        buttons = [
            (Button(choice.question.get(lang), callbacks.choice(question.id, choice.id)),)
            for choice in offered
            if choice is not None
        ]
        if buttons:  # unless the FAQ lost those entries since
            none = (Button(Msg("button-none-of-these"), callbacks.none_of_these(question.id)),)
            return Reply(lang, (Msg("choices-prompt"),), (*buttons, none))
    if question.reason == "too long":
        return Reply.say(lang, "ask-too-long")
    if question.decision == "person":  # "I want to talk to a human": staff, or the hotlines
        first = "person-request-staff" if desk.staff_chat_id is not None else "person-request"
        return await could_not_help(session, desk, worker, question.id, first, message_id)
    return await could_not_help(session, desk, worker, question.id, "no-answer", message_id)


async def ask(
    session: AsyncSession,
    desk: Desk,
    *,
    user_id: int,
    text: str,
    update_id: int | None,
    hint: Lang | None = None,
    message_id: int | None = None,
) -> Reply:
    """A free-text question: match it, log it once per update, and say what was found.

    A worker who never chose a language and asks in plain English is answered in English,
    with the ភាសាខ្មែរ / English buttons under the reply.
    """
    worker = await touch(session, desk, user_id, hint)
    before = worker.language
    worker = await adopt_english(session, desk, user_id, worker, text)
    reply = await _answer(session, desk, worker, text, update_id, message_id)
    if worker.language != before:
        return dataclasses.replace(reply, rows=(*reply.rows, *language_buttons()))
    return reply


async def _answer(
    session: AsyncSession,
    desk: Desk,
    worker: WorkerState,
    text: str,
    update_id: int | None,
    message_id: int | None = None,
) -> Reply:
    decision = desk.matcher.match(text)
    if decision.reason == "empty":  # emoji, punctuation: nothing to log
        return Reply.say(worker.language, "ask-empty")
    if decision.reason in ("greeting", "thanks"):  # small talk: answered in kind, not logged
        return Reply.say(worker.language, f"smalltalk-{decision.reason}")
    values: dict[str, Any] = {
        "worker_id": worker.id,
        "update_id": update_id,
        "normalized": redact(decision.normalized)[:MAX_STORED_CHARS],  # no phone numbers
        "decision": decision.kind,
        "reason": decision.reason or None,
        # The three best entries; with choices, the first `decision.offered` are buttons.
        "matches": [
            {"id": match.id, "score": match.score, "offered": rank < decision.offered}
            for rank, match in enumerate(decision.matches)
        ],
        "answered_by": "faq" if decision.answer_id else "none",
        "entry_id": decision.answer_id,
        "language": worker.language,
        "created_at": utcnow(),
    }
    # A redelivered update (the runner retries after a crash) finds its row instead of
    # logging the question twice, and gets the same reply again.
    statement = _LOG_QUESTION[session.get_bind().dialect.name]
    question_id = await session.scalar(statement, values)
    question: Question | _Logged | None
    if question_id is None:
        question = await session.scalar(select(Question).where(Question.update_id == update_id))
        assert question is not None, "conflict on update_id without a row"
    else:
        question = _Logged(
            question_id,
            values["entry_id"],
            values["decision"],
            values["reason"],
            values["matches"],
        )
    return await _reply_for(session, desk, worker, question, message_id)


async def _owned(session: AsyncSession, worker: WorkerState, question_id: int) -> Question | None:
    """The question, if it is this worker's; button data is never trusted."""
    if not 0 < question_id <= MAX_ID:
        return None
    question = await session.get(Question, question_id)
    return question if question is not None and question.worker_id == worker.id else None


async def choose(
    session: AsyncSession, desk: Desk, *, user_id: int, question_id: int, entry_id: str
) -> Reply:
    """The worker picked one of the "did you mean" questions: answer it."""
    worker = await touch(session, desk, user_id)
    question = await _owned(session, worker, question_id)
    entry = desk.faq.get(entry_id)
    offered = {str(match["id"]) for match in _offered(question)} if question else set()
    if question is None or entry is None or entry_id not in offered:
        return stale(worker.language)
    question.entry_id = entry_id
    question.answered_by = "faq"
    return answer_reply(entry, worker.language, question.id)


async def _record_feedback(session: AsyncSession, question_id: int, helpful: bool) -> None:
    """Store 👍 / 👎 for a question; tapping again replaces it (twice is harmless)."""
    now = utcnow()
    statement = (
        insert(session, Feedback.__table__)
        .values(question_id=question_id, helpful=helpful, created_at=now)
        .on_conflict_do_update(
            index_elements=["question_id"],
            set_={"helpful": helpful, "created_at": now},
        )
    )
    await session.execute(statement)


async def helped(session: AsyncSession, desk: Desk, *, user_id: int, question_id: int) -> Reply:
    """👍: record it and thank the worker (a toast, no new message)."""
    worker = await touch(session, desk, user_id)
    if await _owned(session, worker, question_id) is None:
        return stale(worker.language)
    await _record_feedback(session, question_id, True)
    return Reply(worker.language, toast=Msg("feedback-thanks"))


async def not_helped(
    session: AsyncSession, desk: Desk, *, user_id: int, question_id: int
) -> Reply:
    """👎 or "none of these": record it, then the hotlines and what else can be done."""
    worker = await touch(session, desk, user_id)
    if await _owned(session, worker, question_id) is None:
        return stale(worker.language)
    await _record_feedback(session, question_id, False)
    return await could_not_help(session, desk, worker, question_id, "not-helped")
