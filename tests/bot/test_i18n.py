"""The message catalogues: both languages complete, variables consistent, keys in use exist."""

from __future__ import annotations

import ast as pyast
import datetime as dt
import re
from pathlib import Path

import pytest
from fluent.syntax import ast, parse, visitor

from bot.i18n import (
    LANGUAGES,
    CatalogueWarning,
    catalogue_path,
    format_date,
    is_language,
    keys,
    khmer_digits,
    t,
)
from faq.normalize import is_khmer

ROOT = Path(__file__).resolve().parents[2]
# Messages that are the same in every language on purpose.
LANGUAGE_NEUTRAL = {"language-km", "language-en", "feedback-yes", "feedback-no", "date"}


class _References(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.variables: set[str] = set()
        self.messages: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.variables.add(node.id.name)

    def visit_MessageReference(self, node: ast.MessageReference) -> None:
        self.messages.add(node.id.name)


def _messages(lang: str) -> dict[str, _References]:
    """Each message of a catalogue file with the variables and messages it references."""
    resource = parse(catalogue_path(lang).read_text(encoding="utf-8"))  # type: ignore[arg-type]
    junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
    assert not junk, f"{lang}.ftl has syntax errors: {[j.content for j in junk]}"
    found: dict[str, _References] = {}
    for entry in resource.body:
        if isinstance(entry, ast.Message):
            assert entry.id.name not in found, f"{entry.id.name} twice in {lang}.ftl"
            references = _References()
            references.visit(entry)
            found[entry.id.name] = references
    return found


CATALOGUES = {lang: _messages(lang) for lang in LANGUAGES}


def test_both_languages_have_the_same_keys() -> None:
    km, en = set(CATALOGUES["km"]), set(CATALOGUES["en"])
    assert km - en == set(), "missing in en.ftl"
    assert en - km == set(), "missing in km.ftl"
    assert keys("km") == keys("en") == km


@pytest.mark.parametrize("key", sorted(CATALOGUES["en"]))
def test_a_message_takes_the_same_variables_in_both_languages(key: str) -> None:
    assert CATALOGUES["km"][key].variables == CATALOGUES["en"][key].variables


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_formats_without_errors(lang: str) -> None:
    for key, references in CATALOGUES[lang].items():
        for message in references.messages:
            assert message in CATALOGUES[lang], f"{key} references unknown message {message}"
        args = {name: f"<{name}>" for name in references.variables}
        text = t(lang, key, **args)  # a CatalogueWarning here is an error (filterwarnings)
        assert text.strip(), key
        assert "\u2068" not in text and "\u2069" not in text  # no bidi isolation marks
        for name in references.variables:
            assert f"<{name}>" in text


def test_khmer_messages_are_in_khmer() -> None:
    for key in CATALOGUES["km"]:
        if key in LANGUAGE_NEUTRAL:
            continue
        assert any(is_khmer(char) for char in t("km", key, **_dummy_args(key))), key


def test_english_messages_are_not_in_khmer() -> None:
    for key in CATALOGUES["en"]:
        if key in LANGUAGE_NEUTRAL:
            continue
        assert not any(is_khmer(char) for char in t("en", key, **_dummy_args(key))), key


def _dummy_args(key: str) -> dict[str, str]:
    return {name: "x" for name in CATALOGUES["en"][key].variables}


def _keys_used_in_code() -> set[str]:
    """String constants passed as message keys in bot/ and handlers/."""
    takes_keys = {"Msg", "say", "polite", "_polite", "t", "could_not_help"}
    used: set[str] = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            tree = pyast.parse(path.read_text(encoding="utf-8"))
            for node in pyast.walk(tree):
                if not isinstance(node, pyast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, pyast.Attribute) else getattr(func, "id", "")
                if name not in takes_keys:
                    continue
                used.update(
                    arg.value
                    for arg in node.args
                    if isinstance(arg, pyast.Constant)
                    and isinstance(arg.value, str)
                    and re.fullmatch(r"[a-z][a-z0-9-]*", arg.value)
                )
    return used - set(LANGUAGES)


def test_every_key_the_code_uses_exists_in_both_catalogues() -> None:
    used = _keys_used_in_code()
    assert {"start-welcome", "hotlines", "stale-button", "media-voice"} <= used  # scan works
    for lang in LANGUAGES:
        assert used - set(CATALOGUES[lang]) == set(), f"missing in {lang}.ftl"


def test_a_missing_key_warns_and_shows_the_key() -> None:
    for _ in range(2):  # at every use, not only the first (messages are formatted once)
        with pytest.warns(CatalogueWarning, match="no message 'no-such-key'"):
            assert t("en", "no-such-key") == "no-such-key"


def test_a_missing_variable_warns() -> None:
    for _ in range(2):
        with pytest.warns(CatalogueWarning, match="title"):
            t("en", "topics-category")


def test_an_unknown_language_falls_back_to_khmer() -> None:
    assert t("fr", "hotlines") == t("km", "hotlines")
    assert is_language("km") and is_language("en") and not is_language("fr")


@pytest.mark.parametrize(
    ("lang", "promise"),
    [
        ("km", "លេខទូរស័ព្ទដែលអ្នកសរសេរក្នុងសំណួរ ត្រូវបានលុបចោល"),
        ("en", "Phone numbers you type in a question are removed"),
    ],
)
def test_start_and_help_say_that_no_phone_number_is_kept(lang: str, promise: str) -> None:
    # bot/redact.py keeps the promise; /start and /help both make it.
    for key in ("start-welcome", "help"):
        assert promise in t(lang, key), key


def test_hotlines_are_in_both_languages() -> None:
    for lang in LANGUAGES:
        assert "1286" in t(lang, "hotlines")
        assert "1297" in t(lang, "hotlines")


@pytest.mark.parametrize(
    ("lang", "date", "expected"),
    [
        ("en", dt.date(2026, 11, 24), "24 Nov 2026"),
        ("km", dt.date(2026, 11, 24), "២៤ វិច្ឆិកា ២០២៦"),
        ("en", dt.date(2027, 1, 5), "5 Jan 2027"),
        ("km", dt.date(2027, 1, 5), "៥ មករា ២០២៧"),
    ],
)
def test_dates(lang: str, date: dt.date, expected: str) -> None:
    assert format_date(lang, date) == expected


def test_every_month_has_a_name() -> None:
    for month in range(1, 13):
        for lang in LANGUAGES:
            assert format_date(lang, dt.date(2026, month, 1))


def test_khmer_digits() -> None:
    assert khmer_digits("1286 / 2026") == "១២៨៦ / ២០២៦"
