"""The fake Bot API: real response shapes, real errors, getUpdates semantics, factories."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import typing
from collections.abc import AsyncIterator

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity
from telegram.error import BadRequest, EndPointNotFound, Forbidden, RetryAfter

from bot.fakes.telegram import (
    BLOCKED,
    MESSAGE_NOT_FOUND,
    Call,
    FakeTelegram,
    MediaKind,
    callback_update,
    command_update,
    edited_message_update,
    media_update,
    member_update,
    text_update,
)

KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="v1:t")]])


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    """A plain PTB Bot on the fake."""
    request = fake.request()
    async with Bot(fake.token, request=request, get_updates_request=request) as bot:
        yield bot


async def test_get_me_has_what_ptb_needs(bot: Bot, fake: FakeTelegram) -> None:
    assert bot.username == "nssf_helpdesk_test_bot"
    assert bot.id == fake.bot_user["id"]
    assert fake.calls[0] == Call("getMe", {})


async def test_send_message_result_is_a_message_with_the_keyboard(
    bot: Bot, fake: FakeTelegram
) -> None:
    message = await bot.send_message(1001, "សួស្តី", reply_markup=KEYBOARD)
    assert message.text == "សួស្តី"
    assert message.chat.id == 1001 and message.chat.type == "private"
    assert message.from_user is not None and message.from_user.is_bot
    assert message.reply_markup == KEYBOARD
    assert abs(message.date.timestamp() - time.time()) < 5  # seconds, not milliseconds
    assert fake.requests("sendMessage") == [
        {
            "chat_id": 1001,
            "text": "សួស្តី",
            "reply_markup": {"inline_keyboard": [[{"text": "Yes", "callback_data": "v1:t"}]]},
        }
    ]
    stored = fake.last_message(1001)
    assert stored is not None
    assert (stored["message_id"], stored["text"]) == (message.message_id, "សួស្តី")


async def test_message_ids_grow(bot: Bot) -> None:
    first = await bot.send_message(1, "a")
    second = await bot.send_message(2, "b")
    assert second.message_id > first.message_id


@pytest.mark.parametrize(
    ("text", "error"), [("", "Message text is empty"), ("x" * 4097, "Message is too long")]
)
async def test_send_message_validates_text(bot: Bot, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=error):
        await bot.send_message(1, text)


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(1, "x", reply_markup=markup)


async def test_edit_text_replaces_text_and_keyboard(bot: Bot, fake: FakeTelegram) -> None:
    message = await bot.send_message(1, "one", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("two", chat_id=1, message_id=message.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "two" and edited.edit_date is not None
    stored = fake.message(1, message.message_id)
    assert stored is not None
    assert stored["text"] == "two"
    assert "reply_markup" not in stored  # editing without a keyboard removes it


async def test_edit_errors_are_telegrams(bot: Bot, fake: FakeTelegram) -> None:
    message = await bot.send_message(1, "one")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("one", chat_id=1, message_id=message.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("two", chat_id=1, message_id=999)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(chat_id=1, message_id=message.message_id)


async def test_edit_reply_markup(bot: Bot, fake: FakeTelegram) -> None:
    message = await bot.send_message(1, "one", reply_markup=KEYBOARD)
    await bot.edit_message_reply_markup(chat_id=1, message_id=message.message_id)
    assert FakeTelegram.buttons(fake.message(1, message.message_id)) == []


async def test_delete_and_copy(bot: Bot, fake: FakeTelegram) -> None:
    fake.push(text_update(1001, "my question", message_id=77))
    with pytest.raises(BadRequest, match="Message thread not found"):  # no such topic
        await bot.copy_message(-1005, from_chat_id=1001, message_id=77, message_thread_id=3)
    topic = await bot.create_forum_topic(-1005, "Case 1")
    thread = topic.message_thread_id
    copied = await bot.copy_message(
        -1005, from_chat_id=1001, message_id=77, message_thread_id=thread
    )
    stored = fake.message(-1005, copied.message_id)
    assert stored is not None
    assert (stored["text"], stored["message_thread_id"]) == ("my question", thread)
    assert await bot.delete_message(-1005, copied.message_id)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(-1005, copied.message_id)
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_message(-1005, from_chat_id=1001, message_id=78)


async def test_copy_messages_like_telegram(bot: Bot, fake: FakeTelegram) -> None:
    for message_id, text in ((77, "one"), (78, "two"), (80, "three")):
        fake.push(text_update(1001, text, message_id=message_id))
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.copy_messages(-1005, 1001, [77, 78], message_thread_id=3)
    thread = (await bot.create_forum_topic(-1005, "Case 1")).message_thread_id
    with pytest.raises(BadRequest, match="strictly increasing"):
        await bot.copy_messages(-1005, 1001, [78, 77], message_thread_id=thread)
    with pytest.raises(BadRequest, match="strictly increasing"):
        await bot.copy_messages(-1005, 1001, [77, 77], message_thread_id=thread)
    # 79 does not exist: skipped, and the answer does not say which.
    copies = await bot.copy_messages(-1005, 1001, [77, 79, 80], message_thread_id=thread)
    assert len(copies) == 2 and copies[0].message_id < copies[1].message_id
    stored = [fake.message(-1005, copy.message_id) or {} for copy in copies]
    assert [(m["text"], m["message_thread_id"]) for m in stored] == [
        ("one", thread),
        ("three", thread),
    ]
    with pytest.raises(BadRequest, match="Message to copy not found"):
        await bot.copy_messages(-1005, 1001, [90, 91])
    assert len(fake.requests("copyMessages")) == 5


async def test_edit_caption_like_telegram(bot: Bot, fake: FakeTelegram) -> None:
    text = await bot.send_message(1001, "plain")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=1001, message_id=text.message_id, caption="x")
    fake.push(text_update(1001, "source", message_id=55))
    copied = await bot.copy_message(1001, from_chat_id=1001, message_id=55)
    with pytest.raises(BadRequest, match="There is no caption"):  # a copy of a text
        await bot.edit_message_caption(chat_id=1001, message_id=copied.message_id, caption="x")
    fake.push(media_update(1001, "document", caption="Fill in page 1"))
    source = fake.pending_updates()[-1]["message"]["message_id"]
    document = await bot.copy_message(1001, from_chat_id=1001, message_id=source)
    edited = await bot.edit_message_caption(
        chat_id=1001, message_id=document.message_id, caption="Fill in pages 1 and 2"
    )
    assert not isinstance(edited, bool) and edited.caption == "Fill in pages 1 and 2"
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_caption(
            chat_id=1001, message_id=document.message_id, caption="Fill in pages 1 and 2"
        )


async def test_forum_topic_and_chat_action(bot: Bot) -> None:
    topic = await bot.create_forum_topic(-1005, "Case 12")
    assert topic.name == "Case 12" and topic.message_thread_id > 0
    assert await bot.send_chat_action(1, "typing")


async def test_answer_callback_query(bot: Bot, fake: FakeTelegram) -> None:
    assert await bot.answer_callback_query("123", text="Thanks")
    assert fake.requests("answerCallbackQuery") == [{"callback_query_id": "123", "text": "Thanks"}]


async def test_commands_per_scope_and_language(bot: Bot, fake: FakeTelegram) -> None:
    await bot.set_my_commands([("start", "Start")], language_code="en")
    await bot.set_my_commands([("start", "ចាប់ផ្តើម")])
    assert fake.commands[("default", "en")] == [{"command": "start", "description": "Start"}]
    assert [c.description for c in await bot.get_my_commands()] == ["ចាប់ផ្តើម"]
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Start-Now", "x")])
    await bot.delete_my_commands(language_code="en")
    assert ("default", "en") not in fake.commands


async def test_injected_errors(
    bot: Bot, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # retry_after as a timedelta (PTB 22.2+)
    fake.fail("sendMessage", chat_id=5, error=BLOCKED)
    with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(5, "x")
    await bot.send_message(5, "x")  # times=1: only once
    fake.fail("editMessageText", error=MESSAGE_NOT_FOUND, times=2)
    for _ in range(2):
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", chat_id=5, message_id=1)
    fake.fail("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(6, "x")
    assert raised.value.retry_after == dt.timedelta(seconds=3)


async def test_a_blocked_user_fails_every_method(bot: Bot, fake: FakeTelegram) -> None:
    fake.block(5)
    for _ in range(3):
        with pytest.raises(Forbidden):
            await bot.send_message(5, "x")
    await bot.send_message(6, "other users still get messages")


async def test_unknown_method_is_404(fake: FakeTelegram) -> None:
    response = fake.handle("sendTelepathy", {"chat_id": 1})
    assert response == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert fake.status(response) == 404
    request = fake.request()
    async with Bot(fake.token, request=request, get_updates_request=request) as bot:
        with pytest.raises(EndPointNotFound):  # what PTB makes of a 404
            await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})


def test_form_encoded_parameters_are_understood(fake: FakeTelegram) -> None:
    response = fake.handle(
        "sendMessage",
        {
            "chat_id": "1001",
            "text": "hi",
            "reply_markup": '{"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}',
        },
    )
    assert response["ok"] is True
    assert response["result"]["chat"]["id"] == 1001
    assert response["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "a"
    bad = fake.handle("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": "{"})
    assert bad["error_code"] == 400


async def test_get_updates_confirms_with_offset(bot: Bot, fake: FakeTelegram) -> None:
    first = fake.push(text_update(1, "one"))
    second = fake.push(text_update(1, "two").to_dict())
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [first, second]  # again
    updates = await bot.get_updates(offset=second, timeout=0)  # confirms `first`
    assert [u.update_id for u in updates] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()
    assert fake.pending_updates() == []
    assert "getUpdates" not in fake.methods()  # not recorded unless asked


async def test_get_updates_filters_and_limits(fake: FakeTelegram) -> None:
    fake.push(text_update(1, "a"))
    fake.push(callback_update(1, "v1:t", 3))
    assert len(fake.handle("getUpdates", {"allowed_updates": ["callback_query"]})["result"]) == 1
    assert len(fake.handle("getUpdates", {"limit": 1})["result"]) == 1


async def test_long_polling_waits_for_an_update(fake: FakeTelegram) -> None:
    async def later() -> None:
        await asyncio.sleep(0.1)
        fake.push(text_update(1, "late"))

    task = asyncio.create_task(later())
    started = time.monotonic()
    response = await fake.handle_async("getUpdates", {"timeout": 5})
    await task
    assert len(response["result"]) == 1
    assert time.monotonic() - started < 2


async def test_long_polling_times_out_empty(fake: FakeTelegram) -> None:
    started = time.monotonic()
    response = await fake.handle_async("getUpdates", {"timeout": 0.2})
    assert response == {"ok": True, "result": []}
    assert 0.15 < time.monotonic() - started < 2


async def test_webhook_conflicts_with_polling(bot: Bot, fake: FakeTelegram) -> None:
    await bot.set_webhook("https://bot.example.org/hook", secret_token="abc")
    assert fake.webhook == {"url": "https://bot.example.org/hook", "secret_token": "abc"}
    assert fake.handle("getUpdates")["error_code"] == 409
    fake.push(text_update(1, "x"))
    assert (await bot.get_webhook_info()).pending_update_count == 1
    await bot.delete_webhook(drop_pending_updates=True)
    assert fake.handle("getUpdates") == {"ok": True, "result": []}


def test_find_button(fake: FakeTelegram) -> None:
    fake.handle("sendMessage", {"chat_id": 1, "text": "x", "reply_markup": KEYBOARD.to_dict()})
    message, button = fake.find_button(1, "Ye")
    assert button["callback_data"] == "v1:t"
    assert message["text"] == "x"
    with pytest.raises(LookupError):
        fake.find_button(1, "No")


# --- factories ---------------------------------------------------------------------------


def test_text_update_shape(bot_for_factories: Bot) -> None:
    update = text_update(1001, "សួស្តី", update_id=5, bot=bot_for_factories)
    assert update.update_id == 5
    assert update.message is not None
    assert update.message.text == "សួស្តី"
    assert update.effective_chat is not None and update.effective_chat.type == "private"
    assert update.effective_user is not None and update.effective_user.id == 1001
    assert update.message.get_bot() is bot_for_factories


def test_group_text_update() -> None:
    update = text_update(1001, "hi", chat_id=-1009, chat_type="supergroup")
    assert update.effective_chat is not None
    assert (update.effective_chat.id, update.effective_chat.type) == (-1009, "supergroup")


def test_command_update_has_a_bot_command_entity() -> None:
    update = command_update(1001, "start", "campaign_2026")
    assert update.message is not None
    assert update.message.text == "/start campaign_2026"
    assert update.message.entities == (MessageEntity("bot_command", 0, 6),)
    named = command_update(1001, "/help", bot_username="nssf_bot")
    assert named.message is not None and named.message.text == "/help@nssf_bot"


def test_callback_update_shapes() -> None:
    update = callback_update(1001, "v1:t", 12, message_text="Choose a topic:")
    query = update.callback_query
    assert query is not None and query.data == "v1:t" and query.chat_instance
    assert query.message is not None and query.message.is_accessible
    old = callback_update(1001, "v1:t", 12, inaccessible=True).callback_query
    assert old is not None and old.message is not None and not old.message.is_accessible


@pytest.mark.parametrize("kind", typing.get_args(MediaKind))
def test_media_updates_parse(kind: str) -> None:
    update = media_update(1001, kind)  # type: ignore[arg-type]
    assert update.message is not None
    assert getattr(update.message, kind)
    assert update.message.text is None


def test_edited_and_member_updates() -> None:
    edited = edited_message_update(1001, "fixed typo")
    assert edited.edited_message is not None and edited.edited_message.edit_date is not None
    kicked = member_update(1001, "kicked").my_chat_member
    assert kicked is not None and kicked.new_chat_member.status == "kicked"
    back = member_update(1001, "member").my_chat_member
    assert back is not None and back.new_chat_member.status == "member"


@pytest.fixture
def bot_for_factories(fake: FakeTelegram) -> Bot:
    """A Bot object to bind updates to (no request is made)."""
    return Bot(fake.token, request=fake.request(), get_updates_request=fake.request())


def test_form_booleans_are_booleans_and_text_stays_text() -> None:
    from bot.fakes.telegram import FakeTelegram

    fake = FakeTelegram()
    fake.handle("deleteWebhook", {"drop_pending_updates": "false"})
    assert fake.calls[-1].params["drop_pending_updates"] is False
    fake.handle("sendMessage", {"chat_id": "5", "text": "false"})
    assert fake.calls[-1].params["text"] == "false"


async def test_a_long_poll_confirms_earlier_updates_when_it_arrives() -> None:
    import asyncio

    from bot.fakes.telegram import FakeTelegram

    fake = FakeTelegram()
    first = fake.push(
        {
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 5, "type": "private"},
                "text": "a",
            }
        }
    )
    poll = asyncio.create_task(
        fake.handle_async("getUpdates", {"offset": first + 1, "timeout": 1})
    )
    await asyncio.sleep(0.05)
    assert fake.pending_updates() == []  # confirmed while the poll is still waiting
    await poll
