"""Relay cost: messages of open cases through the real application and a real database.

1,000 open cases (each with its forum topic) are put in the database; then 10,000
messages are handed to ``Application.process_update`` one at a time, half from workers
(relayed into their case's topic) and half from staff in a case's topic (copied to the
worker). Latency is per message, from handing the update to the application until its
transaction (case bookkeeping and outbox row) is committed.

**The sender is not running**: what is measured is what relaying costs the bot, not
Telegram's pace (the staff group's 19 posts a minute is tested on a virtual clock in
tests/bot/handlers/test_escalation_load.py).

    python benchmarks/bench_cases.py [--cases 1000] [--messages 10000]
    python benchmarks/bench_cases.py --database-url postgresql+asyncpg://postgres@127.0.0.1/test

The default database is a fresh SQLite file in a temporary folder; on PostgreSQL use a
scratch database (the run adds workers from id 8,000,000,000 and deletes them after).

Target (issue #8): relay p99 <= 50 ms per message, excluding Telegram.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bot.app import build_application
from bot.db import Database, migrate
from bot.fakes.telegram import FakeTelegram, text_update
from bot.models import Case, OutboundMessage, Worker, utcnow
from bot.settings import load_settings
from faq.content import load_faq

TARGET_P99_MS = 50.0
FIRST_USER = 8_000_000_000
STAFF_CHAT = -1009999999999
STAFF_USERS = [700 + n for n in range(10)]
FIRST_THREAD = 500_000


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, int(len(sorted_values) * fraction))
    return sorted_values[index]


async def seed_cases(database: Database, cases: int) -> None:
    """Workers with one open case each, in its own topic (as if opened long ago)."""
    now = utcnow()
    async with database.transaction() as session:
        await session.execute(
            sa.insert(Worker),
            [
                {"telegram_user_id": FIRST_USER + n, "language": "km", "first_seen": now}
                | {"last_seen": now}
                for n in range(cases)
            ],
        )
        ids = (
            await session.execute(
                sa.select(Worker.id, Worker.telegram_user_id).where(
                    Worker.telegram_user_id >= FIRST_USER
                )
            )
        ).all()
        await session.execute(
            sa.insert(Case),
            [
                {
                    "worker_id": worker_id,
                    "status": "open",
                    "language": "km",
                    "question": "benchmark case",
                    "thread_id": FIRST_THREAD + (user - FIRST_USER),
                    "created_at": now,
                    "opened_at": now,
                }
                for worker_id, user in ids
            ],
        )


async def bench(database_url: str, cases: int, messages: int, seed: int) -> int:
    rng = random.Random(seed)
    await migrate(database_url)
    database = Database(database_url)
    telegram = FakeTelegram()
    for user in STAFF_USERS:
        telegram.add_member(STAFF_CHAT, user)
    settings = load_settings(
        telegram_bot_token="123456:BENCH", database_url=database_url, staff_chat_id=STAFF_CHAT
    )
    application = build_application(
        settings, faq=load_faq(), request=telegram.request(), database=database
    )
    timings: dict[str, list[float]] = {"worker": [], "staff": []}
    first_id = int(time.time() * 1000)
    try:
        await seed_cases(database, cases)
        await application.initialize()
        bot = application.bot
        for n in range(messages + 200):
            case = rng.randrange(cases)
            if n % 2 == 0:
                kind = "worker"
                update = text_update(
                    FIRST_USER + case, f"more about my case {n}", update_id=first_id + n, bot=bot
                )
            else:
                kind = "staff"
                update = text_update(
                    rng.choice(STAFF_USERS),
                    f"staff answer {n}",
                    chat_id=STAFF_CHAT,
                    chat_type="supergroup",
                    thread_id=FIRST_THREAD + case,
                    update_id=first_id + n,
                    bot=bot,
                )
            started = time.perf_counter()
            await application.process_update(update)
            if n >= 200:  # warmed up
                timings[kind].append((time.perf_counter() - started) * 1000)
        async with database.transaction() as session:
            rows = await session.scalar(
                sa.select(sa.func.count()).where(OutboundMessage.method == "copyMessage")
            )
        await application.shutdown()
    finally:
        async with database.transaction() as session:
            await session.execute(
                sa.delete(OutboundMessage).where(
                    sa.or_(
                        OutboundMessage.chat_id >= FIRST_USER,
                        OutboundMessage.chat_id == STAFF_CHAT,
                    )
                )
            )
            await session.execute(sa.delete(Worker).where(Worker.telegram_user_id >= FIRST_USER))
        await database.dispose()

    backend = database_url.split(":", 1)[0]
    print(f"bench_cases: {cases} open cases, {messages} relayed messages, {backend}")
    ok = True
    for kind, values in timings.items():
        values.sort()
        p50, p95, p99 = (percentile(values, f) for f in (0.50, 0.95, 0.99))
        label = "worker → topic" if kind == "worker" else "staff → worker"
        print(
            f"  {label}: {len(values)} messages, p50 {p50:.1f} ms  p95 {p95:.1f} ms  "
            f"p99 {p99:.1f} ms  max {values[-1]:.1f} ms"
        )
        ok = ok and p99 <= TARGET_P99_MS
    print(f"  copyMessage rows written to the outbox: {rows} (not sent)")
    print(f"  target (p99 <= {TARGET_P99_MS:.0f} ms per message): " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000, help="open cases (1000)")
    parser.add_argument("--messages", type=int, default=10_000, help="messages (10000)")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-cases-") as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        return asyncio.run(bench(url, args.cases, args.messages, args.seed))


if __name__ == "__main__":
    sys.exit(main())
