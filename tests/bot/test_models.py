"""The tables: 64-bit Telegram ids, UTC timestamps, cascades, and uniqueness."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError, StatementError

from bot.db import Database
from bot.models import DeepLink, Feedback, InboundUpdate, Question, Worker, utcnow

BIG_ID = 2**52 + 7  # Telegram ids may need 52 bits


def _worker(user_id: int = BIG_ID) -> Worker:
    now = utcnow()
    return Worker(telegram_user_id=user_id, language="km", first_seen=now, last_seen=now)


def _question(worker: Worker, update_id: int | None) -> Question:
    return Question(
        worker_id=worker.id,
        update_id=update_id,
        normalized="x",
        decision="none",
        matches=[],
        answered_by="none",
        language="km",
    )


async def test_worker_defaults_store_no_personal_data(database: Database) -> None:
    async with database.transaction() as session:
        session.add(_worker())
    async with database.transaction() as session:
        worker = await session.scalar(select(Worker))
    assert worker is not None
    assert worker.telegram_user_id == BIG_ID
    assert (worker.consent_share_name, worker.consent_broadcasts) == (False, False)
    assert worker.language_chosen is False and worker.blocked_at is None
    assert not {"name", "username", "first_name", "phone"} & set(Worker.__table__.columns.keys())


async def test_timestamps_come_back_aware_and_in_utc(database: Database) -> None:
    phnom_penh = dt.timezone(dt.timedelta(hours=7))
    seen = dt.datetime(2026, 11, 24, 9, 30, 15, 123456, tzinfo=phnom_penh)
    async with database.transaction() as session:
        worker = _worker()
        worker.first_seen = worker.last_seen = seen
        session.add(worker)
    async with database.transaction() as session:
        stored = await session.scalar(select(Worker))
    assert stored is not None
    assert stored.first_seen == seen
    assert stored.first_seen.utcoffset() == dt.timedelta(0)


async def test_naive_timestamps_are_refused(database: Database) -> None:
    async def store_naive() -> None:
        async with database.transaction() as session:
            worker = _worker()
            worker.first_seen = dt.datetime(2026, 1, 1)
            session.add(worker)

    with pytest.raises(StatementError, match="naive datetime"):
        await store_naive()


async def test_deleting_a_worker_deletes_everything_they_own(database: Database) -> None:
    async with database.transaction() as session:
        worker, other = _worker(1), _worker(2)
        session.add_all([worker, other])
        await session.flush()
        question, kept = _question(worker, 10), _question(other, 11)
        session.add_all([question, kept, DeepLink(worker_id=worker.id, payload="flyer")])
        await session.flush()
        session.add(Feedback(question_id=question.id, helpful=True))
    async with database.transaction() as session:
        await session.execute(delete(Worker).where(Worker.telegram_user_id == 1))
    async with database.transaction() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (Worker, Question, Feedback, DeepLink)
        ]
    assert counts == [1, 1, 0, 0]


async def test_update_id_is_unique_but_may_be_missing(database: Database) -> None:
    async with database.transaction() as session:
        worker = _worker()
        session.add(worker)
        await session.flush()
        session.add_all([_question(worker, None), _question(worker, None), _question(worker, 5)])
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            session.add(_question(worker, 5))


async def test_one_feedback_per_question(database: Database) -> None:
    async with database.transaction() as session:
        worker = _worker()
        session.add(worker)
        await session.flush()
        question = _question(worker, 1)
        session.add(question)
        await session.flush()
        session.add(Feedback(question_id=question.id, helpful=True))
    with pytest.raises(IntegrityError):
        async with database.transaction() as session:
            session.add(Feedback(question_id=question.id, helpful=False))


async def test_inbound_updates_keep_telegram_update_ids(database: Database) -> None:
    async with database.transaction() as session:
        session.add(InboundUpdate(update_id=2**40, payload='{"update_id": 1099511627776}'))
    async with database.transaction() as session:
        stored = await session.get(InboundUpdate, 2**40)
    assert stored is not None
    assert (stored.attempts, stored.processed_at, stored.last_error) == (0, None, None)
    assert stored.received_at.tzinfo is not None
