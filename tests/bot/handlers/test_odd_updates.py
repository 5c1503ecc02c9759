"""Odd but valid updates, as Bot API JSON, through the real application: a polite reply
or a deliberate silence, never a traceback.

Each case is the JSON Telegram sends (Bot API 9.x shapes), parsed with ``Update.de_json``
as the runner does and handed to ``process_update``; nothing may be logged at ERROR.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from telegram import Update

from bot.fakes.telegram import media_update
from tests.bot.chat import Chat

USER = {"id": 1001, "is_bot": False, "first_name": "Worker", "language_code": "km"}
PRIVATE = {"id": 1001, "type": "private", "first_name": "Worker"}
CHANNEL = {"id": -1001999, "type": "channel", "title": "Some channel"}
KM_ONLY_TEXT = "ខ្ញុំអានបានតែសារជាអក្សរប៉ុណ្ណោះ"  # media-other: "I can only read text"
KM_IN_WORDS = "សូមសរសេរសំណួររបស់អ្នកជាពាក្យ"  # ask-empty: "please type it in words"


def _message(**content: Any) -> dict[str, Any]:
    return {"message_id": 42, "from": USER, "chat": PRIVATE, "date": int(time.time()), **content}


POLL = media_update(1001, "poll").to_dict()["message"]["poll"]  # the shape of Bot API 9.6
REACTION = {
    "chat": PRIVATE,
    "message_id": 7,
    "user": USER,
    "date": int(time.time()),
    "old_reaction": [],
    "new_reaction": [{"type": "emoji", "emoji": "❤"}],
}

# (name, the update's content, the Khmer text expected in the one reply, or None: silence)
CASES: list[tuple[str, dict[str, Any], str | None]] = [
    ("dice", {"message": _message(dice={"emoji": "🎲", "value": 4})}, KM_ONLY_TEXT),
    ("poll", {"message": _message(poll=POLL)}, KM_ONLY_TEXT),
    (
        "contact",
        {"message": _message(contact={"phone_number": "+85512345678", "first_name": "W"})},
        KM_ONLY_TEXT,
    ),
    ("forwarded story", {"message": _message(story={"chat": CHANNEL, "id": 3})}, KM_ONLY_TEXT),
    (
        "forwarded channel post",
        {
            "message": _message(
                text="ព័ត៌មាន",
                forward_origin={
                    "type": "channel",
                    "chat": CHANNEL,
                    "message_id": 9,
                    "date": int(time.time()),
                },
            )
        },
        None,  # text: matched like any question (an answer or "no answer"), one reply
    ),
    ("emoji with variation selector", {"message": _message(text="❤️")}, KM_IN_WORDS),
    ("flag with joiner", {"message": _message(text="🏳️‍🌈")}, KM_IN_WORDS),
    ("family emoji", {"message": _message(text="👨‍👩‍👧‍👦")}, KM_IN_WORDS),
    ("keycap", {"message": _message(text="1️⃣")}, None),
    ("skin tone", {"message": _message(text="👍🏽")}, KM_IN_WORDS),
    ("edited caption", {"edited_message": _message(caption="x", edit_date=1)}, None),
    ("message_reaction", {"message_reaction": REACTION}, "SILENT"),
    (
        "message_reaction_count",
        {
            "message_reaction_count": {
                "chat": CHANNEL,
                "message_id": 7,
                "date": int(time.time()),
                "reactions": [{"type": {"type": "emoji", "emoji": "👍"}, "total_count": 3}],
            }
        },
        "SILENT",
    ),
    (
        "chat_boost",
        {
            "chat_boost": {
                "chat": CHANNEL,
                "boost": {
                    "boost_id": "b1",
                    "add_date": int(time.time()),
                    "expiration_date": int(time.time()) + 86400,
                    "source": {"source": "premium", "user": USER},
                },
            }
        },
        "SILENT",
    ),
    (
        "removed_chat_boost",
        {
            "removed_chat_boost": {
                "chat": CHANNEL,
                "boost_id": "b1",
                "remove_date": int(time.time()),
                "source": {"source": "premium", "user": USER},
            }
        },
        "SILENT",
    ),
    ("poll (the poll's state)", {"poll": POLL}, "SILENT"),
    (
        "poll_answer",
        {
            "poll_answer": {
                "poll_id": "5",
                "user": USER,
                "option_ids": [0],
                "option_persistent_ids": ["a"],
            }
        },
        "SILENT",
    ),
    (
        "channel_post",
        {
            "channel_post": {
                "message_id": 1,
                "sender_chat": CHANNEL,
                "chat": CHANNEL,
                "date": 0,
                "text": "x",
            }
        },
        "SILENT",
    ),
    ("an update type from a newer Bot API", {"future_update": {"id": 1, "x": [1]}}, "SILENT"),
    ("no content at all", {}, "SILENT"),
]


def _check(said_methods: list[str], texts: list[str], expected: str | None) -> None:
    if expected == "SILENT":
        assert said_methods == []
        return
    assert said_methods == ["sendMessage"]
    assert texts[0].strip()
    if expected is not None:
        assert expected in texts[0]


@pytest.mark.parametrize(
    ("content", "expected"), [(c, e) for _, c, e in CASES], ids=[n for n, _, _ in CASES]
)
async def test_odd_updates_get_a_polite_reply_or_silence(
    chat: Chat, caplog: pytest.LogCaptureFixture, content: dict[str, Any], expected: str | None
) -> None:
    update = Update.de_json({"update_id": 900, **content}, chat.app.bot)
    with caplog.at_level(logging.INFO):
        said = await chat.process(update)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    _check(said.methods, said.texts, expected)


# A private message without a sender: `from` is optional in the Bot API (messages sent on
# behalf of a chat carry `sender_chat` instead). The handlers assume a user.
NO_SENDER = {
    "message_id": 43,
    "sender_chat": CHANNEL,
    "chat": PRIVATE,
    "date": int(time.time()),
}
NO_SENDER_CASES = {
    "text": {"message": {**NO_SENDER, "text": "តើ ប.ស.ស ជាអ្វី?"}},
    "command": {
        "message": {
            **NO_SENDER,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
    },
    "dice": {"message": {**NO_SENDER, "dice": {"emoji": "🎲", "value": 1}}},
    "edited": {"edited_message": {**NO_SENDER, "text": "x", "edit_date": 1}},
}


@pytest.mark.parametrize("content", NO_SENDER_CASES.values(), ids=NO_SENDER_CASES.keys())
async def test_a_private_message_without_a_sender_is_ignored_quietly(
    chat: Chat, caplog: pytest.LogCaptureFixture, content: dict[str, Any]
) -> None:
    update = Update.de_json({"update_id": 901, **content}, chat.app.bot)
    with caplog.at_level(logging.INFO):
        said = await chat.process(update)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert said.methods == []
