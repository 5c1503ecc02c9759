"""Settings: defaults, parsing, and one clear line for every bad or missing setting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.settings import DEFAULT_DATABASE_URL, Settings, SettingsError, load_settings

NAMES = [name.upper() for name in Settings.model_fields]
TOKEN = "123456789:AAH-abc_DEF"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No setting from the machine, and a working directory without a .env file."""
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.default_language == "km"
    assert settings.timezone == "Asia/Phnom_Penh"
    assert str(settings.zone) == "Asia/Phnom_Penh"
    assert settings.staff_chat_id is None
    assert settings.organiser_ids == frozenset()
    assert settings.admin_ids == frozenset()
    assert settings.webhook_url is None
    assert settings.webhook_secret is None
    assert (settings.webhook_listen, settings.webhook_port) == ("0.0.0.0", 8443)
    assert settings.is_sqlite


def test_environment_values_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://bot:pw@db:5432/bot")
    monkeypatch.setenv("DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("TIMEZONE", "UTC")
    monkeypatch.setenv("STAFF_CHAT_ID", "-1001234567890")
    monkeypatch.setenv("ORGANISER_IDS", "11, 22,33")
    monkeypatch.setenv("ADMIN_IDS", "4503599627370496")  # 2**52: ids exceed 32 bits
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "s3cret_-TOKEN")
    monkeypatch.setenv("WEBHOOK_LISTEN", "127.0.0.1")
    monkeypatch.setenv("WEBHOOK_PORT", "8080")
    settings = load_settings()
    assert settings.require_token() == TOKEN
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"
    assert settings.database_url == "postgresql+asyncpg://bot:pw@db:5432/bot"
    assert not settings.is_sqlite
    assert settings.default_language == "en"
    assert settings.staff_chat_id == -1001234567890
    assert settings.organiser_ids == frozenset({11, 22, 33})
    assert settings.admin_ids == frozenset({2**52})
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == "s3cret_-TOKEN"
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8080)


def test_dotenv_file_is_read_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "DEFAULT_LANGUAGE=en\nSTAFF_CHAT_ID=-100555\nORGANISER_IDS=\n", encoding="utf-8"
    )
    monkeypatch.setenv("STAFF_CHAT_ID", "-100777")
    settings = load_settings()
    assert settings.default_language == "en"
    assert settings.staff_chat_id == -100777
    assert settings.organiser_ids == frozenset()  # an empty value means "not set"


def test_secrets_are_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert TOKEN not in repr(load_settings())


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./data/x.sqlite3", "sqlite+aiosqlite:///./data/x.sqlite3"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql://u:p%40ss@h:5432/db", "postgresql+asyncpg://u:p%40ss@h:5432/db"),
    ],
)
def test_plain_database_urls_get_the_async_driver(url: str, expected: str) -> None:
    assert load_settings(database_url=url).database_url == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        (
            "TELEGRAM_BOT_TOKEN",
            "not-a-token",
            "TELEGRAM_BOT_TOKEN: does not look like a bot token",
        ),
        ("TELEGRAM_API_URL", "api.telegram.org/bot", "TELEGRAM_API_URL: must be an http(s) URL"),
        ("DATABASE_URL", "mysql://u@h/db", "DATABASE_URL: must be a SQLite"),
        ("DATABASE_URL", "not a url", "DATABASE_URL: is not a database URL"),
        ("DEFAULT_LANGUAGE", "fr", "DEFAULT_LANGUAGE: input should be 'km' or 'en'"),
        ("TIMEZONE", "Asia/Phnom_Pen", "TIMEZONE: unknown time zone 'Asia/Phnom_Pen'"),
        ("TIMEZONE", "../etc/passwd", "TIMEZONE: unknown time zone"),
        ("STAFF_CHAT_ID", "staff", "STAFF_CHAT_ID: input should be a valid integer"),
        ("STAFF_CHAT_ID", "1.5", "STAFF_CHAT_ID: input should be a valid integer"),
        ("ORGANISER_IDS", "12,abc", "ORGANISER_IDS: input should be a valid integer"),
        ("ADMIN_IDS", "1;2", "ADMIN_IDS: input should be a valid integer"),
        ("WEBHOOK_URL", "ftp://bot.example.org", "WEBHOOK_URL: must be an http(s) URL"),
        ("WEBHOOK_PORT", "http", "WEBHOOK_PORT: input should be a valid integer"),
        ("WEBHOOK_PORT", "0", "WEBHOOK_PORT: input should be greater than or equal to 1"),
        ("WEBHOOK_PORT", "65536", "WEBHOOK_PORT: input should be less than or equal to 65535"),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    text = str(raised.value)
    assert text.startswith(message)
    assert "\n" not in text
    assert "Traceback" not in text
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_webhook_url_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    with pytest.raises(SettingsError, match=r"^WEBHOOK_SECRET is required when WEBHOOK_URL"):
        load_settings()


@pytest.mark.parametrize("secret", ["has space", "ünïcode", "a" * 257, "semi;colon"])
def test_webhook_secret_characters_and_length(
    monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", secret)
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert (
        str(raised.value) == "WEBHOOK_SECRET: must be 1-256 characters of A-Z, a-z, 0-9, _ and -"
    )
    assert secret not in str(raised.value)  # a secret is never repeated in logs


def test_webhook_secret_of_256_allowed_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.org/telegram")
    monkeypatch.setenv("WEBHOOK_SECRET", "aZ0_-" * 51 + "x")
    assert load_settings().webhook_secret is not None


def test_a_bad_token_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "secret value with spaces")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "secret value" not in str(raised.value)


def test_database_password_is_not_repeated_when_the_url_is_bad(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "oracle://user:hunter2@db/x")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "hunter2" not in str(raised.value)


def test_run_requires_the_token_but_chat_does_not() -> None:
    settings = load_settings()  # what `nssf-bot chat` needs: no token
    with pytest.raises(SettingsError, match=r"^TELEGRAM_BOT_TOKEN is not set"):
        settings.require_token()


def test_overrides_use_field_names() -> None:
    settings = load_settings(default_language="en", organiser_ids="5,6", staff_chat_id=-1)
    assert (settings.default_language, settings.organiser_ids) == ("en", frozenset({5, 6}))
    with pytest.raises(SettingsError, match=r"^DEFAULT_LANGUAGE"):
        load_settings(default_language="xx")


# --- broadcasts (issue #9) ---


def test_quiet_hours_parse_wrap_and_can_be_off() -> None:
    assert load_settings(_env_file=None).quiet == (dt.time(21), dt.time(6))
    assert load_settings(_env_file=None, quiet_hours="22:30 - 05:15").quiet == (
        dt.time(22, 30),
        dt.time(5, 15),
    )
    assert load_settings(_env_file=None, quiet_hours="off").quiet is None


@pytest.mark.parametrize("bad", ["21-06", "25:00-06:00", "21:00-21:00", "evening"])
def test_malformed_quiet_hours_are_refused(bad: str) -> None:
    with pytest.raises(SettingsError, match=r"^QUIET_HOURS: must look like 21:00-06:00"):
        load_settings(_env_file=None, quiet_hours=bad)


def test_the_broadcast_rate_stays_under_telegrams_limit() -> None:
    assert load_settings(_env_file=None).broadcast_rate == 25.0
    with pytest.raises(SettingsError, match=r"^BROADCAST_RATE"):
        load_settings(_env_file=None, broadcast_rate=31)
