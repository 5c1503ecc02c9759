"""The bot's settings, read once from the environment and ``.env``.

:func:`load_settings` is the only entry point: it turns every validation problem into a
:class:`SettingsError` whose message is one line naming the setting, so start-up fails
with "nssf-bot: STAFF_CHAT_ID must be an integer" instead of a pydantic traceback.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["DEFAULT_DATABASE_URL", "Settings", "SettingsError", "load_settings"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/nssf-bot.sqlite3"

# Telegram: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and - are allowed."
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
# BotFather tokens look like 123456789:AAH...; a typo here would only show up as
# InvalidToken on the first request, so check the shape at start-up.
_BOT_TOKEN = re.compile(r"\d+:[A-Za-z0-9_-]+")
# Drivers the application is written and tested for; plain spellings are mapped to them.
_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
_SECRET_FIELDS = frozenset({"telegram_bot_token", "webhook_secret"})
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


_QUIET = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\s*-\s*([01]?\d|2[0-3]):([0-5]\d)")


def parse_quiet_hours(value: str) -> tuple[dt.time, dt.time] | None:
    """ "21:00-06:00" as (21:00, 06:00); None if it is not that shape or spans no time."""
    match = _QUIET.fullmatch(value.strip())
    if match is None:
        return None
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    start, end = dt.time(h1, m1), dt.time(h2, m2)
    return None if start == end else (start, end)


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


def _id_set(value: Any) -> Any:
    """Parse "1, 2,3" into {1, 2, 3}; other shapes are left to pydantic."""
    if isinstance(value, int):
        return frozenset({value})
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
        return frozenset(part for part in parts if part)
    return value


IdSet = Annotated[frozenset[int], NoDecode]


class Settings(BaseSettings):
    """Every setting of the bot; environment variables win over ``.env``."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,  # `STAFF_CHAT_ID=` in .env means "not set"
        extra="ignore",
        frozen=True,
    )

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    database_url: str = DEFAULT_DATABASE_URL
    default_language: Literal["km", "en"] = "km"
    timezone: str = "Asia/Phnom_Penh"
    staff_chat_id: int | None = None
    organiser_ids: IdSet = frozenset()
    admin_ids: IdSet = frozenset()
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0"  # inside a container; the published port is the limit
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # How long the sender keeps retrying a message that fails transiently (5xx, network
    # errors, 429s) before recording it as failed: one day by default.
    outbox_max_age: int = Field(default=86_400, ge=60, le=7 * 86_400)
    # Escalation to union staff (STAFF_CHAT_ID above): the language the bot uses in the
    # staff group, and the first-response target in hours that workers are told.
    staff_language: Literal["km", "en"] = "km"
    case_response_hours: float = Field(default=4.0, gt=0, le=24 * 14)
    # The staff's working week, for the first-response target: days (mon … sun, comma-
    # separated), hours ("08:00-17:00") in TIMEZONE, and the hour of the daily digest.
    working_days: str = "mon,tue,wed,thu,fri"
    working_hours: str = "08:00-17:00"
    digest_hour: int = Field(default=17, ge=0, le=23)

    # --- broadcasts (issue #9) ---
    # Bulk messages a second, for all broadcasts together: under Telegram's ~30/s, so
    # replies to workers always find room (the sender's global pace is 29/s).
    broadcast_rate: float = Field(default=25.0, gt=0, le=29)
    # No broadcast sends in these local hours ("HH:MM-HH:MM", may wrap past midnight;
    # "off": none); an organiser can mark an urgent alert to send through them.
    quiet_hours: str = "21:00-06:00"
    # How often the broadcaster looks at the schedule and tops up the outbox (seconds).
    broadcast_tick: float = Field(default=1.0, gt=0, le=60)
    # Paid broadcasts (allow_paid_broadcast: up to 1000/s, 0.1 Telegram Star a message,
    # from the bot's balance): offered to organisers only when an admin sets this.
    paid_broadcasts: bool = False

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and not _BOT_TOKEN.fullmatch(token.get_secret_value()):
            raise ValueError("does not look like a bot token from @BotFather (digits:letters)")
        return token

    @field_validator("telegram_api_url", "webhook_url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"must be an http(s) URL, got {url!r}")
        return url

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, url: str) -> str:
        try:
            parsed = make_url(url)
        except ArgumentError:
            # The URL may hold a password: do not repeat it.
            raise ValueError(
                "is not a database URL (e.g. sqlite+aiosqlite:///./data/nssf-bot.sqlite3)"
            ) from None
        driver = _DRIVERS.get(parsed.drivername)
        if driver is None:
            raise ValueError(
                f"must be a SQLite (sqlite+aiosqlite://) or PostgreSQL (postgresql+asyncpg://) "
                f"URL, got {parsed.drivername}://"
            )
        return parsed.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, name: str) -> str:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {name!r} (e.g. Asia/Phnom_Penh)") from None
        return name

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: str) -> str:
        days = [day.strip().lower()[:3] for day in value.split(",") if day.strip()]
        if not days or any(day not in _WEEKDAYS for day in days):
            raise ValueError("must be days like mon,tue,wed,thu,fri")
        return ",".join(days)

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
        if match is None:
            raise ValueError("must be like 08:00-17:00")
        start_h, start_m, end_h, end_m = (int(part) for part in match.groups())
        if not (
            start_h * 60 + start_m < end_h * 60 + end_m <= 24 * 60 and max(start_m, end_m) < 60
        ):
            raise ValueError("must be like 08:00-17:00, the start before the end")
        return f"{start_h:02d}:{start_m:02d}-{end_h:02d}:{end_m:02d}"

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        value = value.strip()
        if value.lower() in ("", "off", "none"):
            return "off"
        if parse_quiet_hours(value) is None:
            raise ValueError("must look like 21:00-06:00 (local time), or be off")
        return value

    @property
    def quiet(self) -> tuple[dt.time, dt.time] | None:
        """The quiet hours as (start, end) local times, or None when off."""
        return parse_quiet_hours(self.quiet_hours)

    @field_validator("organiser_ids", "admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        return _id_set(value)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, secret: SecretStr | None) -> SecretStr | None:
        if secret is not None and not _WEBHOOK_SECRET.fullmatch(secret.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return secret

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_SECRET is required when WEBHOOK_URL is set "
                "(Telegram sends it with every update so forged updates can be refused)"
            )
        return self

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The configured time zone."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is a SQLite file."""
        return self.database_url.startswith("sqlite")

    def require_token(self) -> str:
        """The bot token, or a SettingsError for commands that talk to Telegram."""
        if self.telegram_bot_token is None:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set (get one from @BotFather; "
                "`nssf-bot chat` works without it)"
            )
        return self.telegram_bot_token.get_secret_value()


def _one_line(exc: ValidationError) -> str:
    """The first validation problem as "NAME: what is wrong"."""
    error = exc.errors(include_url=False)[0]
    field = str(error["loc"][0]) if error["loc"] else ""
    message = str(error["msg"]).removeprefix("Value error, ")
    message = message[:1].lower() + message[1:]
    if not field:  # a model-level rule: its message already names the settings
        return message[:1].upper() + message[1:]
    name = field.upper()
    given = error.get("input")
    if field in _SECRET_FIELDS or error["type"] == "value_error" or given is None:
        return f"{name}: {message}"
    return f"{name}: {message} (got {str(given)!r})"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise SettingsError (one line naming the setting) if one is bad."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None
