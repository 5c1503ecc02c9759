"""Staff-approved FAQ entries take effect without a restart.

The desk (FAQ and matcher) is replaced as a whole: the new matcher is built off the event
loop (building it is CPU work that would stall every chat), then ``bot_data.desk`` points
at a desk with the shipped FAQ plus every live staff entry. Handlers read the desk per
update, so the next question sees it; the workers' cache (``desk.seen``) carries over.
"""

from __future__ import annotations

import asyncio
import dataclasses

from bot.context import BotData
from bot.services import Desk, promote
from faq.matcher import Matcher

__all__ = ["refresh"]


async def refresh(data: BotData) -> Desk:
    """The desk with the live staff entries of the database, swapped in."""
    async with data.database.transaction() as session:
        extra = await promote.live_entries(session)
    if not extra and data.desk.faq is data.base_faq:
        return data.desk  # nothing written by staff yet: the matcher built at start-up
    faq = promote.overlaid(data.base_faq, extra)
    matcher = await asyncio.to_thread(lambda: Matcher(faq).warm())
    data.desk = dataclasses.replace(data.desk, faq=faq, matcher=matcher)
    return data.desk
