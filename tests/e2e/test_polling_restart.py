"""``nssf-bot run`` over HTTP against the fake Bot API: answers, and loses nothing to SIGKILL.

The bot long-polls the fake server (TELEGRAM_API_URL) as it would Telegram. The tests
kill it with SIGKILL, which leaves no chance to clean up, and check what a worker sees.
"""

from __future__ import annotations

import pytest

from bot.i18n import t
from faq.content import load_faq
from faq.matcher import Matcher

from .conftest import BotProcess, FakeApi

QUESTION = "តើអាយុប៉ុន្មានទើបអាចបើកប្រាក់សោធនបាន?"


@pytest.fixture(scope="module")
def answer_km() -> str:
    """The first line of the Khmer answer the FAQ gives to QUESTION."""
    faq = load_faq()
    decision = Matcher(faq).match(QUESTION)
    assert decision.answer_id is not None, "the e2e question must have a direct answer"
    entry = faq.get(decision.answer_id)
    assert entry is not None
    return entry.answer.km.strip().splitlines()[0]


def greeting_km() -> str:
    return t("km", "start-welcome").splitlines()[0]


def test_answers_and_handles_messages_sent_while_killed(
    fake_api: FakeApi, bot: BotProcess, answer_km: str
) -> None:
    bot.start()
    start = fake_api.send(1001, "/start")
    bot.wait(lambda: bot.processed(start), "/start handled")
    assert greeting_km() in fake_api.replies(1001)[0]

    question = fake_api.send(1001, QUESTION)
    bot.wait(lambda: bot.processed(question), "the question handled")
    replies_before_kill = fake_api.replies(1001)
    assert answer_km in replies_before_kill[-1]

    bot.kill()
    while_down = [fake_api.send(1002, QUESTION), fake_api.send(1003, "/start")]
    assert set(while_down) <= set(fake_api.pending())  # waiting at "Telegram"

    bot.start()
    bot.wait(lambda: all(bot.processed(u) for u in while_down), "messages sent while down")
    bot.wait(lambda: not fake_api.pending(), "every update confirmed")
    assert len(fake_api.replies(1002)) == 1
    assert answer_km in fake_api.replies(1002)[0]
    assert len(fake_api.replies(1003)) == 1
    assert greeting_km() in fake_api.replies(1003)[0]
    # What was fully handled before the kill is not answered again.
    assert fake_api.replies(1001) == replies_before_kill

    assert bot.terminate() == 0  # SIGTERM: a clean stop


def test_question_in_flight_at_sigkill_is_answered_after_restart(
    fake_api: FakeApi, bot: BotProcess, answer_km: str
) -> None:
    # Test-only hook: the bot waits this long between storing an update and handling it.
    bot.start(NSSF_BOT_TEST_DELAY_AFTER_STORE="60")
    question = fake_api.send(1004, QUESTION)
    bot.wait(lambda: bot.row(question), "the question stored")
    # The bot's next getUpdates has confirmed the update: Telegram will not send it again.
    bot.wait(lambda: question not in fake_api.pending(), "the question confirmed")
    assert fake_api.replies(1004) == []
    bot.kill()

    bot.start()
    bot.wait(lambda: bot.processed(question), "the stored question handled after restart")
    assert len(fake_api.replies(1004)) == 1
    assert answer_km in fake_api.replies(1004)[0]
    row = bot.row(question)
    assert row is not None
    assert row["attempts"] == 1  # counted when the backlog is handled at start-up
    assert bot.terminate() == 0
