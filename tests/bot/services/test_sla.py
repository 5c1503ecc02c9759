"""The working week: a first-response target counted in working hours only."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from bot.services.sla import WorkingWeek

PP = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
WEEK = WorkingWeek.parse("Asia/Phnom_Penh", "mon,tue,wed,thu,fri", "08:00-17:00")


def _pp(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PP)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (_pp(2026, 12, 1, 9, 0), 4, _pp(2026, 12, 1, 13, 0)),  # Tuesday morning
        (_pp(2026, 12, 4, 15, 0), 4, _pp(2026, 12, 7, 10, 0)),  # Friday 15:00 → Monday
        (_pp(2026, 12, 5, 10, 0), 4, _pp(2026, 12, 7, 12, 0)),  # Saturday → Monday
        (_pp(2026, 12, 1, 6, 30), 4, _pp(2026, 12, 1, 12, 0)),  # before opening
        (_pp(2026, 12, 1, 22, 0), 9, _pp(2026, 12, 2, 17, 0)),  # a whole working day
        (_pp(2026, 12, 1, 13, 0), 4, _pp(2026, 12, 1, 17, 0)),  # ends at closing time
        (_pp(2026, 12, 1, 9, 0), 0.5, _pp(2026, 12, 1, 9, 30)),
    ],
)
def test_working_hours_are_added_across_nights_and_weekends(
    start: dt.datetime, hours: float, due: dt.datetime
) -> None:
    got = WEEK.add(start.astimezone(dt.UTC), hours)
    assert got == due.astimezone(dt.UTC) and got.tzinfo is dt.UTC


def test_a_six_day_week_and_other_hours() -> None:
    week = WorkingWeek.parse("Asia/Phnom_Penh", "mon,tue,wed,thu,fri,sat", "07:00-11:00")
    assert week.add(_pp(2026, 12, 5, 10, 0), 2) == _pp(2026, 12, 7, 8, 0).astimezone(dt.UTC)
