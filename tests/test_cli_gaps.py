"""``nssf-bot gaps``: the biggest groups of unanswered questions, from the database."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.db import Database
from bot.models import Feedback, Question, Worker


async def test_gaps_prints_the_groups(
    database: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with database.transaction() as session:
        worker = Worker(telegram_user_id=4242, language="en")
        session.add(worker)
        await session.flush()
        texts = ["boss keeps my card", "my boss keeps my card", "what is nssf", "loan please"]
        for text in texts:
            answered = "faq" if text == "what is nssf" else "none"
            session.add(
                Question(
                    worker_id=worker.id,
                    normalized=text,
                    decision="answer" if answered == "faq" else "none",
                    matches=[],
                    answered_by=answered,
                    language="en",
                )
            )
        await session.flush()
        helped = await session.scalar(
            select(Question.id).where(Question.normalized == "what is nssf")
        )
        assert helped is not None
        session.add(Feedback(question_id=helped, helpful=False))  # a 👎 counts too
    monkeypatch.setenv("DATABASE_URL", database.url)
    code = await asyncio.to_thread(main, ["gaps", "--days", "7"])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        "4 unanswered or 👎 questions in the last 7 days",
        "    2 × my boss keeps my card | boss keeps my card",
        "    1 × loan please",
        "    1 × what is nssf",
    ]
