"""The durable update intake (bot/telegram_io: runner, inbox, webhook) on FakeTelegram.

The application here is a minimal echo bot, so these tests say what the runner does with
updates (store, confirm, order, redeliver, skip) whatever the real handlers do. The
``database`` fixture (tests/conftest.py) runs each test on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import signal
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.db import Database
from bot.fakes.telegram import FakeTelegram, text_update
from bot.models import InboundUpdate
from bot.telegram_io.inbox import Inbox, RawUpdate
from bot.telegram_io.runner import Processor, RunnerOptions, run
from bot.telegram_io.webhook import SECRET_HEADER, WebhookConfig
from tests.logwatch import secret, typed

FAST = RunnerOptions(poll_timeout=1, backoff_first=0.01, backoff_max=0.05)
TIMEOUT = 10.0


class EchoBot:
    """A minimal application: replies "echo: <text>"; a test may hold a handler open."""

    def __init__(self, telegram: FakeTelegram) -> None:
        self.telegram = telegram
        self.handled: list[int] = []
        self.started: list[int] = []
        self.hold: asyncio.Event | None = None  # while set to an unset Event, handlers wait

    def build(self) -> Application[Any, Any, Any, Any, Any, Any]:
        """A fresh Application on the fake, as after a process restart."""
        application = (
            ApplicationBuilder()
            .token(self.telegram.token)
            .request(self.telegram.request())
            .get_updates_request(self.telegram.request())
            .updater(None)
            .build()
        )
        application.add_handler(MessageHandler(filters.TEXT, self.echo))
        return application

    async def echo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Reply with the text, after the test lets go when it holds handlers."""
        assert update.effective_message is not None
        self.started.append(update.update_id)
        if self.hold is not None:
            await self.hold.wait()
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}")
        self.handled.append(update.update_id)

    def replies(self, chat_id: int) -> list[str]:
        """Texts the bot sent to a chat, in order."""
        return [params["text"] for params in self.telegram.requests("sendMessage", chat_id)]


@pytest.fixture
def telegram() -> FakeTelegram:
    return FakeTelegram()


@pytest.fixture
def echo(telegram: FakeTelegram) -> EchoBot:
    return EchoBot(telegram)


async def eventually(check: Callable[[], Any], what: str) -> None:
    """Wait until ``check()`` is true (awaiting it if it is a coroutine)."""
    deadline = asyncio.get_running_loop().time() + TIMEOUT
    while True:
        result = check()
        if isinstance(result, Awaitable):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail(f"timed out waiting for: {what}")
        await asyncio.sleep(0.02)


async def rows(database: Database) -> dict[int, InboundUpdate]:
    async with database.transaction() as session:
        found = await session.scalars(sa.select(InboundUpdate))
        return {row.update_id: row for row in found}


def push_text(telegram: FakeTelegram, user_id: int, text: str, update_id: int) -> int:
    return telegram.push(text_update(user_id, typed(text), update_id=update_id))


class Running:
    """``run()`` in a background task, stopped (or crashed) by the test."""

    def __init__(self, echo: EchoBot, database: Database, **kwargs: Any) -> None:
        self.stop = asyncio.Event()
        self.task = asyncio.create_task(
            run(
                echo.build(),
                database,
                stop=self.stop,
                options=kwargs.pop("options", FAST),
                **kwargs,
            )
        )

    async def finish(self) -> None:
        """Stop as on SIGTERM and wait for the clean exit."""
        self.stop.set()
        await asyncio.wait_for(self.task, TIMEOUT)

    async def crash(self) -> None:
        """Stop abruptly, as a SIGKILL would: the update in hand is not finished."""
        self.task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(self.task, TIMEOUT)


# --- polling ---------------------------------------------------------------------------


async def test_updates_are_stored_confirmed_and_answered_in_order(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    for update_id, text in [(12, "b"), (11, "a"), (13, "c")]:
        push_text(telegram, 1001, text, update_id)
    bot = Running(echo, database)
    await eventually(lambda: len(echo.handled) == 3, "three updates handled")
    await eventually(lambda: not telegram.pending_updates(), "updates confirmed to Telegram")
    await bot.finish()

    assert echo.handled == [11, 12, 13]
    assert echo.replies(1001) == ["echo: a", "echo: b", "echo: c"]
    stored = await rows(database)
    assert sorted(stored) == [11, 12, 13]
    assert all(row.processed_at is not None for row in stored.values())
    assert all(row.payload == "" for row in stored.values())  # handled: nothing kept


async def test_webhook_is_deleted_before_polling(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    telegram.webhook = {"url": "https://old.example.org/hook", "secret_token": None}
    telegram.record_get_updates = True
    push_text(telegram, 1001, "hello", 1)
    bot = Running(echo, database)
    await eventually(lambda: echo.handled == [1], "the update handled")
    await bot.finish()

    methods = telegram.methods()
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert telegram.requests("deleteWebhook")[0].get("drop_pending_updates") in (None, False)
    get_updates = telegram.requests("getUpdates")[0]
    assert set(get_updates["allowed_updates"]) == set(Update.ALL_TYPES)


async def test_update_in_flight_at_a_crash_is_handled_after_restart(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    echo.hold = asyncio.Event()  # the handler starts and never finishes
    push_text(telegram, 1001, "in flight", 7)
    bot = Running(echo, database)
    await eventually(lambda: echo.started == [7], "the handler started")
    # The poller's next getUpdates already confirmed the update: Telegram won't resend it.
    await eventually(lambda: not telegram.pending_updates(), "the update confirmed")
    await bot.crash()
    assert echo.replies(1001) == []
    assert (await rows(database))[7].processed_at is None

    echo.hold = None
    bot = Running(echo, database)
    await eventually(lambda: echo.handled == [7], "the stored update handled after restart")
    await bot.finish()
    assert echo.replies(1001) == ["echo: in flight"]
    # Counted only on the careful pass over the backlog at start-up.
    assert (await rows(database))[7].attempts == 1


async def test_redelivered_update_that_was_processed_is_not_handled_again(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    update = text_update(1001, "once", update_id=5)
    telegram.push(update)
    bot = Running(echo, database)
    await eventually(lambda: echo.handled == [5], "the update handled")
    await bot.crash()  # before any later getUpdates could confirm it

    telegram.push(update)  # Telegram sends the unconfirmed update again
    push_text(telegram, 1001, "next", 6)
    bot = Running(echo, database)
    await eventually(lambda: echo.handled == [5, 6], "the next update handled")
    await bot.finish()
    assert echo.replies(1001) == ["echo: once", "echo: next"]


async def test_updates_stored_while_down_are_handled_first_at_start(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    await Inbox(database).store(
        [
            RawUpdate(u.update_id, u.to_json())
            for u in (
                text_update(1001, "stored earlier", update_id=20),
                text_update(1001, "stored later", update_id=21),
            )
        ]
    )
    bot = Running(echo, database)
    await eventually(lambda: echo.handled == [20, 21], "stored updates handled")
    await bot.finish()
    assert echo.replies(1001) == ["echo: stored earlier", "echo: stored later"]


async def test_network_errors_and_conflicts_are_retried(
    telegram: FakeTelegram, echo: EchoBot, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    telegram.fail("getUpdates", error=(502, "Bad Gateway"), times=2)
    telegram.fail(
        "getUpdates",
        error=(
            409,
            "Conflict: terminated by other getUpdates request; make sure that only "
            "one bot instance is running",
        ),
        times=1,
    )
    push_text(telegram, 1001, "still there", 1)
    with caplog.at_level(logging.INFO, logger="bot.telegram_io.runner"):
        bot = Running(echo, database)
        await eventually(lambda: echo.handled == [1], "the update handled after the errors")
        await bot.finish()
    messages = [record.getMessage() for record in caplog.records]
    assert sum("network error while polling" in m for m in messages) == 2
    assert any("another process is polling with this token" in m for m in messages)


NGINX_404 = (
    "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    "<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
NGINX_502 = NGINX_404.replace("404 Not Found", "502 Bad Gateway")


async def test_a_404_from_a_proxy_or_self_hosted_api_is_retried(
    telegram: FakeTelegram, echo: EchoBot, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # PTB raises InvalidToken for a 404 as for a 401; after getMe succeeded it is not one.
    telegram.fail("getUpdates", error=(404, "Not Found"), times=2)  # a Bot API server's
    telegram.fail("getUpdates", error=(404, "Not Found"), page=NGINX_404)  # nginx's page
    telegram.fail("getUpdates", error=(502, "Bad Gateway"), page=NGINX_502)
    telegram.fail("getUpdates", error=(503, "Service Unavailable"))
    telegram.fail("deleteWebhook", error=(404, "Not Found"))
    push_text(telegram, 1001, "still there", 1)
    with caplog.at_level(logging.INFO, logger="bot.telegram_io.runner"):
        bot = Running(echo, database)
        await eventually(lambda: echo.handled == [1], "the update handled after the errors")
        await bot.finish()
    messages = [record.getMessage() for record in caplog.records]
    assert sum("answered 404 Not Found while polling" in m for m in messages) == 4
    assert sum("network error while polling" in m for m in messages) == 2


async def test_a_401_while_polling_stops_the_bot(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    """The token was revoked in @BotFather: retrying can't help; `nssf-bot run` says so."""
    telegram.fail("getUpdates", error=(401, "Unauthorized"), times=None)
    bot = Running(echo, database)
    with pytest.raises(InvalidToken, match="Unauthorized"):
        await asyncio.wait_for(bot.task, TIMEOUT)


async def test_a_batch_ptb_cannot_parse_does_not_block_polling(
    telegram: FakeTelegram, echo: EchoBot, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    chat = {"id": 1001, "type": "private", "first_name": "Worker"}
    telegram.push({"update_id": 1, "message": {"message_id": 9, "date": "never", "chat": chat}})
    push_text(telegram, 1001, "after the bad one", 2)
    with caplog.at_level(logging.CRITICAL, logger="telegram"):
        bot = Running(echo, database)
        await eventually(lambda: echo.handled == [2], "the good update handled")
        await bot.finish()
    stored = await rows(database)
    assert stored[1].processed_at is not None
    assert stored[1].last_error is not None
    assert stored[1].last_error.startswith("unreadable")


# --- processing ------------------------------------------------------------------------


async def test_an_update_that_keeps_crashing_the_bot_is_skipped(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    inbox = Inbox(database)
    await inbox.store([RawUpdate(3, text_update(1001, "poison", update_id=3).to_json())])
    for _ in range(FAST.max_attempts):
        await inbox.begin_attempt(3)  # five starts, none finished
    application = echo.build()
    async with application:
        assert await Processor(application, inbox, FAST).drain() == 1
    row = (await rows(database))[3]
    assert echo.started == []
    assert row.processed_at is not None
    assert row.last_error == "5 unfinished attempts"


async def test_a_failing_handler_does_not_block_the_queue(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    inbox = Inbox(database)
    await inbox.store(
        [
            RawUpdate(u.update_id, u.to_json())
            for u in (
                text_update(1001, "boom", update_id=1),
                text_update(1001, "fine", update_id=2),
            )
        ]
    )
    application = echo.build()

    async def explode(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert isinstance(update, Update)
        assert update.effective_message is not None
        if update.effective_message.text == "boom":
            raise RuntimeError("handler bug")

    errors: list[BaseException | None] = []

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    application.add_handler(MessageHandler(filters.TEXT, explode), group=-1)
    application.add_error_handler(on_error)
    async with application:
        await Processor(application, inbox, FAST).drain()
    assert [str(error) for error in errors] == ["handler bug"]
    assert echo.replies(1001)[-1] == "echo: fine"
    assert all(row.processed_at is not None for row in (await rows(database)).values())


async def test_backlog_at_start_is_handled_carefully_then_marks_are_grouped(
    telegram: FakeTelegram, echo: EchoBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = Inbox(database)
    commits: list[int] = []
    mark_processed = Inbox.mark_processed

    async def counting(self: Inbox, done: list[tuple[int, str | None]]) -> None:
        commits.append(len(done))
        await mark_processed(self, done)

    monkeypatch.setattr(Inbox, "mark_processed", counting)

    def texts(first: int, count: int) -> list[RawUpdate]:
        updates = [text_update(1001, f"q{i}", update_id=i) for i in range(first, first + count)]
        return [RawUpdate(u.update_id, u.to_json()) for u in updates]

    await inbox.store(texts(1, 3))  # the backlog a crash left
    application = echo.build()
    async with application:
        processor = Processor(application, inbox, FAST)
        assert await processor.drain() == 3
        assert commits == [1, 1, 1]  # one attempt and one mark committed per update
        assert {row.attempts for row in (await rows(database)).values()} == {1}

        commits.clear()
        await inbox.store(texts(4, 45))  # a burst once the backlog is done
        assert await processor.drain() == 45
    assert commits == [20, 20, 5]
    stored = await rows(database)
    assert all(row.processed_at is not None for row in stored.values())
    assert {stored[i].attempts for i in range(4, 49)} == {0}
    assert echo.handled == list(range(1, 49))


async def test_old_processed_updates_are_pruned(database: Database) -> None:
    inbox = Inbox(database)
    await inbox.store([RawUpdate(i, json.dumps({"update_id": i})) for i in (1, 2, 3)])
    await inbox.mark_processed([(1, None), (2, None)])
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=8)
    async with database.transaction() as session:
        await session.execute(
            sa.update(InboundUpdate).where(InboundUpdate.update_id == 1).values(processed_at=old)
        )
    assert await inbox.prune(dt.timedelta(days=7)) == 1
    assert sorted(await rows(database)) == [2, 3]


async def test_storing_the_same_update_twice_keeps_the_first(database: Database) -> None:
    inbox = Inbox(database)
    await inbox.store([RawUpdate(1, '{"update_id": 1, "v": 1}')])
    await inbox.store([RawUpdate(1, '{"update_id": 1, "v": 2}'), RawUpdate(2, '{"update_id": 2}')])
    assert [(u.update_id, u.payload) for u in await inbox.unprocessed()] == [
        (1, '{"update_id": 1, "v": 1}'),
        (2, '{"update_id": 2}'),
    ]


# --- signals ---------------------------------------------------------------------------


async def test_sigterm_stops_the_bot_cleanly(
    telegram: FakeTelegram, echo: EchoBot, database: Database
) -> None:
    telegram.record_get_updates = True
    push_text(telegram, 1001, "hi", 1)
    task = asyncio.create_task(run(echo.build(), database, options=FAST))
    await eventually(lambda: echo.handled == [1], "the update handled")
    await eventually(lambda: len(telegram.requests("getUpdates")) >= 2, "polling again")
    os.kill(os.getpid(), signal.SIGTERM)  # the runner's handler turns it into a clean stop
    await asyncio.wait_for(task, TIMEOUT)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


# --- webhook ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def webhook() -> WebhookConfig:
    return WebhookConfig(
        url="https://bot.example.org/telegram/hook",
        secret=secret("s3cret_token-1"),
        listen="127.0.0.1",
        port=free_port(),
    )


async def post_update(config: WebhookConfig, body: bytes, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"http://127.0.0.1:{config.port}/telegram/hook", content=body, headers=headers
        )
        return response.status_code


async def test_webhook_checks_the_secret_stores_then_answers(
    telegram: FakeTelegram, echo: EchoBot, database: Database, webhook: WebhookConfig
) -> None:
    bot = Running(echo, database, webhook=webhook)
    await eventually(lambda: telegram.webhook is not None, "setWebhook called")
    assert telegram.webhook == {"url": webhook.url, "secret_token": webhook.secret}
    assert set(telegram.requests("setWebhook")[0]["allowed_updates"]) == set(Update.ALL_TYPES)

    body = text_update(1001, "via webhook", update_id=40).to_json().encode()
    assert await post_update(webhook, body, None) == 403
    assert await post_update(webhook, body, "wrong") == 403
    assert await post_update(webhook, b"not json", webhook.secret) == 400
    assert await rows(database) == {}

    assert await post_update(webhook, body, webhook.secret) == 200
    assert 40 in await rows(database)  # stored by the time Telegram got its 200
    await eventually(lambda: echo.handled == [40], "the webhook update handled")
    assert await post_update(webhook, body, webhook.secret) == 200  # a redelivery
    await bot.finish()
    assert echo.replies(1001) == ["echo: via webhook"]


async def test_webhook_answers_500_when_the_update_cannot_be_stored(
    telegram: FakeTelegram,
    echo: EchoBot,
    database: Database,
    webhook: WebhookConfig,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(self: Inbox, updates: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Inbox, "store", broken)
    bot = Running(echo, database, webhook=webhook)
    await eventually(lambda: telegram.webhook is not None, "setWebhook called")
    body = text_update(1001, "lost?", update_id=41).to_json().encode()
    assert await post_update(webhook, body, webhook.secret) == 500  # Telegram will retry
    await bot.finish()
    assert echo.started == []


async def test_a_handled_update_keeps_no_message_or_name(database: Database) -> None:
    """Only the update id, times and the reason it was given up remain (privacy)."""
    inbox = Inbox(database)
    payload = '{"update_id": 77, "message": {"from": {"id": 5, "first_name": "Sokha"}}}'
    await inbox.store([RawUpdate(77, payload), RawUpdate(78, payload.replace("77", "78"))])
    await inbox.mark_processed([(77, None), (78, "unreadable")])
    stored = await rows(database)
    assert (stored[77].payload, stored[77].last_error) == ("", None)
    assert (stored[78].payload, stored[78].last_error) == ("", "unreadable")  # given up


MARKER_NAME = "Chanthou-on-disk-marker"
MARKER_TEXT = "my-salary-question-on-disk-marker"


async def test_blanked_payloads_are_gone_from_the_sqlite_files(database: Database) -> None:
    """secure_delete zeroes the old bytes in the file, the checkpoint empties the WAL."""
    if database.dialect != "sqlite":
        pytest.skip("PostgreSQL removes dead rows at vacuum (see docs/deployment.md)")
    path = Path(str(make_url(database.url).database))
    inbox = Inbox(database)

    def update(update_id: int, padding: int) -> RawUpdate:
        # With padding the payload spills to overflow pages: a marker at each end.
        text = f"{MARKER_TEXT} {'x' * padding} {MARKER_TEXT if padding else ''}"
        user = {"id": 5, "is_bot": False, "first_name": MARKER_NAME, "username": MARKER_NAME}
        message = {"message_id": 1, "from": user, "chat": {"id": 5, "type": "private"}}
        body = {"update_id": update_id, "message": {**message, "date": 0, "text": text}}
        return RawUpdate(update_id, json.dumps(body))

    def on_disk() -> dict[str, bytes]:
        files = [path, path.with_name(path.name + "-wal")]
        return {file.name: file.read_bytes() if file.exists() else b"" for file in files}

    async with database.transaction() as session:  # on every connection, whatever the build
        assert await session.scalar(sa.text("PRAGMA secure_delete")) == 1
    await inbox.store([update(1, 0), update(2, 20_000), update(3, 0)])
    await inbox.mark_processed([(1, None), (2, "unreadable"), (3, "5 unfinished attempts")])
    assert MARKER_NAME.encode() in b"".join(on_disk().values())  # the old pages, in the WAL

    assert await inbox.checkpoint()
    for name, data in on_disk().items():
        assert MARKER_NAME.encode() not in data, name
        assert MARKER_TEXT.encode() not in data, name
    assert (await rows(database))[2].last_error == "unreadable"


async def test_pruning_checkpoints_the_wal(database: Database) -> None:
    inbox = Inbox(database)
    calls: list[bool] = []
    checkpoint = database.checkpoint

    async def counted() -> bool:
        calls.append(await checkpoint())
        return calls[-1]

    database.checkpoint = counted  # type: ignore[method-assign]
    await inbox.prune(dt.timedelta(days=7))
    assert calls == [True]


async def test_one_question_is_handled_before_another_chats_flood(
    database: Database, telegram: FakeTelegram, echo: EchoBot
) -> None:
    inbox = Inbox(database)
    flood = [text_update(1001, f"flood {n}", update_id=100 + n) for n in range(60)]
    late = text_update(2002, "just one", update_id=500)
    await inbox.store([RawUpdate(u.update_id, u.to_json()) for u in [*flood, late]])
    application = echo.build()
    options = RunnerOptions(round_size=10)
    async with application:
        await Processor(application, inbox, options).drain()
    assert echo.handled.index(500) < 20  # in the second round at the latest, not 61st
    flood_order = [update_id for update_id in echo.handled if update_id != 500]
    assert flood_order == sorted(flood_order)  # each chat's updates stay in order
    assert echo.replies(1001) == [f"echo: flood {n}" for n in range(60)]


async def test_the_chat_of_each_update_is_stored(database: Database) -> None:
    inbox = Inbox(database)
    updates = [
        RawUpdate(1, text_update(1001, "hi", update_id=1).to_json()),
        RawUpdate(2, json.dumps({"update_id": 2, "callback_query": {"from": {"id": 7}}})),
        RawUpdate(3, json.dumps({"update_id": 3})),
    ]
    await inbox.store(updates)
    assert sorted(await inbox.waiting(), key=lambda row: row[0]) == [
        (1, 1001),
        (2, 7),
        (3, None),
    ]


async def test_an_update_answered_before_a_crash_is_not_handled_again(
    database: Database, telegram: FakeTelegram, echo: EchoBot
) -> None:
    from bot.telegram_io.outbox import Outbox, Outgoing

    inbox = Inbox(database)
    await inbox.store([RawUpdate(9, text_update(1001, "hi", update_id=9).to_json())])
    async with database.transaction() as session:  # the handler committed its reply...
        await Outbox().put(session, Outgoing(1001, "sendMessage", {"text": "hi"}), update_id=9)
    # ...and the process died before the processed mark was committed.
    application = echo.build()
    async with application:
        await Processor(application, inbox, FAST).drain()
    assert echo.started == []  # not handled twice
    assert (await rows(database))[9].processed_at is not None


async def test_a_chat_behind_a_long_flood_is_still_seen(database: Database) -> None:
    inbox = Inbox(database)
    flood = [RawUpdate(n, text_update(1001, "x", update_id=n).to_json()) for n in range(1, 41)]
    late = RawUpdate(99, text_update(2002, "one", update_id=99).to_json())
    await inbox.store([*flood, late])
    assert await inbox.waiting(limit=3, per_chat=3) == [(1, 1001), (99, 2002), (2, 1001)]
    assert len(await inbox.waiting(limit=100, per_chat=3)) == 4


async def test_among_chats_equal_so_far_the_one_with_fewer_waiting_goes_first(
    database: Database, telegram: FakeTelegram, echo: EchoBot
) -> None:
    inbox = Inbox(database)
    five = [text_update(1001, f"q{n}", update_id=1 + n) for n in range(5)]
    one = text_update(2002, "just one", update_id=10)
    await inbox.store([RawUpdate(u.update_id, u.to_json()) for u in [*five, one]])
    application = echo.build()
    backlog: list[int] = []
    async with application:
        processor = Processor(application, inbox, RunnerOptions(round_size=10))
        original = echo.echo

        async def noting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            backlog.append(processor.backlog(1001))  # what the sender is told
            await original(update, context)

        application.handlers[0][0].callback = noting  # type: ignore[attr-defined]
        await processor.drain()
    assert echo.handled == [10, 1, 2, 3, 4, 5]
    assert backlog == [5, 4, 3, 2, 1, 0]
    assert processor.backlog(1001) == 0


async def test_a_newcomer_arriving_mid_round_is_handled_within_a_few_updates(
    database: Database, telegram: FakeTelegram, echo: EchoBot
) -> None:
    inbox = Inbox(database)
    flood = [text_update(1001, f"flood {n}", update_id=100 + n) for n in range(40)]
    await inbox.store([RawUpdate(u.update_id, u.to_json()) for u in flood])
    newcomer = text_update(2002, "just one", update_id=900)
    application = echo.build()
    original = echo.echo

    async def storing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await original(update, context)
        if update.update_id == 101:  # the poller stores a newcomer's question meanwhile
            await inbox.store([RawUpdate(900, newcomer.to_json())])

    application.handlers[0][0].callback = storing  # type: ignore[attr-defined]
    options = RunnerOptions(round_size=50, replan_after=3)
    async with application:
        assert await Processor(application, inbox, options).drain() == 41
    # Planned again after the third update, not after the round of 40.
    assert echo.handled.index(900) == 3
    assert [u for u in echo.handled if u != 900] == list(range(100, 140))


async def test_a_known_chat_arriving_mid_round_does_not_cut_the_round(
    database: Database, telegram: FakeTelegram, echo: EchoBot
) -> None:
    inbox = Inbox(database)
    first = [text_update(1001, f"a{n}", update_id=100 + n) for n in range(10)]
    await inbox.store([RawUpdate(u.update_id, u.to_json()) for u in first])
    application = echo.build()
    original = echo.echo
    plans = 0
    fair_batch = Processor._fair_batch

    async def counting(self: Processor) -> Any:
        nonlocal plans
        plans += 1
        return await fair_batch(self)

    async def storing(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await original(update, context)
        if update.update_id in (101, 103):  # the same chat again: nobody new is waiting
            more = text_update(1001, "more", update_id=update.update_id + 800)
            await inbox.store([RawUpdate(more.update_id, more.to_json())])

    application.handlers[0][0].callback = storing  # type: ignore[attr-defined]
    options = RunnerOptions(round_size=50, replan_after=1)
    async with application:
        processor = Processor(application, inbox, options)
        processor._fair_batch = counting.__get__(processor)  # type: ignore[method-assign]
        assert await processor.drain() == 12
    assert plans == 3  # the round of ten, the two that came meanwhile, the empty one
    assert echo.handled == [*range(100, 110), 901, 903]
