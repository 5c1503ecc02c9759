"""One sender for the whole bot, however many replicas run: who sends is decided here.

The global rate (about 30 messages a second, bulk included) is Telegram's limit for the
bot's token, not for one process. Two replicas that each paced themselves to it would
together send twice too fast and earn 429s for everybody. So on PostgreSQL exactly one
process sends at a time: the one that holds a session-level advisory lock, taken on a
connection of its own that stays open while it sends. Every replica keeps handling
updates (handlers only write to the outbox, which all replicas share); the others try
the lock again every ``retry_every`` seconds.

When the holder dies, PostgreSQL closes its connection and with it frees the lock; the
next replica to try takes it, records the rows the dead one had in flight (outcome
unknown: bulk rows are not resent, replies once more; see sender.py) and sends the rest.
The holder checks its lock connection every ``check_every`` seconds and stops sending
when that connection is gone (a network cut, a restarted database, an administrator's
``pg_terminate_backend``): it no longer holds the lock, so another replica may.

Why a session lock and not a row with a lease time: the database ends a session the
moment its process or connection dies, with no clock and no lease length to tune, and no
write per renewal. The price is a connection kept open per replica while it holds it.

SQLite is single-process by design (one file, one writer); there the sender just runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.telegram_io.support import sleep_unless_stopped

if TYPE_CHECKING:
    from bot.db import Database
    from bot.telegram_io.sender import Sender

__all__ = ["LOCK_KEY", "LeaseOptions", "send_exclusively"]

log = logging.getLogger(__name__)

# The advisory lock's key: "nssfsend" as a 64-bit integer. Advisory locks belong to one
# database, so two bots on two databases of one server do not share it.
LOCK_KEY = int.from_bytes(b"nssfsend", "big")


@dataclass(frozen=True, slots=True)
class LeaseOptions:
    """Timings of the sender lock; the defaults suit production."""

    retry_every: float = 5.0  # a replica without the lock tries again this often
    check_every: float = 2.0  # the holder checks that its lock connection lives
    check_timeout: float = 5.0  # a check that takes longer counts as a lost connection


async def send_exclusively(
    sender: Sender,
    database: Database,
    stop: asyncio.Event,
    options: LeaseOptions | None = None,
) -> None:
    """Run ``sender`` until ``stop``, but on PostgreSQL only while holding the lock."""
    if database.dialect != "postgresql":
        await sender.run(stop)
        return
    options = options or LeaseOptions()
    told_waiting = False
    while not stop.is_set():
        held = False
        try:
            connection = await database.engine.connect()
        except Exception as exc:
            log.warning(
                "cannot reach the database for the sender lock (%s); retrying in %.0f s",
                type(exc).__name__,
                options.retry_every,
            )
            await sleep_unless_stopped(options.retry_every, stop)
            continue
        try:
            # Autocommit: the connection must not sit idle in a transaction for hours.
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            held = bool(await connection.scalar(sa.select(sa.func.pg_try_advisory_lock(LOCK_KEY))))
            if held:
                told_waiting = False
                log.info("this process holds the sender lock: it delivers the outbox")
                await _send_while_held(sender, connection, stop, options)
            elif not told_waiting:
                told_waiting = True
                log.info(
                    "another process holds the sender lock; this one handles updates and "
                    "tries the lock every %.0f s",
                    options.retry_every,
                )
        except Exception:
            log.exception("the sender lock failed; retrying in %.0f s", options.retry_every)
        finally:
            # Closed, not returned to the pool: closing the session is what frees a
            # session-level lock, whatever state the connection is in.
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()
            if held:
                log.info("this process no longer holds the sender lock")
        await sleep_unless_stopped(options.retry_every, stop)


async def _send_while_held(
    sender: Sender, connection: AsyncConnection, stop: asyncio.Event, options: LeaseOptions
) -> None:
    """Run the sender until ``stop``, or until the lock's connection is lost."""
    # Another process may have sent, and crashed with rows in flight, since this one
    # last held the lock: start from the database, recovery included.
    sender.restart()
    halt = asyncio.Event()
    sending = asyncio.create_task(sender.run(halt), name="sender")
    stopping = asyncio.create_task(stop.wait(), name="sender-stop")
    try:
        while True:
            done, _ = await asyncio.wait(
                {sending, stopping},
                timeout=options.check_every,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if done:
                break
            try:
                await asyncio.wait_for(connection.scalar(sa.select(1)), options.check_timeout)
            except Exception as exc:
                log.error(
                    "the sender lock's connection is lost (%s): this process stops sending, "
                    "another may take over",
                    type(exc).__name__,
                )
                break
    finally:
        stopping.cancel()
        halt.set()
        await sending  # lets the requests in flight finish and records them
