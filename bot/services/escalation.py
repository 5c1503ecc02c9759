"""Handing a question to union staff: the offer under every "I could not help" reply.

Every "could not help" reply (no match, 👎, "none of these", a request for a person)
asks :func:`offer` what to add: when a staff group is configured, a line and an "Ask
union staff" button that starts a case (bot/services/cases.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot import callbacks
from bot.services import Desk
from bot.services.replies import Button, Msg, Text

__all__ = ["NOT_AVAILABLE", "Offer", "offer"]


@dataclass(frozen=True, slots=True)
class Offer:
    """What to add to a "could not help" reply so the worker can ask union staff."""

    available: bool
    parts: tuple[Text, ...] = ()
    rows: tuple[tuple[Button, ...], ...] = ()


NOT_AVAILABLE = Offer(available=False)


async def offer(
    session: AsyncSession,
    desk: Desk,
    *,
    worker_id: int,
    question_id: int | None,
    message_id: int | None = None,
) -> Offer:
    """The offer to ask union staff about a question (and the worker's message, when
    known, which is then copied to staff as they wrote it)."""
    if desk.staff_chat_id is None:
        return NOT_AVAILABLE
    button = Button(Msg("button-ask-staff"), callbacks.ask_staff(question_id, message_id))
    return Offer(True, (Msg("ask-staff-offer"),), ((button,),))
