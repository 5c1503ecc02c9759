"""Webhook intake: a small tornado endpoint that stores each update before answering 200.

Telegram retries a webhook delivery until it gets a 2xx answer, so answering only after
the update is committed to ``inbound_updates`` makes it durable; the runner's processor
handles it right after. Requests without the right ``X-Telegram-Bot-Api-Secret-Token``
header get 403: the secret is what tells Telegram's calls from anyone else's. Refusals are
counted and logged at most once a minute, without the header or the body.

Any body that is not an update as Telegram sends one gets 400 before anything is stored:
not UTF-8, not JSON (or nested too deep to parse), not a JSON object, or without an
integer ``update_id`` in 0..2**63-1. A JSON object with such an id is stored even if PTB
cannot parse the rest, exactly as polling does (the processor skips it, blanked), because a
non-2xx answer to one of Telegram's own calls would make it retry that update forever.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

from bot.telegram_io.inbox import Inbox, RawUpdate
from bot.telegram_io.support import (
    AnyApplication,
    Backoff,
    retry_after_seconds,
    sleep_unless_stopped,
)

__all__ = [
    "SECRET_HEADER",
    "RefusalCounter",
    "WebhookConfig",
    "WebhookError",
    "make_app",
    "read_update",
    "serve",
]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Updates are a few kilobytes; refuse anything far larger before reading it.
MAX_BODY_BYTES = 1024 * 1024
MAX_UPDATE_ID = 2**63 - 1  # inbound_updates.update_id is a BIGINT
REFUSALS_LOGGED_EVERY = 60.0  # seconds


class WebhookError(Exception):
    """Telegram refused the webhook settings (one line, naming the setting)."""


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Where Telegram sends updates (url) and where this process listens for them."""

    url: str
    secret: str
    listen: str = "0.0.0.0"
    port: int = 8080

    @property
    def path(self) -> str:
        """The URL path served: the path of the public URL (a proxy passes it through)."""
        return urlsplit(self.url).path or "/"


def read_update(body: bytes) -> RawUpdate | None:
    """The update in a webhook body, or None if it is not one Telegram could have sent."""
    try:
        text = body.decode("utf-8")  # strict: json.loads(bytes) would also take UTF-16/32
        payload = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: [[[[…]]]]
        return None
    if not isinstance(payload, dict):
        return None
    update_id = payload.get("update_id")
    # type() and not isinstance(): True is an int; 1.0 and "1" are not update ids.
    if type(update_id) is not int or not 0 <= update_id <= MAX_UPDATE_ID:
        return None
    return RawUpdate(update_id, text)


class RefusalCounter:
    """Counts refused webhook calls; logs how many at most once per ``every`` seconds."""

    def __init__(self, every: float = REFUSALS_LOGGED_EVERY) -> None:
        self._every = every
        self._count = 0
        self._timer: asyncio.TimerHandle | None = None

    def refused(self) -> None:
        """One more call refused; the count is logged when the current minute is over."""
        self._count += 1
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._every, self.flush)

    def flush(self) -> None:
        """Log the calls refused since the last line, if any (also called at shutdown)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._count:
            log.warning(
                "%d webhook call%s refused in the last minute (missing or wrong %s header)",
                self._count,
                "" if self._count == 1 else "s",
                SECRET_HEADER,
            )
            self._count = 0


class _UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: check the secret, store the update, answer 200, wake the processor."""

    def initialize(
        self, inbox: Inbox, secret: str, wake: asyncio.Event, refusals: RefusalCounter
    ) -> None:
        self._inbox = inbox
        self._secret = secret.encode()
        self._wake = wake
        self._refusals = refusals

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, self._secret):
            self._refusals.refused()
            raise tornado.web.HTTPError(403)
        update = read_update(self.request.body)
        if update is None:
            raise tornado.web.HTTPError(400)
        # Not caught: if the database is down, tornado answers 500 and Telegram retries.
        await self._inbox.store([update])
        self._wake.set()
        self.set_status(200)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # 400/403 are logged above or not worth a line
        super().log_exception(typ, value, tb)


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Tornado's access log, for server errors only (refusals are counted instead)."""
    # A line per 403 would let anyone who finds the URL fill the log.
    status = handler.get_status()
    if status >= 500:
        request = handler.request
        log.error(
            "%d %s %s %.0f ms", status, request.method, request.path, 1000 * request.request_time()
        )


def make_app(
    inbox: Inbox,
    secret: str,
    wake: asyncio.Event,
    path: str,
    refusals: RefusalCounter | None = None,
) -> tornado.web.Application:
    """The tornado application serving the webhook path."""
    context = {
        "inbox": inbox,
        "secret": secret,
        "wake": wake,
        "refusals": refusals if refusals is not None else RefusalCounter(),
    }
    return tornado.web.Application([(path, _UpdateHandler, context)], log_function=_log_request)


async def _set_webhook(
    application: AnyApplication, config: WebhookConfig, stop: asyncio.Event
) -> None:
    """Tell Telegram the URL and secret, retrying network errors."""
    backoff = Backoff(1.0, 30.0)
    while not stop.is_set():
        try:
            await application.bot.set_webhook(
                url=config.url,
                secret_token=config.secret,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,  # updates queued while we were down still count
            )
            log.info(
                "webhook set to %s; listening on %s:%d", config.url, config.listen, config.port
            )
            return
        except InvalidToken:
            raise
        except BadRequest as exc:
            raise WebhookError(
                f"WEBHOOK_URL: Telegram refused {config.url!r}: {exc.message}"
            ) from None
        except RetryAfter as exc:
            await sleep_unless_stopped(retry_after_seconds(exc), stop)
        except NetworkError as exc:
            delay = backoff.next()
            log.warning("cannot set the webhook (%s); retrying in %.0f s", exc, delay)
            await sleep_unless_stopped(delay, stop)


async def serve(
    application: AnyApplication,
    inbox: Inbox,
    config: WebhookConfig,
    wake: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    """Listen for webhook calls until ``stop`` is set; register the webhook first."""
    refusals = RefusalCounter()
    server = HTTPServer(
        make_app(inbox, config.secret, wake, config.path, refusals),
        max_body_size=MAX_BODY_BYTES,
    )
    # Listen before setWebhook, so Telegram's first delivery finds the port open.
    try:
        sockets = bind_sockets(config.port, config.listen)
    except OSError as exc:
        raise WebhookError(
            f"WEBHOOK_PORT: cannot listen on {config.listen}:{config.port} ({exc.strerror})"
        ) from None
    server.add_sockets(sockets)
    try:
        await _set_webhook(application, config, stop)
        await stop.wait()
    finally:
        server.stop()
        await server.close_all_connections()
        refusals.flush()
