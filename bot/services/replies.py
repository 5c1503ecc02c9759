"""What a service asks the bot to say: catalogue keys, FAQ text and buttons, no Telegram."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import Lang

__all__ = ["Button", "Msg", "Reply", "Text"]


@dataclass(frozen=True, slots=True)
class Msg:
    """A catalogue message: its key and string arguments."""

    key: str
    args: Mapping[str, str] = field(default_factory=dict)


# A catalogue message, or content shown as it is (an FAQ answer, a question's wording).
Text = Msg | str


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a label and either callback data or a URL."""

    label: Text
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """A message in the worker's language: paragraphs, button rows, and a tap's toast.

    ``parts`` empty means no message (a tap answered by its ``toast`` alone).
    """

    lang: Lang
    parts: tuple[Text, ...] = ()
    rows: tuple[tuple[Button, ...], ...] = ()
    toast: Msg | None = None

    @classmethod
    def say(cls, lang: Lang, *keys: str) -> Reply:
        """A reply of catalogue messages without arguments or buttons."""
        return cls(lang, tuple(Msg(key) for key in keys))
