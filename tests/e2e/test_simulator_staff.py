"""``nssf-bot chat`` plays union staff too: a worker escalates, staff answer, it arrives."""

from __future__ import annotations

import io
from pathlib import Path

from bot.fakes.simulator import SIMULATOR_STAFF_CHAT, chat
from bot.settings import load_settings
from faq.content import load_faq


async def test_the_whole_escalation_loop_in_the_terminal(tmp_path: Path) -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token="123456:SIMULATOR",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}",
        webhook_url=None,
        staff_chat_id=SIMULATOR_STAFF_CHAT,
        staff_language="en",
    )
    skip = len(load_faq().categories) + 2  # the categories, "something else", "skip"
    script = "\n".join(
        [
            "/start",
            "2",  # English
            "/ask",
            "my boss took my NSSF card",
            str(skip),  # no category
            "1",  # no employer
            "/as 4",
            "// first note: check the app",
            "We will call NSSF for you.",
            "/buttons",
            "1",  # Unclaim (the first reply claimed it)
            "/as 1",
            "/cases",
        ]
    )
    out = io.StringIO()
    assert await chat(settings, io.StringIO(script), out) == 0
    transcript = out.getvalue()
    assert "bot → staff group, topic" in transcript
    assert "(topic created: #1 · No topic)" in transcript
    assert "Case #1 · No topic" in transcript
    assert "my boss took my NSSF card" in transcript
    assert "you (Vanna) › We will call NSSF for you.\nbot → chat 1001 › We will call" in transcript
    assert "first note" not in transcript.split("you (Vanna) › // first note")[1].split("you")[0]
    assert "Claimed by Vanna." in transcript
    assert "bot (pop-up) › The case is back in the queue." in transcript
    assert "#1 · No topic: open" in transcript
