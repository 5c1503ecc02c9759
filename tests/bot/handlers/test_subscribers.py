"""Transcripts of subscribing to broadcasts: the opt-in after the language, /subscribe and
its topics, STOP / ឈប់ / /unsubscribe, deep links, blocked workers (both backends)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from bot.db import Database
from bot.fakes.telegram import FakeTelegram, member_update
from bot.models import Subscriber, SubscriberTopic, Worker, utcnow
from bot.services.subscriptions import EMPLOYER_WAIT
from tests.bot.chat import Chat

ALL_TOPICS = {"pension", "health", "accident", "maternity", "union"}


async def _subscriber(database: Database, user_id: int = 1001) -> Subscriber | None:
    async with database.transaction() as session:
        worker_id = await session.scalar(
            select(Worker.id).where(Worker.telegram_user_id == user_id)
        )
        return await session.get(Subscriber, worker_id) if worker_id is not None else None


async def _topics(database: Database, user_id: int = 1001) -> set[str]:
    async with database.transaction() as session:
        found = await session.scalars(
            select(SubscriberTopic.topic)
            .join(Worker, Worker.id == SubscriberTopic.worker_id)
            .where(Worker.telegram_user_id == user_id)
        )
        return set(found)


async def test_the_language_choice_is_followed_by_a_one_tap_offer(
    chat: Chat, database: Database
) -> None:
    await chat.send("/start")
    said = await chat.tap("English")
    assert said.texts[-1].startswith("Would you like union news and NSSF alerts here?")
    assert said.buttons == ["✅ Yes, send me news", "No thanks"]
    assert await _subscriber(database) is None  # nothing stored before the tap
    said = await chat.tap("Yes, send me news")
    assert said.methods == ["answerCallbackQuery", "editMessageText"]
    assert said.text.startswith("You are subscribed to union news and NSSF alerts")
    assert said.buttons[:2] == ["✅ Pension", "✅ Health care"]
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.subscribed and subscriber.opted_in_at
    assert await _topics(database) == ALL_TOPICS
    worker = await _worker(database)
    assert worker.consent_broadcasts


async def _worker(database: Database, user_id: int = 1001) -> Worker:
    async with database.transaction() as session:
        found = await session.scalar(select(Worker).where(Worker.telegram_user_id == user_id))
    assert found is not None
    return found


async def test_the_offer_in_khmer_and_no_thanks_is_remembered(
    chat: Chat, database: Database
) -> None:
    await chat.send("/start")
    said = await chat.tap("ភាសាខ្មែរ")
    assert said.texts[-1].startswith("តើអ្នកចង់ទទួលព័ត៌មានពីសហជីព")
    assert said.buttons == ["✅ បាទ/ចាស ផ្ញើព័ត៌មានមកខ្ញុំ", "ទេ អរគុណ"]
    said = await chat.tap("ទេ អរគុណ")
    assert said.text.startswith("យល់ព្រម ខ្ញុំនឹងមិនផ្ញើព័ត៌មានទៅអ្នកទេ")
    subscriber = await _subscriber(database)
    assert subscriber is not None and not subscriber.subscribed
    assert subscriber.reason == "declined"
    # Choosing the language again does not ask again.
    await chat.send("/language")
    said = await chat.tap("English")
    assert not any("union news" in text for text in said.texts)


async def test_subscribe_then_narrow_the_topics(chat: Chat, database: Database) -> None:
    await chat.choose_english()
    said = await chat.send("/subscribe")
    assert said.buttons == [
        "✅ Pension",
        "✅ Health care",
        "✅ Work accidents",
        "✅ Maternity",
        "✅ Union campaigns",
        "Done",
    ]
    said = await chat.tap("Health care")
    said = await chat.tap("Work accidents")
    assert said.methods[-1] == "editMessageText"
    assert said.buttons[1:3] == ["⬜ Health care", "⬜ Work accidents"]
    said = await chat.tap("Done")
    assert said.text.startswith(
        "You will get general union news and alerts on:\n\nPension\n\nMaternity"
        "\n\nUnion campaigns\n\nOne optional question"
    )
    assert said.buttons[0] == "Garment or shoe factory" and said.buttons[-1] == "Skip"
    assert await _topics(database) == {"pension", "maternity", "union"}
    said = await chat.tap_data("v1:u:t:health")  # back on
    assert await _topics(database) == {"pension", "maternity", "union", "health"}


@pytest.mark.parametrize("word", ["STOP", "stop", " Stop! ", "ឈប់", "ឈប់។", "/unsubscribe"])
async def test_stop_in_either_language_unsubscribes_in_one_message(
    chat: Chat, database: Database, word: str
) -> None:
    await chat.send("/subscribe")
    said = await chat.send(word)
    assert said.methods == ["sendMessage"]
    assert said.text.startswith("អ្នកបានឈប់ទទួលហើយ")
    subscriber = await _subscriber(database)
    assert subscriber is not None and not subscriber.subscribed
    assert subscriber.reason == "stop" and subscriber.opted_out_at is not None
    assert not (await _worker(database)).consent_broadcasts


async def test_stop_in_english(chat: Chat) -> None:
    await chat.choose_english()
    await chat.tap("Yes, send me news")
    said = await chat.send("stop")
    assert said.text.startswith("You are unsubscribed: you will get no more news")


async def test_stop_inside_a_sentence_is_a_question(chat: Chat, database: Database) -> None:
    await chat.send("/subscribe")
    said = await chat.send("my employer stopped paying NSSF")
    assert "unsubscribed" not in said.text and "ឈប់ទទួល" not in said.text
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.subscribed


async def test_topic_taps_without_a_subscription_say_how_to_subscribe(chat: Chat) -> None:
    said = await chat.tap_data("v1:u:t:pension")
    assert said.text.startswith("អ្នកមិនទាន់បានចុះឈ្មោះទេ")
    said = await chat.tap_data("v1:u:d")
    assert said.text.startswith("អ្នកមិនទាន់បានចុះឈ្មោះទេ")


@pytest.mark.parametrize("data", ["v1:u:t:wages", "v1:u:t:", "v1:u:y:1", "v1:u:x"])
async def test_malformed_subscription_buttons_are_stale(chat: Chat, data: str) -> None:
    said = await chat.tap_data(data)
    assert said.texts == ["ប៊ូតុងនេះលែងប្រើបានហើយ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics។"]


async def test_a_deep_link_offers_to_subscribe_and_attributes_the_campaign(
    chat: Chat, database: Database
) -> None:
    said = await chat.send("/start pension_oct")
    assert len(said.texts) == 2
    assert said.texts[1].startswith("តើអ្នកចង់ទទួលព័ត៌មានពីសហជីព")
    await chat.tap("បាទ/ចាស")
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.source == "pension_oct"
    # Subscribed: a second link offers nothing more.
    said = await chat.send("/start meeting")
    assert len(said.texts) == 1


async def test_blocking_unsubscribes_and_unblocking_needs_consent_again(
    chat: Chat, database: Database, fake: FakeTelegram
) -> None:
    await chat.send("/subscribe")
    await chat.block()
    subscriber = await _subscriber(database)
    assert subscriber is not None and not subscriber.subscribed
    assert subscriber.reason == "blocked"
    fake.unblock(1001)
    await chat.process(member_update(1001, "member", bot=chat.app.bot))
    subscriber = await _subscriber(database)
    assert subscriber is not None and not subscriber.subscribed  # not without a "yes"
    said = await chat.send("/start")
    await chat.tap("English")
    said = await chat.tap("Yes, send me news")
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.subscribed
    assert said.text.startswith("You are subscribed")


async def test_a_403_on_send_unsubscribes(
    chat: Chat, database: Database, fake: FakeTelegram
) -> None:
    await chat.send("/subscribe")
    fake.block(1001)
    await chat.send("hello")
    subscriber = await _subscriber(database)
    assert subscriber is not None and not subscriber.subscribed
    assert subscriber.reason == "blocked"


async def test_the_optional_profile_is_asked_once_and_skippable(
    chat: Chat, database: Database
) -> None:
    await chat.send("/subscribe")
    said = await chat.tap("រួចរាល់")
    assert "តើអ្នកធ្វើការនៅឯណា? អ្នកអាចរំលងវាបាន។" in said.text
    said = await chat.tap("សំណង់")
    assert said.text.startswith("អរគុណ យើងបានកត់ត្រាហើយ។")
    assert "តើអ្នកធ្វើការនៅខេត្តណា ឬនៅរាជធានីភ្នំពេញ?" in said.text
    assert said.buttons[:2] == ["រាជធានីភ្នំពេញ", "បន្ទាយមានជ័យ"]
    assert len(said.buttons) == 25 + 1  # every province, then Skip
    said = await chat.tap("កំពង់ស្ពឺ")
    assert "តើអ្នកធ្វើការនៅរោងចក្រ ឬក្រុមហ៊ុនណា?" in said.text
    assert said.buttons == ["រំលង"]
    said = await chat.send("  រោងចក្រ   ABC  ទូរសព្ទ 012 345 678 ")
    assert said.texts == [
        "អរគុណ យើងបានកត់ត្រាហើយ៖ រោងចក្រ ABC ទូរសព្ទ [number]។ ផ្ញើ /subscribe ដើម្បីប្តូរប្រធានបទរបស់អ្នក។"
    ]
    subscriber = await _subscriber(database)
    assert subscriber is not None
    assert (subscriber.sector, subscriber.province) == ("construction", "kampong-speu")
    assert subscriber.employer == "រោងចក្រ ABC ទូរសព្ទ [number]"  # no phone number stored
    said = await chat.tap_data("v1:u:d")  # Done again: nothing asked again
    assert "សំណួរ" not in said.text and "តើអ្នកធ្វើការនៅឯណា" not in said.text
    said = await chat.send("ប្រាក់សោធន")  # the next text is a question again
    assert "បានកត់ត្រា" not in said.text


async def test_skipping_the_profile_is_remembered(chat: Chat, database: Database) -> None:
    await chat.choose_english()
    await chat.send("/subscribe")
    await chat.tap("Done")
    said = await chat.tap("Skip")
    assert said.text.startswith("Another optional question: in which province")
    said = await chat.tap("Skip")
    assert said.text.startswith("Last optional question: which factory or company")
    said = await chat.tap("Skip")
    assert said.text == "OK. Send /subscribe to change your topics."
    subscriber = await _subscriber(database)
    assert subscriber is not None
    assert (subscriber.sector, subscriber.province, subscriber.employer) == ("skip", "skip", "")
    said = await chat.tap_data("v1:u:d")
    assert "optional question" not in said.text


async def test_a_worker_who_answered_the_sector_before_is_asked_the_rest_once(
    chat: Chat, database: Database
) -> None:
    await chat.choose_english()
    await chat.send("/subscribe")
    async with database.transaction() as session:  # as the profile was before provinces
        await session.execute(update(Subscriber).values(sector="garment"))
    said = await chat.tap("Done")
    assert "in which province" in said.text and "where do you work" not in said.text
    said = await chat.tap("Siem Reap")
    assert said.text.startswith("Thank you, noted.\n\nLast optional question")
    said = await chat.tap_data("v1:u:d")
    assert "optional question" not in said.text  # the employer was asked: not again
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.province == "siem-reap"
    assert subscriber.employer is None and subscriber.employer_asked_at is not None


async def test_a_long_text_after_the_employer_question_is_a_question(
    chat: Chat, database: Database
) -> None:
    await chat.choose_english()
    await chat.send("/subscribe")
    await chat.tap("Done")
    await chat.tap("Skip")
    await chat.tap("Skip")
    question = "My employer stopped paying NSSF contributions three months ago, " * 2
    said = await chat.send(question)
    assert not any(text.startswith("Thank you, noted") for text in said.texts)
    assert said.texts  # answered like any question
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.employer == ""  # skipped, not a name


async def test_the_employer_question_expires(chat: Chat, database: Database) -> None:
    await chat.choose_english()
    await chat.send("/subscribe")
    await chat.tap("Done")
    await chat.tap("Skip")
    await chat.tap("Skip")
    async with database.transaction() as session:  # asked longer ago than the wait
        asked = utcnow() - EMPLOYER_WAIT - dt.timedelta(seconds=1)
        await session.execute(update(Subscriber).values(employer_asked_at=asked))
    said = await chat.send("pension")
    assert not any(text.startswith("Thank you, noted") for text in said.texts)
    subscriber = await _subscriber(database)
    assert subscriber is not None and subscriber.employer is None


async def test_profile_buttons_refuse_forged_and_unsubscribed_taps(
    chat: Chat, database: Database
) -> None:
    await chat.choose_english()
    said = await chat.tap_data("v1:u:pv:narnia")  # not a province: a stale button
    assert said.texts and "province" not in said.text
    said = await chat.tap_data("v1:u:pv:kep")  # not subscribed
    assert said.text.startswith("You are not subscribed")
    said = await chat.tap_data("v1:u:es")
    assert said.text.startswith("You are not subscribed")
    assert await _subscriber(database) is None
