"""Where features built apart meet: escalation (#8), broadcasts (#9) and the FAQ, by
transcript on the real Application and the fake Bot API (both backends).

A worker with a case open who also subscribes, STOPs or taps "I'll attend"; /help naming
what the bot can do now; buttons of each feature tapped in the wrong chat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from bot.app import build_application
from bot.context import BotApplication
from bot.db import Database
from bot.fakes.telegram import FakeTelegram, callback_update, command_update
from bot.models import Case, Rsvp, Subscriber, Worker, utcnow
from bot.services import Desk, campaigns
from bot.settings import Settings
from bot.telegram_io.sender import Pacing
from tests.bot.chat import Chat, Said
from tests.bot.handlers.test_escalation import _open_case
from tests.bot.handlers.test_organisers import _deliver
from tests.bot.staff import STAFF_CHAT, Staff

ORGANISER = 900


def _build(
    settings: Settings, desk: Desk, fake: FakeTelegram, database: Database
) -> BotApplication:
    return build_application(
        settings,
        faq=desk.faq,
        matcher=desk.matcher,
        request=fake.request(),
        database=database,
        pacing=Pacing.unlimited(),
    )


@pytest.fixture
async def app(
    settings: Settings, desk: Desk, fake: FakeTelegram, database: Database
) -> AsyncIterator[BotApplication]:
    """Everything on: a staff forum group (staff speak English) and one organiser."""
    staffed = settings.model_copy(
        update={
            "staff_chat_id": STAFF_CHAT,
            "staff_language": "en",
            "organiser_ids": frozenset({ORGANISER}),
        }
    )
    async with _build(staffed, desk, fake, database) as application:
        yield application


@pytest.fixture
def staff(app: BotApplication, fake: FakeTelegram) -> Staff:
    fake.add_member(STAFF_CHAT, 501)
    return Staff(app, fake, 501, "Dara")


def _to_chat(said: Said, chat_id: int) -> list[str]:
    return [str(p["text"]) for p in said.messages if p["chat_id"] == chat_id]


# --- /help names what the bot does now --------------------------------------------------


async def test_help_names_ask_cases_subscribe_and_stop_when_staff_can_be_reached(
    chat: Chat,
) -> None:
    await chat.choose_english()
    said = await chat.send("/help")
    (text,) = said.texts
    for command in ("/topics", "/ask", "/cases", "/subscribe", "STOP", "/language"):
        assert command in text, command
    await chat.send("/language")
    await chat.tap("ភាសាខ្មែរ")
    (text,) = (await chat.send("/help")).texts
    for command in ("/topics", "/ask", "/cases", "/subscribe", "ឈប់"):
        assert command in text, command
    assert "STOP" not in text  # the Khmer word is the one a Khmer reader is told


async def test_help_without_a_staff_group_offers_no_ask(
    settings: Settings, desk: Desk, fake: FakeTelegram, database: Database
) -> None:
    async with _build(settings, desk, fake, database) as application:
        chat = Chat(application, fake)
        await chat.choose_english()
        (text,) = (await chat.send("/help")).texts
    assert "/subscribe" in text and "STOP" in text
    assert "/ask" not in text and "/cases" not in text


# --- a worker with a case open, and the broadcasts ------------------------------------------


async def test_a_worker_with_a_case_open_subscribes_stops_and_rsvps_without_touching_it(
    app: BotApplication, chat: Chat, fake: FakeTelegram, staff: Staff
) -> None:
    await chat.choose_english()
    await chat.tap("Yes")  # the offer of news, right after the language
    await _open_case(chat)
    async with app.bot_data.database.transaction() as session:
        await campaigns.create(
            session,
            ORGANISER,
            text_km="ប្រជុំ",
            text_en="Union meeting on Sunday",
            rsvp=True,
            status="scheduled",
            scheduled_at=utcnow(),
        )
    await _deliver(app)
    said = await chat.tap("I'll attend")
    assert said.toasts == ["Thank you! We have counted you in."]
    assert not [c for c in said.calls if c.params.get("chat_id") == STAFF_CHAT]
    said = await chat.send("STOP")  # opts out of news; not a message for staff
    assert said.texts[0].startswith("You are unsubscribed")
    assert not [c for c in said.calls if c.params.get("chat_id") == STAFF_CHAT]
    said = await chat.send("Here is my payslip number")  # still goes to the case
    assert said.texts == ["Sent to union staff (case #1)."]
    async with app.bot_data.database.transaction() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 1
        subscriber = await session.scalar(sa.select(Subscriber))
    assert subscriber is not None and not subscriber.subscribed


# --- buttons in the wrong chat ---------------------------------------------------------------

# A worker's buttons of each feature: language, FAQ, subscription, escalation, RSVP.
_WORKER_BUTTONS = ("v1:l:en", "v1:t", "v1:u:y", "v1:u:t:pension", "v1:u:n", "v1:ax:1", "v1:r:1")


@pytest.mark.parametrize("data", _WORKER_BUTTONS)
async def test_worker_buttons_forged_in_the_staff_group_post_nothing_there(
    app: BotApplication, fake: FakeTelegram, staff: Staff, data: str
) -> None:
    said = await staff.process(callback_update(501, data, 7, chat_id=STAFF_CHAT, bot=app.bot))
    assert _to_chat(said, STAFF_CHAT) == []
    assert [c.method for c in said.calls if c.params.get("chat_id") == STAFF_CHAT] == []
    async with app.bot_data.database.transaction() as session:
        assert await session.scalar(sa.select(sa.func.count()).select_from(Subscriber)) == 0
        chosen = await session.scalar(
            sa.select(Worker.language_chosen).where(Worker.telegram_user_id == 501)
        )
    assert not chosen


# --- /language in the middle of a case ------------------------------------------------------


async def test_a_language_switch_mid_case_updates_the_card_and_tells_staff_in_their_language(
    app: BotApplication, chat: Chat, fake: FakeTelegram, staff: Staff
) -> None:
    await chat.send("/start")
    await chat.tap("ភាសាខ្មែរ")
    await chat.send("/ask")
    await chat.send("ថៅកែមិនបង់ភាគទាន")
    await chat.tap("ការចុះឈ្មោះ")
    await chat.tap("រំលង")
    cards = [m for m in fake.messages(STAFF_CHAT) if str(m.get("text", "")).startswith("Case #1")]
    assert "Language: Khmer" in cards[-1]["text"]
    await chat.send("/language")
    said = await chat.tap("English")
    assert _to_chat(said, 1001)[0].startswith("You chose English.")
    to_staff = _to_chat(said, STAFF_CHAT)
    assert to_staff[0] == "The worker now reads English: please reply in English."
    assert "Language: English" in to_staff[1]  # the card, edited in place
    said = await chat.send("Thank you")  # the worker's receipts follow the new language
    assert _to_chat(said, 1001) == ["Sent to union staff (case #1)."]
    said = await chat.send("/language")
    said = await chat.tap("English")  # the same language again: staff are not told twice
    assert _to_chat(said, STAFF_CHAT) == []


async def test_a_language_switch_without_a_case_posts_nothing_to_staff(
    app: BotApplication, chat: Chat, staff: Staff
) -> None:
    await chat.choose_english()
    await chat.send("/language")
    said = await chat.tap("ភាសាខ្មែរ")
    assert _to_chat(said, STAFF_CHAT) == []
    assert _to_chat(said, 1001)[0].startswith("អ្នកបានជ្រើសរើសភាសាខ្មែរ")


# --- commands in groups ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["ask", "cases", "subscribe"])
async def test_worker_commands_in_another_group_point_to_a_private_chat(
    app: BotApplication, chat: Chat, command: str
) -> None:
    update = command_update(1001, command, chat_id=-100555, chat_type="supergroup", bot=app.bot)
    said = await chat.process(update)
    assert said.methods == ["sendMessage"]
    assert said.messages[0]["chat_id"] == -100555
    assert said.data == ["https://t.me/nssf_helpdesk_test_bot"]


# --- the organisers' command menu -------------------------------------------------------------


async def test_organisers_see_broadcast_and_campaigns_in_their_menu(
    app: BotApplication, fake: FakeTelegram
) -> None:
    assert app.post_init is not None
    await app.post_init(app)  # at start-up: each organiser's own menu, in their language
    menus = [c for c in fake.calls if c.method == "setMyCommands"]
    (own,) = [c.params for c in menus if c.params.get("scope", {}).get("chat_id") == ORGANISER]
    names = [c["command"] for c in own["commands"]]
    assert names[-2:] == ["broadcast", "campaigns"] and "ask" in names
    assert own["commands"][-2]["description"] == "ផ្ញើការផ្សាយថ្មីទៅអ្នកចុះឈ្មោះ"
    for call in menus:  # nobody else gets the organisers' commands
        if call.params is not own:
            assert "broadcast" not in [c["command"] for c in call.params["commands"]]
    organiser = Chat(app, fake, ORGANISER)
    await organiser.send("/start")
    said = await organiser.tap("English")  # the menu follows the language, and stays theirs
    (menu,) = [c.params for c in said.calls if c.method == "setMyCommands"]
    assert [c["command"] for c in menu["commands"]][-2:] == ["broadcast", "campaigns"]
    assert menu["commands"][-1]["description"] == "Your broadcasts: figures, pause, cancel"
    worker = Chat(app, fake, 1001)
    await worker.send("/start")
    said = await worker.tap("English")
    (menu,) = [c.params for c in said.calls if c.method == "setMyCommands"]
    assert "broadcast" not in [c["command"] for c in menu["commands"]]


async def test_an_organiser_who_never_started_the_bot_does_not_stop_start_up(
    app: BotApplication, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("setMyCommands", error=(400, "Bad Request: chat not found"), times=None)
    assert app.post_init is not None
    await app.post_init(app)
    assert "could not set an organiser's command menu" in caplog.text


# --- commands typed in a case's topic ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["/close", "/help@nssf_helpdesk_test_bot", "/start@other_bot"])
async def test_a_command_typed_in_a_case_topic_is_not_sent_to_the_worker(
    app: BotApplication, chat: Chat, staff: Staff, typed: str
) -> None:
    await chat.choose_english()
    await _open_case(chat)
    said = await staff.say(typed, await _thread(app))
    assert [c for c in said.calls if c.params.get("chat_id") == 1001] == []
    assert _to_chat(said, STAFF_CHAT) == [
        "Not sent: a message starting with / is a command, not an answer. Use the card's "
        "buttons, or start a note for colleagues with //."
    ]
    said = await staff.say("/ means per: 2% / month", await _thread(app))  # not a command
    assert [c.method for c in said.calls if c.params.get("chat_id") == 1001] == ["copyMessage"]


async def _thread(app: BotApplication) -> int:
    async with app.bot_data.database.transaction() as session:
        thread = await session.scalar(sa.select(Case.thread_id))
    assert thread is not None
    return thread


# --- Khmer everywhere an organiser reads --------------------------------------------------------


async def test_the_broadcast_summary_names_topics_and_sector_in_the_organisers_language(
    app: BotApplication, fake: FakeTelegram
) -> None:
    organiser = Chat(app, fake, ORGANISER)  # never chose a language: Khmer
    await organiser.send("/broadcast")
    await organiser.send("ប្រជុំ")
    await organiser.tap_data("v1:o:en")
    await organiser.tap_data("v1:o:seg")  # Next: every subscriber, any work
    said = await organiser.tap_data("v1:o:when:now")
    assert "ប្រធានបទ៖ អ្នកចុះឈ្មោះទាំងអស់" in said.texts[-1]
    assert "*" not in said.texts[-1]
    await organiser.tap("បោះបង់")
    await organiser.send("/broadcast")
    await organiser.send("ប្រជុំ")
    await organiser.tap_data("v1:o:en")
    await organiser.tap_data("v1:o:seg:pension")
    await organiser.tap("រោងចក្រកាត់ដេរ")
    await organiser.tap_data("v1:o:seg")
    said = await organiser.tap_data("v1:o:when:now")
    assert "ប្រធានបទ៖ ប្រាក់សោធន × រោងចក្រកាត់ដេរ ឬស្បែកជើង" in said.texts[-1]
    assert "pension" not in said.texts[-1] and "garment" not in said.texts[-1]


# --- a staff reply Telegram refuses to copy ----------------------------------------------------


async def test_a_staff_reply_that_cannot_be_copied_is_reported_in_the_topic_not_to_the_worker(
    app: BotApplication, chat: Chat, fake: FakeTelegram, staff: Staff
) -> None:
    await chat.choose_english()
    await _open_case(chat)
    # Telegram refuses some messages (a quiz, a service message): "message can't be copied".
    fake.fail("copyMessage", chat_id=1001, error=(400, "Bad Request: message can't be copied"))
    said = await staff.say("Please send your payslip", await _thread(app))
    assert _to_chat(said, 1001) == []  # no "sorry, something went wrong" out of nowhere
    assert (
        "Not sent: Telegram refused to copy this message to the worker "
        "(Message can't be copied). Please send it another way."
    ) in _to_chat(said, STAFF_CHAT)
    said = await staff.say("Please send your payslip", await _thread(app))
    assert [c.method for c in said.calls if c.params.get("chat_id") == 1001] == ["copyMessage"]


async def test_a_staff_reply_deleted_before_it_was_copied_is_reported_in_the_topic(
    app: BotApplication, chat: Chat, fake: FakeTelegram, staff: Staff
) -> None:
    await chat.choose_english()
    await _open_case(chat)
    # Staff deleted their reply before the bot copied it: "message to copy not found".
    fake.fail("copyMessage", chat_id=1001, error=(400, "Bad Request: message to copy not found"))
    said = await staff.say("Please send your payslip", await _thread(app))
    assert _to_chat(said, 1001) == []
    assert any(
        text.startswith("Not sent: Telegram refused to copy this message to the worker")
        for text in _to_chat(said, STAFF_CHAT)
    )
