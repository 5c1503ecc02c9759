"""Handling cost: N question updates through the real application and a real database.

Each update takes the path of ``nssf-bot run`` (bot/telegram_io/runner.py): a batch is
stored in ``inbound_updates`` (one committed transaction, as after a getUpdates), then the
runner's Processor drains it: ``Application.process_update`` for each update (the real
handlers, the matcher, the question logged and the reply written to the outbox in one
transaction with the update's handled mark). Latency is per update, from handing it to
the application until its transaction is committed; with group commit (several waiting
questions of different workers in one transaction, runner.py), until the group's commit.
It also prints the SQL statements and commits per update, and how long an update waits
from its storing to its commit when a batch of ``--batch`` arrives at once.

**The sender is stubbed out**: replies stay in the outbox, nothing is delivered, so
Telegram's 30 messages/s never limits this figure. It measures what handling costs the
bot; benchmarks/bench_delivery.py measures delivery under Telegram's limits.

    python benchmarks/bench_updates.py [--updates 2000] [--batch 100] [--group-size 8]
    python benchmarks/bench_updates.py --database-url postgresql+asyncpg://postgres@127.0.0.1/test

The default database is a fresh SQLite file in a temporary folder. On PostgreSQL, use a
scratch database: the run adds workers (ids from 9,000,000,000) and deletes them after.

Targets (issue #4): >= 300 questions/s per process; p99 <= 50 ms per update.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bot.app import build_application
from bot.db import Database, migrate
from bot.fakes.telegram import FakeTelegram, command_update, text_update
from bot.models import InboundUpdate, OutboundMessage, Worker
from bot.settings import load_settings
from bot.telegram_io.inbox import Inbox, RawUpdate, StoredUpdate
from bot.telegram_io.runner import Processor, RunnerOptions, running
from faq.content import Faq, load_faq

TARGET_RATE = 300.0
TARGET_P99_MS = 50.0
FIRST_USER = 9_000_000_000  # far above the ids the bot sees elsewhere; deleted afterwards
WARM_UP = 50
OFF_TOPIC = [
    "how do I renew my passport",
    "who won the football last night",
    "ថ្ងៃនេះភ្លៀងទេ?",
    "ម្ហូបអ្វីឆ្ងាញ់?",
    "តើទូរស័ព្ទណាល្អជាងគេ?",
    "can you lend me some money",
    "😀😀😀",
    "?" * 50,
    "hello",
    "សួស្តី",
]


def questions(faq: Faq, count: int, rng: random.Random) -> list[str]:
    """About 80 % FAQ-like questions (Khmer and English phrasings), 20 % off-topic."""
    pool = [p for e in faq.entries for p in (*e.phrasings.km, e.question.km)]
    pool += [p for e in faq.entries for p in (*e.phrasings.en, e.question.en)]
    return [
        rng.choice(OFF_TOPIC) if rng.random() < 0.2 else rng.choice(pool) for _ in range(count)
    ]


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, int(len(sorted_values) * fraction))
    return sorted_values[index]


async def count_replies(database: Database) -> int:
    """Messages the handlers wrote to the outbox for the benchmark's workers."""
    query = (
        sa.select(sa.func.count())
        .select_from(OutboundMessage)
        .where(OutboundMessage.method == "sendMessage", OutboundMessage.chat_id >= FIRST_USER)
    )
    async with database.transaction() as session:
        return int(await session.scalar(query) or 0)


async def bench(
    database_url: str, count: int, batch: int, users: int, seed: int, group_size: int | None
) -> int:
    rng = random.Random(seed)
    faq = load_faq()
    texts = questions(faq, count + WARM_UP, rng)
    await migrate(database_url)
    database = Database(database_url)
    telegram = FakeTelegram()
    settings = load_settings(telegram_bot_token="123456:BENCH", database_url=database_url)
    application = build_application(
        settings, faq=faq, request=telegram.request(), database=database
    )
    inbox = Inbox(database)
    latencies: list[float] = []
    store_times: list[float] = []
    # From an update's storing (its batch's commit) to its handler's commit: what a worker
    # waits for, beyond Telegram, when a backlog is waiting.
    waits: list[float] = []
    stored_at = 0.0

    statements = {"sql": 0, "commits": 0}

    @sa.event.listens_for(database.engine.sync_engine, "before_cursor_execute")
    def _count_statement(*_args: object) -> None:
        statements["sql"] += 1

    @sa.event.listens_for(database.engine.sync_engine, "commit")
    def _count_commit(*_args: object) -> None:
        statements["commits"] += 1

    class TimedProcessor(Processor):
        """The runner's processor, timing each update until its transaction is committed
        (in a group commit, each from its own start until the group's commit)."""

        measure = False
        group_starts: list[float] | None = None

        async def handle(self, stored: StoredUpdate) -> None:
            started = time.perf_counter()
            if self.group_starts is not None:
                self.group_starts.append(started)
            await super().handle(stored)
            if self.measure and self.group_starts is None:
                ended = time.perf_counter()
                latencies.append((ended - started) * 1000)
                waits.append((ended - stored_at) * 1000)

        async def handle_group(self, group: list[tuple[StoredUpdate, int | None]]) -> int:
            self.group_starts = []
            try:
                taken = await super().handle_group(group)
            finally:
                starts, self.group_starts = self.group_starts, None
            if self.measure:
                ended = time.perf_counter()
                # Only the first attempt of each update: one handled again after a failed
                # group is timed from its first start.
                latencies.extend((ended - started) * 1000 for started in starts[:taken])
                waits.extend([(ended - stored_at) * 1000] * taken)
            return taken

    options = RunnerOptions() if group_size is None else RunnerOptions(group_size=group_size)
    processor = TimedProcessor(application, inbox, options)
    # Update ids unique across runs: a reused id would be taken for a redelivery.
    first_id = int(time.time() * 1000)
    updates = [
        text_update(FIRST_USER + rng.randrange(users), text, update_id=first_id + n)
        for n, text in enumerate(texts)
    ]
    # Each user starts with /start, as workers do.
    starts = [
        command_update(FIRST_USER + u, "start", update_id=first_id - users + u)
        for u in range(users)
    ]

    async def feed(chunk: list[RawUpdate], measure: bool) -> None:
        """Store a batch as the poller does, then drain it as the processor does."""
        nonlocal stored_at
        processor.measure = measure
        started = time.perf_counter()
        await inbox.store(chunk)
        stored_at = time.perf_counter()
        if measure:
            store_times.append(stored_at - started)
        await processor.drain()

    raw = [RawUpdate(u.update_id, u.to_json()) for u in updates]
    try:
        await application.initialize()
        async with running(application):
            await feed([RawUpdate(u.update_id, u.to_json()) for u in starts], measure=False)
            await feed(raw[:WARM_UP], measure=False)
            telegram.clear()
            statements.update(sql=0, commits=0)
            began, cpu_began = time.perf_counter(), time.process_time()
            for offset in range(WARM_UP, len(raw), batch):
                await feed(raw[offset : offset + batch], measure=True)
            elapsed = time.perf_counter() - began
            cpu = time.process_time() - cpu_began
            counted = dict(statements)
        replies = await count_replies(database) - users - WARM_UP
    finally:
        async with database.transaction() as session:
            await session.execute(
                sa.delete(InboundUpdate).where(InboundUpdate.update_id >= first_id - users)
            )
            await session.execute(
                sa.delete(OutboundMessage).where(OutboundMessage.chat_id >= FIRST_USER)
            )
            await session.execute(sa.delete(Worker).where(Worker.telegram_user_id >= FIRST_USER))
        await database.dispose()

    # The matcher alone on the same questions: the part of each update that is pure CPU.
    matcher = application.bot_data.desk.matcher
    began = time.perf_counter()
    for text in texts[WARM_UP:]:
        matcher.match(text)
    matcher_ms = (time.perf_counter() - began) / count * 1000
    latencies.sort()
    waits.sort()
    rate = count / elapsed
    p50, p95, p99 = (percentile(latencies, f) for f in (0.50, 0.95, 0.99))
    w50, w99 = (percentile(waits, f) for f in (0.50, 0.99))
    backend = database_url.split(":", 1)[0]
    print(f"bench_updates: {count} question updates from {users} workers, {backend}")
    print(
        f"  stored in batches of {batch}: {statistics.mean(store_times) * 1000:.1f} ms per batch"
    )
    print(f"  throughput: {rate:.0f} questions/s ({elapsed:.2f} s, store included)")
    # CPU time of the process (all threads: the event loop and SQLite's): less sensitive
    # than the wall clock to other programs sharing the machine.
    print(f"  CPU: {cpu / count * 1000:.2f} ms per question (all threads)")
    print(
        f"  per update: p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms  "
        f"max {latencies[-1]:.1f} ms"
    )
    print(
        f"  stored to committed, {batch} stored at once: p50 {w50:.0f} ms  p99 {w99:.0f} ms  "
        f"(the last of a batch waits for the others)"
    )
    print(
        f"  database: {counted['sql'] / count:.2f} SQL statements and "
        f"{counted['commits'] / count:.2f} commits per update (storing included)"
    )
    print(f"  replies written to the outbox: {replies} for {count} updates (not sent)")
    print(f"  the matcher alone, same questions: {matcher_ms:.1f} ms per question (mean)")
    ok = rate >= TARGET_RATE and p99 <= TARGET_P99_MS and replies >= count
    print(
        f"  targets (>= {TARGET_RATE:.0f}/s, p99 <= {TARGET_P99_MS:.0f} ms, a reply each): "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates to feed (2000)")
    parser.add_argument("--batch", type=int, default=100, help="updates per getUpdates (100)")
    parser.add_argument("--users", type=int, default=200, help="distinct workers (200)")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--group-size", type=int, help="updates per group commit (default: the runner's)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        return asyncio.run(
            bench(url, args.updates, args.batch, args.users, args.seed, args.group_size)
        )


if __name__ == "__main__":
    sys.exit(main())
