"""The privacy check over the whole test suite: no private data in any log line at INFO+.

tests/conftest.py installs :data:`WATCH` on the root logger for the session. It sees every
record at INFO or above from every logger, rewritten by bot.logsafety's filter as the
bot's own log is (on a copy: other handlers, caplog's included, get the original), and
the log files of the bots that end-to-end tests run as subprocesses (:func:`log_file`).
At the end of the session none may contain:

* a secret: the fake Bot API's token, and each one a test declares with :func:`secret`;
* the name, username or phone number the update factories give every worker
  (bot.fakes.telegram.WORKER_*);
* a text a worker typed in a test (:func:`typed`: Chat.send, the e2e FakeApi.send, the
  runner tests' push_text), when it is long enough to be unmistakable.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from bot.fakes.telegram import WORKER_NAME, WORKER_PHONE, WORKER_USERNAME, FakeTelegram
from bot.logsafety import PrivacyFilter

__all__ = ["WATCH", "LogWatch", "log_file", "secret", "typed"]

# Shorter texts ("?", "1286", "NSSF") could turn up in a log line by coincidence.
_MIN_TYPED = 10


class LogWatch(logging.Handler):
    """Keeps every record at INFO+ as the bot's log would write it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        self.addFilter(PrivacyFilter())
        self.lines: list[str] = []
        self.markers: dict[str, str] = {  # marker -> what it is
            FakeTelegram().token: "the fake Bot API's token",
            WORKER_NAME: "a worker's name",
            WORKER_USERNAME: "a worker's username",
            WORKER_PHONE: "a worker's phone number",
            WORKER_PHONE.removeprefix("+855"): "a worker's phone number",
        }
        self._guard = threading.Lock()

    def handle(self, record: logging.LogRecord) -> bool:
        """Filter and keep a copy: the filter rewrites records in place."""
        return bool(super().handle(logging.makeLogRecord(record.__dict__)))

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the formatted line."""
        line = self.format(record)
        with self._guard:
            self.lines.append(line)

    def add(self, marker: str, what: str) -> None:
        """One more text that must never be logged."""
        with self._guard:
            self.markers.setdefault(marker, what)

    def leaks(self) -> list[str]:
        """One line per marker found in the log: what it is and the line it is in."""
        with self._guard:
            text = "\n".join(self.lines)
            markers = dict(self.markers)
        found = []
        for marker, what in markers.items():
            at = text.find(marker)
            if at >= 0:
                start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at)
                line = text[start : end if end >= 0 else None]
                found.append(f"{what} ({marker[:40]!r}) in: {line[:300]}")
        return found


WATCH = LogWatch()


def secret(value: str) -> str:
    """Declare a token or secret a test uses; return it."""
    WATCH.add(value, "a secret")
    return value


def typed(text: str) -> str:
    """Declare a text a worker typed in a test; return it."""
    if len(text.strip()) >= _MIN_TYPED and not text.startswith("/") and re.search(r"\w", text):
        WATCH.add(text, "a text a worker typed")
    return text


def log_file(path: Path) -> None:
    """Take in the log of a bot subprocess (``nssf-bot run`` logs at INFO and above)."""
    if not path.exists():
        return
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    with WATCH._guard:
        WATCH.lines.extend(f"[{path.name}] {line}" for line in lines)
