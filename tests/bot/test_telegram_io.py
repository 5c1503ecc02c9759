"""Rendering replies: paragraphs, keyboards, and the message length limit."""

from __future__ import annotations

import json

import pytest

from bot.services.replies import Button, Msg, Reply
from bot.telegram_io.render import render, render_json


def test_parts_are_paragraphs_and_buttons_rows() -> None:
    reply = Reply(
        "en",
        ("An answer.\n", Msg("hotlines")),
        (
            (Button(Msg("feedback-yes"), "v1:f:1:1"), Button("Two", "v1:t")),
            (Button(Msg("button-private-chat"), url="https://t.me/bot"),),
        ),
    )
    text, markup = render(reply)
    assert (
        text == "An answer.\n\nPlease call the NSSF hotline 1286 or the Ministry of Labour "
        "hotline 1297. Both answer 24 hours a day."
    )
    assert markup is not None
    assert markup.to_dict() == {
        "inline_keyboard": [
            [
                {"text": "👍", "callback_data": "v1:f:1:1"},
                {"text": "Two", "callback_data": "v1:t"},
            ],
            [{"text": "💬 Chat with me", "url": "https://t.me/bot"}],
        ]
    }


def test_no_buttons_no_keyboard() -> None:
    assert render(Reply.say("km", "help"))[1] is None


def test_arguments_are_filled_in() -> None:
    text, _ = render(Reply("km", (Msg("topics-category", {"title": "មាតុភាព"}),)))
    assert text == "មាតុភាព\nសូមជ្រើសរើសសំណួរ៖"


def test_an_over_long_reply_is_cut_to_fit_one_message(caplog: pytest.LogCaptureFixture) -> None:
    text, _ = render(Reply("en", ("x" * 5000, Msg("hotlines"))))
    assert len(text) == 4096 and text.endswith("…")
    assert "cut to 4096" in caplog.text


@pytest.mark.parametrize(
    "reply",
    [
        Reply.say("km", "help"),
        Reply(
            "en",
            ("An answer.", Msg("hotlines")),
            (
                (Button(Msg("feedback-yes"), "v1:f:1:1"), Button("Two", "v1:t")),
                (Button(Msg("button-private-chat"), url="https://t.me/bot"),),
                (Button("both", "v1:x", url="https://example.org"),),
            ),
        ),
        Reply("km", (Msg("choices-prompt"),), ((Button("សំណួរ ១", "v1:c:7:a"),),)),
        Reply("en", ("x" * 5000,), ((Button(Msg("button-topics"), "v1:t:n"),),)),
    ],
)
def test_the_keyboard_as_json_is_what_telegram_objects_make_of_it(reply: Reply) -> None:
    """The outbox stores render_json's keyboard: the same JSON, key order included, as
    the Telegram objects' to_dict()."""
    text, markup = render(reply)
    json_text, keyboard = render_json(reply)
    assert json_text == text
    if markup is None:
        assert keyboard is None
    else:
        assert json.dumps(keyboard, ensure_ascii=False) == json.dumps(
            markup.to_dict(), ensure_ascii=False
        )
