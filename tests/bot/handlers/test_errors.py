"""The error handler: a failure is logged and apologized for, never shown as a crash."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select
from telegram.error import RetryAfter

from bot.db import Database
from bot.fakes.telegram import FakeTelegram, text_update
from bot.models import Worker
from bot.services import questions
from tests.bot.chat import Chat

KM_SORRY = "សូមអភ័យទោស មានបញ្ហាបច្ចេកទេស។ សូមព្យាយាមម្តងទៀត បន្តិចទៀតនេះ។"
EN_SORRY = "Sorry, something went wrong. Please try again in a moment."


async def _broken_ask(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the matcher fell over")


async def test_an_unexpected_error_is_logged_and_apologized_for(
    chat: Chat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(questions, "ask", _broken_ask)
    said = await chat.send("តើ ប.ស.ស ជាអ្វី?")
    assert said.texts == [KM_SORRY]
    assert "the matcher fell over" in caplog.text


async def test_the_apology_is_in_the_workers_language(
    chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    await chat.choose_english()
    monkeypatch.setattr(questions, "ask", _broken_ask)
    said = await chat.send("What is the NSSF?")
    assert said.texts == [EN_SORRY]


async def test_when_the_database_is_down_the_apology_uses_the_default_language(
    chat: Chat,
    database: Database,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await chat.choose_english()

    @contextlib.asynccontextmanager
    async def down() -> AsyncIterator[None]:
        raise ConnectionError("database unreachable")
        yield

    monkeypatch.setattr(database, "transaction", down)
    said = await chat.send("What is the NSSF?")
    assert said.texts == [KM_SORRY]  # the English choice can't be read: Khmer, the default
    assert "database unreachable" in caplog.text


async def test_one_flood_wait_is_waited_out_and_the_reply_sent(
    chat: Chat, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    fake.fail("sendMessage", retry_after=1)
    said = await chat.send("តើ ប.ស.ស ជាអ្វី?")
    assert said.methods == ["sendMessage", "sendMessage"]  # the sender waited, then resent
    assert fake.last_message(1001) is not None


async def test_rate_limits_are_logged_without_an_apology(
    chat: Chat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")

    async def flooded(*args: object, **kwargs: object) -> None:
        raise RetryAfter(dt.timedelta(seconds=30))

    monkeypatch.setattr(questions, "ask", flooded)
    said = await chat.send("តើ ប.ស.ស ជាអ្វី?")
    assert said.methods == []  # an apology would be refused the same way
    assert "Flood control exceeded" in caplog.text


async def test_a_refused_reply_gets_an_apology_in_its_place(
    chat: Chat, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("sendMessage", error=(400, "Bad Request: can't parse entities"))
    said = await chat.send("តើ ប.ស.ស ជាអ្វី?")
    assert said.methods == ["sendMessage", "sendMessage"]  # refused, then the apology
    assert said.texts[-1] == KM_SORRY
    assert "Can't parse entities" in caplog.text


async def test_a_refused_apology_is_not_apologized_for(chat: Chat, fake: FakeTelegram) -> None:
    fake.fail("sendMessage", error=(400, "Bad Request: can't parse entities"), times=5)
    said = await chat.send("តើ ប.ស.ស ជាអ្វី?")
    assert said.methods == ["sendMessage", "sendMessage"]  # the reply, the apology; no loop


async def test_a_deactivated_account_is_marked_like_a_block(
    chat: Chat, fake: FakeTelegram, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await chat.send("/start")
    fake.fail("sendMessage", chat_id=1001, error=(403, "Forbidden: user is deactivated"))
    said = await chat.send("/help")
    assert said.methods == ["sendMessage"]
    async with database.transaction() as session:
        worker = await session.scalar(select(Worker))
    assert worker is not None and worker.blocked_at is not None
    assert "user is deactivated" in caplog.text


async def test_errors_in_groups_are_not_apologized_for_in_the_group(
    chat: Chat, fake: FakeTelegram
) -> None:
    fake.fail("sendMessage", chat_id=-100555, error=(403, "Forbidden: bot was kicked"))
    update = text_update(
        1001,
        "/start",
        chat_id=-100555,
        chat_type="supergroup",
        bot=chat.app.bot,
        entities=[{"type": "bot_command", "offset": 0, "length": 6}],
    )
    said = await chat.process(update)
    assert said.methods == ["sendMessage"]  # the refused one; no worker is marked blocked
