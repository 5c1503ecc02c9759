"""The outbox: what the bot owes each chat, written in the transaction that decided it.

A handler does not call Telegram. It opens one transaction, lets a service change state
and decide what to say, and puts the messages here **in that same transaction**, together
with the mark that the update was handled::

    async with context.database.transaction() as session:
        reply = await questions.ask(session, ...)
        await context.outbox.put(session, Outgoing.reply(chat_id, reply), update_id=...)

Either both are committed or neither is: a crash before the commit leaves the update
unhandled (it is handled again, nothing was sent), a crash after it leaves the messages
in the outbox (the sender delivers them). The sender (sender.py) is woken after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.models import InboundUpdate, OutboundMessage, utcnow
from bot.services.replies import Reply
from bot.telegram_io.render import render_json

__all__ = ["Outbox", "Outgoing", "Priority", "outbox_report"]

_OUTBOX = cast(sa.Table, OutboundMessage.__table__)
# Built once, executed with each call's rows: a statement keeps its cache key, which
# SQLAlchemy would otherwise work out again for every reply.
_INSERT = sa.insert(_OUTBOX)


class Priority(IntEnum):
    """Who waits for a message: a worker in the chat first, then staff, then bulk."""

    INTERACTIVE = 0
    STAFF = 1
    BULK = 2
    # A paid broadcast (allow_paid_broadcast): bulk, but paced by Pacing.paid_rate
    # outside the global budget, as Telegram allows (issue #9).
    PAID = 3


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API call to make: method, chat, parameters (JSON values), priority."""

    chat_id: int
    method: str
    params: Mapping[str, Any] = field(default_factory=dict)
    priority: Priority = Priority.INTERACTIVE
    fallback: str | None = None  # "send": an edit whose message is gone is sent anew
    ref: str | None = None

    @classmethod
    def reply(
        cls,
        chat_id: int,
        reply: Reply,
        *,
        priority: Priority = Priority.INTERACTIVE,
        thread_id: int | None = None,
        ref: str | None = None,
    ) -> Outgoing:
        """The reply as a new message."""
        params = _reply_params(reply)
        if thread_id is not None:
            params["message_thread_id"] = thread_id
        return cls(chat_id, "sendMessage", params, priority, ref=ref)

    @classmethod
    def edit(cls, chat_id: int, message_id: int, reply: Reply) -> Outgoing:
        """The reply in place of message ``message_id``; sent anew if that is gone."""
        params = _reply_params(reply)
        params["message_id"] = message_id
        return cls(chat_id, "editMessageText", params, fallback="send")

    @classmethod
    def command_menu(cls, chat_id: int, commands: list[dict[str, str]]) -> Outgoing:
        """The command menu for this one chat (a worker who chose another language than
        their Telegram app's sees the menu in the language the bot speaks to them)."""
        return cls(chat_id, "setMyCommands", {"commands": commands})

    @classmethod
    def remove_buttons(cls, chat_id: int, message_id: int) -> Outgoing:
        """Take the inline keyboard off a message (so a button can't be tapped twice)."""
        return cls(chat_id, "editMessageReplyMarkup", {"message_id": message_id})


def _reply_params(reply: Reply) -> dict[str, Any]:
    text, markup = render_json(reply)
    params: dict[str, Any] = {"text": text}
    if markup is not None:
        params["reply_markup"] = markup
    return params


class Outbox:
    """Writes outgoing messages into the caller's transaction; wakes the sender after."""

    def __init__(self, notify: Callable[[], None] | None = None) -> None:
        self._notify = notify

    async def put(
        self, session: AsyncSession, *items: Outgoing, update_id: int | None = None
    ) -> None:
        """Add the messages to the transaction, and the update's handled mark with them.

        ``update_id``: the inbound update whose handling produced these messages. The rows
        carry it, which is the mark: the runner never handles again an update that has
        rows here (bot/telegram_io/runner.py), so a crash can neither lose the messages
        nor let the update be answered twice. With no messages, the update is marked
        processed directly.
        """
        now = utcnow()
        rows = [_row(item, now, update_id) for item in items]
        if rows:
            await session.execute(_INSERT, rows)
        elif update_id is not None:
            await session.execute(
                sa.update(InboundUpdate)
                .where(InboundUpdate.update_id == update_id)
                .where(InboundUpdate.processed_at.is_(None))
                .values(processed_at=now, payload="", last_error=None)
            )
        if rows:
            self._wake_after_commit(session)

    async def put_returning_ids(self, session: AsyncSession, items: list[Outgoing]) -> list[int]:
        """Add the messages to the transaction; their row ids, in order.

        For a producer that keeps its own ledger of what it put here (broadcasts: each
        delivery row remembers its outbox row, to read the outcome back).
        """
        if not items:
            return []
        now = utcnow()
        statement = sa.insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)
        result = await session.execute(statement, [_row(item, now, None) for item in items])
        self._wake_after_commit(session)
        return [row[0] for row in result]

    def _wake_after_commit(self, session: AsyncSession) -> None:
        """Wake the sender once the caller's transaction commits (Database.transaction)."""
        if self._notify is not None:
            callbacks = session.info.setdefault("after_commit", [])
            if self._notify not in callbacks:
                callbacks.append(self._notify)


def _row(item: Outgoing, now: dt.datetime, update_id: int | None) -> dict[str, Any]:
    """The outbox row of one message."""
    return {
        "chat_id": item.chat_id,
        "priority": int(item.priority),
        "method": item.method,
        "params": dict(item.params),
        "fallback": item.fallback,
        "status": "pending",
        "attempts": 0,
        "unknown": 0,
        "created_at": now,
        "next_attempt_at": now,
        "ref": item.ref,
        "update_id": update_id,
    }


async def outbox_report(database: Database) -> list[str]:
    """Lines for ``nssf-bot outbox``: rows per status and priority, the oldest waiting."""
    c = _OUTBOX.c
    async with database.transaction() as session:
        counts = (
            await session.execute(
                sa.select(c.status, c.priority, sa.func.count()).group_by(c.status, c.priority)
            )
        ).all()
        oldest = await session.scalar(
            sa.select(sa.func.min(c.created_at)).where(c.status.in_(("pending", "sending")))
        )
    table: dict[str, dict[int, int]] = {}
    for status, priority, count in counts:
        table.setdefault(status, {})[priority] = count
    names = [priority.name.lower() for priority in Priority]
    lines = [f"{'status':10}" + "".join(f"{name:>13}" for name in names)]
    for status in ("pending", "sending", "sent", "failed", "unknown", "dropped"):
        row = table.get(status, {})
        lines.append(f"{status:10}" + "".join(f"{row.get(p, 0):13d}" for p in Priority))
    if oldest is not None:
        age = (utcnow() - oldest).total_seconds()
        lines.append(f"oldest message waiting: {age:.0f} s")
    else:
        lines.append("nothing waiting")
    return lines
