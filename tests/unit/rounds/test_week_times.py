"""When a round opens, is reminded and closes: wall-clock times across DST, week 53 and New Year."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from rkk.rounds.weeks import BRUSSELS, end_of_day, week_times, weeks_between

MONDAY_NINE = (0, time(9, 0))
FRIDAY_FIVE = (4, time(17, 0))


def test_default_round_opens_monday_reminds_wednesday_closes_friday() -> None:
    """Monday 09:00 to Friday 17:00 gets its reminder two days before closing, Wednesday 17:00."""
    times = week_times("2026-W48", MONDAY_NINE, FRIDAY_FIVE)
    assert times.opens == datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS)
    assert times.remind == datetime(2026, 11, 25, 17, 0, tzinfo=BRUSSELS)
    assert times.closes == datetime(2026, 11, 27, 17, 0, tzinfo=BRUSSELS)


def test_week_across_the_autumn_dst_change_keeps_wall_clock_times() -> None:
    """In the week DST ends (25 Oct 2026 is in W43) opening is 07:00 UTC, closing after the change 16:00 UTC."""
    times = week_times("2026-W44", (6, time(9, 0)), (1, time(17, 0)))  # Sunday 1 Nov to Tuesday 3 Nov
    assert times.opens.astimezone(UTC) == datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    spring = week_times("2027-W12", (5, time(9, 0)), (0, time(9, 0)))  # Sat 27 Mar (CET) to Mon 29 Mar (CEST)
    assert spring.opens.astimezone(UTC) == datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert spring.closes.astimezone(UTC) == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def test_week_53_closes_in_the_new_calendar_year() -> None:
    """2026-W53 runs from Monday 28 December 2026; its Friday is New Year's Day 2027."""
    times = week_times("2026-W53", MONDAY_NINE, FRIDAY_FIVE)
    assert times.opens.date().isoformat() == "2026-12-28"
    assert times.closes.date().isoformat() == "2027-01-01"


def test_closing_weekday_before_opening_falls_in_the_next_week() -> None:
    """Opening Thursday and closing Tuesday closes the Tuesday after."""
    times = week_times("2026-W48", (3, time(9, 0)), (1, time(12, 0)))
    assert times.closes == datetime(2026, 12, 1, 12, 0, tzinfo=BRUSSELS)


def test_round_too_short_for_a_reminder_gets_none() -> None:
    """Monday to Tuesday leaves no room for a reminder two days before closing."""
    assert week_times("2026-W48", MONDAY_NINE, (1, time(17, 0))).remind is None


@pytest.mark.parametrize(("days", "day"), [(1, 26), (3, 24)])
def test_reminder_distance_is_configurable(days: int, day: int) -> None:
    """`remind_days_before` moves the reminder."""
    assert week_times("2026-W48", MONDAY_NINE, FRIDAY_FIVE, remind_days_before=days).remind == datetime(
        2026, 11, day, 17, 0, tzinfo=BRUSSELS
    )


def test_weeks_between_counts_across_week_53() -> None:
    """From 2026-W52 to 2027-W01 is two weeks, because 2026 has a week 53."""
    assert weeks_between("2026-W52", "2027-W01") == 2
    assert weeks_between("2027-W01", "2027-W01") == 0


def test_end_of_day_is_midnight_in_brussels() -> None:
    """The grace window 'the same working day' ends at local midnight."""
    assert end_of_day(datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS)) == datetime(2026, 11, 24, 0, 0, tzinfo=BRUSSELS)
