"""Browsing the FAQ by topic: categories, their questions, and an answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.db import insert
from bot.models import Question, utcnow
from bot.services import Desk
from bot.services.questions import answer_reply, stale
from bot.services.replies import Button, Msg, Reply
from bot.services.workers import touch

__all__ = ["categories", "category", "open_entry"]


async def categories(session: AsyncSession, desk: Desk, user_id: int) -> Reply:
    """/topics: one button per category."""
    worker = await touch(session, desk, user_id)
    lang = worker.language
    rows = tuple(
        (Button(category.title.get(lang), callbacks.category(category.id)),)
        for category in desk.faq.categories
    )
    return Reply(lang, (Msg("topics-prompt"),), rows)


async def category(session: AsyncSession, desk: Desk, user_id: int, category_id: str) -> Reply:
    """The questions of one category, and a button back to the categories."""
    worker = await touch(session, desk, user_id)
    lang = worker.language
    found = next((c for c in desk.faq.categories if c.id == category_id), None)
    entries = desk.faq.in_category(category_id)
    if found is None or not entries:
        return stale(lang)
    rows = tuple(
        (Button(entry.question.get(lang), callbacks.entry(entry.id)),) for entry in entries
    )
    back = (Button(Msg("button-back"), callbacks.topics()),)
    return Reply(lang, (Msg("topics-category", {"title": found.title.get(lang)}),), (*rows, back))


async def open_entry(
    session: AsyncSession, desk: Desk, *, user_id: int, entry_id: str, update_id: int | None
) -> Reply:
    """The answer of an entry picked from /topics, logged so 👍 / 👎 can refer to it."""
    worker = await touch(session, desk, user_id)
    entry = desk.faq.get(entry_id)
    if entry is None:
        return stale(worker.language)
    values: dict[str, Any] = {
        "worker_id": worker.id,
        "update_id": update_id,
        "normalized": "",
        "decision": "browse",
        "reason": None,
        "matches": [],
        "answered_by": "faq",
        "entry_id": entry.id,
        "language": worker.language,
        "created_at": utcnow(),
    }
    statement = (
        insert(session, Question.__table__)
        .values(**values)
        .on_conflict_do_update(  # a redelivered tap reuses its row
            index_elements=["update_id"], set_={"entry_id": entry.id}
        )
        .returning(Question.__table__.c.id)
    )
    question_id = await session.scalar(statement)
    assert question_id is not None
    return answer_reply(entry, worker.language, question_id)
