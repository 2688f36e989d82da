"""ISO week arithmetic in the circles' time zone."""

from __future__ import annotations

import re
from datetime import date, datetime
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
