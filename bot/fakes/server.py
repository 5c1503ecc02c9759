"""The in-memory fake Telegram (bot/fakes/telegram.py) served over HTTP, for end-to-end tests.

    python -m bot.fakes.server --port 8081      # --port 0 picks a free port

Point the bot at it with ``TELEGRAM_API_URL=http://127.0.0.1:8081/bot``. Bot API calls go to
``/bot<token>/<method>`` with JSON, form or multipart bodies, as python-telegram-bot sends
them; ``getUpdates`` long-polls. A test plays the user through control endpoints:

* ``POST /_test/send_message`` ``{"user_id": 1001, "text": "/start"}``: a private-chat
  message (a command if it starts with "/") is queued for getUpdates; answers
  ``{"update_id": N}``.
* ``POST /_test/press`` ``{"user_id": 1001, "message_id": 5, "data": "lang:en"}``: a tap
  on an inline button of the bot's message.
* ``GET /_test/calls``: every Bot API call the bot made, ``[{"method", "params"}]``.
* ``GET /_test/pending``: update ids queued and not yet confirmed by an offset.
* ``GET /_test/messages?chat_id=1001``: the bot's messages in a chat, as they are now.
* ``POST /_test/fault`` ``{"method": "sendMessage", "chat_id": 1001, "error_code": 502,
  "description": "Bad Gateway", "retry_after": null, "times": 1}``: the next matching
  calls get that error (``retry_after`` makes it a 429).
* ``POST /_test/network_fault`` ``{"kind": "drop"|"timeout", "delivered": true,
  "method": "sendMessage", "times": 1}``: the next matching calls lose their answer: the
  connection is closed ("drop") or held past the client's timeout ("timeout"), after
  the call was handled (``delivered``) or before.
* ``POST /_test/limits`` ``{"enforce": true}``: answer calls over Telegram's flood limits
  with 429 (``FakeTelegram.enforce_limits``); ``GET /_test/limits``: 429s given so far.

The first line on stdout is ``listening on http://HOST:PORT`` once the port is open.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Sequence
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.fakes.telegram import (
    FakeTelegram,
    FloodLimits,
    callback_update,
    command_update,
    text_update,
)

__all__ = ["main", "make_app", "request_params"]

# A form post carries every value as text, and python-telegram-bot writes booleans as
# "true"/"false". Telegram knows each parameter's type; the fake learns these here (a
# "false" that is a message's text stays text). Numbers and JSON objects it coerces itself.
_BOOL_PARAMS = frozenset(
    {
        "allow_paid_broadcast",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "has_spoiler",
        "is_anonymous",
        "protect_content",
        "revoke_messages",
        "show_alert",
        "show_caption_above_media",
    }
)


def _form_value(key: str, raw: bytes) -> Any:
    value = raw.decode()
    if key in _BOOL_PARAMS and value in ("true", "false"):
        return value == "true"
    return value


def request_params(request: Any) -> dict[str, Any]:
    """Bot API parameters of a request: query string, then JSON, form or multipart body."""
    params: dict[str, Any] = {
        key: _form_value(key, values[-1]) for key, values in request.query_arguments.items()
    }
    content_type = request.headers.get("Content-Type", "")
    if content_type.startswith("application/json") and request.body:
        body = json.loads(request.body)
        if isinstance(body, dict):
            params.update(body)
    else:  # tornado has parsed urlencoded and multipart bodies already
        form = request.body_arguments.items()
        params.update({key: _form_value(key, values[-1]) for key, values in form})
        for key, files in request.files.items():
            params[key] = {"filename": files[-1].filename, "size": len(files[-1].body)}
    return params


class _BaseHandler(tornado.web.RequestHandler):
    def initialize(self, telegram: FakeTelegram, token: str | None) -> None:
        self.telegram = telegram
        self.token = token

    def check_xsrf_cookie(self) -> None:
        """Not a browser app."""

    def write_json(self, value: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(value, ensure_ascii=False))

    def json_body(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise tornado.web.HTTPError(400, "body must be JSON") from None
        if not isinstance(body, dict):
            raise tornado.web.HTTPError(400, "body must be a JSON object")
        return body


class _BotApiHandler(_BaseHandler):
    """/bot<token>/<method>: answer like Telegram, status code included."""

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        if self.token is not None and token != self.token:
            self.write_json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
            return
        try:
            params = request_params(self.request)
        except ValueError:
            self.write_json(
                {"ok": False, "error_code": 400, "description": "Bad Request: bad JSON"}, 400
            )
            return
        fault = self.telegram.take_network_fault(method, params)
        if fault is not None and not fault.delivered:
            await self._lose_answer(fault.kind)
            return
        if method == "getUpdates" and params.get("offset"):
            # Telegram confirms the updates before the offset when the request arrives;
            # FakeTelegram.handle_async would only do it when the long poll ends.
            self.telegram.handle(method, {"offset": params["offset"], "limit": 1})
        response = await self.telegram.handle_async(method, params)
        if fault is not None:  # handled, but the answer never reaches the bot
            await self._lose_answer(fault.kind)
            return
        content_type, body = FakeTelegram.body(response)
        self.set_status(FakeTelegram.status(response))
        self.set_header("Content-Type", content_type)
        self.finish(body)

    async def _lose_answer(self, kind: str) -> None:
        if kind == "timeout":  # longer than python-telegram-bot's 5 s read timeout
            await asyncio.sleep(TIMEOUT_HOLD)
        stream = getattr(self.request.connection, "stream", None)
        if stream is not None:
            stream.close()  # the client sees the connection drop, with no answer
        self._finished = True  # nothing more is written to the closed connection


# How long a "timeout" fault holds a call (python-telegram-bot reads for 5 s by default).
TIMEOUT_HOLD = 6.0


class _FaultHandler(_BaseHandler):
    def post(self) -> None:
        body = self.json_body()
        retry_after = body.get("retry_after")
        self.telegram.fail(
            body.get("method"),
            chat_id=body.get("chat_id"),
            error=(int(body.get("error_code", 500)), str(body.get("description", "Error"))),
            retry_after=int(retry_after) if retry_after is not None else None,
            times=body.get("times", 1),
        )
        self.write_json({"ok": True})


class _NetworkFaultHandler(_BaseHandler):
    def post(self) -> None:
        body = self.json_body()
        self.telegram.fail_network(
            body["kind"],
            delivered=bool(body.get("delivered", False)),
            method=body.get("method"),
            chat_id=body.get("chat_id"),
            times=int(body.get("times", 1)),
        )
        self.write_json({"ok": True})


class _LimitsHandler(_BaseHandler):
    def get(self) -> None:
        self.write_json({"refused": self.telegram.flood_refusals})

    def post(self) -> None:
        enforce = bool(self.json_body().get("enforce", True))
        self.telegram.enforce_limits(FloodLimits() if enforce else None)
        self.write_json({"ok": True})


class _SendMessageHandler(_BaseHandler):
    def post(self) -> None:
        body = self.json_body()
        user_id, text = int(body["user_id"]), str(body["text"])
        if text.startswith("/"):
            command, _, args = text[1:].partition(" ")
            update = command_update(user_id, command, args)
        else:
            update = text_update(user_id, text)
        self.write_json({"update_id": self.telegram.push(update)})


class _PressHandler(_BaseHandler):
    def post(self) -> None:
        body = self.json_body()
        user_id, message_id = int(body["user_id"]), int(body["message_id"])
        message = self.telegram.message(user_id, message_id) or {}
        update = callback_update(
            user_id,
            str(body["data"]),
            message_id,
            message_text=message.get("text", "…"),
            bot_id=self.telegram.bot_user["id"],
        )
        self.write_json({"update_id": self.telegram.push(update)})


class _CallsHandler(_BaseHandler):
    def get(self) -> None:
        calls = [{"method": call.method, "params": call.params} for call in self.telegram.calls]
        self.write_json(calls)


class _PendingHandler(_BaseHandler):
    def get(self) -> None:
        self.write_json([update["update_id"] for update in self.telegram.pending_updates()])


class _MessagesHandler(_BaseHandler):
    def get(self) -> None:
        chat_id = int(self.get_query_argument("chat_id"))
        self.write_json(self.telegram.messages(chat_id))


def make_app(telegram: FakeTelegram, token: str | None = None) -> tornado.web.Application:
    """The tornado application: Bot API routes and the test's control endpoints."""
    context = {"telegram": telegram, "token": token}
    return tornado.web.Application(
        [
            (r"/bot([^/]+)/(\w+)", _BotApiHandler, context),
            (r"/_test/send_message", _SendMessageHandler, context),
            (r"/_test/press", _PressHandler, context),
            (r"/_test/calls", _CallsHandler, context),
            (r"/_test/pending", _PendingHandler, context),
            (r"/_test/messages", _MessagesHandler, context),
            (r"/_test/fault", _FaultHandler, context),
            (r"/_test/network_fault", _NetworkFaultHandler, context),
            (r"/_test/limits", _LimitsHandler, context),
        ]
    )


async def serve(host: str, port: int, token: str | None) -> None:
    """Serve until SIGINT or SIGTERM."""
    server = HTTPServer(make_app(FakeTelegram(), token))
    sockets = bind_sockets(port, host)
    server.add_sockets(sockets)
    bound = sockets[0].getsockname()[1]
    print(f"listening on http://{host}:{bound}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    server.stop()  # open long polls are simply dropped with the process


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fake Bot API server from the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.fakes.server", description="A fake Telegram Bot API server."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port (0: any free port)")
    parser.add_argument("--token", help="accept only this bot token (default: any)")
    args = parser.parse_args(argv)
    asyncio.run(serve(args.host, args.port, args.token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
