"""Durable update intake: store every update before confirming it, then handle it.

PTB's built-in polling confirms an update to Telegram when it fetches the next batch,
which can happen while the update's handler is still running; a SIGKILL at that moment
loses the worker's question for good. This runner polls with ``get_updates`` itself:

1. the poller fetches a batch and stores it in ``inbound_updates`` (committed) before the
   next ``getUpdates`` moves the offset past it, which is what confirms it to Telegram;
2. the processor hands stored, unprocessed updates to ``Application.process_update`` one
   at a time, each chat's in update_id order, chats taken fairly (below), and marks each
   processed once its handlers are done. A handler that replies marks its update in its
   own transaction, together with the reply in the outbox (outbox.py), so a crash can
   neither lose the reply nor make the update be answered twice.

Fairness: of the oldest waiting updates, the processor takes first those of the chats
that had the fewest updates handled in the last half minute (and, within a chat, the
oldest first); among chats equal so far, the one with fewer updates waiting. A round is
planned from what is stored; when an update of a chat not seen lately is stored during a
round, the round is cut short (after at least ``replan_after`` updates) and planned again.
A worker asking one question while 200 others flood the bot is handled within a few
updates, not after the round, let alone the flood. The processor also tells the sender
how many updates each chat still has waiting (:meth:`Processor.backlog`), so that the
sender too puts a worker with one question before chats with many.

Handling is one update at a time on purpose: a handler only touches the database (it
never waits for Telegram; the sender does), so ``concurrent_updates`` would buy little
besides contention for SQLite's single writer, and would give up the per-chat order.
What a backlog does get is group commit: up to ``group_size`` waiting messages of
different private chats, one after the other, share one transaction and one commit
(:meth:`Processor.handle_group`); one that fails sends the whole group back to be
handled one update per transaction.

At start-up the processor first handles whatever was stored but not processed (in flight
at a crash). An update whose handler was cut short is handled again: a reply is never
lost, and at most the sends in flight at a crash are repeated. Webhook mode (webhook.py)
feeds the same inbox.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as dt
import json
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.error import (
    Conflict,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot

from bot.telegram_io.inbox import Inbox, RawUpdate, StoredUpdate
from bot.telegram_io.lease import LeaseOptions, send_exclusively
from bot.telegram_io.support import (
    AnyApplication,
    Backoff,
    retry_after_seconds,
    sleep_unless_stopped,
    until_stopped,
)

if TYPE_CHECKING:
    from bot.db import Database
    from bot.telegram_io.sender import Sender
    from bot.telegram_io.webhook import WebhookConfig

__all__ = ["Processor", "RunnerOptions", "poll", "run", "running"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunnerOptions:
    """Timings of the runner; the defaults suit production."""

    poll_timeout: int = 10  # seconds Telegram holds a getUpdates open when idle
    backoff_first: float = 1.0
    backoff_max: float = 30.0
    keep_processed: dt.timedelta = dt.timedelta(days=7)
    prune_every: float = 3600.0
    # Attempts that never finished (the process died each time): then skip the update, so
    # one poisonous update cannot keep the bot in a crash loop.
    max_attempts: int = 5
    # Processed marks committed together under load (see Processor).
    mark_every: int = 20
    # Group commit under load: at most this many waiting messages of different private
    # chats handled in one transaction (see Processor); 1 turns it off. A group is
    # committed early once its handling took ``group_time`` seconds (the first update's
    # reply waits for the group's commit).
    group_size: int = 8
    group_time: float = 0.02
    # Fairness: how many waiting updates are looked at, how many are taken per round, and
    # how long a chat's handled updates count against it.
    lookahead: int = 1000
    round_size: int = 50
    fairness_window: float = 30.0
    # A chat not seen lately whose update arrives mid-round: plan again once at least
    # this many updates of the round are done (planning reads the waiting updates).
    replan_after: int = 5
    # Test-only (NSSF_BOT_TEST_DELAY_AFTER_STORE): pause before handling each stored
    # update, so an end-to-end test can kill the bot while an update is in flight.
    delay_after_store: float = 0.0


# --- processing -------------------------------------------------------------------------


class Processor:
    """Hands stored updates to the application, oldest first, one at a time.

    It starts careful, for the backlog found at start-up (what was in flight at a crash):
    each attempt is committed before the handlers run, so an update that kills the process
    every time is recognised, and skipped after ``max_attempts``. Once the backlog is done
    it goes fast: no attempt is written, and processed marks are committed in groups (every
    ``mark_every`` updates and at the end of each batch; at once when the bot is idle).
    Under load that saves two commits per update; the price is that a crash may re-send
    the replies to the last few updates, which at-least-once delivery allows anyway.
    When fast, messages of different private chats that come in a row in the plan are
    also handled in groups (:meth:`handle_group`), one commit for each group.
    """

    def __init__(
        self,
        application: AnyApplication,
        inbox: Inbox,
        options: RunnerOptions,
        *,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._application = application
        self._inbox = inbox
        self._options = options
        self._clock = clock
        self._careful = True
        self._done: list[tuple[int, str | None]] = []  # handled, mark not committed yet
        self._grouping = False  # inside handle_group: marks go with the group's commit
        # Chat -> times its updates were taken in the last fairness window.
        self._recent: dict[int, collections.deque[float]] = {}
        # Chat -> its updates waiting, as of the last plan less those handled since.
        self._waiting: dict[int, int] = {}

    def backlog(self, chat_id: int) -> int:
        """How many of the chat's updates are stored and not yet handled (as far as the
        last plan looked: at most ``round_size``). The sender adds it to a chat's load."""
        return self._waiting.get(chat_id, 0)

    async def drain(self, stop: asyncio.Event | None = None) -> int:
        """Handle every stored, unprocessed update; return how many were handled."""
        handled = 0
        try:
            await self._flush()  # marks left over from a failed drain
            while stop is None or not stop.is_set():
                batch = await self._fair_batch()
                if not batch:
                    self._careful = False  # the start-up backlog is done
                    self._waiting.clear()
                    break
                done = 0
                while done < len(batch):
                    if stop is not None and stop.is_set():
                        break
                    group = self._group(batch, done)
                    if len(group) > 1:
                        taken = await self.handle_group(group)
                    else:
                        self._taken(group[0][1])
                        await self.handle(group[0][0])
                        taken = 1
                    done += taken
                    handled += taken
                    if done >= self._options.replan_after and self._newcomer_arrived():
                        break  # plan again: a chat not seen lately is waiting
                # Before fetching again, or handled updates would come back as unprocessed.
                await self._flush()
        finally:
            await self._flush()
        if handled:
            # Handled updates were blanked: take their old text out of SQLite's WAL too.
            await self._inbox.checkpoint()
        return handled

    async def _fair_batch(self) -> list[tuple[StoredUpdate, int | None]]:
        """The next updates to handle, with their chats: lightest chats first (handled
        lately, then waiting), each chat's in order."""
        self._inbox.arrivals()  # what arrived so far is in the plan
        waiting = await self._inbox.waiting(self._options.lookahead, self._options.round_size)
        if not waiting:
            return []
        now = self._clock()
        cutoff = now - self._options.fairness_window
        for seen in list(self._recent):
            times = self._recent[seen]
            while times and times[0] < cutoff:
                times.popleft()
            if not times:
                del self._recent[seen]
        backlog = collections.Counter(chat_id for _, chat_id in waiting)
        position: dict[int | None, int] = {}
        keyed = []
        for update_id, chat_id in waiting:
            index = position.get(chat_id, 0)
            position[chat_id] = index + 1
            recent = len(self._recent.get(chat_id, ())) if chat_id is not None else 0
            keyed.append((recent + index, backlog[chat_id], update_id, chat_id))
        keyed.sort()
        chosen = {
            update_id: chat_id for _, _, update_id, chat_id in keyed[: self._options.round_size]
        }
        self._waiting = {
            chat_id: count for chat_id, count in backlog.items() if chat_id is not None
        }
        fetched = await self._inbox.fetch(list(chosen))
        return [(stored, chosen[stored.update_id]) for stored in fetched]

    def _group(
        self, batch: list[tuple[StoredUpdate, int | None]], start: int
    ) -> list[tuple[StoredUpdate, int | None]]:
        """The updates from ``batch[start]`` on that can share one commit: in a row, each
        a message in a private chat, no chat twice, at most ``group_size``; else one."""
        if self._careful:
            return batch[start : start + 1]
        group: list[tuple[StoredUpdate, int | None]] = []
        chats: set[int] = set()
        for stored, chat_id in batch[start : start + self._options.group_size]:
            if chat_id is None or chat_id in chats or not _private_message(stored):
                break
            chats.add(chat_id)
            group.append((stored, chat_id))
        return group or batch[start : start + 1]

    async def handle_group(self, group: list[tuple[StoredUpdate, int | None]]) -> int:
        """Handle the updates in one transaction (Database.group), their processed marks
        and those still pending included; return how many were taken (the rest, if the
        group ran out of ``group_time``, go on to the next). If one fails, none of it is
        kept and each is handled again in a transaction of its own, as without grouping.

        Nothing of the group is sent before its commit (the sender is woken after it), so
        a crash or a failure before the commit loses nothing and repeats nothing.
        """
        began = self._clock()
        taken = 0
        earlier, self._done = self._done, []
        self._grouping = True
        try:
            async with self._inbox.database.group() as shared:
                for stored, chat_id in group:
                    self._taken(chat_id)
                    taken += 1
                    await self.handle(stored)
                    if shared.failed is not None:
                        break
                    if self._clock() - began >= self._options.group_time:
                        break  # commit what is done: its replies should not wait longer
                if shared.failed is None:
                    await self._inbox.mark_processed([*earlier, *self._done])
        except Exception as exc:
            log.warning(
                "a group of %d updates failed (%s); handling them one by one",
                taken,
                type(exc).__name__,
            )
            self._done = earlier
        except BaseException:
            self._done = earlier  # not committed: try again with the next
            raise
        else:
            self._done = []
            return taken
        finally:
            self._grouping = False
        # Carefully, as after a crash: a commit that failed may still have happened (a
        # connection lost during COMMIT), and then an update with replies in the outbox
        # must not be answered twice.
        careful, self._careful = self._careful, True
        try:
            for stored, _ in group[:taken]:
                await self.handle(stored)
        finally:
            self._careful = careful
        return taken

    def _taken(self, chat_id: int | None) -> None:
        """Count one update of the chat as handled now (fairness and backlog)."""
        if chat_id is None:
            return
        self._recent.setdefault(chat_id, collections.deque()).append(self._clock())
        left = self._waiting.get(chat_id, 0) - 1
        if left > 0:
            self._waiting[chat_id] = left
        else:
            self._waiting.pop(chat_id, None)

    def _newcomer_arrived(self) -> bool:
        """Whether an update of a chat not seen in the fairness window was stored since
        the round was planned (by the poller or the webhook, in this process)."""
        return any(
            chat_id is not None and chat_id not in self._recent
            for chat_id in self._inbox.arrivals()
        )

    async def handle(self, stored: StoredUpdate) -> None:
        """Process one stored update; its processed mark is committed now or with the next."""
        update_id = stored.update_id
        if stored.attempts >= self._options.max_attempts:
            log.error(
                "update %d: skipped after %d attempts that never finished",
                update_id,
                stored.attempts,
            )
            await self._mark(update_id, f"{stored.attempts} unfinished attempts")
            return
        if self._careful:
            if await self._inbox.answered(update_id):
                # Handled before a crash: its replies are in the outbox, only the mark
                # was not committed yet. Handling it again would answer twice.
                await self._mark(update_id, None)
                return
            await self._inbox.begin_attempt(update_id)
        if self._options.delay_after_store:
            await asyncio.sleep(self._options.delay_after_store)
        bot = self._application.bot
        try:
            update = Update.de_json(json.loads(stored.payload), bot)
        except Exception as exc:
            # The exception's text may quote the payload: only its type is kept.
            log.error("update %d: cannot be read (%s), skipped", update_id, type(exc).__name__)
            await self._mark(update_id, f"unreadable: {type(exc).__name__}")
            return
        if isinstance(bot, ExtBot):  # as PTB's own intake does, for arbitrary callback data
            bot.insert_callback_data(update)
        error = None
        try:
            await self._application.process_update(update)
        except Exception as exc:
            # Handler errors go to the error handlers inside process_update; anything that
            # still escapes would escape again on a retry, so it is logged, not retried.
            log.exception("update %d: processing failed", update_id)
            error = repr(exc)
        await self._mark(update_id, error)

    async def _mark(self, update_id: int, error: str | None) -> None:
        self._done.append((update_id, error))
        if self._grouping:
            return  # committed with the group
        if self._careful or len(self._done) >= self._options.mark_every:
            await self._flush()

    async def _flush(self) -> None:
        # Take the list first, so nothing appended meanwhile is lost with the reset.
        done, self._done = self._done, []
        if done:
            try:
                await self._inbox.mark_processed(done)
            except BaseException:
                self._done = done + self._done  # not committed: try again with the next
                raise

    async def run(self, wake: asyncio.Event, stop: asyncio.Event) -> None:
        """Drain now and whenever woken, until stopped; prune old updates now and then."""
        backoff = Backoff(self._options.backoff_first, self._options.backoff_max)
        loop = asyncio.get_running_loop()
        next_prune = loop.time() + self._options.prune_every
        while not stop.is_set():
            wake.clear()  # before draining, so an update stored meanwhile wakes us again
            try:
                await self.drain(stop)
                if loop.time() >= next_prune:
                    next_prune = loop.time() + self._options.prune_every
                    await self._prune()
            except Exception:
                delay = backoff.next()
                log.exception("cannot process stored updates; retrying in %.0f s", delay)
                await sleep_unless_stopped(delay, stop)
                continue
            backoff.reset()
            await until_stopped(wake.wait(), stop)

    async def _prune(self) -> None:
        removed = await self._inbox.prune(self._options.keep_processed)
        if removed:
            log.info("pruned %d processed updates", removed)


def _private_message(stored: StoredUpdate) -> bool:
    """Whether the update is a new message in a private chat (what a flood is made of,
    and what may share a commit: its handlers only touch the database)."""
    try:
        data = json.loads(stored.payload)
    except ValueError:
        return False
    message = data.get("message") if isinstance(data, dict) and len(data) == 2 else None
    chat = message.get("chat") if isinstance(message, dict) else None
    return isinstance(chat, dict) and chat.get("type") == "private"


# --- polling ----------------------------------------------------------------------------


async def _get_updates(bot: ExtBot[Any], offset: int | None, wait: int) -> list[RawUpdate]:
    """Fetch a batch as the JSON texts Telegram sent, without parsing them.

    The processor parses each update when it handles it; parsing here too would cost the
    poller (which shares the event loop with handling) time in a flood, and an update PTB
    cannot parse would otherwise make the whole batch fail (PTB then logs all of it).
    Such an update is stored like the others and skipped by the processor, so the offset
    moves on. ``_post`` is the only raw path for getUpdates (``do_api_request`` refuses
    known methods).
    """
    raw = await bot._post(
        "getUpdates",
        {"offset": offset, "timeout": wait, "allowed_updates": Update.ALL_TYPES},
        read_timeout=wait + 10,
    )
    if not isinstance(raw, list):
        raise TelegramError("getUpdates did not answer with a list")
    return [
        RawUpdate(int(item["update_id"]), json.dumps(item, ensure_ascii=False))
        for item in raw
        if isinstance(item, dict) and isinstance(item.get("update_id"), int)
    ]


def _not_found(exc: InvalidToken) -> bool:
    """Whether PTB raised InvalidToken for a 404 (it does for 401 and 404 alike)."""
    # PTB keeps no status code: the message is Telegram's description ("Not Found"), or
    # "Not Found (404)…" when the body was not Telegram's JSON (a proxy's page).
    return exc.message.startswith("Not Found")


async def poll(
    application: AnyApplication,
    inbox: Inbox,
    options: RunnerOptions,
    wake: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    """Long-poll Telegram, storing each batch before the next request confirms it."""
    bot = application.bot
    backoff = Backoff(options.backoff_first, options.backoff_max)
    webhook_deleted = False
    # None at start: Telegram then resends everything not yet confirmed, and updates the
    # inbox already holds are ignored by the idempotent insert.
    offset: int | None = None
    while not stop.is_set():
        try:
            if not webhook_deleted:
                # A webhook set earlier would make every getUpdates fail with Conflict.
                # Pending updates are kept: they are exactly what must not be lost.
                await bot.delete_webhook(drop_pending_updates=False)
                webhook_deleted = True
                log.info("polling for updates as @%s", bot.username)
            batch = await until_stopped(_get_updates(bot, offset, options.poll_timeout), stop)
            if batch is None:
                break
            if batch:
                await inbox.store(batch)
                offset = max(update.update_id for update in batch) + 1
                wake.set()
        except InvalidToken as exc:
            if not _not_found(exc):
                raise  # 401: the token was revoked; `nssf-bot run` says so in one line
            # getMe succeeded at start-up, so the token is well formed: a 404 now comes from
            # a proxy or a self-hosted Bot API server (restarting, misrouted), not Telegram.
            delay = backoff.next()
            log.warning(
                "the Bot API answered 404 Not Found while polling (a proxy or a self-hosted "
                "Bot API server?); retrying in %.0f s",
                delay,
            )
            await sleep_unless_stopped(delay, stop)
        except Conflict as exc:
            delay = backoff.next()
            log.error(
                "Telegram reports a conflict (%s): another process is polling with this "
                "token, or a webhook was set meanwhile; stop the other instance. "
                "Retrying in %.0f s",
                exc.message,
                delay,
            )
            # The webhook is not deleted again: that would take the updates away from a
            # deployment in webhook mode, back and forth; the operator has to choose.
            await sleep_unless_stopped(delay, stop)
        except RetryAfter as exc:
            delay = retry_after_seconds(exc)
            log.warning("Telegram asks to wait %.0f s before polling again", delay)
            await sleep_unless_stopped(delay, stop)
        except NetworkError as exc:
            delay = backoff.next()
            log.warning("network error while polling (%s); retrying in %.0f s", exc, delay)
            await sleep_unless_stopped(delay, stop)
        except Exception:
            # TelegramError or a database error while storing: nothing was stored, so
            # nothing was confirmed; the same batch comes again on the next request.
            delay = backoff.next()
            log.exception("polling failed; retrying in %.0f s", delay)
            await sleep_unless_stopped(delay, stop)
        else:
            backoff.reset()


# --- lifecycle --------------------------------------------------------------------------


async def _initialize(
    application: AnyApplication, options: RunnerOptions, stop: asyncio.Event
) -> bool:
    """Initialize the application (getMe), retrying network errors; False if stopped."""
    backoff = Backoff(options.backoff_first, options.backoff_max)
    while not stop.is_set():
        try:
            await application.initialize()
            return True
        except NetworkError as exc:
            delay = backoff.next()
            log.warning("cannot reach Telegram (%s); retrying in %.0f s", exc, delay)
            await sleep_unless_stopped(delay, stop)
    return False


@contextlib.asynccontextmanager
async def running(application: AnyApplication) -> AsyncIterator[AnyApplication]:
    """Start an initialized application as run_polling would, hooks included; stop it after."""
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            yield application
        finally:
            if application.running:
                await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


@contextlib.contextmanager
def _stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """Set ``stop`` on SIGINT and SIGTERM (docker stop) while inside the block."""
    loop = asyncio.get_running_loop()
    installed = []

    def on_signal(signum: signal.Signals) -> None:
        log.info("%s received: finishing the update in hand, then stopping", signum.name)
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, on_signal, signum)
            installed.append(signum)
        except (NotImplementedError, RuntimeError):  # not the main thread, or Windows
            pass
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


async def run(
    application: AnyApplication,
    database: Database,
    *,
    webhook: WebhookConfig | None = None,
    options: RunnerOptions | None = None,
    stop: asyncio.Event | None = None,
    sender: Sender | None = None,
    lease: LeaseOptions | None = None,
) -> None:
    """Run the bot until SIGINT/SIGTERM (or ``stop``): polling, or webhook when configured.

    ``sender`` delivers the outbox alongside (the application's, in production); on
    PostgreSQL only while this process holds the sender lock (``lease``, lease.py).
    """
    options = options or RunnerOptions()
    stop = asyncio.Event() if stop is None else stop
    wake = asyncio.Event()
    inbox = Inbox(database)
    with _stop_on_signals(stop):
        if not await _initialize(application, options, stop):
            return
        async with running(application):  # post_init migrates a SQLite database
            # Pruning before polling matters after a silence of a week or more: Telegram
            # then restarts update ids at random, and an old row must not make a new
            # update look stored already.
            await inbox.prune(options.keep_processed)
            processor = Processor(application, inbox, options)
            if sender is not None:
                sender.add_load(processor.backlog)  # questions not yet answered count too
            if webhook is None:
                intake = poll(application, inbox, options, wake, stop)
            else:
                from bot.telegram_io.webhook import serve

                intake = serve(application, inbox, webhook, wake, stop)
            tasks = [
                asyncio.create_task(processor.run(wake, stop), name="processor"),
                asyncio.create_task(intake, name="intake"),
            ]
            if sender is not None:
                # One sender among all replicas on PostgreSQL (lease.py).
                sending = send_exclusively(sender, database, stop, lease)
                tasks.append(asyncio.create_task(sending, name="sender"))
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            except asyncio.CancelledError:
                for task in tasks:  # cancelled from outside: do not finish the update in hand
                    task.cancel()
                raise
            finally:
                stop.set()  # one task failed, or we are stopping: stop the other one too
                results = await asyncio.gather(*tasks, return_exceptions=True)
            for result in results:
                if isinstance(result, Exception):
                    raise result
            log.info("stopped")
