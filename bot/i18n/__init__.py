"""Every user-facing string, by key, in Khmer and English (Fluent files km.ftl, en.ftl).

``t("km", "hotlines")`` returns the Khmer text. Arguments are strings: Fluent would
format numbers with locale grouping ("2,026"), which is wrong for years and hotlines.
A missing key or variable is logged as a :class:`CatalogueWarning` and the key or a
placeholder is shown instead of crashing the conversation; the test suite turns warnings
into errors, so a gap fails CI rather than reaching a worker.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from pathlib import Path
from typing import Final, Literal, TypeGuard

from fluent.runtime import FluentBundle, FluentResource

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "CatalogueWarning",
    "Lang",
    "format_date",
    "is_language",
    "keys",
    "khmer_digits",
    "t",
]

Lang = Literal["km", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = ("km", "en")
DEFAULT_LANGUAGE: Final[Lang] = "km"
CATALOGUE_DIR = Path(__file__).parent

_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


class CatalogueWarning(UserWarning):
    """A message key or variable is missing from a catalogue."""


def is_language(value: object) -> TypeGuard[Lang]:
    """Whether ``value`` is a language the catalogues have."""
    return value in LANGUAGES


def catalogue_path(lang: Lang) -> Path:
    """The Fluent file of ``lang``."""
    return CATALOGUE_DIR / f"{lang}.ftl"


@functools.cache
def _bundle(lang: Lang) -> FluentBundle:
    # use_isolating=False: Fluent would wrap every argument in invisible Unicode bidi
    # marks (U+2068/U+2069), which Telegram shows as boxes on some phones.
    bundle = FluentBundle([lang], use_isolating=False)
    bundle.add_resource(FluentResource(catalogue_path(lang).read_text(encoding="utf-8")))
    return bundle


def keys(lang: Lang) -> frozenset[str]:
    """Every message key of the ``lang`` catalogue."""
    return frozenset(_bundle(lang)._messages)


def t(lang: str, key: str, **args: str) -> str:
    """The message ``key`` in ``lang`` (Khmer for an unknown language), with ``args``."""
    text, problems = _format(lang, key, args) if args else _plain(lang, key)
    for problem in problems:
        warnings.warn(problem, CatalogueWarning, 2)
    return text


@functools.lru_cache(maxsize=4096)
def _plain(lang: str, key: str) -> tuple[str, tuple[str, ...]]:
    """A message without arguments, formatted once: the catalogues never change while
    the bot runs (the problems are kept, and warned of at every use)."""
    return _format(lang, key, {})


def _format(lang: str, key: str, args: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """The text of ``t``, and the problems it warns of."""
    bundle = _bundle(lang if is_language(lang) else DEFAULT_LANGUAGE)
    if not bundle.has_message(key):
        return key, (f"no message {key!r} in the {lang} catalogue",)
    message = bundle.get_message(key)
    if message.value is None:
        return key, (f"message {key!r} has no value in {lang}",)
    text, errors = bundle.format_pattern(message.value, args)
    return str(text), tuple(f"{lang} message {key!r}: {error}" for error in errors)


def khmer_digits(text: str) -> str:
    """``text`` with ASCII digits written as Khmer digits."""
    return text.translate(_KHMER_DIGITS)


def format_date(lang: str, date: dt.date) -> str:
    """A short date for a worker: "24 Nov 2026", or "២៤ វិច្ឆិកា ២០២៦" in Khmer."""
    day, year = str(date.day), str(date.year)
    if lang == "km":
        day, year = khmer_digits(day), khmer_digits(year)
    return t(lang, "date", day=day, month=t(lang, f"month-{date.month}"), year=year)
