"""From answers to FAQ: staff turn a case's answer into an FAQ entry, a colleague approves.

"📚 Promote to FAQ" on a case card posts the form in the topic; a staff member answers
with ``/faq`` and the entry (Khmer question and answer required, English optional, extra
phrasings, the topic if the case has none). The draft is shown with ✅ Approve /
✖ Reject; a *second* staff member must approve (nobody approves their own). A live
entry joins the shipped FAQ as an overlay (``entry_of``): the bot rebuilds its matcher
off the event loop and swaps it in without a restart (bot/faqlive.py), and
``nssf-bot faq export`` prints live entries as YAML for review in git. When an entry
goes live, workers whose open cases or unanswered questions of the last 30 days it now
answers confidently get the answer once each, in their language, with 👍 / 👎 (a case
stays open, and its topic is told).

An overlay entry has no legal basis or official page of its own: its footer names union
staff and the case, and asks the worker to confirm with NSSF on 1286.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import rowcount
from bot.i18n import is_language
from bot.models import Case, FaqDraft, Question, Worker, utcnow
from bot.redact import redact
from bot.services import Desk
from bot.services.cases import Result, StaffPost, WorkerPost
from bot.services.questions import MAX_STORED_CHARS, answer_reply
from bot.services.replies import Button, Msg, Reply
from faq.content import Entry, Faq, LegalBasis, Localized, Phrasings, Sources

__all__ = [
    "BACKLOG_DAYS",
    "Parsed",
    "approve",
    "clear_backlog",
    "draft",
    "entry_of",
    "export",
    "live_entries",
    "overlaid",
    "parse",
    "reject",
    "start",
]

BACKLOG_DAYS = 30
BACKLOG_MAX = 5000  # the newest unanswered questions looked at when an entry goes live
MAX_FIELD = 3000
_FIELDS = {
    "q": "question_km",
    "q km": "question_km",
    "a": "answer_km",
    "a km": "answer_km",
    "q en": "question_en",
    "a en": "answer_en",
    "topic": "category",
}
_LINE = re.compile(r"^\s*(q en|a en|q km|a km|q|a|topic)\s*[:៖]\s*(.*)$", re.IGNORECASE)


@dataclasses.dataclass
class Parsed:
    """An entry as staff typed it."""

    question_km: str = ""
    answer_km: str = ""
    question_en: str = ""
    answer_en: str = ""
    category: str = ""
    phrasings: list[str] = dataclasses.field(default_factory=list)


def parse(text: str) -> Parsed:
    """The fields of a ``/faq`` message: "Q:", "A:", "Q en:", "A en:", "Topic:", "+ …"
    lines; a line with no label continues the field above it (answers run long)."""
    parsed = Parsed()
    current: str | None = None
    body = text.strip()
    body = body[len("/faq") :] if body.lower().startswith("/faq") else body
    body = body.split(" ", 1)[1] if body.startswith("@") and " " in body else body
    for line in body.splitlines():
        label = _LINE.match(line)
        if label is not None:
            current = _FIELDS[label.group(1).lower()]
            setattr(parsed, current, label.group(2).strip())
        elif line.strip().startswith("+"):
            current = None
            phrasing = line.strip()[1:].strip()
            if phrasing:
                parsed.phrasings.append(phrasing[:300])
        elif current is not None and current != "category":
            joined = f"{getattr(parsed, current)}\n{line.rstrip()}".strip()
            setattr(parsed, current, joined)
    for name in ("question_km", "answer_km", "question_en", "answer_en"):
        setattr(parsed, name, getattr(parsed, name)[:MAX_FIELD])
    return parsed


def _staff(desk: Desk, *keys: str, **args: str) -> Reply:
    return Reply(desk.staff_language, tuple(Msg(key, args) for key in keys))


async def start(session: AsyncSession, desk: Desk, case_id: int) -> Result:
    """ "Promote to FAQ" pressed: the form, posted in the case's topic."""
    case = await session.get(Case, case_id) if 0 < case_id < 2**63 else None
    if case is None:
        return Result(Reply(desk.staff_language, toast=Msg("staff-stale")))
    topics = ", ".join(category.id for category in desk.faq.categories)
    form = _staff(desk, "promote-form", number=str(case.id), topics=topics)
    return Result(
        Reply(desk.staff_language, toast=Msg("staff-ok")), (StaffPost(case.id, "say", form),)
    )


def _preview(desk: Desk, draft: FaqDraft) -> Reply:
    lang = desk.staff_language
    fields = {
        "number": str(draft.id),
        "topic": draft.category,
        "qkm": draft.question_km,
        "akm": draft.answer_km,
        "qen": draft.question_en or "-",
        "aen": draft.answer_en or "-",
        "phrasings": " · ".join(draft.phrasings) or "-",
        "author": draft.author_name,
    }
    rows = (
        (
            Button(Msg("button-approve"), callbacks.faq_decision(draft.id, True)),
            Button(Msg("button-reject"), callbacks.faq_decision(draft.id, False)),
        ),
    )
    return Reply(lang, (Msg("promote-preview", fields),), rows)


async def draft(
    session: AsyncSession,
    desk: Desk,
    *,
    thread_id: int,
    text: str,
    staff_id: int,
    staff_name: str,
) -> Result | None:
    """``/faq`` in a case's topic: a draft and its preview with Approve / Reject, or what
    is missing. None: not a case's topic."""
    case = await session.scalar(
        sa.select(Case).where(Case.thread_id == thread_id).order_by(Case.id.desc()).limit(1)
    )
    if case is None:
        return None
    parsed = parse(text)
    known = {category.id for category in desk.faq.categories}
    category = parsed.category or (case.category if case.category in known else "")
    problems = []
    if not parsed.question_km or not parsed.answer_km:
        problems.append("promote-missing-khmer")
    if category not in known:
        problems.append("promote-missing-topic")
    if problems:
        topics = ", ".join(sorted(known))
        return Result(staff=(StaffPost(case.id, "say", _staff(desk, *problems, topics=topics)),))
    row = FaqDraft(
        case_id=case.id,
        category=category,
        question_km=parsed.question_km,
        answer_km=parsed.answer_km,
        question_en=parsed.question_en or None,
        answer_en=parsed.answer_en or None,
        phrasings=parsed.phrasings,
        author_id=staff_id,
        author_name=" ".join(staff_name.split())[:64] or "?",
        status="pending",
    )
    session.add(row)
    await session.flush()
    return Result(staff=(StaffPost(case.id, "say", _preview(desk, row)),))


def _in_topic(row: FaqDraft, reply: Reply) -> StaffPost:
    """In the case's topic; in General if the case is gone."""
    if row.case_id is None:
        return StaffPost(0, "general", reply)
    return StaffPost(row.case_id, "say", reply)


async def reject(session: AsyncSession, desk: Desk, draft_id: int, staff_name: str) -> Result:
    """A draft rejected: it never goes live."""
    result = await session.execute(
        sa.update(FaqDraft)
        .where(FaqDraft.id == draft_id, FaqDraft.status == "pending")
        .values(status="rejected", decided_at=utcnow(), approver_name=staff_name[:64])
    )
    if not rowcount(result):
        return Result(Reply(desk.staff_language, toast=Msg("promote-decided")))
    row = await session.get(FaqDraft, draft_id)
    assert row is not None
    note = _staff(desk, "promote-rejected", number=str(row.id), name=staff_name[:64])
    return Result(Reply(desk.staff_language, toast=Msg("staff-ok")), (_in_topic(row, note),))


async def approve(
    session: AsyncSession, desk: Desk, draft_id: int, staff_id: int, staff_name: str
) -> tuple[Result, FaqDraft | None]:
    """A second staff member approves: the draft is live (the caller rebuilds the FAQ).
    The author cannot approve their own."""
    row = await session.get(FaqDraft, draft_id) if 0 < draft_id < 2**63 else None
    if row is None or row.status != "pending":
        return Result(Reply(desk.staff_language, toast=Msg("promote-decided"))), None
    if row.author_id == staff_id:
        return Result(Reply(desk.staff_language, toast=Msg("promote-not-own"))), None
    result = await session.execute(
        sa.update(FaqDraft)
        .where(FaqDraft.id == draft_id, FaqDraft.status == "pending")
        .values(
            status="live",
            approver_id=staff_id,
            approver_name=" ".join(staff_name.split())[:64],
            decided_at=utcnow(),
        )
    )
    if not rowcount(result):
        return Result(Reply(desk.staff_language, toast=Msg("promote-decided"))), None
    await session.refresh(row)
    note = _staff(desk, "promote-live", number=str(row.id), name=row.approver_name or "?")
    return Result(Reply(desk.staff_language, toast=Msg("staff-ok")), (_in_topic(row, note),)), row


def entry_of(row: FaqDraft) -> Entry:
    """A live draft as an FAQ entry (id ``staff-<n>``), English falling back to Khmer."""
    decided = (row.decided_at or row.created_at).date()
    question_en = row.question_en or row.question_km
    phrasings = [row.question_km, *row.phrasings]
    while len(phrasings) < 4:  # the schema asks for four; the question stands in
        phrasings.append(row.question_km)
    case = f"#{row.case_id}" if row.case_id else ""
    return Entry(
        id=f"staff-{row.id}",
        category=row.category,
        question=Localized(km=row.question_km, en=question_en),
        answer=Localized(km=row.answer_km, en=row.answer_en or row.answer_km),
        phrasings=Phrasings(km=tuple(phrasings), en=(question_en,)),
        # No fact or official page of its own: the footer then says "please confirm with
        # NSSF on 1286", and `faq check` flags the exported entry until it is reviewed.
        sources=Sources(facts=(), urls=()),
        needs_review=True,
        legal_basis=LegalBasis(
            km=f"ចម្លើយពីបុគ្គលិកសហជីព {case}".strip(),
            en=f"Answer by union staff {case}".strip(),
        ),
        last_reviewed=decided,
        review_due=decided + dt.timedelta(days=180),
    )


async def live_entries(session: AsyncSession) -> list[Entry]:
    """Every live draft as an entry, oldest first."""
    rows = (
        await session.scalars(
            sa.select(FaqDraft).where(FaqDraft.status == "live").order_by(FaqDraft.id)
        )
    ).all()
    return [entry_of(row) for row in rows]


def overlaid(base: Faq, extra: Sequence[Entry]) -> Faq:
    """The shipped FAQ with the live staff entries added (same categories)."""
    return Faq(base.categories, (*base.entries, *extra))


async def clear_backlog(
    session: AsyncSession, desk: Desk, entry: Entry, *, now: dt.datetime
) -> Result:
    """Workers whose open cases or unanswered questions of the last :data:`BACKLOG_DAYS`
    days the new entry answers confidently get it, once each (a worker with both gets
    one message: the case's). A question is marked answered; a case stays open, and its
    topic is told what the worker was sent."""
    sent: set[int] = set()
    cases = await _case_backlog(session, desk, entry, now, sent)
    questions = await _question_backlog(session, desk, entry, now, sent)
    return Result(staff=cases.staff, worker=cases.worker + questions.worker)


async def _case_backlog(
    session: AsyncSession, desk: Desk, entry: Entry, now: dt.datetime, sent: set[int]
) -> Result:
    """Open cases whose question (the text on the card) the new entry answers. The
    answer is logged as a question of the worker's (answered by staff, this entry), which
    carries its 👍 / 👎 and makes sure nobody gets the same entry twice."""
    given = (
        sa.select(Question.id)
        .where(
            Question.worker_id == Case.worker_id,
            Question.answered_by == "staff",
            Question.entry_id == entry.id,
        )
        .exists()
    )
    rows = (
        await session.execute(
            sa.select(Case, Worker.telegram_user_id, Worker.language, Worker.blocked_at)
            .join(Worker, Worker.id == Case.worker_id)
            .where(Case.status == "open", Case.question.is_not(None), Case.question != "", ~given)
            .order_by(Case.id.desc())
            .limit(BACKLOG_MAX)
        )
    ).all()
    texts = [case.question or "" for case, *_ in rows]
    found = await asyncio.to_thread(
        lambda: [(d.answer_id, d.normalized) for d in map(desk.matcher.match, texts)]
    )
    staff: list[StaffPost] = []
    posts: list[WorkerPost] = []
    for (case, chat_id, language, blocked_at), (answer_id, normalized) in zip(
        rows, found, strict=True
    ):
        if blocked_at is not None or chat_id in sent or answer_id != entry.id:
            continue
        lang = language if is_language(language) else desk.default_language
        asked = await session.get(Question, case.question_id) if case.question_id else None
        if asked is not None and asked.answered_by == "none":  # the question behind the case
            question = asked
        else:
            question = Question(
                worker_id=case.worker_id,
                normalized=redact(normalized)[:MAX_STORED_CHARS],
                decision="answer",
                reason="new-entry",
                matches=[],
                language=lang,
                created_at=now,
            )
            session.add(question)
        question.answered_by = "staff"
        question.entry_id = entry.id
        await session.flush()
        answer = answer_reply(entry, lang, question.id)
        intro = Msg("promote-backlog-case", {"number": str(case.id)})
        still_open = Msg("promote-backlog-case-open", {"number": str(case.id)})
        reply = Reply(lang, (intro, *answer.parts, still_open), answer.rows)
        posts.append(WorkerPost(chat_id, case.id, reply=reply, bulk=True))
        note = Msg("case-backlog-sent", {"question": entry.question.get(desk.staff_language)})
        staff.append(StaffPost(case.id, "say", reply=Reply(desk.staff_language, (note,))))
        sent.add(chat_id)
    return Result(staff=tuple(staff), worker=tuple(posts))


async def _question_backlog(
    session: AsyncSession, desk: Desk, entry: Entry, now: dt.datetime, sent: set[int]
) -> Result:
    """Unanswered questions of the last :data:`BACKLOG_DAYS` days the entry answers."""
    since = now - dt.timedelta(days=BACKLOG_DAYS)
    rows = (
        await session.execute(
            sa.select(Question, Worker.telegram_user_id, Worker.language, Worker.blocked_at)
            .join(Worker, Worker.id == Question.worker_id)
            .where(
                Question.answered_by == "none",
                Question.created_at >= since,
                Question.normalized != "",
            )
            .order_by(Question.id.desc())
            .limit(BACKLOG_MAX)
        )
    ).all()
    # Matching is CPU work: off the event loop, so live chats are not held up.
    texts = [question.normalized for question, *_ in rows]
    found = await asyncio.to_thread(lambda: [desk.matcher.match(text).answer_id for text in texts])
    posts: list[WorkerPost] = []
    for (question, chat_id, language, blocked_at), answer_id in zip(rows, found, strict=True):
        if blocked_at is not None or chat_id in sent or answer_id != entry.id:
            continue
        question.answered_by = "staff"
        question.entry_id = entry.id
        lang = language if is_language(language) else desk.default_language
        answer = answer_reply(entry, lang, question.id)
        intro = Msg("promote-backlog-intro")
        reply = Reply(lang, (intro, *answer.parts), answer.rows)
        posts.append(WorkerPost(chat_id, 0, reply=reply, bulk=True))
        sent.add(chat_id)
    return Result(worker=tuple(posts))


def export(entries: Sequence[Entry], faq: Faq) -> list[dict[str, Any]]:
    """Live staff entries as plain data in the FAQ files' shape, one document per
    category (``category`` with its title from ``faq``, then ``entries``): each loads
    with faq/content.py as it is, marked ``needs_review`` (a `faq check` warning)."""
    titles = {category.id: category.title for category in faq.categories}
    documents: dict[str, dict[str, Any]] = {}
    for entry in entries:
        category = entry.category
        if category not in documents:
            title = titles.get(category) or Localized(km=category, en=category)
            documents[category] = {
                "category": {"id": category, "title": title.model_dump(mode="json")},
                "entries": [],
            }
        data = entry.model_dump(mode="json", exclude_defaults=True, exclude={"category"})
        documents[category]["entries"].append(data)
    return list(documents.values())
