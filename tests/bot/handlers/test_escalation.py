"""Escalation to union staff, by transcript: a worker's chat and the staff forum group.

The real Application on the fake Bot API (which refuses posts into topics that do not
exist, copies only messages it has, and answers getChatMember from its member list), a
fresh database on both backends. Staff speak English here (STAFF_LANGUAGE=en).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import update as sql_update
from telegram import Update

from bot import callbacks
from bot.app import build_application
from bot.context import BotApplication, BotData
from bot.db import Database
from bot.fakes.telegram import (
    WORKER_NAME,
    WORKER_USERNAME,
    FakeTelegram,
    MediaKind,
    callback_update,
    command_update,
    edited_message_update,
    text_update,
)
from bot.models import Case, CaseMessage, OutboundMessage, Worker, utcnow
from bot.services import Desk, promote
from bot.services.sla import WorkingWeek
from bot.settings import Settings
from bot.telegram_io.casehook import CaseHook
from bot.telegram_io.sender import Pacing, Sender
from handlers import staff as staff_handlers
from tests.bot.chat import Chat, Said
from tests.bot.staff import STAFF_CHAT, Staff

ADMIN = 999


def _staffed(
    settings: Settings, desk: Desk, fake: FakeTelegram, database: Database
) -> BotApplication:
    """An application with a staff forum group (STAFF_CHAT) and one admin (ADMIN)."""
    staffed = settings.model_copy(
        update={"staff_chat_id": STAFF_CHAT, "staff_language": "en", "admin_ids": {ADMIN}}
    )
    return build_application(
        staffed,
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
    """The application with a staff forum group (STAFF_CHAT) and one admin."""
    async with _staffed(settings, desk, fake, database) as application:
        yield application


@pytest.fixture
def staff(app: BotApplication, fake: FakeTelegram) -> Staff:
    """Dara, a member of the staff group."""
    fake.add_member(STAFF_CHAT, 501)
    return Staff(app, fake, 501, "Dara")


@pytest.fixture
def colleague(app: BotApplication, fake: FakeTelegram) -> Staff:
    """Sokha, another member of the staff group."""
    fake.add_member(STAFF_CHAT, 502)
    return Staff(app, fake, 502, "Sokha")


def _calls(said: Said, method: str, chat_id: int) -> list[dict[str, Any]]:
    return [c.params for c in said.calls if c.method == method and c.params["chat_id"] == chat_id]


def _texts(said: Said, chat_id: int = 1001) -> list[str]:
    """The texts sent to one chat (the sender serves chats concurrently: across chats the
    order of the calls is not fixed)."""
    return [str(p["text"]) for p in said.messages if p["chat_id"] == chat_id]


def _card(fake: FakeTelegram) -> dict[str, Any]:
    """The newest case card in the staff group."""
    cards = [m for m in fake.messages(STAFF_CHAT) if m.get("text", "").startswith("Case #")]
    return cards[-1]


async def _case(database: Database) -> Case:
    async with database.transaction() as session:
        case = await session.scalar(select(Case).order_by(Case.id.desc()))
    assert case is not None
    return case


async def _open_case(chat: Chat, text: str = "My boss keeps my NSSF card") -> Said:
    """/ask, the question, a category, no employer: the case is open."""
    await chat.send("/ask")
    await chat.send(text)
    await chat.tap("Registration")
    return await chat.tap("Skip")


@pytest.fixture
async def opened(chat: Chat) -> Said:
    """Worker 1001 in English with case #1 open."""
    await chat.choose_english()
    return await _open_case(chat)


# --- opening a case --------------------------------------------------------------------


async def test_no_match_offers_staff_and_opens_a_case_with_topic_card_and_copy(
    chat: Chat, fake: FakeTelegram, database: Database
) -> None:
    await chat.choose_english()
    said = await chat.send("supervisor shouts at me every day")
    assert said.buttons == ["🙋 Ask union staff", "📚 Topics"]
    assert "Union staff can answer you here" in said.text
    question_message = said.calls[0]  # the reply; the worker's message is what gets copied
    assert question_message.method == "sendMessage"

    said = await chat.tap("Ask union staff")
    assert "I will send this question to union staff" in said.text
    assert "supervisor shouts at me every day" in said.text
    assert said.buttons[:2] == ["Registration", "Maternity"]
    assert said.buttons[2:] == ["Something else", "Skip", "Cancel"]
    assert _calls(said, "createForumTopic", STAFF_CHAT) == []  # nothing sent yet

    said = await chat.tap("Something else")
    assert "Which factory or employer" in said.text
    assert "raise them with NSSF" in said.text  # why it is asked
    assert said.buttons == ["Skip"]

    said = await chat.send("Golden Needle Garment")
    assert _texts(said)[0].startswith("Your question was sent to union staff as case #1.")
    assert "No other question is waiting before yours." in _texts(said)[0]
    assert "within 4 working hours" in _texts(said)[0]
    assert "not your name" in _texts(said)[0]
    topics = _calls(said, "createForumTopic", STAFF_CHAT)
    assert [t["name"] for t in topics] == ["#1 · Something else"]
    case = await _case(database)
    assert case.status == "open" and case.thread_id is not None
    cards = _calls(said, "sendMessage", STAFF_CHAT)
    assert len(cards) == 1 and cards[0]["message_thread_id"] == case.thread_id
    card = cards[0]["text"]
    assert card.startswith("Case #1 · Something else\nLanguage: English · Employer: Golden Needle")
    assert "supervisor shouts at me every day" in card
    assert "Waiting: nobody has claimed it yet." in card
    labels = [b["text"] for row in cards[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["✋ Claim", "✅ Close", "📚 Promote to FAQ"]
    copies = _calls(said, "copyMessage", STAFF_CHAT)
    assert len(copies) == 1 and copies[0]["from_chat_id"] == 1001
    assert copies[0]["message_thread_id"] == case.thread_id
    copied = fake.message(STAFF_CHAT, fake.messages(STAFF_CHAT)[-1]["message_id"])
    assert copied is not None and copied["text"] == "supervisor shouts at me every day"
    # Pseudonymous: nothing in the staff group names the worker.
    staff_side = str(fake.requests(chat_id=STAFF_CHAT))
    assert WORKER_NAME not in staff_side and WORKER_USERNAME not in staff_side
    assert case.employer == "Golden Needle Garment" and case.category == "other"


async def test_a_request_for_a_person_offers_staff_in_khmer(chat: Chat) -> None:
    said = await chat.send("ខ្ញុំចង់និយាយជាមួយមនុស្ស")
    assert said.texts[0].startswith("អ្នកចង់និយាយជាមួយមនុស្ស។ បុគ្គលិកសហជីពអាចឆ្លើយអ្នក")
    assert said.buttons == ["🙋 សួរបុគ្គលិកសហជីព", "📚 ប្រធានបទ"]
    said = await chat.tap("សួរបុគ្គលិកសហជីព")
    assert "ខ្ញុំនឹងផ្ញើសំណួរនេះទៅបុគ្គលិកសហជីព" in said.text


async def test_thumbs_down_and_none_of_these_offer_staff(chat: Chat) -> None:
    await chat.choose_english()
    await chat.send("What is the NSSF?")
    said = await chat.tap("👎")
    assert "🙋 Ask union staff" in said.buttons
    await chat.send("baby")
    said = await chat.tap("None of these")
    assert "🙋 Ask union staff" in said.buttons


@pytest.mark.parametrize("kind", ["voice", "photo", "document"])
async def test_media_without_a_case_is_offered_to_staff_and_sent(
    chat: Chat, database: Database, kind: MediaKind
) -> None:
    await chat.choose_english()
    said = await chat.send_media(kind)
    assert "but union staff can" in said.text
    assert said.buttons == ["🙋 Ask union staff", "📚 Topics"]
    said = await chat.tap("Ask union staff")
    assert "I will send your message to union staff." in said.text
    await chat.tap("Maternity")
    said = await chat.tap("Skip")
    copies = _calls(said, "copyMessage", STAFF_CHAT)
    assert len(copies) == 1
    case = await _case(database)
    assert copies[0]["message_id"] == case.first_message_id
    card = _calls(said, "sendMessage", STAFF_CHAT)[0]["text"]
    assert "(voice message, photo or document: see below)" in card


async def test_ask_command_takes_a_voice_note_as_the_question(
    chat: Chat, fake: FakeTelegram
) -> None:
    await chat.choose_english()
    said = await chat.send("/ask")
    assert said.text.startswith("Write your question for union staff.")
    said = await chat.send_media("voice")
    assert "I will send your message to union staff." in said.text
    await chat.tap("Registration")
    said = await chat.tap("Skip")
    copied = fake.messages(STAFF_CHAT)[-1]
    assert "voice" in copied and copied["message_thread_id"] > 0


async def test_cancel_before_sending_sends_nothing(chat: Chat, database: Database) -> None:
    await chat.choose_english()
    await chat.send("/ask")
    said = await chat.tap("Cancel")
    assert said.text == "OK, nothing was sent. You can ask me a question at any time."
    said = await chat.send("What is the NSSF?")  # back to the FAQ
    assert "National Social Security Fund" in said.text
    async with database.transaction() as session:
        assert (await session.scalars(select(Case))).all() == []


async def test_html_and_markdown_in_worker_text_reach_staff_literally(
    chat: Chat, fake: FakeTelegram
) -> None:
    await chat.choose_english()
    text = "<b>boss</b> *shouts* _a lot_ [x](http://e.x) & <script>"
    said = await _open_case(chat, text)
    card = _calls(said, "sendMessage", STAFF_CHAT)[0]
    assert text in card["text"]
    assert "parse_mode" not in card  # plain text: nothing is interpreted
    stored = _card(fake)
    assert text in stored["text"]


async def test_an_open_case_takes_every_message_and_says_so(
    chat: Chat, fake: FakeTelegram, opened: Said
) -> None:
    said = await chat.send("What is the NSSF?")  # no FAQ answer while the case is open
    assert said.texts == ["Sent to union staff (case #1)."]
    said = await chat.send("/ask")
    assert said.text.startswith("You already have case #1 open.")
    said = await chat.send("/cases")
    assert said.texts[0] == "Your cases:\n\n#1 · Registration: open"
    assert said.buttons == ["✖️ Close case #1"]


# --- relay -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["photo", "voice", "document"])
async def test_worker_media_and_text_are_copied_into_the_topic_in_order(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said, kind: MediaKind
) -> None:
    case = await _case(database)
    first = await chat.send_media(kind)
    second = await chat.send("and here is more")
    third = await chat.send("and more")
    copies = [
        *_calls(first, "copyMessage", STAFF_CHAT),
        *_calls(second, "copyMessage", STAFF_CHAT),
        *_calls(third, "copyMessage", STAFF_CHAT),
    ]
    assert [c["message_thread_id"] for c in copies] == [case.thread_id] * 3
    in_topic = [m for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id")]
    assert kind in in_topic[-3]
    assert [m.get("text") for m in in_topic[-2:]] == ["and here is more", "and more"]
    async with database.transaction() as session:
        rows = (await session.scalars(select(CaseMessage).order_by(CaseMessage.id))).all()
    assert all(row.staff_message_id for row in rows)  # both sides known, for replies/edits


@pytest.mark.parametrize("kind", ["photo", "voice", "document"])
async def test_staff_replies_are_copied_to_the_worker_without_names(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said, kind: MediaKind
) -> None:
    case = await _case(database)
    said = await staff.say("Please send a photo of your payslip.", case.thread_id)
    copies = _calls(said, "copyMessage", 1001)
    assert len(copies) == 1 and copies[0]["from_chat_id"] == STAFF_CHAT
    got = fake.last_message(1001)
    assert got is not None and got["text"] == "Please send a photo of your payslip."
    assert got["from"]["id"] == fake.bot_user["id"]  # the bot's message, no staff name
    said = await staff.send_media(kind, case.thread_id)
    got = fake.last_message(1001)
    assert got is not None and kind in got
    case = await _case(database)
    assert case.first_response_at is not None
    assert case.owner_name == "Dara"  # the first to answer has it


async def test_notes_for_colleagues_are_not_sent(
    chat: Chat, staff: Staff, database: Database, opened: Said
) -> None:
    case = await _case(database)
    said = await staff.say("// I think this is a wage case, not NSSF", case.thread_id)
    assert _calls(said, "copyMessage", 1001) == [] and said.methods == []
    said = await staff.say("/note check the factory list", case.thread_id)
    assert [c.method for c in said.calls] == []  # membership was remembered
    assert (await _case(database)).first_response_at is None


async def test_a_staff_edit_is_carried_to_the_workers_copy(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    said = await staff.say("Call 1268", case.thread_id)
    sent = [c for c in said.calls if c.method == "copyMessage"]
    staff_message_id = sent[0].params["message_id"]
    copy = fake.last_message(1001)
    assert copy is not None
    said = await staff.edit(staff_message_id, "Call 1286", case.thread_id)
    edits = _calls(said, "editMessageText", 1001)
    assert [(e["message_id"], e["text"]) for e in edits] == [(copy["message_id"], "Call 1286")]
    edited = fake.message(1001, copy["message_id"])
    assert edited is not None and edited["text"] == "Call 1286"


# --- claim, close ----------------------------------------------------------------------


async def test_claim_unclaim_and_take_over(
    staff: Staff, colleague: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    said = await staff.tap("Claim")
    assert said.toasts == ["Case #1 is yours."]
    card = _card(fake)
    assert "Claimed by Dara." in card["text"]
    assert [b["text"] for b in fake.buttons(card)] == [
        "Unclaim",
        "Take over",
        "✅ Close",
        "📚 Promote to FAQ",
    ]
    said = await colleague.process(colleague.tap_update("v1:s:c:1", card["message_id"]))
    assert said.toasts == ["Dara has already claimed this case."]
    said = await colleague.tap("Unclaim")
    assert said.toasts == ["Only the person who claimed it can unclaim it."]
    said = await colleague.tap("Take over")
    assert said.toasts == ["Case #1 is yours."]
    assert "Sokha took this case over from Dara." in said.text
    assert (await _case(database)).owner_name == "Sokha"
    said = await colleague.tap("Unclaim")
    assert said.toasts == ["The case is back in the queue."]
    case = await _case(database)
    assert case.owner_id is None
    assert "Waiting: nobody has claimed it yet." in _card(fake)["text"]


async def test_two_claims_at_once_give_exactly_one_owner(
    staff: Staff, colleague: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    card = _card(fake)
    first = staff.tap_update("v1:s:c:1", card["message_id"])
    second = colleague.tap_update("v1:s:c:1", card["message_id"])
    start = len(fake.calls)
    await asyncio.gather(staff.app.process_update(first), staff.app.process_update(second))
    await staff.process(first)  # settles the spinners and drains the outbox (a no-op tap)
    toasts = [
        c.params.get("text")
        for c in fake.calls[start:]
        if c.method == "answerCallbackQuery" and c.params.get("text")
    ]
    case = await _case(database)
    assert case.owner_name in ("Dara", "Sokha")
    other = "Sokha" if case.owner_name == "Dara" else "Dara"
    assert "Case #1 is yours." in toasts
    assert f"{case.owner_name} has already claimed this case." in toasts
    assert other not in (case.owner_name or "")


async def test_close_with_an_outcome_tells_the_worker_and_asks_if_it_helped(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    await staff.say("You can check it in the NSSF app.", case.thread_id)
    said = await staff.tap("Close")
    labels = [b["text"] for b in fake.buttons(_card(fake))]
    assert labels == [
        "Answered",
        "Referred to NSSF",
        "Referred to union legal aid",
        "Duplicate",
        "No reply",
        "⬅️ Back",
    ]
    said = await staff.tap("Referred to NSSF")
    to_worker = [p for p in said.messages if p["chat_id"] == 1001]
    assert to_worker[0]["text"] == ("Union staff closed case #1.\n\nDid their answer help you?")
    assert "Dara closed this case: Referred to NSSF." in said.text
    card = _card(fake)
    assert "Closed: Referred to NSSF." in card["text"]
    assert [b["text"] for b in fake.buttons(card)] == ["📚 Promote to FAQ"]
    case = await _case(database)
    assert (case.status, case.outcome) == ("closed", "nssf") and case.closed_at
    said = await chat.tap("👍")
    assert said.toasts == ["Thank you for your feedback!"]
    assert "The worker says the answer helped. 👍" in said.text
    assert (await _case(database)).helped is True
    said = await chat.send("What is the NSSF?")  # the FAQ answers again
    assert "National Social Security Fund" in said.text
    said = await staff.say("one more thing", case.thread_id)
    assert "Not sent: this case is closed." in said.text
    assert _calls(said, "copyMessage", 1001) == []


async def test_the_worker_closes_their_case(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    said = await chat.tap("Close my case")
    assert _texts(said)[0].startswith("Case #1 is closed.")
    assert "The worker closed this case." in said.text
    assert (await _case(database)).outcome == "worker"
    said = await chat.send("/cases")
    assert said.texts[0] == "Your cases:\n\n#1 · Registration: closed"


# --- deleted topics, blocked workers ---------------------------------------------------


async def test_a_deleted_topic_is_made_again_and_nothing_is_lost(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    old = await _case(database)
    assert old.thread_id is not None
    fake.delete_topic(STAFF_CHAT, old.thread_id)  # Telegram tells the bot nothing
    said = await chat.send("are you there? my card is still missing")
    methods = [c.method for c in said.calls if c.params.get("chat_id") == STAFF_CHAT]
    assert methods == ["copyMessage", "createForumTopic", "sendMessage", "copyMessage"]
    assert said.calls  # the first copy was refused: "message thread not found"
    case = await _case(database)
    assert case.thread_id not in (None, old.thread_id)
    in_topic = [m for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id") and "text" in m]
    assert [m["text"][:9] for m in in_topic] == ["Case #1 ·", "are you t"]
    assert in_topic[1]["text"] == "are you there? my card is still missing"
    assert [p["text"] for p in _calls(said, "sendMessage", 1001)] == [
        "Sent to union staff (case #1)."
    ]
    # Staff carry on in the new topic; claiming edits the new card.
    said = await staff.tap("Claim")
    assert said.toasts == ["Case #1 is yours."]
    await staff.say("We found it.", case.thread_id)
    assert (fake.last_message(1001) or {}).get("text") == "We found it."


async def test_a_worker_who_blocked_the_bot_closes_the_case_as_no_reply(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    fake.block(1001)
    said = await staff.say("Can you send your NSSF number?", case.thread_id)
    assert "The worker has blocked the bot" in said.text
    case = await _case(database)
    assert (case.status, case.outcome) == ("closed", "noreply")
    async with database.transaction() as session:
        worker = await session.scalar(select(Worker))
    assert worker is not None and worker.blocked_at is not None
    said = await staff.say("hello?", case.thread_id)
    assert "Not sent: this case is closed." in said.text


# --- who may act -----------------------------------------------------------------------


async def test_outsiders_are_refused_and_forged_data_does_nothing(
    chat: Chat, app: BotApplication, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    card = _card(fake)
    outsider = Staff(app, fake, 777, "Outsider")  # not a member (getChatMember: "left")
    said = await outsider.process(outsider.tap_update("v1:s:c:1", card["message_id"]))
    assert said.toasts == ["Only union staff can do this."]
    said = await outsider.process(outsider.tap_update("v1:so:1:answered", card["message_id"]))
    assert said.toasts == ["Only union staff can do this."]
    case = await _case(database)
    assert case.owner_id is None and case.status == "open"
    # The worker forges a staff button in their own chat.
    said = await chat.tap_data("v1:s:c:1")
    assert said.toasts == ["Only union staff can do this."]
    said = await chat.tap_data("v1:so:1:duplicate")
    assert (await _case(database)).status == "open"
    # A member who left the group is refused too; their message is not relayed.
    fake.add_member(STAFF_CHAT, 778, "left")
    leaver = Staff(app, fake, 778, "Leaver")
    said = await leaver.say("hello from outside", case.thread_id)
    assert _calls(said, "copyMessage", 1001) == []
    # Malformed or foreign case buttons of a worker: a stale reply, nothing else.
    said = await chat.tap_data("v1:ax:999")
    assert said.texts == ["This button no longer works. Type your question, or tap /topics."]
    said = await chat.tap_data("v1:s:z:1")
    assert said.texts == ["This button no longer works. Type your question, or tap /topics."]


async def test_an_admin_may_act_without_being_a_member(
    app: BotApplication, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    admin = Staff(app, fake, ADMIN, "Admin")
    said = await admin.tap("Claim")
    assert said.toasts == ["Case #1 is yours."]
    assert not any(c.method == "getChatMember" for c in said.calls)


async def test_membership_is_checked_once_and_remembered(
    staff: Staff, fake: FakeTelegram, opened: Said
) -> None:
    await staff.tap("Claim")
    await staff.tap("Unclaim")
    assert len(fake.requests("getChatMember")) == 1


async def test_other_updates_in_the_staff_group_are_ignored(
    chat: Chat, app: BotApplication, staff: Staff
) -> None:
    said = await staff.say("good morning everyone", None)  # General, not a case topic
    assert said.calls == []  # not even a membership check
    update = command_update(501, "start", chat_id=STAFF_CHAT, chat_type="supergroup", bot=app.bot)
    assert (await chat.process(update)).methods == []
    said = await staff.say("a topic that is not a case", 4242)
    assert said.methods == []


async def test_a_worker_edit_is_carried_to_the_topics_copy(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    said = await chat.send("my employer is Golden Needle")
    worker_message = next(c for c in said.calls if c.method == "copyMessage").params["message_id"]
    copy = fake.messages(STAFF_CHAT)[-1]
    update = edited_message_update(
        1001, "my employer is Silver Thread", message_id=worker_message, bot=chat.app.bot
    )
    said = await chat.process(update)
    edits = _calls(said, "editMessageText", STAFF_CHAT)
    assert [(e["message_id"], e["text"]) for e in edits] == [
        (copy["message_id"], "my employer is Silver Thread")
    ]
    assert "Your edit was sent to union staff too (case #1)." in said.texts
    said = await chat.edit("an edit of a message that never went to staff")
    assert "I only read new messages" in said.text


async def test_blocking_the_bot_closes_the_case_at_once(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    said = await chat.block()
    assert "The worker has blocked the bot" in said.text
    case = await _case(database)
    assert (case.status, case.outcome) == ("closed", "noreply")
    assert "Closed: No reply." in _card(fake)["text"]


# --- the first-response target and the digest ------------------------------------------


def _week() -> WorkingWeek:
    return WorkingWeek.parse("Asia/Phnom_Penh", "mon,tue,wed,thu,fri", "08:00-17:00")


async def test_sla_reminds_the_group_then_admins_once_each_across_a_restart(
    settings: Settings,
    desk: Desk,
    app: BotApplication,
    fake: FakeTelegram,
    database: Database,
    opened: Said,
) -> None:
    case = await _case(database)
    assert case.opened_at is not None
    due = _week().add(case.opened_at, 4)
    late = _week().add(case.opened_at, 8)
    data = app.bot_data

    async def check(now: dt.datetime, data: BotData = data) -> list[dict[str, Any]]:
        start = len(fake.calls)
        await staff_handlers.run_sla(data, now)
        await data.sender.drain()
        return [c.params for c in fake.calls[start:] if c.method == "sendMessage"]

    assert await check(due - dt.timedelta(seconds=1)) == []
    sent = await check(due)
    assert len(sent) == 1 and sent[0]["chat_id"] == STAFF_CHAT
    assert "message_thread_id" not in sent[0]  # the General topic
    assert sent[0]["text"].startswith("⏰ #1 · Registration has waited 4 working hours")
    button = sent[0]["reply_markup"]["inline_keyboard"][0][0]
    assert button["url"] == f"https://t.me/c/1234567890/{case.thread_id}"
    assert await check(due + dt.timedelta(minutes=5)) == []  # once
    # A restart: another application on the same database reminds nobody again...
    async with _staffed(settings, desk, fake, database) as again:
        assert await check(due + dt.timedelta(hours=1), again.bot_data) == []
        # ...and past twice the target, the admins are told, once.
        sent = await check(late, again.bot_data)
        assert [(p["chat_id"], p["text"][:30]) for p in sent] == [
            (ADMIN, "⏰ #1 · Registration has had no")
        ]
        assert await check(late + dt.timedelta(hours=1), again.bot_data) == []


async def test_an_answered_case_gets_no_reminder(
    app: BotApplication, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    await staff.say("We are looking into it.", case.thread_id)
    assert case.opened_at is not None
    start = len(fake.calls)
    await staff_handlers.run_sla(app.bot_data, _week().add(case.opened_at, 100))
    await app.bot_data.sender.drain()
    assert fake.calls[start:] == []


async def test_the_daily_digest_counts_the_cases(
    app: BotApplication, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    assert case.opened_at is not None
    await staff_handlers.run_digest(app.bot_data, case.opened_at + dt.timedelta(hours=1))
    await app.bot_data.sender.drain()
    text = fake.messages(STAFF_CHAT)[-1]["text"]
    assert text.startswith("Daily digest of cases\nNew: 1 · Open: 1 · Overdue: 0 · Closed: 0")
    assert "Median time to a first answer: -" in text


def test_the_jobs_are_scheduled(app: BotApplication) -> None:
    assert app.job_queue is not None
    assert {"sla", "digest"} <= {job.name for job in app.job_queue.jobs()}


async def test_gaps_lists_the_biggest_groups_of_unanswered_questions(
    chat: Chat, app: BotApplication, staff: Staff, fake: FakeTelegram
) -> None:
    await chat.choose_english()
    for text in ("my supervisor shouts at me", "supervisor shouts at me daily", "football"):
        await chat.send(text)
    update = command_update(501, "gaps", chat_id=STAFF_CHAT, chat_type="supergroup", bot=app.bot)
    said = await staff.process(update)
    assert said.texts == [
        "3 questions in the last 30 days got no answer or a 👎. The biggest groups:\n\n"
        "2 asked: “supervisor shouts at me daily” · “my supervisor shouts at me”\n\n"
        "1 asked: “football”"
    ]
    outsider = command_update(777, "gaps", chat_id=STAFF_CHAT, chat_type="supergroup", bot=app.bot)
    assert (await staff.process(outsider)).methods == []


async def test_the_menu_has_ask_and_cases_when_staff_can_be_reached(
    chat: Chat, app: BotApplication, fake: FakeTelegram
) -> None:
    assert app.post_init is not None
    await app.post_init(app)
    en = fake.commands[("all_private_chats", "en")]
    assert [c["command"] for c in en] == [
        "start",
        "topics",
        "ask",
        "cases",
        "subscribe",
        "language",
        "help",
    ]
    assert en[2]["description"] == "Ask union staff"
    await chat.choose_english()
    here = fake.requests("setMyCommands", chat_id=None)[-1]
    assert [c["command"] for c in here["commands"]][2:4] == ["ask", "cases"]


async def test_a_worker_may_choose_to_show_their_name(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    buttons = fake.buttons(fake.last_message(1001))
    assert [b["text"] for b in buttons] == ["👤 Show my name to staff", "✖️ Close my case"]
    assert WORKER_NAME not in str(fake.requests(chat_id=STAFF_CHAT))  # not before
    said = await chat.tap("Show my name")
    assert _texts(said)[0] == "Union staff can now see your Telegram name on case #1."
    shown = f"The worker chose to show their name to staff: {WORKER_NAME} (@{WORKER_USERNAME})"
    assert shown in said.text
    assert "The worker chose to show their name (see below)." in _card(fake)["text"]
    assert (await _case(database)).share_name is True
    again = await chat.tap("Show my name")
    assert again.toasts == ["Staff can already see your name."]
    async with database.transaction() as session:  # the name is not kept
        rows = (await session.execute(select(Case.question, Case.employer))).all()
    assert WORKER_NAME not in str(rows)


async def test_bad_input_while_preparing_and_relaying_a_case(
    chat: Chat, app: BotApplication, fake: FakeTelegram, database: Database
) -> None:
    await chat.choose_english()
    # Huge ids in button data, another worker's case, a case that does not exist.
    stale = "This button no longer works. Type your question, or tap /topics."
    said = await chat.tap_data("v1:a:9999999999999999999:9999999999999999999")
    assert said.text.startswith("Write your question for union staff.")  # nothing to copy
    await chat.tap("Cancel")
    other = Chat(app, fake, user_id=1002)
    await other.send("/ask")
    theirs = (await _case(database)).id
    for kind in ("ax", "ak", "as", "an", "af"):
        extra = {"ak": ":registration", "af": ":1"}.get(kind, "")
        said = await chat.tap_data(f"v1:{kind}:{theirs}{extra}")
        assert said.texts == [stale], kind
    async with database.transaction() as session:
        case = await session.get(Case, theirs)
    assert case is not None and case.status == "draft" and case.category is None
    # An emoji-only question, then a category that does not exist, then a huge employer.
    await chat.send("/ask")
    said = await chat.send("😡😡😡")
    assert "“😡😡😡”" in said.text
    case_id = (await _case(database)).id
    said = await chat.tap_data(f"v1:ak:{case_id}:no-such-topic")
    assert said.texts == [stale]
    await chat.tap("Maternity")
    said = await chat.send("Factory " + "x" * 5000 + " call me on 012 345 678")
    assert _texts(said)[0].startswith(f"Your question was sent to union staff as case #{case_id}.")
    case = await _case(database)
    assert case.employer is not None and len(case.employer) <= 120
    card = _card(fake)["text"]
    assert len(card) < 4096
    # A huge question is cut for the card, and a phone number in it is not shown.
    await chat.tap("Close my case")
    await chat.send("/ask")
    said = await chat.send("help " * 1000 + "my phone is 012 345 678")
    assert "012 345 678" not in said.text
    await chat.tap("Skip")
    await chat.tap("Skip")
    card = _card(fake)["text"]
    assert "…" in card and "012 345 678" not in card and len(card) < 4096


async def test_without_the_right_to_make_topics_cases_go_to_general(
    chat: Chat, fake: FakeTelegram, database: Database
) -> None:
    fake.fail("createForumTopic", error=(400, "Bad Request: not enough rights to create a topic"))
    await chat.choose_english()
    said = await _open_case(chat, "my card is missing")
    staff_posts = [c for c in said.calls if c.params.get("chat_id") == STAFF_CHAT]
    assert [c.method for c in staff_posts] == ["createForumTopic", "sendMessage", "copyMessage"]
    assert all("message_thread_id" not in c.params for c in staff_posts[1:])  # General
    assert (await _case(database)).thread_id is None


async def test_a_topic_staff_closed_gets_the_posts_in_general(
    chat: Chat, app: BotApplication, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    assert case.thread_id is not None
    await app.bot.close_forum_topic(STAFF_CHAT, case.thread_id)
    said = await chat.send("one more thing")
    copies = _calls(said, "copyMessage", STAFF_CHAT)
    assert [c.get("message_thread_id") for c in copies] == [case.thread_id, None]
    assert fake.messages(STAFF_CHAT)[-1]["text"] == "one more thing"


async def test_a_failing_row_hook_delays_the_post_and_loses_nothing(
    chat: Chat,
    fake: FakeTelegram,
    database: Database,
    opened: Said,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = CaseHook.prepare
    failures = [1]

    async def flaky(self: CaseHook, ref: str, method: str, params: dict[str, Any]) -> Any:
        if failures:
            failures.pop()
            raise ConnectionError("database unreachable")
        return await real(self, ref, method, params)

    monkeypatch.setattr(CaseHook, "prepare", flaky)
    said = await chat.send("are you still there")
    case = await _case(database)
    copies = _calls(said, "copyMessage", STAFF_CHAT)
    assert [c["message_thread_id"] for c in copies] == [case.thread_id]
    assert "the row hook failed" in caplog.text


async def test_a_case_left_half_prepared_stops_catching_messages(
    chat: Chat, database: Database
) -> None:
    await chat.choose_english()
    await chat.send("/ask")
    await chat.send("my card is missing")
    said = await chat.send("What is the NSSF?")  # still preparing: the categories again
    assert "What is it about?" in said.text
    async with database.transaction() as session:  # half an hour later
        case = await session.scalar(select(Case))
        assert case is not None
        case.created_at -= dt.timedelta(minutes=31)
    said = await chat.send("What is the NSSF?")
    assert "National Social Security Fund" in said.text
    async with database.transaction() as session:
        assert (await session.scalars(select(Case))).all() == []


# --- from answers to FAQ ---------------------------------------------------------------

FAQ_TEXT = (
    "Q: ថៅកែអាចយកកាត ប.ស.ស របស់ខ្ញុំទុកបានទេ?\n"
    "A: មិនបានទេ។ កាត ប.ស.ស ជារបស់អ្នក។\n"
    "សូមសុំវាមកវិញ។\n"
    "Q en: Can my boss keep my NSSF card?\n"
    "A en: No. Your NSSF card is yours; ask for it back.\n"
    "+ boss keeps my nssf card"
)


async def test_promote_an_answer_approve_it_and_the_backlog_is_cleared(
    chat: Chat,
    app: BotApplication,
    staff: Staff,
    colleague: Staff,
    fake: FakeTelegram,
    database: Database,
    opened: Said,
) -> None:
    earlier = Chat(app, fake, user_id=1002)  # asked before there was an answer
    await earlier.choose_english()
    said = await earlier.send("boss keeps my nssf card")
    assert "I don’t have an answer" in said.text
    case = await _case(database)
    said = await staff.tap("Promote to FAQ")
    assert "To make an FAQ entry from case #1" in said.text
    said = await staff.command("faq", "\n" + FAQ_TEXT, case.thread_id)
    preview = said.texts[0]
    assert preview.startswith("FAQ entry draft #1 by Dara · topic registration")
    assert "A: មិនបានទេ។ កាត ប.ស.ស ជារបស់អ្នក។\nសូមសុំវាមកវិញ។" in preview
    assert _calls(said, "copyMessage", 1001) == []  # /faq is not relayed to the worker
    said = await staff.tap("Approve")
    assert said.toasts == ["Someone else must approve your own entry."]
    said = await colleague.tap("Approve")
    assert "FAQ entry #1 is live, approved by Sokha." in said.text
    to_earlier = [p for p in said.messages if p["chat_id"] == 1002]
    assert len(to_earlier) == 1
    assert to_earlier[0]["text"].startswith(
        "Union staff have answered a question you asked earlier:\n\n"
        "No. Your NSSF card is yours; ask for it back."
    )
    assert "Legal basis: Answer by union staff #1" in to_earlier[0]["text"]
    assert "Please confirm with NSSF on 1286." in to_earlier[0]["text"]
    labels = [b["text"] for row in to_earlier[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["👍", "👎"]
    again = await colleague.tap("Approve")  # the buttons stay; a second tap is harmless
    assert again.toasts == ["This draft was already decided."]
    assert [p for p in again.messages if p["chat_id"] == 1002] == []
    # A new worker asking now gets the answer straight away, without a restart.
    newcomer = Chat(app, fake, user_id=1003)
    await newcomer.choose_english()
    said = await newcomer.send("Can my boss keep my NSSF card?")
    assert said.texts[0].startswith("No. Your NSSF card is yours; ask for it back.")
    async with database.transaction() as session:
        entries = await promote.live_entries(session)
    (exported,) = promote.export(entries, app.bot_data.desk.faq)
    assert exported["category"]["id"] == "registration"
    assert exported["entries"][0]["id"] == "staff-1"
    assert exported["entries"][0]["needs_review"] is True


async def test_a_draft_without_khmer_or_topic_is_refused_and_reject_works(
    app: BotApplication,
    staff: Staff,
    colleague: Staff,
    fake: FakeTelegram,
    database: Database,
    opened: Said,
) -> None:
    case = await _case(database)

    async def faq(text: str) -> Said:
        return await staff.command("faq", text, case.thread_id)

    said = await faq("\nQ en: only English\nA en: only English")
    assert said.texts == [
        "Not saved: the entry needs a Khmer question (Q:) and a Khmer answer (A:)."
    ]
    said = await faq("\nQ: សំណួរ\nA: ចម្លើយ\nTopic: nonsense")
    assert said.texts[0].startswith("Not saved: add “Topic:” with one of maternity, registration")
    said = await faq("\nQ: សំណួរ\nA: ចម្លើយ")
    said = await colleague.tap("Reject")
    assert "FAQ entry draft #1 was rejected by Sokha." in said.text
    async with database.transaction() as session:
        assert await promote.live_entries(session) == []


def test_the_faq_form_parses_labels_continuations_and_phrasings() -> None:
    parsed = promote.parse("/faq\nq km: សំណួរ\nA៖ line one\nline two\n+ one\n+\nTopic: maternity")
    assert (parsed.question_km, parsed.answer_km) == ("សំណួរ", "line one\nline two")
    assert parsed.phrasings == ["one"] and parsed.category == "maternity"
    assert promote.parse("/faq").question_km == ""


async def test_assign_by_replying_to_a_colleague(
    app: BotApplication,
    staff: Staff,
    colleague: Staff,
    fake: FakeTelegram,
    database: Database,
    opened: Said,
) -> None:
    case = await _case(database)
    await staff.tap("Claim")
    said = await colleague.say("I know this factory.", case.thread_id)
    assert (await _case(database)).owner_id == 501  # answering did not take it from Dara
    sokha_message = next(c for c in said.calls if c.method == "copyMessage").params["message_id"]
    said = await staff.command("assign", "", case.thread_id)  # not a reply: how to
    assert said.texts == [
        "To give this case to a colleague, reply to one of their messages in this topic "
        "with /assign."
    ]
    update = command_update(
        501, "assign", chat_id=STAFF_CHAT, chat_type="supergroup", thread_id=case.thread_id
    )
    data = update.to_dict()
    data["message"]["from"]["first_name"] = "Dara"
    replied = fake.message(STAFF_CHAT, sokha_message)
    assert replied is not None
    data["message"]["reply_to_message"] = replied
    said = await staff.process(Update.de_json(data, app.bot))
    assert "Dara assigned this case to Sokha." in said.text
    assert (await _case(database)).owner_id == 502
    assert "Claimed by Sokha." in _card(fake)["text"]


# --- a burst of a worker's messages: one copyMessages call -------------------------------


async def _relayed(database: Database) -> list[CaseMessage]:
    async with database.transaction() as session:
        return list(
            (
                await session.scalars(
                    select(CaseMessage)
                    .where(CaseMessage.staff_message_id.is_not(None))
                    .order_by(CaseMessage.id)
                )
            ).all()
        )


async def _worker_rows(database: Database) -> list[CaseMessage]:
    """The case's messages from the worker (the first question included), in order."""
    async with database.transaction() as session:
        return list((await session.scalars(select(CaseMessage).order_by(CaseMessage.id))).all())


BURST = ("my card", "was taken", "by the boss", "last Monday", "what can I do")


async def test_a_burst_reaches_the_topic_in_one_copy_messages_call_and_edits_still_map(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    before = len(await _worker_rows(database))
    said = await chat.burst(*BURST)
    batches = _calls(said, "copyMessages", STAFF_CHAT)
    assert _calls(said, "copyMessage", STAFF_CHAT) == []
    assert len(batches) == 1  # one post against the group's 20 a minute
    rows = (await _worker_rows(database))[before:]
    assert batches[0]["message_ids"] == [row.worker_message_id for row in rows]
    assert batches[0]["message_thread_id"] == case.thread_id
    in_topic = [m for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id")]
    assert [m.get("text") for m in in_topic[-5:]] == list(BURST)
    # Each worker message knows its own copy (for edits and replies).
    assert [row.staff_message_id for row in rows] == [m["message_id"] for m in in_topic[-5:]]
    assert _texts(said) == ["Sent to union staff (case #1)."] * 5
    # The worker edits the third message: the third copy is edited.
    update = edited_message_update(
        1001, "by the manager", message_id=rows[2].worker_message_id, bot=chat.app.bot
    )
    said = await chat.process(update)
    edits = _calls(said, "editMessageText", STAFF_CHAT)
    assert [(e["message_id"], e["text"]) for e in edits] == [
        (in_topic[-3]["message_id"], "by the manager")
    ]
    # Staff replies and edits still reach the worker's copy.
    said = await staff.say("Bring your payslip", case.thread_id)
    copy = fake.last_message(1001)
    assert copy is not None and copy["text"] == "Bring your payslip"
    staff_message_id = _calls(said, "copyMessage", 1001)[0]["message_id"]
    said = await staff.edit(staff_message_id, "Bring your payslip and ID", case.thread_id)
    edits = _calls(said, "editMessageText", 1001)
    assert [(e["message_id"], e["text"]) for e in edits] == [
        (copy["message_id"], "Bring your payslip and ID")
    ]


async def test_a_long_burst_is_cut_at_the_cap(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    texts = [f"line {n}" for n in range(1, 13)]
    said = await chat.burst(*texts)
    batches = _calls(said, "copyMessages", STAFF_CHAT)
    assert [len(b["message_ids"]) for b in batches] == [10, 2]
    assert _calls(said, "copyMessage", STAFF_CHAT) == []
    in_topic = [m.get("text") for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id")]
    assert in_topic[-12:] == texts
    assert all(row.staff_message_id for row in await _worker_rows(database))


async def test_another_post_of_the_case_ends_a_batch(
    app: BotApplication, chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    bot = app.bot
    message, button = fake.find_button(1001, "Show my name")
    updates = [text_update(1001, text, bot=bot) for text in ("one", "two", "three", "four")]
    for update in updates[:2]:
        fake.remember(update)
        await app.process_update(update)
    # The worker shows their name between: a post of the case that is not a copy.
    await app.process_update(
        callback_update(1001, button["callback_data"], message["message_id"], bot=bot)
    )
    for update in updates[2:]:
        fake.remember(update)
        await app.process_update(update)
    start = len(fake.calls)
    await app.bot_data.sender.drain()
    staff_calls = [c for c in fake.calls[start:] if c.params.get("chat_id") == STAFF_CHAT]
    assert [c.method for c in staff_calls] == [
        "copyMessages",
        "sendMessage",  # the name
        "editMessageText",  # the card says the worker showed their name
        "copyMessages",
    ]
    assert [len(c.params["message_ids"]) for c in staff_calls[::3]] == [2, 2]
    in_topic = [m.get("text", "") for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id")]
    assert in_topic[-5:-3] == ["one", "two"] and in_topic[-2:] == ["three", "four"]
    assert in_topic[-3].startswith("The worker chose to show their name")


async def test_a_deleted_topic_during_a_batch_loses_nothing(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    old = await _case(database)
    assert old.thread_id is not None
    fake.delete_topic(STAFF_CHAT, old.thread_id)
    before = len(await _worker_rows(database))
    said = await chat.burst(*BURST)
    methods = [c.method for c in said.calls if c.params.get("chat_id") == STAFF_CHAT]
    assert methods == ["copyMessages", "createForumTopic", "sendMessage", "copyMessages"]
    case = await _case(database)
    assert case.thread_id not in (None, old.thread_id)
    retried = _calls(said, "copyMessages", STAFF_CHAT)[-1]
    rows = (await _worker_rows(database))[before:]
    assert retried["message_ids"] == [row.worker_message_id for row in rows]
    in_topic = [
        m
        for m in fake.messages(STAFF_CHAT)
        if m.get("message_thread_id") == case.thread_id and "text" in m
    ]
    assert [m["text"] for m in in_topic][1:] == list(BURST)  # after the card, in order
    assert [row.staff_message_id for row in rows] == [m["message_id"] for m in in_topic[1:]]


async def test_a_batch_is_claimed_together_and_a_crash_mid_send_sends_each_once(
    app: BotApplication, chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    bot = app.bot
    for text in BURST:
        update = text_update(1001, text, bot=bot)
        fake.remember(update)
        await app.process_update(update)
    first = Sender(database, bot, pacing=Pacing.unlimited())
    first.set_hook(CaseHook(database, app.bot_data.desk, app.bot_data.outbox, STAFF_CHAT))
    fake.latency = 30.0  # the batch's request is on its way when the process dies
    sending = asyncio.ensure_future(first.drain(within=0.0))
    in_flight: list[str] = []
    for _ in range(200):
        await asyncio.sleep(0.01)
        async with database.transaction() as session:
            in_flight = list(
                (
                    await session.scalars(
                        select(OutboundMessage.method).where(
                            OutboundMessage.status == "sending",
                            OutboundMessage.chat_id == STAFF_CHAT,
                        )
                    )
                ).all()
            )
        if len(in_flight) == len(BURST):
            break
    assert in_flight == ["copyMessage"] * len(BURST)  # claimed together
    sending.cancel()  # the crash: the request never reached Telegram
    with contextlib.suppress(asyncio.CancelledError):
        await sending
    fake.latency = 0.0
    start = len(fake.calls)
    second = Sender(database, bot, pacing=Pacing.unlimited())
    second.set_hook(CaseHook(database, app.bot_data.desk, app.bot_data.outbox, STAFF_CHAT))
    await second.drain()
    again = [c.params for c in fake.calls[start:] if c.method == "copyMessages"]
    assert len(again) == 1 and len(again[0]["message_ids"]) == len(BURST)
    in_topic = [m.get("text") for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id")]
    assert [t for t in in_topic if t in BURST] == list(BURST)  # each once, in order
    # Another restart sends nothing again.
    start = len(fake.calls)
    third = Sender(database, bot, pacing=Pacing.unlimited())
    third.set_hook(CaseHook(database, app.bot_data.desk, app.bot_data.outbox, STAFF_CHAT))
    await third.drain()
    assert [c for c in fake.calls[start:] if c.params.get("chat_id") == STAFF_CHAT] == []
    assert case.thread_id is not None


# --- a new FAQ entry and open cases ------------------------------------------------------


async def test_a_new_entry_reaches_open_cases_once_and_the_case_stays_open(
    app: BotApplication,
    staff: Staff,
    colleague: Staff,
    fake: FakeTelegram,
    database: Database,
) -> None:
    # 1001 asked, got no answer and handed the question to staff: case #1.
    worker = Chat(app, fake, user_id=1001)
    await worker.choose_english()
    await worker.send("boss keeps my nssf card")
    await worker.tap("Ask union staff")
    await worker.tap("Registration")
    await worker.tap("Skip")
    # 1002 only asked (no case); 1003 has a case about something else.
    earlier = Chat(app, fake, user_id=1002)
    await earlier.choose_english()
    await earlier.send("boss keeps my nssf card")
    other = Chat(app, fake, user_id=1003)
    await other.choose_english()
    await _open_case(other, "supervisor shouts at me every day")
    async with database.transaction() as session:
        threads = dict((await session.execute(select(Case.id, Case.thread_id))).all())

    card = next(m for m in fake.messages(STAFF_CHAT) if m.get("text", "").startswith("Case #1 "))
    promote_button = next(b for b in fake.buttons(card) if "Promote" in b["text"])
    await staff.process(staff.tap_update(promote_button["callback_data"], card["message_id"]))
    await staff.command("faq", "\n" + FAQ_TEXT, threads[1])
    said = await colleague.tap("Approve")

    to_case = [p for p in said.messages if p["chat_id"] == 1001]
    assert len(to_case) == 1  # once, though both a question and a case matched
    assert to_case[0]["text"].startswith(
        "Union staff have written a new FAQ answer that may answer your question in case #1:"
        "\n\nNo. Your NSSF card is yours; ask for it back."
    )
    assert "Case #1 stays open." in to_case[0]["text"]
    labels = [b["text"] for row in to_case[0]["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["👍", "👎"]
    to_earlier = [p for p in said.messages if p["chat_id"] == 1002]
    assert [p["text"].split("\n")[0] for p in to_earlier] == [
        "Union staff have answered a question you asked earlier:"
    ]
    assert [p for p in said.messages if p["chat_id"] == 1003] == []
    notes = [
        p["text"]
        for p in _calls(said, "sendMessage", STAFF_CHAT)
        if p.get("message_thread_id") == threads[1]
    ]
    assert notes[1:] == [  # after "FAQ entry #1 is live" (the approval was in this topic)
        "The worker was sent the new FAQ entry “Can my boss keep my NSSF card?” "
        "as a possible answer. The case stays open."
    ]
    async with database.transaction() as session:
        statuses = dict((await session.execute(select(Case.id, Case.status))).all())
    assert statuses == {1: "open", 2: "open"}
    # The case still takes the worker's messages; staff still see them.
    said = await worker.send("thanks, but my boss says otherwise")
    assert _texts(said) == ["Sent to union staff (case #1)."]
    # Nobody gets the same entry twice, even if the backlog is cleared again.
    async with database.transaction() as session:
        (entry,) = await promote.live_entries(session)
        again = await promote.clear_backlog(session, app.bot_data.desk, entry, now=utcnow())
    assert again.worker == () and again.staff == ()


# --- caption edits, both ways --------------------------------------------------------------


async def test_caption_edits_are_carried_both_ways(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    said = await chat.send_media("photo", caption="my payslip")
    worker_message = _calls(said, "copyMessage", STAFF_CHAT)[0]["message_id"]
    in_topic = fake.messages(STAFF_CHAT)[-1]
    assert in_topic["caption"] == "my payslip" and "photo" in in_topic
    update = edited_message_update(
        1001, "my payslip for May", message_id=worker_message, media="photo", bot=chat.app.bot
    )
    said = await chat.process(update)
    edits = _calls(said, "editMessageCaption", STAFF_CHAT)
    assert [(e["message_id"], e["caption"]) for e in edits] == [
        (in_topic["message_id"], "my payslip for May")
    ]
    assert (fake.message(STAFF_CHAT, in_topic["message_id"]) or {})["caption"] == (
        "my payslip for May"
    )
    assert "Your edit was sent to union staff too (case #1)." in said.texts
    # Staff send a form with a caption, then correct the caption.
    said = await staff.send_media("document", case.thread_id, caption="Fill in page 1")
    staff_message = _calls(said, "copyMessage", 1001)[0]["message_id"]
    copy = fake.last_message(1001)
    assert copy is not None and copy["caption"] == "Fill in page 1" and "document" in copy
    said = await staff.edit(staff_message, "Fill in pages 1 and 2", case.thread_id, "document")
    edits = _calls(said, "editMessageCaption", 1001)
    assert [(e["message_id"], e["caption"]) for e in edits] == [
        (copy["message_id"], "Fill in pages 1 and 2")
    ]
    assert (fake.message(1001, copy["message_id"]) or {})["caption"] == "Fill in pages 1 and 2"
    # A text edit still edits text.
    said = await staff.say("Call 1268", case.thread_id)
    text_message = _calls(said, "copyMessage", 1001)[0]["message_id"]
    said = await staff.edit(text_message, "Call 1286", case.thread_id)
    assert _calls(said, "editMessageCaption", 1001) == []
    assert [e["text"] for e in _calls(said, "editMessageText", 1001)] == ["Call 1286"]


# --- reopening a recently closed case ----------------------------------------------------------


async def test_the_worker_reopens_a_case_staff_closed_and_staff_see_it(
    chat: Chat, staff: Staff, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    case = await _case(database)
    await staff.say("Ask HR for the card.", case.thread_id)
    await staff.tap("Close")
    said = await staff.tap("Answered")
    closing = next(p for p in said.messages if p["chat_id"] == 1001)
    rows = [[b["text"] for b in row] for row in closing["reply_markup"]["inline_keyboard"]]
    assert rows == [["👍", "👎"], ["↩️ Reopen case #1"]]
    said = await chat.tap("👎")  # the answer did not help: the Reopen button stays
    assert said.toasts == ["Thank you for your feedback!"]
    kept = next(
        m for m in fake.messages(1001) if m.get("text", "").startswith("Union staff closed")
    )
    assert [b["text"] for b in fake.buttons(kept)] == ["↩️ Reopen case #1"]
    said = await chat.tap("Reopen case #1")
    assert _texts(said) == ["Case #1 is open again. Everything you send here goes to union staff."]
    assert "The worker reopened this case." in said.text
    card = _card(fake)
    assert "Closed:" not in card["text"] and "Claimed by Dara." in card["text"]
    reopened = await _case(database)
    assert (reopened.status, reopened.outcome, reopened.closed_at) == ("open", None, None)
    assert reopened.helped is None
    # The worker's messages go to the case again, in the same topic; staff answer.
    said = await chat.send("HR says they don't have it")
    assert _texts(said) == ["Sent to union staff (case #1)."]
    assert _calls(said, "copyMessage", STAFF_CHAT)[0]["message_thread_id"] == case.thread_id
    await staff.say("Then call NSSF on 1286.", case.thread_id)
    assert (fake.last_message(1001) or {}).get("text") == "Then call NSSF on 1286."
    said = await chat.send("/cases")
    assert said.texts[0] == "Your cases:\n\n#1 · Registration: open"
    assert said.buttons == ["✖️ Close case #1"]
    again = await chat.tap_data(callbacks.case_reopen(1))  # an old button: nothing happens
    assert "This button no longer works" in again.text


async def test_reopen_from_cases_only_within_seven_days_and_never_over_an_open_case(
    chat: Chat, fake: FakeTelegram, database: Database, opened: Said
) -> None:
    await chat.tap("Close my case")
    assert [b["text"] for b in fake.buttons(fake.last_message(1001))] == ["↩️ Reopen case #1"]
    said = await chat.send("/cases")
    assert said.buttons == ["↩️ Reopen case #1"]
    # Another case is open now: reopening #1 would split the worker's messages.
    await _open_case(chat, "and my contribution is wrong")
    said = await chat.tap_data(callbacks.case_reopen(1))
    assert said.text.startswith("You already have case #2 open.")
    await chat.tap("Close my case")
    # Eight days later the button is refused, and /cases no longer offers it.
    async with database.transaction() as session:
        await session.execute(sql_update(Case).values(closed_at=utcnow() - dt.timedelta(days=8)))
    said = await chat.tap_data(callbacks.case_reopen(1))
    assert said.text == (
        "Case #1 was closed more than 7 days ago. To ask union staff again, tap /ask."
    )
    said = await chat.send("/cases")
    assert said.buttons == []
    assert (await _case(database)).status == "closed"
    # Someone else's case can't be reopened with forged data.
    stranger = Chat(chat.app, fake, user_id=1009)
    await stranger.choose_english()
    said = await stranger.tap_data(callbacks.case_reopen(2))
    assert "This button no longer works" in said.text


async def test_a_batch_claim_that_fails_to_commit_loses_nothing(
    chat: Chat,
    fake: FakeTelegram,
    database: Database,
    opened: Said,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = Sender._claim_followers
    failures = [1]

    async def then_fail(self: Sender, *args: Any, **kwargs: Any) -> Any:
        claimed = await real(self, *args, **kwargs)
        if failures:  # the followers were claimed; the transaction then fails
            failures.pop()
            raise ConnectionError("database went away before the commit")
        return claimed

    monkeypatch.setattr(Sender, "_claim_followers", then_fail)
    said = await chat.burst(*BURST)
    assert "bookkeeping failed" in caplog.text
    batches = _calls(said, "copyMessages", STAFF_CHAT)
    assert [len(b["message_ids"]) for b in batches] == [len(BURST)]  # after the retry
    in_topic = [m.get("text") for m in fake.messages(STAFF_CHAT) if m.get("message_thread_id")]
    assert [t for t in in_topic if t in BURST] == list(BURST)
