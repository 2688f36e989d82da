"""ISO week arithmetic in the circles' time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def iso_week(moment: datetime, tz: ZoneInfo = BRUSSELS) -> str:
    """The ISO week ("2026-W48") that `moment` falls in, in the given time zone."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    """The Monday that starts an ISO week given as "YYYY-Www"."""
    match = _WEEK.match(week)
    if not match:
        raise ValueError(f"not an ISO week: {week!r}")
    return date.fromisocalendar(int(match[1]), int(match[2]), 1)


def week_number(week: str) -> int:
    """The number of the week within its ISO year (1-53)."""
    return week_monday(week).isocalendar()[1]


def weeks_between(earlier: str, later: str) -> int:
    """Whole weeks from one ISO week to another ("2026-W52" to "2027-W01" is 1)."""
    return (week_monday(later) - week_monday(earlier)).days // 7


@dataclass(frozen=True)
class WeekTimes:
    """When one week's round opens, gets its reminder and closes (aware, in the circles' zone)."""

    opens: datetime
    remind: datetime | None  # None: the round is too short for a reminder
    closes: datetime


def week_times(
    week: str,
    opens: tuple[int, time],
    closes: tuple[int, time],
    tz: ZoneInfo = BRUSSELS,
    remind_days_before: int = 2,
) -> WeekTimes:
    """The opening, reminder and closing moments of a round (weekday 0 = Monday; wall-clock times).

    Wall-clock times are combined with the zone per day, so 09:00 stays 09:00 across daylight
    saving. A closing weekday before the opening one (or the same day, earlier) falls in the next week.
    """
    monday = week_monday(week)
    open_day = monday + timedelta(days=opens[0])
    open_at = datetime.combine(open_day, opens[1], tzinfo=tz)
    close_day = open_day + timedelta(days=(closes[0] - opens[0]) % 7)
    close_at = datetime.combine(close_day, closes[1], tzinfo=tz)
    if close_at <= open_at:
        close_at = datetime.combine(close_day + timedelta(days=7), closes[1], tzinfo=tz)
    remind_at = datetime.combine(close_at.date() - timedelta(days=remind_days_before), closes[1], tzinfo=tz)
    return WeekTimes(open_at, remind_at if open_at < remind_at < close_at else None, close_at)


def end_of_day(moment: datetime) -> datetime:
    """Midnight after `moment`, in its own zone (the end of that working day)."""
    following = moment.date() + timedelta(days=1)
    return datetime.combine(following, time(0, 0), tzinfo=moment.tzinfo)
