"""Broadcasts under Telegram's limits: delivery rate, replies during a broadcast, ledger size.

Two measurements:

- delivery: the whole bot as ``nssf-bot run`` runs it (runner, processor, sender, the
  JobQueue's broadcast tick) against the in-process fake Bot API with Telegram's flood
  limits **enforced** (``FakeTelegram.enforce_limits``: 30/s overall, 1/s per chat after a
  burst; over a limit: 429) and a latency per call (``--latency``, 30 ms). One approved
  campaign to ``--recipients`` subscribers (10,000) starts at once; meanwhile a new worker
  asks a question every second. Reported: the sustained bulk rate (broadcast messages
  delivered per second, first to last, against ``BROADCAST_RATE``), 429s received,
  duplicates (a chat holding the broadcast twice), missing recipients, and the latency of
  the workers' replies (question queued at "Telegram" → answer posted), p50 / p99.
- ledger: the time and memory to build the ledger of one campaign to ``--subscribers``
  (1,000,000) subscribers: the single INSERT … SELECT the broadcaster runs when a
  campaign starts, timed in a fresh process whose peak RSS is reported.

    python benchmarks/bench_broadcast.py [--part delivery|ledger|all] [--recipients 10000]
        [--subscribers 1000000] [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

With ``--postgres``, a temporary database is created on that server (and dropped after);
otherwise a SQLite file in a temporary folder.

Targets (issue #9): rate >= 95 % of BROADCAST_RATE, 0 x 429 in steady state, 0 duplicates,
reply p99 <= 1 s during the broadcast; ledger of 1,000,000 <= 60 s and <= 300 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import logging
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import build_application
from bot.db import Database, migrate
from bot.fakes.telegram import FakeTelegram, FloodLimits, text_update
from bot.models import Campaign, Subscriber, Worker, utcnow
from bot.services import campaigns
from bot.settings import load_settings
from bot.telegram_io.runner import RunnerOptions, run
from faq.content import load_faq

FIRST = 100_000_000  # recipients' Telegram ids start here
ASKER = 9_000_000_000  # workers asking during the broadcast
ORGANISER = 900
TEXT = "ប្រជុំសហជីព ថ្ងៃអាទិត្យ ម៉ោង ៩ ព្រឹក"
QUESTION = "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0.0


@asynccontextmanager
async def database_url(folder: Path, postgres: str | None, name: str) -> AsyncIterator[str]:
    """A fresh, migrated database: a SQLite file, or a temporary PostgreSQL database."""
    if postgres is None:
        url = f"sqlite+aiosqlite:///{folder / (name + '.sqlite3')}"
        await migrate(url)
        yield url
        return
    temp = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(postgres, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(sa.text(f'CREATE DATABASE "{temp}"'))
    url = make_url(postgres).set(database=temp).render_as_string(hide_password=False)
    try:
        await migrate(url)
        yield url
    finally:
        async with admin.connect() as connection:
            await connection.execute(sa.text(f'DROP DATABASE "{temp}" WITH (FORCE)'))
        await admin.dispose()


async def add_subscribers(url: str, count: int) -> None:
    """``count`` subscribed workers, written in chunks (as fast as the backend takes them)."""
    database = Database(url)
    now = utcnow()
    chunk = 20_000
    try:
        for start in range(0, count, chunk):
            ids = range(FIRST + start, FIRST + min(start + chunk, count))
            async with database.transaction() as session:
                rows = await session.execute(
                    sa.insert(Worker).returning(Worker.id),
                    [
                        {
                            "telegram_user_id": user_id,
                            "language": "km",
                            "language_chosen": True,
                            "consent_broadcasts": True,
                            "first_seen": now,
                            "last_seen": now,
                        }
                        for user_id in ids
                    ],
                )
                worker_ids = [row[0] for row in rows]
                await session.execute(
                    sa.insert(Subscriber),
                    [{"worker_id": w, "subscribed": True, "opted_in_at": now} for w in worker_ids],
                )
    finally:
        await database.dispose()


# --- delivery -------------------------------------------------------------------------------


async def delivery(url: str, recipients: int, latency: float, rate: float) -> bool:
    await add_subscribers(url, recipients)
    telegram = FakeTelegram()
    telegram.enforce_limits(FloodLimits())
    telegram.latency = latency
    database = Database(url)
    settings = load_settings(
        _env_file=None,
        telegram_bot_token="123456:BENCH",
        database_url=url,
        quiet_hours="off",
        broadcast_rate=rate,
    )
    application = build_application(
        settings, faq=load_faq(), request=telegram.request(), database=database
    )
    stop = asyncio.Event()
    runner = asyncio.create_task(
        run(
            application,
            database,
            options=RunnerOptions(poll_timeout=1),
            stop=stop,
            sender=application.bot_data.sender,
        )
    )
    asked: dict[int, float] = {}
    try:
        await asyncio.sleep(1.0)  # start-up
        async with database.transaction() as session:
            campaign = await campaigns.create(
                session, ORGANISER, text_km=TEXT, status="scheduled", scheduled_at=utcnow()
            )
            campaign_id = campaign.id
        began = time.monotonic()
        update_id = int(time.time() * 1000)
        while True:
            async with database.transaction() as session:
                status = await session.scalar(
                    sa.select(Campaign.status).where(Campaign.id == campaign_id)
                )
            if status == "finished":
                break
            update_id += 1
            asker = ASKER + len(asked)
            telegram.push(text_update(asker, QUESTION, update_id=update_id))
            asked[asker] = time.monotonic()
            await asyncio.sleep(1.0)
        elapsed = time.monotonic() - began
    finally:
        stop.set()
        await runner
        await database.dispose()

    bulk = [
        (at, chat) for at, chat in telegram.delivered if isinstance(chat, int) and chat < ASKER
    ]
    bulk = [(at, chat) for at, chat in bulk if FIRST <= chat < FIRST + recipients]
    copies = collections.Counter(chat for _, chat in bulk)
    duplicates = sum(n - 1 for n in copies.values() if n > 1)
    missing = recipients - len(copies)
    span = bulk[-1][0] - bulk[0][0] if len(bulk) > 1 else 0.0
    sustained = (len(bulk) - 1) / span if span > 0 else 0.0
    answered = {}
    for at, chat in telegram.delivered:
        if isinstance(chat, int) and chat >= ASKER and chat not in answered:
            answered[chat] = at
    replies = [answered[chat] - asked[chat] for chat in asked if chat in answered]
    refusals = telegram.flood_refusals
    print(f"delivery: {recipients} recipients, BROADCAST_RATE={rate:g}/s, latency {latency}s")
    print(f"  finished in {elapsed:.1f} s")
    print(
        f"  sustained bulk rate (broadcast messages delivered per second, first to last): "
        f"{sustained:.2f}/s = {100 * sustained / rate:.1f} % of the configured rate"
    )
    print(f"  429s received from the limit-enforcing fake: {refusals}")
    print(f"  duplicates (a chat holding the broadcast twice): {duplicates}; missing: {missing}")
    print(
        f"  replies to {len(replies)} workers asking during the broadcast (question queued at"
        f" 'Telegram' to answer posted): p50 {percentile(replies, 0.5):.2f} s,"
        f" p99 {percentile(replies, 0.99):.2f} s; unanswered {len(asked) - len(replies)}"
    )
    ok = (
        sustained >= 0.95 * rate
        and refusals == 0
        and duplicates == 0
        and missing == 0
        and percentile(replies, 0.99) <= 1.0
        and len(replies) == len(asked)
    )
    print("  targets (>= 95 % of rate, 0 x 429, 0 duplicates, reply p99 <= 1 s): " + _met(ok))
    return ok


# --- ledger ---------------------------------------------------------------------------------


def _build_ledger(url: str, out: multiprocessing.Queue[tuple[float, int, float]]) -> None:
    """In a fresh process: start one campaign to everyone; seconds, rows, peak RSS (MB)."""

    async def go() -> tuple[float, int]:
        database = Database(url)
        try:
            async with database.transaction() as session:
                campaign = await campaigns.create(
                    session, ORGANISER, text_km=TEXT, status="scheduled", scheduled_at=utcnow()
                )
            began = time.monotonic()
            async with database.transaction() as session:
                started = await campaigns.start_due(session, utcnow(), load_settings().zone)
            elapsed = time.monotonic() - began
            assert [run.id for run in started] == [campaign.id]
            return elapsed, started[0].recipients
        finally:
            await database.dispose()

    elapsed, rows = asyncio.run(go())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    out.put((elapsed, rows, peak))


async def ledger(url: str, subscribers: int) -> bool:
    began = time.monotonic()
    await add_subscribers(url, subscribers)
    print(f"ledger: {subscribers} subscribers written in {time.monotonic() - began:.1f} s (setup)")
    context = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[tuple[float, int, float]] = context.Queue()
    process = context.Process(target=_build_ledger, args=(url, queue))
    process.start()
    elapsed, rows, peak = await asyncio.to_thread(queue.get)
    process.join()
    print(
        f"  ledger built: {rows} rows in {elapsed:.1f} s (start_due: one INSERT ... SELECT);"
        f" peak RSS of the process that built it: {peak:.0f} MB"
    )
    ok = rows == subscribers and elapsed <= 60.0 and peak <= 300.0
    print("  targets (<= 60 s, <= 300 MB): " + _met(ok))
    return ok


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


async def main_async(args: argparse.Namespace) -> int:
    ok = True
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"backend: {backend}; {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC")
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as folder:
        if args.part in ("delivery", "all"):
            async with database_url(Path(folder), args.postgres, "delivery") as url:
                ok &= await delivery(url, args.recipients, args.latency, args.rate)
        if args.part in ("ledger", "all"):
            async with database_url(Path(folder), args.postgres, "ledger") as url:
                ok &= await ledger(url, args.subscribers)
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["delivery", "ledger", "all"], default="all")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--subscribers", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=25.0, help="BROADCAST_RATE")
    parser.add_argument("--latency", type=float, default=0.03, help="seconds per API call")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (its maintenance database)")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
