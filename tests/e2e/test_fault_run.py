"""The end-to-end fault run (scripts/fault_run.py --quick): ``nssf-bot run`` over HTTP
against the fake Bot API with Telegram's limits enforced, through 5xx answers, dropped
connections, a timed-out send, per-chat and global 429s, a blocked worker and SIGKILL.

Asserted here: nothing is lost, and SIGKILL repeats at most the sends in flight. The
script's own check also holds delays to 3 s; that part depends on the machine's load and
is reported, not asserted, in CI.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^(?P<name>.+?)\s+(?P<asked>\d+)\s+(?P<lost>\d+)\s+(?P<dup>\d+)\s+\d+$")


def test_faults_lose_no_answer_and_sigkill_repeats_at_most_three() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "fault_run.py"), "--quick"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    rows = {}
    for line in done.stdout.splitlines():
        found = ROW.match(line)
        if found:
            rows[found["name"]] = (int(found["asked"]), int(found["lost"]), int(found["dup"]))
    assert len(rows) == 8, done.stdout + done.stderr
    assert all(asked > 0 for asked, _, _ in rows.values())
    assert [name for name, (_, lost, _) in rows.items() if lost] == [], done.stdout
    sigkill = next(value for name, value in rows.items() if name.startswith("SIGKILL"))
    assert sigkill[2] <= 3, done.stdout
