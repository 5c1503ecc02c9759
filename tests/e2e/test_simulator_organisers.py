"""``nssf-bot chat`` plays organisers too: personas 5 and 6 write and approve a broadcast."""

from __future__ import annotations

import io
from pathlib import Path

from bot.fakes.simulator import SIMULATOR_ORGANISERS, SIMULATOR_STAFF_CHAT, chat
from bot.settings import load_settings


async def test_an_organiser_writes_a_broadcast_and_the_other_approves_it(tmp_path: Path) -> None:
    settings = load_settings(
        _env_file=None,
        telegram_bot_token="123456:SIMULATOR",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}",
        webhook_url=None,
        staff_chat_id=SIMULATOR_STAFF_CHAT,
        organiser_ids=SIMULATOR_ORGANISERS,
    )
    script = "\n".join(
        [
            "/start",
            "2",  # English
            "1",  # yes, send me news
            "/as 5",  # Chanthy, an organiser
            "/broadcast",
            "ប្រជុំសហជីពថ្ងៃអាទិត្យ",
            "Union meeting on Sunday",
            "16",  # Next: every subscriber, any kind of work, province and employer
            "1",  # now
            "1",  # request approval
            "/as 6",  # Rith, the other organiser
            "/buttons",
            "1",  # approve
            "/as 1",
            "/help",
        ]
    )
    out = io.StringIO()
    assert await chat(settings, io.StringIO(script), out) == 0
    transcript = out.getvalue()
    assert "you are now Chanthy, a union organiser (Telegram user 3001" in transcript
    assert "ការផ្សាយលេខ 1 កំពុងរង់ចាំការអនុម័តពីអ្នករៀបចំម្នាក់ទៀត" in transcript
    assert "bot → chat 3002 › អ្នករៀបចំម្នាក់ទៀតស្នើឱ្យអ្នកអនុម័តការផ្សាយលេខ 1" in transcript
    assert "អ្នកបានអនុម័តការផ្សាយលេខ 1។" in transcript
    assert "• /ask: ask union staff" in transcript
