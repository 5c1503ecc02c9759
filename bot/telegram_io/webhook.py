"""Webhook intake: a small tornado endpoint that stores each update before answering 200.

Telegram retries a webhook delivery until it gets a 2xx answer, so answering only after
the update is committed to ``inbound_updates`` makes it durable; the runner's processor
handles it right after. Requests without the right ``X-Telegram-Bot-Api-Secret-Token``
header get 403: the secret is what tells Telegram's calls from anyone else's.
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

__all__ = ["SECRET_HEADER", "WebhookConfig", "WebhookError", "make_app", "serve"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Updates are a few kilobytes; refuse anything far larger before reading it.
MAX_BODY_BYTES = 1024 * 1024


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


class _UpdateHandler(tornado.web.RequestHandler):
    """POST <path>: check the secret, store the update, answer 200, wake the processor."""

    def initialize(self, inbox: Inbox, secret: str, wake: asyncio.Event) -> None:
        self._inbox = inbox
        self._secret = secret.encode()
        self._wake = wake

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            log.warning(
                "webhook call without the right secret token from %s", self.request.remote_ip
            )
            raise tornado.web.HTTPError(403)
        try:
            payload = json.loads(self.request.body)
            update_id = int(payload["update_id"])
        except (ValueError, TypeError, KeyError):
            raise tornado.web.HTTPError(400) from None
        # Not caught: if the database is down, tornado answers 500 and Telegram retries.
        await self._inbox.store([RawUpdate(update_id, self.request.body.decode())])
        self._wake.set()
        self.set_status(200)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            return  # 400/403 are logged above or not worth a line
        super().log_exception(typ, value, tb)


def make_app(inbox: Inbox, secret: str, wake: asyncio.Event, path: str) -> tornado.web.Application:
    """The tornado application serving the webhook path."""
    return tornado.web.Application(
        [(path, _UpdateHandler, {"inbox": inbox, "secret": secret, "wake": wake})]
    )


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
    server = HTTPServer(
        make_app(inbox, config.secret, wake, config.path), max_body_size=MAX_BODY_BYTES
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
