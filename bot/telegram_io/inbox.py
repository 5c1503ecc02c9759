"""The inbox of raw Telegram updates (table ``inbound_updates``), stored before handling.

An update is stored here, in a committed transaction, before it is confirmed to Telegram
(polling: before the offset moves past it; webhook: before the 200 reply). It is marked
processed only after the application has handled it, so an update whose handler was cut
short by a crash is handled again at the next start: delivery is at least once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import rowcount
from bot.models import InboundUpdate, OutboundMessage, utcnow

if TYPE_CHECKING:
    from bot.db import Database

__all__ = ["Inbox", "RawUpdate", "StoredUpdate", "chat_of"]


_UPDATES = InboundUpdate.__table__.c
# Built once (a statement keeps its cache key): executed with one row per update.
_MARK_PROCESSED = (
    sa.update(InboundUpdate)
    .where(InboundUpdate.update_id == sa.bindparam("done_id"))
    .values(
        processed_at=sa.bindparam("now", type_=_UPDATES.processed_at.type),
        last_error=sa.bindparam("error", type_=sa.Text()),
        payload="",
    )
)


@dataclass(frozen=True, slots=True)
class RawUpdate:
    """One update as received: its id and its JSON text."""

    update_id: int
    payload: str


@dataclass(frozen=True, slots=True)
class StoredUpdate:
    """An update waiting in the inbox, with how often its handling was started."""

    update_id: int
    payload: str
    attempts: int


def chat_of(payload: str) -> int | None:
    """The chat an update's JSON comes from (its user's id if it names no chat), or None."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        for holder in (value, value.get("message")):
            if isinstance(holder, dict):
                chat = holder.get("chat")
                if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                    return int(chat["id"])
        user = value.get("from") or value.get("user")
        if isinstance(user, dict) and isinstance(user.get("id"), int):
            return int(user["id"])
    return None


class Inbox:
    """Store, list, mark and prune updates; every method commits its own transaction."""

    def __init__(self, database: Database) -> None:
        self._database = database
        # Chats of the updates stored since the processor last asked (see arrivals()).
        self._arrived: set[int | None] = set()
        dialect = database.engine.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"unsupported database dialect: {dialect}")
        self._insert: Any = sqlite.insert if dialect == "sqlite" else postgresql.insert

    async def store(self, updates: Sequence[RawUpdate]) -> None:
        """Insert the updates; one already stored (a redelivery) is left as it is."""
        if not updates:
            return
        now = utcnow()
        chats = [chat_of(u.payload) for u in updates]
        rows = [
            {
                "update_id": u.update_id,
                "payload": u.payload,
                "chat_id": chat_id,
                "received_at": now,
                "attempts": 0,
            }
            for u, chat_id in zip(updates, chats, strict=True)
        ]
        statement = self._insert(InboundUpdate).on_conflict_do_nothing(
            index_elements=["update_id"]
        )
        async with self._database.transaction() as session:
            await session.execute(statement, rows)
        self._arrived.update(chats)

    @property
    def database(self) -> Database:
        """The database the updates are stored in."""
        return self._database

    def arrivals(self) -> set[int | None]:
        """The chats this inbox stored updates of since the last call (in this process).

        The processor looks at them between updates: a chat it has not seen lately makes
        it plan its round again, so a worker's one question does not wait for the rest of
        a round planned before it arrived.
        """
        arrived, self._arrived = self._arrived, set()
        return arrived

    async def unprocessed(self, limit: int = 100) -> list[StoredUpdate]:
        """The oldest updates not yet processed, in update_id order."""
        query = (
            sa.select(InboundUpdate.update_id, InboundUpdate.payload, InboundUpdate.attempts)
            .where(InboundUpdate.processed_at.is_(None))
            .order_by(InboundUpdate.update_id)
            .limit(limit)
        )
        async with self._database.transaction() as session:
            result = await session.execute(query)
            return [StoredUpdate(row[0], row[1], row[2]) for row in result]

    async def waiting(self, limit: int = 1000, per_chat: int = 50) -> list[tuple[int, int | None]]:
        """(update_id, chat_id) of the oldest ``per_chat`` unprocessed updates of every
        chat, at most ``limit`` in all: every chat's first update, then every chat's
        second, and so on (each in update_id order).

        Per chat, not overall: a chat whose one update came after another chat's flood of
        thousands must still be seen (the processor takes the lightest chats first).
        """
        position = (
            sa.func.row_number()
            .over(partition_by=InboundUpdate.chat_id, order_by=InboundUpdate.update_id)
            .label("position")
        )
        heads = (
            sa.select(InboundUpdate.update_id, InboundUpdate.chat_id, position)
            .where(InboundUpdate.processed_at.is_(None))
            .subquery()
        )
        query = (
            sa.select(heads.c.update_id, heads.c.chat_id)
            .where(heads.c.position <= per_chat)
            .order_by(heads.c.position, heads.c.update_id)
            .limit(limit)
        )
        async with self._database.transaction() as session:
            return [(row[0], row[1]) for row in await session.execute(query)]

    async def fetch(self, update_ids: Sequence[int]) -> list[StoredUpdate]:
        """These unprocessed updates, in the order asked for (processed ones left out)."""
        query = sa.select(
            InboundUpdate.update_id, InboundUpdate.payload, InboundUpdate.attempts
        ).where(InboundUpdate.update_id.in_(update_ids), InboundUpdate.processed_at.is_(None))
        async with self._database.transaction() as session:
            found = {
                row[0]: StoredUpdate(row[0], row[1], row[2])
                for row in await session.execute(query)
            }
        return [found[update_id] for update_id in update_ids if update_id in found]

    async def answered(self, update_id: int) -> bool:
        """Whether handling the update already put messages in the outbox (and committed)."""
        query = sa.select(OutboundMessage.id).where(OutboundMessage.update_id == update_id)
        async with self._database.transaction() as session:
            return (await session.scalar(query.limit(1))) is not None

    async def begin_attempt(self, update_id: int) -> None:
        """Count one more attempt, committed before handling starts (crash-loop guard)."""
        statement = (
            sa.update(InboundUpdate)
            .where(InboundUpdate.update_id == update_id)
            .values(attempts=InboundUpdate.attempts + 1)
        )
        async with self._database.transaction() as session:
            await session.execute(statement)

    async def mark_processed(self, done: Sequence[tuple[int, str | None]]) -> None:
        """Record that updates were handled: (update_id, why it was given up or None).

        The payload (the worker's message, name and username, as Telegram sent them) is
        blanked whatever happened: it was needed only until handling. Of an update that
        was given up (unreadable, crashing) only the reason stays, in ``last_error``. On
        SQLite, :meth:`checkpoint` then takes the old text out of the WAL file.
        """
        now = utcnow()
        rows = [{"done_id": update_id, "error": error, "now": now} for update_id, error in done]
        async with self._database.transaction() as session:
            # One executemany statement; rows are plain parameters, not ORM objects.
            connection = await session.connection()
            await connection.execute(_MARK_PROCESSED, rows)

    async def checkpoint(self) -> bool:
        """Take blanked payloads out of SQLite's WAL file (see Database.checkpoint)."""
        return await self._database.checkpoint()

    async def prune(self, keep: dt.timedelta) -> int:
        """Delete updates processed more than ``keep`` ago; return how many."""
        statement = sa.delete(InboundUpdate).where(InboundUpdate.processed_at < utcnow() - keep)
        async with self._database.transaction() as session:
            result = await session.execute(statement)
            removed = rowcount(result)
        await self.checkpoint()
        return removed
