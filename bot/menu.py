"""The command menu Telegram shows beside the text box, in Khmer and English."""

from __future__ import annotations

from bot.i18n import Lang, t

__all__ = ["COMMANDS", "ORGANISER_COMMANDS", "STAFF_COMMANDS", "menu"]

# The command menu, in order: (command, catalogue key of its description).
COMMANDS = (
    ("start", "cmd-start"),
    ("topics", "cmd-topics"),
    ("subscribe", "cmd-subscribe"),  # broadcasts (issue #9)
    ("language", "cmd-language"),
    ("help", "cmd-help"),
)


# Escalation (issue #8): shown too when a staff group is configured (STAFF_CHAT_ID).
STAFF_COMMANDS = (
    ("ask", "cmd-ask"),
    ("cases", "cmd-cases"),
)


# Broadcasts (issue #9): shown too, last, in an organiser's own chat (ORGANISER_IDS).
ORGANISER_COMMANDS = (
    ("broadcast", "cmd-broadcast"),
    ("campaigns", "cmd-campaigns"),
)


def menu(lang: Lang, *, staffed: bool = False, organiser: bool = False) -> list[dict[str, str]]:
    """The menu in ``lang``, as Bot API BotCommand objects (with /ask and /cases when
    union staff can be reached; with /broadcast and /campaigns for an organiser)."""
    items = (*COMMANDS[:2], *STAFF_COMMANDS, *COMMANDS[2:]) if staffed else COMMANDS
    if organiser:
        items = (*items, *ORGANISER_COMMANDS)
    return [{"command": name, "description": t(lang, key)} for name, key in items]
