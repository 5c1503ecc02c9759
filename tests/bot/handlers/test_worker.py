"""Transcripts of a worker's private chat: what they send, what the bot answers.

Each test drives the real Application (built by bot.app.build_application) through the
fake Bot API and a fresh database, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.fakes.telegram import (
    MESSAGE_NOT_FOUND,
    FakeTelegram,
    MediaKind,
    command_update,
    text_update,
)
from bot.models import DeepLink, Feedback, Question, Worker
from tests.bot.chat import Chat

KM_WHAT_IS_NSSF = "តើ ប.ស.ស ជាអ្វី?"
KM_ANSWER = "បេឡាជាតិសន្តិសុខសង្គម (ប.ស.ស) ជាស្ថាប័នរដ្ឋ"
EN_ANSWER = "The National Social Security Fund (NSSF) is the state body"
# what-is-nssf cites a news site first and nssf.gov.kh second: only the official page shows.
KM_FOOTER = (
    "មូលដ្ឋានច្បាប់៖ ច្បាប់ស្តីពីរបបសន្តិសុខសង្គម (២០១៩) · ពិនិត្យចុងក្រោយ៖ ២៤ វិច្ឆិកា ២០២៦\n"
    "ទំព័រផ្លូវការ៖ https://www.nssf.gov.kh/about/"
)
EN_FOOTER = (
    "Legal basis: Law on Social Security Schemes (2019) · Reviewed 24 Nov 2026\n"
    "Official page: https://www.nssf.gov.kh/about/"
)
KM_HOTLINES = "សូមទូរស័ព្ទទៅលេខ 1286 របស់ ប.ស.ស ឬលេខ 1297 របស់ក្រសួងការងារ។"
EN_HOTLINES = "Please call the NSSF hotline 1286 or the Ministry of Labour hotline 1297."
KM_TYPE_YOUR_QUESTION = "សូមសរសេរសំណួររបស់អ្នក"
EN_TYPE_YOUR_QUESTION = "Please type your question."


async def _worker(database: Database, user_id: int = 1001) -> Worker | None:
    async with database.transaction() as session:
        return await session.scalar(select(Worker).where(Worker.telegram_user_id == user_id))


async def _count(database: Database, model: type) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


# --- /start and languages --------------------------------------------------------------


async def test_start_greets_in_khmer_with_language_buttons_and_data_use(chat: Chat) -> None:
    said = await chat.send("/start")
    assert said.methods == ["sendMessage"]
    assert said.messages[0]["chat_id"] == 1001
    assert said.text.startswith("សួស្តី! ខ្ញុំជាបូតជំនួយ")
    assert "ការចុះឈ្មោះ ការព្យាបាលជំងឺ គ្រោះថ្នាក់ការងារ" in said.text  # what it can do
    assert "មិនរក្សាទុកឈ្មោះ ឬលេខទូរស័ព្ទរបស់អ្នកទេ" in said.text  # how data is used
    assert said.buttons == ["ភាសាខ្មែរ", "English"]
    assert said.data == ["v1:l:km", "v1:l:en"]
    assert "/forget" not in said.text  # not promised before it exists


async def test_start_with_a_deep_link_records_it(chat: Chat, database: Database) -> None:
    await chat.send("/start flyer_factory_12")
    await chat.send("/start radio")
    worker = await _worker(database)
    assert worker is not None and worker.start_payload == "flyer_factory_12"
    async with database.transaction() as session:
        payloads = (await session.scalars(select(DeepLink.payload).order_by(DeepLink.id))).all()
    assert payloads == ["flyer_factory_12", "radio"]


async def test_choosing_english_makes_every_reply_english(chat: Chat) -> None:
    await chat.send("/start")
    said = await chat.tap("English")
    # Then the offer of union news (issue #9), as a second message.
    assert said.methods == ["answerCallbackQuery", "sendMessage", "sendMessage"]
    assert said.texts[0].startswith("You chose English.")
    assert "/topics" in said.texts[0]
    said = await chat.send("What is the NSSF?")
    assert said.text.startswith(EN_ANSWER)
    assert EN_FOOTER in said.text
    said = await chat.send("/help")
    assert said.text.startswith("I answer questions about the NSSF")
    said = await chat.send("/start")
    assert said.text.startswith("Hello! I am a helpdesk bot")
    assert said.buttons == ["ភាសាខ្មែរ", "English"]


async def test_language_command_switches_back_to_khmer(chat: Chat) -> None:
    await chat.choose_english()
    said = await chat.send("/language")
    assert said.text == "Please choose your language:"
    assert said.buttons == ["ភាសាខ្មែរ", "English"]
    said = await chat.tap("ភាសាខ្មែរ")
    assert said.text.startswith("អ្នកបានជ្រើសរើសភាសាខ្មែរ។")
    said = await chat.send(KM_WHAT_IS_NSSF)
    assert KM_FOOTER in said.text


async def test_help_in_khmer(chat: Chat) -> None:
    said = await chat.send("/help")
    assert said.methods == ["sendMessage"]
    for fragment in ("/topics", "/language", "1286", "1297", "មិនរក្សាទុកឈ្មោះ"):
        assert fragment in said.text


async def test_a_new_worker_with_an_english_telegram_is_greeted_in_english(
    chat: Chat, database: Database
) -> None:
    said = await chat.send("/start", language_code="en")
    assert said.text.startswith("Hello!")
    assert said.buttons == ["ភាសាខ្មែរ", "English"]  # the switch is offered
    worker = await _worker(database)
    assert worker is not None and worker.language == "en" and not worker.language_chosen


async def test_a_new_worker_with_a_khmer_or_other_telegram_starts_in_khmer(chat: Chat) -> None:
    said = await chat.send("/start", language_code="fr")
    assert said.text.startswith("សួស្តី!")


async def test_a_first_question_in_plain_english_is_answered_in_english(
    chat: Chat, database: Database
) -> None:
    await chat.send("/start")  # Khmer, the default
    said = await chat.send("what is the NSSF and what does it do for me?")
    assert "Reviewed" in said.text or "NSSF" in said.text
    assert "ភាសាខ្មែរ" in said.buttons and "English" in said.buttons
    worker = await _worker(database)
    assert worker is not None and worker.language == "en" and not worker.language_chosen


async def test_romanized_khmer_keeps_khmer(chat: Chat, database: Database) -> None:
    await chat.send("/start")
    await chat.send("prak sothon ban ponman")
    worker = await _worker(database)
    assert worker is not None and worker.language == "km"


async def test_a_worker_who_chose_khmer_stays_khmer_when_writing_english(
    chat: Chat, database: Database
) -> None:
    await chat.send("/start")
    await chat.tap("ភាសាខ្មែរ")
    said = await chat.send("what is the NSSF and what does it do for me?")
    assert "English" not in said.buttons
    worker = await _worker(database)
    assert worker is not None and worker.language == "km"


# --- free-text questions ---------------------------------------------------------------


async def test_a_khmer_question_gets_the_answer_date_source_and_feedback(
    chat: Chat, database: Database
) -> None:
    said = await chat.send(KM_WHAT_IS_NSSF)
    assert said.methods == ["sendMessage"]
    (text,) = said.texts
    answer, footer = text.split("\n\n")
    assert answer.startswith(KM_ANSWER)
    assert footer == KM_FOOTER
    assert "phnompenhpost" not in text  # a third-party source is never shown
    assert said.buttons == ["👍", "👎"]
    (question,) = await _questions(database)
    assert said.data == [f"v1:f:{question.id}:1", f"v1:f:{question.id}:0"]


async def test_an_answer_without_an_official_page_sends_the_worker_to_1286(chat: Chat) -> None:
    said = await chat.send("តើខ្ញុំបានប្រាក់ឧបត្ថម្ភពេលសម្រាកលំហែមាតុភាពទេ?")  # news source only
    _answer, footer = said.text.split("\n\n")
    assert footer == (
        "មូលដ្ឋានច្បាប់៖ ប្រកាសលេខ ១០៩ (២០១៦) · ពិនិត្យចុងក្រោយ៖ ២៤ វិច្ឆិកា ២០២៦\n"
        "សូមបញ្ជាក់ជាមួយ ប.ស.ស តាមលេខ ១២៨៦។"
    )
    assert "http" not in said.text
    await chat.choose_english()
    said = await chat.send("Do I get paid during maternity leave?")
    assert said.text.endswith(
        "Legal basis: Prakas 109 (2016) · Reviewed 24 Nov 2026\nPlease confirm with NSSF on 1286."
    )


async def test_an_english_question_in_khmer_mode_gets_the_khmer_answer(chat: Chat) -> None:
    await chat.send("/start")
    await chat.tap("ភាសាខ្មែរ")  # chosen: the language is the worker's, not the text's
    said = await chat.send("What is the NSSF?")
    assert said.text.startswith(KM_ANSWER)  # the language is the worker's, not the text's


async def test_did_you_mean_offers_up_to_three_questions_and_none_of_these(
    chat: Chat, database: Database
) -> None:
    said = await chat.send("baby")
    assert said.text == "តើអ្នកចង់សួរសំណួរណាមួយខាងក្រោមនេះឬ? សូមចុចលើសំណួរមួយ៖"
    assert said.buttons == [
        "តើខ្ញុំបានប្រាក់ឧបត្ថម្ភពេលសម្រាកលំហែមាតុភាពទេ?",
        "តើមានប្រាក់ឧបត្ថម្ភពេលសម្រាលកូនទេ?",
        "តើខ្ញុំត្រូវរាយការណ៍ពីការមានផ្ទៃពោះដោយរបៀបណា?",
        "❌ មិនមែនទាំងនេះទេ",
    ]
    said = await chat.tap("សម្រាលកូនទេ")
    assert said.methods == ["answerCallbackQuery", "sendMessage"]
    assert said.text.startswith("មាន។ ម្តាយដែលជាសមាជិក ប.ស.ស")
    assert said.buttons == ["👍", "👎"]
    (question,) = await _questions(database)
    assert question.entry_id == "birth-allowance" and question.answered_by == "faq"


async def test_did_you_mean_in_english(chat: Chat) -> None:
    await chat.choose_english()
    said = await chat.send("baby")
    assert said.text == "Did you mean one of these questions? Tap one:"
    assert said.buttons == [
        "Do I get paid during maternity leave?",
        "Is there a birth allowance?",
        "How do I report my pregnancy?",
        "❌ None of these",
    ]


async def test_none_of_these_and_thumbs_down_give_the_same_reply(
    chat: Chat, fake: FakeTelegram, database: Database
) -> None:
    await chat.send("baby")
    none = await chat.tap("មិនមែនទាំងនេះទេ")
    assert none.methods == ["answerCallbackQuery", "editMessageReplyMarkup", "sendMessage"]
    assert none.texts[0].startswith("សូមអភ័យទោស ដែលខ្ញុំមិនអាចជួយអ្នកបាន។")
    assert KM_HOTLINES in none.text
    assert none.buttons == ["📚 ប្រធានបទ"]
    assert fake.buttons(fake.messages(1001)[0]) == []  # the choices are gone
    await chat.send(KM_WHAT_IS_NSSF)
    down = await chat.tap("👎")
    assert down.texts == none.texts
    assert down.buttons == none.buttons
    async with database.transaction() as session:
        helpful = (await session.scalars(select(Feedback.helpful))).all()
    assert helpful == [False, False]


async def test_no_match_gets_an_honest_reply_with_the_hotlines(chat: Chat) -> None:
    said = await chat.send("តើថ្ងៃនេះភ្លៀងទេ football")
    assert said.texts[0].split("\n\n") == [
        "សូមអភ័យទោស ខ្ញុំមិនទាន់មានចម្លើយសម្រាប់សំណួរនេះនៅឡើយទេ។",
        KM_HOTLINES + " លេខទាំងពីរនេះ ទទួលការហៅ ២៤ម៉ោង។",
        "អ្នកក៏អាចសួរម្តងទៀត ដោយប្រើពាក្យផ្សេង ឬចុច /topics។",
    ]
    assert said.buttons == ["📚 ប្រធានបទ"]
    said = await chat.tap("ប្រធានបទ")  # straight to browsing
    assert said.buttons == ["ការចុះឈ្មោះ", "មាតុភាព"]


async def test_no_match_in_english(chat: Chat) -> None:
    await chat.choose_english()
    said = await chat.send("football tonight")
    assert said.text.startswith("Sorry, I don’t have an answer to this question yet.")
    assert EN_HOTLINES in said.text
    assert said.buttons == ["📚 Topics"]


async def test_a_request_for_a_person_gets_the_hotlines_and_is_logged(
    chat: Chat, database: Database
) -> None:
    said = await chat.send("ខ្ញុំចង់និយាយជាមួយមនុស្ស")
    assert said.texts[0].split("\n\n")[:2] == [
        "អ្នកចង់និយាយជាមួយមនុស្ស។ សម្រាប់ពេលនេះ មានមនុស្សឆ្លើយតាមលេខទូរស័ព្ទទាំងនេះ៖",
        KM_HOTLINES + " លេខទាំងពីរនេះ ទទួលការហៅ ២៤ម៉ោង។",
    ]
    assert said.buttons == ["📚 ប្រធានបទ"]
    async with database.transaction() as session:
        question = await session.scalar(select(Question))
    assert question is not None and question.decision == "person"
    assert question.entry_id is None


async def test_a_request_for_a_person_in_english(chat: Chat) -> None:
    await chat.choose_english()
    said = await chat.send("I want to talk to a human")
    assert said.text.startswith("You would like to talk to a person.")
    assert EN_HOTLINES in said.text


async def test_thumbs_up_thanks_and_removes_the_buttons_and_twice_is_harmless(
    chat: Chat, fake: FakeTelegram, database: Database
) -> None:
    await chat.send(KM_WHAT_IS_NSSF)
    message, _ = fake.find_button(1001, "👍")
    said = await chat.tap("👍")
    assert said.methods == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert said.toasts == ["អរគុណសម្រាប់មតិរបស់អ្នក!"]
    assert fake.buttons(fake.message(1001, message["message_id"])) == []
    again = await chat.tap_data(
        message["reply_markup"]["inline_keyboard"][0][0]["callback_data"], message["message_id"]
    )
    assert again.toasts == ["អរគុណសម្រាប់មតិរបស់អ្នក!"]
    assert again.methods == ["answerCallbackQuery", "editMessageReplyMarkup"]  # refused, quietly
    assert await _count(database, Feedback) == 1


async def test_the_same_update_twice_is_one_question(chat: Chat, database: Database) -> None:
    update = text_update(1001, KM_WHAT_IS_NSSF, update_id=424242, bot=chat.app.bot)
    first = await chat.process(update)
    again = await chat.process(update)  # the durable runner redelivers after a crash
    assert first.texts == again.texts
    assert await _count(database, Question) == 1


async def test_a_very_long_message_asks_for_a_short_question(chat: Chat) -> None:
    said = await chat.send("ខ្ញុំមានបញ្ហាជាមួយក្រុមហ៊ុន " * 300)
    assert said.text == "សាររបស់អ្នកវែងពេក។ សូមសួរសំណួរខ្លីមួយ ក្នុងមួយ ឬពីរប្រយោគ។"


@pytest.mark.parametrize("text", ["😀", "🙏🙏🙏", "?", "។", " . ", "\u200b"])
async def test_emoji_or_punctuation_only_asks_for_words(chat: Chat, text: str) -> None:
    said = await chat.send(text)
    assert said.text.startswith("សូមសរសេរសំណួររបស់អ្នកជាពាក្យ")


# --- /topics -----------------------------------------------------------------------------


async def test_browsing_topics_categories_questions_answer_and_back(
    chat: Chat, fake: FakeTelegram
) -> None:
    said = await chat.send("/topics")
    assert said.text == "សូមជ្រើសរើសប្រធានបទ៖"
    assert said.buttons == ["ការចុះឈ្មោះ", "មាតុភាព"]
    menu_id = fake.messages(1001)[-1]["message_id"]
    said = await chat.tap("ការចុះឈ្មោះ")
    assert said.methods == ["answerCallbackQuery", "editMessageText"]  # in place
    assert said.messages[0]["message_id"] == menu_id
    assert said.text == "ការចុះឈ្មោះ\nសូមជ្រើសរើសសំណួរ៖"
    assert said.buttons == [
        "តើ ប.ស.ស ជាអ្វី?",
        "តើអ្នកណាខ្លះត្រូវចុះឈ្មោះចូល ប.ស.ស?",
        "⬅️ ត្រឡប់ក្រោយ",
    ]
    said = await chat.tap("តើ ប.ស.ស ជាអ្វី?")
    assert said.methods == ["answerCallbackQuery", "sendMessage"]  # the answer is new
    assert said.text.startswith(KM_ANSWER) and KM_FOOTER in said.text
    assert said.buttons == ["👍", "👎"]
    said = await chat.tap("ត្រឡប់ក្រោយ")
    assert said.methods == ["answerCallbackQuery", "editMessageText"]
    assert said.buttons == ["ការចុះឈ្មោះ", "មាតុភាព"]
    said = await chat.tap("👍")  # feedback works on browsed answers too
    assert said.toasts == ["អរគុណសម្រាប់មតិរបស់អ្នក!"]


async def test_browsing_in_english(chat: Chat) -> None:
    await chat.choose_english()
    said = await chat.send("/topics")
    assert (said.text, said.buttons) == ("Choose a topic:", ["Registration", "Maternity"])
    said = await chat.tap("Maternity")
    assert said.text == "Maternity\nChoose a question:"
    assert said.buttons[-1] == "⬅️ Back"


async def test_a_tap_on_a_message_too_old_to_edit_sends_a_new_one(chat: Chat) -> None:
    said = await chat.tap_data("v1:c:maternity", 12, inaccessible=True)
    assert said.methods == ["answerCallbackQuery", "sendMessage"]
    assert said.text == "មាតុភាព\nសូមជ្រើសរើសសំណួរ៖"


async def test_a_deleted_menu_is_sent_anew(chat: Chat, fake: FakeTelegram) -> None:
    await chat.send("/topics")
    fake.fail("editMessageText", error=MESSAGE_NOT_FOUND)
    said = await chat.tap("មាតុភាព")
    assert said.methods == ["answerCallbackQuery", "editMessageText", "sendMessage"]
    assert said.texts[-1] == "មាតុភាព\nសូមជ្រើសរើសសំណួរ៖"


async def test_double_tap_on_a_category_is_quiet(chat: Chat, fake: FakeTelegram) -> None:
    await chat.send("/topics")
    message, button = fake.find_button(1001, "មាតុភាព")
    await chat.tap_data(button["callback_data"], message["message_id"])
    said = await chat.tap_data(button["callback_data"], message["message_id"])
    assert said.methods == ["answerCallbackQuery", "editMessageText"]  # "not modified"
    assert len(fake.messages(1001)) == 1


# --- what the bot can't read ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "khmer"),
    [
        ("voice", "ខ្ញុំមិនទាន់អាចស្តាប់សារជាសំឡេងបានទេ"),
        ("audio", "ខ្ញុំមិនទាន់អាចស្តាប់សារជាសំឡេងបានទេ"),
        ("video_note", "ខ្ញុំមិនទាន់អាចស្តាប់សារជាសំឡេងបានទេ"),
        ("photo", "ខ្ញុំមិនអាចមើលរូបភាព វីដេអូ ឬឯកសារបានទេ"),
        ("video", "ខ្ញុំមិនអាចមើលរូបភាព វីដេអូ ឬឯកសារបានទេ"),
        ("document", "ខ្ញុំមិនអាចមើលរូបភាព វីដេអូ ឬឯកសារបានទេ"),
        ("animation", "ខ្ញុំមិនអាចមើលរូបភាព វីដេអូ ឬឯកសារបានទេ"),
        ("sticker", "អរគុណ!"),
        ("location", "ខ្ញុំមិនត្រូវការទីតាំងរបស់អ្នកទេ"),
        ("contact", "ខ្ញុំអានបានតែសារជាអក្សរប៉ុណ្ណោះ"),
        ("poll", "ខ្ញុំអានបានតែសារជាអក្សរប៉ុណ្ណោះ"),
    ],
)
async def test_non_text_messages_get_a_polite_khmer_reply(
    chat: Chat, kind: MediaKind, khmer: str
) -> None:
    said = await chat.send_media(kind)
    assert said.methods == ["sendMessage"]
    assert khmer in said.text
    assert KM_TYPE_YOUR_QUESTION in said.text


@pytest.mark.parametrize("kind", ["voice", "photo", "sticker", "location", "contact"])
async def test_non_text_messages_in_english(chat: Chat, kind: MediaKind) -> None:
    await chat.choose_english()
    said = await chat.send_media(kind)
    assert "question" in said.text and not any("\u1780" <= c <= "\u17ff" for c in said.text)


async def test_a_photo_with_a_caption_is_still_a_photo(chat: Chat) -> None:
    said = await chat.send_media("photo", caption="តើ ប.ស.ស ជាអ្វី?")
    assert "រូបភាព" in said.text


async def test_an_edited_message_asks_for_a_new_one(chat: Chat, database: Database) -> None:
    said = await chat.edit(KM_WHAT_IS_NSSF)
    assert said.text.startswith("ខ្ញុំអានតែសារថ្មីប៉ុណ្ណោះ")
    assert await _count(database, Question) == 0


async def test_an_edited_command_is_not_run_again(chat: Chat) -> None:
    said = await chat.edit("/start")
    assert said.text.startswith("ខ្ញុំអានតែសារថ្មីប៉ុណ្ណោះ")


@pytest.mark.parametrize("command", ["/forget", "/quit", "/START_NOW", "/settings x"])
async def test_unknown_commands(chat: Chat, command: str) -> None:
    said = await chat.send(command)
    assert said.text == "ខ្ញុំមិនស្គាល់ពាក្យបញ្ជានេះទេ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics ឬ /help។"


async def test_a_command_for_another_bot_is_unknown(chat: Chat) -> None:
    update = command_update(1001, "start", bot_username="other_bot", bot=chat.app.bot)
    said = await chat.process(update)
    assert said.text.startswith("ខ្ញុំមិនស្គាល់ពាក្យបញ្ជានេះទេ")


async def test_a_command_addressed_to_this_bot_works(chat: Chat) -> None:
    update = command_update(1001, "help", bot_username="nssf_helpdesk_test_bot", bot=chat.app.bot)
    said = await chat.process(update)
    assert "/topics" in said.text


# --- stale, forged and malformed buttons ----------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "",
        "hello",
        "v0:l:km",
        "v2:t",
        "v1:l:fr",
        "v1:c:NOPE",
        "v1:c:pension",  # a category the FAQ does not have
        "v1:e:no-such-entry",
        "v1:q:1:what-is-nssf",  # a question that does not exist
        "v1:n:99",
        "v1:f:99:1",
        "v1:f:99:0",
        "v1:f:9999999999999999999:1",  # beyond BIGINT
        "v1:q:1:" + "a" * 60,
    ],
)
async def test_stale_or_malformed_buttons_get_a_polite_reply(chat: Chat, data: str) -> None:
    said = await chat.tap_data(data)
    assert said.methods[0] == "answerCallbackQuery"  # the spinner stops
    assert said.methods[-1] in ("sendMessage", "editMessageText")
    assert said.texts[-1] == "ប៊ូតុងនេះលែងប្រើបានហើយ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics។"


async def test_another_workers_buttons_do_nothing_to_their_question(
    app: object, chat: Chat, fake: FakeTelegram, database: Database
) -> None:
    await chat.send("baby")
    victim_choice = fake.find_button(1001, "សម្រាលកូនទេ")[1]["callback_data"]
    await chat.send(KM_WHAT_IS_NSSF)
    victim_feedback = fake.find_button(1001, "👍")[1]["callback_data"]
    intruder = Chat(chat.app, fake, user_id=2002)
    for data in (victim_choice, victim_feedback):
        said = await intruder.tap_data(data)
        assert said.text.startswith("ប៊ូតុងនេះលែងប្រើបានហើយ")
    assert await _count(database, Feedback) == 0
    async with database.transaction() as session:
        entries = (await session.scalars(select(Question.entry_id).order_by(Question.id))).all()
    assert entries == [None, "what-is-nssf"]


async def test_stale_buttons_in_english(chat: Chat) -> None:
    await chat.choose_english()
    said = await chat.tap_data("v1:q:77:gone")
    assert said.text == "This button no longer works. Type your question, or tap /topics."


# --- blocked workers -------------------------------------------------------------------------


async def test_a_worker_who_blocked_the_bot_is_marked_and_nothing_crashes(
    chat: Chat, fake: FakeTelegram, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await chat.send("/start")
    fake.block(1001)
    said = await chat.send(KM_WHAT_IS_NSSF)
    assert said.methods == ["sendMessage"]  # tried once, refused, no apology attempted
    worker = await _worker(database)
    assert worker is not None and worker.blocked_at is not None
    assert await _count(database, Question) == 1  # the question was kept all the same
    assert "bot was blocked by the user" in caplog.text


async def test_blocking_and_unblocking_updates(chat: Chat, database: Database) -> None:
    await chat.send("/start")
    said = await chat.block()
    assert said.methods == []  # nothing is sent to a worker who just blocked the bot
    worker = await _worker(database)
    assert worker is not None and worker.blocked_at is not None
    chat.fake._faults.clear()  # they unblock and write again
    await chat.send("/help")
    worker = await _worker(database)
    assert worker is not None and worker.blocked_at is None


# --- groups ----------------------------------------------------------------------------------


async def test_group_messages_are_ignored(chat: Chat, database: Database) -> None:
    update = text_update(
        1001, KM_WHAT_IS_NSSF, chat_id=-100555, chat_type="supergroup", bot=chat.app.bot
    )
    said = await chat.process(update)
    assert said.methods == []
    assert await _count(database, Question) == 0


async def test_group_commands_point_to_a_private_chat(chat: Chat, database: Database) -> None:
    update = command_update(
        1001, "start", chat_id=-100555, chat_type="supergroup", bot=chat.app.bot
    )
    said = await chat.process(update)
    assert said.methods == ["sendMessage"]
    assert said.messages[0]["chat_id"] == -100555
    assert said.text == "ខ្ញុំឆ្លើយសំណួរតែក្នុងការជជែកផ្ទាល់ប៉ុណ្ណោះ។ សូមផ្ញើសារមកខ្ញុំដោយផ្ទាល់។"
    assert said.data == ["https://t.me/nssf_helpdesk_test_bot"]
    assert await _worker(database) is None  # no worker row for a group member


@pytest.mark.parametrize("command", ["unknown", "start@other_bot"])
async def test_other_commands_in_groups_are_ignored(chat: Chat, command: str) -> None:
    update = command_update(
        1001, command, chat_id=-100555, chat_type="supergroup", bot=chat.app.bot
    )
    assert (await chat.process(update)).methods == []


async def test_the_bot_removed_from_a_group_marks_nobody_blocked(
    chat: Chat, database: Database
) -> None:
    await chat.send("/start")
    from telegram import Update

    from bot.fakes.telegram import member_update

    data = member_update(1001, "kicked").to_dict()
    data["my_chat_member"]["chat"] = {"id": -100555, "type": "supergroup", "title": "Union"}
    said = await chat.process(Update.de_json(data, chat.app.bot))
    assert said.methods == []
    worker = await _worker(database)
    assert worker is not None and worker.blocked_at is None


async def _questions(database: Database) -> list[Question]:
    async with database.transaction() as session:
        return list((await session.scalars(select(Question).order_by(Question.id))).all())


ODD_TEXTS = [
    "\x00",
    "a\u0000b",
    "\u202eNSSF\u202c",  # right-to-left override
    "<b>NSSF</b> *bold* _it_ [link](http://x)",
    "'; DROP TABLE questions; --",
    "ប" * 4096,
    "ខ្ញុំ\u200bចង់\u200bដឹង\u200bអំពី\u200bប.ស.ស",
    "1286",
    "NSSF NSSF NSSF NSSF",
    "ឲ្យ",
    "\U0001f3f3\ufe0f\u200d\U0001f308",
    "\n\n\n",
]


async def test_odd_texts_always_get_exactly_one_polite_reply(chat: Chat) -> None:
    for text in ODD_TEXTS:
        said = await chat.send(text)
        assert said.methods == ["sendMessage"], repr(text)
        assert said.texts[0].strip(), repr(text)


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("ជំរាបសួរ", "សួស្តី! ខ្ញុំអាចឆ្លើយសំណួរអំពី ប.ស.ស"),
        ("អរគុណច្រើនបង", "មិនអីទេ!"),
    ],
)
async def test_greetings_and_thanks_are_answered_in_kind(
    chat: Chat, database: Database, text: str, reply: str
) -> None:
    said = await chat.send(text)
    assert said.text.startswith(reply)
    assert "1286" not in said.text  # not "I have no answer"
    assert await _count(database, Question) == 0  # small talk is not a question


async def test_thanks_in_english(chat: Chat) -> None:
    await chat.send("/start")
    await chat.tap("English")
    said = await chat.send("Thank you!")
    assert said.text.startswith("You're welcome!")


async def test_topics_under_could_not_help_is_a_new_message_and_keeps_the_hotlines(
    chat: Chat, fake: FakeTelegram
) -> None:
    said = await chat.send("ថ្ងៃនេះភ្លៀងទេ?")  # off-topic: sorry, the hotlines, 📚 Topics
    hotlines = fake.last_message(chat.user_id)
    assert hotlines is not None and "1297" in hotlines["text"]
    said = await chat.tap("📚")
    assert "sendMessage" in said.methods and "editMessageText" not in said.methods
    kept = fake.message(chat.user_id, hotlines["message_id"])
    assert kept is not None and kept["text"] == hotlines["text"]


async def test_a_failed_answer_callback_query_does_not_stop_the_reply(
    chat: Chat, fake: FakeTelegram
) -> None:
    await chat.send("/start")
    fake.fail(
        "answerCallbackQuery",
        error=(400, "Bad Request: query is too old and response timeout expired"),
    )
    said = await chat.tap("English")
    # The reply and the offer of news (issue #9) went out all the same.
    assert said.methods == ["answerCallbackQuery", "sendMessage", "sendMessage"]
    assert said.texts


async def test_choosing_a_language_sets_this_chats_menu_in_it(
    chat: Chat, fake: FakeTelegram
) -> None:
    await chat.send("/start", language_code="km")
    said = await chat.tap("English")
    (menu_call,) = [c.params for c in said.calls if c.method == "setMyCommands"]
    assert menu_call["scope"] == {"type": "chat", "chat_id": chat.user_id}
    assert [c["command"] for c in menu_call["commands"]] == [
        "start",
        "topics",
        "subscribe",
        "language",
        "help",
    ]
    assert all(c["description"].isascii() for c in menu_call["commands"])  # English
