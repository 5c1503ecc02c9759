"""Transcripts of organisers writing, approving and running broadcasts; authorisation;
the workers' "I'll attend" (both backends)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import sqlalchemy as sa

from bot.context import BotApplication
from bot.db import Database
from bot.fakes.telegram import FakeTelegram, media_update
from bot.models import Campaign, Rsvp, utcnow
from bot.services import campaigns
from bot.settings import Settings
from bot.telegram_io.broadcaster import Broadcaster, BroadcastOptions
from tests.bot.chat import Chat
from tests.bot.test_broadcasts import add_workers

AUTHOR, APPROVER = 900, 901
ZONE = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with two organisers (who never chose a language: Khmer)."""
    return settings.model_copy(update={"organiser_ids": frozenset({AUTHOR, APPROVER})})


@pytest.fixture
def author(app: BotApplication, fake: FakeTelegram) -> Chat:
    return Chat(app, fake, user_id=AUTHOR)


@pytest.fixture
def approver(app: BotApplication, fake: FakeTelegram) -> Chat:
    return Chat(app, fake, user_id=APPROVER)


async def _campaign(database: Database) -> Campaign:
    async with database.transaction() as session:
        found = await session.scalar(sa.select(Campaign).order_by(Campaign.id.desc()).limit(1))
    assert found is not None
    return found


async def _deliver(app: BotApplication) -> None:
    data = app.bot_data
    broadcaster = Broadcaster(data.database, data.outbox, BroadcastOptions(quiet=None, zone=ZONE))
    for _ in range(3):
        await broadcaster.tick()
        await data.sender.drain(within=0.5)


async def test_write_preview_approve_and_send(
    app: BotApplication, author: Chat, approver: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001, 2002], topics=["pension"])
    await add_workers(database, [2003], topics=["health"], language="en")
    await add_workers(database, [2004], topics=["pension"], language="en")
    said = await author.send("/broadcast")
    assert said.text.startswith("ការផ្សាយថ្មី។ សូមផ្ញើសារជាភាសាខ្មែរ")
    said = await author.send("ភាគទានប្រាក់សោធនឡើងនៅខែតុលា")
    assert said.text.startswith("ឥឡូវសូមផ្ញើជំនាន់ភាសាអង់គ្លេស")
    said = await author.send("Pension contributions rise in October")
    assert said.buttons[0] == "✅ អ្នកចុះឈ្មោះទាំងអស់"
    said = await author.tap_data("v1:o:seg:pension")
    assert said.buttons[:2] == ["⬜ អ្នកចុះឈ្មោះទាំងអស់", "✅ ប្រាក់សោធន"]
    said = await author.tap_data("v1:o:seg")
    assert said.text.startswith("ពេលណា?")
    said = await author.tap_data("v1:o:when:now")
    # The preview, exactly as workers get it (Khmer, English), then the summary.
    assert said.texts[:2] == [
        "ភាគទានប្រាក់សោធនឡើងនៅខែតុលា",
        "Pension contributions rise in October",
    ]
    assert "អ្នកទទួលឥឡូវ៖ 3" in said.texts[2]  # 2001, 2002, 2004: pension
    assert said.buttons == ["ស្នើសុំការអនុម័ត", "🙋 បន្ថែមប៊ូតុង «ខ្ញុំនឹងចូលរួម»", "បោះបង់"]
    campaign = await _campaign(database)
    said = await author.tap("ស្នើសុំការអនុម័ត")
    assert any(text.startswith(f"ការផ្សាយលេខ {campaign.id} កំពុងរង់ចាំ") for text in said.texts)
    to_approver = [str(p["text"]) for p in fake.requests("sendMessage", APPROVER)]
    assert to_approver[0] == "ភាគទានប្រាក់សោធនឡើងនៅខែតុលា"
    assert to_approver[-1].startswith(f"អ្នករៀបចំម្នាក់ទៀតស្នើឱ្យអ្នកអនុម័តការផ្សាយលេខ {campaign.id}")

    # The author can't approve their own; the other organiser can.
    said = await author.tap_data(f"v1:o:approve:{campaign.id}")
    assert said.texts == ["អ្នកមិនអាចអនុម័ត ឬបដិសេធការផ្សាយរបស់ខ្លួនឯងបានទេ៖ ត្រូវឱ្យអ្នករៀបចំម្នាក់ទៀតធ្វើ។"]
    said = await approver.tap("អនុម័ត")
    (to_approver_now,) = [m["text"] for m in said.messages if m["chat_id"] == APPROVER]
    (to_author_now,) = [m["text"] for m in said.messages if m["chat_id"] == AUTHOR]
    assert to_approver_now == f"អ្នកបានអនុម័តការផ្សាយលេខ {campaign.id}។"
    assert to_author_now.startswith(f"ការផ្សាយលេខ {campaign.id} ត្រូវបានអនុម័ត។")
    said = await approver.tap_data(f"v1:o:reject:{campaign.id}")
    assert said.texts == ["ការផ្សាយនេះលែងរង់ចាំការសម្រេចចិត្តទៀតហើយ។"]

    await _deliver(app)
    got = {c: [str(p["text"]) for p in fake.requests("sendMessage", c)] for c in range(2001, 2005)}
    assert got == {
        2001: ["ភាគទានប្រាក់សោធនឡើងនៅខែតុលា"],
        2002: ["ភាគទានប្រាក់សោធនឡើងនៅខែតុលា"],
        2003: [],
        2004: ["Pension contributions rise in October"],
    }
    said = await author.send("/campaigns")
    assert said.texts == [f"លេខ {campaign.id} បានបញ្ចប់ · បានផ្ញើ 3/3 · មិនបានដល់ 0"]


async def test_a_photo_with_a_caption_is_copied_with_the_caption(
    app: BotApplication, author: Chat, approver: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001])
    await author.send("/broadcast")
    photo = media_update(AUTHOR, "photo", caption="ប្រជុំថ្ងៃអាទិត្យ", bot=app.bot)
    fake.push(photo)  # "Telegram" keeps the organiser's message, so it can be copied
    said = await author.process(photo)
    assert said.text.startswith("ឥឡូវសូមផ្ញើជំនាន់ភាសាអង់គ្លេស")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:urgent")
    assert [c.method for c in said.calls if c.method == "copyMessage"] == ["copyMessage"]
    campaign = await _campaign(database)
    assert campaign.urgent and campaign.media_message_id == photo.effective_message.message_id
    await author.tap("ស្នើសុំការអនុម័ត")
    await approver.tap("អនុម័ត")
    await _deliver(app)
    (copied,) = fake.requests("copyMessage", 2001)
    assert copied["caption"] == "ប្រជុំថ្ងៃអាទិត្យ"
    assert fake.messages(2001)[-1]["photo"]


async def test_dates_are_read_in_phnom_penh_time_and_checked(
    app: BotApplication, author: Chat
) -> None:
    await author.send("/broadcast")
    await author.send("ប្រចាំខែ")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:monthly")
    assert said.text.startswith("សូមវាយកាលបរិច្ឆេទ និងម៉ោងនៃការផ្ញើលើកដំបូង")
    assert (await author.send("tomorrow at nine")).text.startswith("ខ្ញុំមិនអាចអានកាលបរិច្ឆេទ")
    assert (await author.send("2031-02-30 09:00")).text.startswith("ខ្ញុំមិនអាចអានកាលបរិច្ឆេទ")
    assert (await author.send("2001-02-03 09:00")).text.startswith("ពេលនោះបានកន្លងផុតហើយ")
    said = await author.send("2099-01-31 09:00")
    assert "ពេលណា៖ រៀងរាល់ខែ ចាប់ពី 2099-01-31 09:00 (ម៉ោងភ្នំពេញ)។" in said.texts[-1]
    campaign = await _campaign(app.bot_data.database)
    assert campaign.recurrence == "monthly"
    assert campaign.scheduled_at == dt.datetime(2099, 1, 31, 2, 0, tzinfo=dt.UTC)  # UTC+7


async def test_pause_resume_cancel_from_campaigns(
    app: BotApplication, author: Chat, approver: Chat
) -> None:
    database = app.bot_data.database
    async with database.transaction() as session:
        campaign = await campaigns.create(
            session, AUTHOR, text_km="x", status="running", scheduled_at=utcnow()
        )
    said = await approver.send("/campaigns")
    assert said.buttons == [f"⏸ ផ្អាកលេខ {campaign.id}", f"⏹ លុបចោលលេខ {campaign.id}"]
    said = await approver.tap("ផ្អាក")
    assert said.texts == [f"ការផ្សាយលេខ {campaign.id} បានផ្អាក។ ផ្ញើ /campaigns ដើម្បីបន្តវា។"]
    said = await approver.tap_data(f"v1:o:pause:{campaign.id}")
    assert said.texts[0].startswith(f"មិនអាចផ្លាស់ប្តូរការផ្សាយលេខ {campaign.id}")
    said = await author.send("/campaigns")
    assert said.buttons == [f"▶️ បន្តលេខ {campaign.id}", f"⏹ លុបចោលលេខ {campaign.id}"]
    await author.tap("បន្ត")
    said = await author.tap_data(f"v1:o:cancel:{campaign.id}")
    assert said.texts[-1] == f"ការផ្សាយលេខ {campaign.id} ត្រូវបានលុបចោល។"
    assert (await _campaign(database)).status == "cancelled"


async def test_workers_cannot_broadcast_or_use_organiser_buttons(
    app: BotApplication, author: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    worker = Chat(app, fake, user_id=1001)
    said = await worker.send("/broadcast")
    assert said.texts == ["ខ្ញុំមិនស្គាល់ពាក្យបញ្ជានេះទេ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics ឬ /help។"]
    assert (await worker.send("/campaigns")).texts == said.texts
    await author.send("/broadcast")
    await author.send("សារ")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:seg")
    await author.tap_data("v1:o:when:now")
    await author.tap("ស្នើសុំការអនុម័ត")
    campaign = await _campaign(database)
    for data in (f"v1:o:approve:{campaign.id}", f"v1:o:cancel:{campaign.id}", "v1:o:seg"):
        said = await worker.tap_data(data)  # forged: the worker never had these buttons
        assert said.texts == ["ប៊ូតុងនេះលែងប្រើបានហើយ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics។"]
    assert (await _campaign(database)).status == "pending"


async def test_an_organiser_without_a_draft_asks_questions_like_anyone(
    author: Chat,
) -> None:
    said = await author.send("តើ ប.ស.ស ជាអ្វី?")
    assert "ប.ស.ស" in said.text and not said.text.startswith("ការផ្សាយ")
    said = await author.tap_data("v1:o:en")
    assert said.texts == ["មិនមានការផ្សាយណាកំពុងសរសេរទេ។ ផ្ញើ /broadcast ដើម្បីចាប់ផ្តើម។"]


async def test_too_long_and_empty_drafts_get_a_clear_answer(author: Chat) -> None:
    await author.send("/broadcast")
    said = await author.send("ក" * 4097)
    assert said.texts == ["វាវែងពេក៖ យ៉ាងច្រើន 4096 តួអក្សរ។ សូមផ្ញើជំនាន់ខ្លីជាងនេះ។"]
    said = await author.send_media("photo")  # no caption
    assert said.texts == ["សូមផ្ញើអត្ថបទ ឬរូបភាព ឬឯកសារ ដែលមានចំណងជើង។"]


async def test_ill_attend_is_counted_once_and_shown_to_organisers(
    app: BotApplication, author: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001, 2002])
    async with database.transaction() as session:
        campaign = await campaigns.create(
            session, AUTHOR, text_km="ប្រជុំ", rsvp=True, status="scheduled", scheduled_at=utcnow()
        )
    await _deliver(app)
    (message,) = fake.requests("sendMessage", 2001)
    assert message["reply_markup"]["inline_keyboard"][0][0]["text"] == "🙋 ខ្ញុំនឹងចូលរួម"
    worker = Chat(app, fake, user_id=2001)
    said = await worker.tap("ខ្ញុំនឹងចូលរួម")
    assert said.toasts == ["អរគុណ! យើងបានរាប់បញ្ចូលអ្នកហើយ។"]
    await worker.tap("ខ្ញុំនឹងចូលរួម")  # twice: counted once
    async with database.transaction() as session:
        count = await session.scalar(sa.select(sa.func.count()).select_from(Rsvp))
    assert count == 1
    said = await author.send("/campaigns")
    assert said.text.endswith("\n\n🙋 1 នាក់នឹងចូលរួម")
    said = await worker.tap_data("v1:r:999999")
    assert said.toasts == ["ព្រឹត្តិការណ៍នេះលែងបើកទៀតហើយ។"]
    async with database.transaction() as session:
        assert await campaigns.set_status(session, campaign.id, ["finished"], "cancelled")
    said = await worker.tap("ខ្ញុំនឹងចូលរួម")  # a cancelled event counts nobody more
    assert said.toasts == ["ព្រឹត្តិការណ៍នេះលែងបើកទៀតហើយ។"]


async def test_an_event_gets_the_ill_attend_button_from_the_review(
    app: BotApplication, author: Chat, approver: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001])
    await author.send("/broadcast")
    await author.send("ប្រជុំ")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:seg")
    await author.tap_data("v1:o:when:now")
    said = await author.tap("បន្ថែមប៊ូតុង")
    assert "ព្រឹត្តិការណ៍៖ កម្មករទទួលបានប៊ូតុង «ខ្ញុំនឹងចូលរួម»" in said.text
    assert said.buttons[1] == "🙋 ដកប៊ូតុង «ខ្ញុំនឹងចូលរួម» ចេញ"
    await author.tap("ស្នើសុំការអនុម័ត")
    await approver.tap("អនុម័ត")
    await _deliver(app)
    (message,) = fake.requests("sendMessage", 2001)
    assert message["reply_markup"]["inline_keyboard"][0][0]["text"] == "🙋 ខ្ញុំនឹងចូលរួម"
    said = await Chat(app, fake, user_id=1001).tap_data("v1:o:rsvp:1")  # forged
    assert said.texts == ["ប៊ូតុងនេះលែងប្រើបានហើយ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics។"]


async def test_a_segment_by_sector_reaches_only_that_sector(
    app: BotApplication, author: Chat, approver: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001], sector="garment")
    await add_workers(database, [2002], sector="construction")
    await add_workers(database, [2003])  # did not say
    await author.send("/broadcast")
    await author.send("រោងចក្រ")
    said = await author.tap_data("v1:o:en")
    assert "⬜ រោងចក្រកាត់ដេរ ឬស្បែកជើង" in said.buttons
    said = await author.tap("រោងចក្រកាត់ដេរ")
    assert "✅ រោងចក្រកាត់ដេរ ឬស្បែកជើង" in said.buttons
    assert "⬜ ការងារគ្រប់ប្រភេទ" in said.buttons
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:now")
    assert (
        "អ្នកទទួលឥឡូវ៖ 1" in said.texts[-1]
        and "ប្រធានបទ៖ អ្នកចុះឈ្មោះទាំងអស់ × រោងចក្រកាត់ដេរ ឬស្បែកជើង" in said.texts[-1]
    )
    await author.tap("ស្នើសុំការអនុម័ត")
    await approver.tap("អនុម័ត")
    await _deliver(app)
    got = [len(fake.requests("sendMessage", chat)) for chat in (2001, 2002, 2003)]
    assert got == [1, 0, 0]


async def test_a_segment_by_province_and_sector_reaches_only_those_workers(
    app: BotApplication, author: Chat, approver: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001], province="kep", sector="garment")
    await add_workers(database, [2002], province="kep", sector="construction")
    await add_workers(database, [2003], province="kampot", sector="garment")
    await add_workers(database, [2004], sector="garment")  # did not give a province
    await author.send("/broadcast")
    await author.send("ប្រជុំនៅកែប")
    said = await author.tap_data("v1:o:en")
    assert "📍 គ្រប់ខេត្ត ▸" in said.buttons
    said = await author.tap("គ្រប់ខេត្ត ▸")
    assert said.texts[-1].startswith("ខេត្តណា?")
    assert said.buttons[:3] == ["គ្រប់ខេត្ត", "រាជធានីភ្នំពេញ", "បន្ទាយមានជ័យ"]
    said = await author.tap("កែប")
    assert "📍 កែប ▸" in said.buttons  # back on the segment, the province shown
    said = await author.tap("រោងចក្រកាត់ដេរ")
    assert "📍 កែប ▸" in said.buttons and "✅ រោងចក្រកាត់ដេរ ឬស្បែកជើង" in said.buttons
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:now")
    assert "អ្នកទទួលឥឡូវ៖ 1" in said.texts[-1]
    assert "អ្នកចុះឈ្មោះទាំងអស់ × រោងចក្រកាត់ដេរ ឬស្បែកជើង × កែប" in said.texts[-1]
    await author.tap("ស្នើសុំការអនុម័ត")
    await approver.tap("អនុម័ត")
    await _deliver(app)
    got = [len(fake.requests("sendMessage", chat)) for chat in (2001, 2002, 2003, 2004)]
    assert got == [1, 0, 0, 0]


async def test_every_province_undoes_the_choice_and_forged_provinces_are_refused(
    app: BotApplication, author: Chat, fake: FakeTelegram
) -> None:
    await author.send("/broadcast")
    await author.send("ព័ត៌មាន")
    await author.tap_data("v1:o:en")
    said = await author.tap_data("v1:o:prov:takeo")
    assert "📍 តាកែវ ▸" in said.buttons
    said = await author.tap_data("v1:o:prov:any")
    assert "📍 គ្រប់ខេត្ត ▸" in said.buttons
    campaign = await _campaign(app.bot_data.database)
    assert "province" not in (campaign.filters or {})
    said = await author.tap_data("v1:o:prov:atlantis")  # not a province: stale
    assert not any(label.startswith("📍") for label in said.buttons)
    worker = Chat(app, fake, user_id=1001)
    said = await worker.tap_data("v1:o:prov:kep")  # not an organiser: refused as stale
    assert said.texts == ["ប៊ូតុងនេះលែងប្រើបានហើយ។ សូមសរសេរសំណួររបស់អ្នក ឬចុច /topics។"]
    campaign = await _campaign(app.bot_data.database)
    assert "province" not in (campaign.filters or {})


async def test_paid_broadcasts_are_offered_only_when_allowed(
    app: BotApplication, author: Chat
) -> None:
    await author.send("/broadcast")
    await author.send("លឿន")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:now")
    assert not any("ផ្កាយ" in label for label in said.buttons)  # not allowed: not offered
    campaign = await _campaign(app.bot_data.database)
    said = await author.tap_data(f"v1:o:paid:{campaign.id}")  # forged: refused
    assert said.texts[-1] == "មិនមានការផ្សាយណាកំពុងសរសេរទេ។ ផ្ញើ /broadcast ដើម្បីចាប់ផ្តើម។"
    assert not (await _campaign(app.bot_data.database)).paid


async def test_an_allowed_paid_broadcast_shows_its_cost(app: BotApplication, author: Chat) -> None:
    # An admin allows paid broadcasts (PAID_BROADCASTS=true).
    app.bot_data.settings = app.bot_data.settings.model_copy(update={"paid_broadcasts": True})
    await add_workers(app.bot_data.database, range(2001, 2026))
    await author.send("/broadcast")
    await author.send("លឿន")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:now")
    said = await author.tap("ធ្វើជាការផ្សាយបង់ប្រាក់")
    assert "ការផ្សាយបង់ប្រាក់៖ រហូតដល់ 1000 សារក្នុងមួយវិនាទី ប្រហែល 3 ផ្កាយ" in said.text
    assert (await _campaign(app.bot_data.database)).paid


async def test_a_segment_by_employer_reaches_the_workers_who_named_it_in_any_case(
    app: BotApplication, author: Chat, approver: Chat, fake: FakeTelegram
) -> None:
    database = app.bot_data.database
    await add_workers(database, [2001], employer="Grand Textile (Cambodia) Co.")
    await add_workers(database, [2002], employer="grand textile")
    await add_workers(database, [2003], employer="Sunrise Shoes")
    await add_workers(database, [2004])  # did not give an employer
    await author.send("/broadcast")
    await author.send("ប្រជុំនៅរោងចក្រ")
    said = await author.tap_data("v1:o:en")
    assert "🏭 គ្រប់រោងចក្រ ឬក្រុមហ៊ុន ▸" in said.buttons
    said = await author.tap("គ្រប់រោងចក្រ ឬក្រុមហ៊ុន ▸")
    assert said.texts[-1].startswith("សូមវាយឈ្មោះរោងចក្រ")
    said = await author.send("  GRAND   Textile ")  # part of the name, any case or spacing
    assert "🏭 និយោជក៖ GRAND Textile ▸" in said.buttons
    await author.tap_data("v1:o:seg")
    said = await author.tap_data("v1:o:when:now")
    assert "អ្នកទទួលឥឡូវ៖ 2" in said.texts[-1] and "× 🏭 GRAND Textile" in said.texts[-1]
    await author.tap("ស្នើសុំការអនុម័ត")
    await approver.tap("អនុម័ត")
    await _deliver(app)
    got = [len(fake.requests("sendMessage", chat)) for chat in (2001, 2002, 2003, 2004)]
    assert got == [1, 1, 0, 0]


async def test_every_employer_undoes_the_employer_choice(
    app: BotApplication, author: Chat
) -> None:
    await author.send("/broadcast")
    await author.send("ព័ត៌មាន")
    await author.tap_data("v1:o:en")
    await author.tap_data("v1:o:emp")
    said = await author.send("Sunrise")
    assert "🏭 និយោជក៖ Sunrise ▸" in said.buttons
    said = await author.tap_data("v1:o:emp:any")
    assert "🏭 គ្រប់រោងចក្រ ឬក្រុមហ៊ុន ▸" in said.buttons
    campaign = await _campaign(app.bot_data.database)
    assert "employer" not in (campaign.filters or {})
