"""Questions service: logging once per update, choices, feedback, and button checks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.models import Feedback, Question
from bot.services import Desk, escalation, questions
from bot.services.replies import Button, Msg, Reply


async def _ask(database: Database, desk: Desk, text: str, update_id: int, user: int = 1) -> Reply:
    async with database.transaction() as session:
        return await questions.ask(session, desk, user_id=user, text=text, update_id=update_id)


async def _questions(database: Database) -> list[Question]:
    async with database.transaction() as session:
        return list((await session.scalars(select(Question).order_by(Question.id))).all())


async def test_an_answer_is_logged_with_its_decision(database: Database, desk: Desk) -> None:
    reply = await _ask(database, desk, "តើ ប.ស.ស ជាអ្វី?", 10)
    assert reply.parts[0] == desk.faq.get("what-is-nssf").answer.km  # type: ignore[union-attr]
    (question,) = await _questions(database)
    assert (question.decision, question.answered_by, question.entry_id) == (
        "answer",
        "faq",
        "what-is-nssf",
    )
    assert question.update_id == 10 and question.language == "km"
    assert question.normalized == "តើ nssf ជាអ្វី"
    assert question.matches[0] == {"id": "what-is-nssf", "score": 100.0, "offered": False}
    assert question.created_at.tzinfo is not None


async def test_the_same_update_twice_logs_one_question_and_replies_the_same(
    database: Database, desk: Desk
) -> None:
    first = await _ask(database, desk, "baby", 11)
    again = await _ask(database, desk, "baby", 11)
    assert first == again
    assert len(await _questions(database)) == 1
    other = await _ask(database, desk, "baby", 12)  # a new update is a new question
    assert other != first
    assert len(await _questions(database)) == 2


async def test_choices_are_logged_unanswered(database: Database, desk: Desk) -> None:
    reply = await _ask(database, desk, "baby", 11)
    (question,) = await _questions(database)
    assert (question.decision, question.answered_by, question.entry_id) == (
        "choices",
        "none",
        None,
    )
    assert reply.parts == (Msg("choices-prompt"),)
    assert [row[0].data for row in reply.rows] == [
        f"v1:q:{question.id}:maternity-pay",
        f"v1:q:{question.id}:birth-allowance",
        f"v1:q:{question.id}:report-pregnancy",
        f"v1:n:{question.id}",
    ]


async def test_no_match_is_logged_with_its_reason(database: Database, desk: Desk) -> None:
    reply = await _ask(database, desk, "football tonight", 12)
    (question,) = await _questions(database)
    assert (question.decision, question.reason, question.answered_by) == (
        "none",
        "no shared terms",
        "none",
    )
    assert reply.parts == (Msg("no-answer"), Msg("hotlines"), Msg("try-again"))
    # A new message: the hotlines above must stay readable.
    assert reply.rows == ((Button(Msg("button-topics"), "v1:t:n"),),)


async def test_emoji_only_is_not_logged(database: Database, desk: Desk) -> None:
    assert (await _ask(database, desk, "🙏🙏 ?", 13)).parts == (Msg("ask-empty"),)
    assert await _questions(database) == []


async def test_a_very_long_message_is_logged_short(database: Database, desk: Desk) -> None:
    reply = await _ask(database, desk, "ខ្ញុំធ្វើការ " * 400, 14)
    assert reply.parts == (Msg("ask-too-long"),)
    (question,) = await _questions(database)
    assert question.reason == "too long"
    assert len(question.normalized) <= questions.MAX_STORED_CHARS


async def test_choosing_answers_and_records_the_entry(database: Database, desk: Desk) -> None:
    await _ask(database, desk, "baby", 11)
    (question,) = await _questions(database)
    async with database.transaction() as session:
        reply = await questions.choose(
            session, desk, user_id=1, question_id=question.id, entry_id="birth-allowance"
        )
    assert reply.parts[0] == desk.faq.get("birth-allowance").answer.km  # type: ignore[union-attr]
    assert [b.data for b in reply.rows[0]] == [f"v1:f:{question.id}:1", f"v1:f:{question.id}:0"]
    (question,) = await _questions(database)
    assert (question.entry_id, question.answered_by) == ("birth-allowance", "faq")


@pytest.mark.parametrize(
    ("user", "entry", "question_offset"),
    [
        (2, "birth-allowance", 0),  # someone else's question
        (1, "what-is-nssf", 0),  # an entry that was not offered
        (1, "no-such-entry", 0),  # an entry that does not exist
        (1, "birth-allowance", 1000),  # a question that does not exist
    ],
)
async def test_forged_choices_are_stale(
    database: Database, desk: Desk, user: int, entry: str, question_offset: int
) -> None:
    await _ask(database, desk, "baby", 11)
    (question,) = await _questions(database)
    async with database.transaction() as session:
        reply = await questions.choose(
            session, desk, user_id=user, question_id=question.id + question_offset, entry_id=entry
        )
    assert reply.parts == (Msg("stale-button"),)
    (question,) = await _questions(database)
    assert question.entry_id is None


async def test_feedback_twice_is_one_row_and_the_last_tap_wins(
    database: Database, desk: Desk
) -> None:
    await _ask(database, desk, "តើ ប.ស.ស ជាអ្វី?", 10)
    (question,) = await _questions(database)
    for _ in range(2):
        async with database.transaction() as session:
            reply = await questions.helped(session, desk, user_id=1, question_id=question.id)
        assert reply.parts == () and reply.toast == Msg("feedback-thanks")
    async with database.transaction() as session:
        reply = await questions.not_helped(session, desk, user_id=1, question_id=question.id)
    assert reply.parts == (Msg("not-helped"), Msg("hotlines"), Msg("try-again"))
    async with database.transaction() as session:
        rows = (await session.scalars(select(Feedback))).all()
    assert [(row.question_id, row.helpful) for row in rows] == [(question.id, False)]


async def test_feedback_on_someone_elses_question_is_stale(database: Database, desk: Desk) -> None:
    await _ask(database, desk, "តើ ប.ស.ស ជាអ្វី?", 10, user=1)
    (question,) = await _questions(database)
    async with database.transaction() as session:
        assert (
            await questions.helped(session, desk, user_id=2, question_id=question.id)
        ).parts == (Msg("stale-button"),)
        assert (
            await questions.not_helped(session, desk, user_id=2, question_id=2**63 + 5)
        ).parts == (Msg("stale-button"),)
        count = await session.scalar(select(func.count()).select_from(Feedback))
    assert count == 0


async def test_the_escalation_offer_slot(
    database: Database, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Today nothing is offered; the next issue returns an offer and it shows up here.
    async with database.transaction() as session:
        assert (
            await escalation.offer(session, desk, worker_id=1, question_id=None)
        ) == escalation.NOT_AVAILABLE
    offer = escalation.Offer(
        available=True,
        parts=("Ask union staff?",),
        rows=((Button("Ask staff", "v1:x"),),),
    )

    async def available(*args: object, **kwargs: object) -> escalation.Offer:
        return offer

    monkeypatch.setattr(escalation, "offer", available)
    reply = await _ask(database, desk, "football tonight", 12)
    assert reply.parts == (Msg("no-answer"), Msg("hotlines"), "Ask union staff?", Msg("try-again"))
    assert reply.rows[0] == (Button("Ask staff", "v1:x"),)


def test_source_host() -> None:
    assert questions.source_host("https://www.nssf.gov.kh/a/b?c=1") == "nssf.gov.kh"
    assert questions.source_host("https://phnompenhpost.com/x") == "phnompenhpost.com"


def test_only_an_official_page_is_linked() -> None:
    urls = (
        "https://www.ssa.gov/policy/x",  # a foreign agency
        "https://pdfslide.us/documents/sub-decree",  # document sharing
        "http://www.nssf.gov.kh/2018/08/15/y",
        "https://cambodiantr.gov.kh/en/document?title=prakas",
    )
    assert questions.official_page(urls) == "https://cambodiantr.gov.kh/en/document?title=prakas"
    assert questions.official_page(urls[:3]) == "http://www.nssf.gov.kh/2018/08/15/y"
    assert questions.official_page(urls[:2]) is None
    assert not questions.is_official("https://gov.kh.example.com/")
    assert not questions.is_official("https://phnompenhpost.com/national/nssf")
    assert questions.is_official("https://nssf.gov.kh/employment-injury-scheme-2/registration")


async def test_the_footer_never_links_a_third_party_source(desk: Desk) -> None:
    for entry in desk.faq.entries:
        for lang in ("km", "en"):
            footer = questions.answer_reply(entry, lang, 1).parts[1]
            assert isinstance(footer, Msg)
            link = footer.args["link"]
            assert link == "none" or questions.is_official(link), (entry.id, link)
            assert footer.args["legal"] == entry.legal_basis.get(lang)
