"""Topics service: categories, their questions, and logged answers."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.models import Question
from bot.services import Desk, topics
from bot.services.replies import Msg


async def test_categories_in_topic_registry_order(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        reply = await topics.categories(session, desk, 1)
    assert reply.parts == (Msg("topics-prompt"),)
    assert [(row[0].label, row[0].data) for row in reply.rows] == [
        ("ការចុះឈ្មោះ", "v1:c:registration"),
        ("មាតុភាព", "v1:c:maternity"),
    ]


async def test_a_category_lists_its_questions_and_a_back_button(
    database: Database, desk: Desk
) -> None:
    async with database.transaction() as session:
        reply = await topics.category(session, desk, 1, "registration")
    assert reply.parts == (Msg("topics-category", {"title": "ការចុះឈ្មោះ"}),)
    assert [row[0].data for row in reply.rows] == [
        "v1:e:what-is-nssf",
        "v1:e:who-must-register",
        "v1:t",
    ]
    assert reply.rows[-1][0].label == Msg("button-back")


async def test_an_unknown_category_is_stale(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        reply = await topics.category(session, desk, 1, "pension")
    assert reply.parts == (Msg("stale-button"),)


async def test_opening_an_entry_logs_it_once_per_update(database: Database, desk: Desk) -> None:
    for _ in range(2):
        async with database.transaction() as session:
            reply = await topics.open_entry(
                session, desk, user_id=1, entry_id="what-is-nssf", update_id=77
            )
    async with database.transaction() as session:
        (question,) = (await session.scalars(select(Question))).all()
    assert (question.decision, question.answered_by, question.entry_id) == (
        "browse",
        "faq",
        "what-is-nssf",
    )
    assert [b.data for b in reply.rows[0]] == [f"v1:f:{question.id}:1", f"v1:f:{question.id}:0"]


async def test_opening_an_unknown_entry_is_stale(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        reply = await topics.open_entry(session, desk, user_id=1, entry_id="gone", update_id=1)
    assert reply.parts == (Msg("stale-button"),)
