"""The sender: delivers the outbox at Telegram's pace, fairly, and records every outcome.

Pacing is by scope, as Telegram limits it: about one message a second per private chat
(short bursts allowed), 20 a minute per group (all topics of a forum share it), about 30
a second overall. Each scope has its own limiter, so a chat that must wait holds up only
itself. Among the chats that may send now, the sender takes the highest priority first
(a worker waiting for an answer, then staff traffic, then bulk), and within a priority
the chat that got the fewest messages in the last half minute, then the one with the
least still to come (queued replies, plus the questions the processor has not handled
yet): a worker asking one question during a flood from others is answered within a
second or two instead of after the queue, and chats that flood share the rate evenly to
the end. (Counting queued replies in the first key made the chat with the most left
wait longest, so a flood ended with one chat's replies trickling out at 1/s.)

The row to go next is claimed while it waits for its slot in the overall rate, so a
claim that waits for the database (shared with the processor) neither slows the rate nor
bunches requests up at Telegram; a bulk row is claimed only once its slot has come.

Why not PTB's ``BaseRateLimiter``: it wraps one call at a time and can only delay that
call, so whatever it waits for, everything behind it waits too (a 429 on one chat halts
all requests in ``AIORateLimiter``). Choosing *which* message goes next needs the whole
queue, which only the outbox has. The bot therefore has no rate limiter of its own; every
message goes through here, and ephemeral calls (answerCallbackQuery) are not messages.

Outcomes:

- sent: the row is final, with Telegram's message id; its parameters are blanked. The
  "sent" is written with the next row's claim (one transaction a message under load),
  or on its own within 50 ms; a crash before that counts the row as in flight (below).
- 429: the row waits ``retry_after``, and so does its scope: that chat or group, or
  every chat when two different chats get a 429 within a second (a global flood wait).
- transient (5xx, a connection that failed before the request went out, a pool
  timeout): retried with exponential backoff until ``max_age``, then failed.
- outcome unknown (timed out or dropped after the request was sent, or in flight at a
  crash): an interactive or staff row is sent once more (at least once); a bulk row is
  never resent and is recorded as unknown.
- 403 (blocked, deactivated) and "chat not found": the chat's queue is dropped and
  ``on_unreachable`` is told (the worker is marked blocked).
- an edit whose message is gone is sent as a new message when the row says so; "not
  modified" counts as sent; any other 400 fails the row (a bug to read in the log).

Rows of one chat go out in id order within a priority, one request in flight per chat.

Batches: a row hook may name rows that go in the same call as the row it is claimed
with (``RowHook.followers``; escalation sends a burst of a worker's messages as one
``copyMessages``). They are claimed in the same transaction, count as one message
against the pacing, and share one outcome, written for all of them together.
"""

from __future__ import annotations

import asyncio
import bisect
import collections
import contextlib
import datetime as dt
import heapq
import logging
import math
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, cast

import httpx
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageId,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.db import Database, rowcount
from bot.models import OutboundMessage, utcnow
from bot.telegram_io.outbox import Priority
from bot.telegram_io.support import retry_after_seconds

__all__ = ["Batch", "Outcome", "Pacing", "RowHook", "Sender", "SenderOptions", "classify"]

log = logging.getLogger(__name__)

_OUTBOX = cast(sa.Table, OutboundMessage.__table__)
Clock = Callable[[], float]
_LOAD_BATCH = 5000  # rows read into the schedule at a time
# Fairness: a chat's load counts what it was sent in this many seconds.
_LOAD_WINDOW = 30.0
# A delivered row's "sent" is written with the next claim, or on its own after this many
# seconds (or at once when nothing else is in flight): one transaction per message under
# load instead of two. A crash meanwhile resends it once, like a send in flight.
_SENT_DELAY = 0.05
# Float slack when comparing a limiter's time with the clock's.
_EPSILON = 1e-6


# --- pacing -------------------------------------------------------------------------------


class TokenBucket:
    """``burst`` sends at once, then one every ``1/rate`` seconds.

    ``late``: a send made up to this many seconds after it was allowed still counts from
    when it was allowed. The event loop wakes a millisecond or two late, and more while a
    handler holds it; without the credit each late send pushes every later one back, and
    29 a second became 27 (measured in the flood benchmark).
    """

    def __init__(self, rate: float, burst: int, late: float = 0.0) -> None:
        self._interval = 1.0 / rate
        self._burst = burst
        self._late = late
        self._tat = -math.inf  # theoretical arrival time (GCRA)

    def available_at(self, now: float) -> float:
        """The earliest time a send is allowed."""
        return max(now, self._tat - (self._burst - 1) * self._interval)

    def take(self, now: float) -> None:
        """Count one send at ``now``."""
        self._tat = max(self._tat, now - self._late) + self._interval


class SlidingWindow:
    """At most ``limit`` sends in any ``period`` seconds (Telegram's per-group minute)."""

    def __init__(self, limit: int, period: float) -> None:
        self._limit = limit
        self._period = period
        self._times: collections.deque[float] = collections.deque()

    def available_at(self, now: float) -> float:
        """The earliest time a send is allowed."""
        while self._times and self._times[0] <= now - self._period:
            self._times.popleft()
        if len(self._times) < self._limit:
            return now
        return self._times[0] + self._period

    def take(self, now: float) -> None:
        """Count one send at ``now``."""
        self._times.append(now)


Limiter = TokenBucket | SlidingWindow


class GlobalLimiter:
    """The overall rate: evenly spaced, late sends credited (half an interval at most),
    and never more than ``rate`` sends in any one second, so the credit cannot add up to
    a burst over Telegram's limit.

    The one-second window counts each send where it reached Telegram, as far as the
    sender can tell, not where it left: a request held up on its way (the event loop
    busy with a slow transaction or handler while it was being written) arrives late,
    together with the ones sent after it, and Telegram counts them all in one second.
    Spacing at dispatch alone let 31 arrive in a second and earned 429s (measured in
    bench_broadcast.py). So a finished send is moved to its estimated arrival: its end
    less the quickest round trip seen lately (the part of its time that was the network
    and Telegram, not the delay); one still in flight counts where it left.
    """

    def __init__(self, rate: float) -> None:
        self._spacing = TokenBucket(rate, 1, late=0.5 / rate)
        self._limit = max(1, int(rate))
        self._times: list[float] = []  # sorted: dispatch or estimated arrival of each send
        self._round_trips: collections.deque[float] = collections.deque(maxlen=64)

    def available_at(self, now: float) -> float:
        """The earliest time a send is allowed."""
        del self._times[: bisect.bisect_right(self._times, now - 1.0)]
        at = self._spacing.available_at(now)
        over = len(self._times) - self._limit
        if over < 0:
            return at
        return max(at, self._times[over] + 1.0)

    def take(self, now: float) -> None:
        """Count one send at ``now``."""
        self._spacing.take(now)
        bisect.insort(self._times, now)

    def arrived(self, taken: float, started: float, finished: float) -> None:
        """The send counted at ``taken`` was made from ``started`` to ``finished``."""
        index = bisect.bisect_left(self._times, taken)
        if index < len(self._times) and self._times[index] == taken:
            del self._times[index]
        self._round_trips.append(max(0.0, finished - started))
        bisect.insort(self._times, max(taken, finished - min(self._round_trips)))


@dataclass(frozen=True, slots=True)
class Pacing:
    """How fast the sender may go, per scope. The defaults stay under Telegram's limits."""

    private_rate: float = 1.0  # messages a second to one private chat...
    private_burst: int = 2  # ...after a short burst
    group_limit: int = 19  # messages per group (all forum topics together)...
    group_period: float = 60.0  # ...in this many seconds
    global_rate: float = 29.0  # messages a second overall, evenly spaced
    max_in_flight: int = 32  # requests open at once (one per chat at most)
    # Broadcasts (issue #9): bulk rows share the global budget but never take more than
    # this, evenly spaced, so replies always find room. The small burst only lets a late
    # timer catch up (without it a busy event loop loses ~10 % of the rate); it is never
    # a backlog released at once after a flood wait.
    bulk_rate: float = 25.0
    bulk_burst: int = 3
    # Paid broadcasts (Priority.PAID, allow_paid_broadcast): up to 1000/s, outside the
    # global budget ("ignoring broadcasting limits", Bot API); per-chat limits still hold.
    paid_rate: float = 1000.0

    @classmethod
    def unlimited(cls) -> Pacing:
        """No pacing at all: for tests of what is sent, not of when."""
        return cls(1e9, 1_000_000, 1_000_000, 1e-9, 1e9, 64, bulk_rate=1e9, paid_rate=1e9)

    def chat_limiter(self, chat_id: int) -> Limiter:
        """The limiter of one chat: private chats have positive ids, groups negative."""
        if chat_id > 0:
            return TokenBucket(self.private_rate, self.private_burst)
        return SlidingWindow(self.group_limit, self.group_period)


@dataclass(frozen=True, slots=True)
class SenderOptions:
    """Retry policy and housekeeping of the sender."""

    max_age: dt.timedelta = dt.timedelta(hours=24)  # then a transient failure is final
    backoff_first: float = 1.0
    backoff_max: float = 300.0
    poll_every: float = 2.0  # look for rows other processes wrote, this often
    global_429_window: float = 1.0  # 429s on two chats this close: a global flood wait
    keep_final: dt.timedelta = dt.timedelta(days=7)  # final rows kept, then pruned
    prune_every: float = 3600.0
    report_every: float = 60.0  # log the counters this often (when something happened)


# --- outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a failed call means for its row and its chat."""

    kind: str  # "retry", "flood", "unknown", "unreachable", "gone", "done", "failed"
    detail: str
    retry_after: float = 0.0


# httpx errors raised before the request reached Telegram: safe to send again.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
_EDIT_GONE = (
    "message to edit not found",
    "message can't be edited",
    "message_id_invalid",
    "message to copy not found",
)
_UNREACHABLE_400 = ("chat not found", "user not found", "peer_id_invalid", "have no rights")


def classify(error: Exception) -> Outcome:
    """Sort a failed Bot API call into what the sender does about it."""
    if isinstance(error, RetryAfter):
        return Outcome("flood", "429", retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return Outcome("unreachable", error.message)
    if isinstance(error, ChatMigrated):
        return Outcome("failed", f"chat migrated to {error.new_chat_id}")
    if isinstance(error, BadRequest):
        text = error.message.lower()
        if "message is not modified" in text:
            return Outcome("done", error.message)
        if any(marker in text for marker in _EDIT_GONE):
            return Outcome("gone", error.message)
        if any(marker in text for marker in _UNREACHABLE_400):
            return Outcome("unreachable", error.message)
        return Outcome("failed", error.message)
    if isinstance(error, InvalidToken):
        return Outcome("retry", "invalid token")
    if isinstance(error, TimedOut | NetworkError):
        cause = error.__cause__
        if isinstance(cause, _NOT_SENT) or "not* sent" in error.message:
            return Outcome("retry", error.message)
        if cause is None and not isinstance(error, TimedOut):
            return Outcome("retry", error.message)  # an HTTP 5xx: Telegram did not send it
        return Outcome("unknown", error.message or type(error).__name__)
    if isinstance(error, TelegramError):
        return Outcome("retry", error.message)
    return Outcome("retry", repr(error))


# --- calls --------------------------------------------------------------------------------


def _markup(params: Mapping[str, Any], bot: Bot) -> InlineKeyboardMarkup | None:
    raw = params.get("reply_markup")
    return InlineKeyboardMarkup.de_json(raw, bot) if raw else None


async def _call(
    bot: Bot, method: str, chat_id: int, params: Mapping[str, Any]
) -> int | list[int] | None:
    """Make the call; the message id Telegram gave, when it gives one (copyMessages: the
    ids of the copies, in order)."""
    if method == "sendMessage":
        message = await bot.send_message(
            chat_id,
            params["text"],
            reply_markup=_markup(params, bot),
            message_thread_id=params.get("message_thread_id"),
            parse_mode=params.get("parse_mode"),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            allow_paid_broadcast=params.get("allow_paid_broadcast"),  # broadcasts (#9)
        )
        return message.message_id
    if method == "editMessageText":
        result = await bot.edit_message_text(
            params["text"],
            chat_id=chat_id,
            message_id=params["message_id"],
            reply_markup=_markup(params, bot),
            parse_mode=params.get("parse_mode"),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        return result.message_id if isinstance(result, Message) else params["message_id"]
    if method == "editMessageCaption":  # escalation: a caption edit carried over
        edited = await bot.edit_message_caption(
            chat_id=chat_id,
            message_id=params["message_id"],
            caption=params.get("caption"),
            reply_markup=_markup(params, bot),
        )
        return edited.message_id if isinstance(edited, Message) else params["message_id"]
    if method == "editMessageReplyMarkup":
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=params["message_id"], reply_markup=_markup(params, bot)
        )
        return int(params["message_id"])
    if method == "copyMessage":
        copied: MessageId = await bot.copy_message(
            chat_id,
            params["from_chat_id"],
            params["message_id"],
            message_thread_id=params.get("message_thread_id"),
            reply_markup=_markup(params, bot),
            caption=params.get("caption"),  # broadcasts: the caption in the worker's language
            allow_paid_broadcast=params.get("allow_paid_broadcast"),
        )
        return copied.message_id
    if method == "copyMessages":  # a batch of rows (RowHook.followers)
        copies = await bot.copy_messages(
            chat_id,
            params["from_chat_id"],
            params["message_ids"],
            message_thread_id=params.get("message_thread_id"),
        )
        return [copy.message_id for copy in copies]
    if method == "createForumTopic":  # the topic's id stands for the message id
        topic = await bot.create_forum_topic(chat_id, params["name"])
        return topic.message_thread_id
    if method == "setMyCommands":
        commands = [BotCommand(c["command"], c["description"]) for c in params["commands"]]
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
        return None
    raise ValueError(f"the sender cannot make {method!r} calls")


def _as_new_message(params: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if key != "message_id"}


# --- the row hook (escalation) ---------------------------------------------------------


class RowHook(Protocol):
    """A producer's say over its own rows (those whose ``ref`` starts with ``prefix``),
    at send time: escalation resolves a case's forum topic when a row is sent, records
    the message ids Telegram gave, and re-creates a topic staff deleted
    (bot/telegram_io/casehook.py). Kept apart from the sender's own logic on purpose."""

    prefixes: tuple[str, ...]

    async def prepare(
        self, ref: str, method: str, params: dict[str, Any]
    ) -> dict[str, Any] | None:
        """The parameters to send with (None: nothing to send any more; dropped)."""

    async def sent(self, ref: str, method: str, message_id: int | None) -> None:
        """The row was sent; ``message_id`` is what Telegram returned."""

    async def refused(
        self,
        ref: str,
        method: str,
        params: dict[str, Any],
        detail: str,
        batch: Sequence[Member] = (),
    ) -> bool:
        """A 400 refused the row; True when the hook took care of it (the row is then
        recorded as dropped, without an apology). ``batch``: the rows a batch call was
        made for (the claimed row first), each as it was queued."""

    async def followers(
        self,
        session: AsyncSession,
        row_id: int,
        ref: str,
        method: str,
        params: dict[str, Any],
        eligible: Callable[[int], bool],
    ) -> Batch | None:
        """Rows to send in one call with the row ``row_id`` just claimed (read in
        ``session``, the claim's transaction), or None. Only rows for which
        ``eligible(id)`` holds may be named: the sender's own waiting rows of the same
        chat. The sender claims them in the same transaction and records one outcome for
        all of them."""


# --- batches (a row hook's followers) -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Batch:
    """Rows that go in one call with a claimed row: ``ids`` (in order, the claimed row
    not included), sent as one ``method`` call with ``params``."""

    ids: tuple[int, ...]
    method: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Member:
    """One row of a batch, as it was queued."""

    row_id: int
    ref: str | None
    method: str
    params: dict[str, Any]


class _BatchChanged(Exception):
    """A follower was no longer waiting when it was claimed: the claim is rolled back."""


def _hooked(hook: RowHook | None, ref: str | None) -> RowHook | None:
    if hook is None or ref is None or not ref.startswith(hook.prefixes):
        return None
    return hook


# --- the schedule -------------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    id: int
    priority: int
    ready_at: float  # monotonic time before which it is not tried


@dataclass(frozen=True, slots=True)
class _Claimed:
    """A row taken for sending: what to call, and what its retry policy needs."""

    method: str
    params: dict[str, Any]
    fallback: str | None
    created_at: dt.datetime
    attempts: int
    unknown: int
    ref: str | None
    # A batch (RowHook.followers): every row in it, the claimed one first, as queued;
    # ``method`` and ``params`` are then the one call made for all of them.
    batch: tuple[Member, ...] = ()
    followers: tuple[_Row, ...] = ()  # the other rows' places in the schedule

    def ids(self, row_id: int) -> list[int]:
        """The rows whose outcome this is: the claimed row, and its batch if any."""
        return [member.row_id for member in self.batch] or [row_id]


@dataclass(slots=True)
class _Chat:
    chat_id: int
    limiter: Limiter
    rows: list[tuple[int, int, _Row]] = field(default_factory=list)  # heap (priority, id)
    paused_until: float = 0.0
    busy: bool = False
    last_served: float = -math.inf
    served: collections.deque[float] = field(default_factory=collections.deque)

    def recently_served(self, now: float) -> int:
        """Messages sent to the chat in the last half minute."""
        while self.served and self.served[0] < now - _LOAD_WINDOW:
            self.served.popleft()
        return len(self.served)

    def head(self) -> _Row | None:
        return self.rows[0][2] if self.rows else None


class Sender:
    """Delivers pending outbox rows; one per database (it is the bot's only sender)."""

    def __init__(
        self,
        database: Database,
        bot: Bot,
        *,
        pacing: Pacing | None = None,
        options: SenderOptions | None = None,
        on_unreachable: Callable[[int], Awaitable[None]] | None = None,
        on_failed: Callable[[int, int, str | None], Awaitable[None]] | None = None,
        clock: Clock = time.monotonic,
        wall: Callable[[], dt.datetime] = utcnow,
        hook: RowHook | None = None,
    ) -> None:
        self._database = database
        self._hook = hook
        self._bot = bot
        self.pacing = pacing or Pacing()
        self.options = options or SenderOptions()
        self._on_unreachable = on_unreachable
        self._on_failed = on_failed
        self._clock = clock
        self._wall = wall
        self._chats: dict[int, _Chat] = {}
        self._known: set[int] = set()  # row ids in the schedule
        self._max_seen = 0
        self._global = GlobalLimiter(self.pacing.global_rate)
        # Broadcasts (issue #9): the bulk budget, and the paid one beside the global pace.
        self._bulk = TokenBucket(self.pacing.bulk_rate, self.pacing.bulk_burst)
        self._paid = TokenBucket(self.pacing.paid_rate, self.pacing.bulk_burst)
        # A 429 on a broadcast message pauses every broadcast message (a bulk send goes to
        # each chat once, so its 429 is about the bot's overall pace), not the replies.
        self._bulk_paused_until = 0.0
        # The row chosen to go next is being claimed, or is claimed and waits for its
        # slot in the overall rate (``_ready``): claiming it ahead keeps the database's
        # wait out of the pacing. Only one row at a time, and never a bulk one ahead of
        # its slot (a row claimed at a crash counts as in flight: bulk is not resent).
        self._claiming = False
        self._ready: tuple[_Chat, _Row, _Claimed] | None = None
        # Rows delivered whose "sent" is not written yet: (id, message id, when).
        self._sent: list[tuple[int, int | None, dt.datetime]] = []
        self._sent_since = 0.0
        self._extra_load: list[Callable[[int], int]] = []
        self._global_paused_until = 0.0
        self._recent_429: collections.deque[tuple[float, int]] = collections.deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._new_rows = True
        self._recovered = False
        self.stats: collections.Counter[str] = collections.Counter()

    def set_hook(self, hook: RowHook) -> None:
        """The row hook (it needs the outbox, which needs the sender: set after both)."""
        self._hook = hook

    def restart(self) -> None:
        """Forget the schedule and recover again before the next step.

        For a sender that takes over (bot/telegram_io/lease.py): while it did not send,
        another process did, so what it had scheduled may be sent or gone, and rows that
        process had in flight when it died wait for recovery. Call it only while the
        sender is not running. The pacing is kept: a takeover does not start a burst.
        """
        self._chats.clear()
        self._known.clear()
        self._max_seen = 0
        self._recovered = False
        self._new_rows = True

    # --- the producer's side -----------------------------------------------------------

    def notify(self) -> None:
        """New rows were committed: look for them now (called after the outbox commit)."""
        self._new_rows = True
        self._wake.set()

    def add_load(self, lookup: Callable[[int], int]) -> None:
        """Count ``lookup(chat_id)`` more messages still to come for a chat (fairness).

        The runner adds the processor's backlog: a chat whose questions are still waiting
        to be handled has more to come than its queued replies show, so a worker with one
        question goes before chats that sent ten, from their first reply on.
        """
        self._extra_load.append(lookup)

    # --- running -----------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set, then let the requests in flight finish."""
        loop = asyncio.get_running_loop()
        next_prune = loop.time()
        next_report = loop.time() + self.options.report_every
        reported: collections.Counter[str] = collections.Counter()
        try:
            while not stop.is_set():
                self._wake.clear()
                try:
                    wait = await self.step()
                    if loop.time() >= next_prune:
                        next_prune = loop.time() + self.options.prune_every
                        await self.prune()
                except Exception:
                    log.exception("the sender failed a step; retrying in 1 s")
                    self._new_rows = True
                    wait = 1.0
                if loop.time() >= next_report:
                    next_report = loop.time() + self.options.report_every
                    if self.stats != reported:
                        log.info("sender: %s", dict(sorted(self.stats.items())))
                        reported = collections.Counter(self.stats)
                timeout = self.options.poll_every if wait is None else min(wait, 60.0)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=max(timeout, 0.001))
                if wait is None or timeout >= self.options.poll_every:
                    self._new_rows = True  # rows written by another process
        finally:
            if self._tasks:
                await asyncio.gather(*self._tasks, return_exceptions=True)
            if self._sent:
                await self._flush_sent()
            if self._ready is not None:  # claimed, never sent: back to pending
                _, row, claimed = self._ready
                self._ready = None
                await self._unclaim(claimed.ids(row.id))

    async def step(self) -> float | None:
        """Load new rows and start every send allowed now; seconds until the next one.

        None means nothing is waiting (sleep until woken); 0 means "as soon as a
        request in flight finishes".
        """
        if not self._recovered:
            await self.recover()
        if self._new_rows:
            self._new_rows = False
            await self._load()
        wait = self._dispatch()
        if self._sent:
            # Written with the next claim when one comes before it is due, else now.
            due = self._sent_since + _SENT_DELAY - self._clock()
            if wait is None or wait > due:
                if due <= 0 or not (self._tasks or self._claiming):
                    await self._flush_sent()
                else:
                    wait = due
        return wait

    async def drain(self, within: float = 5.0) -> None:
        """Deliver what is due, waiting for retries due in the next ``within`` seconds.

        For tests and the simulator; ``run`` is the production loop. A failing database
        ends the drain (logged), as it would end one step of ``run``.
        """
        deadline = time.monotonic() + within
        self._new_rows = True
        while True:
            try:
                wait = await self.step()
            except Exception:
                log.exception("the sender failed a step")
                return
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
                continue
            if wait is None or time.monotonic() + wait > deadline:
                return
            await asyncio.sleep(wait)

    async def idle(self) -> None:
        """Wait until no request is in flight."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # --- database ----------------------------------------------------------------------

    async def recover(self) -> None:
        """Rows left "sending" by a crash: their outcome is unknown (see the module doc)."""
        self._recovered = True
        now = self._wall()
        sending = _OUTBOX.c.status == "sending"
        async with self._database.transaction() as session:
            resent = await session.execute(
                sa.update(_OUTBOX)
                .where(sending, _OUTBOX.c.priority < int(Priority.BULK), _OUTBOX.c.unknown < 1)
                .values(status="pending", unknown=_OUTBOX.c.unknown + 1, next_attempt_at=now)
            )
            given_up = await session.execute(
                sa.update(_OUTBOX)
                .where(sending)
                .values(
                    status="unknown",
                    finished_at=now,
                    params={},
                    last_error="in flight at a crash; not sent again",
                )
            )
        again, unknown = rowcount(resent), rowcount(given_up)
        if again or unknown:
            log.warning(
                "outbox after a crash: %d sends in flight retried once, %d left unknown",
                again,
                unknown,
            )
            self.stats["unknown"] += unknown

    async def _load(self) -> None:
        c = _OUTBOX.c
        query = (
            sa.select(c.id, c.chat_id, c.priority, c.created_at, c.next_attempt_at)
            .where(c.status == "pending", c.id > self._max_seen)
            .order_by(c.id)
            .limit(_LOAD_BATCH)
        )
        async with self._database.transaction() as session:
            rows = (await session.execute(query)).all()
        now, wall = self._clock(), self._wall()
        for row_id, chat_id, priority, created_at, next_at in rows:
            self._max_seen = max(self._max_seen, row_id)
            if row_id in self._known:
                continue
            # A new row is due at once; one rescheduled (before a restart) when it says.
            delay = 0.0 if next_at <= created_at else max(0.0, (next_at - wall).total_seconds())
            self._schedule(chat_id, _Row(row_id, priority, now + delay))
        if len(rows) == _LOAD_BATCH:
            self._new_rows = True  # more to load on the next step

    def _schedule(self, chat_id: int, row: _Row) -> None:
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = _Chat(chat_id, self.pacing.chat_limiter(chat_id))
        heapq.heappush(chat.rows, (row.priority, row.id, row))
        self._known.add(row.id)

    async def prune(self) -> int:
        """Delete final rows older than ``keep_final``."""
        cutoff = self._wall() - self.options.keep_final
        async with self._database.transaction() as session:
            result = await session.execute(
                sa.delete(_OUTBOX).where(
                    _OUTBOX.c.status.in_(("sent", "failed", "dropped", "unknown")),
                    _OUTBOX.c.finished_at < cutoff,
                )
            )
        return rowcount(result)

    # --- dispatch ----------------------------------------------------------------------

    def _dispatch(self) -> float | None:
        """Start every send allowed now; the seconds until the next one may be allowed."""
        now = self._clock()
        while len(self._tasks) < self.pacing.max_in_flight:
            if self._global_paused_until > now:
                return self._global_paused_until - now
            global_at = self._global.available_at(now)
            due = global_at <= now + _EPSILON
            if self._ready is not None:
                paid = self._ready[1].priority == Priority.PAID  # outside the global pace
                if not due and not paid:
                    return global_at - now
                chat, row, claimed = self._ready
                self._ready = None
                if not paid:
                    self._global.take(now)
                self._start(self._deliver(chat, row, claimed, None if paid else now))
                continue
            if self._claiming:
                return 0.0  # the row being claimed goes next
            best: tuple[int, int, int, float, int] | None = None
            best_chat: _Chat | None = None
            soonest: float | None = None
            empty = []
            for chat in self._chats.values():
                head = chat.head()
                if head is None:
                    if not chat.busy:
                        empty.append(chat.chat_id)
                    continue
                if chat.busy:
                    continue
                at = max(head.ready_at, chat.paused_until, chat.limiter.available_at(now))
                if head.priority >= Priority.BULK:  # broadcasts: the bulk budget too
                    at = max(
                        at, self._budget(head.priority).available_at(now), self._bulk_paused_until
                    )
                if head.priority == Priority.BULK:  # claimed only when it can go (a paid
                    at = max(at, global_at)  # row is outside the global pace)
                if at > now + _EPSILON:
                    soonest = at if soonest is None else min(soonest, at)
                    continue
                # Least served lately, then least left: one question waits for nobody's
                # flood, and floods are served in turn.
                left = len(chat.rows) + sum(extra(chat.chat_id) for extra in self._extra_load)
                key = (head.priority, chat.recently_served(now), left, chat.last_served, head.id)
                if best is None or key < best:
                    best, best_chat = key, chat
            for chat_id in empty:
                chat = self._chats[chat_id]
                if (
                    chat.paused_until <= now
                    and chat.limiter.available_at(now) <= now
                    and chat.recently_served(now) == 0
                ):
                    del self._chats[chat_id]  # idle, nothing to remember
            if best_chat is None:
                if soonest is not None:
                    return max(soonest, global_at) - now
                return 0.0 if self._tasks else None
            _, _, row = heapq.heappop(best_chat.rows)
            best_chat.busy = True
            best_chat.last_served = now
            best_chat.served.append(now)
            best_chat.limiter.take(now)
            if row.priority >= Priority.BULK:  # broadcasts: the bulk (or paid) budget
                self._budget(row.priority).take(now)
            self._claiming = True
            self._start(self._prepare(best_chat, row))
        return 0.0

    def _budget(self, priority: int) -> TokenBucket:
        """The bucket of a bulk row: paid broadcasts have their own (issue #9)."""
        return self._paid if priority == Priority.PAID else self._bulk

    def _start(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._wake.set()
        if not task.cancelled() and task.exception() is not None:
            log.error("a send failed unexpectedly", exc_info=task.exception())

    # --- delivery ----------------------------------------------------------------------

    async def _prepare(self, chat: _Chat, row: _Row) -> None:
        """Claim the row chosen to go next; it waits in ``_ready`` for its slot."""
        try:
            claimed = await self._claim(row.id, chat)
        except Exception:
            log.exception("outbox row %d: bookkeeping failed; trying again later", row.id)
            row.ready_at = self._clock() + self.options.backoff_first
            self._release(chat, row, requeue=True)
            return
        finally:
            self._claiming = False
        if claimed is None:  # taken by another sender, or no longer pending
            self._release(chat, row, requeue=False)
            return
        if claimed.followers:  # claimed (committed) with it: out of the schedule
            taken = {follower.id for follower in claimed.followers}
            chat.rows[:] = [entry for entry in chat.rows if entry[1] not in taken]
            heapq.heapify(chat.rows)
        self._ready = (chat, row, claimed)

    def _release(
        self, chat: _Chat, row: _Row, *, requeue: bool, followers: Sequence[_Row] = ()
    ) -> None:
        chat.busy = False
        for each in (row, *followers):
            if requeue:
                each.ready_at = row.ready_at
                heapq.heappush(chat.rows, (each.priority, each.id, each))
            else:
                self._known.discard(each.id)

    async def _deliver(
        self, chat: _Chat, row: _Row, claimed: _Claimed, taken: float | None
    ) -> None:
        """``taken``: when the row took its place in the global pace (None: paid)."""
        requeue = False
        try:
            requeue = await self._attempt(chat, row, claimed, taken)
        except Exception:
            log.exception("outbox row %d: bookkeeping failed; trying again later", row.id)
            row.ready_at = self._clock() + self.options.backoff_first
            requeue = True
        finally:
            self._release(chat, row, requeue=requeue, followers=claimed.followers)

    async def _attempt(
        self, chat: _Chat, row: _Row, claimed: _Claimed, taken: float | None
    ) -> bool:
        """Send a claimed row and record it; True when it goes back into the schedule."""
        hook = _hooked(self._hook, claimed.ref)
        ids = claimed.ids(row.id)
        params: dict[str, Any] | None = claimed.params
        if hook is not None and claimed.ref is not None:
            try:
                params = await hook.prepare(claimed.ref, claimed.method, claimed.params)
            except Exception:  # the database, most likely: the row waits, it is not lost
                log.exception("outbox row %d: the row hook failed; trying again later", row.id)
                delay = self.options.backoff_first
                await self._reschedule(ids, delay, "row hook failed")
                row.ready_at = self._clock() + delay
                return True
            if params is None:
                await self._finish(ids, "dropped", error="nothing left to send")
                return False
        assert params is not None
        try:
            message_id = await self._call(claimed.method, chat.chat_id, params, taken)
        except Exception as error:
            outcome = classify(error)
        else:
            if not self._sent:
                self._sent_since = self._clock()
            if not claimed.batch:
                if isinstance(message_id, list):  # a copyMessages row of its own: the first
                    message_id = message_id[0] if message_id else None
                self._sent.append((row.id, message_id, self._wall()))
                self.stats["sent"] += 1
                if hook is not None and claimed.ref is not None:
                    await hook.sent(claimed.ref, claimed.method, message_id)
                return False
            await self._batch_sent(hook, claimed, message_id)
            return False
        hook_took_it = (
            hook is not None
            and claimed.ref is not None
            and (
                outcome.kind == "failed"
                # a copy whose original was deleted first: the producer may want to say so
                or (outcome.kind == "gone" and claimed.method.startswith("copyMessage"))
            )
            and await hook.refused(
                claimed.ref, claimed.method, params, outcome.detail, claimed.batch
            )
        )
        if hook_took_it:
            await self._finish(ids, "dropped", error=outcome.detail)
            self.stats["hook-resolved"] += 1
            return False
        return await self._failed(chat, row, outcome, claimed)

    async def _batch_sent(
        self, hook: RowHook | None, claimed: _Claimed, result: int | list[int] | None
    ) -> None:
        """A batch was delivered: each row gets its own copy's id. Telegram skips what it
        cannot copy without saying which, so when fewer ids come back than were asked
        for, no row is given one (an id given to the wrong row would be worse)."""
        copies = result if isinstance(result, list) else []
        if len(copies) != len(claimed.batch):
            log.warning(
                "outbox rows %s: %d of %d copied; their message ids are not recorded",
                claimed.ids(0),
                len(copies),
                len(claimed.batch),
            )
            copies = []
        wall = self._wall()
        for index, member in enumerate(claimed.batch):
            message_id = copies[index] if copies else None
            self._sent.append((member.row_id, message_id, wall))
            if hook is not None and member.ref is not None:
                await hook.sent(member.ref, member.method, message_id)
        self.stats["sent"] += len(claimed.batch)
        self.stats["batched"] += len(claimed.batch) - 1

    async def _call(
        self, method: str, chat_id: int, params: Mapping[str, Any], taken: float | None
    ) -> int | list[int] | None:
        """Make the call; tell the global pace when it was made (its arrival, estimated)."""
        started = self._clock()
        try:
            return await _call(self._bot, method, chat_id, params)
        finally:
            if taken is not None:
                self._global.arrived(taken, started, self._clock())

    async def _give_up(
        self, chat: _Chat, row: _Row, status: str, error: str, claimed: _Claimed
    ) -> None:
        """Record a final failure and tell ``on_failed`` (an apology is put in the outbox)."""
        ref = claimed.ref
        await self._finish(claimed.ids(row.id), status, error=error)
        self.stats[status] += 1
        if self._on_failed is not None:
            try:
                await self._on_failed(chat.chat_id, row.priority, ref)
            except Exception:
                log.exception("on_failed for chat %d raised", chat.chat_id)

    async def _failed(
        self,
        chat: _Chat,
        row: _Row,
        outcome: Outcome,
        claimed: _Claimed,
    ) -> bool:
        """What a failed call means for the row; True when it goes back into the schedule."""
        now = self._clock()
        kind = outcome.kind
        method, params = claimed.method, claimed.params
        ids = claimed.ids(row.id)
        if kind == "done":
            await self._finish(ids, "sent", message_id=params.get("message_id"))
            self.stats["sent"] += 1
            return False
        if kind == "gone":
            if claimed.fallback == "send" and method == "editMessageText":
                await self._rewrite(row.id, "sendMessage", _as_new_message(params))
                row.ready_at = now
                self.stats["edit-sent-anew"] += 1
                return True
            # Buttons to take off a message that is gone: nothing left to do.
            await self._finish(ids, "failed", error=outcome.detail)
            self.stats["failed"] += 1
            return False
        if kind == "unreachable":
            dropped = await self._drop_chat(chat, outcome.detail, ids)
            self.stats["unreachable"] += 1
            self.stats["dropped"] += dropped
            log.info(
                "chat %d can't be reached (%s): %d messages dropped",
                chat.chat_id,
                outcome.detail,
                dropped + 1,
            )
            if self._on_unreachable is not None:
                try:
                    await self._on_unreachable(chat.chat_id)
                except Exception:
                    log.exception("could not record that chat %d is unreachable", chat.chat_id)
            return False
        if kind == "failed":
            log.warning(
                "outbox row %d (%s to %d) refused: %s",
                row.id,
                method,
                chat.chat_id,
                outcome.detail,
            )
            await self._give_up(chat, row, "failed", outcome.detail, claimed)
            return False
        if kind == "unknown":
            self.stats["unknown-outcome"] += 1
            if row.priority >= Priority.BULK or claimed.unknown >= 1:
                await self._finish(ids, "unknown", error=outcome.detail)
                self.stats["unknown"] += 1
                return False
            await self._reschedule(ids, 0.0, outcome.detail, unknown=True)
            row.ready_at = now
            return True
        # Transient: a flood wait or an error worth retrying, until the row is too old.
        age = self._wall() - claimed.created_at
        if kind == "flood":
            self.stats["429"] += 1
            delay = max(outcome.retry_after, 0.5)
            self._flood(chat, now, delay)
            if row.priority >= Priority.BULK:
                self._bulk_paused_until = max(self._bulk_paused_until, now + delay)
                self.stats["bulk-flood-waits"] += 1
        else:
            self.stats["retried"] += 1
            first, cap = self.options.backoff_first, self.options.backoff_max
            delay = min(first * 2 ** max(claimed.attempts - 1, 0), cap)
        if age + dt.timedelta(seconds=delay) > self.options.max_age:
            log.warning(
                "outbox row %d to %d given up after %d attempts: %s",
                row.id,
                chat.chat_id,
                claimed.attempts,
                outcome.detail,
            )
            await self._give_up(chat, row, "failed", f"too old: {outcome.detail}", claimed)
            return False
        await self._reschedule(ids, delay, outcome.detail)
        row.ready_at = now + delay
        return True

    def _flood(self, chat: _Chat, now: float, delay: float) -> None:
        """Pause the chat; pause everything if another chat was told to wait just now."""
        chat.paused_until = max(chat.paused_until, now + delay)
        window = self.options.global_429_window
        while self._recent_429 and self._recent_429[0][0] < now - window:
            self._recent_429.popleft()
        others = {chat_id for _, chat_id in self._recent_429 if chat_id != chat.chat_id}
        self._recent_429.append((now, chat.chat_id))
        if others:
            self._global_paused_until = max(self._global_paused_until, now + delay)
            self.stats["global-flood-waits"] += 1
            log.warning("Telegram asks every chat to wait %.0f s", delay)
        else:
            log.info("chat %d asked to wait %.0f s", chat.chat_id, delay)

    async def _claim(self, row_id: int, chat: _Chat) -> _Claimed | None:
        statement = (
            sa.update(_OUTBOX)
            .where(_OUTBOX.c.id == row_id, _OUTBOX.c.status == "pending")
            .values(status="sending", attempts=_OUTBOX.c.attempts + 1)
            .returning(
                _OUTBOX.c.method,
                _OUTBOX.c.params,
                _OUTBOX.c.fallback,
                _OUTBOX.c.created_at,
                _OUTBOX.c.attempts,
                _OUTBOX.c.unknown,
                _OUTBOX.c.ref,
            )
        )
        sent, self._sent = self._sent, []
        try:
            async with self._database.transaction() as session:
                await self._record_sent(session, sent)
                found = (await session.execute(statement)).first()
                if found is None:
                    return None
                method, params, fallback, created_at, attempts, unknown, ref = found
                claimed = _Claimed(
                    method, dict(params or {}), fallback, created_at, attempts, unknown, ref
                )
                hook = _hooked(self._hook, ref)
                if hook is not None and ref is not None:
                    claimed = await self._claim_followers(session, hook, chat, row_id, claimed)
        except BaseException:
            self._sent = sent + self._sent  # not written: with the next transaction
            raise
        return claimed

    async def _claim_followers(
        self, session: AsyncSession, hook: RowHook, chat: _Chat, row_id: int, claimed: _Claimed
    ) -> _Claimed:
        """The rows the hook sends with this one, claimed in the same transaction."""
        waiting = {entry[1]: entry[2] for entry in chat.rows}  # the chat is busy: ours
        assert claimed.ref is not None
        batch = await hook.followers(
            session, row_id, claimed.ref, claimed.method, claimed.params, waiting.__contains__
        )
        if batch is None or not batch.ids:
            return claimed
        if any(follower not in waiting for follower in batch.ids):
            raise ValueError("the row hook named a row that is not the sender's to send")
        found = (
            await session.execute(
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id.in_(batch.ids), _OUTBOX.c.status == "pending")
                .values(status="sending", attempts=_OUTBOX.c.attempts + 1)
                .returning(_OUTBOX.c.id, _OUTBOX.c.ref, _OUTBOX.c.method, _OUTBOX.c.params)
            )
        ).all()
        if len(found) != len(batch.ids):
            raise _BatchChanged(f"outbox row {row_id}: a follower is no longer waiting")
        queued = {
            each.id: Member(each.id, each.ref, each.method, dict(each.params or {}))
            for each in found
        }
        head = Member(row_id, claimed.ref, claimed.method, claimed.params)
        return replace(
            claimed,
            method=batch.method,
            params=dict(batch.params),
            batch=(head, *(queued[follower] for follower in batch.ids)),
            followers=tuple(waiting[follower] for follower in batch.ids),
        )

    async def _flush_sent(self) -> None:
        """Write the "sent" of delivered rows that are waiting for the next claim."""
        sent, self._sent = self._sent, []
        try:
            async with self._database.transaction() as session:
                await self._record_sent(session, sent)
        except BaseException:
            self._sent = sent + self._sent
            raise

    @staticmethod
    async def _record_sent(
        session: AsyncSession, sent: list[tuple[int, int | None, dt.datetime]]
    ) -> None:
        if not sent:
            return
        statement = (
            sa.update(_OUTBOX)
            .where(_OUTBOX.c.id == sa.bindparam("row_id"))
            .values(
                status="sent",
                finished_at=sa.bindparam("at"),
                message_id=sa.bindparam("sent_id"),
                last_error=None,
                params={},  # what was said is not kept once it is delivered
            )
        )
        rows = [{"row_id": r, "sent_id": m, "at": at} for r, m, at in sent]
        connection = await session.connection()  # one executemany, not ORM objects
        await connection.execute(statement, rows)

    async def _finish(
        self,
        row_ids: Sequence[int],
        status: str,
        *,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        async with self._database.transaction() as session:
            await session.execute(
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id.in_(row_ids))
                .values(
                    status=status,
                    finished_at=self._wall(),
                    message_id=message_id,
                    last_error=error,
                    params={},  # what was said is not kept once it is delivered or lost
                )
            )

    async def _unclaim(self, row_ids: Sequence[int]) -> None:
        """Rows claimed but never sent (the sender stopped first): pending again."""
        async with self._database.transaction() as session:
            await session.execute(
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id.in_(row_ids), _OUTBOX.c.status == "sending")
                .values(status="pending", attempts=_OUTBOX.c.attempts - 1)
            )

    async def _reschedule(
        self, row_ids: Sequence[int], delay: float, error: str, *, unknown: bool = False
    ) -> None:
        values: dict[str, Any] = {
            "status": "pending",
            "next_attempt_at": self._wall() + dt.timedelta(seconds=delay),
            "last_error": error,
        }
        if unknown:
            values["unknown"] = _OUTBOX.c.unknown + 1
        async with self._database.transaction() as session:
            await session.execute(
                sa.update(_OUTBOX).where(_OUTBOX.c.id.in_(row_ids)).values(values)
            )

    async def _rewrite(self, row_id: int, method: str, params: dict[str, Any]) -> None:
        async with self._database.transaction() as session:
            await session.execute(
                sa.update(_OUTBOX)
                .where(_OUTBOX.c.id == row_id)
                .values(status="pending", method=method, params=params, fallback=None)
            )

    async def _drop_chat(self, chat: _Chat, reason: str, row_ids: Sequence[int]) -> int:
        """The rows and every other pending row of the chat are dropped; how many others."""
        ids = [entry[2].id for entry in chat.rows]
        chat.rows.clear()
        for dropped in ids:
            self._known.discard(dropped)
        async with self._database.transaction() as session:
            result = await session.execute(
                sa.update(_OUTBOX)
                .where(
                    _OUTBOX.c.chat_id == chat.chat_id,
                    sa.or_(_OUTBOX.c.status == "pending", _OUTBOX.c.id.in_(row_ids)),
                )
                .values(status="dropped", finished_at=self._wall(), params={}, last_error=reason)
            )
        return max(rowcount(result) - len(row_ids), 0)
