"""Workers service: first contact, languages, deep links, blocked state."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.models import DeepLink, Worker
from bot.services import Desk, workers
from bot.services.replies import Msg


async def _worker(database: Database, user_id: int) -> Worker | None:
    async with database.transaction() as session:
        return await session.scalar(select(Worker).where(Worker.telegram_user_id == user_id))


async def test_touch_creates_a_worker_once(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        first = await workers.touch(session, desk, 1001)
    async with database.transaction() as session:
        again = await workers.touch(session, desk, 1001)
    assert first.is_new and not again.is_new
    assert first.id == again.id
    assert first.language == again.language == "km"
    stored = await _worker(database, 1001)
    assert stored is not None and stored.last_seen >= stored.first_seen


async def test_touch_uses_the_default_language(database: Database, desk: Desk) -> None:
    english_desk = Desk(desk.faq, desk.matcher, "en")
    async with database.transaction() as session:
        assert (await workers.touch(session, english_desk, 5)).language == "en"


async def test_greet_records_every_deep_link_and_keeps_the_first(
    database: Database, desk: Desk
) -> None:
    for payload in ("flyer_2026", "radio-spot", None, "has space", "x" * 65):
        async with database.transaction() as session:
            reply = await workers.greet(session, desk, 1001, payload)
        assert reply.parts == (Msg("start-welcome"),)
        assert [b.data for b in reply.rows[0]] == ["v1:l:km", "v1:l:en"]
    async with database.transaction() as session:
        links = (await session.scalars(select(DeepLink.payload).order_by(DeepLink.id))).all()
    assert links == ["flyer_2026", "radio-spot"]  # not what was typed by hand
    stored = await _worker(database, 1001)
    assert stored is not None and stored.start_payload == "flyer_2026"


async def test_choose_language_is_remembered(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        reply = await workers.choose_language(session, desk, 1001, "en")
    assert reply.lang == "en"
    assert reply.parts == (Msg("language-chosen"), Msg("ready"))
    async with database.transaction() as session:
        assert (await workers.help_text(session, desk, 1001)).lang == "en"
        assert await workers.language_of(session, desk, 1001) == "en"
    stored = await _worker(database, 1001)
    assert stored is not None and stored.language_chosen


async def test_language_of_an_unknown_user_creates_nobody(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        assert await workers.language_of(session, desk, 999) == "km"
    assert await _worker(database, 999) is None


async def test_blocked_and_unblocked(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        assert not await workers.set_blocked(session, desk, 1001, True)  # unknown: nothing to do
        await workers.touch(session, desk, 1001)
    async with database.transaction() as session:
        assert await workers.set_blocked(session, desk, 1001, True)
    stored = await _worker(database, 1001)
    assert stored is not None and stored.blocked_at is not None
    async with database.transaction() as session:
        await workers.touch(session, desk, 1001)  # they wrote again
    stored = await _worker(database, 1001)
    assert stored is not None and stored.blocked_at is None


async def test_private_only_links_to_the_bot(database: Database, desk: Desk) -> None:
    async with database.transaction() as session:
        reply = await workers.private_only(session, desk, 1001, "nssf_bot")
    assert reply.parts == (Msg("private-only"),)
    assert reply.rows[0][0].url == "https://t.me/nssf_bot"
    assert await _worker(database, 1001) is None


async def test_a_returning_worker_is_not_written_on_every_message(
    database: Database, desk: Desk
) -> None:
    """touch() writes last_seen at most once a minute per worker, and forgets on change."""
    from sqlalchemy import event

    writes: list[str] = []

    def count(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("INSERT INTO WORKERS"):
            writes.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            async with database.transaction() as session:
                state = await workers.touch(session, desk, 4242)
        assert len(writes) == 2  # the first contact, then the second (now committed) one
        assert not state.is_new
        async with database.transaction() as session:
            await workers.choose_language(session, desk, 4242, "en")
        async with database.transaction() as session:
            assert (await workers.touch(session, desk, 4242)).language == "en"
    finally:
        event.remove(database.engine.sync_engine, "before_cursor_execute", count)
