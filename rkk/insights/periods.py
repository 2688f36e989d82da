"""Report periods as coordinators type them ("2026", "sinds 1 september") and their weekly or monthly buckets.

Answers belong to a round, and a round to an ISO week; a period is the run of ISO weeks from the week of
its first day to the week of its last. Short periods are shown per week, long ones per month, a week
counting in the month of its Thursday (the ISO rule that also gives a week its year), so 2026-W53
(28 December 2026 - 3 January 2027) belongs to December 2026.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rkk.errors import RkkError
from rkk.rounds import InvalidDate, parse_past_date, week_monday

logger = logging.getLogger(__name__)

TREND_WEEKS = 12  # the card's default trend
RECENT_WEEKS = 8  # the card's default window for besturen and rode draden (the rode-draad rule's window)
MAX_WEEKLY_BUCKETS = 16  # longer periods are shown per month
_SINCE = re.compile(r"^(?:sinds|vanaf|since|from)\s+(.+)$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(?:van\s+|from\s+)?(.+?)\s+(?:tot|t/m|tot en met|to|until)\s+(.+)$")


class InvalidPeriod(RkkError):
    """A period that cannot be read, or that starts after it ends or after today."""

    code = "insights_period_unreadable"


@dataclass(frozen=True)
class Period:
    """A run of days, both ends included."""

    start: date
    end: date

    def weeks(self) -> tuple[str, ...]:
        """The ISO weeks the period touches, in order."""
        monday = self.start - timedelta(days=self.start.weekday())
        found = []
        while monday <= self.end:
            year, week, _ = monday.isocalendar()
            found.append(f"{year}-W{week:02d}")
            monday += timedelta(days=7)
        return tuple(found)


@dataclass(frozen=True)
class Bucket:
    """One point of a trend: a week or a month, with the ISO weeks it holds."""

    key: str  # "2026-W48" or "2026-11"
    start: date  # the week's Monday, or the month's first day
    weeks: tuple[str, ...]
    monthly: bool


def weeks_back(today: date, count: int) -> Period:
    """The last `count` ISO weeks, this one included."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=count - 1), today)


def parse_period(text: str, today: date) -> Period | None:
    """The period typed after `rapport`: "2026", "sinds 1 september", "1/9 tot 30/11"; None when nothing is typed.

    A period is cut off at today; raises InvalidPeriod when it cannot be read or lies wholly ahead.
    """
    words = " ".join(text.lower().split())
    if not words:
        return None
    try:
        if year := _YEAR.match(words):
            period = Period(date(int(year[1]), 1, 1), date(int(year[1]), 12, 31))
        elif since := _SINCE.match(words):
            period = Period(parse_past_date(since[1], today), today)
        elif between := _RANGE.match(words):
            start = parse_past_date(between[1], today)
            period = Period(start, _end_day(between[2], start, today))
        else:
            raise InvalidPeriod(text, text=text)
    except InvalidDate as error:
        raise InvalidPeriod(text, text=text) from error
    if period.start > period.end or period.start > today:
        raise InvalidPeriod(text, text=text)
    return Period(period.start, min(period.end, today))


def _end_day(text: str, start: date, today: date) -> date:
    """The last day of a range; a day still to come ("tot 31 december") means up to today."""
    try:
        end = parse_past_date(text, today)
    except InvalidDate as error:
        if error.params.get("reason") != "future":
            raise
        return today
    return today if end < start else end  # "31 december" read back to last year: this year's is meant


def buckets(period: Period, monthly: bool | None = None) -> tuple[Bucket, ...]:
    """The period's weeks as buckets, or its months (by default when it has more than MAX_WEEKLY_BUCKETS weeks)."""
    weeks = period.weeks()
    if not (len(weeks) > MAX_WEEKLY_BUCKETS if monthly is None else monthly):
        return tuple(Bucket(week, week_monday(week), (week,), monthly=False) for week in weeks)
    months: dict[str, list[str]] = {}
    for week in weeks:
        thursday = week_monday(week) + timedelta(days=3)
        months.setdefault(f"{thursday.year}-{thursday.month:02d}", []).append(week)
    return tuple(
        Bucket(key, date(int(key[:4]), int(key[5:]), 1), tuple(held), monthly=True) for key, held in months.items()
    )


def bucket_of_week(chosen: tuple[Bucket, ...]) -> dict[str, str]:
    """ISO week -> bucket key, for grouping answers by bucket in the database."""
    return {week: bucket.key for bucket in chosen for week in bucket.weeks}
