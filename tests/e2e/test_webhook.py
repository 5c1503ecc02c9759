"""``nssf-bot run`` in webhook mode: setWebhook with the secret, 403 without it, answers."""

from __future__ import annotations

import socket

import httpx

from bot.fakes.telegram import text_update
from bot.telegram_io.webhook import SECRET_HEADER
from tests.logwatch import secret

from .conftest import BotProcess, FakeApi

SECRET = secret("e2e_secret-token")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_webhook_mode(fake_api: FakeApi, bot: BotProcess) -> None:
    port = free_port()
    bot.start(
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )
    set_webhook = bot.wait(
        lambda: [c for c in fake_api.calls() if c["method"] == "setWebhook"], "setWebhook"
    )
    assert set_webhook[0]["params"]["url"] == "https://bot.example.org/telegram"
    assert set_webhook[0]["params"]["secret_token"] == SECRET

    update = text_update(
        1005, "/start", update_id=777, entities=[{"type": "bot_command", "offset": 0, "length": 6}]
    )
    url = f"http://127.0.0.1:{port}/telegram"
    with httpx.Client(timeout=10) as client:
        assert client.post(url, content=update.to_json()).status_code == 403
        wrong = {SECRET_HEADER: "not-the-secret"}
        assert client.post(url, content=update.to_json(), headers=wrong).status_code == 403
        right = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}
        assert client.post(url, content=update.to_json(), headers=right).status_code == 200
    assert bot.row(777) is not None  # stored before the 200
    bot.wait(lambda: bot.processed(777), "the webhook update handled")
    assert len(fake_api.replies(1005)) == 1
    assert bot.terminate() == 0
