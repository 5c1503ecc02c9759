"""``nssf-bot run`` and ``nssf-bot migrate``: one clear line, never a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import Settings

from .conftest import FakeApi, clean_env, nssf_bot_command


@pytest.fixture(autouse=True)
def no_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting from the developer's environment or ./.env."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def test_run_without_a_token_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nssf-bot: TELEGRAM_BOT_TOKEN is not set")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STAFF_CHAT_ID", "abc"),
        ("DATABASE_URL", "mysql://db/nssf"),
        ("WEBHOOK_URL", "https://bot.example.org/hook"),  # without WEBHOOK_SECRET
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str, value: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:ABC")
    monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("nssf-bot: ")
    assert name in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_migrate_creates_the_sqlite_tables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sub" / "bot.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"inbound_updates", "workers", "questions"} <= tables
    assert main(["migrate"]) == 0  # again: nothing to do


def test_migrate_without_a_database_server_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 9 (discard) on the loopback: nothing listens there.
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://nssf:secret@127.0.0.1:9/nssf")
    assert main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nssf-bot: DATABASE_URL: cannot use the database")
    assert "secret" not in err
    assert err.count("\n") == 1


def test_run_with_a_token_telegram_refuses(fake_api: FakeApi, tmp_path: Path) -> None:
    result = subprocess.run(
        [*nssf_bot_command(), "run"],
        env=clean_env(
            TELEGRAM_BOT_TOKEN="999:REVOKED",  # the fake server accepts only 123:TEST
            TELEGRAM_API_URL=fake_api.api_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == "nssf-bot: TELEGRAM_BOT_TOKEN was refused by Telegram (revoked or mistyped?)"
    assert "Traceback" not in result.stderr
