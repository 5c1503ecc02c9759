"""Bursts of workers' messages into the staff group: one copyMessages call per burst.

``--cases`` workers open a case each (the /ask flow through the real application), and
each then sends ``--burst`` more messages at once. The sender delivers everything with
its real pacing (19 posts a minute per group) on a virtual clock the fake Bot API shares
(the fake refuses, with a 429, anything over 20 calls a minute in the group), once with
the case hook batching a case's waiting copies (``copyMessages``, at most 10) and once
without (one ``copyMessage`` per message, as before). Printed: calls into the staff
group, messages that landed in topics, 429s, the virtual minutes from the first post to
the last, and the sender's wall time (its own cost: claims, hooks, bookkeeping).

    python benchmarks/bench_case_bursts.py [--cases 20] [--burst 5]

Each run uses a fresh SQLite file.

The virtual minutes do not depend on the machine; the wall time does (a shared 2-core
machine: compare runs made back to back).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.app import build_application
from bot.db import Database, migrate
from bot.fakes.telegram import (
    FakeTelegram,
    FloodLimits,
    callback_update,
    command_update,
    text_update,
)
from bot.settings import load_settings
from bot.telegram_io.casehook import CaseHook
from bot.telegram_io.sender import Batch, Pacing, Sender
from faq.content import load_faq

STAFF_CHAT = -1009999999998


class OneByOne(CaseHook):
    """The case hook without batching: every message its own copyMessage (the baseline)."""

    async def followers(self, session: AsyncSession, *args: Any, **kwargs: Any) -> Batch | None:
        return None


async def run(database_url: str, cases: int, burst: int, batching: bool) -> dict[str, float]:
    await migrate(database_url)
    database = Database(database_url)
    fake = FakeTelegram()
    now = [0.0]
    fake.clock = lambda: now[0]
    settings = load_settings(
        telegram_bot_token="123456:BENCH",
        database_url=database_url,
        staff_chat_id=STAFF_CHAT,
        staff_language="en",
    )
    application = build_application(
        settings, faq=load_faq(), request=fake.request(), database=database
    )
    try:
        await application.initialize()
        bot = application.bot
        data = application.bot_data
        for n in range(1, cases + 1):
            user = 3000 + n
            await application.process_update(command_update(user, "ask", bot=bot))
            fake.remember(message := text_update(user, f"worker {n}: my wages were cut", bot=bot))
            await application.process_update(message)
            taps = (callbacks.case_category(n, "registration"), callbacks.case_skip(n))
            for tapped in taps:
                await application.process_update(callback_update(user, tapped, 1, bot=bot))
            for k in range(1, burst + 1):
                fake.remember(more := text_update(user, f"worker {n}, part {k}", bot=bot))
                await application.process_update(more)
        fake.enforce_limits(FloodLimits())
        hook = (CaseHook if batching else OneByOne)(database, data.desk, data.outbox, STAFF_CHAT)
        sender = Sender(database, bot, pacing=Pacing(), clock=lambda: now[0])
        sender.set_hook(hook)
        started = time.perf_counter()
        while True:
            sender.notify()
            wait = await sender.step()
            await sender.idle()
            if wait is None:
                break
            now[0] += max(wait, 0.001)
        wall = time.perf_counter() - started
        group = [t for t, chat in fake.delivered if chat == STAFF_CHAT]
        landed = sum(
            1
            for m in fake.messages(STAFF_CHAT)
            if str(m.get("text", "")).startswith("worker ") and m.get("message_thread_id")
        )
        return {
            "calls": len(fake.requests(chat_id=STAFF_CHAT)),
            "landed": landed,
            "refusals": fake.flood_refusals,
            "minutes": (group[-1] - group[0]) / 60 if group else 0.0,
            "wall": wall,
        }
    finally:
        await application.shutdown()
        await database.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--burst", type=int, default=5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    print(f"{args.cases} cases, each with its question and a burst of {args.burst} behind it")
    for batching in (False, True):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            r = asyncio.run(run(url, args.cases, args.burst, batching))
        label = "copyMessages batches" if batching else "one copyMessage each"
        print(
            f"  {label:22}: {r['calls']:4.0f} calls into the group, {r['landed']:4.0f} "
            f"messages in topics, {r['refusals']:.0f} x 429, {r['minutes']:5.1f} virtual "
            f"minutes first to last post, sender wall time {r['wall']:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
