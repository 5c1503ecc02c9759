"""``nssf-bot chat``: a short conversation piped through the terminal simulator."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from bot.fakes.simulator import chat
from bot.i18n import t
from bot.settings import load_settings
from faq.content import load_faq
from faq.matcher import Matcher

from .conftest import clean_env, nssf_bot_command

QUESTION = "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"


def first_line(text: str) -> str:
    return text.strip().splitlines()[0]


@pytest.fixture(scope="module")
def answer() -> dict[str, str]:
    """The first line of the FAQ's answer to QUESTION, per language."""
    faq = load_faq()
    answer_id = Matcher(faq).match(QUESTION).answer_id
    assert answer_id is not None
    entry = faq.get(answer_id)
    assert entry is not None
    return {"km": first_line(entry.answer.km), "en": first_line(entry.answer.en)}


def test_piped_conversation(tmp_path: Path, answer: dict[str, str]) -> None:
    script = "\n".join(["/start", "2", QUESTION, "1", "/quit", "never sent"]) + "\n"
    result = subprocess.run(
        [*nssf_bot_command(), "chat", "--db", str(tmp_path / "chat.sqlite3")],
        input=script,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=clean_env(),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # The greeting in Khmer, with the language buttons numbered.
    assert f"bot › {first_line(t('km', 'start-welcome'))}" in out
    assert f"[1] {t('km', 'language-km')}   [2] {t('km', 'language-en')}" in out
    # "2" pressed English; the answer then comes in English, with numbered feedback buttons.
    assert f"you (Sokha) › 2\nbot (edited) › {t('en', 'language-chosen')}" in out or (
        f"you (Sokha) › 2\nbot › {t('en', 'language-chosen')}" in out
    )
    assert answer["en"] in out
    assert f"[1] {t('en', 'feedback-yes')}   [2] {t('en', 'feedback-no')}" in out
    # "1" pressed 👍.
    assert f"bot (pop-up) › {t('en', 'feedback-thanks')}" in out
    assert "never sent" not in out
    assert (tmp_path / "chat.sqlite3").exists()


async def test_personas_numbers_and_khmer_digits(tmp_path: Path, answer: dict[str, str]) -> None:
    settings = load_settings(
        telegram_bot_token="123456:SIMULATOR",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}",
        webhook_url=None,
    )
    script = "\n".join(
        [
            QUESTION,  # Sokha: Khmer by default
            "/as 2",
            "/start",
            "១",  # Khmer digit one: the first button, ភាសាខ្មែរ
            "/persona maly",
            "/press 7",  # no buttons shown to Maly yet
            "/personas",
        ]
    )
    out = io.StringIO()
    assert await chat(settings, io.StringIO(script), out) == 0
    transcript = out.getvalue()
    assert f"you (Sokha) › {QUESTION}\nbot › {answer['km']}" in transcript
    assert "(you are now Dara, a worker (Telegram user 1002))" in transcript
    assert f"you (Dara) › ១\nbot (edited) › {t('km', 'language-chosen')}" in transcript or (
        f"you (Dara) › ១\nbot › {t('km', 'language-chosen')}" in transcript
    )
    assert "you (Maly) › /press 7\n  (no button 7: no buttons are shown)" in transcript
    assert "  *3. Maly" in transcript
