"""The command menu Telegram shows beside the text box, in Khmer and English."""

from __future__ import annotations

from bot.i18n import Lang, t

__all__ = ["COMMANDS", "menu"]

# The command menu, in order: (command, catalogue key of its description).
COMMANDS = (
    ("start", "cmd-start"),
    ("topics", "cmd-topics"),
    ("subscribe", "cmd-subscribe"),  # broadcasts (issue #9)
    ("language", "cmd-language"),
    ("help", "cmd-help"),
)


def menu(lang: Lang) -> list[dict[str, str]]:
    """The menu in ``lang``, as Bot API BotCommand objects."""
    return [{"command": name, "description": t(lang, key)} for name, key in COMMANDS]
