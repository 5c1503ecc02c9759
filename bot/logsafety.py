"""Keep workers' names, messages and phone numbers, and bot tokens, out of the log.

:class:`PrivacyFilter`, installed on a handler with :func:`install` (``nssf-bot run`` does
it for its log), rewrites records before they are written:

* python-telegram-bot lines that dump data: when one update of a ``getUpdates`` batch
  fails to parse, ``Bot.get_updates`` logs the whole batch at CRITICAL (names, usernames
  and texts of other workers included; the runner fetches raw JSON, so this stays as a
  guard for any other caller); when a context can't be built it logs the update.
  The data is replaced by a count or an update id, and the exception by its type (its
  message may quote the data);
* every other line, its traceback included: bot tokens (``123456:ABC…``, also inside
  URLs) become ``[token]`` and phone numbers ``[number]``.

Workers' names and texts have no other way into the log: the bot's own lines give update
and user ids only, and database errors hide their parameters (bot/db.py). The test suite
checks that (tests/logwatch.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.redact import redact_phones

__all__ = ["PrivacyFilter", "install"]

# BotFather tokens: the bot's id, a colon, 35 characters (at least 20, to be safe).
_TOKEN = re.compile(r"(?<![0-9])[0-9]{3,}:[A-Za-z0-9_-]{20,}")

_PARSE_ERROR = "Error while parsing updates! Received data was %r"
_CONTEXT_ERROR = "Error while building CallbackContext for update %s"


def _scrub(text: str) -> str:
    return redact_phones(_TOKEN.sub("[token]", text))


def _summary(data: Any) -> str:
    """What a dumped getUpdates batch was, without its content: how many, which ids."""
    if isinstance(data, list):
        ids = [item.get("update_id") for item in data if isinstance(item, dict)]
        return f"{len(data)} updates, ids {ids}"
    return type(data).__name__


class PrivacyFilter(logging.Filter):
    """Rewrites records so that no private data reaches the handler's output."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record, rewritten; never raise (a bad record is still logged)."""
        try:
            self._rewrite(record)
        except Exception:  # a record we can't format: keep its template only
            record.msg, record.args = f"(unformattable log record) {record.msg!s:.200}", ()
            record.exc_info, record.exc_text = None, None
        return True

    def _rewrite(self, record: logging.LogRecord) -> None:
        template = str(record.msg)
        if record.name.startswith("telegram") and template.startswith(
            (_PARSE_ERROR, _CONTEXT_ERROR)
        ):
            self._withhold(record, template)
        message = record.getMessage()
        scrubbed = _scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = _scrub(record.stack_info)

    @staticmethod
    def _withhold(record: logging.LogRecord, template: str) -> None:
        """Replace the dumped data with a summary, and the exception with its type."""
        args = record.args if isinstance(record.args, tuple) else (record.args,)
        error = record.exc_info[1] if record.exc_info else None
        cause = f" ({type(error).__name__})" if error is not None else ""
        if template.startswith(_PARSE_ERROR):
            summary = _summary(args[0]) if args else "?"
            record.msg = f"Error while parsing updates{cause}: {summary}; data withheld"
        else:
            update_id = getattr(args[0], "update_id", "?") if args else "?"
            record.msg = f"Error while building CallbackContext for update {update_id}{cause}"
        record.args = ()
        record.exc_info, record.exc_text = None, None


def install(handler: logging.Handler) -> None:
    """Add the privacy filter to ``handler`` (once)."""
    if not any(isinstance(f, PrivacyFilter) for f in handler.filters):
        handler.addFilter(PrivacyFilter())
