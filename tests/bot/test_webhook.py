"""The webhook endpoint (bot/telegram_io/webhook.py) over real HTTP on 127.0.0.1.

Whatever arrives, the answer is 200 (stored), 400 (not an update: nothing stored) or 403
(not Telegram: counted, logged once a minute), never 500 unless the database fails.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.db import Database
from bot.fakes.telegram import text_update
from bot.telegram_io.inbox import Inbox
from bot.telegram_io.webhook import (
    MAX_BODY_BYTES,
    SECRET_HEADER,
    RefusalCounter,
    make_app,
    read_update,
)
from tests.logwatch import secret

SECRET = secret("w3bhook_secret-for-tests")
PATH = "/telegram/hook"


@dataclass
class Endpoint:
    """The webhook app listening on a free port, and what it stored."""

    url: str
    inbox: Inbox
    wake: asyncio.Event
    client: httpx.AsyncClient

    async def post(self, body: bytes, secret: str | None = SECRET) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        response = await self.client.post(self.url, content=body, headers=headers)
        return response.status_code

    async def stored(self) -> list[int]:
        return [update.update_id for update in await self.inbox.unprocessed()]


async def _serve(database: Database, refusals: RefusalCounter) -> AsyncIterator[Endpoint]:
    inbox, wake = Inbox(database), asyncio.Event()
    server = HTTPServer(
        make_app(inbox, SECRET, wake, PATH, refusals), max_body_size=MAX_BODY_BYTES
    )
    sockets = bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            yield Endpoint(f"http://127.0.0.1:{port}{PATH}", inbox, wake, client)
    finally:
        server.stop()
        await server.close_all_connections()
        refusals.flush()


def _webhook_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.telegram_io.webhook"]


@pytest.fixture
async def endpoint(database: Database) -> AsyncIterator[Endpoint]:
    async for served in _serve(database, RefusalCounter()):
        yield served


def _update(update_id: object) -> bytes:
    data = text_update(1001, "hello", update_id=1).to_dict()
    data["update_id"] = update_id
    return json.dumps(data).encode()


NOT_UPDATES = {
    "empty": b"",
    "whitespace": b"  \n",
    "not json": b"not json",
    "truncated": _update(5)[:-3],
    "latin-1": '{"update_id": 5, "message": {"text": "café"}}'.encode("latin-1"),
    "utf-16": json.dumps({"update_id": 5}).encode("utf-16"),
    "invalid utf-8": b'{"update_id": 5, "x": "\xff\xfe"}',
    "nested arrays": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"update_id": 5, "x": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_001,
    "array": b"[1, 2, 3]",
    "array of updates": b"[" + _update(5) + b"]",
    "string": b'"update"',
    "number": b"42",
    "null": b"null",
    "no update_id": b'{"message": {}}',
    "update_id null": _update(None),
    "update_id string": _update("5"),
    "update_id float": _update(5.0),
    "update_id bool": _update(True),
    "update_id negative": _update(-1),
    "update_id 2**63": _update(2**63),
    "update_id huge": _update(10**30),
    "update_id 5000 digits": b'{"update_id": ' + b"9" * 5000 + b"}",
    "update_id NaN": b'{"update_id": NaN}',
    "update_id Infinity": b'{"update_id": Infinity}',
    "raw control character": b'{"update_id": 5, "x": "a\x00b"}',
}


@pytest.mark.parametrize("body", NOT_UPDATES.values(), ids=NOT_UPDATES.keys())
def test_read_update_refuses_what_is_not_an_update(body: bytes) -> None:
    assert read_update(body) is None


def test_read_update_takes_the_widest_ids_and_any_unicode() -> None:
    assert read_update(_update(0)) is not None
    assert read_update(_update(2**63 - 1)) is not None
    body = json.dumps({"update_id": 9, "message": {"text": "❤️ 🏳️‍🌈 ខ្មែរ \ud800"}})
    update = read_update(body.encode())
    assert update is not None and update.update_id == 9 and update.payload == body


async def test_bodies_that_are_not_updates_get_400_and_nothing_is_stored(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        for name, body in NOT_UPDATES.items():
            assert await endpoint.post(body) == 400, name
    assert await endpoint.stored() == []
    assert not endpoint.wake.is_set()
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_an_update_ptb_cannot_parse_is_still_stored(endpoint: Endpoint) -> None:
    """Refusing it would make Telegram retry it forever; the processor skips it instead."""
    body = b'{"update_id": 12, "message": {"message_id": 1, "date": "never"}}'
    assert await endpoint.post(body) == 200
    assert await endpoint.stored() == [12]
    assert endpoint.wake.is_set()


async def test_an_oversized_body_is_refused_without_a_500(endpoint: Endpoint) -> None:
    body = b'{"update_id": 5, "x": "' + b"a" * MAX_BODY_BYTES + b'"}'
    try:
        status = await endpoint.post(body)
    except httpx.HTTPError:  # tornado may close the connection instead of answering
        status = 400
    assert status == 400
    assert await endpoint.stored() == []


async def test_the_secret_is_checked_before_the_body(endpoint: Endpoint) -> None:
    assert await endpoint.post(b"not json", secret=None) == 403
    assert await endpoint.post(b"not json", secret="wrong") == 403
    assert await endpoint.post(_update(7), secret="wrong") == 403
    assert await endpoint.post(_update(7), secret=SECRET[:-1]) == 403
    assert await endpoint.post(_update(7), secret=SECRET + "x") == 403
    assert await endpoint.stored() == []
    assert await endpoint.post(_update(7)) == 200
    assert await endpoint.stored() == [7]


async def test_refused_calls_are_logged_once_a_minute_with_a_count(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    refusals = RefusalCounter(every=1.0)
    with caplog.at_level(logging.INFO):
        async for endpoint in _serve(database, refusals):
            for _ in range(5):
                assert await endpoint.post(_update(8), secret="guess-" + SECRET) == 403
            assert await endpoint.post(_update(8), secret=None) == 403
            assert _webhook_lines(caplog) == []  # nothing yet: one line per interval, not per call
            await asyncio.sleep(1.2)
            assert await endpoint.post(_update(8), secret="x") == 403  # logged at shutdown
    messages = _webhook_lines(caplog)
    assert messages == [
        f"6 webhook calls refused in the last minute (missing or wrong {SECRET_HEADER} header)",
        f"1 webhook call refused in the last minute (missing or wrong {SECRET_HEADER} header)",
    ]
    assert all(SECRET not in m and "update_id" not in m for m in messages)


async def test_a_pending_count_is_logged_at_shutdown(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        async for endpoint in _serve(database, RefusalCounter()):
            assert await endpoint.post(b"{}", secret=None) == 403
    assert [m.split(" (")[0] for m in _webhook_lines(caplog)] == [
        "1 webhook call refused in the last minute"
    ]


async def test_a_database_failure_is_a_500_without_the_payload_in_the_log(
    endpoint: Endpoint, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(self: Inbox, updates: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Inbox, "store", broken)
    with caplog.at_level(logging.INFO):
        assert await endpoint.post(_update(9)) == 500  # Telegram retries it
    logged = "\n".join(caplog.text.splitlines())
    assert "disk full" in logged
    assert "hello" not in logged and "update_id" not in logged
