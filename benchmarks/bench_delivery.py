"""Delivery under Telegram's limits: the whole bot, intake to delivered answer, in real time.

The bot runs as ``nssf-bot run`` does (bot/telegram_io/runner.py: long polling, the
processor, the sender) against the in-process fake Bot API (bot/fakes/telegram.py) with
Telegram's flood limits **enforced** (``FakeTelegram.enforce_limits``: a burst of 3 then
1 message/s per private chat, 20/min per group, 30/s overall; a call over a limit gets
429) and a network latency per call (``--latency``, 30 ms by default). Latency is from
the moment a question is queued at "Telegram" to the moment its answer is posted.

Scenarios:

- flood: 2,000 questions from 200 workers (10 each) arrive at once; meanwhile a
  newcomer asks one question every half second. Reported: answers/s overall, p50/p99
  of all answers, p99 of the newcomers' answers, and 429s received.
- one chat waits 20 s: a worker's chat gets one 429 with retry_after=20; ten other
  workers ask 3 questions each. Reported: p99 of the other workers' answers.

    python benchmarks/bench_delivery.py [--scenario flood|wait|all] [--latency 0.03]

Targets (issue #7): newcomer p99 <= 3 s during the flood; overall >= 28 answers/s
against the 30/s limit; 0 x 429 in steady state; every other worker p99 <= 3 s while one
chat waits out retry_after=20.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.app import build_application
from bot.db import Database, migrate
from bot.fakes.telegram import FakeTelegram, FloodLimits, text_update
from bot.settings import load_settings
from bot.telegram_io.runner import RunnerOptions, run
from faq.content import Faq, load_faq

NEWCOMER = 8_000_000_000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def questions(faq: Faq, rng: random.Random, count: int) -> list[str]:
    pool = [p for e in faq.entries for p in (*e.phrasings.km, *e.phrasings.en)]
    return [rng.choice(pool) for _ in range(count)]


class Bench:
    """The bot in-process on a limit-enforcing fake Telegram; asked[chat] = queue times."""

    def __init__(self, url: str, latency: float) -> None:
        self.url = url
        self.telegram = FakeTelegram()
        self.telegram.enforce_limits(FloodLimits())
        self.telegram.latency = latency
        self.asked: dict[int, list[float]] = collections.defaultdict(list)
        self.update_id = int(time.time() * 1000)

    def ask(self, user: int, text: str) -> None:
        self.update_id += 1
        self.telegram.push(text_update(user, text, update_id=self.update_id))
        self.asked[user].append(time.monotonic())

    def latencies(self, users: set[int] | None = None) -> list[float]:
        """Seconds from question to answer, pairing the k-th answer with the k-th question."""
        delivered: dict[int | str, list[float]] = collections.defaultdict(list)
        for at, chat in self.telegram.delivered:
            delivered[chat].append(at)
        found = []
        for user, asked in self.asked.items():
            if users is not None and user not in users:
                continue
            for question, answer in zip(asked, delivered.get(user, []), strict=False):
                found.append(answer - question)
        return found

    def answered(self) -> int:
        return len(self.telegram.delivered)

    async def run(self, scenario: Callable[[Bench, Faq], Awaitable[None]]) -> float:
        await migrate(self.url)
        database = Database(self.url)
        faq = load_faq()
        settings = load_settings(
            _env_file=None, telegram_bot_token="123456:BENCH", database_url=self.url
        )
        application = build_application(
            settings, faq=faq, request=self.telegram.request(), database=database
        )
        stop = asyncio.Event()
        options = RunnerOptions(poll_timeout=1)
        runner = asyncio.create_task(
            run(
                application,
                database,
                options=options,
                stop=stop,
                sender=application.bot_data.sender,
            )
        )
        try:
            began = time.monotonic()
            await scenario(self, faq)
            return time.monotonic() - began
        finally:
            stop.set()
            await runner
            await database.dispose()


async def wait_for(bench: Bench, count: int, within: float) -> None:
    """Poll the fake's delivered messages (it has no event to wait on) until ``count``."""
    deadline = time.monotonic() + within
    while bench.answered() < count and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


async def flood(bench: Bench, faq: Faq) -> None:
    rng = random.Random(7)
    texts = questions(faq, rng, 2000)
    await asyncio.sleep(1.0)  # start-up
    for n, text in enumerate(texts):
        bench.ask(1_000_000 + n % 200, text)
    newcomers = 0
    while bench.answered() < 2000 + newcomers:
        if newcomers < 120:
            bench.ask(NEWCOMER + newcomers, rng.choice(texts))
            newcomers += 1
        await asyncio.sleep(0.5)
        if bench.answered() == 0 and newcomers > 100:
            break


async def one_chat_waits(bench: Bench, faq: Faq) -> None:
    rng = random.Random(11)
    await asyncio.sleep(1.0)
    bench.telegram.fail("sendMessage", chat_id=2_000_000, retry_after=20)
    bench.ask(2_000_000, rng.choice(questions(faq, rng, 1)))
    await asyncio.sleep(0.5)
    for round_ in range(3):
        for user in range(10):
            bench.ask(2_000_001 + user, rng.choice(questions(faq, rng, 1)))
        await asyncio.sleep(1.5 if round_ < 2 else 0)
    await wait_for(bench, 31, 40)


def report_flood(bench: Bench, elapsed: float) -> bool:
    everyone = bench.latencies()
    newcomers = bench.latencies({u for u in bench.asked if u >= NEWCOMER})
    delivered = bench.telegram.delivered
    span = delivered[-1][0] - delivered[0][0] if len(delivered) > 1 else elapsed
    rate = (len(delivered) - 1) / span if span > 0 else 0.0
    refusals = bench.telegram.flood_refusals
    print(
        f"flood: {len(everyone)} answers (2,000 from 200 workers + newcomers) in {elapsed:.1f} s"
    )
    print(f"  delivery rate: {rate:.1f} answers/s (limit 30/s)")
    print(
        f"  all answers: p50 {percentile(everyone, 0.5):.1f} s, "
        f"p99 {percentile(everyone, 0.99):.1f} s (the flood's own tail: 10 questions a chat)"
    )
    print(
        f"  newcomers ({len(newcomers)}): p50 {percentile(newcomers, 0.5):.2f} s, "
        f"p99 {percentile(newcomers, 0.99):.2f} s"
    )
    print(f"  429s received: {refusals}")
    ok = percentile(newcomers, 0.99) <= 3.0 and rate >= 28.0 and refusals == 0
    print("  targets (newcomer p99 <= 3 s, >= 28/s, 0 x 429): " + ("met" if ok else "MISSED"))
    return ok


def report_wait(bench: Bench, elapsed: float) -> bool:
    others = bench.latencies({u for u in bench.asked if u > 2_000_000})
    waiting = bench.latencies({2_000_000})
    print(f"one chat waits out retry_after=20: {len(others)} answers to 10 other workers")
    print(
        f"  others: p50 {percentile(others, 0.5):.2f} s, p99 {percentile(others, 0.99):.2f} s;"
        f" the waiting chat answered after {waiting[0] if waiting else float('nan'):.1f} s"
    )
    ok = percentile(others, 0.99) <= 3.0 and bool(waiting)
    print("  target (others p99 <= 3 s): " + ("met" if ok else "MISSED"))
    return ok


async def main_async(scenario: str, latency: float) -> int:
    ok = True
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as folder:
        if scenario in ("flood", "all"):
            bench = Bench(f"sqlite+aiosqlite:///{Path(folder) / 'flood.sqlite3'}", latency)
            ok &= report_flood(bench, await bench.run(flood))
        if scenario in ("wait", "all"):
            bench = Bench(f"sqlite+aiosqlite:///{Path(folder) / 'wait.sqlite3'}", latency)
            ok &= report_wait(bench, await bench.run(one_chat_waits))
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=["flood", "wait", "all"], default="all")
    parser.add_argument("--latency", type=float, default=0.03, help="seconds per API call")
    args = parser.parse_args()
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    logging.basicConfig(level=logging.WARNING)
    return asyncio.run(main_async(args.scenario, args.latency))


if __name__ == "__main__":
    sys.exit(main())
