"""A broadcast through ``nssf-bot run`` over HTTP, against a fake Bot API that enforces
Telegram's flood limits, killed with SIGKILL in the middle and started again: nobody gets
it twice, nobody is lost (apart from rows whose outcome is unknown), and a worker who asks
a question during the broadcast is answered at once.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

from .conftest import BotProcess, FakeApi

ORGANISER = 900
RECIPIENTS = list(range(5001, 5301))  # 300 workers: 12 s at 25/s
TEXT = "ប្រជុំសហជីព ថ្ងៃអាទិត្យ ម៉ោង ៩ ព្រឹក"


def _tables_ready(bot: BotProcess) -> bool:
    if not bot.database.exists():
        return False
    with sqlite3.connect(bot.database, timeout=5) as connection:
        try:
            connection.execute("SELECT count(*) FROM deliveries").fetchone()
        except sqlite3.OperationalError:
            return False
    return True


def _schedule_broadcast(bot: BotProcess) -> None:
    """Subscribers and an approved campaign due now, written as another process would."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(bot.database, timeout=10) as connection:
        for user_id in RECIPIENTS:
            cursor = connection.execute(
                "INSERT INTO workers (telegram_user_id, language, language_chosen,"
                " consent_share_name, consent_broadcasts, first_seen, last_seen)"
                " VALUES (?, 'km', 1, 0, 1, ?, ?)",
                (user_id, now, now),
            )
            connection.execute(
                "INSERT INTO subscribers (worker_id, subscribed, opted_in_at) VALUES (?, 1, ?)",
                (cursor.lastrowid, now),
            )
        connection.execute(
            "INSERT INTO campaigns (status, created_by, approved_by, text_km, filters,"
            " scheduled_at, urgent, rsvp, paid, recipients, created_at)"
            " VALUES ('scheduled', ?, ?, ?, '{}', ?, 0, 0, 0, 0, ?)",
            (ORGANISER, ORGANISER + 1, TEXT, now, now),
        )


def _ledger(bot: BotProcess) -> dict[str, int]:
    with sqlite3.connect(bot.database, timeout=5) as connection:
        rows = connection.execute("SELECT status, count(*) FROM deliveries GROUP BY status")
        return {status: count for status, count in rows}


def _finished(bot: BotProcess) -> bool:
    with sqlite3.connect(bot.database, timeout=5) as connection:
        (status,) = connection.execute("SELECT status FROM campaigns").fetchone()
    return bool(status == "finished")


def _delivered(api: FakeApi) -> dict[int, int]:
    """How many copies of the broadcast each recipient's chat really holds."""
    counts: dict[int, int] = {}
    for user_id in RECIPIENTS:
        messages = api.http.get("/_test/messages", params={"chat_id": user_id}).json()
        counts[user_id] = sum(message.get("text") == TEXT for message in messages)
    return counts


def test_a_broadcast_killed_midway_resumes_with_no_duplicate_and_no_loss(
    fake_api: FakeApi, bot: BotProcess
) -> None:
    fake_api.http.post("/_test/limits", json={"enforce": True}).raise_for_status()
    env = {"QUIET_HOURS": "off", "BROADCAST_TICK": "0.5"}
    bot.start(**env)
    bot.wait(lambda: _tables_ready(bot), "the database migrated")
    _schedule_broadcast(bot)
    bot.wait(lambda: _ledger(bot).get("sent", 0) >= 60, "the broadcast under way")

    # A worker asks during the broadcast: the reply overtakes the bulk messages.
    asked = time.monotonic()
    question = fake_api.send(1001, "/start")
    bot.wait(lambda: fake_api.replies(1001), "the reply during the broadcast", timeout=10)
    latency = time.monotonic() - asked
    assert bot.row(question) is not None
    assert latency < 3.0, f"reply took {latency:.1f} s during the broadcast"

    bot.kill()
    before = _ledger(bot)
    assert before.get("pending", 0) > 0, f"the broadcast ended before the kill: {before}"

    bot.start(**env)
    bot.wait(lambda: _finished(bot), "the broadcast finished", timeout=60)
    ledger = _ledger(bot)
    assert set(ledger) <= {"sent", "unknown"}, ledger
    assert ledger.get("sent", 0) + ledger.get("unknown", 0) == len(RECIPIENTS)
    assert ledger.get("unknown", 0) <= 32  # at most the requests in flight at the kill

    delivered = _delivered(fake_api)
    assert max(delivered.values()) == 1  # nobody twice
    assert sum(delivered.values()) >= ledger["sent"]  # every "sent" really arrived
    refused = int(fake_api.http.get("/_test/limits").json()["refused"])
    assert refused <= 2, f"{refused} flood refusals at 25/s"
