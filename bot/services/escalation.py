"""Handing a question to union staff: the place where that offer will be made.

Escalation (a case relayed through a staff forum topic) is built in a later issue. Every
"I could not help" reply already asks :func:`offer` what to add, so that issue only has
to change this function: return the text and buttons of the offer when staff are
reachable for this worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Desk
from bot.services.replies import Button, Text

__all__ = ["NOT_AVAILABLE", "Offer", "offer"]


@dataclass(frozen=True, slots=True)
class Offer:
    """What to add to a "could not help" reply so the worker can ask union staff."""

    available: bool
    parts: tuple[Text, ...] = ()
    rows: tuple[tuple[Button, ...], ...] = ()


NOT_AVAILABLE = Offer(available=False)


async def offer(
    session: AsyncSession, desk: Desk, *, worker_id: int, question_id: int | None
) -> Offer:
    """The offer to ask union staff about a question: not available yet."""
    return NOT_AVAILABLE
