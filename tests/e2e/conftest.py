"""End-to-end fixtures: the fake Bot API server and ``nssf-bot`` as real subprocesses.

Every wait is bounded, and every process a test starts is killed when the test ends.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.settings import Settings
from tests.logwatch import log_file, secret, typed

TOKEN = secret("123:TEST")
START_TIMEOUT = 20.0
WAIT_TIMEOUT = 30.0


def nssf_bot_command() -> list[str]:
    """The installed ``nssf-bot`` script beside this Python, else ``python -m bot.cli``."""
    script = Path(sys.executable).with_name("nssf-bot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any bot setting of the developer's, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key.lower() not in Settings.model_fields and not key.startswith("NSSF_BOT_")
    }
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


def stop_process(process: subprocess.Popen[Any]) -> None:
    """Kill a process if it still runs, reap it, close its pipes."""
    if process.poll() is None:
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):  # SIGKILL works; don't hang anyway
        process.wait(timeout=10)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def wait_until(
    check: Callable[[], Any],
    what: str,
    timeout: float = WAIT_TIMEOUT,
    diagnose: Callable[[], str] = lambda: "",
) -> Any:
    """Poll ``check`` until it returns something true; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{diagnose()}")
        time.sleep(0.05)


class FakeApi:
    """The fake Bot API server subprocess, and the user's side of it over HTTP."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)

    @property
    def api_url(self) -> str:
        """TELEGRAM_API_URL for the bot."""
        return f"http://127.0.0.1:{self.port}/bot"

    def send(self, user_id: int, text: str) -> int:
        """The user writes to the bot; returns the update id."""
        typed(text)
        response = self.http.post("/_test/send_message", json={"user_id": user_id, "text": text})
        response.raise_for_status()
        return int(response.json()["update_id"])

    def calls(self) -> list[dict[str, Any]]:
        """Every Bot API call the bot made so far."""
        return list(self.http.get("/_test/calls").json())

    def replies(self, chat_id: int) -> list[str]:
        """The texts the bot sent to a chat (sendMessage calls), in order."""
        return [
            call["params"]["text"]
            for call in self.calls()
            if call["method"] == "sendMessage" and call["params"].get("chat_id") == chat_id
        ]

    def pending(self) -> list[int]:
        """Update ids not yet confirmed by the bot's getUpdates offset."""
        return list(self.http.get("/_test/pending").json())


@pytest.fixture
def fake_api() -> Iterator[FakeApi]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.fakes.server", "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=clean_env(),
    )
    try:
        assert process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout=START_TIMEOUT):
                pytest.fail("the fake Bot API server did not start")
        line = process.stdout.readline()
        assert line.startswith("listening on http://127.0.0.1:"), line
        api = FakeApi(process, int(line.rsplit(":", 1)[1]))
        yield api
        api.http.close()
    finally:
        stop_process(process)


class BotProcess:
    """``nssf-bot run`` against the fake API, restartable, with its log kept on disk."""

    def __init__(self, api: FakeApi, workdir: Path) -> None:
        self.api = api
        self.workdir = workdir
        self.database = workdir / "bot.sqlite3"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, **extra_env: str) -> None:
        """Start the bot (in the background)."""
        assert self.process is None or self.process.poll() is not None
        self.starts += 1
        env = clean_env(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=self.api.api_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{self.database}",
            **extra_env,
        )
        log = (self.workdir / f"bot-{self.starts}.log").open("wb")
        # cwd: the test's folder, so a developer's ./.env is not read.
        self.process = subprocess.Popen(
            [*nssf_bot_command(), "run"],
            cwd=self.workdir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last words."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM, as `docker stop` sends; returns the exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout)

    def logs(self) -> str:
        """Every run's log and the calls the bot made, for failure messages."""
        calls = [(call["method"], call["params"].get("chat_id")) for call in self.api.calls()]
        parts = [f"calls: {calls}", f"pending: {self.api.pending()}"]
        for path in sorted(self.workdir.glob("bot-*.log")):
            parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def row(self, update_id: int) -> dict[str, Any] | None:
        """The update's inbound_updates row, read with the sqlite3 module."""
        if not self.database.exists():
            return None
        with sqlite3.connect(self.database, timeout=5) as connection:
            connection.row_factory = sqlite3.Row
            try:
                found = connection.execute(
                    "SELECT * FROM inbound_updates WHERE update_id = ?", (update_id,)
                ).fetchone()
            except sqlite3.OperationalError:  # the table is not created yet
                return None
        return dict(found) if found else None

    def processed(self, update_id: int) -> bool:
        """Whether the bot stored and fully handled the update, and the sender delivered
        everything in the outbox (the update's replies with the rest)."""
        row = self.row(update_id)
        return bool(row and row["processed_at"]) and self.outbox_empty()

    def outbox_empty(self) -> bool:
        """Whether no outbox row is waiting or in flight."""
        with sqlite3.connect(self.database, timeout=5) as connection:
            try:
                waiting = connection.execute(
                    "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
                ).fetchone()[0]
            except sqlite3.OperationalError:  # the table is not created yet
                return False
        return int(waiting) == 0

    def wait(self, check: Callable[[], Any], what: str, timeout: float = WAIT_TIMEOUT) -> Any:
        """wait_until, showing the bot's log and the calls on failure."""
        assert self.process is not None
        process = self.process

        def checked() -> Any:
            if process.poll() is not None:
                pytest.fail(f"the bot exited ({process.returncode})\n{self.logs()}")
            return check()

        return wait_until(checked, what, timeout, diagnose=self.logs)


@pytest.fixture
def bot(fake_api: FakeApi, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(fake_api, tmp_path)
    try:
        yield process
    finally:
        if process.process is not None:
            stop_process(process.process)
        for path in sorted(tmp_path.glob("bot-*.log")):  # checked at the end of the session
            log_file(path)
