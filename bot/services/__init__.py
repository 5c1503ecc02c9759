"""The rules of the bot, one module per capability.

Services take an open session (the caller's transaction), a :class:`Desk` and plain
values (Telegram user id, text, update id), never ``telegram`` objects; they return a
:class:`~bot.services.replies.Reply` of catalogue keys and data, which
bot/telegram_io/render.py turns into Bot API calls. They flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.i18n import Lang
from faq.content import Faq
from faq.matcher import Matcher

__all__ = ["Desk"]


@dataclass(frozen=True, slots=True)
class Desk:
    """What services need besides the session: the FAQ, its matcher, the default language."""

    faq: Faq
    matcher: Matcher
    default_language: Lang
    # Workers seen recently in this process: Telegram user id -> (monotonic time,
    # services.workers.WorkerState). Saves a write per message; see workers.touch.
    seen: dict[int, tuple[float, Any]] = field(default_factory=dict, compare=False)
    # Escalation to union staff (services/cases.py): the staff forum group (None: no
    # escalation), the language the bot speaks there, the first-response target in hours.
    staff_chat_id: int | None = None
    staff_language: Lang = "km"
    response_hours: float = 4.0
